"""The real Apache Kafka broker starts, serves kafka-python, and keeps its data across a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from streams.broker.admin import ensure_topics
from streams.broker.apache import ApacheKafka
from tests.kafka_fixtures import require_java

pytestmark = pytest.mark.kafka

TOPIC = "apache.smoke"
GROUP = "apache-smoke"


@pytest.fixture
def kafka(tmp_path: Path) -> Iterator[ApacheKafka]:
    require_java()
    broker = ApacheKafka(tmp_path / "kafka")
    try:
        yield broker
    finally:
        broker.stop()
        if broker.log_path.exists():
            print(f"--- {broker.log_path} (tail) ---")
            print("\n".join(broker.log_path.read_text(errors="replace").splitlines()[-30:]))


def read_all(bootstrap: str, expected: int, group: str | None = None, timeout: float = 20.0) -> list:
    """Records of TOPIC from the beginning of both partitions, until `expected` arrived or the timeout."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
    )
    try:
        if group:
            consumer.subscribe([TOPIC])
        else:
            consumer.assign([TopicPartition(TOPIC, p) for p in (0, 1)])
            consumer.seek_to_beginning()
        records: list = []
        deadline = time.monotonic() + timeout
        while len(records) < expected and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        if group:
            consumer.commit()
        return records
    finally:
        consumer.close()


def test_records_and_group_offsets_survive_a_restart(kafka: ApacheKafka) -> None:
    kafka.start()
    assert ensure_topics(kafka.bootstrap, {TOPIC: 2}) == [TOPIC]

    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap, acks="all", linger_ms=5)
    sent = {(p, f"k{p}-{i}".encode(), f"v{p}-{i}".encode()) for p in (0, 1) for i in range(3)}
    for partition, key, value in sorted(sent):
        producer.send(TOPIC, key=key, value=value, partition=partition)
    producer.flush(timeout=10)
    producer.close()

    def triples(records: list) -> set[tuple[int, bytes, bytes]]:
        return {(r.partition, r.key, r.value) for r in records}

    assert triples(read_all(kafka.bootstrap, len(sent), group=GROUP)) == sent

    kafka.restart()

    # the topic came back with its two partitions: nothing to create
    assert ensure_topics(kafka.bootstrap, {TOPIC: 2}) == []
    assert triples(read_all(kafka.bootstrap, len(sent))) == sent
    consumer = KafkaConsumer(bootstrap_servers=kafka.bootstrap, group_id=GROUP, enable_auto_commit=False)
    try:
        committed = {p: consumer.committed(TopicPartition(TOPIC, p)) for p in (0, 1)}
    finally:
        consumer.close()
    assert committed == {0: 3, 1: 3}
