"""No broker: the OpenAPI file matches the models, every documented route is served, health without Kafka,
the metrics helper, the live feed's buffers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from schemas import StanceChange, StanceSnapshot
from schemas.openapi import openapi_document, openapi_text
from streams.runtime import metrics
from streams.runtime.app import create_app
from streams.settings import Settings
from streams.web.feed import LiveFeed
from streams.web.health import health
from streams.web.live import static_files
from tests import factories
from tests.kafka_fixtures import cli
from tests.web.helpers import free_port

REPO = Path(__file__).resolve().parents[2]


def test_openapi_file_matches_the_models() -> None:
    committed = (REPO / "schemas" / "openapi.json").read_text("utf-8")
    assert committed == openapi_text(), "schemas/openapi.json is stale: run `stancewire openapi`"
    assert cli("openapi", "--check").returncode == 0


def test_openapi_check_fails_on_drift(tmp_path: Path) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text(openapi_text().replace('"Stancewire worker API"', '"Old API"'))
    result = cli("openapi", "--check", "--out", str(stale))
    assert result.returncode == 1 and "out of date" in result.stderr


def test_every_documented_route_is_served_and_the_faust_placeholder_index_is_gone(tmp_path: Path) -> None:
    app = create_app(Settings(broker="kafka://127.0.0.1:9", web_enabled=True, data_dir=tmp_path, store="memory"))
    app.web.blueprints.apply(app.web)
    served = {r.resource.canonical for r in app.web.web_app.router.routes() if r.method == "GET"}
    documented = set(openapi_document()["paths"])
    assert documented <= served, documented - served
    index = [r for r in app.web.web_app.router.routes() if r.method == "GET" and r.resource.canonical == "/"]
    assert len(index) == 1  # ours: Faust's {"status": "OK"} placeholder is not mounted
    assert str(app.conf.canonical_url) == "http://127.0.0.1:6066" and app.conf.web_bind == "127.0.0.1"


def test_web_is_off_unless_enabled(tmp_path: Path) -> None:
    app = create_app(Settings(broker="kafka://127.0.0.1:9", data_dir=tmp_path, store="memory"))
    assert not hasattr(app, "live_feed")


def test_the_live_view_puts_data_in_as_text_only() -> None:
    script = static_files()["live.js"].decode()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
    assert "textContent" in script


def test_static_files_are_packaged_and_load_nothing_from_the_internet() -> None:
    files = static_files()
    assert {"index.html", "live.js", "live.css"} <= set(files)
    for name, body in files.items():
        text = body.decode()
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, name


async def test_health_without_a_broker_is_503_with_the_reason(tmp_path: Path) -> None:
    dead = f"kafka://127.0.0.1:{free_port()}"
    settings = Settings(broker=dead, web_enabled=True, data_dir=tmp_path, store="memory")
    body, status = await health(create_app(settings), settings)
    assert status == 503
    assert body.status == "broker_unreachable" and not body.broker_reachable and body.assigned_partitions == 0


def test_metrics_count_records_and_alert_latencies() -> None:
    before = metrics.ALERTS.labels("stance-reversal", "high")._value.get()
    e2e_before = metrics.INGEST_TO_ALERT._sum.get()
    now = datetime.now(UTC)
    headers = {metrics.INGESTED_HEADER: str(int((now - timedelta(seconds=2)).timestamp() * 1000)).encode()}
    metrics.published(factories.alert(1, at=now), headers)
    assert metrics.ALERTS.labels("stance-reversal", "high")._value.get() == before + 1
    assert metrics.INGEST_TO_ALERT._sum.get() - e2e_before == pytest.approx(2.0, abs=0.5)
    assert metrics.ingested_at({metrics.INGESTED_HEADER: b"nonsense"}) is None
    text = metrics.exposition().decode()
    for name in metrics.METRIC_NAMES:
        assert name.removesuffix("_total") in text, name


async def test_live_feed_buffers_dedupes_and_streams() -> None:
    feed = LiveFeed(Settings(broker="kafka://127.0.0.1:9"), size=3)
    now = datetime.now(UTC)
    snap = StanceSnapshot(stance="oppose", score=-0.8, statement_id="s", article_id="x", published_at=now)
    change = StanceChange(
        id="c1",
        actor="HUN",
        topic="t",
        topic_label="T",
        kind="new",
        previous=None,
        current=snap,
        delta=-0.8,
        detected_at=now,
    )
    feed.add_change(change)
    stream = feed.subscribe()
    assert await anext(stream) == ("change", {**change.model_dump(mode="json"), "article": None})
    assert await anext(stream) == ("stats", {"dead_letters": None})
    for n in range(5):
        feed.add_alert(factories.alert(n, at=now + timedelta(seconds=n)))
    feed.add_alert(factories.alert(4, at=now + timedelta(seconds=4)))  # a duplicate
    assert [a.id for a in feed.recent_alerts()] == ["a4", "a3", "a2"]  # bounded, newest first
    assert [a.id for a in feed.recent_alerts(since=now + timedelta(seconds=3))] == ["a4"]
    kinds = [(await anext(stream))[0] for _ in range(5)]
    assert kinds == ["alert"] * 5
    # an article read from news.raw goes out with the changes that rest on it, trimmed to what the view shows
    value = orjson.dumps(
        {"id": "x", "headline": "H" * 400, "body": "b", "source": "wire", "published_at": "2025-09-08T08:00:00Z"}
    )
    ref = feed.add_article(value)
    assert ref is not None and len(ref.headline) == 300 and ref.url is None
    assert feed.add_article(b"not json") is None and feed.add_article(b'{"id": "y"}') is None
    assert feed.event(change)["article"] == ref.model_dump(mode="json")
    feed.close()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(stream), 1)


def test_grafana_dashboard_uses_only_metrics_the_worker_exports() -> None:
    import json
    import re

    dashboard = json.loads((REPO / "deploy" / "grafana" / "stancewire.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {re.sub(r"_(bucket|count|sum)$", "", m) for e in exprs for m in re.findall(r"stancewire_\w+", e)}
    assert used <= set(metrics.METRIC_NAMES), used - set(metrics.METRIC_NAMES)
    assert {"stancewire_consumer_lag", "stancewire_deliveries_total", "stancewire_ingest_to_alert_seconds"} <= used
