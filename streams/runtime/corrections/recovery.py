"""Table recovery that restores every committed change, and reads each input record once.

After a rebalance or a restart, Faust 0.15's `Recovery` reads the table changelogs back, then lets
the agents read their input partitions. The fault suite, killing a worker twice in a row, caught
three faults in that hand-over (docs/reliability.md); `CommittedRecovery` corrects them
and is installed under both guarantees through the App's `TableManager` setting.

- **Where a changelog ends.** Under transactions Faust takes a changelog's end from the last stable
  offset cached by the consumer's last fetch of it: a worker that has just started may have fetched
  nothing yet, reads the changelog as empty, skips restoring, and carries on from blank tables (a
  reversal comes out as `new`). Here the end is asked of the broker (under `read_committed` the
  answer is the last stable offset).
- **Seek before resume.** Faust resumes the input partitions and *then* seeks them to their committed
  offsets, in the consumer's thread, while the fetcher runs: records delivered in between are
  delivered again after the seek (processed twice), and the reset bookkeeping can stall a
  partition's commits for good. Here the seek comes first, and if another rebalance has begun by
  then the inputs stay paused for that rebalance's own recovery.
- **Paused means paused.** Faust "pauses" the inputs during recovery only in its own bookkeeping.
  The Kafka client keeps fetching them, and when no partition at all is active (between the end of
  the changelogs and the resume) the client hands back every partition's records, which Faust then
  drops as paused: the client's position has moved past them, so a partition with no committed
  offset yet (which the seek does not move) loses them. Here the inputs are paused in the client
  itself from the rebalance until Faust resumes them after the seek, and a partition with no
  committed offset is rewound to its beginning.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.tables.manager import TableManager
from faust.tables.recovery import Recovery
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth, server_list
from faust.types import TP, AppT, ConsumerT

from streams.runtime.corrections.faust_private import client_of, consumer_thread, fetcher, read_offsets

__all__ = ["CommittedRecovery", "CommittedTableManager"]


async def _pause(client: AIOKafkaConsumer, tps: set[TopicPartition]) -> None:
    client.pause(*(tps & client.assignment()))  # a rebalance may have taken some away meanwhile


async def _resume(client: AIOKafkaConsumer, tps: set[TopicPartition]) -> None:
    client.resume(*(tps & client.assignment()))


async def _end_offsets(client: AIOKafkaConsumer, tps: set[TopicPartition]) -> dict[TopicPartition, int]:
    return await client.end_offsets(list(tps))  # under read_committed: the last stable offsets


logger = logging.getLogger("stancewire.recovery")  # ours, logged at the level asked (not a Faust class)

FETCHED_END_SECONDS = 10.0  # a broker that answers no fetch by then leaves ListOffsets' ends as they are


async def fetched_ends(app: AppT, ends: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
    """`ends` (from ListOffsets) raised to the high watermark a fetch from each partition's last record reports.

    Reads with its own client (the worker's consumer is mid-rebalance), connected as Faust's own clients are.
    Only for non-transactional reading: under read_committed the last stable offset must stay the end.
    """
    if not (probed := [tp for tp, end in ends.items() if end]):
        return ends
    conf = app.conf
    client = AIOKafkaConsumer(
        bootstrap_servers=server_list(app.transport.url, app.transport.default_port),
        enable_auto_commit=False,
        fetch_max_wait_ms=100,  # the record is there; Tansu holds a fetch for the whole wait regardless
        request_timeout_ms=int(conf.broker_request_timeout * 1000),
        **credentials_to_aiokafka_auth(conf.broker_credentials, conf.ssl_context),
    )
    await client.start()
    try:
        client.assign(probed)
        for tp in probed:
            client.seek(tp, ends[tp] - 1)
        deadline = time.monotonic() + FETCHED_END_SECONDS
        unanswered = set(probed)
        while unanswered and time.monotonic() < deadline:
            await client.getmany(*unanswered, timeout_ms=200)
            unanswered = {tp for tp in unanswered if client.highwater(tp) is None}
        answered = {tp: max(ends[tp], client.highwater(tp) or 0) for tp in probed if tp not in unanswered}
    finally:
        await client.stop()
    if raised := {tp: (ends[tp], end) for tp, end in answered.items() if end != ends[tp]}:
        logger.info("changelog ends the broker listed short, by its last batch: %s", raised)
    return {**ends, **answered}


async def _rewind(client: AIOKafkaConsumer, tps: set[TopicPartition]) -> None:
    if tps := tps & client.assignment():
        for tp, start in (await client.beginning_offsets(list(tps))).items():
            client.seek(tp, start)


class CommittedRecovery(Recovery):
    _pausing: asyncio.Future[None] | None = None  # the client-level pause of the latest rebalance
    _rebalances = 0  # the App's rebalance count when that rebalance reached recovery

    def _inputs(self, tps: Iterable[TP]) -> set[TP]:
        return {tp for tp in tps if not self._is_changelog_tp(tp)}

    async def _on_client(
        self, work: Callable[[AIOKafkaConsumer, set[TopicPartition]], Awaitable[Any]], tps: set[TP]
    ) -> Any:
        """Run `work` on the Kafka client in the consumer's own thread (it is not thread-safe)."""
        thread = consumer_thread(self.app)
        client_tps = {TopicPartition(tp.topic, tp.partition) for tp in tps}  # the client checks the type
        return await thread.call_thread(work, client_of(thread), client_tps)

    async def on_rebalance(
        self, assigned: set[TP], revoked: set[TP], newly_assigned: set[TP], generation_id: int = 0
    ) -> None:
        self._rebalances = self.app.rebalancing_count
        if self.tables and (inputs := self._inputs(assigned)):  # without tables Faust resumes elsewhere
            # Not awaited: the client's thread may be busy with the rebalance that called us.
            self._pausing = asyncio.ensure_future(self._on_client(_pause, inputs))
        await super().on_rebalance(assigned, revoked, newly_assigned, generation_id)

    async def _build_highwaters(self, consumer: ConsumerT, tps: set[TP], destination: Counter[TP], title: str) -> None:
        ends = await self._on_client(_end_offsets, tps) if tps else {}
        if not self.app.in_transaction:
            ends = await fetched_ends(self.app, ends)
        # Faust counts a changelog's end as its last offset, hence the - 1 (as in the method replaced).
        highwaters = {tp: end - 1 if end is not None else -1 for tp, end in ends.items()}
        self.log.info(
            "Highwater for %s changelog partitions:\n%s", title, self._highwater_logtable(highwaters, title=title)
        )
        destination.clear()
        destination.update(highwaters)

    def _superseded(self, generation_id: int) -> bool:
        """Has another rebalance begun? Then leave the inputs paused, as its revoke left them: its own
        recovery resumes them. Its generation is only known once it assigns, hence the count too."""
        if self.app.consumer_generation_id == generation_id and self.app.rebalancing_count == self._rebalances:
            return False
        self.log.warning("Recovery rebalancing again")
        return True

    async def on_recovery_completed(self, generation_id: int = 0) -> None:
        """Faust's `on_recovery_completed` (faust-streaming 0.15.3), seeking before it resumes."""
        app, consumer = self.app, self.app.consumer
        self.log.info("Restore complete!")
        await app.on_rebalance_complete.send()
        self._set_recovery_ended()
        callbacks = [
            asyncio.ensure_future(
                table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table])
            )
            for table in self.tables.values()
        ]
        if callbacks:
            await asyncio.wait(callbacks)
        if self._superseded(generation_id):
            return
        inputs = self._inputs(consumer.assignment())
        if inputs:
            self.log.info("Seek stream partitions to committed offsets.")
            # No timeouts on the steps added here: Faust's `_wait` ends recovery for good on one.
            if self._pausing is not None:
                await self._wait(asyncio.shield(self._pausing))
            await self._wait(consumer.perform_seek(), timeout=app.conf.broker_request_timeout)
            # The seek leaves a partition with nothing committed where it is; rewind it to its start.
            read_from = read_offsets(consumer)
            await self._wait(self._on_client(_rewind, {tp for tp in inputs if not read_from.get(tp)}))
        if self._superseded(generation_id):
            return
        consumer.resume_partitions(inputs)
        self.completed.set()
        app.flow_control.resume()
        consumer.resume_flow()
        await fetcher(app).maybe_start()
        if inputs:
            await self._on_client(_resume, inputs)  # last: Faust takes their records from here on
        self.tables.on_actives_ready()
        if not app.assignor.assigned_standbys():
            self.tables.on_standbys_ready()
        app.on_rebalance_end()
        self.log.info("Worker ready")


class CommittedTableManager(TableManager):
    async def on_start(self) -> None:
        """Faust's (0.15.3) without the second it sleeps first: every table is declared in `create_app`,
        before the App starts, so there is none to wait for, and the worker subscribes, joins its group
        and sends its first output a second sooner after a start."""
        if not self.should_stop:
            await self._update_channels()
            await self.recovery.start()

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = CommittedRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery
