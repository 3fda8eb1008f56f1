"""Every private Faust name Stancewire relies on, in one place (faust-streaming 0.15.3).

The corrections in this package (`exactly_once`, `recovery`) reach into Faust where it has no public
hook. Reads of another object's private attributes go through the accessors below; private methods
and attributes the corrections override or call on their own base class are listed in
`OVERRIDDEN`. `tests/runtime/test_faust_private.py` checks that each still exists, so a Faust upgrade
that renames one fails in seconds, not in the ten-minute fault suite.
"""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaConsumer
from faust.app._attached import Attachments
from faust.tables.manager import TableManager
from faust.tables.recovery import Recovery
from faust.topics import Topic
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread, Consumer, Producer
from faust.transport.producer import ProducerBuffer

__all__ = [
    "ACCESSED",
    "ACCUMULATOR_ATTRIBUTES",
    "APP_ATTRIBUTES",
    "BATCH_ATTRIBUTES",
    "CLIENT_ATTRIBUTES",
    "CONSUMER_ATTRIBUTES",
    "OVERRIDDEN",
    "PRODUCER_ATTRIBUTES",
    "Attachments",
    "attachments_of",
    "client_of",
    "consumer_thread",
    "fetcher",
    "read_offsets",
    "release_open_batches",
    "set_attachments",
    "set_fetch_wait",
]

# (class, name): private names the corrections override or use from their own base class.
OVERRIDDEN: tuple[tuple[type, str], ...] = (
    (Attachments, "_attachments_for"),  # CommittedAttachments: publish only below the commit offset
    (Attachments, "_pending"),  # the heap of attached outputs per partition
    (Topic, "_topic_name_or_default"),  # SourceTransactionTopic.publish_message
    (Topic, "_on_published"),
    (Recovery, "_is_changelog_tp"),  # CommittedRecovery
    (Recovery, "_highwater_logtable"),
    (Recovery, "_build_highwaters"),
    (Recovery, "_set_recovery_ended"),
    (Recovery, "_wait"),
    (TableManager, "_recovery"),  # CommittedTableManager.recovery
    (TableManager, "_update_channels"),  # CommittedTableManager.on_start, without Faust's one-second sleep
    (AIOKafkaConsumerThread, "_create_worker_consumer"),  # fetch_wait: the wait Faust hard-codes
    (Consumer, "_new_consumer_thread"),
    (ProducerBuffer, "_send_pending"),  # sending.EbbingBuffer counts the records it sends
    (Producer, "_producer_type"),  # sending.EbbingProducer makes IdleReleaseProducers
)

# (class, name): private methods of other objects, called through the accessors below.
ACCESSED: tuple[tuple[type, str], ...] = ((AIOKafkaConsumerThread, "_ensure_consumer"),)

# Private instance attributes read through the accessors below: on the App, and on its consumer.
APP_ATTRIBUTES = ("_attachments", "_fetcher")
CONSUMER_ATTRIBUTES = ("_thread", "_read_offset")

# Private attributes of aiokafka's own consumer (the client inside Faust's consumer thread).
CLIENT_ATTRIBUTES = ("_fetch_max_wait_ms",)

# Private attributes of aiokafka's producer, its accumulator and a batch in it (`sending.IdleReleaseProducer`).
PRODUCER_ATTRIBUTES = ("_message_accumulator",)
ACCUMULATOR_ATTRIBUTES = ("_batches", "_waiter_future")
BATCH_ATTRIBUTES = ("_linger_time",)


def set_attachments(app: Any, attachments: Attachments) -> None:
    """Replace the App's attachments (Faust has no setting for their class)."""
    app._attachments = attachments


def attachments_of(app: Any) -> Attachments:
    return app._attachments


def consumer_thread(app: Any) -> Any:
    """The aiokafka driver's consumer thread: the Kafka client may only be used from it."""
    return app.consumer._thread


def client_of(thread: Any) -> Any:
    """The aiokafka client inside the consumer thread."""
    return thread._ensure_consumer()


def read_offsets(consumer: Any) -> dict:
    """Faust's next offset to read per partition (set by its seek to the committed offsets)."""
    return consumer._read_offset


def fetcher(app: Any) -> Any:
    """The App's fetcher service (restarted after recovery)."""
    return app._fetcher


def set_fetch_wait(client: AIOKafkaConsumer, wait_ms: int) -> None:
    """aiokafka reads its fetch wait from this attribute when it starts its fetcher."""
    client._fetch_max_wait_ms = wait_ms


def release_open_batches(producer: Any) -> int:
    """End the linger of every batch the aiokafka `producer` holds open and wake its sender, which
    sends them as it would at their linger's end (one request per broker, as many as are ready).
    Records added before the sender takes a batch still join it. Returns the batches released."""
    accumulator = producer._message_accumulator
    released = 0
    for batches in accumulator._batches.values():
        for batch in batches:
            batch._linger_time = 0.0  # `remaining_linger()` is now None: ready to send
            released += 1
    if released and not accumulator._waiter_future.done():
        accumulator._waiter_future.set_result(None)
    return released
