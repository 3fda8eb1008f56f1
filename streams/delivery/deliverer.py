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
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

import aiohttp

from schemas import Alert, DeliveryFailure, utc_now
from streams.delivery.payloads import Digest
from streams.delivery.senders import SENDERS, Attempted, Backoff, DeliveryConfigError, SendContext, Sender
from streams.delivery.throttle import Clock, Throttler

if TYPE_CHECKING:  # only for annotations: streams.core.alerting imports this package's route settings
    from streams.core.alerting import AlertRules

__all__ = [
    "Backoff",
    "Deliverer",
    "DeliveryConfigError",
    "DeliveryResult",
    "Outcome",
]  # Backoff, DeliveryConfigError: from senders

log = logging.getLogger("stancewire.delivery")

Outcome = Literal["delivered", "failed", "duplicate", "throttled"]
USER_AGENT = "stancewire-delivery/0.1"


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
        self._session = session
        self._own_session = session is None
        self._context = SendContext(
            env=os.environ if env is None else env,
            http=self._http,
            semaphore=asyncio.Semaphore(concurrency),
            backoff=self.backoff,
            rng=rng,
            sleep=sleep,
        )
        self._targets = self._resolve(rules)
        self._pending = asyncio.Semaphore(max_pending)
        self._tasks: set[asyncio.Task[None]] = set()
        self._throttler = Throttler(clock)
        self._seen = _Seen(dedup_size, dedup_ttl.total_seconds(), clock)

    # -- configuration -------------------------------------------------------------------------

    def _resolve(self, rules: AlertRules) -> dict[str, list[Sender]]:
        """A sender per route of every rule, by route type; a route's secrets are read here, at start-up."""
        senders: dict[str, list[Sender]] = {}
        for rule in rules.rules:
            for route in rule.routes:
                senders.setdefault(rule.name, []).append(SENDERS[route.type](rule, route, self._context))
        return senders

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

    async def _deliver_to(self, target: Sender, alert: Alert) -> DeliveryResult:
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
        attempted = await self._send(target, delivery_id, alert.id, "alert", lambda: target.alert_body(alert))
        if not attempted.ok:
            self._seen.forget(key)  # not delivered: a later redelivery of the alert may try again
        result = self._result(base, delivery_id, attempted, alert)
        await self._report(result)
        return result

    async def _send_digest(self, target: Sender, digest: Digest) -> DeliveryResult:
        base = {
            "rule": digest.rule,
            "route": digest.route,
            "route_type": target.route.type,
            "kind": "digest",
            "alert_ids": list(digest.alert_ids),
        }
        delivery_id = uuid.uuid4().hex
        attempted = await self._send(target, delivery_id, digest.id, "digest", lambda: target.digest_body(digest))
        result = self._result(base, delivery_id, attempted, None)
        await self._report(result)
        return result

    def _result(self, base: dict, delivery_id: str, attempted: Attempted, alert: Alert | None) -> DeliveryResult:
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

    # -- sending -------------------------------------------------------------------------------

    @staticmethod
    async def _send(
        target: Sender, delivery_id: str, subject_id: str, kind: str, body: Callable[[], bytes]
    ) -> Attempted:
        try:
            data = body()
        except Exception as exc:  # a payload that cannot be built is not retried
            return Attempted(False, 0, error=f"cannot build the payload: {type(exc).__name__}: {exc}")
        return await target.send(delivery_id, subject_id, kind, data)
