"""`Deliverer`: sends alerts to their rule's routes with retries, signatures, de-duplication,
throttling and a concurrency limit. Plain asyncio + aiohttp, no Faust: the deliver agent feeds it.

Per alert and route:
  1. de-duplication by alert id (and route): an alert this worker already delivered, or is
     delivering, is skipped — a replayed or duplicated alert is not sent twice;
  2. the route's throttle (or the rule's): beyond `max` per window it is folded into a digest
     that `flush_digests()` sends once the window has ended;
  3. the send: the file route appends a JSON line; webhook and Slack POST JSON, with retries and
     exponential backoff with full jitter on connection errors, timeouts, 408, 429 and 5xx
     (a `Retry-After` answer is honoured, up to `Backoff.retry_after_cap`), up to the route's
     `max_attempts`. Any other answer (4xx, 3xx) fails at once.
What still fails comes back as a `DeliveryResult` with outcome `failed`, carrying a
`DeliveryFailure` record (for `alerts.dlq`) with the last error, also handed to `on_failure`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal

import aiohttp
import orjson

from schemas import Alert, DeliveryFailure, encode, utc_now
from streams.alerting import AlertRule, AlertRules, FileRoute, Route, SlackRoute, WebhookRoute
from streams.delivery.payloads import Digest, digest_body, digest_json, slack_digest_payload, slack_payload
from streams.delivery.signing import (
    ALERT_HEADER,
    ATTEMPT_HEADER,
    DELIVERY_HEADER,
    KIND_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)
from streams.delivery.throttle import Clock, Throttler

__all__ = ["Backoff", "Deliverer", "DeliveryConfigError", "DeliveryResult", "Outcome"]

log = logging.getLogger("stancewire.delivery")

Outcome = Literal["delivered", "failed", "duplicate", "throttled"]
USER_AGENT = "stancewire-delivery/0.1"
_ERROR_BODY_BYTES = 300


class DeliveryConfigError(ValueError):
    """A route's environment variable is unset or holds no usable URL; the message names rule and variable."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before retry n (1-based): uniform in [0, min(cap, base · 2^(n-1))] ("full jitter")."""

    base: float = 0.5
    cap: float = 30.0
    retry_after_cap: float = 60.0  # a longer Retry-After is cut to this

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        return rng() * min(self.cap, self.base * 2 ** (attempt - 1))


@dataclass(slots=True)
class DeliveryResult:
    rule: str
    route: str
    route_type: Literal["webhook", "slack", "file"]
    kind: Literal["alert", "digest"]
    alert_ids: list[str]
    outcome: Outcome
    delivery_id: str | None = None
    attempts: int = 0
    status: int | None = None
    error: str | None = None
    failure: DeliveryFailure | None = None


@dataclass(frozen=True, slots=True)
class _Target:
    """One route of one rule, with its secrets read from the environment."""

    rule: AlertRule
    route: Route
    url: str | None = None
    secret: bytes | None = None

    @property
    def label(self) -> str:
        return self.route.label


@dataclass(slots=True)
class _Attempted:
    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


class _Seen:
    """Bounded memory of (alert id, route) keys, oldest forgotten first, each for at most `ttl` seconds."""

    def __init__(self, size: int, ttl: float, clock: Clock) -> None:
        self.size, self.ttl, self.clock = size, ttl, clock
        self._keys: OrderedDict[tuple[str, str], float] = OrderedDict()

    def claim(self, key: tuple[str, str]) -> bool:
        """True (and remember the key) unless it is already remembered."""
        now = self.clock().timestamp()
        expires = self._keys.get(key)
        if expires is not None and expires > now:
            return False
        self._keys[key] = now + self.ttl
        self._keys.move_to_end(key)
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)
        return True

    def forget(self, key: tuple[str, str]) -> None:
        self._keys.pop(key, None)


@dataclass(slots=True)
class _Stats:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, result: DeliveryResult) -> None:
        self.outcomes[result.outcome] = self.outcomes.get(result.outcome, 0) + 1


