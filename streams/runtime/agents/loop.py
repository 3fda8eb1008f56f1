"""The one loop every agent is built from: decode each event or dead-letter it, run a step guarded, publish.

`records()` yields each event with its decoded record and sends what cannot be decoded to the
dead-letter topic; `guarded()` runs a pipeline step and dead-letters the event if the step raises;
`publish()` sends an output attached to its input (exactly-once) or at once (at-least-once).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator, MutableMapping
from typing import Any, TypeVar

import faust
from pydantic import BaseModel

from schemas import DecodeError, decode, encode
from streams.core.pipeline import Origin, dead_letter, dead_letter_key
from streams.runtime import metrics
from streams.runtime.corrections.exactly_once import attach

__all__ = ["HeldWrites", "decode_or_dead_letter", "guarded", "origin_of", "publish", "publish_dead_letter", "records"]

log = logging.getLogger("stancewire")
M = TypeVar("M", bound=BaseModel)


async def publish(
    topic: faust.TopicT,
    key: str | bytes | None,
    record: BaseModel,
    source: faust.EventT | None = None,
    detached: bool = False,
    repartition: bool = False,
) -> None:
    """Send `record` as an output of `source` (default: the event the calling agent is processing).

    At-least-once: sent at once; Faust flushes the producer before it commits an offset, so an
    output is never lost, and a crash before the commit sends it again. Exactly-once: attached to
    its input (`streams.runtime.corrections.exactly_once`), published when the input's offset is committed and in that
    same transaction, so it is committed exactly when its input is.

    The record carries the ingest time of its article (header `stancewire-ingested-at`) and is
    counted in the metrics. `detached` sends at once under exactly-once too, for a record that is no
    input's output (a delivery failure, known long after its alert was committed). A `repartition`
    record is not counted: a change re-keyed by topic (counted on `stance.changes`), a stance event
    on `news.stance-candidates` (counted when the track agent passes it on to `news.stances`)."""
    event = source or faust.current_event()
    headers = ingest_header(event)
    if topic.app.in_transaction and event is not None and not detached:
        attach(event, topic, key, encode(record), headers)
    else:
        await topic.send(key=key, value=encode(record), headers=headers, force=True)
    if not repartition:
        metrics.published(record, headers)


def ingest_header(event: faust.EventT | None) -> dict[str, bytes]:
    """The ingest-time header to carry on: the source's own, or (on news.raw) its Kafka timestamp."""
    if event is None:
        return {}
    carried = (event.headers or {}).get(metrics.INGESTED_HEADER)
    if carried:
        return {metrics.INGESTED_HEADER: carried}
    timestamp = event.message.timestamp
    return {metrics.INGESTED_HEADER: str(int(timestamp * 1000)).encode()} if timestamp else {}


def origin_of(event: faust.EventT) -> Origin:
    msg = event.message
    return Origin(topic=msg.topic, partition=msg.partition, offset=msg.offset, key=msg.key)


async def publish_dead_letter(dlq: faust.TopicT, event: faust.EventT, reason: str, error: str) -> None:
    """Dead-letter `event`, its bytes cut to what the producer can send (see `dead_letter`)."""
    origin = origin_of(event)
    letter = dead_letter(event.value, origin, reason, error, max_bytes=dlq.app.conf.producer_max_request_size)
    await publish(dlq, dead_letter_key(origin.key), letter, source=event)


async def decode_or_dead_letter(event: faust.EventT, model: type[M], dlq: faust.TopicT) -> M | None:
    """The event's value as `model`, or None after sending it to the dead-letter topic."""
    try:
        return decode(event.value, model)
    except DecodeError as exc:
        origin = origin_of(event)
        log.warning("dead letter from %s[%s]@%s: %s", origin.topic, origin.partition, origin.offset, exc)
        await publish_dead_letter(dlq, event, exc.reason, str(exc))
        return None


async def records(
    stream: faust.StreamT, model: type[M], dlq: faust.TopicT, *, noack: bool = False
) -> AsyncIterator[tuple[faust.EventT, M]]:
    """Each event of `stream` with its value decoded as `model`; an undecodable event is dead-lettered.

    Several agents may read one topic (stance and alert-statements read `news.statements`); each
    dead-letters what it cannot use, so a bad record is never dropped silently by any of them. With
    `noack` the caller acknowledges events itself; dead-lettered ones are acknowledged here.
    """
    async for event in (stream.noack() if noack else stream).events():
        record = await decode_or_dead_letter(event, model, dlq)
        if record is None:
            if noack:
                event.ack()
            continue
        yield event, record


R = TypeVar("R")


async def guarded(event: faust.EventT, dlq: faust.TopicT, step: Callable[..., R], *args: Any) -> R | None:
    """`step(*args)`, or None after dead-lettering the event (`processing_error`) if the step raised.

    A bug in a pipeline step must not crash the agent into a loop on the same record: the record is
    kept, whole, on the dead-letter topic with the error, and the stream carries on.
    """
    try:
        return step(*args)
    except Exception as exc:
        origin = origin_of(event)
        log.exception("processing error on %s[%s]@%s", origin.topic, origin.partition, origin.offset)
        await publish_dead_letter(dlq, event, "processing_error", f"{type(exc).__name__}: {exc}")
        return None


class HeldWrites(MutableMapping[str, Any]):
    """A table's writes held back until `apply()`, read through meanwhile: what remembers an output
    (the claim that suppresses a rule's next firing) is written only once the output is published.

    At least once, a table write's changelog record can reach the broker before an output sent just
    after it (Faust sends changelog records from a buffer of its own), and a worker stopping in
    between would find, on processing the input again, the claim made and the alert never sent: lost
    for good. Written after the output, the changelog record goes out after it; the producer sends to
    a broker one request at a time, in order, so a claim that reached the broker means its alert did.
    Under exactly-once both are committed with the input, whatever the order."""

    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table
        self.writes: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        return self.writes[key] if key in self.writes else self.table[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.writes[key] = value

    def __delitem__(self, key: str) -> None:
        raise TypeError("held writes do not delete")

    def __iter__(self) -> Iterator[str]:
        yield from self.writes
        yield from (key for key in self.table if key not in self.writes)

    def __len__(self) -> int:
        return len(self.writes) + sum(1 for key in self.table if key not in self.writes)

    def apply(self) -> None:
        for key, value in self.writes.items():
            self.table[key] = value
        self.writes.clear()
