"""The consumer's fetch wait as a setting: Faust's aiokafka driver hard-codes `fetch_max_wait_ms=1500`.

A broker holds a fetch until data arrives or the wait expires. Apache Kafka answers as soon as a
record arrives, so the wait costs nothing there; the embedded Tansu answers only when it expires, so
every hop of the pipeline (four in a row) waited up to 1.5 s for records that were already there.
`install(app, seconds)` makes the worker's consumer wait at most `seconds` (`STANCEWIRE_FETCH_WAIT`);
the consumer is also a `handoff.HandoffConsumer`.
"""

from __future__ import annotations

from typing import Any

import faust
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

from streams.runtime.corrections.faust_private import set_fetch_wait
from streams.runtime.corrections.handoff import HandoffConsumer

__all__ = ["install"]


def install(app: faust.App, seconds: float) -> None:
    """Give the App's transport a consumer whose Kafka client waits at most `seconds` per fetch."""
    wait_ms = max(1, int(seconds * 1000))

    class FetchWaitThread(AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            client = super()._create_worker_consumer(transport)
            set_fetch_wait(client, wait_ms)  # read when the client starts its fetcher
            return client

    class FetchWaitConsumer(HandoffConsumer):  # and hands messages to the streams without a task each
        def _new_consumer_thread(self) -> AIOKafkaConsumerThread:
            return FetchWaitThread(self, loop=self.loop, beacon=self.beacon)

    app.transport.Consumer = FetchWaitConsumer
