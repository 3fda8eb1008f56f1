"""`GET /health` and the consumer lag behind it (also exported as metrics on each scrape).

Lag is per input partition assigned to this worker: the partition's high watermark minus the
offset the group has committed there (the next record to read). Table changelogs are not counted.

Kafka is asked through the worker's own consumer, so its SASL and TLS settings (Faust's
`broker_credentials`, from `streams.broker.security`) apply; `broker_reachable` only opens a TCP
connection. `/health` is open even when the web server asks for a token (`streams.web.auth`).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import faust

from schemas.api import Health, PartitionLag
from streams.runtime import metrics
from streams.settings import Settings

__all__ = ["LagReading", "broker_reachable", "health", "read_lag"]

TIMEOUT = 5.0


@dataclass(slots=True)
class LagReading:
    reachable: bool | None  # None: not measured (no partitions assigned)
    partitions: list[PartitionLag] = field(default_factory=list)
    error: str | None = None

    @property
    def total(self) -> int | None:
        return sum(p.lag for p in self.partitions) if self.reachable else None


def input_topics(settings: Settings) -> set[str]:
    names = settings.topics
    return {names.raw, names.statements, names.stances, names.changes, names.alerts}


async def read_lag(app: faust.App, settings: Settings) -> LagReading:
    """This worker's lag per assigned input partition; `reachable` False when the broker did not answer."""
    try:
        assigned = sorted(tp for tp in app.consumer.assignment() if tp.topic in input_topics(settings))
    except Exception as exc:  # the consumer has not started yet
        return LagReading(None, error=f"consumer not started: {type(exc).__name__}")
    if not assigned:
        metrics.update_lag({})
        return LagReading(None)
    try:
        ends = await asyncio.wait_for(app.consumer.highwaters(*assigned), TIMEOUT)
    except Exception as exc:
        return LagReading(False, error=f"end offsets: {type(exc).__name__}: {exc}"[:300])
    committed = app.consumer._committed_offset  # Faust's record of this worker's commits (next offset to read)
    partitions = []
    for tp in assigned:
        end = int(ends.get(tp) or 0)
        done = committed.get(tp)
        lag = max(0, end - (done or 0))
        partitions.append(PartitionLag(topic=tp.topic, partition=tp.partition, end_offset=end, committed=done, lag=lag))
    metrics.update_lag({(p.topic, p.partition): p.lag for p in partitions})
    return LagReading(True, partitions)


async def broker_reachable(settings: Settings) -> bool:
    """A TCP connection to any bootstrap server (used when there are no partitions to ask about)."""
    for server in settings.bootstrap_servers().split(","):
        host, _, port = server.rpartition(":")
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), TIMEOUT)
        except (OSError, ValueError, TimeoutError):
            continue
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
        return True
    return False


async def health(app: faust.App, settings: Settings) -> tuple[Health, int]:
    reading = await read_lag(app, settings)
    reachable = reading.reachable if reading.reachable is not None else await broker_reachable(settings)
    assigned = len(reading.partitions)
    if not reachable:
        status = "broker_unreachable"
    elif not assigned:
        status = "unassigned"
    else:
        status = "ok"
    body = Health(
        status=status,
        served_by=str(app.conf.canonical_url),
        broker_reachable=reachable,
        rebalancing=bool(getattr(app, "rebalancing", False)),
        assigned_partitions=assigned,
        lag=reading.total,
        partitions=reading.partitions,
        error=reading.error,
    )
    return body, 200 if status == "ok" else 503


def register(app: faust.App, settings: Settings) -> None:
    """`GET /health` and `GET /metrics` (the lag gauges are refreshed on each scrape)."""
    from aiohttp import web as aioweb
    from faust.web import Request, Response, View

    @app.page("/health", name="health")
    class HealthView(View):
        async def get(self, request: Request) -> Response:
            body, status = await health(app, settings)
            return self.bytes(body.model_dump_json().encode(), content_type="application/json", status=status)

    @app.page("/metrics", name="metrics")
    class MetricsView(View):
        async def get(self, request: Request) -> aioweb.Response:
            await read_lag(app, settings)
            return aioweb.Response(body=metrics.exposition(), headers={"Content-Type": metrics.CONTENT_TYPE})
