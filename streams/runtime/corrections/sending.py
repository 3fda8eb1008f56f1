"""Sending with less of Faust's per-message machinery on the event loop (`docs/performance.md`, fourth round).

- `DirectSendTopic.send`: `Topic.send(force=True)` (every output `streams.runtime.agents.loop.publish`
  sends at least once) builds a `PendingMessage` and a `FutureMessage`, runs the key and value through
  Faust's serializer registry (raw bytes here) and hangs sensor callbacks on the producer's future
  before it reaches the same `Producer.send`. Such a send now goes to the producer directly. Any
  other send (a transaction, a callback, a schema or serializer, an explicit partition or time)
  takes Faust's own path.
- `EbbingBuffer.flush_atmost`: Faust's buffer of table changelog records woke its flush at every
  record sent and counted one record per wake-up, with an `asyncio.wait_for` (a task and a timer)
  for each: a commit's flush, or the consumer held back while more than 100 records wait
  (`wait_until_ebb`), paid that per record, and waited for 100 wake-ups even when the buffer's task
  had sent many records between two of them. The flush now counts the records sent and is woken
  once, when its count is reached or the buffer is empty; it still gives up after 0.1 s without a
  record sent, as Faust's does.
- `IdleReleaseProducer`: a linger long enough to fill batches in a burst (fewer produce requests
  and fewer, larger record batches for every consumer to decode) would hold a lone record for all
  of it. The worker's aiokafka producer sends its open batches as soon as no record has been added
  for `idle` seconds: the linger is the most a batch waits while records keep coming, the idle gap
  what a record waits when the worker has nothing more to send (Nagle's rule with a flush when idle).

What holds as before: a record is in the producer's accumulator when `send` returns, in call order,
and table writes go out after the outputs sent before them (`HeldWrites`); Faust's commit flushes the
buffer and the producer before it commits an offset, so no offset is committed before its outputs.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable
from typing import Any

import aiokafka
import faust
from faust.transport.drivers.aiokafka import Producer
from faust.transport.producer import ProducerBuffer
from faust.types import FutureMessage, RecordMetadata

from streams.runtime.corrections.exactly_once import SourceTransactionTopic
from streams.runtime.corrections.faust_private import release_open_batches

__all__ = ["DirectSendTopic", "EbbingBuffer", "IdleReleaseProducer", "install"]

FLUSH_PATIENCE = 0.1  # seconds without a record sent before a flush gives up (Faust's own)


class DirectSendTopic(SourceTransactionTopic):
    async def send(
        self, *, key: Any = None, value: Any = None, force: bool = False, **options: Any
    ) -> Awaitable[RecordMetadata]:
        headers = options.pop("headers", None)
        if not force or self.app.in_transaction or any(option is not None for option in options.values()):
            return await super().send(key=key, value=value, headers=headers, force=force, **options)
        if isinstance(key, str):
            key = key.encode()  # what the raw key serializer makes of it
        producer = await self.app.maybe_start_producer()
        return await producer.send(self.get_topic_name(), key, value, None, None, headers or None)


class EbbingBuffer(ProducerBuffer):
    sent = 0  # records sent since the start
    target = 0  # wake the flush waiting when `sent` reaches it (or the buffer is empty)
    waiter: asyncio.Future[None] | None = None

    async def _send_pending(self, fut: FutureMessage) -> None:
        await super()._send_pending(fut)
        self.sent += 1
        waiter = self.waiter
        if waiter is not None and not waiter.done() and (self.sent >= self.target or not self.size):
            waiter.set_result(None)

    async def flush_atmost(self, max_messages: int | None) -> int:
        """Wait until `max_messages` records (all: None) are sent, or none is for `FLUSH_PATIENCE`."""
        start = self.sent
        target = start + max_messages if max_messages is not None else None
        while self.size and (target is None or self.sent < target):
            if self.state != "running":
                raise RuntimeError("Cannot flush: Producer not Running")
            progress = self.sent
            self.target = target if target is not None else progress + self.size
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(self.waiter, timeout=FLUSH_PATIENCE)
            except TimeoutError:
                if self.sent == progress:
                    break
            finally:
                self.waiter = None
        return self.sent - start


class IdleReleaseProducer(aiokafka.AIOKafkaProducer):
    """An aiokafka producer that sends its open batches once `idle` seconds pass with no record added
    (0: never early, plain linger). One timer at a time, re-armed from the last send's time, not one
    per record."""

    idle = 0.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_added = 0.0  # loop time of the last record added
        self.release_timer: asyncio.TimerHandle | None = None

    async def send(self, *args: Any, **kwargs: Any) -> Any:
        added = await super().send(*args, **kwargs)  # in the accumulator now
        if self.idle > 0:
            loop = asyncio.get_running_loop()
            self.last_added = loop.time()
            if self.release_timer is None:
                self.release_timer = loop.call_later(self.idle, self.release_if_idle)
        return added

    def release_if_idle(self) -> None:
        loop = asyncio.get_running_loop()
        quiet = loop.time() - self.last_added
        if quiet < self.idle:  # a record came meanwhile: wait out the gap from that one
            self.release_timer = loop.call_later(self.idle - quiet, self.release_if_idle)
            return
        self.release_timer = None
        release_open_batches(self)

    async def stop(self) -> None:
        if self.release_timer is not None:
            self.release_timer.cancel()
            self.release_timer = None
        await super().stop()


@functools.cache
def idle_release_producer(idle: float) -> type[IdleReleaseProducer]:
    return type("IdleReleaseProducer", (IdleReleaseProducer,), {"idle": idle})


class EbbingProducer(Producer):
    produce_idle = 0.0  # IdleReleaseProducer.idle of the aiokafka producers it makes

    @property
    def _producer_type(self) -> type[aiokafka.AIOKafkaProducer]:
        return idle_release_producer(self.produce_idle)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buffer = EbbingBuffer(loop=self.loop, beacon=self.beacon)
        buffer.app = self.app
        if hasattr(self.buffer, "threaded_producer"):  # producer_threaded (off here): keep Faust's wiring
            buffer.threaded_producer = self.buffer.threaded_producer
        self.buffer = buffer  # before on_start makes it a runtime dependency


def install(app: faust.App, produce_idle: float = 0.0) -> None:
    """Give the App's transport the producer with the `EbbingBuffer`, whose aiokafka producers send
    their open batches after `produce_idle` seconds with no record added (`IdleReleaseProducer`)."""
    app.transport.Producer = type("EbbingProducer", (EbbingProducer,), {"produce_idle": produce_idle})
