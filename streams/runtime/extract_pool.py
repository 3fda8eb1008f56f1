"""Extraction off the Faust event loop: a spawned process pool (for the parser, and for the rules on two
cores or more), or a thread (the rules on one core)."""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from streams.core.extraction import extractor_name
from streams.core.processes import die_with_parent
from streams.settings import Settings

if TYPE_CHECKING:  # the NLP core is imported when used: `stancewire run` starts the processes before it
    from streams.core.pipeline import ExtractOutcome, Origin, Pipeline

__all__ = ["ExtractPool", "die_with_parent", "warm_up"]

_PROCESS_PIPELINE: Pipeline | None = None
_PROCESS_ERROR: Exception | None = None  # why this extraction process could not start


def _start_extract_process(settings_env: dict[str, str], parent: int) -> None:
    """The worker's settings arrive as its STANCEWIRE_* variables (`Settings.to_env`, the one way settings,
    secrets included, reach a child process); this process does nothing else, so they become its own.

    It loads what extraction needs (not the alert rules). A failure is kept and raised by every task
    (`wait_ready`, each batch: the worker sees the error itself), not printed by the pool as a traceback
    in this process; a bad file fails the worker's own load too, with its message."""
    global _PROCESS_PIPELINE, _PROCESS_ERROR
    die_with_parent(parent)
    os.environ.update(settings_env)
    try:
        from streams.formats import language

        language.preload()  # beside the imports and the extractor's load below (see `preload`)
        from streams.core.alerting import AlertRules
        from streams.core.pipeline import Pipeline

        _PROCESS_PIPELINE = Pipeline(Settings(), rules=AlertRules())
        warm_up(_PROCESS_PIPELINE)
    except Exception as exc:  # noqa: BLE001 - whatever it is, the worker is told through its tasks
        _PROCESS_ERROR = exc


