"""`stancewire poll`: RSS/Atom (and JSON Feed, ninjs) URLs into `news.raw`, politely and without repeats.

- Conditional GET: each feed's `ETag` and `Last-Modified` are sent back (`If-None-Match`,
  `If-Modified-Since`); a `304 Not Modified` costs no parsing and sends nothing.
- Dedupe by GUID: every item's original id (feed GUID, else its link; ninjs uri) is remembered per
  feed, and an item already sent is not sent again, even when the feed's bytes changed around it.
  An item is remembered only once the broker has acknowledged it, so a failed send is retried.
- State that survives restarts: one JSON file (`<data dir>/poll-state.json` by default), written
  atomically (a temporary file, fsync, `os.replace`) after every poll, holding per feed the
  validators, the GUIDs seen (the last `MAX_SEEN`) and the backoff.
- Backoff: a failed poll (network error, timeout, HTTP >= 400, an unreadable document) waits
  `interval * 2**failures` (capped at `max_backoff`) before the next try; a success resets it.
- Status: one line per poll on stderr, and prometheus-client metrics in the poller's own registry
  (`POLL_REGISTRY`); the CLI serves them with `start_http_server` on `--metrics-port`, since the
  poller is its own process, not the worker.

The HTTP client is urllib from the standard library: one GET per feed per interval needs no more.
"""

from __future__ import annotations

import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from prometheus_client import CollectorRegistry, Counter, Gauge

from schemas import RawArticle
from streams.formats import MAX_DOCUMENT_BYTES, FormatError, read_document

__all__ = ["POLL_REGISTRY", "FeedState", "PollResult", "Poller", "load_state", "save_state"]

MAX_SEEN = 10_000
"""GUIDs remembered per feed: a feed holds tens to hundreds of items, so this is weeks of a busy one."""
USER_AGENT = "stancewire-poll/1 (+https://github.com/stancewire)"

POLL_REGISTRY = CollectorRegistry()
POLL_STATUS = Gauge(
    "stancewire_poll_last_status",
    "HTTP status of each feed's last poll (0: no answer, a network error or timeout).",
    ["feed"],
    registry=POLL_REGISTRY,
)
POLL_FAILURES = Gauge(
    "stancewire_poll_consecutive_failures",
    "Failed polls in a row, per feed (0 when healthy).",
    ["feed"],
    registry=POLL_REGISTRY,
)
POLL_SUCCESS = Gauge(
    "stancewire_poll_last_success_timestamp_seconds",
    "When each feed last answered 200 or 304.",
    ["feed"],
    registry=POLL_REGISTRY,
)
POLLS = Counter(
    "stancewire_polls",
    "Polls per feed by outcome: fetched, not_modified, error.",
    ["feed", "outcome"],
    registry=POLL_REGISTRY,
)
POLLED_ARTICLES = Counter(
    "stancewire_poll_articles",
    "Items per feed: sent (new), seen (already sent), rejected (unreadable).",
    ["feed", "outcome"],
    registry=POLL_REGISTRY,
)


@dataclass(slots=True)
class FeedState:
    """What is kept of one feed between polls and restarts."""

    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)
    failures: int = 0
    next_at: float = 0.0  # epoch seconds of the next poll

    def to_json(self) -> dict:
        return {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "seen": self.seen[-MAX_SEEN:],
            "failures": self.failures,
            "next_at": self.next_at,
        }

    @classmethod
    def from_json(cls, value: dict) -> FeedState:
        return cls(
            etag=value.get("etag"),
            last_modified=value.get("last_modified"),
            seen=[str(guid) for guid in value.get("seen", [])][-MAX_SEEN:],
            failures=int(value.get("failures", 0)),
            next_at=float(value.get("next_at", 0.0)),
        )


def load_state(path: Path) -> dict[str, FeedState]:
    """The saved state; an absent file is a first run. A corrupt file is an error, never silently reset."""
    if not path.exists():
        return {}
    try:
        raw = orjson.loads(path.read_bytes())
        return {url: FeedState.from_json(value) for url, value in raw["feeds"].items()}
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"{path}: poll state unreadable ({exc}); move it aside to start afresh") from None


