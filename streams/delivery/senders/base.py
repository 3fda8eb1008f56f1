"""What every sender shares: the outcome of a send, the resources a `Deliverer` lends it, the interface."""

from __future__ import annotations

import asyncio
import random
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp

from schemas import Alert
from streams.delivery.payloads import Digest
from streams.delivery.routes import Route

if TYPE_CHECKING:  # annotations only: streams.core.alerting imports the route settings of this package
    from streams.core.alerting import AlertRule

__all__ = ["Attempted", "Backoff", "DeliveryConfigError", "SendContext", "Sender"]


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
class Attempted:
    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


@dataclass(slots=True)
class SendContext:
    """What the `Deliverer` lends its senders: secrets' environment, the HTTP session, limits, clocks."""

    env: Mapping[str, str]
    http: Callable[[], aiohttp.ClientSession]
    semaphore: asyncio.Semaphore  # HTTP requests in flight
    backoff: Backoff
    rng: Callable[[], float]
    sleep: Callable[[float], Awaitable[object]]
    file_locks: dict[Path, asyncio.Lock] = field(default_factory=dict)

    def require(self, rule: AlertRule, route: Route, name: str) -> str:
        """The value of environment variable `name`, or a start-up error naming rule, route and variable."""
        value = self.env.get(name, "").strip()
        if not value:
            raise DeliveryConfigError(
                f"rule {rule.name!r}, route {route.label!r}: environment variable {name} is not set"
            )
        return value


class Sender(ABC):
    """Sends one rule's alerts and digests to one route. Built at start-up: secrets are read then."""

    def __init__(self, rule: AlertRule, route: Route, context: SendContext) -> None:
        self.rule = rule
        self.route = route
        self.context = context

    @property
    def label(self) -> str:
        return self.route.label

    @abstractmethod
    def alert_body(self, alert: Alert) -> bytes: ...

    @abstractmethod
    def digest_body(self, digest: Digest) -> bytes: ...

    @abstractmethod
    async def send(self, delivery_id: str, subject_id: str, kind: str, body: bytes) -> Attempted:
        """Deliver `body` (an alert's or a digest's, `kind`), retrying as the route allows."""
