"""Hostile records on a real broker: oversized values and keys, a compressed bomb, a killed parsed worker.

Each oversized record lands in news.dlq with its reason and a bounded prefix of its bytes (with the
original size and sha256), the valid articles around it in the same batch are extracted, and the
worker stays up. A worker killed with SIGKILL leaves no extraction process behind.
"""

from __future__ import annotations

import base64
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from kafka import KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType

from schemas import DeadLetter, encode
from streams.broker.admin import connect_admin
from streams.cli.bench import corpus
from streams.settings import Settings
from tests.kafka_fixtures import Broker, Worker, collect
from tests.runtime.test_child_processes import alive, children_of, wait_until

pytestmark = pytest.mark.kafka

MB = 1024 * 1024


def allow_large_records(broker: Broker, settings: Settings) -> None:
    """Let Apache Kafka take a 3 MB record on news.raw, as a misconfigured cluster would (Tansu does not check)."""
    if broker.kind != "apache":
        return
    admin = connect_admin(settings.bootstrap_servers())
    try:
        resource = ConfigResource(
            ConfigResourceType.TOPIC, settings.topics.raw, configs={"max.message.bytes": str(8 * MB)}
        )
        admin.alter_configs([resource])
    finally:
        admin.close()


@pytest.mark.parametrize("any_broker", ["embedded", "apache"], indirect=True)
def test_oversized_records_and_a_compressed_bomb_are_bounded_dead_letters_and_the_batch_goes_on(
    any_broker: Broker, settings: Settings, start_worker: Callable[..., Worker], report
) -> None:  # noqa: ANN001
    names = settings.topics
    allow_large_records(any_broker, settings)
    articles = corpus(24)
    hostile = {
        b"big-value": (os.urandom(3 * MB), "too_large"),
        b"k" * (900 * 1024): (b'{"id": "bad", "headline": ', "invalid_json"),
        b"bomb": (b'{"id": "bomb", "body": "' + b"A" * (50 * MB) + b'"}', "too_large"),
    }
    plain = KafkaProducer(bootstrap_servers=settings.bootstrap_servers(), max_request_size=8 * MB)
    gzipped = KafkaProducer(
        bootstrap_servers=settings.bootstrap_servers(),
        compression_type="gzip",
        max_request_size=64 * MB,
    )
    # everything on partition 0, hostile records between valid ones: they share the worker's batches
    for i, article in enumerate(articles):
        plain.send(names.raw, key=article.id.encode(), value=encode(article), partition=0)
        if i == 4:
            plain.send(names.raw, key=b"big-value", value=hostile[b"big-value"][0], partition=0)
            plain.send(names.raw, key=b"k" * (900 * 1024), value=hostile[b"k" * (900 * 1024)][0], partition=0)
            plain.flush()
        if i == 8:
            gzipped.send(names.raw, key=b"bomb", value=hostile[b"bomb"][0], partition=0)
            gzipped.flush()
            plain.flush()
    plain.flush()
    plain.close()
    gzipped.close()
    worker = start_worker()

    expected = {a.id for a in articles}
    found = collect(
        settings,
        [names.dlq, names.statements],
        lambda f: len(f[names.dlq]) >= len(hostile) and expected <= {s.article_id for s in f[names.statements]},
        timeout=120,
    )
    letters: list[DeadLetter] = found[names.dlq]
    seen = {s.article_id for s in found[names.statements]} & expected
    report(
        f"hostile {any_broker.kind}: valid={len(articles)} extracted={len(seen)} hostile={len(hostile)} "
        f"dead_letters={len(letters)} largest_letter={max((len(encode(d)) for d in letters), default=0)}"
    )
    assert len(letters) == len(hostile), worker.log_tail()
    by_sha = {hashlib.sha256(key).hexdigest(): (key, value, reason) for key, (value, reason) in hostile.items()}
    for letter in letters:
        key, value, reason = by_sha[letter.key_sha256 or ""]
        assert letter.reason == reason, letter.error
        assert letter.source_topic == names.raw and letter.offset is not None
        assert letter.value_size == len(value) and letter.value_sha256 == hashlib.sha256(value).hexdigest()
        assert letter.key_size == len(key)
        kept = base64.b64decode(letter.value_b64)
        assert value.startswith(kept) and len(encode(letter)) <= settings.max_message_bytes()
        assert letter.truncated == (len(kept) < len(value) or len(key) > 1024)
    assert seen == expected, worker.log_tail()
    assert worker.alive() and "Traceback" not in worker.log_tail(400), worker.log_tail()


