"""The worker's HTTP API, /metrics and /health against a real worker and broker, after feeding articles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kafka import KafkaProducer

from schemas.api import AlertsResponse, Health, StanceDetail, StancesResponse
from tests.kafka_fixtures import Worker, cli
from tests.web.helpers import DATA, free_port, get_json, http_get, sample, wait_for

pytestmark = pytest.mark.kafka

PAIR = "/api/stances/HUN/sanctions-russia"


def test_api_metrics_and_health_follow_a_reversal(start_worker: Callable[..., Worker], settings) -> None:  # noqa: ANN001
    port = free_port()
    worker = start_worker(web_enabled=True, web_port=port)
    base = f"http://127.0.0.1:{port}"

    def healthy() -> Health | None:
        status, body = get_json(base + "/health")
        return Health.model_validate(body) if status == 200 else None

    health = wait_for(healthy, 60, "/health to answer 200")
    assert health.status == "ok" and health.broker_reachable and health.assigned_partitions > 0
    assert {p.topic for p in health.partitions} >= {settings.topics.raw, settings.topics.stance_candidates}
    assert health.served_by == base

    fed = cli("feed", str(DATA / "reversal.jsonl"), settings=settings)
    assert fed.returncode == 0, fed.stderr
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers())
    producer.send(settings.topics.raw, key=b"broken", value=b'{"id": "broken", "headline": ')
    producer.flush()
    producer.close()

    def reversed_pair() -> StanceDetail | None:
        status, body = get_json(base + PAIR)
        detail = StanceDetail.model_validate(body) if status == 200 else None
        return detail if detail and any(c.kind == "reversal" for c in detail.history) else None

    detail = wait_for(reversed_pair, 90, f"a reversal in {PAIR}: {worker.log_tail(20)}")
    assert detail.current.stance == "support" and detail.current.article_id == "hun-sanctions-2"
    assert [c.kind for c in detail.history] == ["new", "reversal"]
    assert detail.history[1].previous.stance == "oppose" and detail.topic_label == "Sanctions on Russia"
    assert detail.served_by == base

    status, body = get_json(base + "/api/stances?actor=HUN")
    listing = StancesResponse.model_validate(body)
    assert status == 200 and listing.workers == [base] and not listing.unreachable
    assert all(p.actor == "HUN" for p in listing.stances)
    pair = next(p for p in listing.stances if p.topic == "sanctions-russia")
    assert (pair.stance, pair.article_id) == ("support", "hun-sanctions-2")
    status, body = get_json(base + "/api/stances?actor=NOBODY")
    assert status == 200 and body["count"] == 0
    status, body = get_json(base + "/api/stances/NOBODY/sanctions-russia")
    assert status == 404 and "NOBODY" in body["error"]

    def reversal_alerts() -> AlertsResponse | None:
        status, body = get_json(base + "/api/alerts")
        alerts = AlertsResponse.model_validate(body) if status == 200 else None
        return alerts if alerts and any(a.rule == "stance-reversal" for a in alerts.alerts) else None

    alerts = wait_for(reversal_alerts, 30, "the reversal alert in /api/alerts")
    reversal = next(a for a in alerts.alerts if a.rule == "stance-reversal")
    assert reversal.actor == "HUN" and reversal.change_id == detail.history[1].id
    since = reversal.created_at.isoformat().replace("+00:00", "Z")
    status, body = get_json(f"{base}/api/alerts?since={since}")
    assert status == 200 and all(a["id"] != reversal.id for a in body["alerts"])
    assert get_json(base + "/api/alerts?since=yesterday")[0] == 400

    def metrics_moved() -> str | None:
        status, text = http_get(base + "/metrics")
        text = text.decode()
        done = status == 200 and sample(text, "stancewire_dead_letters_total", reason="invalid_json") >= 1
        return text if done else None

    text = wait_for(metrics_moved, 30, "the dead letter in /metrics")
    assert sample(text, "stancewire_articles_consumed_total") >= 3  # two articles and the broken record
    assert sample(text, "stancewire_statements_produced_total") >= 2
    assert sample(text, "stancewire_stances_produced_total") >= 2
    assert sample(text, "stancewire_changes_produced_total", kind="reversal") == 1
    assert sample(text, "stancewire_alerts_produced_total", rule="stance-reversal", severity="high") == 1
    assert sample(text, "stancewire_extraction_seconds_count") >= 3
    assert sample(text, "stancewire_published_to_alert_seconds_count") >= 1
    assert sample(text, "stancewire_ingest_to_alert_seconds_count") >= 1  # the ingest time rode the headers
    lag_partitions = {s for s in text.splitlines() if s.startswith("stancewire_consumer_lag{")}
    assert any(f'topic="{settings.topics.raw}"' in line for line in lag_partitions)
    assert worker.alive()
