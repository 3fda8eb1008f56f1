"""ExtractPool.batches: batches in stream order, extracted as soon as the pool is free and filled while
it is busy, the next one extracted while one is published, and no event released for commit before the
caller acks it; the pool warms up as it is made, off the loop."""

from __future__ import annotations

import asyncio
import os
import pickle
import threading
from collections.abc import AsyncIterator

import pytest
from faust.types import Message

from schemas import encode
from streams.cli.bench import corpus
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
    """`events()` as Faust runs it: an event is acked when the next one is asked for. `hold_after[n]`:
    after its n-th event the stream delivers no more until that asyncio.Event is set."""

    def __init__(self, events: list[FakeEvent], hold_after: dict[int, asyncio.Event] | None = None) -> None:
        self.events_to_send = events
        self.hold_after = hold_after or {}
        self.delivered = 0

    async def events(self) -> AsyncIterator[FakeEvent]:
        for event in self.events_to_send:
            if self.delivered in self.hold_after:
                await self.hold_after[self.delivered].wait()
            self.delivered += 1
            yield event
            event.ack()


def origin(event: FakeEvent) -> Origin:
    return Origin("news.raw", 0, event.message.offset)


def offsets(events: list) -> list[int]:
    return [event.message.offset for event in events]


def recording_pool(blocked_batches: int = 0) -> tuple[ExtractPool, list[list[int]], threading.Event]:
    """A pool of one thread that records each batch's offsets as its extraction starts; the first
    `blocked_batches` batches wait for the returned event before they are extracted."""
    pool = ExtractPool(Pipeline(Settings(extractor="fast", extract_processes=0)))
    extracting: list[list[int]] = []
    release = threading.Event()
    run = pool._run

    def recording(records: list) -> list:
        extracting.append([record_origin.offset for _, record_origin in records])
        if len(extracting) <= blocked_batches:
            assert release.wait(10), "never released"
        return run(records)

    pool._run = recording
    return pool, extracting, release


async def test_a_partial_batch_is_extracted_at_once_when_the_pool_is_idle() -> None:
    pool, extracting, _ = recording_pool()
    more = asyncio.Event()  # the rest of the stream comes only once the first two are extracted
    stream = FakeStream([FakeEvent(i) for i in range(4)], hold_after={2: more})
    seen: list[list[int]] = []
    try:
        async for batch, _ in pool.batches(stream, 16, origin):
            seen.append(offsets(batch))
            more.set()
            for event in batch:
                event.ack()
    finally:
        pool.close()
    assert seen[0] == [0, 1] or seen[:2] == [[0], [1]]  # extracted with no more than was there
    assert [offset for batch in seen for offset in batch] == [0, 1, 2, 3]
    assert extracting == seen


async def test_batches_fill_while_the_pool_is_busy_in_order_the_next_extracted_meanwhile_acked_by_the_caller() -> None:
    pool, extracting, release = recording_pool(blocked_batches=1)
    first_extracting = asyncio.Event()
    events = [FakeEvent(i) for i in range(21)]
    stream = FakeStream(events, hold_after={1: first_extracting})

    async def release_once_all_read() -> None:
        while not extracting:
            await asyncio.sleep(0.01)
        first_extracting.set()  # the first article is being extracted: the other 20 arrive meanwhile
        while stream.delivered < len(events):
            await asyncio.sleep(0.01)
        for _ in range(100):  # the loop's turns: the pool takes what was read
            await asyncio.sleep(0)
        release.set()

    releasing = asyncio.ensure_future(release_once_all_read())
    seen: list[list[int]] = []
    try:
        async for batch, outcomes in pool.batches(stream, 16, origin):
            assert len(outcomes) == len(batch)
            seen.append(offsets(batch))
            if len(seen) == 1:  # while the first batch is being "published", the next one is extracted
                for _ in range(1000):
                    if len(extracting) >= 2:
                        break
                    await asyncio.sleep(0.01)
                assert len(extracting) >= 2
                assert not any(e.acked for e in batch), "released for commit before the caller acked it"
            for event in batch:
                event.ack()
            assert all(e.acked for e in batch)
    finally:
        release.set()
        pool.close()
        await releasing
    assert seen == [[0], list(range(1, 17)), list(range(17, 21))]  # in stream order, full while busy
    assert extracting == seen
    assert all(e.acked for e in events)


async def test_an_event_the_caller_never_acks_is_never_released() -> None:
    pool = ExtractPool(Pipeline(Settings(extractor="fast", extract_processes=0)))
    events = [FakeEvent(0), FakeEvent(1)]
    try:
        async for batch, _ in pool.batches(FakeStream(events), 1, origin):
            if batch[0].message.offset == 1:
                batch[0].ack()  # the first is dropped unacked, as by a worker stopping mid-batch
    finally:
        pool.close()
    assert not events[0].acked
    assert events[1].acked


