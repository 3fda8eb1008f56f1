"""The live feed of one worker: every partition of `stance.changes`, `alerts` and `news.raw`, read outside the group.

Why not an agent: an agent would see only the partitions assigned to its worker, so with several
workers each would hold a different slice of the alerts. Instead every worker runs one group-less
aiokafka consumer over all partitions of both topics (it commits nothing and moves no partitions),
starting `backlog` records before the end of each partition. So any worker answers `/api/alerts`
and streams the whole feed (`/api/events`, server-sent events) without routing, and a restarted
worker has the recent alerts again at once (bounded by the topic's retention). The buffers are
bounded (`size` changes and alerts each); the dead-letter count is read from the DLQ topics' offsets.

From `news.raw` it keeps only what the live view shows of an article (headline, source, link,
publication time) for the last `articles` articles, starting `raw_backlog` records before the end;
each change and alert goes out with its article (`article`, null when not seen).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from schemas import Alert, DecodeError, StanceChange, decode
from schemas.api import ArticleRef
from streams.broker.security import aiokafka_config
from streams.settings import Settings

__all__ = ["LiveFeed"]

log = logging.getLogger("stancewire.web")

STATS_SECONDS = 2.0  # how often the dead-letter count is refreshed and pushed to live views


class LiveFeed:
    def __init__(
        self, settings: Settings, size: int = 500, backlog: int = 200, articles: int = 5000, raw_backlog: int = 1000
    ) -> None:
        self.settings = settings
        self.size, self.backlog = size, backlog
        self.raw_backlog = raw_backlog
        self.articles: OrderedDict[str, ArticleRef] = OrderedDict()
        self.articles_size = articles
        self.alerts: deque[Alert] = deque(maxlen=size)
        self.changes: deque[StanceChange] = deque(maxlen=size)
        self.dead_letters: int | None = None
        self.started = asyncio.Event()
        self._alert_ids: set[str] = set()
        self._change_ids: set[str] = set()
        self._subscribers: set[asyncio.Queue[tuple[str, Any] | None]] = set()
        self._consumer: AIOKafkaConsumer | None = None
        self._dlq_read_at = 0.0

    # -- consuming ---------------------------------------------------------------------------------

    def _partitions(self, *topics: str) -> list[TopicPartition]:
        return [TopicPartition(t, p) for t in topics for p in range(self.settings.partitions)]

    async def run(self) -> None:
        """Read both topics until cancelled (a Faust app task); reconnects after broker errors."""
        names = self.settings.topics
        while True:
            consumer = AIOKafkaConsumer(
                **aiokafka_config(self.settings),  # SASL and TLS as every other client
                group_id=None,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                client_id="stancewire-live-feed",
            )
            try:
                await consumer.start()
                self._consumer = consumer
                partitions = self._partitions(names.changes, names.alerts, names.raw)
                consumer.assign(partitions)
                ends = await consumer.end_offsets(partitions)
                begins = await consumer.beginning_offsets(partitions)
                for tp in partitions:
                    back = self.raw_backlog if tp.topic == names.raw else self.backlog
                    consumer.seek(tp, max(begins.get(tp, 0), ends.get(tp, 0) - back))
                self.started.set()
                await self._consume(consumer)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker gone: try again shortly, keep what is buffered
                log.warning("live feed: %s: %s; retrying", type(exc).__name__, exc)
                await asyncio.sleep(2.0)
            finally:
                self._consumer = None
                with contextlib.suppress(Exception):
                    await consumer.stop()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        names = self.settings.topics
        while True:
            batches = await consumer.getmany(timeout_ms=STATS_SECONDS * 1000, max_records=500)
            # articles first: a change in the same batch then goes out with its article
            for tp, records in sorted(batches.items(), key=lambda item: item[0].topic != names.raw):
                for record in records:
                    try:
                        if tp.topic == names.raw:
                            self.add_article(record.value)
                        elif tp.topic == names.alerts:
                            self.add_alert(decode(record.value, Alert))
                        else:
                            self.add_change(decode(record.value, StanceChange))
                    except DecodeError:
                        continue  # the agents dead-letter it
            await self.refresh_dead_letters()

    def add_article(self, value: bytes | None) -> ArticleRef | None:
        """Remember what the live view shows of a raw article (no full validation: the extract agent does it)."""
        try:
            raw = orjson.loads(value or b"")
            ref = ArticleRef(
                id=raw["id"],
                headline=str(raw.get("headline") or "")[:300],
                source=str(raw.get("source") or "")[:100],
                url=raw.get("url") if isinstance(raw.get("url"), str) else None,
                published_at=raw["published_at"],
            )
        except Exception:  # not an article: the extract agent dead-letters it
            return None
        self.articles[ref.id] = ref
        self.articles.move_to_end(ref.id)
        while len(self.articles) > self.articles_size:
            self.articles.popitem(last=False)
        return ref

    def article(self, article_id: str) -> ArticleRef | None:
        return self.articles.get(article_id)

    def event(self, record: StanceChange | Alert) -> dict[str, Any]:
        """A change or an alert as the live view gets it: the record, and its article when known (`article`)."""
        article_id = record.current.article_id if isinstance(record, StanceChange) else record.article_id
        ref = self.articles.get(article_id)
        return {**record.model_dump(mode="json"), "article": ref.model_dump(mode="json") if ref else None}

    def add_alert(self, alert: Alert) -> None:
        if alert.id in self._alert_ids:
            return  # an at-least-once duplicate
        if len(self.alerts) == self.alerts.maxlen:
            self._alert_ids.discard(self.alerts[0].id)
        self.alerts.append(alert)
        self._alert_ids.add(alert.id)
        self._broadcast("alert", self.event(alert))

    def add_change(self, change: StanceChange) -> None:
        if change.id in self._change_ids:
            return
        if len(self.changes) == self.changes.maxlen:
            self._change_ids.discard(self.changes[0].id)
        self.changes.append(change)
        self._change_ids.add(change.id)
        self._broadcast("change", self.event(change))

    async def refresh_dead_letters(self, max_age: float = STATS_SECONDS) -> int | None:
        """Records on `news.dlq` and `alerts.dlq` (all partitions), from their offsets."""
        consumer = self._consumer
        if consumer is None or time.monotonic() - self._dlq_read_at < max_age:
            return self.dead_letters
        self._dlq_read_at = time.monotonic()
        names = self.settings.topics
        partitions = self._partitions(names.dlq, names.alerts_dlq)
        try:
            ends = await consumer.end_offsets(partitions)
            begins = await consumer.beginning_offsets(partitions)
        except Exception as exc:
            log.debug("live feed: dead-letter offsets: %s", exc)
            return self.dead_letters
        count = sum(max(0, ends[tp] - begins.get(tp, 0)) for tp in ends)
        if count != self.dead_letters:
            self.dead_letters = count
            self._broadcast("stats", {"dead_letters": count})
        return count

    # -- reading -----------------------------------------------------------------------------------

    def recent_alerts(self, since: datetime | None = None, limit: int = 100) -> list[Alert]:
        """Newest first, created after `since`."""
        alerts = [a for a in self.alerts if since is None or a.created_at > since]
        alerts.sort(key=lambda a: a.created_at, reverse=True)
        return alerts[:limit]

    # -- live views (server-sent events) -----------------------------------------------------------

    def _broadcast(self, kind: str, data: Any) -> None:
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):  # a slow client loses events, never the worker
                queue.put_nowait((kind, data))

    async def subscribe(self, recent: int = 50) -> AsyncIterator[tuple[str, Any] | None]:
        """The recent changes and alerts, then each new one as it is read; None after 15 s of
        silence (for a keep-alive). Ends when `close()` is called."""
        queue: asyncio.Queue[tuple[str, Any] | None] = asyncio.Queue(maxsize=1000)
        self._subscribers.add(queue)
        try:
            backlog = [("change", c.detected_at, c) for c in list(self.changes)[-recent:]]
            backlog += [("alert", a.created_at, a) for a in list(self.alerts)[-recent:]]
            for kind, _, record in sorted(backlog, key=lambda item: item[1]):
                yield kind, self.event(record)
            yield "stats", {"dead_letters": self.dead_letters}
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), timeout=15.0)
                except TimeoutError:
                    yield None
                    continue
                if item is None:
                    return
                yield item
        finally:
            self._subscribers.discard(queue)

    def close(self) -> None:
        """End every live subscription (at shutdown, so open event streams do not hold the server)."""
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(None)