def warm_up(pipeline: Pipeline) -> None:
    """Load everything extraction needs (the model takes seconds, the language detector 0.6-1.5 s, the
    gazetteer and speaker patterns ~0.5 s) by extracting one short article, before the first batch: it
    then finds the extractor, the language detector's model and the stance step's data loaded."""
    from schemas import RawArticle
    from streams.core.pipeline import Origin

    article = RawArticle(
        id="stancewire-warm-up",
        headline="Minister backs sanctions",
        body='"We support new sanctions on Russia," the foreign minister said on Monday.',
        source="stancewire",
        published_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    pipeline.extractor  # noqa: B018 - loaded first: the language model's load (`preload`) overlaps it, not waits
    pipeline.extract_articles([article], Origin("warm-up"))


CPU_MAX = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2: "<quota> <period>" or "max <period>"


def usable_cores(cpu_max: Path = CPU_MAX) -> int:
    """The cores this process may use: its CPU affinity (a cpuset), and no more than its CPU quota
    (`docker --cpus`, a Kubernetes CPU limit), rounded up."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):  # no cgroup v2 here, or a file of another shape
        pass
    return cores


def _process_ready() -> int:
    """A no-op task: submitting it starts a pool process (spawned on demand), whose initializer warms up."""
    _raise_start_error()
    return os.getpid()


def _raise_start_error() -> None:
    if _PROCESS_ERROR is not None:
        raise _PROCESS_ERROR


def _extract_in_process(records: list[tuple[bytes | None, Origin]]) -> list[ExtractOutcome]:
    """The batch's outcomes without their articles, which the worker does not publish: the bodies are
    most of a result's bytes, and a result larger than the pipe back (64 KB) holds this process in its
    write until the worker's reader thread, which shares the worker's GIL with the event loop, drains it."""
    _raise_start_error()
    assert _PROCESS_PIPELINE is not None, "extract process not initialised"
    outcomes = _PROCESS_PIPELINE.extract_batch(records)
    for outcome in outcomes:
        outcome.articles.clear()
    return outcomes


class ExtractPool:
    """Runs `Pipeline.extract_batch` off the Faust event loop, so parsing never stalls the stream.

    `processes=0` uses one thread of the worker (the fast rules on one core); `processes=N` a pool of N
    processes, each with its own extractor (spaCy holds the GIL; the rules in a thread would share it
    with the event loop). Processes
    are spawned, not forked, since the worker already runs threads, and end when the worker ends,
    however it ends (`die_with_parent`).

    Extraction warms up as the pool is made, off the event loop, while the worker joins its group:
    the processes are started at once (a pool spawns them only on a first task) and load their
    extractor, the thread loads the worker's. Nothing waits for it (a first batch simply queues behind
    it) but `wait_ready`. The event loop never loads a model. A process's outcomes come back without
    their articles (`_extract_in_process`).
    """

    def __init__(self, pipeline: Pipeline | Settings) -> None:
        """A pool for `pipeline` (a thread extracts with it), or for `Settings` alone when the pool runs
        processes: each builds its own pipeline from them, so `stancewire run` starts them before it has
        loaded anything of its own (they warm up while it reads its files, imports Faust and joins)."""
        settings = pipeline if isinstance(pipeline, Settings) else pipeline.settings
        self.pipeline = None if isinstance(pipeline, Settings) else pipeline
        self.executor: Executor
        processes = self.processes_for(pipeline)
        self.workers = max(1, processes)
        warming: list[Future[Any]]
        if processes > 0:
            self.executor = ProcessPoolExecutor(
                processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_extract_process,
                initargs=(dict(settings.to_env()), os.getpid()),
            )
            self._run = _extract_in_process
            warming = [self.executor.submit(_process_ready) for _ in range(processes)]  # one process each
        elif isinstance(pipeline, Settings):
            raise ValueError("a pool extracting in a thread needs the worker's Pipeline, not its Settings")
        else:
            self.executor = ThreadPoolExecutor(1, thread_name_prefix="stancewire-extract")
            self._run = pipeline.extract_batch
            warming = [self.executor.submit(warm_up, pipeline)]
        self.warming = warming

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until every extraction worker has warmed up (True), or `timeout` seconds have passed."""
        done, _ = wait(self.warming, timeout)
        for future in done:
            future.result()  # a failed warm-up raises here
        return len(done) == len(self.warming)

    @staticmethod
    def processes_for(pipeline: Pipeline | Settings) -> int:
        """The processes a pool for `pipeline` (or these settings) runs (0: a thread), its extractor not
        loaded to know it: `extract_processes`, or for auto (-1) one for the parser, and one for the
        rules when the worker may use two cores or more: in a thread the rules share the event loop's
        GIL (consuming, producing, changelogs, deliveries), in a process they run beside it (1.6x the
        fast worker's burst throughput on 2 cores, no more CPU: docs/performance.md). On one core a
        thread does not pay the pickling of outcomes between processes."""
        settings = pipeline if isinstance(pipeline, Settings) else pipeline.settings
        if settings.extract_processes >= 0:
            return settings.extract_processes
        loaded = not isinstance(pipeline, Settings) and "extractor" in vars(pipeline)  # given to it, or loaded
        name = pipeline.extractor.name if loaded else extractor_name(settings.extractor)  # type: ignore[union-attr]
        return 1 if name == "parsed" or usable_cores() >= 2 else 0

    async def extract(self, records: list[tuple[bytes | None, Origin]]) -> list[ExtractOutcome]:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._run, records)

    async def batches(
        self,
        stream: Any,
        size: int,
        origin: Callable[[Any], Origin],
        on_extracted: Callable[[float, int], None] | None = None,
    ) -> AsyncIterator[tuple[list[Any], list[ExtractOutcome]]]:
        """Batches of `stream`'s events (Faust `events()`) with their outcomes, in stream order.

        Batched as a group commit: when an extraction worker is free, the events waiting (up to `size`)
        are extracted at once, however few; only while every worker is busy do they gather, and a full
        batch then waits its turn (one beyond the workers), so a worker that finishes starts the next
        batch at once. No timer: a lone article is not held back for company that may never come (the
        last of a burst, or each of a slow feed).

        While the caller publishes one batch's outputs, the next ones are extracted, so neither the
        extractor nor the event loop waits for the other. Each event is the caller's to acknowledge
        (`event.ack()`) once its outputs are published: the stream acknowledges an event as soon as
        the next one is read, so every event is held with one more reference until then, and an offset
        is never committed before its outputs are sent (a worker that stops extracts them again).
        `origin(event)` names an event's place, for its dead letters; `on_extracted(seconds, articles)`
        is called as each batch's extraction ends."""
        loop = asyncio.get_running_loop()
        waiting: deque[Any] = deque()  # read, not yet extracting
        in_flight: deque[tuple[list[Any], asyncio.Future[list[ExtractOutcome]]]] = deque()
        wake: list[asyncio.Future[None]] = [loop.create_future()]  # resolved when there is something to do
        room = asyncio.Event()  # set when the reader may read again

        def woken(_: object = None) -> None:
            if not wake[0].done():
                wake[0].set_result(None)

        async def read() -> None:
            events = stream.events()
            try:
                async for event in events:
                    event.message.incref()  # held until the caller's ack (see above)
                    waiting.append(event)
                    if len(waiting) == 1 or len(waiting) >= size:  # what a free worker or a full batch acts on;
                        woken()  # the events between wake nobody: a finished batch wakes the loop for them
                    while len(waiting) >= size:  # the rest stays in the stream's queue, under Faust's flow control
                        room.clear()
                        await room.wait()
            finally:
                await events.aclose()

        reader = asyncio.ensure_future(read())
        reader.add_done_callback(woken)  # the stream ended or failed: what was read is still extracted, or it raises
        try:
            while True:
                # a free worker is given what waits before a finished batch is handed to the caller
                busy = sum(not outcomes.done() for _, outcomes in in_flight)
                if waiting and len(in_flight) <= self.workers and (busy < self.workers or len(waiting) >= size):
                    events = [waiting.popleft() for _ in range(min(size, len(waiting)))]
                    room.set()
                    outcomes = self._submit(events, origin, on_extracted)
                    outcomes.add_done_callback(woken)
                    in_flight.append((events, outcomes))
                    continue
                if in_flight and in_flight[0][1].done():
                    events, outcomes = in_flight.popleft()
                    yield events, outcomes.result()
                    continue
                if reader.done():
                    reader.result()  # the stream's error, if it failed
                    if not waiting and not in_flight:
                        break
                wake[0] = loop.create_future()
                await wake[0]
        finally:
            for _, outcomes in in_flight:
                outcomes.cancel()
            reader.cancel()
            await asyncio.wait({reader})  # ended before the generator is closed; what it read is moot

    def _submit(
        self, events: list[Any], origin: Callable[[Any], Origin], on_extracted: Callable[[float, int], None] | None
    ) -> asyncio.Future[list[ExtractOutcome]]:
        started = time.perf_counter()
        future = asyncio.ensure_future(self.extract([(event.value, origin(event)) for event in events]))
        if on_extracted is not None:
            future.add_done_callback(lambda _: on_extracted(time.perf_counter() - started, len(events)))
        return future

    def close(self, wait: bool = False) -> None:
        """Stop extracting (batches not begun are dropped: their events were never acked). `wait` for the
        workers to end, as a worker does at its very end: Python 3.11 can report a closed pipe at exit
        when a process pool is still shutting down then (a race in its exit hook, no record involved)."""
        self.executor.shutdown(wait=wait, cancel_futures=True)
