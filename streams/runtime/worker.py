"""Running the Faust worker: create the topics, build the app, hand it to Faust's Worker."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from faust.worker import Worker

from streams.broker.admin import ensure_topics
from streams.runtime.app import create_app
from streams.runtime.topics import all_topic_partitions, topic_configs
from streams.settings import Settings

__all__ = ["prepare_topics", "run_worker", "spawn_worker", "stop_process"]


def prepare_topics(settings: Settings, timeout: float = 15.0) -> list[str]:
    """Create every topic the worker uses (with its partitions and configs) before Faust starts; with
    `create_topics` off, check that they all exist instead (TopicsMissing names those that do not)."""
    return ensure_topics(
        settings,
        all_topic_partitions(settings),
        replication_factor=settings.replication_factor,
        configs=topic_configs(settings),
        timeout=timeout,
        create=settings.create_topics,
    )


def run_worker(settings: Settings, loglevel: str = "info") -> None:
    """Run one worker until it is stopped (SIGINT/SIGTERM). The topics must exist already."""
    app = create_app(settings)
    logging.getLogger("stancewire").setLevel(loglevel.upper())
    worker = Worker(app, loglevel=loglevel, quiet=True, redirect_stdouts=False)
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise


def spawn_worker(settings: Settings, log_path: Path, loglevel: str = "info") -> subprocess.Popen[bytes]:
    """`stancewire run` as a child process with these settings (for demo, bench and the tests)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "streams", "run", "--log-level", loglevel],
            env={**os.environ, **settings.to_env()},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> int:
    """SIGTERM, then SIGKILL if it has not exited within `timeout`; return the exit code."""
    if proc.poll() is None:
        proc.terminate()
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait(timeout)
