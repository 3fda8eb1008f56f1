"""`stancewire tail`, `stancewire lag` and `feed`'s progress against real brokers (kafka-python, no mocks).

Records are produced one per request: Tansu reports a partition's end offset as the last batch's
base offset + 1, so a batch of several records would hide all but its first from `--offset end`.
"""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from schemas import encode
from streams.broker.admin import ensure_topics
from streams.broker.lag import LagMonitor, stages_of
from streams.broker.producer import feed_articles, make_producer
from streams.broker.reader import TopicReader
from streams.runtime.worker import prepare_topics
from streams.settings import Settings
from tests import factories
from tests.kafka_fixtures import Broker, cli

pytestmark = pytest.mark.kafka


def fresh_topic(broker: Broker, partitions: int = 2) -> str:
    name = f"tail-{uuid.uuid4().hex[:8]}"
    ensure_topics(broker.bootstrap, {name: partitions})
    return name


def produce(broker: Broker, topic: str, records: list[tuple[int, bytes, bytes, list]]) -> None:
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=0)
    try:
        for partition, key, value, headers in records:
            producer.send(topic, key=key, value=value, partition=partition, headers=headers).get(timeout=30)
    finally:
        producer.close()


def tail(broker: Broker, *args: str, env: dict | None = None):  # noqa: ANN201
    settings = Settings(broker=broker.url, **(env or {}))
    return cli("tail", *args, settings=settings, timeout=60)


@pytest.fixture
def topic(embedded_broker: Broker) -> str:
    name = fresh_topic(embedded_broker)
    records = [
        (p, f"k{p}-{i}".encode(), json.dumps({"p": p, "i": i}).encode(), [("trace", f"t{p}{i}".encode())])
        for i in range(3)
        for p in (0, 1)
    ]
    produce(embedded_broker, name, records)
    return name


def lines(result) -> list[str]:  # noqa: ANN001
    return result.stdout.splitlines()


def test_tail_offsets_partitions_and_counts(embedded_broker: Broker, topic: str) -> None:
    every = tail(embedded_broker, topic, "--offset", "beginning", "--timeout", "2", "--json")
    assert every.returncode == 0, every.stderr
    records = [json.loads(line) for line in lines(every)]
    assert len(records) == 6
    assert {(r["partition"], r["offset"]) for r in records} == {(p, o) for p in (0, 1) for o in range(3)}
    assert all(r["timestamp"] > 0 and r["headers"]["trace"].startswith("t") for r in records)
    assert "6 record(s) to read" in every.stderr and "read 6 record(s)" in every.stderr

    one = tail(embedded_broker, topic, "-p", "1", "-o", "beginning", "--timeout", "2", "-f", "%p:%o %k\\n")
    assert lines(one) == ["1:0 k1-0", "1:1 k1-1", "1:2 k1-2"]

    last = tail(embedded_broker, topic, "-p", "0", "-o", "-1", "-c", "1", "-f", "%o %s")
    assert last.returncode == 0 and last.stdout == '2 {"p": 0, "i": 2}'

    absolute = tail(embedded_broker, topic, "-p", "0", "-o", "1", "--timeout", "2", "-f", "%o\\n")
    assert lines(absolute) == ["1", "2"]

    started = time.monotonic()
    counted = tail(embedded_broker, topic, "--from-beginning", "--limit", "2", "-f", "%o\\n")  # the old names
    assert len(lines(counted)) == 2 and time.monotonic() - started < 30

    shown = tail(
        embedded_broker,
        topic,
        "-p",
        "1",
        "-o",
        "0",
        "-c",
        "1",
        "--print-key",
        "--print-timestamp",
        "--print-headers",
        "--print-offset",
    )
    assert shown.returncode == 0
    assert "1@0" in shown.stdout and "k1-0" in shown.stdout and "{trace=t10}" in shown.stdout
    assert "T" in shown.stdout.split()[1] and shown.stdout.split()[1].endswith("Z")

    missing = tail(embedded_broker, topic, "-p", "7")
    assert missing.returncode == 2 and "has no partition 7" in missing.stderr


def test_tail_group_commits_and_resumes(embedded_broker: Broker, topic: str) -> None:
    group = f"g-{uuid.uuid4().hex[:6]}"
    first = tail(embedded_broker, topic, "--group", group, "-o", "beginning", "-c", "4", "-f", "%p:%o\\n")
    assert first.returncode == 0 and len(lines(first)) == 4
    rest = tail(embedded_broker, topic, "--group", group, "--timeout", "2", "-f", "%p:%o\\n")
    assert rest.returncode == 0, rest.stderr
    assert sorted(lines(first) + lines(rest)) == sorted(f"{p}:{o}" for p in (0, 1) for o in range(3))
    again = tail(embedded_broker, topic, "-G", group, "--timeout", "1")
    assert again.stdout == "" and "no records in" in again.stderr
    stored = tail(embedded_broker, topic, "-G", group, "-o", "stored", "--timeout", "1")
    assert stored.stdout == ""


def test_tail_says_when_a_topic_is_empty(embedded_broker: Broker) -> None:
    empty = fresh_topic(embedded_broker)
    result = tail(embedded_broker, empty, "--timeout", "1")
    assert result.returncode == 0 and result.stdout == ""
    assert f"{empty} (2 partitions) is empty" in result.stderr and "no records in" in result.stderr
    one = tail(embedded_broker, empty, "-p", "1", "--timeout", "1", "--quiet")
    assert one.returncode == 0 and one.stderr == ""
    gone = tail(embedded_broker, "no-such-topic-here", "--timeout", "1")
    assert gone.returncode == 2 and "does not exist" in gone.stderr


