"""Thin Faust agents: decode an event, call one `Pipeline` method, send what it returns."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import faust
from pydantic import BaseModel

from schemas import DecodeError, decode, encode
from streams.pipeline import Origin, dead_letter
from streams.web import metrics

__all__ = ["decode_or_dead_letter", "guarded", "origin_of", "publish"]

log = logging.getLogger("stancewire")
M = TypeVar("M", bound=BaseModel)


async def publish(
    topic: faust.TopicT, key: str | bytes | None, record: BaseModel, source: faust.EventT | None = None
) -> None:
    """Send now rather than attach to the source offset (Faust's default, published only at the next
    commit). Still at-least-once: Faust flushes the producer before it commits an offset.

    The record carries the ingest time of its article (header `stancewire-ingested-at`), taken from
    `source` (default: the event the calling agent is processing), and is counted in the metrics."""
    event = source or faust.current_event()
    headers = ingest_header(event)
    app = topic.app
    if app.in_transaction and event is not None:
        await send_in_transaction(app, event, topic.get_topic_name(), key, encode(record), headers)
    else:
        await topic.send(key=key, value=encode(record), headers=headers, force=True)
    metrics.published(record, headers)


async def send_in_transaction(
    app: faust.App,
    source: faust.EventT,
    topic: str,
    key: str | bytes | None,
    value: bytes,
    headers: dict[str, bytes],
) -> None:
    """Exactly-once: send in the transaction that commits the *input's* offset.

    Faust would pick the transaction of the output's own partition. Stancewire re-keys at every stage
    (article id → actor → actor|topic), so that is usually another partition's transaction, committed
    separately: a crash between the two commits lost or duplicated outputs in the fault suite.
    """
    tp = source.message.tp
    transactional_id = f"{app.conf.id}-{app.assignor.group_for_topic(tp.topic)}-{tp.partition}"
    key_bytes = key.encode() if isinstance(key, str) else key
    partition = app.consumer.key_partition(topic, key_bytes, None)  # None: the producer's own partitioner
    await app.consumer.transactions.producer.send(
        topic, key_bytes, value, partition, None, headers or None, transactional_id=transactional_id
    )


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


async def decode_or_dead_letter(event: faust.EventT, model: type[M], dlq: faust.TopicT) -> M | None:
    """The event's value as `model`, or None after sending it to the dead-letter topic."""
    try:
        return decode(event.value, model)
    except DecodeError as exc:
        origin = origin_of(event)
        log.warning("dead letter from %s[%s]@%s: %s", origin.topic, origin.partition, origin.offset, exc)
        await publish(dlq, origin.key, dead_letter(event.value, origin, exc.reason, str(exc)))
        return None


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
        error = f"{type(exc).__name__}: {exc}"
        await publish(dlq, origin.key, dead_letter(event.value, origin, "processing_error", error))
        return None
