"""`stancewire feed`: articles into `news.raw` with kafka-python, keyed by article id."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kafka import KafkaProducer
from kafka.errors import KafkaError

from schemas import RawArticle, encode
from streams.broker.admin import bootstrapped
from streams.broker.security import KafkaTarget, kafka_python_config
from streams.formats import FormatError

__all__ = ["FeedReport", "feed_articles", "make_producer"]


@dataclass(slots=True)
class FeedReport:
    sent: int = 0
    rejected: list[FormatError] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # delivery failures after the producer's retries
    seconds: float = 0.0


def make_producer(target: KafkaTarget, timeout: float = 15.0, **overrides: object) -> KafkaProducer:
    """A producer that retries transient failures (a broker restart) but never blocks unbounded.

    acks=all: a record counts as sent once every in-sync replica has it (min.insync.replicas of them).
    """
    config: dict[str, object] = dict(
        **kafka_python_config(target),
        client_id="stancewire-feed",
        acks="all",
        retries=2**31 - 1,  # bounded by delivery_timeout_ms, not by a count
        retry_backoff_ms=200,
        delivery_timeout_ms=int(max(timeout, 30.0) * 1000),
        request_timeout_ms=int(min(timeout, 30.0) * 1000),
        max_block_ms=int(timeout * 1000),
        linger_ms=5,
        max_request_size=4 * 1024 * 1024,
        max_in_flight_requests_per_connection=1,  # keep order per partition across retries
    )
    config.update(overrides)
    return bootstrapped(
        target, lambda bootstrap_ms: KafkaProducer(bootstrap_timeout_ms=bootstrap_ms, **config), timeout
    )


def feed_articles(
    producer: KafkaProducer,
    topic: str,
    items: Iterable[RawArticle | FormatError],
    on_reject: Callable[[FormatError], None] | None = None,
    flush_timeout: float = 60.0,
    on_progress: Callable[[int, FeedReport], None] | None = None,
) -> FeedReport:
    """Send every article (keyed by id); `on_progress(items read so far, report)` after each item."""
    report = FeedReport()
    read = 0
    started = time.perf_counter()

    def delivered(_metadata: object) -> None:
        report.sent += 1

    def failed(article_id: str) -> Callable[[Exception], None]:
        return lambda exc: report.failed.append(f"{article_id}: {type(exc).__name__}: {exc}")

    for item in items:
        read += 1
        if on_progress is not None:
            on_progress(read, report)
        if isinstance(item, FormatError):
            report.rejected.append(item)
            if on_reject:
                on_reject(item)
            continue
        try:
            future = producer.send(topic, key=item.id.encode(), value=encode(item))
        except KafkaError as exc:  # metadata or buffer space not available within max_block_ms
            failed(item.id)(exc)
            continue
        future.add_callback(delivered)
        future.add_errback(failed(item.id))
    producer.flush(timeout=flush_timeout)
    if on_progress is not None:
        on_progress(read, report)
    report.seconds = time.perf_counter() - started
    return report
