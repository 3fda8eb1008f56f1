"""sending: outputs sent at least once go to the producer directly; the changelog buffer's flush counts records."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from streams.runtime.app import create_app
from streams.runtime.corrections import sending
from streams.runtime.corrections.sending import DirectSendTopic, EbbingBuffer, EbbingProducer
from streams.settings import Settings


class RecordingProducer:
    def __init__(self) -> None:
        self.sent: list[tuple] = []

    async def send(self, *args: Any) -> str:
        self.sent.append(args)
        return "future"


@pytest.fixture
async def app(tmp_path: Path) -> Any:
    return create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, store="memory"))


async def test_the_worker_app_sends_through_the_direct_topic_and_the_ebbing_producer(app) -> None:  # noqa: ANN001
    assert isinstance(app.topic("news.raw"), DirectSendTopic)
    assert isinstance(app.producer, EbbingProducer) and isinstance(app.producer.buffer, EbbingBuffer)


async def test_a_forced_send_goes_to_the_producer_with_the_key_as_bytes(app, monkeypatch) -> None:  # noqa: ANN001
    producer = RecordingProducer()

    async def started() -> RecordingProducer:
        return producer

    monkeypatch.setattr(app, "maybe_start_producer", started)
    topic = app.topic("out", key_serializer="raw", value_serializer="raw")
    result = await topic.send(key="a|b", value=b"{}", headers={"h": b"1"}, force=True)
    await topic.send(key=None, value=b"[]", force=True)
    assert result == "future"
    assert producer.sent == [("out", b"a|b", b"{}", None, None, {"h": b"1"}), ("out", None, b"[]", None, None, None)]


async def test_a_send_with_a_callback_or_a_partition_takes_fausts_path(app, monkeypatch) -> None:  # noqa: ANN001
    faust_path: list[dict] = []

    async def fausts_send(self, **kwargs: Any) -> str:  # noqa: ANN001
        faust_path.append(kwargs)
        return "faust"

    monkeypatch.setattr(sending.SourceTransactionTopic, "send", fausts_send)
    topic = app.topic("out", key_serializer="raw", value_serializer="raw")
    assert await topic.send(key="k", value=b"v", partition=1, force=True) == "faust"
    assert await topic.send(key="k", value=b"v", callback=print, force=True) == "faust"
    assert await topic.send(key="k", value=b"v") == "faust"  # not forced: Faust may attach it to its event
    assert [call.get("partition") for call in faust_path] == [1, None, None]


class Channel:
    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.gate = gate
        self.published = 0

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        if self.gate is not None:
            await self.gate.wait()
        self.published += 1


def pending(channel: Channel) -> Any:
    return SimpleNamespace(message=SimpleNamespace(channel=channel))


@pytest.fixture
async def buffer() -> Any:
    buffer = EbbingBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))
    await buffer.start()
    yield buffer
    await buffer.stop()


async def test_a_flush_of_many_records_waits_once_not_once_per_record(buffer, monkeypatch) -> None:  # noqa: ANN001
    waits: list[object] = []
    wait_for = asyncio.wait_for

    async def counted(aw: Any, timeout: float | None = None) -> Any:
        waits.append(aw)
        return await wait_for(aw, timeout)

    monkeypatch.setattr(asyncio, "wait_for", counted)
    channel = Channel()
    for _ in range(250):
        buffer.put(pending(channel))
    flushed = await buffer.flush_atmost(100)
    assert flushed >= 100 and channel.published >= 100
    assert len(waits) <= 2  # Faust's own woke and waited once per record sent: 100 here
    await buffer.flush()
    assert buffer.size == 0 and channel.published == 250


async def test_a_flush_gives_up_when_nothing_is_sent_for_its_patience(buffer) -> None:  # noqa: ANN001
    gate = asyncio.Event()
    channel = Channel(gate)
    for _ in range(3):
        buffer.put(pending(channel))
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await buffer.flush_atmost(None) == 0
    assert sending.FLUSH_PATIENCE <= loop.time() - started < 2
    gate.set()
    await buffer.flush()
    assert channel.published == 3 and buffer.size == 0


def test_the_worker_producer_releases_open_batches_after_the_produce_idle(tmp_path: Path) -> None:
    for idle in (0.005, 0.0):
        app = create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, store="memory", produce_idle=idle))
        assert issubclass(app.producer._producer_type, sending.IdleReleaseProducer)
        assert app.producer._producer_type.idle == idle


async def test_releasing_ends_the_linger_of_every_open_batch_and_wakes_the_sender() -> None:
    from aiokafka.producer.message_accumulator import MessageAccumulator
    from aiokafka.structs import TopicPartition

    from streams.runtime.corrections.faust_private import release_open_batches

    loop = asyncio.get_running_loop()
    accumulator = MessageAccumulator(None, 16384, 0, 30, loop=loop, linger_ms=10_000)
    a, b = TopicPartition("news.statements", 0), TopicPartition("news.stance-candidates", 3)
    await accumulator.add_message(a, b"k", b"1", timeout=1)
    await accumulator.add_message(b, b"k", b"2", timeout=1)
    accumulator._waiter_future = loop.create_future()  # the sender waiting for data or a linger's end
    (batch_a,), (batch_b,) = accumulator._batches[a], accumulator._batches[b]
    assert batch_a.remaining_linger() > 9 and batch_b.remaining_linger() > 9  # would wait ~10 s
    assert release_open_batches(SimpleNamespace(_message_accumulator=accumulator)) == 2
    assert batch_a.remaining_linger() is None and batch_b.remaining_linger() is None  # ready to send
    assert accumulator.waiter().done()
    await accumulator.add_message(a, b"k", b"3", timeout=1)  # until the sender takes it, a record still joins it
    assert list(accumulator._batches[a]) == [batch_a] and batch_a.record_count == 2
    assert release_open_batches(SimpleNamespace(_message_accumulator=MessageAccumulator(None, 1, 0, 1, loop=loop))) == 0


async def test_the_producer_releases_once_no_record_came_for_its_idle_gap(monkeypatch) -> None:  # noqa: ANN001
    released: list[object] = []
    monkeypatch.setattr(sending, "release_open_batches", released.append)

    async def appended(self, *args: Any, **kwargs: Any) -> str:  # noqa: ANN001
        return "future"

    monkeypatch.setattr(sending.aiokafka.AIOKafkaProducer, "send", appended)
    loop = asyncio.get_running_loop()
    producer = sending.idle_release_producer(5.0)(bootstrap_servers="127.0.0.1:1")
    assert await producer.send("t", b"v") == "future"
    timer = producer.release_timer
    assert timer is not None and timer.when() - loop.time() > 4  # armed for the idle gap
    await producer.send("t", b"w")
    assert producer.release_timer is timer  # one timer, not one per record
    producer.release_if_idle()  # a record came under 5 s ago: wait out the gap from it
    assert released == [] and producer.release_timer is not None and producer.release_timer is not timer
    producer.release_timer.cancel()
    producer.last_added = loop.time() - 5.0
    producer.release_if_idle()
    assert released == [producer] and producer.release_timer is None

    plain = sending.idle_release_producer(0.0)(bootstrap_servers="127.0.0.1:1")
    await plain.send("t", b"v")
    assert plain.release_timer is None  # 0: no early release, the linger alone
    await producer.client.close()
    await plain.client.close()
