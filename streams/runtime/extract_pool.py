"""Extraction off the Faust event loop: a thread for the rules, a spawned process pool for the parser."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

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

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
