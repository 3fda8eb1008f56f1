"""Webhook and Slack deliveries to a real local HTTP server: headers and signatures, retries with
backoff, Retry-After, bounded failure with the last error, and de-duplication by alert id."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from schemas import Alert, DeliveryFailure, decode
from streams.delivery import (
    ALERT_HEADER,
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Backoff,
    Deliverer,
    verify_signature,
)
from tests.delivery.conftest import FAST, Receiver, make_alert, routed_rules

SECRET = "webhook-signing-key"


def webhook(**extra: object) -> dict:
    return {"type": "webhook", "url_env": "HOOK_URL", "secret_env": "HOOK_SECRET", **extra}


def deliverer(url: str, *routes: dict, **kwargs: object) -> Deliverer:
    env = {"HOOK_URL": url, "HOOK_SECRET": SECRET, "SLACK_URL": url}
    return Deliverer(routed_rules(*(routes or (webhook(),))), env=env, backoff=FAST, **kwargs)


async def test_webhook_posts_the_alert_signed_with_its_ids_in_headers(receiver: Receiver) -> None:
    url = receiver.script("/hook", 200)
    alert = make_alert()
    async with deliverer(url) as d:
        (result,) = await d.deliver(alert)
    assert result.outcome == "delivered" and result.attempts == 1 and result.status == 200
    (seen,) = receiver.at("/hook")
    assert decode(seen.body, Alert) == alert  # the Alert record as JSON
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers[ALERT_HEADER] == alert.id
    assert seen.headers[DELIVERY_HEADER] == result.delivery_id
    ts, sig = seen.headers[TIMESTAMP_HEADER], seen.headers[SIGNATURE_HEADER]
    assert verify_signature(SECRET, ts, seen.body, sig, tolerance=60)
    assert not verify_signature(SECRET, ts, seen.body.replace(b"HUN", b"POL"), sig, tolerance=60)  # tampered
    assert not verify_signature(SECRET, ts, seen.body, sig, tolerance=60, now=int(ts) + 3600)  # replayed an hour on
    assert not verify_signature("not-the-key", ts, seen.body, sig, tolerance=60)


async def test_no_secret_no_signature(receiver: Receiver) -> None:
    url = receiver.script("/plain", 200)
    async with deliverer(url, {"type": "webhook", "url_env": "HOOK_URL"}) as d:
        await d.deliver(make_alert())
    (seen,) = receiver.at("/plain")
    assert SIGNATURE_HEADER not in seen.headers and TIMESTAMP_HEADER not in seen.headers


async def test_500_twice_then_200_delivers_exactly_once(receiver: Receiver, sleeps, recording_sleep) -> None:  # noqa: ANN001
    url = receiver.script("/flaky", 500, 500, 200)
    async with deliverer(url, sleep=recording_sleep) as d:
        (result,) = await d.deliver(make_alert())
    assert result.outcome == "delivered" and result.attempts == 3
    assert [r.status for r in receiver.at("/flaky")] == [500, 500, 200]
    assert len(receiver.accepted("/flaky")) == 1
    ids = {r.headers[DELIVERY_HEADER] for r in receiver.at("/flaky")}
    assert ids == {result.delivery_id}  # one delivery id across its attempts, so receivers can dedupe
    assert [r.headers["X-Stancewire-Attempt"] for r in receiver.at("/flaky")] == ["1", "2", "3"]
    assert len(sleeps) == 2 and all(0 <= s <= FAST.cap for s in sleeps)  # jittered, bounded backoff


def test_backoff_is_exponential_with_full_jitter() -> None:
    backoff = Backoff(base=0.5, cap=4.0)
    assert [backoff.delay(n, rng=lambda: 1.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert backoff.delay(3, rng=lambda: 0.25) == 0.5
    assert backoff.delay(3, rng=lambda: 0.0) == 0.0


async def test_always_503_fails_after_max_attempts_with_the_last_error(receiver: Receiver) -> None:
    url = receiver.script("/down", (503, {}))
    failures: list[DeliveryFailure] = []

    async def on_failure(failure: DeliveryFailure) -> None:
        failures.append(failure)

    alert = make_alert()
    async with deliverer(url, webhook(max_attempts=3), on_failure=on_failure) as d:
        (result,) = await d.deliver(alert)
    assert result.outcome == "failed" and result.attempts == 3 and result.status == 503
    assert len(receiver.at("/down")) == 3
    (failure,) = failures
    assert failure.alert == alert and failure.alert_ids == [alert.id] and failure.kind == "alert"
    assert failure.attempts == 3 and failure.last_status == 503 and "HTTP 503" in failure.last_error
    assert failure.route == "webhook:HOOK_URL" and failure.rule == "rev"
    assert url not in failure.last_error


async def test_a_receiver_that_never_answers_times_out_and_fails(receiver: Receiver) -> None:
    url = receiver.script("/silent", 0)
    async with deliverer(url, webhook(timeout="0.2s", max_attempts=2)) as d:
        (result,) = await asyncio.wait_for(d.deliver(make_alert()), timeout=5)
    assert result.outcome == "failed" and result.attempts == 2 and result.status is None
    assert "no answer within 0.2s" in result.error
    assert len(receiver.at("/silent")) == 2
    assert result.failure is not None and result.failure.last_error == result.error


async def test_unreachable_receiver_is_retried_then_fails() -> None:
    async with deliverer("http://127.0.0.1:9/hook", webhook(max_attempts=2)) as d:
        (result,) = await d.deliver(make_alert())
    assert result.outcome == "failed" and result.attempts == 2 and result.status is None
    assert "Connect" in result.error  # aiohttp's connection error, named


async def test_4xx_is_not_retried(receiver: Receiver) -> None:
    url = receiver.script("/bad", 400, 200)
    async with deliverer(url) as d:
        (result,) = await d.deliver(make_alert())
    assert result.outcome == "failed" and result.attempts == 1 and result.status == 400
    assert "answer 400" in result.error  # the receiver's own words are kept
    assert len(receiver.at("/bad")) == 1


async def test_429_retry_after_is_honoured_and_bounded(receiver: Receiver, sleeps, recording_sleep) -> None:  # noqa: ANN001
    url = receiver.script("/busy", (429, {"Retry-After": "0.03"}), (429, {"Retry-After": "3600"}), 200)
    async with deliverer(url, sleep=recording_sleep) as d:
        (result,) = await d.deliver(make_alert())
    assert result.outcome == "delivered" and result.attempts == 3
    assert sleeps == [0.03, FAST.retry_after_cap]  # as asked, then cut to the cap


async def test_a_duplicated_alert_is_delivered_once(receiver: Receiver) -> None:
    url = receiver.script("/once", 200)
    alert = make_alert()
    async with deliverer(url) as d:
        together = await asyncio.gather(d.deliver(alert), d.deliver(alert))  # concurrently
        again = await d.deliver(alert.model_copy())  # replayed later
        other = await d.deliver(make_alert(2))
    outcomes = sorted(r.outcome for rs in together for r in rs)
    assert outcomes == ["delivered", "duplicate"] and again[0].outcome == "duplicate"
    assert other[0].outcome == "delivered"
    assert [r.headers[ALERT_HEADER] for r in receiver.accepted("/once")] == [alert.id, make_alert(2).id]


async def test_a_failed_alert_may_be_tried_again(receiver: Receiver) -> None:
    url = receiver.script("/later", 503, 503, 200)
    alert = make_alert()
    async with deliverer(url, webhook(max_attempts=2)) as d:
        assert (await d.deliver(alert))[0].outcome == "failed"
        assert (await d.deliver(alert))[0].outcome == "delivered"  # redelivered after a failure: not a duplicate
    assert len(receiver.accepted("/later")) == 1


async def test_slack_gets_a_readable_message(receiver: Receiver) -> None:
    url = receiver.script("/slack", 200)
    alert = make_alert()
    async with deliverer(url, {"type": "slack", "url_env": "SLACK_URL"}) as d:
        (result,) = await d.deliver(alert)
    assert result.outcome == "delivered" and result.route == "slack:SLACK_URL"
    (seen,) = receiver.at("/slack")
    payload = seen.json()
    assert "HUN reversal on Sanctions on Russia" in payload["text"]
    text = str(payload["blocks"])
    assert "Viktor Orban (HUN)" in text and "Sanctions on Russia" in text
    assert "support → *oppose*" in text
    assert "&lt;new&gt; sanctions &amp; we say so" in text  # the evidence quote, escaped for Slack
    assert "<https://wire.example/a2|article>" in text
    assert SIGNATURE_HEADER not in seen.headers


async def test_slack_without_a_url_has_no_link(receiver: Receiver) -> None:
    url = receiver.script("/slack", 200)
    async with deliverer(url, {"type": "slack", "url_env": "SLACK_URL"}) as d:
        await d.deliver(make_alert(url=None))
    assert "|article>" not in str(receiver.at("/slack")[0].json())


async def test_submit_returns_at_once_and_the_concurrency_limit_bounds_requests(receiver: Receiver) -> None:
    receiver.delay = 0.05
    url = receiver.script("/slow", 200)
    async with deliverer(url, concurrency=2) as d:
        loop = asyncio.get_running_loop()
        started = loop.time()
        for n in range(8):
            await d.submit(make_alert(n))
        assert loop.time() - started < 0.05  # handed over, not delivered inline
        await d.drain()
        assert d.stats.outcomes == {"delivered": 8}
    assert len(receiver.accepted("/slow")) == 8
    assert receiver.peak == 2


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from email.utils import format_datetime

    from schemas import utc_now
    from streams.delivery.senders.http import _retry_after

    assert _retry_after("7") == 7.0 and _retry_after(" 0.5 ") == 0.5 and _retry_after("-3") == 0.0
    in_a_minute = format_datetime(utc_now() + timedelta(seconds=60), usegmt=True)
    assert 55 <= _retry_after(in_a_minute) <= 60
    assert _retry_after("soon") is None and _retry_after(None) is None
