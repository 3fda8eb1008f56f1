"""ExtractPool.batches: batches in stream order, the next one extracted while one is published, and no
event released for commit before the caller acks it; the pool warms up as it is made, off the loop."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator

import pytest
from faust.types import Message

from schemas import encode
from streams.core import pipeline as pipeline_module
from streams.core.extraction import extractor_name
from streams.core.pipeline import Origin, Pipeline
from streams.nlp.parsed import model_available
from streams.runtime import extract_pool
from streams.runtime.extract_pool import ExtractPool, _extract_in_process
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


def test_a_process_pool_starts_and_warms_its_process_before_any_batch_and_the_worker_loads_no_extractor() -> None:
    pipeline = Pipeline(Settings(extractor="fast", extract_processes=1))
    pool = ExtractPool(pipeline)
    try:
        assert pool.wait_ready(timeout=120), "the extraction process did not warm up"
        assert "extractor" not in vars(pipeline)  # loaded in the process only, never on the worker's loop
        assert all(f.result() != os.getpid() for f in pool.warming)  # a process of its own
    finally:
        pool.close()


def test_auto_chooses_a_process_for_the_parser_without_loading_it_in_the_worker(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(extract_pool, "usable_cores", lambda: 1)  # the parser gets its process even on one core
    pipeline = Pipeline(Settings(extractor="auto"))
    pool = ExtractPool(pipeline)
    try:
        assert "extractor" not in vars(pipeline)
        assert pool._run == (_extract_in_process if model_available() else pipeline.extract_batch)
    finally:
        pool.close()
        pool.executor.shutdown(wait=True)  # its process ends once warmed up: none is left behind


@pytest.mark.parametrize(("cores", "processes"), [(1, 0), (2, 1), (8, 1)])
def test_auto_gives_the_fast_rules_a_process_when_a_second_core_is_there(monkeypatch, cores, processes) -> None:  # noqa: ANN001
    monkeypatch.setattr(extract_pool, "usable_cores", lambda: cores)
    pipeline = Pipeline(Settings(extractor="fast"))
    assert ExtractPool.processes_for(pipeline) == processes
    assert ExtractPool.processes_for(Pipeline(Settings(extractor="fast", extract_processes=0))) == 0  # as asked
    assert "extractor" not in vars(pipeline)


def test_the_thread_loads_the_extractor_off_the_callers_thread_before_any_batch(monkeypatch) -> None:  # noqa: ANN001
    loaded_in: list[str] = []
    real = pipeline_module.load_extractor

    def recording(name: str):  # noqa: ANN202
        loaded_in.append(threading.current_thread().name)
        return real(name)

    monkeypatch.setattr(pipeline_module, "load_extractor", recording)
    pool = ExtractPool(Pipeline(Settings(extractor="fast", extract_processes=0)))
    try:
        assert pool.wait_ready(timeout=120)
        assert len(loaded_in) == 1 and loaded_in[0].startswith("stancewire-extract")
    finally:
        pool.close()


def test_extractor_name_says_which_extractor_auto_gives() -> None:
    assert extractor_name("fast") == "fast" and extractor_name("parsed") == "parsed"
    assert extractor_name("auto") == ("parsed" if model_available() else "fast")
    with pytest.raises(ValueError):
        extractor_name("regex")


@pytest.mark.parametrize(("cpu_max", "limit"), [("50000 100000\n", 1), ("150000 100000\n", 2), ("max 100000\n", None)])
def test_usable_cores_counts_a_cpu_quota(tmp_path, cpu_max: str, limit: int | None) -> None:  # noqa: ANN001
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max)
    affinity = len(os.sched_getaffinity(0))
    assert extract_pool.usable_cores(path) == (affinity if limit is None else min(affinity, limit))
    assert extract_pool.usable_cores(tmp_path / "absent") == affinity
