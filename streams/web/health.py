"""`GET /health` and the consumer lag behind it (also exported as metrics on each scrape).

Lag is per input partition assigned to this worker: the partition's high watermark minus the
offset the group has committed there (the next record to read). Table changelogs are not counted.

Per stage (`stages`), for the whole group rather than this worker: `StageWatch` samples every
stage's offsets every `STAGE_SECONDS` (kafka-python in a thread, `streams.broker.lag`), so /health
and /metrics also give the rate each stage drains at and the time it needs to catch up.

SASL and TLS apply to both: the lag per partition is asked through the worker's own consumer (Faust's
`broker_credentials`), `StageWatch`'s kafka-python clients get the settings themselves
(`streams.broker.security`); `broker_reachable` only opens a TCP connection. `/health` is open even
when the web server asks for a token (`streams.web.auth`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

import faust

from schemas.api import Health, PartitionLag, StageLag
from streams.broker.lag import LagMonitor, stages_of
from streams.runtime import metrics
from streams.settings import Settings

__all__ = ["LagReading", "StageWatch", "broker_reachable", "health", "read_lag"]

TIMEOUT = 5.0
STAGE_SECONDS = 5.0  # how often the stages' offsets are sampled
log = logging.getLogger("stancewire.web")


class StageWatch:
    """The group's lag per stage, refreshed by a timer; what /health, /metrics and the live view show."""

    def __init__(self, settings: Settings, deliver: bool = True) -> None:
        self.settings, self.deliver = settings, deliver
        self.monitor: LagMonitor | None = None
        self.stages: list[StageLag] = []
        self.sampled_at: float | None = None
        self.error: str | None = None

    async def refresh(self) -> list[StageLag]:
        if self.monitor is None:
            self.monitor = LagMonitor(self.settings, self.settings.app_id, stages_of(self.settings, self.deliver))
        try:
            lags = await asyncio.wait_for(asyncio.to_thread(self.monitor.lags), TIMEOUT * 2)
        except Exception as exc:  # the broker is away: keep the last figures, say why
            self.error = f"stage offsets: {type(exc).__name__}: {exc}"[:300]
            log.debug("%s", self.error)
            return self.stages
        self.stages = [StageLag(**lag.as_dict()) for lag in lags]
        self.sampled_at, self.error = time.monotonic(), None
        metrics.update_stages(self.stages)
        return self.stages

    async def current(self, max_age: float = 2 * STAGE_SECONDS) -> list[StageLag]:
        if self.sampled_at is None or time.monotonic() - self.sampled_at > max_age:
            return await self.refresh()
        return self.stages

    def close(self) -> None:
        if self.monitor is not None:
            self.monitor.close()


@dataclass(slots=True)
class LagReading:
    reachable: bool | None  # None: not measured (no partitions assigned)
    partitions: list[PartitionLag] = field(default_factory=list)
    error: str | None = None

    @property
    def total(self) -> int | None:
        return sum(p.lag for p in self.partitions) if self.reachable else None


def input_topics(settings: Settings) -> set[str]:
    """Every topic an agent may read (streams/runtime/agents); the alert agents' only with their rules."""
    names = settings.topics
    return {names.raw, names.statements, names.stance_candidates, names.stances, names.topic_changes, names.alerts}


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


async def health(app: faust.App, settings: Settings, stages: StageWatch | None = None) -> tuple[Health, int]:
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
        stages=await stages.current() if stages is not None and reachable else [],
        error=reading.error,
    )
    return body, 200 if status == "ok" else 503


def register(app: faust.App, settings: Settings) -> StageWatch:
    """`GET /health` and `GET /metrics` (the lag gauges are refreshed on each scrape), and the timer
    that samples the stages; returns the `StageWatch` (the live view reads it too)."""
    from aiohttp import web as aioweb
    from faust.web import Request, Response, View

    stages = StageWatch(settings, deliver=any(getattr(agent, "name", "") == "deliver" for agent in app.agents.values()))

    @app.timer(STAGE_SECONDS)
    async def sample_stages() -> None:
        await stages.refresh()

    @app.on_before_shutdown.connect
    async def close_stage_watch(app: faust.App, **_: object) -> None:
        stages.close()

    @app.page("/health", name="health")
    class HealthView(View):
        async def get(self, request: Request) -> Response:
            body, status = await health(app, settings, stages)
            return self.bytes(body.model_dump_json().encode(), content_type="application/json", status=status)

    @app.page("/metrics", name="metrics")
    class MetricsView(View):
        async def get(self, request: Request) -> aioweb.Response:
            await read_lag(app, settings)
            await stages.current()
            return aioweb.Response(body=metrics.exposition(), headers={"Content-Type": metrics.CONTENT_TYPE})

    return stages
