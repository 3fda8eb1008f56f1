"""deliver: `alerts` → the routes of each alert's rule (webhook, Slack, file); failures → `alerts.dlq`.

The agent only decodes and hands each alert to a `streams.delivery.Deliverer`, which delivers it in a
task of its own (at most `delivery_concurrency` requests in flight), so a slow or dead receiver never
holds up the loop. The stream runs without automatic acks: an alert's offset is acknowledged when its
delivery has ended (delivered, sent to `alerts.dlq`, throttled into a digest, or skipped as a
duplicate), so an alert still in flight when the worker dies is delivered again after the restart.
A timer sends throttle digests when their window ends; at shutdown the worker finishes deliveries in
flight and sends the pending digests. Registered only when some rule has routes.
"""

from __future__ import annotations

import faust

from schemas import Alert, DeliveryFailure
from streams.core.alerting import AlertRules
from streams.core.pipeline import Pipeline
from streams.delivery import Deliverer
from streams.runtime import metrics
from streams.runtime.agents.loop import publish, records
from streams.runtime.topics import Topics
from streams.settings import Settings

DIGEST_TICK = 1.0  # seconds between checks for digests whose window has ended


def register(
    app: faust.App,
    topics: Topics,
    source: Pipeline | AlertRules,
    settings: Settings,
    deliverer: Deliverer | None = None,
) -> Deliverer | None:
    """Wire the deliver agent; returns its Deliverer (None when no rule has a route)."""
    rules = source.rules if isinstance(source, Pipeline) else source
    if not rules.routed:
        return None

    async def to_dead_letters(failure: DeliveryFailure) -> None:
        key = failure.alert_ids[0] if failure.alert_ids else None
        await publish(topics.alerts_dlq, key, failure, detached=True)

    if deliverer is None:
        deliverer = Deliverer(rules, concurrency=settings.delivery_concurrency, on_failure=to_dead_letters)
    elif deliverer.on_failure is None:
        deliverer.on_failure = to_dead_letters
    if deliverer.on_result is None:
        deliverer.on_result = metrics.delivery_result
    delivering: Deliverer = deliverer

    @app.agent(topics.alerts, name="deliver")
    async def deliver(stream: faust.StreamT) -> None:
        async for event, alert in records(stream, Alert, topics.dlq, noack=True):
            await delivering.submit(alert, done=event.ack)

    @app.timer(DIGEST_TICK, name="deliver-digests")
    async def send_due_digests() -> None:
        await delivering.flush_digests()

    @app.on_before_shutdown.connect
    async def finish_deliveries(app: faust.App, **_: object) -> None:
        await delivering.close()

    return delivering
