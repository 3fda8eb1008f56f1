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
