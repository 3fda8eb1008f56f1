"""Exactly-once: every output and table write is committed in the transaction of the input it came from.

Faust's `processing_guarantee="exactly_once"` opens one Kafka transaction per input partition and
commits each input offset in it. For the outputs to be exact as well, an input's outputs (records to
downstream topics and the table changelog writes it caused) must be committed in the *same*
transaction as its offset, and only once. Faust 0.15 falls short in several ways (docs/reliability.md);
each piece here fixes one and says which. The agents hand every output to `attach` (through
`streams.runtime.agents.loop.publish`); `install(app)` and the App's `Topic`/`Table` settings do the rest.

Under at-least-once none of this is active: outputs are sent at once and table writes go out as
Faust sends them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Iterator
from functools import partial
from heapq import heappop
from typing import Any

import faust
from faust.types import TP, EventT, FutureMessage, RecordMetadata

from streams.runtime.corrections.faust_private import Attachments, attachments_of, set_attachments

__all__ = [
    "SOURCE_HEADER",
    "CommittedAttachments",
    "attach",
    "SourceTransactionTable",
    "SourceTransactionTopic",
    "install",
]

SOURCE_HEADER = "stancewire-source-tp"  # "topic:partition" of the input an exactly-once output belongs to


def attach(
    event: EventT, channel: faust.TopicT, key: Any, value: Any, headers: dict | None = None, **kwargs: Any
) -> FutureMessage:
    """Hold an output of `event` until its offset is committed; then publish it in that transaction.

    Explicit, not Faust's own attaching: that is off unless `stream_publish_on_commit` is set, and
    it finds the input through `current_event()`, which is unset in code that runs for a batch.
    """
    source = {SOURCE_HEADER: f"{event.message.topic}:{event.message.partition}".encode()}
    return attachments_of(event.app).put(
        event.message, channel, key, value, headers={**(headers or {}), **source}, **kwargs
    )


class SourceTransactionTopic(faust.Topic):
    """Publishes an attached output in the transaction of its *input's* partition.

    Faust sends an attached output when it commits the input's offset, but in the transaction of the
    output's own partition. Stancewire re-keys at every stage (article id → actor → actor|topic), so
    that is usually another partition's transaction, committed separately: a crash between the two
    commits loses or duplicates the output. The agents name the input in a header; this sends there.
    """

    async def publish_message(self, fut: FutureMessage, wait: bool = False) -> Awaitable[RecordMetadata]:
        if not self.app.in_transaction:  # at least once: every table write comes here, keep it short
            return await super().publish_message(fut, wait=wait)
        message = fut.message
        headers = dict(message.headers or {})
        source = headers.pop(SOURCE_HEADER, None)
        if source is None:
            return await super().publish_message(fut, wait=wait)
        source_topic, _, partition = bytes(source).decode().rpartition(":")
        group = self.app.assignor.group_for_topic(source_topic)
        transactional_id = f"{self.app.conf.id}-{group}-{partition}"
        topic = self._topic_name_or_default(message.channel)
        key = message.key
        dest = self.app.consumer.key_partition(topic, key, message.partition)  # None: the producer partitions
        producer = self.app.consumer.transactions.producer
        state = self.app.sensors.on_send_initiated(
            producer, topic, message=message, keysize=len(key or b""), valsize=len(message.value or b"")
        )
        sent = await producer.send(
            topic, key, message.value, dest, message.timestamp, headers or None, transactional_id=transactional_id
        )
        sent.add_done_callback(partial(self._on_published, message=fut, producer=producer, state=state))
        if wait:
            await sent
        return sent


class SourceTransactionTable(faust.Table):
    """Under exactly-once, a table write's changelog record is attached to the input that caused it.

    Faust sends changelog records as soon as the value is set, into whichever transaction is open at
    that moment; the consumer commits in a task of its own, so a commit can carry the changelog of an
    input whose offset it does not include. After a crash that input is processed again against a
    table that already holds its effect: the stance tracker sees "no change" and the change is lost.
    Attached, the record is published with the input's other outputs, in its transaction.
    """

    def send_changelog(
        self,
        partition: int | None,
        key: Any,
        value: Any,
        key_serializer: Any = None,
        value_serializer: Any = None,
    ) -> FutureMessage:
        event = faust.current_event()
        if not self.app.in_transaction or event is None or partition is None:
            return super().send_changelog(partition, key, value, key_serializer, value_serializer)
        return attach(
            event,
            self.changelog_topic,
            key,
            value,
            partition=partition,
            key_serializer=key_serializer or self.key_serializer,
            value_serializer=value_serializer or self.value_serializer,
            callback=self._on_changelog_sent,
        )


class CommittedAttachments(Attachments):
    """Faust's attachments, publishing only what belongs to committed offsets.

    - Faust's commit offset is the *next* offset to read (faust-streaming PR #33 made it so), but its
      attachments still go out for offsets up to and *including* it: the outputs of the input being
      processed at that moment would be committed with its predecessor's offset, and come out twice
      after a crash.
    - Attachments of revoked partitions were kept: their inputs are processed again by whoever gets
      the partition, so on this worker they would be published a second time if it got them back.
    """

    def _attachments_for(self, tp: TP, commit_offset: int) -> Iterator[FutureMessage]:
        attached = self._pending.get(tp)
        while attached and attached[0].offset < commit_offset:  # a heap: [0] is the smallest offset
            yield heappop(attached).message.value

    def forget(self, revoked: Iterable[TP]) -> None:
        for tp in revoked:
            self._pending.pop(tp, None)


def install(app: faust.App) -> None:
    """Put the exactly-once attachments in place (the topic and table classes are App settings)."""
    attachments = CommittedAttachments(app)
    set_attachments(app, attachments)

    @app.on_partitions_revoked.connect
    async def forget_revoked(sender: faust.App, revoked: set[TP], **kwargs: Any) -> None:
        # By now Faust has committed what it could; what is left belongs to uncommitted inputs.
        attachments.forget(revoked)
