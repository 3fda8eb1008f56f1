"""The Faust topics and tables of the worker, declared from the topic table (`schemas.topics`).

Values travel as orjson bytes validated by the `schemas` models; Faust sees raw bytes so that a bad
record reaches our code (and the dead-letter topic) instead of failing inside Faust's deserializer.
"""

from __future__ import annotations

from dataclasses import dataclass

import faust

from schemas.topics import TOPICS
from streams.core.alerting import AlertRule, AlertRules
from streams.settings import Settings

__all__ = [
    "ALERT_TABLE",
    "CONTESTED_TABLE",
    "HISTORY_TABLE",
    "SEEN_TABLE",
    "STANCE_TABLE",
    "Topics",
    "all_topic_partitions",
    "internal_topic_names",
    "spike_table_name",
    "topic_configs",
]

# Table names; their changelog topics are `{app_id}-{name}-changelog`.
STANCE_TABLE = "stance-state"
HISTORY_TABLE = "stance-history"  # each pair's recent changes, beside its stance (same key, same partitions)
ALERT_TABLE = "alert-last-fired"
# stories and item versions seen per actor|topic pair (streams/core/duplicates.py), keyed like the track agent's input
SEEN_TABLE = "stance-seen"
CONTESTED_TABLE = "contested-state"  # per topic: each actor's latest stance, when contested rules fired
TABLES = (STANCE_TABLE, HISTORY_TABLE, ALERT_TABLE, SEEN_TABLE)


@dataclass(frozen=True, slots=True)
class Topics:
    raw: faust.TopicT
    statements: faust.TopicT
    stance_candidates: faust.TopicT
    stances: faust.TopicT
    changes: faust.TopicT
    topic_changes: faust.TopicT
    alerts: faust.TopicT
    dlq: faust.TopicT
    alerts_dlq: faust.TopicT

    @classmethod
    def declare(cls, app: faust.App, settings: Settings) -> Topics:
        """Every topic of `schemas.topics.TOPICS`, as raw-bytes Faust topics with the configured partitions."""
        names = settings.topics
        declared = {
            spec.field: app.topic(
                getattr(names, spec.field),
                partitions=settings.partitions,
                key_serializer="raw",
                value_serializer="raw",
                internal=False,
            )
            for spec in TOPICS
        }
        return cls(**declared)


def spike_table_name(rule: AlertRule) -> str:
    """The windowed table of one spike rule (rule names are topic-safe by validation)."""
    return f"spike-{rule.name}"


def internal_topic_names(settings: Settings) -> dict[str, int]:
    """Faust's own topics (table changelogs, the assignor's leader topic) with their partitions."""
    rules = AlertRules.load(settings.rules)
    tables = [*TABLES, *(spike_table_name(rule) for rule in rules.spike_rules)]
    if rules.contested_rules:
        tables.append(CONTESTED_TABLE)
    topics = {f"{settings.app_id}-{table}-changelog": settings.partitions for table in tables}
    topics[f"{settings.app_id}-__assignor-__leader"] = 1
    return topics


def all_topic_partitions(settings: Settings) -> dict[str, int]:
    topics = {name: settings.partitions for name in settings.topics.all()}
    topics.update(internal_topic_names(settings))
    return topics


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """Per-topic broker configs of the topics Stancewire creates (every topic of `all_topic_partitions`).

    - the dead-letter topic must accept an oversized article, base64'd
    - table changelogs are compacted (a table's state is its latest value per key)
    - `retention_ms` per topic of `schemas.topics.TOPICS` (by its unprefixed name); unset: the broker's
    - `min_insync_replicas` on every topic; unset: the broker's
    """
    dlq_bytes = settings.max_message_bytes()
    configs: dict[str, dict[str, str]] = {name: {} for name in all_topic_partitions(settings)}
    configs[settings.topics.dlq]["max.message.bytes"] = str(dlq_bytes)
    for name in internal_topic_names(settings):
        configs[name]["cleanup.policy"] = "compact"
    for spec in TOPICS:
        if spec.name in settings.retention_ms:
            configs[getattr(settings.topics, spec.field)]["retention.ms"] = str(settings.retention_ms[spec.name])
    if settings.min_insync_replicas is not None:
        for config in configs.values():
            config["min.insync.replicas"] = str(settings.min_insync_replicas)
    return {name: config for name, config in configs.items() if config}
