"""Where a table's changelog ends, as the recovery sees it (streams/runtime/corrections/recovery.py).

A changelog's last batch often holds several table updates. Recovery restores up to the end it is
given, so an end that stops at the batch's first record loses the rest on a restart (a story seen
just before it passed as fresh after it). `fetched_ends` must find the true end on both brokers.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition

from streams.broker.admin import ensure_topics
from streams.runtime.app import create_app
from streams.runtime.corrections.recovery import fetched_ends
from streams.settings import Settings
from tests.kafka_fixtures import Broker

pytestmark = pytest.mark.kafka


async def produce_batches(bootstrap: str, topic: str, sizes: list[int]) -> None:
    """Each group of `sizes` sent together, so that it travels as one batch."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=100)
    await producer.start()
    try:
        for size in sizes:
            sent = [await producer.send(topic, b"update %d" % i, key=b"k%d" % i, partition=0) for i in range(size)]
            await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def test_the_end_of_a_changelog_counts_every_record_of_its_last_batch(any_broker: Broker, tmp_path) -> None:  # noqa: ANN001
    topic = f"changelog-{uuid.uuid4().hex[:8]}"
    empty = f"{topic}-empty"
    ensure_topics(any_broker.bootstrap, {topic: 1, empty: 1})
    await produce_batches(any_broker.bootstrap, topic, [5, 3])
    app = create_app(Settings(broker=any_broker.url, data_dir=tmp_path, store="memory", extractor="fast"))
    written, nothing = TopicPartition(topic, 0), TopicPartition(empty, 0)

    # Whatever ListOffsets said (Tansu: 6, the last batch's first offset + 1), the fetch's answer counts.
    for listed in (6, 8):
        assert await fetched_ends(app, {written: listed, nothing: 0}) == {written: 8, nothing: 0}
