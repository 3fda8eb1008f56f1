"""`stancewire tail`: read a topic with kafka-python and show each record (rich) or print raw JSON."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import orjson
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from streams.broker.admin import connection_errors, unavailable
from streams.broker.security import KafkaTarget, bootstrap_of, kafka_python_config

__all__ = ["TailRecord", "TopicReader", "as_json", "read_topic"]


@dataclass(frozen=True, slots=True)
class TailRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None


class TopicReader:
    """Reads whole topics (every partition) without joining a consumer group; a context manager."""

    def __init__(
        self,
        target: KafkaTarget,
        topics: list[str],
        from_beginning: bool = True,
        isolation_level: str = "read_uncommitted",
    ) -> None:
        bootstrap = bootstrap_of(target)
        with connection_errors() as seen:
            try:
                self._consumer = KafkaConsumer(
                    **kafka_python_config(target),
                    client_id="stancewire-tail",
                    group_id=None,
                    enable_auto_commit=False,
                    isolation_level=isolation_level,
                    bootstrap_timeout_ms=10_000,
                    request_timeout_ms=30_000,
                    fetch_max_bytes=16 * 1024 * 1024,
                    max_partition_fetch_bytes=8 * 1024 * 1024,
                )
            except (KafkaError, OSError) as exc:
                raise unavailable(target, exc, reason=seen.reason) from None
        try:
            partitions = []
            for topic in topics:
                ids = self._consumer.partitions_for_topic(topic)
                if not ids:
                    raise ValueError(f"topic {topic!r} does not exist on {bootstrap}")
                partitions += [TopicPartition(topic, p) for p in sorted(ids)]
            self._consumer.assign(partitions)
            if from_beginning:
                self._consumer.seek_to_beginning(*partitions)
            else:
                self._consumer.seek_to_end(*partitions)
        except BaseException:
            self._consumer.close()
            raise

    def poll(self, timeout: float = 0.2) -> list[TailRecord]:
        batch = self._consumer.poll(timeout_ms=int(timeout * 1000))
        return [
            TailRecord(r.topic, r.partition, r.offset, r.timestamp, r.key, r.value)
            for records in batch.values()
            for r in records
        ]

    def close(self) -> None:
        self._consumer.close()

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_topic(
    target: KafkaTarget,
    topics: list[str],
    from_beginning: bool = True,
    idle_timeout: float | None = None,
    limit: int | None = None,
    deadline: float | None = None,
) -> Iterator[TailRecord]:
    """Records of `topics` in arrival order.

    Stops after `limit` records, after `idle_timeout` seconds with nothing new, or at the monotonic
    `deadline`; with none of them it follows the topics until interrupted.
    """
    with TopicReader(target, topics, from_beginning) as reader:
        count = 0
        last_seen = time.monotonic()
        while True:
            now = time.monotonic()
            if (deadline is not None and now >= deadline) or (
                idle_timeout is not None and now - last_seen >= idle_timeout
            ):
                return
            for record in reader.poll():
                yield record
                count += 1
                last_seen = time.monotonic()
                if limit is not None and count >= limit:
                    return


def as_json(record: TailRecord) -> dict:
    """The record's value as JSON when it is JSON, else its bytes as latin-1 text; keeps `tail --json` total."""
    try:
        value = orjson.loads(record.value) if record.value is not None else None
    except orjson.JSONDecodeError:
        value = {"undecodable": (record.value or b"").decode("latin-1")}
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "key": record.key.decode("utf-8", "replace") if record.key else None,
        "value": value,
    }