class Deliverer:
    """Delivers alerts to the routes of their rule. Use as `async with Deliverer(rules) as d:`, or call
    `close()` at the end: it waits for deliveries in flight, sends pending digests and closes the
    HTTP session.

    `env` is where `url_env` / `secret_env` are read (os.environ by default); a route whose variable is
    unset fails here, at start-up. `concurrency` bounds HTTP requests in flight, `max_pending` the
    deliveries `submit` has started and not finished (beyond it `submit` waits). `clock` drives
    throttle windows and de-duplication expiry; `sleep` and `rng` the backoff (inject them in tests).
    """

    def __init__(
        self,
        rules: AlertRules,
        *,
        env: Mapping[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        concurrency: int = 16,
        max_pending: int = 1000,
        backoff: Backoff | None = None,
        clock: Clock = utc_now,
        rng: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        on_failure: Callable[[DeliveryFailure], Awaitable[None]] | None = None,
        on_result: Callable[[DeliveryResult], None] | None = None,
        dedup_size: int = 100_000,
        dedup_ttl: timedelta = timedelta(hours=24),
    ) -> None:
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.on_failure = on_failure
        self.on_result = on_result
        self.stats = _Stats()
        self._env = os.environ if env is None else env
        self._targets = self._resolve(rules)
        self._session = session
        self._own_session = session is None
        self._semaphore = asyncio.Semaphore(concurrency)
        self._pending = asyncio.Semaphore(max_pending)
        self._tasks: set[asyncio.Task[None]] = set()
        self._throttler = Throttler(clock)
        self._seen = _Seen(dedup_size, dedup_ttl.total_seconds(), clock)
        self._file_locks: dict[Path, asyncio.Lock] = {}
        self._rng = rng
        self._sleep = sleep

    # -- configuration -------------------------------------------------------------------------

    def _resolve(self, rules: AlertRules) -> dict[str, list[_Target]]:
        targets: dict[str, list[_Target]] = {}
        for rule in rules.rules:
            for route in rule.routes:
                if isinstance(route, FileRoute):
                    target = _Target(rule, route)
                else:
                    url = self._require(rule, route, route.url_env)
                    if not url.startswith(("http://", "https://")):
                        raise DeliveryConfigError(
                            f"rule {rule.name!r}, route {route.label!r}: ${route.url_env} is not an http(s) URL"
                        )
                    secret = None
                    if isinstance(route, WebhookRoute) and route.secret_env:
                        secret = self._require(rule, route, route.secret_env).encode()
                    target = _Target(rule, route, url, secret)
                targets.setdefault(rule.name, []).append(target)
        return targets

    def _require(self, rule: AlertRule, route: Route, name: str) -> str:
        value = self._env.get(name, "").strip()
        if not value:
            raise DeliveryConfigError(
                f"rule {rule.name!r}, route {route.label!r}: environment variable {name} is not set"
            )
        return value

    @property
    def routed_rules(self) -> list[str]:
        """Names of the rules that have at least one route."""
        return list(self._targets)

    # -- life cycle ----------------------------------------------------------------------------

    async def __aenter__(self) -> Deliverer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers={"User-Agent": USER_AGENT})
            self._own_session = True
        return self._session

    async def drain(self) -> None:
        """Wait until every delivery started by `submit` has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, flush_digests: bool = True) -> None:
        """Finish deliveries in flight, send every pending digest (its window cut short), close HTTP."""
        await self.drain()
        if flush_digests:
            await self.flush_digests(flush_all=True)
        if self._own_session and self._session is not None:
            await self._session.close()
            self._session = None

    # -- entry points --------------------------------------------------------------------------

    async def submit(self, alert: Alert, done: Callable[[], object] | None = None) -> None:
        """Start delivering `alert` in a task of its own and return at once (waits only when
        `max_pending` deliveries are unfinished). `done` is called when the delivery has ended."""
        await self._pending.acquire()
        task = asyncio.create_task(self._run(alert, done), name=f"deliver-{alert.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, alert: Alert, done: Callable[[], object] | None) -> None:
        try:
            await self.deliver(alert)
        except Exception:  # never lose the task silently; the alert stays on its topic
            log.exception("delivery of alert %s crashed", alert.id)
        finally:
            self._pending.release()
            if done is not None:
                done()

    async def deliver(self, alert: Alert) -> list[DeliveryResult]:
        """Deliver one alert to every route of its rule, concurrently; one result per route."""
        targets = self._targets.get(alert.rule, [])
        if not targets:
            return []
        return list(await asyncio.gather(*(self._deliver_to(target, alert) for target in targets)))

    async def flush_digests(self, flush_all: bool = False) -> list[DeliveryResult]:
        """Send the digests whose window has ended (all pending ones with `flush_all`)."""
        due = self._throttler.due(flush_all)
        if not due:
            return []
        by_label = {(t.rule.name, t.label): t for targets in self._targets.values() for t in targets}
        return list(await asyncio.gather(*(self._send_digest(by_label[(d.rule, d.route)], d) for d in due)))

    def pending_digests(self) -> int:
        """Alerts folded into digests that are not sent yet."""
        return self._throttler.pending()

    # -- one route -----------------------------------------------------------------------------

    async def _deliver_to(self, target: _Target, alert: Alert) -> DeliveryResult:
        base = {
            "rule": target.rule.name,
            "route": target.label,
            "route_type": target.route.type,
            "kind": "alert",
            "alert_ids": [alert.id],
        }
        key = (alert.id, f"{target.rule.name}|{target.label}")
        if not self._seen.claim(key):
            return self._finish(DeliveryResult(**base, outcome="duplicate"))
        throttle = target.rule.throttle_for(target.route)
        if throttle is not None and not self._throttler.admit(target.rule.name, target.label, throttle, alert):
            return self._finish(DeliveryResult(**base, outcome="throttled"))
        delivery_id = uuid.uuid4().hex
        attempted = await self._send(target, delivery_id, alert.id, "alert", lambda: self._alert_body(target, alert))
        if not attempted.ok:
            self._seen.forget(key)  # not delivered: a later redelivery of the alert may try again
        result = self._result(base, delivery_id, attempted, alert)
        await self._report(result)
        return result

    async def _send_digest(self, target: _Target, digest: Digest) -> DeliveryResult:
        base = {
            "rule": digest.rule,
            "route": digest.route,
            "route_type": target.route.type,
            "kind": "digest",
            "alert_ids": list(digest.alert_ids),
        }
        delivery_id = uuid.uuid4().hex
        build = lambda: self._digest_body(target, digest)  # noqa: E731
        attempted = await self._send(target, delivery_id, digest.id, "digest", build)
        result = self._result(base, delivery_id, attempted, None)
        await self._report(result)
        return result

    def _result(self, base: dict, delivery_id: str, attempted: _Attempted, alert: Alert | None) -> DeliveryResult:
        result = DeliveryResult(
            **base,
            outcome="delivered" if attempted.ok else "failed",
            delivery_id=delivery_id,
            attempts=attempted.attempts,
            status=attempted.status,
            error=attempted.error,
        )
        if not attempted.ok:
            result.failure = DeliveryFailure(
                kind=result.kind,
                alert=alert,
                alert_ids=result.alert_ids,
                rule=result.rule,
                route=result.route,
                route_type=result.route_type,
                delivery_id=delivery_id,
                attempts=attempted.attempts,
                last_status=attempted.status,
                last_error=(attempted.error or "unknown error")[:2000],
                failed_at=self.clock(),
            )
        return result

    async def _report(self, result: DeliveryResult) -> None:
        self._finish(result)
        if result.failure is None:
            log.debug("delivered %s %s to %s/%s", result.kind, result.alert_ids[:1], result.rule, result.route)
            return
        log.warning(
            "could not deliver %s %s to %s/%s after %d attempt(s): %s",
            result.kind,
            result.alert_ids[:1],
            result.rule,
            result.route,
            result.attempts,
            result.error,
        )
        if self.on_failure is not None:
            try:
                await self.on_failure(result.failure)
            except Exception:
                log.exception("could not hand the delivery failure of %s on", result.alert_ids[:1])

    def _finish(self, result: DeliveryResult) -> DeliveryResult:
        self.stats.count(result)
        if self.on_result is not None:
            self.on_result(result)
        return result

    # -- bodies ----------------------------------------------------------------------------------

    @staticmethod
    def _alert_body(target: _Target, alert: Alert) -> bytes:
        if isinstance(target.route, SlackRoute):
            return orjson.dumps(slack_payload(alert))
        return encode(alert)

    @staticmethod
    def _digest_body(target: _Target, digest: Digest) -> bytes:
        if isinstance(target.route, SlackRoute):
            return orjson.dumps(slack_digest_payload(digest))
        if isinstance(target.route, FileRoute):
            return orjson.dumps(digest_json(digest))
        return digest_body(digest)

    # -- transports ----------------------------------------------------------------------------

    async def _send(
        self, target: _Target, delivery_id: str, subject_id: str, kind: str, body: Callable[[], bytes]
    ) -> _Attempted:
        try:
            data = body()
        except Exception as exc:  # a payload that cannot be built is not retried
            return _Attempted(False, 0, error=f"cannot build the payload: {type(exc).__name__}: {exc}")
        if isinstance(target.route, FileRoute):
            return await self._append(target.route.path, data)
        return await self._post(target, delivery_id, subject_id, kind, data)

    async def _append(self, path: Path, line: bytes) -> _Attempted:
        """One JSON line, appended whole: writes to one file are serialised, each opens and closes it."""
        resolved = path.expanduser().absolute()
        lock = self._file_locks.setdefault(resolved, asyncio.Lock())
        async with lock:
            try:
                await asyncio.to_thread(_append_line, resolved, line)
            except OSError as exc:
                return _Attempted(False, 1, error=f"{type(exc).__name__}: {exc}")
        return _Attempted(True, 1)

    async def _post(self, target: _Target, delivery_id: str, subject_id: str, kind: str, body: bytes) -> _Attempted:
        route = target.route
        assert isinstance(route, WebhookRoute | SlackRoute) and target.url is not None
        timeout = aiohttp.ClientTimeout(total=route.timeout.total_seconds())
        status: int | None = None
        error = "not attempted"
        for attempt in range(1, route.max_attempts + 1):
            headers = {
                "Content-Type": "application/json",
                DELIVERY_HEADER: delivery_id,
                KIND_HEADER: kind,
                ALERT_HEADER: subject_id,
                ATTEMPT_HEADER: str(attempt),
            }
            if target.secret is not None:
                timestamp = str(int(time.time()))
                headers[TIMESTAMP_HEADER] = timestamp
                headers[SIGNATURE_HEADER] = sign(target.secret, timestamp, body)
            retry_after: float | None = None
            status = None
            async with self._semaphore:
                try:
                    async with self._http().post(
                        target.url, data=body, headers=headers, timeout=timeout, allow_redirects=False
                    ) as response:
                        status = response.status
                        if 200 <= status < 300:
                            return _Attempted(True, attempt, status)
                        text = (await response.content.read(_ERROR_BODY_BYTES)).decode("utf-8", "replace")
                        error = f"HTTP {status} {response.reason or ''}".rstrip()
                        error += f": {text.strip()}" if text.strip() else ""
                        retry_after = _retry_after(response.headers.get("Retry-After"))
                except TimeoutError:
                    error = f"no answer within {route.timeout.total_seconds():g}s (attempt {attempt})"
                except aiohttp.ClientError as exc:
                    error = f"{type(exc).__name__}: {exc}"
            error = _scrub(error, target.url, route.url_env)
            retryable = status is None or status in (408, 429) or status >= 500
            if not retryable or attempt == route.max_attempts:
                return _Attempted(False, attempt, status, error)
            if retry_after is not None:
                delay = min(retry_after, self.backoff.retry_after_cap)
            else:
                delay = self.backoff.delay(attempt, self._rng)
            log.info("%s to %s: %s; retry %d in %.2fs", kind, route.label, error, attempt + 1, delay)
            await self._sleep(delay)
        return _Attempted(False, route.max_attempts, status, error)


def _append_line(path: Path, line: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as f:
        f.write(line.rstrip(b"\n") + b"\n")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when: datetime = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - utc_now()).total_seconds())


def _scrub(error: str, url: str, env_name: str) -> str:
    """Error text never carries the secret URL (a Slack webhook's path is its credential)."""
    return error.replace(url, f"${env_name}") if url in error else error
