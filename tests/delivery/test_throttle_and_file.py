"""Throttling with digests (on an injected clock), and the file route's JSON lines."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson

from schemas import Alert, DeliveryFailure, decode
from streams.delivery import KIND_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, Deliverer, verify_signature
from tests.delivery.conftest import FAST, FakeClock, Receiver, make_alert, routed_rules

HOOK = {"type": "webhook", "url_env": "HOOK_URL", "secret_env": "HOOK_SECRET"}


def throttled(url: str, clock: FakeClock, *routes: dict, throttle: dict | None = None) -> Deliverer:
    rules = routed_rules(*(routes or (HOOK,)), throttle=throttle or {"max": 3, "window": "10m"})
    return Deliverer(rules, env={"HOOK_URL": url, "HOOK_SECRET": "k", "SLACK_URL": url}, backoff=FAST, clock=clock)


async def test_n_per_window_then_one_digest_at_the_end_of_the_window(receiver: Receiver, clock: FakeClock) -> None:
    url = receiver.script("/hook", 200)
    async with throttled(url, clock) as d:
        outcomes = []
        for n in range(10):
            (result,) = await d.deliver(make_alert(n))
            outcomes.append(result.outcome)
            clock.advance(seconds=30)  # 10 alerts over 5 minutes: all inside one 10-minute window
        assert outcomes == ["delivered"] * 3 + ["throttled"] * 7
        assert len(receiver.at("/hook")) == 3 and d.pending_digests() == 7
        assert await d.flush_digests() == []  # the window has not ended yet
        clock.advance(minutes=5)  # 10 minutes after the first alert
        (digest,) = await d.flush_digests()
        assert digest.kind == "digest" and digest.outcome == "delivered" and len(digest.alert_ids) == 7
        assert await d.flush_digests() == [] and d.pending_digests() == 0  # sent once
    *alerts, last = receiver.at("/hook")
    assert [decode(r.body, Alert).id for r in alerts] == [make_alert(n).id for n in range(3)]
    assert last.headers[KIND_HEADER] == "digest"
    assert verify_signature("k", last.headers[TIMESTAMP_HEADER], last.body, last.headers[SIGNATURE_HEADER])
    body = last.json()
    assert body["kind"] == "digest" and body["count"] == 7 and body["limit"] == 3
    assert body["alert_ids"] == [make_alert(n).id for n in range(3, 10)]
    assert [a["id"] for a in body["alerts"]] == body["alert_ids"] and body["omitted"] == 0
    assert body["window_end"] == "2025-09-04T09:10:00+00:00"


async def test_a_new_window_starts_fresh_and_a_quiet_window_sends_no_digest(
    receiver: Receiver, clock: FakeClock
) -> None:
    url = receiver.script("/hook", 200)
    async with throttled(url, clock, throttle={"max": 2, "window": "1m"}) as d:
        first = [(await d.deliver(make_alert(n)))[0].outcome for n in range(3)]
        clock.advance(seconds=61)
        second = [(await d.deliver(make_alert(n)))[0].outcome for n in range(10, 12)]  # window 2: within max
        clock.advance(seconds=61)
        (digest,) = await d.flush_digests()  # only window 1 folded anything
    assert first == ["delivered", "delivered", "throttled"] and second == ["delivered", "delivered"]
    assert digest.alert_ids == [make_alert(2).id]
    assert [r.headers[KIND_HEADER] for r in receiver.at("/hook")] == ["alert"] * 4 + ["digest"]


async def test_throttles_are_per_route_and_close_flushes_pending_digests(receiver: Receiver, clock: FakeClock) -> None:
    url = receiver.script("/hook", 200)
    slack = {"type": "slack", "url_env": "SLACK_URL", "throttle": {"max": 1, "window": "1h"}}
    d = throttled(url, clock, HOOK, slack, throttle={"max": 2, "window": "1h"})
    results = [await d.deliver(make_alert(n)) for n in range(4)]
    by_route: dict[str, list[str]] = {}
    for result in (r for rs in results for r in rs):
        by_route.setdefault(result.route, []).append(result.outcome)
    assert by_route == {
        "webhook:HOOK_URL": ["delivered", "delivered", "throttled", "throttled"],
        "slack:SLACK_URL": ["delivered", "throttled", "throttled", "throttled"],
    }
    await d.close()  # the worker stops before the hour is up: digests go out now rather than never
    digests = [r for r in receiver.at("/hook") if r.headers[KIND_HEADER] == "digest"]
    assert len(digests) == 2
    slack_digest = next(r.json() for r in digests if "text" in r.json())
    assert "3 more alert(s) from rule `rev`" in slack_digest["text"]


async def test_a_digest_that_cannot_be_sent_becomes_a_delivery_failure(receiver: Receiver, clock: FakeClock) -> None:
    url = receiver.script("/hook", 200, 503)  # the first alert gets in, then the receiver goes down
    failures: list[DeliveryFailure] = []

    async def on_failure(failure: DeliveryFailure) -> None:
        failures.append(failure)

    async with throttled(url, clock, {**HOOK, "max_attempts": 2}, throttle={"max": 1, "window": "1m"}) as d:
        d.on_failure = on_failure
        for n in range(3):
            await d.deliver(make_alert(n))
        clock.advance(minutes=2)
        (result,) = await d.flush_digests()
    assert result.outcome == "failed"
    (failure,) = failures
    assert failure.kind == "digest" and failure.alert is None
    assert failure.alert_ids == [make_alert(1).id, make_alert(2).id] and failure.attempts == 2


async def test_file_route_appends_json_lines_safely_under_concurrency(tmp_path: Path) -> None:
    path = tmp_path / "archive" / "alerts.jsonl"
    rules = routed_rules({"type": "file", "path": str(path)})
    alerts = [make_alert(n) for n in range(50)]
    async with Deliverer(rules, env={}) as d:
        for alert in alerts:
            await d.submit(alert)
        await d.drain()
        again = await d.deliver(alerts[0])
    assert again[0].outcome == "duplicate"
    lines = path.read_bytes().splitlines()
    assert len(lines) == 50
    assert sorted(Alert.model_validate(orjson.loads(line)).id for line in lines) == sorted(a.id for a in alerts)


async def test_file_route_that_cannot_write_fails_with_the_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    async with Deliverer(routed_rules({"type": "file", "path": str(blocker / "alerts.jsonl")}), env={}) as d:
        (result,) = await asyncio.wait_for(d.deliver(make_alert()), 5)
    assert result.outcome == "failed" and result.failure is not None
    assert "Error" in result.failure.last_error and result.route_type == "file"


async def test_file_route_throttle_writes_the_digest_as_a_line(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "alerts.jsonl"
    rules = routed_rules({"type": "file", "path": str(path), "throttle": {"max": 1, "window": "5m"}})
    async with Deliverer(rules, env={}, clock=clock) as d:
        for n in range(3):
            await d.deliver(make_alert(n))
        clock.advance(minutes=5)
        await d.flush_digests()
    first, digest = (orjson.loads(line) for line in path.read_bytes().splitlines())
    assert first["id"] == make_alert(0).id and digest["kind"] == "digest" and digest["count"] == 2