def save_state(path: Path, feeds: dict[str, FeedState]) -> None:
    """Atomically: a crash mid-write leaves the previous state, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = orjson.dumps(
        {"version": 1, "feeds": {url: s.to_json() for url, s in feeds.items()}}, option=orjson.OPT_INDENT_2
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(slots=True)
class PollResult:
    url: str
    status: int  # HTTP status; 0 when there was no answer
    outcome: str  # fetched | not_modified | error
    sent: int = 0
    seen: int = 0
    rejected: list[FormatError] = field(default_factory=list)
    error: str = ""
    retry_in: float = 0.0

    def line(self) -> str:
        if self.outcome == "error":
            return f"{self.url}: error: {self.error}; retry in {self.retry_in:.1f}s"
        if self.outcome == "not_modified":
            return f"{self.url}: 304 not modified"
        extra = f", {len(self.rejected)} unreadable" if self.rejected else ""
        return f"{self.url}: {self.status}, {self.sent} new, {self.seen} already sent{extra}"


Send = Callable[[Sequence[RawArticle]], set[str]]
"""Sends articles to news.raw; returns the ids the broker acknowledged."""


class Poller:
    """Polls each feed when it is due; `poll_due()` does one round, `run()` loops until its bounds."""

    def __init__(
        self,
        urls: Sequence[str],
        send: Send,
        state_path: Path,
        *,
        interval: float = 300.0,
        max_backoff: float = 3600.0,
        request_timeout: float = 30.0,
        source: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.urls = list(dict.fromkeys(urls))
        self.send = send
        self.state_path = state_path
        self.interval = interval
        self.max_backoff = max_backoff
        self.request_timeout = request_timeout
        self.source = source
        self.clock = clock
        self.feeds = load_state(state_path)
        for url in self.urls:
            self.feeds.setdefault(url, FeedState())

    def poll_due(self) -> list[PollResult]:
        now = self.clock()
        results = [self.poll(url) for url in self.urls if self.feeds[url].next_at <= now]
        if results:
            save_state(self.state_path, self.feeds)
        return results

    def next_due(self) -> float:
        return min(self.feeds[url].next_at for url in self.urls)

    def run(
        self,
        *,
        max_polls: int | None = None,
        timeout: float | None = None,
        report: Callable[[PollResult], None] = lambda result: None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> int:
        """Poll rounds until `max_polls` polls in all or `timeout` seconds; returns the polls made."""
        deadline = None if timeout is None else self.clock() + timeout
        polls = 0
        while max_polls is None or polls < max_polls:
            for result in self.poll_due():
                polls += 1
                report(result)
            if max_polls is not None and polls >= max_polls:
                break
            wait = max(0.0, self.next_due() - self.clock())
            if deadline is not None and self.clock() + wait >= deadline:
                break
            sleep(min(wait, 1.0) if wait else 0.01)
        return polls

    def poll(self, url: str) -> PollResult:
        state = self.feeds[url]
        try:
            status, body, headers = self._get(url, state)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return self._ok(url, PollResult(url, 304, "not_modified"))
            return self._failed(url, exc.code, f"HTTP {exc.code} {exc.reason}")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return self._failed(url, 0, f"{type(exc).__name__}: {reason}")
        if len(body) > MAX_DOCUMENT_BYTES:
            return self._failed(url, status, f"document over {MAX_DOCUMENT_BYTES} bytes")
        articles, rejected = [], []
        for item in read_document(body, origin=url, source=self.source, allow_text=False):
            (rejected if isinstance(item, FormatError) else articles).append(item)
        if not articles and rejected and rejected[0].line == 0 and rejected[0].where == url:
            return self._failed(url, status, str(rejected[0]))  # the whole document is unreadable
        seen = set(state.seen)
        new = [a for a in articles if guid(a) not in seen]
        acknowledged = self.send(new) if new else set()
        state.seen.extend(guid(a) for a in new if a.id in acknowledged)
        del state.seen[:-MAX_SEEN]
        state.etag = headers.get("ETag") or state.etag
        state.last_modified = headers.get("Last-Modified") or state.last_modified
        result = PollResult(url, status, "fetched", sent=len(acknowledged), seen=len(articles) - len(new))
        result.rejected = rejected
        POLLED_ARTICLES.labels(url, "sent").inc(len(acknowledged))
        POLLED_ARTICLES.labels(url, "seen").inc(result.seen)
        POLLED_ARTICLES.labels(url, "rejected").inc(len(rejected))
        if len(acknowledged) < len(new):
            return self._failed(url, status, f"{len(new) - len(acknowledged)} of {len(new)} items not delivered")
        return self._ok(url, result)

    def _get(self, url: str, state: FeedState) -> tuple[int, bytes, dict[str, str]]:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {url}")
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/xml, application/json;q=0.9, */*;q=0.5",
        }
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=self.request_timeout) as response:  # noqa: S310 - http(s) only, checked above
            body = response.read(MAX_DOCUMENT_BYTES + 1)
            return response.status, body, {k: v for k, v in response.headers.items()}

    def _ok(self, url: str, result: PollResult) -> PollResult:
        state = self.feeds[url]
        state.failures = 0
        state.next_at = self.clock() + self.interval
        POLL_STATUS.labels(url).set(result.status)
        POLL_FAILURES.labels(url).set(0)
        POLL_SUCCESS.labels(url).set(self.clock())
        POLLS.labels(url, result.outcome).inc()
        return result

    def _failed(self, url: str, status: int, error: str) -> PollResult:
        state = self.feeds[url]
        state.failures += 1
        delay = min(self.interval * 2**state.failures, self.max_backoff)
        state.next_at = self.clock() + delay
        POLL_STATUS.labels(url).set(status)
        POLL_FAILURES.labels(url).set(state.failures)
        POLLS.labels(url, "error").inc()
        return PollResult(url, status, "error", error=error, retry_in=delay)


def guid(article: RawArticle) -> str:
    """The item's own id as the feed gives it (GUID, else link), else the id it was given."""
    return article.original_id or article.id
