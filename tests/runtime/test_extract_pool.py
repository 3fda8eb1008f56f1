"""ExtractPool.batches: batches in stream order, the next one extracted while one is published, and no
event released for commit before the caller acks it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

from faust.types import Message

from schemas import encode
from streams.core.pipeline import Origin, Pipeline
from streams.runtime.extract_pool import ExtractPool
from streams.settings import Settings
from tests.factories import article


class FakeEvent:
    """What batches() uses of a Faust event: value, message (refcounted), ack()."""

    def __init__(self, offset: int) -> None:
        self.value = encode(article(f"Article {offset}.", id=f"a{offset}"))
        self.message = Message("news.raw", 0, offset, 0.0, 0, {}, None, self.value, None)
        self.message.incref()  # one stream reads the topic, as Faust counts it
        self.acked = False

    def ack(self) -> None:
        if self.message.decref() == 0:
            self.acked = True


class FakeStream:
    """`take_events` as Faust runs it: a batch is acked when the next one is asked for."""

    def __init__(self, batches: list[list[FakeEvent]]) -> None:
        self.batches = batches

    async def take_events(self, size: int, within: float) -> AsyncIterator[list[FakeEvent]]:
        for batch in self.batches:
            yield list(batch)
            for event in batch:
                event.ack()


def origin(event: FakeEvent) -> Origin:
    return Origin("news.raw", 0, event.message.offset)


async def test_batches_come_in_order_the_next_extracted_meanwhile_and_acked_only_by_the_caller() -> None:
    pool = ExtractPool(Pipeline(Settings(extractor="fast", extract_processes=0)))
    extracting: list[int] = []  # first offset of each batch, as extraction starts
    second_started = threading.Event()
    run = pool._run

    def recording(records: list) -> list:
        extracting.append(records[0][1].offset)
        if len(extracting) == 2:
            second_started.set()
        return run(records)

    pool._run = recording
    batches = [[FakeEvent(3 * b + i) for i in range(3)] for b in range(3)]
    seen: list[list[int]] = []
    try:
        async for events, outcomes in pool.batches(FakeStream(batches), 3, 0.01, origin):
            assert len(outcomes) == len(events)
            seen.append([e.message.offset for e in events])
            if len(seen) == 1:  # while the first batch is being "published", the second is extracted
                assert await asyncio.to_thread(second_started.wait, 10)
                await asyncio.sleep(0.05)  # take_events has acked the first batch by now, or never will
                assert not any(e.acked for e in events), "released for commit before the caller acked it"
            for event in events:
                event.ack()
            assert all(e.acked for e in events)
    finally:
        pool.close()
    assert seen == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert extracting == [0, 3, 6]
    assert all(e.acked for batch in batches for e in batch)


async def test_an_event_the_caller_never_acks_is_never_released() -> None:
    pool = ExtractPool(Pipeline(Settings(extractor="fast", extract_processes=0)))
    batches = [[FakeEvent(0)], [FakeEvent(1)]]
    try:
        async for events, _ in pool.batches(FakeStream(batches), 1, 0.01, origin):
            if events[0].message.offset == 1:
                events[0].ack()  # the first is dropped unacked, as by a worker stopping mid-batch
    finally:
        pool.close()
    assert not batches[0][0].acked
    assert batches[1][0].acked
