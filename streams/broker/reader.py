"""Reading topics with kafka-python: `stancewire tail`, the demo, the bench and the tests.

`TopicReader` assigns partitions itself (no group membership, no rebalances) and starts where it
is told, as kcat's `-o` does: `beginning`, `end`, an absolute offset `N`, `-N` records before the
end, or `stored` (the group's committed offset). With a `group` it commits what it has handed out
in that group (as a standalone consumer: two readers in one group both read every partition).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import orjson
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from streams.broker.admin import bootstrapped
from streams.broker.security import KafkaTarget, bootstrap_of, kafka_python_config

__all__ = ["StartPosition", "TailRecord", "TopicReader", "as_json", "parse_offset", "read_topic"]

COMMIT_SECONDS = 1.0

StartPosition = str | int  # "beginning" | "end" | "stored" | N (absolute) | -N (before the end)


@dataclass(frozen=True, slots=True)
class TailRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes | None], ...] = ()


@dataclass(frozen=True, slots=True)
class PartitionRange:
    """Where one assigned partition starts, and what it held when the reader started."""

    partition: TopicPartition
    beginning: int
    end: int
    start: int

    @property
    def waiting(self) -> int:
        return max(0, self.end - self.start)


def parse_offset(text: str) -> StartPosition:
    """`beginning`/`earliest`, `end`/`latest`, `stored`, `N` or `-N`; ValueError for anything else."""
    word = text.strip().lower()
    aliases = {"beginning": "beginning", "earliest": "beginning", "end": "end", "latest": "end", "stored": "stored"}
    if word in aliases:
        return aliases[word]
    try:
        return int(word)
    except ValueError:
        raise ValueError(
            f"bad offset {text!r}: use beginning, end, stored, N (an absolute offset) or -N (N before the end)"
        ) from None


class TopicReader:
    """Reads topics (every partition, or the `partitions` given) without joining a group; a context manager."""

    def __init__(
        self,
        target: KafkaTarget,
        topics: list[str],
        from_beginning: bool = True,
        isolation_level: str = "read_uncommitted",
        *,
        partitions: list[int] | None = None,
        offset: StartPosition | None = None,
        group: str | None = None,
        client_id: str = "stancewire-tail",
        fetch_wait_ms: int | None = None,
    ) -> None:
        """`fetch_wait_ms`: the broker holds each fetch that long unless a batch (1 MB) is waiting, for
        a reader that need not see each record at once: a few large fetches instead of one a record,
        which costs this process and the broker CPU while records arrive."""
        self.group = group
        patient = {} if fetch_wait_ms is None else {"fetch_max_wait_ms": fetch_wait_ms, "fetch_min_bytes": 1 << 20}
        self._to_commit: dict[TopicPartition, int] = {}
        self._committed_at = time.monotonic()
        bootstrap = bootstrap_of(target)
        self._consumer = bootstrapped(  # SASL and TLS from the settings (streams.broker.security)
            target,
            lambda bootstrap_ms: KafkaConsumer(
                **kafka_python_config(target),
                client_id=client_id,
                group_id=group,
                enable_auto_commit=False,
                isolation_level=isolation_level,
                bootstrap_timeout_ms=bootstrap_ms,
                request_timeout_ms=30_000,
                fetch_max_bytes=16 * 1024 * 1024,
                max_partition_fetch_bytes=8 * 1024 * 1024,
                **patient,
            ),
            timeout=10.0,
        )
        try:
            assigned = []
            for topic in topics:
                ids = self._consumer.partitions_for_topic(topic)
                if not ids:
                    raise ValueError(f"topic {topic!r} does not exist on {bootstrap}")
                chosen = sorted(ids) if partitions is None else partitions
                missing = [p for p in chosen if p not in ids]
                if missing:
                    raise ValueError(
                        f"topic {topic!r} has no partition {', '.join(map(str, missing))} "
                        f"(it has {min(ids)}-{max(ids)})"
                    )
                assigned += [TopicPartition(topic, p) for p in chosen]
            self._consumer.assign(assigned)
            start = offset if offset is not None else ("stored" if group else None)
            self.ranges = self._seek(assigned, start, "beginning" if from_beginning else "end")
        except BaseException:
            self._consumer.close()
            raise

    def _seek(self, assigned: list[TopicPartition], start: StartPosition | None, fallback: str) -> list[PartitionRange]:
        begins = self._consumer.beginning_offsets(assigned)
        ends = self._consumer.end_offsets(assigned)
        ranges = []
        for tp in assigned:
            begin, end = int(begins.get(tp) or 0), int(ends.get(tp) or 0)
            where = start if start is not None else fallback
            committed = None
            if where == "stored":
                if not self.group:
                    raise ValueError("--offset stored needs --group (the group whose committed offsets to use)")
                committed = self._consumer.committed(tp)
                where = committed if committed is not None else fallback
            if committed is not None:
                position = max(committed, begin)  # where the group left off, as the broker stored it
            elif where == "beginning":
                position = begin
            elif where == "end":
                position = end
            elif isinstance(where, int) and where < 0:
                position = max(begin, end + where)
            else:
                position = min(max(int(where), begin), end)
            self._consumer.seek(tp, position)
            ranges.append(PartitionRange(tp, begin, end, position))
        return ranges

    @property
    def waiting(self) -> int:
        """Records between the start positions and the ends as they were when the reader started."""
        return sum(r.waiting for r in self.ranges)

    def poll(self, timeout: float = 0.2, max_records: int | None = None) -> list[TailRecord]:
        batch = self._consumer.poll(timeout_ms=int(timeout * 1000), max_records=max_records)
        return [
            TailRecord(
                r.topic,
                r.partition,
                r.offset,
                r.timestamp,
                r.key,
                r.value,
                tuple((k, v) for k, v in (r.headers or ())),
            )
            for records in batch.values()
            for r in records
        ]

    def handed_out(self, record: TailRecord) -> None:
        """Mark `record` as consumed: with a group, its offset is committed (every second and at close)."""
        if self.group:
            self._to_commit[TopicPartition(record.topic, record.partition)] = record.offset + 1
            if time.monotonic() - self._committed_at >= COMMIT_SECONDS:
                self.commit()

    def commit(self) -> None:
        if self.group and self._to_commit:
            offsets = {tp: OffsetAndMetadata(offset, "", -1) for tp, offset in self._to_commit.items()}
            self._consumer.commit(offsets)
            self._to_commit.clear()
        self._committed_at = time.monotonic()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._consumer.close()

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(slots=True)
class ReadStats:
    """What `read_topic` did, for the line `tail` prints at the end."""

    count: int = 0
    stopped_by: str = "interrupted"  # max_messages | timeout | deadline | interrupted
    waiting_at_start: int = 0
    partitions: list[int] = field(default_factory=list)


def read_topic(
    reader: TopicReader,
    idle_timeout: float | None = None,
    limit: int | None = None,
    deadline: float | None = None,
    stats: ReadStats | None = None,
) -> Iterator[TailRecord]:
    """Records of `reader` in arrival order.

    Stops after `limit` records, after `idle_timeout` seconds with nothing new, or at the monotonic
    `deadline`; with none of them it follows the topics until interrupted.
    """
    stats = stats if stats is not None else ReadStats()
    stats.waiting_at_start = reader.waiting
    if limit is not None and limit <= 0:
        stats.stopped_by = "max_messages"
        return
    last_seen = time.monotonic()
    while True:
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            stats.stopped_by = "deadline"
            return
        if idle_timeout is not None and now - last_seen >= idle_timeout:
            stats.stopped_by = "timeout"
            return
        left = None if limit is None else limit - stats.count
        for record in reader.poll(max_records=left):
            yield record
            reader.handed_out(record)
            stats.count += 1
            last_seen = time.monotonic()
            if limit is not None and stats.count >= limit:
                stats.stopped_by = "max_messages"
                return


def as_json(record: TailRecord) -> dict:
    """The record as JSON: its value parsed when it is JSON, else its bytes as latin-1 text (so `tail --json`
    prints every record), the timestamp in epoch ms and the headers as UTF-8 text (null for a null value)."""
    try:
        value = orjson.loads(record.value) if record.value is not None else None
    except orjson.JSONDecodeError:
        value = {"undecodable": (record.value or b"").decode("latin-1")}
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "timestamp": record.timestamp_ms,
        "key": record.key.decode("utf-8", "replace") if record.key else None,
        "headers": {k: None if v is None else v.decode("utf-8", "replace") for k, v in record.headers},
        "value": value,
    }
