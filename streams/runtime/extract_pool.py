"""Extraction off the Faust event loop: a thread for the rules, a spawned process pool for the parser."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from streams.core.pipeline import ExtractOutcome, Origin, Pipeline
from streams.core.processes import die_with_parent
from streams.settings import Settings

__all__ = ["ExtractPool", "die_with_parent"]

_PROCESS_PIPELINE: Pipeline | None = None


def _start_extract_process(settings_env: dict[str, str], parent: int) -> None:
    """The worker's settings arrive as its STANCEWIRE_* variables (`Settings.to_env`, the one way settings,
    secrets included, reach a child process); this process does nothing else, so they become its own."""
    global _PROCESS_PIPELINE
    die_with_parent(parent)
    os.environ.update(settings_env)
    _PROCESS_PIPELINE = Pipeline(Settings())
    _PROCESS_PIPELINE.extractor  # noqa: B018 - load the model now, not on the first batch
    _warm_language_model()


def _warm_language_model() -> None:
    """Load the language detector's model (0.6-1.5 s) before the first batch, not during it."""
    from streams.formats import detect_language

    detect_language("warm up the language model")


def _extract_in_process(records: list[tuple[bytes | None, Origin]]) -> list[ExtractOutcome]:
    assert _PROCESS_PIPELINE is not None, "extract process not initialised"
    return _PROCESS_PIPELINE.extract_batch(records)


class ExtractPool:
    """Runs `Pipeline.extract_batch` off the Faust event loop, so parsing never stalls the stream.

    `processes=0` uses one thread of the worker (enough for the fast rules); `processes=N` a pool of N
    processes, each with its own extractor (for the parsed extractor: spaCy holds the GIL). Processes
    are spawned, not forked, since the worker already runs threads, and end when the worker ends,
    however it ends (`die_with_parent`).
    """

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.executor: Executor
        processes = pipeline.settings.extract_processes
        if processes < 0:  # auto: a process for the parser, the loop's own thread pool for the rules
            processes = 1 if pipeline.extractor.name == "parsed" else 0
        self.workers = max(1, processes)
        if processes > 0:
            self.executor = ProcessPoolExecutor(
                processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_extract_process,
                initargs=(dict(pipeline.settings.to_env()), os.getpid()),
            )
            self._run = _extract_in_process
        else:
            self.executor = ThreadPoolExecutor(1, thread_name_prefix="stancewire-extract")
            self.executor.submit(_warm_language_model)  # while the worker joins its group
            self._run = pipeline.extract_batch

    async def extract(self, records: list[tuple[bytes | None, Origin]]) -> list[ExtractOutcome]:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._run, records)

    async def batches(
        self,
        stream: Any,
        size: int,
        within: float,
        origin: Callable[[Any], Origin],
        on_extracted: Callable[[float, int], None] | None = None,
    ) -> AsyncIterator[tuple[list[Any], list[ExtractOutcome]]]:
        """Each batch of `stream`'s events (Faust `take_events`) with its outcomes, in stream order.

        Pipelined: while the caller publishes one batch's outputs, the next batches (one per
        extraction worker, plus one) are already being extracted, so neither the extractor nor the
        event loop waits for the other. Each event is the caller's to acknowledge (`event.ack()`) once
        its outputs are published: `take_events` acknowledges a batch as soon as the next one is
        asked for, so every event is held with one more reference until then, and an offset is never
        committed before its outputs are sent (a worker that stops extracts them again).
        `origin(event)` names an event's place, for its dead letters; `on_extracted(seconds, articles)`
        is called as each batch's extraction ends."""
        batches = stream.take_events(size, within=within).__aiter__()
        in_flight: deque[tuple[list[Any], asyncio.Future[list[ExtractOutcome]]]] = deque()
        taking: asyncio.Future[Any] | None = None
        try:
            while True:
                if taking is None and len(in_flight) <= self.workers:
                    taking = asyncio.ensure_future(batches.__anext__())
                waits: set[asyncio.Future[Any]] = {in_flight[0][1]} if in_flight else set()
                if taking is not None:
                    waits.add(taking)
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                if in_flight and in_flight[0][1].done():
                    events, outcomes = in_flight.popleft()
                    yield events, outcomes.result()
                    continue
                if taking is not None and taking.done():
                    try:
                        events = list(taking.result())
                    except StopAsyncIteration:
                        taking = None
                        break
                    taking = None
                    for event in events:
                        event.message.incref()  # held until the caller's ack (see above)
                    in_flight.append((events, self._submit(events, origin, on_extracted)))
            while in_flight:  # the stream ended: what was taken is still published
                events, outcomes = in_flight.popleft()
                yield events, await outcomes
        finally:
            for _, outcomes in in_flight:
                outcomes.cancel()
            if taking is not None:
                taking.cancel()
                await asyncio.wait({taking})  # ended before the generator is closed; its outcome is moot
            await batches.aclose()

    def _submit(
        self, events: list[Any], origin: Callable[[Any], Origin], on_extracted: Callable[[float, int], None] | None
    ) -> asyncio.Future[list[ExtractOutcome]]:
        started = time.perf_counter()
        future = asyncio.ensure_future(self.extract([(event.value, origin(event)) for event in events]))
        if on_extracted is not None:
            future.add_done_callback(lambda _: on_extracted(time.perf_counter() - started, len(events)))
        return future

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
