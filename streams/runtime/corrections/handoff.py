"""Handing each fetched message to its streams without four asyncio tasks per message.

Faust's consumer loop hands every message over with
`await self.wait_first(callback(message), self.suspend_flow.wait())`: mode's `wait_first` wraps
each argument, and the service's stopped and crashed events, in a task of its own, waits for the
first, then cancels the other three. The callback itself (decode, put on the stream's queue) almost
never has to wait; the tasks cost ~270 µs a message on the 2-core bench machine, against ~5 µs for
the callback, and every article is consumed four times on its way to an alert (`docs/performance.md`).

`HandoffConsumer.wait_first` runs the callback at once, in the consumer's own task, when the flow is
running: if it finishes without waiting (the usual case) no task is made; if it must wait (a full
queue, flow control, a full producer buffer), the rest of it goes to Faust's `wait_first`, which then
watches the suspend flag and the service's events as before. With the flow suspended or the service
stopping, Faust's own path runs unchanged.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Coroutine, Generator
from typing import Any

from faust.transport.drivers.aiokafka import Consumer
from mode.services import WaitResults

__all__ = ["HandoffConsumer"]


class HandoffConsumer(Consumer):
    async def wait_first(self, *coros: Any, timeout: Any = None) -> WaitResults:
        callback = coros[0] if coros else None
        if (
            timeout is not None
            or len(coros) != 2
            or not asyncio.iscoroutine(callback)
            or self.suspend_flow.is_set()
            or self.should_stop  # stopped or crashed
        ):
            return await super().wait_first(*coros, timeout=timeout)
        try:
            waiting_on = callback.send(None)  # as its task's first step would run it
        except StopIteration as done:
            _close(coros[1])  # the suspend flag's wait, never started
            return WaitResults([callback], [done.value], False)
        except BaseException:
            _close(coros[1])
            raise  # as Faust's wait_first raises the callback's error
        return await super().wait_first(_Continued(callback, waiting_on), coros[1], timeout=timeout)


def _close(waitable: Any) -> None:
    if asyncio.iscoroutine(waitable):
        waitable.close()


class _Continued:
    """The rest of a coroutine already stepped once: it yielded `waiting_on` (what it waits for)."""

    def __init__(self, coro: Coroutine[Any, Any, Any], waiting_on: Any) -> None:
        self.coro = coro
        self.waiting_on = waiting_on

    def __await__(self) -> Generator[Any, Any, Any]:
        return _resume(self.coro, self.waiting_on)


@types.coroutine
def _resume(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Generator[Any, Any, Any]:
    """Drive `coro` from its first suspension on: what it yields goes to the running task, what the
    task sends or throws in (a result, a cancellation) goes back to it."""
    pending = waiting_on
    while True:
        try:
            sent = yield pending
        except BaseException as exc:  # noqa: BLE001 - a cancellation is thrown in, and handed on
            try:
                pending = coro.throw(exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                pending = coro.send(sent)
            except StopIteration as done:
                return done.value
