"""Offline pipeline: `extract` and `replay` run the agents' own `Pipeline` methods without a broker.

Replay processes articles in `published_at` order with plain dicts standing in for the Faust tables
(the track agent's `stance-seen` too, so a story fed twice gives its stance events once),
and uses each article's publication time as the clock, so a replay of an archive is reproducible and
fires the alerts the live pipeline would have fired.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import BaseModel

from schemas import RawArticle, StanceSnapshot
from streams.core.pipeline import Origin, Pipeline

__all__ = ["replay"]


def replay(articles: Iterable[RawArticle], pipeline: Pipeline) -> Iterator[tuple[str, BaseModel]]:
    """Yield `(topic name, record)` for everything the pipeline would publish, stage by stage."""
    names = pipeline.settings.topics
    stance_state: dict[str, StanceSnapshot] = {}
    last_fired: dict[str, str] = {}
    seen: dict[str, object] = {}
    counters = pipeline.spike_counters()
    topic_state: dict[str, dict] = {}  # contested rules: each topic's actors, as the by-topic agent keeps it
    for article in sorted(articles, key=lambda a: a.published_at):
        clock = article.published_at
        (outcome,) = pipeline.extract_articles([article], Origin(names.raw))
        for letter in outcome.dead_letters:
            yield names.dlq, letter
        stances_of: dict[str, list] = {}
        for stance in outcome.stances:
            stances_of.setdefault(stance.statement_id, []).append(stance)
        for statement in outcome.statements:
            yield names.statements, statement
            for alert in pipeline.alerts_for_statement(statement, last_fired, now=clock):
                yield names.alerts, alert
            for alert in pipeline.spike_alerts(statement, counters, last_fired, now=clock):
                yield names.alerts, alert
            for stance in stances_of.get(statement.id, ()):
                if pipeline.fresh_stance(stance, seen) != "fresh":
                    continue  # the same story again (re-sent, another format) or an older version: not passed on
                yield names.stances, stance
                for alert in pipeline.spike_alerts(stance, counters, last_fired, now=clock):
                    yield names.alerts, alert
                result = pipeline.track(stance_state.get(stance.key), stance, now=clock)
                if result.state is not None:
                    stance_state[stance.key] = result.state
                if result.change is None:
                    continue
                yield names.changes, result.change
                for alert in pipeline.alerts_for_change(result.change, last_fired, now=clock):
                    yield names.alerts, alert
                for alert in pipeline.contested_alerts(result.change, topic_state, now=clock):
                    yield names.alerts, alert
