"""Every topic the pipeline reads or writes, declared once with its partition count.

Values travel as orjson bytes validated by the `schemas` models; Faust sees raw bytes so that a bad
record reaches our code (and the dead-letter topic) instead of failing inside Faust's deserializer.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from functools import partial

import faust
from faust.types import FutureMessage, RecordMetadata

from streams.alerting import AlertRule, AlertRules
from streams.settings import Settings

__all__ = [
    "ALERT_TABLE",
    "HISTORY_TABLE",
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
TABLES = (STANCE_TABLE, HISTORY_TABLE, ALERT_TABLE)


SOURCE_HEADER = "stancewire-source-tp"  # "topic:partition" of the input an exactly-once output belongs to


class SourceTransactionTopic(faust.Topic):
    """Under exactly-once, publishes an attached output in the transaction of its *input's* partition.

    Faust sends an attached output when it commits the input's offset, but in the transaction of the
    output's own partition. Stancewire re-keys at every stage (article id → actor → actor|topic), so
    that is usually another partition's transaction, committed separately: a crash between the two
    commits loses or duplicates the output. The agents name the input in a header; this sends there.
    """

    async def publish_message(self, fut: FutureMessage, wait: bool = False) -> Awaitable[RecordMetadata]:
        message = fut.message
        headers = dict(message.headers or {})
        source = headers.pop(SOURCE_HEADER, None)
        if source is None or not self.app.in_transaction:
            return await super().publish_message(fut, wait=wait)
        source_topic, _, partition = bytes(source).decode().rpartition(":")
        group = self.app.assignor.group_for_topic(source_topic)
        transactional_id = f"{self.app.conf.id}-{group}-{partition}"
        topic = self._topic_name_or_default(message.channel)
        key = message.key
        dest = self.app.consumer.key_partition(topic, key, message.partition)  # None: the producer partitions
        producer = self.app.consumer.transactions.producer
        state = self.app.sensors.on_send_initiated(
            producer, topic, message=message, keysize=len(key or b""), valsize=len(message.value or b"")
        )
        sent = await producer.send(
            topic, key, message.value, dest, message.timestamp, headers or None, transactional_id=transactional_id
        )
        sent.add_done_callback(partial(self._on_published, message=fut, producer=producer, state=state))
        if wait:
            await sent
        return sent


@dataclass(frozen=True, slots=True)
class Topics:
    raw: faust.TopicT
    statements: faust.TopicT
    stances: faust.TopicT
    changes: faust.TopicT
    alerts: faust.TopicT
    dlq: faust.TopicT
    alerts_dlq: faust.TopicT

    @classmethod
    def declare(cls, app: faust.App, settings: Settings) -> Topics:
        names = settings.topics

        def topic(name: str) -> faust.TopicT:
            return app.topic(
                name,
                partitions=settings.partitions,
                key_serializer="raw",
                value_serializer="raw",
                internal=False,
            )

        return cls(
            raw=topic(names.raw),
            statements=topic(names.statements),
            stances=topic(names.stances),
            changes=topic(names.changes),
            alerts=topic(names.alerts),
            dlq=topic(names.dlq),
            alerts_dlq=topic(names.alerts_dlq),
        )


def spike_table_name(rule: AlertRule) -> str:
    """The windowed table of one spike rule (rule names are topic-safe by validation)."""
    return f"spike-{rule.name}"


def internal_topic_names(settings: Settings) -> dict[str, int]:
    """Faust's own topics (table changelogs, the assignor's leader topic) with their partitions."""
    tables = [*TABLES, *(spike_table_name(rule) for rule in AlertRules.load(settings.rules).spike_rules)]
    topics = {f"{settings.app_id}-{table}-changelog": settings.partitions for table in tables}
    topics[f"{settings.app_id}-__assignor-__leader"] = 1
    return topics


def all_topic_partitions(settings: Settings) -> dict[str, int]:
    topics = {name: settings.partitions for name in settings.topics.all()}
    topics.update(internal_topic_names(settings))
    return topics


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """Per-topic broker configs: the dead-letter topic must accept an oversized article, base64'd."""
    dlq_bytes = settings.max_article_bytes * 4 // 3 + 64 * 1024
    changelogs = {name: {"cleanup.policy": "compact"} for name in internal_topic_names(settings)}
    return {settings.topics.dlq: {"max.message.bytes": str(dlq_bytes)}, **changelogs}