@pytest.mark.parametrize("any_broker", ["apache"], indirect=True)
def test_a_patient_reader_gets_records_arriving_one_by_one_in_fewer_fetches(any_broker: Broker) -> None:
    # Records 50 ms apart: Apache Kafka answers a fetch as soon as a record arrives, so a reader fetching
    # at once gets each in its own batch; one whose broker holds each fetch 400 ms (`fetch_wait_ms`, the
    # bench's alert reader) gets them in a batch or two, none lost. (Tansu holds every fetch anyway.)
    name = fresh_topic(any_broker, partitions=1)
    batches: list[list[bytes | None]] = []
    with TopicReader(Settings(broker=any_broker.url), [name], fetch_wait_ms=400) as reader:
        reader.poll(0.1)

        def read() -> None:
            deadline = time.monotonic() + 20
            while sum(map(len, batches)) < 6 and time.monotonic() < deadline:
                if batch := reader.poll(0.1):
                    batches.append([record.value for record in batch])

        reading = threading.Thread(target=read)
        reading.start()
        for i in range(6):
            produce(any_broker, name, [(0, b"k", f"{i}".encode(), [])])
            time.sleep(0.05)
        reading.join()
    assert [value for batch in batches for value in batch] == [f"{i}".encode() for i in range(6)]
    assert len(batches) <= 3


@pytest.mark.parametrize("any_broker", ["apache"], indirect=True)
def test_tail_reads_committed_under_exactly_once(any_broker: Broker) -> None:
    name = fresh_topic(any_broker, partitions=1)
    producer = KafkaProducer(bootstrap_servers=any_broker.bootstrap, transactional_id=f"tx-{uuid.uuid4().hex[:6]}")
    try:
        producer.init_transactions()
        producer.begin_transaction()
        producer.send(name, b"committed", partition=0)
        producer.commit_transaction()
        producer.begin_transaction()
        producer.send(name, b"open", partition=0)
        producer.flush()
        args = (name, "-o", "beginning", "--timeout", "3", "-f", "%s\\n")
        assert "open" in lines(tail(any_broker, *args, "--isolation", "read_uncommitted"))
        assert lines(tail(any_broker, *args, "--isolation", "read_committed")) == ["committed"]
        guarded = tail(any_broker, *args, env={"processing_guarantee": "exactly_once"})
        assert lines(guarded) == ["committed"]
    finally:
        producer.abort_transaction()
        producer.close()


def test_lag_per_stage_with_rates(embedded_broker: Broker) -> None:
    run = f"l{uuid.uuid4().hex[:6]}"
    settings = Settings(broker=embedded_broker.url, topic_prefix=f"{run}.", app_id=run, partitions=2)
    prepare_topics(settings)
    produce(embedded_broker, settings.topics.raw, [(i % 2, f"a{i}".encode(), b"{}", []) for i in range(10)])
    with LagMonitor(embedded_broker.bootstrap, run, stages_of(settings)) as monitor:
        lags = {lag.stage: lag for lag in monitor.lags()}
        assert lags["extract"].waiting == 10 and not lags["extract"].consumed
        assert lags["track"].waiting == 0 and lags["track"].eta_seconds == 0.0
        consumer = KafkaConsumer(bootstrap_servers=embedded_broker.bootstrap, group_id=run, enable_auto_commit=False)
        try:
            consumer.commit({TopicPartition(settings.topics.raw, p): OffsetAndMetadata(2, "", -1) for p in (0, 1)})
        finally:
            consumer.close()
        time.sleep(2.1)
        lags = {lag.stage: lag for lag in monitor.lags()}
    extract = lags["extract"]
    assert extract.consumed and extract.waiting == 6
    assert extract.drain_rate and extract.drain_rate > 0 and extract.eta_seconds and extract.eta_seconds > 0

    shown = cli("lag", "--interval", "1", "--json", settings=settings)
    assert shown.returncode == 0, shown.stderr
    stages = {s["stage"]: s for s in json.loads(shown.stdout)["stages"]}
    assert stages["extract"]["waiting"] == 6 and "deliver" not in stages  # nothing consumes alerts here
    table = cli("lag", "--interval", "0", settings=settings)
    assert table.returncode == 0 and "extract" in table.stdout and run + ".news.raw" in table.stdout


def test_lag_without_a_broker_is_one_line() -> None:
    from tests.web.helpers import free_port

    result = cli("lag", "--interval", "0", "--broker", f"kafka://127.0.0.1:{free_port()}")
    assert result.returncode == 2 and "no Kafka broker answered" in result.stderr


def test_feed_reports_progress_as_it_sends(embedded_broker: Broker) -> None:
    name = fresh_topic(embedded_broker)
    articles = [factories.article(id=f"p{i}") for i in range(500)]
    calls: list[tuple[int, int]] = []
    producer = make_producer(embedded_broker.bootstrap)
    try:
        report = feed_articles(producer, name, articles, on_progress=lambda read, r: calls.append((read, r.sent)))
    finally:
        producer.close()
    assert report.sent == 500
    assert [read for read, _ in calls[:500]] == list(range(1, 501))
    assert calls[-1] == (500, 500)  # the last call comes after the flush: everything delivered
    assert encode(articles[0])  # the records fed are the factories' articles
