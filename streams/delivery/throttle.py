"""Per rule and route throttling: at most `max` alerts per window, the rest folded into a digest.

A window opens with the first alert after the previous one closed and lasts `window`; the first
`max` alerts in it go out at once, the rest are counted into a `Digest` that is due when the window
ends. Time comes from an injected clock, so tests step it by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from schemas import Alert, utc_now
from streams.delivery.payloads import Digest
from streams.delivery.routes import Throttle

__all__ = ["Clock", "Throttler"]

Clock = Callable[[], datetime]


@dataclass(slots=True)
class _Window:
    end: datetime
    sent: int
    digest: Digest


class Throttler:
    def __init__(self, clock: Clock = utc_now) -> None:
        self.clock = clock
        self._windows: dict[tuple[str, str], _Window] = {}
        self._due: list[Digest] = []

    def admit(self, rule: str, route: str, throttle: Throttle, alert: Alert) -> bool:
        """True: send the alert now. False: it was folded into the window's digest."""
        now = self.clock()
        key = (rule, route)
        window = self._windows.get(key)
        if window is not None and now >= window.end:
            self._close(key)
            window = None
        if window is None:
            end = now + throttle.window
            window = _Window(end, 0, Digest(rule, route, now, end, throttle.max))
            self._windows[key] = window
        if window.sent < throttle.max:
            window.sent += 1
            return True
        window.digest.add(alert)
        return False

    def due(self, flush_all: bool = False) -> list[Digest]:
        """Digests whose window has ended (every pending one with `flush_all`, e.g. at shutdown)."""
        now = self.clock()
        for key in [k for k, w in self._windows.items() if flush_all or now >= w.end]:
            self._close(key)
        due, self._due = self._due, []
        return due

    def pending(self) -> int:
        """Alerts folded into digests not yet handed out."""
        return sum(w.digest.count for w in self._windows.values()) + sum(d.count for d in self._due)

    def _close(self, key: tuple[str, str]) -> None:
        window = self._windows.pop(key)
        if window.digest.count:
            self._due.append(window.digest)
