"""HandoffConsumer.wait_first: the callback at once when it need not wait, Faust's own watch when it must."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from faust.transport.consumer import Consumer as FaustConsumer

from streams.runtime.app import create_app
from streams.runtime.corrections.handoff import HandoffConsumer
from streams.settings import Settings


@pytest.fixture
async def consumer(tmp_path: Path) -> HandoffConsumer:
    # built inside the test's event loop, which the consumer then runs its waits on
    app = create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, store="memory"))
    assert isinstance(app.consumer, HandoffConsumer)
    return app.consumer


def test_faust_still_hands_each_message_over_through_wait_first() -> None:
    source = inspect.getsource(FaustConsumer._drain_messages)
    assert "self.wait_first(" in source and "callback(message), self.suspend_flow.wait()" in source


async def test_a_callback_that_need_not_wait_runs_at_once_without_a_task(consumer, monkeypatch) -> None:  # noqa: ANN001
    made: list[object] = []
    loop = asyncio.get_running_loop()
    create_task = loop.create_task
    monkeypatch.setattr(loop, "create_task", lambda *a, **k: made.append(a) or create_task(*a, **k))

    async def callback() -> str:
        return "delivered"

    result = await consumer.wait_first(callback(), consumer.suspend_flow.wait())
    assert result.results == ["delivered"] and not result.stopped
    assert made == []


async def test_a_callback_that_waits_is_finished_as_it_resumes(consumer) -> None:  # noqa: ANN001
    room = asyncio.get_running_loop().create_future()
    steps: list[str] = []

    async def callback() -> str:
        steps.append("started")
        got = await room
        steps.append(got)
        return "delivered"

    waiting = asyncio.ensure_future(consumer.wait_first(callback(), consumer.suspend_flow.wait()))
    await asyncio.sleep(0.01)
    assert steps == ["started"] and not waiting.done()
    room.set_result("resumed")
    result = await asyncio.wait_for(waiting, 5)
    assert steps == ["started", "resumed"]
    assert result.results[0] == "delivered"


async def test_a_waiting_callback_is_cancelled_when_the_flow_is_suspended(consumer) -> None:  # noqa: ANN001
    cancelled = asyncio.Event()

    async def callback() -> None:
        try:
            await asyncio.get_running_loop().create_future()  # never resolved: a queue that stays full
        except asyncio.CancelledError:
            cancelled.set()
            raise

    waiting = asyncio.ensure_future(consumer.wait_first(callback(), consumer.suspend_flow.wait()))
    await asyncio.sleep(0.01)
    consumer.stop_flow()
    try:
        await asyncio.wait_for(waiting, 5)
        await asyncio.wait_for(cancelled.wait(), 5)
    finally:
        consumer.resume_flow()


async def test_a_callback_error_reaches_the_consumer_loop(consumer) -> None:  # noqa: ANN001
    async def callback() -> None:
        raise ValueError("bad message")

    with pytest.raises(ValueError, match="bad message"):
        await consumer.wait_first(callback(), consumer.suspend_flow.wait())
