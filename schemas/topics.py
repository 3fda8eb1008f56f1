"""The topic table: every topic the pipeline reads or writes, its record model and its key.

Settings (`TopicNames`: the names with the prefix, which topic creation lists through
`Settings.topics.all()`), the runtime's Faust topics, `stancewire tail` (`record_for`) and the JSON
Schema files all read this one table, so a new topic is declared here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from schemas.records import Alert, DeadLetter, DeliveryFailure, RawArticle, StanceChange, StanceEvent, Statement

__all__ = ["TOPICS", "TopicNames", "TopicSpec", "record_for"]


@dataclass(frozen=True, slots=True)
class TopicSpec:
    field: str  # attribute name on TopicNames and on the runtime's Topics
    name: str  # topic name before the configured prefix
    record: type[BaseModel]
    key: str  # what the record is keyed by, as the docs say it


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec("raw", "news.raw", RawArticle, "article id"),
    TopicSpec("statements", "news.statements", Statement, "speaker's actor (article id if none)"),
    # Stance events as the extract agent makes them, keyed actor|topic (a repartition of news.raw's
    # article keys): the track agent drops a story's second copy (streams/core/duplicates.py) and
    # publishes the rest to news.stances, so news.stances carries each story's events once.
    TopicSpec("stance_candidates", "news.stance-candidates", StanceEvent, "actor|topic"),
    TopicSpec("stances", "news.stances", StanceEvent, "actor|topic"),
    TopicSpec("changes", "stance.changes", StanceChange, "actor|topic"),
    # The same changes keyed by topic, for rules that look at every actor of one topic (contested rules).
    TopicSpec("topic_changes", "stance.changes.by-topic", StanceChange, "topic"),
    TopicSpec("alerts", "alerts", Alert, "actor|topic (statement rules: actor)"),
    TopicSpec("dlq", "news.dlq", DeadLetter, "the original key"),
    TopicSpec("alerts_dlq", "alerts.dlq", DeliveryFailure, "alert id"),
)


class TopicNames:
    """The name of every topic in `TOPICS` with the configured prefix, as attributes (`names.raw`)."""

    raw: str
    statements: str
    stance_candidates: str
    stances: str
    changes: str
    topic_changes: str
    alerts: str
    dlq: str
    alerts_dlq: str

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        for spec in TOPICS:
            setattr(self, spec.field, prefix + spec.name)

    def all(self) -> list[str]:
        return [getattr(self, spec.field) for spec in TOPICS]


def record_for(topic: str, prefix: str = "") -> type[BaseModel] | None:
    """The record model of a (prefixed) topic name, or None for a topic that is not ours."""
    return next((spec.record for spec in TOPICS if prefix + spec.name == topic), None)
