"""Extraction processes end with their worker, even when the worker is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_until(condition, timeout: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


# A stand-in worker: an ExtractPool of two spawned processes (fast extractor), busy, then SIGKILLed.
WORKER = textwrap.dedent(
    """
    import asyncio, sys, time
    from streams.core.pipeline import Origin, Pipeline
    from streams.runtime.extract_pool import ExtractPool
    from streams.settings import Settings

    async def main():
        pool = ExtractPool(Pipeline(Settings(extractor="fast", extract_processes=2)))
        await asyncio.gather(*(pool.extract([(b"{}", Origin("news.raw"))]) for _ in range(4)))
        print("ready", flush=True)
        time.sleep(120)

    asyncio.run(main())
    """
)


def test_a_killed_worker_leaves_no_extraction_process() -> None:
    worker = subprocess.Popen([sys.executable, "-c", WORKER], stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        children = children_of(worker.pid)
        assert len(children) >= 2, children  # the pool's processes (and multiprocessing's resource tracker)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        assert wait_until(lambda: not any(alive(pid) for pid in children), timeout=10), [
            pid for pid in children if alive(pid)
        ]
    finally:
        if worker.poll() is None:
            worker.kill()


# Without prctl (as on other systems), the child's own check of its parent ends it within seconds.
ORPHAN = textwrap.dedent(
    """
    import os, subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", '''
    import os, sys, time
    import streams.core.processes as processes
    processes.ask_kernel_for_sigkill_at_parent_death = lambda: None  # as if there were no prctl
    processes.die_with_parent(int(sys.argv[1]))
    print("watching", flush=True)
    time.sleep(120)
    ''', str(os.getpid())])
    print(child.pid, flush=True)
    time.sleep(120)
    """
)


def test_without_prctl_the_parent_watch_ends_an_orphan() -> None:
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert parent.stdout.readline().strip() == "watching" and alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        assert wait_until(lambda: not alive(child), timeout=10)
    finally:
        if parent.poll() is None:
            parent.kill()