async def test_closing_the_batches_midway_cancels_the_reader_and_acks_nothing_unpublished() -> None:
    pool, _, _ = recording_pool()
    never = asyncio.Event()
    events = [FakeEvent(i) for i in range(3)]
    stream = FakeStream(events, hold_after={1: never})  # the stream then waits, as a live topic does
    batches = pool.batches(stream, 16, origin)
    try:
        batch, _ = await asyncio.wait_for(batches.__anext__(), 10)
        assert offsets(batch) == [0]
        await batches.aclose()  # as when the agent stops: the reader is cancelled, nothing hangs
    finally:
        pool.close()
    assert not events[0].acked  # read but never acked by the caller
    assert stream.delivered == 1


def test_a_process_pool_starts_and_warms_its_process_before_any_batch_and_the_worker_loads_no_extractor() -> None:
    pipeline = Pipeline(Settings(extractor="fast", extract_processes=1))
    pool = ExtractPool(pipeline)
    try:
        assert pool.wait_ready(timeout=120), "the extraction process did not warm up"
        assert "extractor" not in vars(pipeline)  # loaded in the process only, never on the worker's loop
        assert all(f.result() != os.getpid() for f in pool.warming)  # a process of its own
    finally:
        pool.close()


def test_a_pool_of_processes_starts_from_settings_alone_and_refuses_them_for_a_thread() -> None:
    pool = ExtractPool(Settings(extractor="fast", extract_processes=1))  # `stancewire run`: before any file is read
    try:
        assert pool.pipeline is None
        assert pool.wait_ready(timeout=120)
        assert all(f.result() != os.getpid() for f in pool.warming)
    finally:
        pool.close()
    with pytest.raises(ValueError, match="needs the worker's Pipeline"):
        ExtractPool(Settings(extractor="fast", extract_processes=0))


def test_an_extraction_process_that_cannot_start_tells_the_worker_and_prints_no_traceback(
    tmp_path, capfd: pytest.CaptureFixture[str]
) -> None:  # noqa: ANN001
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text("- {id: x, label: X, keywords: [unclosed\n", encoding="utf-8")
    pool = ExtractPool(Settings(extractor="fast", extract_processes=1, taxonomy=taxonomy))
    try:
        with pytest.raises(ValueError, match="not valid YAML"):
            pool.wait_ready(timeout=120)
        with pytest.raises(ValueError, match="not valid YAML"):  # and every batch, not a broken pool
            pool.executor.submit(_extract_in_process, []).result(timeout=60)
    finally:
        pool.close()
        pool.executor.shutdown(wait=True)
    assert "Traceback" not in capfd.readouterr().err  # the process's stderr is this test's


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


def test_a_process_sends_back_outcomes_without_their_articles_small_enough_for_the_pipe(monkeypatch) -> None:  # noqa: ANN001
    pipeline = Pipeline(Settings(extractor="fast"))
    monkeypatch.setattr(extract_pool, "_PROCESS_PIPELINE", pipeline)
    articles = corpus(16)  # the bench's ~530-word articles, a full batch
    records = [(encode(a), Origin("news.raw", 0, i)) for i, a in enumerate(articles)]
    outcomes = _extract_in_process(records)
    assert [len(o.statements) for o in outcomes] == [len(o.statements) for o in pipeline.extract_batch(records)]
    assert all(o.statements and o.stances for o in outcomes)
    assert not any(o.articles for o in outcomes)
    assert len(pickle.dumps(outcomes, pickle.HIGHEST_PROTOCOL)) < 64 * 1024  # Linux's pipe buffer


async def test_a_stream_that_fails_raises_out_of_the_batches() -> None:
    handed_on = asyncio.Event()

    class FailingStream(FakeStream):
        async def events(self) -> AsyncIterator[FakeEvent]:
            async for event in super().events():
                yield event
            await handed_on.wait()  # fails once the batch read before is with the caller
            raise RuntimeError("the stream broke")

    pool, _, _ = recording_pool()
    events = [FakeEvent(i) for i in range(3)]
    seen: list[int] = []
    try:
        with pytest.raises(RuntimeError, match="the stream broke"):
            async for batch, _ in bounded(pool.batches(FailingStream(events), 16, origin)):
                seen.extend(offsets(batch))
                handed_on.set()
    finally:
        pool.close()
    assert seen == [0, 1, 2]


async def bounded(batches: AsyncIterator) -> AsyncIterator:
    """`batches`, each step bounded: a batching loop that is never woken fails the test instead of hanging it."""
    while True:
        try:
            yield await asyncio.wait_for(batches.__anext__(), 10)
        except StopAsyncIteration:
            return
