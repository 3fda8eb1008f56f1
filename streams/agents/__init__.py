"""Thin Faust agents: decode an event, call one `Pipeline` method, send what it returns."""

from __future__ import annotations

import logging
from typing import TypeVar

import faust
from pydantic import BaseModel

from schemas import DecodeError, decode, encode
from streams.pipeline import Origin, dead_letter

__all__ = ["decode_or_dead_letter", "origin_of", "publish"]

log = logging.getLogger("stancewire")
M = TypeVar("M", bound=BaseModel)


async def publish(topic: faust.TopicT, key: str | bytes | None, record: BaseModel) -> None:
    """Send now rather than attach to the source offset (Faust's default, published only at the next
    commit). Still at-least-once: Faust flushes the producer before it commits an offset."""
    await topic.send(key=key, value=encode(record), force=True)


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
