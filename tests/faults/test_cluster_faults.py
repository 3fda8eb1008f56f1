"""Fault suite on a 3-broker Apache Kafka cluster: the leader of the input partitions is SIGKILLed mid-stream.

The cluster (`kafka_cluster`, tests/kafka_fixtures.py: kafka.sh cluster, 3 combined nodes on
127.0.0.1) starts once per session. Every topic has replication factor 3 and `min.insync.replicas=2`;
every producer (the feeder, the worker) sends with acks=all. Both partitions of `news.raw` are created
with the same preferred leader, the broker that also coordinates the worker's consumer group, so one
SIGKILL takes the input's leader and the group coordinator at once. A feeder sends articles at a steady
rate while a `stancewire run` worker (fast extractor) processes them; mid-stream the leader is killed:

- `test_leader_killed_mid_stream`: the broker stays dead to the end; the stream goes on with two.
- `test_leader_killed_and_restarted_mid_stream`: the broker is started again while the stream goes on
  (the feeder holds its last third until the restart begins), and must rejoin news.raw's ISR.

Asserted under both guarantees: every article fed has its statement (missing=0), every redelivered
statement equals its first copy; under exactly-once also duplicates=0 and the stages after extraction
exact (the fault suite's `downstream_problems`). Each test prints one figures line.

Bounded: STANCEWIRE_FAULT_ARTICLES articles (default 300): the first tenth at once, the rest at
STANCEWIRE_FAULT_RATE articles/s (default 15), so a test is ~20 s of stream. For a longer run:
`STANCEWIRE_FAULT_ARTICLES=3000 .venv/bin/pytest tests/faults/test_cluster_faults.py -m kafka`.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka.admin import NewTopic

from schemas import RawArticle
from streams.broker.admin import connect_admin
from streams.broker.apache import ApacheKafkaCluster
from streams.broker.producer import feed_articles, make_producer
from streams.cli.bench import corpus
from streams.runtime.worker import prepare_topics
from streams.settings import Settings
from tests.faults.test_faults import coverage, downstream_problems, feed, wait_for_records
from tests.kafka_fixtures import Worker

pytestmark = [pytest.mark.kafka, pytest.mark.timeout(600)]

ARTICLES = int(os.environ.get("STANCEWIRE_FAULT_ARTICLES", "300"))
RATE = float(os.environ.get("STANCEWIRE_FAULT_RATE", "15"))
OFFSETS_PARTITIONS = 4  # kafka.sh cluster: offsets.topic.num.partitions


def java_hash(text: str) -> int:
    """Java's String.hashCode (for the BMP), as Kafka hashes a group id to its offsets partition."""
    h = 0
    for char in text:
        h = (31 * h + ord(char)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def coordinator_partition(group: str) -> int:
    h = java_hash(group)
    return 0 if h == -(1 << 31) else abs(h) % OFFSETS_PARTITIONS  # Kafka's Utils.abs, then the modulo


def describe(cluster: ApacheKafkaCluster, topics: list[str] | None = None) -> list[dict]:
    admin = connect_admin(cluster.bootstrap, timeout=15)
    try:
        return admin.describe_topics(topics)
    finally:
        admin.close()


def leaders(cluster: ApacheKafkaCluster, topic: str) -> set[int]:
    [meta] = describe(cluster, [topic])
    return {p["leader_id"] for p in meta["partitions"]}


def wait_until(what: str, probe, timeout: float, interval: float = 0.5):  # noqa: ANN001
    """probe() until truthy (errors while brokers change count as not yet), at most `timeout` s."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if value := probe():
                return value
        except Exception as exc:  # noqa: BLE001 - a cluster in transition answers with errors for a while
            last = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last error: {last!r})")


def heal(cluster: ApacheKafkaCluster) -> None:
    """Every node running and every partition of every topic with its full ISR (the next test needs
    three replicas again), bounded."""
    for node, up in cluster.running().items():
        if not up:
            cluster.start_broker(node)

    def whole() -> bool:
        return all(
            len(p["isr_nodes"]) == len(p["replica_nodes"]) and p["leader_id"] >= 0
            for meta in describe(cluster)
            for p in meta["partitions"]
        )

    wait_until("every ISR to be full again", whole, timeout=120)


@pytest.fixture
def cluster(kafka_cluster: ApacheKafkaCluster) -> Iterator[ApacheKafkaCluster]:
    heal(kafka_cluster)
    yield kafka_cluster
    heal(kafka_cluster)


@pytest.fixture
def cluster_settings(cluster: ApacheKafkaCluster, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    run = f"c{uuid.uuid4().hex[:8]}"
    return Settings(
        broker=cluster.url,
        partitions=2,
        topic_prefix=f"{run}.",
        app_id=run,
        data_dir=tmp_path / "state",
        replication_factor=3,
        min_insync_replicas=2,
        extractor="fast",
        processing_guarantee=request.param,
    )


def pin_input_leader(cluster: ApacheKafkaCluster, settings: Settings) -> int:
    """Create news.raw with both partitions led by the broker that coordinates the worker's group; return it."""
    partition = coordinator_partition(settings.app_id)
    admin = connect_admin(cluster.bootstrap, timeout=15)
    try:
        # asking for the group's offsets finds its coordinator, which creates __consumer_offsets on a new cluster
        wait_until("the group coordinator", lambda: admin.list_group_offsets(settings.app_id) is not None, 60)
        [offsets] = describe(cluster, ["__consumer_offsets"])
        leader = next(p["leader_id"] for p in offsets["partitions"] if p["partition_index"] == partition)
        others = [n for n in (1, 2, 3) if n != leader]
        topic = NewTopic(
            settings.topics.raw,
            replica_assignments={0: [leader, *others], 1: [leader, *reversed(others)]},
            topic_configs={"min.insync.replicas": "2"},
        )
        admin.create_topics([topic], timeout_ms=15_000)
    finally:
        admin.close()
    wait_until("news.raw's leaders", lambda: leaders(cluster, settings.topics.raw) == {leader}, timeout=30)
    return leader


class Feeder(threading.Thread):
    """Sends `articles` to news.raw at `rate`/s with acks=all (the feed command's producer), in a thread."""

    def __init__(
        self, settings: Settings, articles: list[RawArticle], rate: float, hold_from: int | None = None
    ) -> None:
        super().__init__(daemon=True)
        self.settings, self.articles, self.rate = settings, articles, rate
        self.hold_from = hold_from  # articles from this index wait for `resume` (bounded)
        self.resume = threading.Event()
        self.report = None
        self.read = 0  # articles handed to the producer so far
        self.error: BaseException | None = None

    def paced(self) -> Iterator[RawArticle]:
        started = time.monotonic()
        for i, article in enumerate(self.articles):
            if i == self.hold_from:
                self.resume.wait(300)
                started = time.monotonic() - i / self.rate
            time.sleep(max(0.0, started + i / self.rate - time.monotonic()))
            yield article

    def progress(self, read: int, _report: object) -> None:
        self.read = read

    def run(self) -> None:
        try:
            producer = make_producer(self.settings, timeout=60)
            try:
                self.report = feed_articles(
                    producer, self.settings.topics.raw, self.paced(), flush_timeout=120, on_progress=self.progress
                )
            finally:
                producer.close(timeout=10)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc


def run_stream(cluster: ApacheKafkaCluster, settings: Settings, tmp_path: Path, restart: bool, report) -> None:  # noqa: ANN001
    leader = pin_input_leader(cluster, settings)
    prepare_topics(settings, timeout=30)
    articles = corpus(ARTICLES)
    warm, rest = articles[: ARTICLES // 10], articles[ARTICLES // 10 :]
    worker = Worker(settings, tmp_path / "worker.log")
    # restart: the last third waits until the restart begins, so the stream goes on while the broker rejoins
    feeder = Feeder(settings, rest, RATE, hold_from=len(rest) * 2 // 3 if restart else None)
    names = settings.topics
    try:
        # The first tenth at once, and the rest at RATE once the worker is processing (an exactly-once
        # worker takes longer to start): the kill lands in the middle of the paced stream.
        feed(settings, warm)
        wait_for_records(settings, names.statements, len(warm), timeout=120)
        feeder.start()
        before_kill = len(warm) + ARTICLES // 10
        wait_for_records(settings, names.statements, before_kill, timeout=120)
        killed_at = time.monotonic()
        cluster.kill_broker(leader)
        mid_stream = feeder.is_alive()
        # the stream goes on with two brokers: new leaders, statements keep coming
        wait_until("new leaders of news.raw", lambda: leader not in leaders(cluster, names.raw), timeout=60)
        failover = time.monotonic() - killed_at
        wait_for_records(settings, names.statements, before_kill + 10, timeout=180)  # progress on two brokers
        fed_during_restart = restart_seconds = 0.0
        if restart:
            before, started = feeder.read, time.monotonic()
            feeder.resume.set()
            cluster.start_broker(leader)
            fed_during_restart, restart_seconds = feeder.read - before, time.monotonic() - started
            wait_until(
                "the restarted broker back in news.raw's ISR",
                lambda: all(leader in p["isr_nodes"] for p in describe(cluster, [names.raw])[0]["partitions"]),
                timeout=120,
            )
        feeder.join(ARTICLES / RATE + 180)
        assert not feeder.is_alive(), "the feeder did not finish"
        assert feeder.error is None, repr(feeder.error)
        assert feeder.report.sent == len(rest) and not feeder.report.failed, feeder.report.failed[:5]
        expected = {a.id for a in articles}
        seen, records, distinct, identical = coverage(settings, expected, timeout=240)
        missing, duplicates = len(articles) - len(seen), records - distinct
        exactly_once = settings.processing_guarantee == "exactly_once"
        problems: list[str] = []
        line = (
            f"cluster-leader-{'restart' if restart else 'kill'} apache-3 {settings.processing_guarantee}: "
            f"fed={len(articles)} rate={RATE:g}/s killed=broker{leader} mid_stream={mid_stream} "
            f"new_leader_after={failover:.1f}s"
            + (f" restart={restart_seconds:.1f}s fed_during_restart={fed_during_restart}" if restart else "")
            + f" seen={len(seen)} missing={missing} duplicates={duplicates}"
        )
        if exactly_once:
            problems, counts = downstream_problems(settings, expected, timeout=120)
            line += (
                f" stances={counts[names.stances]} changes={counts[names.changes]}"
                f" downstream={'exact' if not problems else '; '.join(problems)}"
            )
        report(line)
        assert mid_stream, "the feeder had finished before the kill: raise STANCEWIRE_FAULT_ARTICLES"
        assert not restart or fed_during_restart > 0, "nothing was fed while the broker restarted"
        assert worker.alive(), worker.log_tail()
        assert missing == 0, worker.log_tail()
        assert identical, "a redelivered statement differs from its first copy"
        if exactly_once:
            assert duplicates == 0, worker.log_tail()
            assert not problems, problems
    finally:
        code = worker.stop()
        print(f"--- worker.log (exit {code}) ---\n{worker.log_tail()}")


GUARANTEES = ["at_least_once", "exactly_once"]


@pytest.mark.parametrize("cluster_settings", GUARANTEES, indirect=True)
def test_leader_killed_mid_stream(
    cluster: ApacheKafkaCluster, cluster_settings: Settings, tmp_path: Path, report
) -> None:  # noqa: ANN001
    run_stream(cluster, cluster_settings, tmp_path, restart=False, report=report)


@pytest.mark.parametrize("cluster_settings", GUARANTEES, indirect=True)
def test_leader_killed_and_restarted_mid_stream(
    cluster: ApacheKafkaCluster, cluster_settings: Settings, tmp_path: Path, report
) -> None:  # noqa: ANN001
    run_stream(cluster, cluster_settings, tmp_path, restart=True, report=report)
