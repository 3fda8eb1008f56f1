"""The HTTP routes: a webhook (the alert's JSON, optionally HMAC-signed) and a Slack incoming webhook."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

import aiohttp
import orjson

from schemas import Alert, utc_now
from streams.delivery.payloads import Digest, digest_body, slack_digest_payload, slack_payload, webhook_body
from streams.delivery.routes import SlackRoute, WebhookRoute
from streams.delivery.senders.base import Attempted, DeliveryConfigError, SendContext, Sender
from streams.delivery.signing import (
    ALERT_HEADER,
    ATTEMPT_HEADER,
    DELIVERY_HEADER,
    KIND_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)

if TYPE_CHECKING:
    from streams.core.alerting import AlertRule

__all__ = ["HttpSender", "SlackSender", "WebhookSender"]

log = logging.getLogger("stancewire.delivery")

_ERROR_BODY_BYTES = 300


class HttpSender(Sender):
    """POST with retries: exponential backoff with full jitter on connection errors, timeouts, 408, 429
    and 5xx (a `Retry-After` answer is honoured, up to `Backoff.retry_after_cap`), up to the route's
    `max_attempts`. Any other answer (4xx, 3xx) fails at once."""

    route: WebhookRoute | SlackRoute

    def __init__(self, rule: AlertRule, route: WebhookRoute | SlackRoute, context: SendContext) -> None:
        super().__init__(rule, route, context)
        self.url = context.require(rule, route, route.url_env)
        if not self.url.startswith(("http://", "https://")):
            raise DeliveryConfigError(
                f"rule {rule.name!r}, route {route.label!r}: ${route.url_env} is not an http(s) URL"
            )
        self.secret: bytes | None = None

    async def send(self, delivery_id: str, subject_id: str, kind: str, body: bytes) -> Attempted:
        route, context = self.route, self.context
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
            if self.secret is not None:
                timestamp = str(int(time.time()))
                headers[TIMESTAMP_HEADER] = timestamp
                headers[SIGNATURE_HEADER] = sign(self.secret, timestamp, body)
            retry_after: float | None = None
            status = None
            async with context.semaphore:
                try:
                    async with context.http().post(
                        self.url, data=body, headers=headers, timeout=timeout, allow_redirects=False
                    ) as response:
                        status = response.status
                        if 200 <= status < 300:
                            return Attempted(True, attempt, status)
                        text = (await response.content.read(_ERROR_BODY_BYTES)).decode("utf-8", "replace")
                        error = f"HTTP {status} {response.reason or ''}".rstrip()
                        error += f": {text.strip()}" if text.strip() else ""
                        retry_after = _retry_after(response.headers.get("Retry-After"))
                except TimeoutError:
                    error = f"no answer within {route.timeout.total_seconds():g}s (attempt {attempt})"
                except aiohttp.ClientError as exc:
                    error = f"{type(exc).__name__}: {exc}"
            error = _scrub(error, self.url, route.url_env)
            retryable = status is None or status in (408, 429) or status >= 500
            if not retryable or attempt == route.max_attempts:
                return Attempted(False, attempt, status, error)
            if retry_after is not None:
                delay = min(retry_after, context.backoff.retry_after_cap)
            else:
                delay = context.backoff.delay(attempt, context.rng)
            log.info("%s to %s: %s; retry %d in %.2fs", kind, route.label, error, attempt + 1, delay)
            await context.sleep(delay)
        return Attempted(False, route.max_attempts, status, error)


class WebhookSender(HttpSender):
    """The `Alert` JSON exactly as on the topic, signed with HMAC-SHA256 when `secret_env` is set."""

    route: WebhookRoute

    def __init__(self, rule: AlertRule, route: WebhookRoute, context: SendContext) -> None:
        super().__init__(rule, route, context)
        if route.secret_env:
            self.secret = context.require(rule, route, route.secret_env).encode()

    def alert_body(self, alert: Alert) -> bytes:
        return webhook_body(alert)

    def digest_body(self, digest: Digest) -> bytes:
        return digest_body(digest)


class SlackSender(HttpSender):
    """A readable Slack message per alert, one per digest."""

    route: SlackRoute

    def alert_body(self, alert: Alert) -> bytes:
        return orjson.dumps(slack_payload(alert))

    def digest_body(self, digest: Digest) -> bytes:
        return orjson.dumps(slack_digest_payload(digest))


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
