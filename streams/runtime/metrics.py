"""Prometheus metrics of one worker (prometheus-client), and the one helper module the agents call.

Counters are per worker process: sum them over workers (`sum by (...)`) for the whole group. Every
record the agents send goes through `streams.runtime.agents.publish`, which calls `published()`; the extract
agent calls `articles_consumed()` and `extraction_seconds()`; the deliver agent's `Deliverer` reports
each outcome through `delivery_result()`. `update_lag()` is called when `/metrics` or `/health` is read,
`update_stages()` every 5 s (the whole group's lag per stage, `streams.web.health.StageWatch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from schemas import Alert, DeadLetter, DeliveryFailure, StanceChange, StanceEvent, Statement

__all__ = [
    "CONTENT_TYPE",
    "INGESTED_HEADER",
    "METRIC_NAMES",
    "articles_consumed",
    "delivery_result",
    "exposition",
    "extraction_seconds",
    "ingested_at",
    "published",
    "repeated_stance",
    "update_lag",
    "update_stages",
]

CONTENT_TYPE = CONTENT_TYPE_LATEST
REGISTRY: CollectorRegistry = DEFAULT_REGISTRY

#: Header carried by every record downstream of `news.raw`: when its article was ingested (the raw
#: record's Kafka timestamp, epoch milliseconds), so the alert stage can measure ingest → alert.
INGESTED_HEADER = "stancewire-ingested-at"

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# published → alert spans wire delay: seconds for live news, days for an archive being replayed
_PUBLISHED_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 6 * 3600.0, 86400.0, 7 * 86400.0)
_E2E_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0)

ARTICLES = Counter("stancewire_articles_consumed", "Raw records consumed from news.raw by the extract agent.")
STATEMENTS = Counter("stancewire_statements_produced", "Statements sent to news.statements.")
STANCES = Counter("stancewire_stances_produced", "Stance events sent to news.stances.")
CHANGES = Counter("stancewire_changes_produced", "Stance changes sent to stance.changes.", ["kind"])
ALERTS = Counter("stancewire_alerts_produced", "Alerts sent to the alerts topic.", ["rule", "severity"])
DEAD_LETTERS = Counter(
    "stancewire_dead_letters", "Records sent to news.dlq, by reason and source topic.", ["reason", "source"]
)
DELIVERIES = Counter(
    "stancewire_deliveries",
    "Alert deliveries by route and outcome (delivered, failed, duplicate, throttled).",
    ["route", "route_type", "outcome"],
)
DELIVERY_FAILURES = Counter("stancewire_delivery_failures_produced", "Failed deliveries sent to alerts.dlq.")
EXTRACTION = Histogram(
    "stancewire_extraction_seconds",
    "Time an article waits for its extraction (the duration of the batch it was extracted in).",
    buckets=_LATENCY_BUCKETS,
)
PUBLISHED_TO_ALERT = Histogram(
    "stancewire_published_to_alert_seconds",
    "Article published_at → alert sent.",
    buckets=_PUBLISHED_BUCKETS,
)
INGEST_TO_ALERT = Histogram(
    "stancewire_ingest_to_alert_seconds",
    "Article written to news.raw → alert sent (end to end through the pipeline).",
    buckets=_E2E_BUCKETS,
)
LAG = Gauge(
    "stancewire_consumer_lag",
    "Records not yet committed by this worker, per assigned input partition (updated on scrape).",
    ["topic", "partition"],
)
ASSIGNED = Gauge("stancewire_assigned_partitions", "Input partitions assigned to this worker.")
UNSUPPORTED_LANGUAGE = Counter(
    "stancewire_unsupported_language",
    "Articles dead-lettered as unsupported_language, by language (ISO 639-1; 'other' past the detected set).",
    ["language"],
)
REPEATED_STANCES = Counter(
    "stancewire_repeated_stances",
    "Stance candidates the track agent did not pass on to news.stances: duplicate (re-sent), duplicate_story "
    "(the same story under another id), superseded (an older version of an item already seen).",
    ["outcome"],
)
STAGE_WAITING = Gauge(
    "stancewire_stage_waiting",
    "Records on a stage's input topic the whole group has not committed yet (sampled every 5 s).",
    ["stage", "topic"],
)
STAGE_DRAIN = Gauge(
    "stancewire_stage_drain_rate", "Records per second the group commits on a stage's input topic.", ["stage", "topic"]
)
STAGE_ARRIVAL = Gauge(
    "stancewire_stage_arrival_rate", "Records per second added to a stage's input topic.", ["stage", "topic"]
)
STAGE_ETA = Gauge(
    "stancewire_stage_catch_up_seconds",
    "Seconds until a stage has caught up at the current rates (absent while it is not catching up).",
    ["stage", "topic"],
)

METRIC_NAMES = [
    "stancewire_articles_consumed_total",
    "stancewire_statements_produced_total",
    "stancewire_stances_produced_total",
    "stancewire_changes_produced_total",
    "stancewire_alerts_produced_total",
    "stancewire_dead_letters_total",
    "stancewire_deliveries_total",
    "stancewire_delivery_failures_produced_total",
    "stancewire_extraction_seconds",
    "stancewire_published_to_alert_seconds",
    "stancewire_ingest_to_alert_seconds",
    "stancewire_consumer_lag",
    "stancewire_assigned_partitions",
    "stancewire_unsupported_language_total",
    "stancewire_repeated_stances_total",
    "stancewire_stage_waiting",
    "stancewire_stage_drain_rate",
    "stancewire_stage_arrival_rate",
    "stancewire_stage_catch_up_seconds",
]


def ingested_at(headers: Mapping[str, bytes] | None) -> datetime | None:
    raw = (headers or {}).get(INGESTED_HEADER)
    try:
        return datetime.fromtimestamp(int(raw) / 1000, UTC) if raw else None
    except (TypeError, ValueError):
        return None


def published(record: BaseModel, headers: Mapping[str, bytes] | None = None) -> None:
    """Count one record sent by an agent; for an alert, observe its end-to-end latencies."""
    if isinstance(record, Statement):
        STATEMENTS.inc()
    elif isinstance(record, StanceEvent):
        STANCES.inc()
    elif isinstance(record, StanceChange):
        CHANGES.labels(record.kind).inc()
    elif isinstance(record, Alert):
        ALERTS.labels(record.rule, record.severity).inc()
        now = datetime.now(UTC)
        PUBLISHED_TO_ALERT.observe(max(0.0, (now - record.event_at).total_seconds()))
        ingested = ingested_at(headers)
        if ingested is not None:
            INGEST_TO_ALERT.observe(max(0.0, (now - ingested).total_seconds()))
    elif isinstance(record, DeadLetter):
        DEAD_LETTERS.labels(record.reason, record.source_topic).inc()
        if record.reason == "unsupported_language":
            UNSUPPORTED_LANGUAGE.labels(language_label(record.error)).inc()
    elif isinstance(record, DeliveryFailure):
        DELIVERY_FAILURES.inc()


def language_label(error: str) -> str:
    """The code in an `unsupported_language: fr (...)` error; a declared tag outside the detected set is 'other'."""
    from streams.formats.language import DETECTED_LANGUAGES

    code = error.partition(":")[2].split(maxsplit=1)[0] if ":" in error else ""
    return code if code in DETECTED_LANGUAGES else "other"


def repeated_stance(outcome: str) -> None:
    REPEATED_STANCES.labels(outcome).inc()


def articles_consumed(count: int = 1) -> None:
    ARTICLES.inc(count)


def extraction_seconds(seconds: float, articles: int = 1) -> None:
    for _ in range(articles):
        EXTRACTION.observe(seconds)


def delivery_result(result: object) -> None:
    """`Deliverer(on_result=...)`: count one `DeliveryResult`."""
    DELIVERIES.labels(
        getattr(result, "route", "?"), getattr(result, "route_type", "?"), getattr(result, "outcome", "?")
    ).inc()


def update_lag(lag: Mapping[tuple[str, int], int]) -> None:
    """Replace the lag gauges with the current assignment's (revoked partitions disappear)."""
    LAG.clear()
    for (topic, partition), value in lag.items():
        LAG.labels(topic, str(partition)).set(value)
    ASSIGNED.set(len(lag))


def update_stages(stages: Iterable[object]) -> None:
    """Replace the per-stage gauges with the latest sample (`StageLag`s: stage, topic, waiting, rates, eta)."""
    for gauge in (STAGE_WAITING, STAGE_DRAIN, STAGE_ARRIVAL, STAGE_ETA):
        gauge.clear()
    for s in stages:
        labels = (s.stage, s.topic)  # type: ignore[attr-defined]
        STAGE_WAITING.labels(*labels).set(s.waiting)  # type: ignore[attr-defined]
        for gauge, value in (
            (STAGE_DRAIN, s.drain_rate),  # type: ignore[attr-defined]
            (STAGE_ARRIVAL, s.arrival_rate),  # type: ignore[attr-defined]
            (STAGE_ETA, s.eta_seconds),  # type: ignore[attr-defined]
        ):
            if value is not None:
                gauge.labels(*labels).set(value)


def exposition() -> bytes:
    return generate_latest(REGISTRY)
