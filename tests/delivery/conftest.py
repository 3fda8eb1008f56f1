"""A real HTTP receiver in the test process (aiohttp.web on 127.0.0.1, port chosen by the OS), alerts
built by the real rules, and a hand-stepped clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from aiohttp import web

from schemas import Alert
from streams.core.alerting import AlertRules
from streams.delivery import Backoff
from tests import factories

T0 = datetime(2025, 9, 4, 9, 0, tzinfo=UTC)
FAST = Backoff(base=0.001, cap=0.005, retry_after_cap=0.05)  # retries in milliseconds, not seconds


@dataclass
class Seen:
    """One request as the receiver got it."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    def json(self) -> dict:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    """Answers each path from a script of (status, headers) answers, the last one repeated;
    status 0 means never answer (hang until the test ends)."""

    base_url: str = ""
    scripts: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    delay: float = 0.0  # seconds each answer takes
    in_flight: int = 0
    peak: int = 0  # most requests in flight at once

    def script(self, path: str, *answers: int | tuple[int, dict[str, str]]) -> str:
        self.scripts[path] = [a if isinstance(a, tuple) else (a, {}) for a in answers]
        return self.base_url + path

    def at(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def accepted(self, path: str) -> list[Seen]:
        return [r for r in self.at(path) if 200 <= r.status < 300]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        script = self.scripts.get(request.path, [(200, {})])
        status, headers = script.pop(0) if len(script) > 1 else script[0]
        self.requests.append(Seen(request.path, dict(request.headers), body, status))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if status == 0:
                await self.release.wait()
                status = 200
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1
        return web.Response(status=status, headers=headers, text="ok" if status < 300 else f"answer {status}")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", rec.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    rec.base_url = f"http://{host}:{port}"
    yield rec
    rec.release.set()
    await runner.cleanup()


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def routed_rules(*routes: dict, throttle: dict | None = None, name: str = "rev") -> AlertRules:
    rule: dict = {"name": name, "trigger": "change", "kinds": ["reversal"], "severity": "high", "routes": list(routes)}
    if throttle is not None:
        rule["throttle"] = throttle
    return AlertRules.model_validate({"rules": [rule]})


def make_alert(n: int = 1, rule: str = "rev", url: str | None = "https://wire.example/a2") -> Alert:
    """A reversal alert built by the real rule code: HUN support → oppose on sanctions, with evidence."""
    change = factories.change(
        id=f"c{n}",
        previous=factories.snapshot(
            "support",
            0.7,
            statement_id="s1",
            article_id="a1",
            published_at=T0 - timedelta(days=3),
            evidence="We back the package.",
        ),
        current=factories.snapshot(
            "oppose",
            -0.8,
            statement_id=f"s{n + 1}",
            article_id=f"a{n + 1}",
            published_at=T0 + timedelta(minutes=n),
            evidence="We will not support <new> sanctions & we say so.",
        ),
        speaker="Viktor Orban",
        url=url,
        detected_at=T0,
    )
    rules = AlertRules.model_validate({"rules": [{"name": rule, "kinds": ["reversal"], "severity": "high"}]})
    (alert,) = rules.on_change(change, {}, T0)
    return alert


Sleeps = list[float]


@pytest.fixture
def sleeps() -> Sleeps:
    return []


@pytest.fixture
def recording_sleep(sleeps: Sleeps) -> Callable[[float], object]:
    """Records each backoff delay and waits only a millisecond."""

    async def sleep(delay: float) -> None:
        sleeps.append(delay)
        await asyncio.sleep(0.001)

    return sleep