def extraction_processes(pid: int) -> list[int]:
    """The worker's children that run multiprocessing's spawn entry point (the parsed extractor's pool)."""
    found = []
    for child in children_of(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"multiprocessing" in cmdline:
            found.append(child)
    return found


@pytest.mark.parametrize("any_broker", ["embedded"], indirect=True)
def test_kill_9_of_a_parsed_worker_leaves_no_child_process(
    settings: Settings, start_worker: Callable[..., Worker], report
) -> None:  # noqa: ANN001
    worker = start_worker(extractor="parsed", extract_processes=1)
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers())
    (article,) = corpus(1)
    producer.send(settings.topics.raw, key=article.id.encode(), value=encode(article))
    producer.close()
    collect(settings, [settings.topics.statements], lambda f: bool(f[settings.topics.statements]), timeout=120)
    assert wait_until(lambda: bool(extraction_processes(worker.proc.pid)), timeout=30), worker.log_tail()
    children = children_of(worker.proc.pid)  # the spaCy process and multiprocessing's resource tracker
    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait(15)
    started = time.monotonic()
    gone = wait_until(lambda: not any(alive(pid) for pid in children), timeout=15)
    report(
        f"kill -9 parsed worker: children={len(children)} left={sum(map(alive, children))} "
        f"seconds={time.monotonic() - started:.1f}"
    )
    assert gone, [pid for pid in children if alive(pid)]


# A stand-in for demo or bench: spawns a worker with `spawn_worker`, then is killed with SIGKILL.
SUPERVISOR = """
import sys, time
from pathlib import Path
from streams.runtime.worker import spawn_worker
from streams.settings import Settings

proc = spawn_worker(Settings.model_validate_json(sys.argv[1]), Path(sys.argv[2]))
print(proc.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("any_broker", ["embedded"], indirect=True)
def test_a_spawned_worker_ends_when_the_process_that_started_it_is_killed(
    settings: Settings, tmp_path: Path, report
) -> None:  # noqa: ANN001
    from streams.runtime.worker import prepare_topics

    prepare_topics(settings)
    log = tmp_path / "worker.log"
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, settings.model_dump_json(), str(log)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert supervisor.stdout is not None
        worker = int(supervisor.stdout.readline())
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers())
        (article,) = corpus(1)
        producer.send(settings.topics.raw, key=article.id.encode(), value=encode(article))
        producer.close()
        collect(settings, [settings.topics.statements], lambda f: bool(f[settings.topics.statements]), timeout=90)
        assert alive(worker), log.read_text(errors="replace")[-3000:]
        os.kill(supervisor.pid, signal.SIGKILL)
        supervisor.wait(10)
        started = time.monotonic()
        gone = wait_until(lambda: not alive(worker), timeout=15)
        report(f"kill -9 of a worker's parent: worker gone={gone} seconds={time.monotonic() - started:.1f}")
        assert gone
    finally:
        if supervisor.poll() is None:
            supervisor.kill()


def tansu_children(pid: int) -> list[tuple[int, int]]:
    """(pid, port) of each Tansu broker process `pid` started (its listener URL names the port)."""
    found = []
    for child in children_of(pid):
        try:
            args = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if args and Path(args[0].decode(errors="replace")).name == "tansu" and b"--listener-url" in args:
            url = args[args.index(b"--listener-url") + 1].decode()
            found.append((child, int(url.rsplit(":", 1)[1])))
    return found


def test_kill_9_of_run_leaves_no_embedded_broker(tmp_path: Path, report) -> None:  # noqa: ANN001
    """`stancewire run` with no --broker starts Tansu; `kill -9` of the run takes its Tansu with it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STANCEWIRE_")}
    env.update(STANCEWIRE_EXTRACTOR="fast", STANCEWIRE_DATA_DIR=str(tmp_path / "state"))
    log = (tmp_path / "run.log").open("wb")
    run = subprocess.Popen(
        [sys.executable, "-m", "streams", "run"], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    brokers: list[tuple[int, int]] = []
    try:
        assert wait_until(lambda: bool(tansu_children(run.pid)), timeout=30), (tmp_path / "run.log").read_text()
        brokers = tansu_children(run.pid)
        ((tansu, port),) = brokers
        settings = Settings(broker=f"kafka://127.0.0.1:{port}", extractor="fast")
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers())
        (article,) = corpus(1)
        producer.send(settings.topics.raw, key=article.id.encode(), value=encode(article))
        producer.close()
        found = collect(settings, [settings.topics.statements], lambda f: bool(f[settings.topics.statements]), 90)
        assert found[settings.topics.statements], (tmp_path / "run.log").read_text(errors="replace")[-3000:]
        os.kill(run.pid, signal.SIGKILL)
        run.wait(15)
        started = time.monotonic()
        gone = wait_until(lambda: not alive(tansu), timeout=15)
        report(f"kill -9 of run: its Tansu gone={gone} seconds={time.monotonic() - started:.1f}")
        assert gone, f"Tansu {tansu} (port {port}) outlived its run"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(15)
        for pid, _port in brokers:  # never leave one behind, even when the test fails
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        log.close()
