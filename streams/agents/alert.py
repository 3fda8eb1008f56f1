"""alert: `stance.changes` (and, for statement rules, `news.statements`) → `alerts`.

The table remembers when each rule last fired per pair, for duplicate suppression. Changes are keyed
`actor|topic` and statements by actor, so each suppression key is always written from one partition.
"""

from __future__ import annotations

import faust

from schemas import DecodeError, StanceChange, Statement, decode
from streams.agents import decode_or_dead_letter, publish
from streams.pipeline import Pipeline
from streams.settings import Settings
from streams.topics import ALERT_TABLE, Topics


def register(app: faust.App, topics: Topics, pipeline: Pipeline, settings: Settings) -> None:
    last_fired = app.Table(
        ALERT_TABLE,
        partitions=settings.partitions,
        help="When each alert rule last fired per pair (article time, ISO-8601).",
    )

    @app.agent(topics.changes, name="alert-changes")
    async def alert_on_changes(stream: faust.StreamT) -> None:
        async for event in stream.events():
            change = await decode_or_dead_letter(event, StanceChange, topics.dlq)
            if change is None:
                continue
            for alert in pipeline.alerts_for_change(change, last_fired):
                await publish(topics.alerts, change.key, alert)

    if not any(rule.trigger == "statement" for rule in pipeline.rules.rules):
        return

    @app.agent(topics.statements, name="alert-statements")
    async def alert_on_statements(stream: faust.StreamT) -> None:
        async for event in stream.events():
            try:
                statement = decode(event.value, Statement)
            except DecodeError:
                continue  # the stance agent, on the same topic, sends it to the dead-letter topic
            for alert in pipeline.alerts_for_statement(statement, last_fired):
                await publish(topics.alerts, event.message.key, alert)
