"""Real-broker fixtures: one embedded Tansu broker per session, a fresh topic prefix per test.

Workers run as `stancewire run` subprocesses, input goes in with `stancewire feed` or kafka-python,
and every downstream topic is read back with kafka-python: no mocks between us and the broker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from schemas import decode
from streams.broker.embedded import EmbeddedBroker
from streams.settings import Settings
from streams.tail import TopicReader, model_for_topic
from streams.worker import prepare_topics, spawn_worker, stop_process


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    log = tmp_path_factory.mktemp("tansu") / "tansu.log"
    with EmbeddedBroker(log_path=log) as running:
        yield running


@pytest.fixture
def settings(broker: EmbeddedBroker, tmp_path: Path) -> Settings:
    """Settings for one test: its own topic prefix and consumer group on the shared broker."""
    run = f"t{uuid.uuid4().hex[:8]}"
    return Settings(broker=broker.url, partitions=2, topic_prefix=f"{run}.", app_id=run, data_dir=tmp_path / "state")


class Worker:
    def __init__(self, settings: Settings, log: Path) -> None:
        self.settings = settings
        self.log = log
        self.proc = spawn_worker(settings, log)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


@pytest.fixture
def worker(settings: Settings, tmp_path: Path) -> Iterator[Worker]:
    prepare_topics(settings)
    running = Worker(settings, tmp_path / "worker.log")
    yield running
    code = stop_process(running.proc)
    print(f"--- worker log (exit {code}) ---\n{running.log_tail()}")


def cli(
    *args: str, settings: Settings | None = None, stdin: bytes | None = None, timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    """Run `stancewire ARGS` as a user would, in a child process."""
    env = {**os.environ, **(settings.to_env() if settings else {})}
    return subprocess.run(
        [sys.executable, "-m", "streams", *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def collect(
    settings: Settings, topics: list[str], done: Callable[[dict[str, list]], bool], timeout: float = 90.0
) -> dict[str, list]:
    """Read `topics` from the beginning until `done(records by topic)` or the timeout; values decoded."""
    found: dict[str, list] = {t: [] for t in topics}
    deadline = time.monotonic() + timeout
    with TopicReader(settings.bootstrap_servers(), topics) as reader:
        while time.monotonic() < deadline and not done(found):
            for record in reader.poll(0.3):
                found[record.topic].append(decode(record.value, model_for_topic(record.topic, settings.topics)))
    return found
