"""Running the Faust worker: create the topics, build the app, hand it to Faust's Worker."""

from __future__ import annotations

import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

from faust.worker import Worker

from streams.broker.admin import ensure_topics
from streams.core.pipeline import Pipeline
from streams.core.processes import die_with_parent
from streams.runtime.app import create_app
from streams.runtime.extract_pool import ExtractPool
from streams.runtime.logs import logging_config
from streams.runtime.topics import all_topic_partitions, topic_configs
from streams.settings import Settings

__all__ = ["PARENT_ENV", "describe", "prepare_topics", "run_worker", "spawn_worker", "stop_process"]

PARENT_ENV = "STANCEWIRE_WORKER_PARENT"  # set by spawn_worker: the worker ends when that process ends


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


def describe(settings: Settings) -> str:
    """The settings an operator checks first, for the start-up log line; never a secret's value."""
    parts = {
        "broker": settings.bootstrap_servers() if settings.broker else "embedded",
        "security": settings.kafka_security_protocol(),
        "sasl": f"{settings.sasl_mechanism} as {settings.sasl_username}" if settings.sasl_mechanism else None,
        "app_id": settings.app_id,
        "prefix": settings.topic_prefix or None,
        "partitions": settings.partitions,
        "guarantee": settings.processing_guarantee,
        "web": f"{settings.web_bind}:{settings.web_port} as {settings.web_url()}"
        + (" (token required)" if settings.web_token else "")
        if settings.web_enabled
        else "off",
    }
    return ", ".join(f"{key}={value}" for key, value in parts.items() if value is not None)


def run_worker(
    settings: Settings, loglevel: str = "info", pool: ExtractPool | None = None, pipeline: Pipeline | None = None
) -> None:
    """Run one worker until it is stopped (SIGINT/SIGTERM). The topics must exist already.

    A worker started by `spawn_worker` (demo, bench, the tests) also ends when the process that
    started it ends, even by `kill -9`: it checks its parent every second. `pool`: extraction started
    early (`stancewire run` starts it before it imports Faust, so a parser process loads its model
    while the worker starts); it is closed here when the worker ends. `pipeline`: the worker's, when its
    files were loaded already (`stancewire run` loads them first, to fail on a bad one before starting)."""
    parent = os.environ.get(PARENT_ENV, "")
    if parent.isdigit() and int(parent) == os.getppid():  # not a variable inherited from further up
        die_with_parent(int(parent), kernel=False)
    secrets = settings.secret_values()
    logging.config.dictConfig(logging_config(loglevel, settings.log_format, secrets))  # it consumes its mapping
    app = create_app(settings, pipeline, pool)
    logging.getLogger("stancewire").info("worker starting: %s", describe(settings))
    worker = Worker(
        app,
        loglevel=loglevel,
        quiet=True,
        redirect_stdouts=False,
        logging_config=logging_config(loglevel, settings.log_format, secrets),
    )
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        if pool is not None:
            pool.close(wait=True)  # Faust has stopped: nothing is left to extract


def spawn_worker(settings: Settings, log_path: Path, loglevel: str = "info") -> subprocess.Popen[bytes]:
    """`stancewire run` as a child process with these settings (for demo, bench and the tests)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "streams", "run", "--log-level", loglevel],
            env={**os.environ, **settings.to_env(), PARENT_ENV: str(os.getpid())},
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
