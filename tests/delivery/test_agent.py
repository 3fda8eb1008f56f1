"""The deliver agent under Faust's test context, delivering to the local receiver: alerts reach
their routes, what fails lands on `alerts.dlq`, a record that is not an alert goes to `news.dlq`."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import faust
import pytest

from schemas import DeadLetter, DeliveryFailure, decode, encode
from streams.core.alerting import AlertRules
from streams.delivery import ALERT_HEADER, Backoff
from streams.runtime.agents import deliver
from streams.runtime.topics import Topics, all_topic_partitions
from streams.settings import Settings, TopicNames
from tests.delivery.conftest import Receiver, make_alert
from tests.factories import offline_app


def test_alerts_dlq_is_a_topic_of_its_own() -> None:
    names = TopicNames("x-")
    assert names.alerts_dlq == "x-alerts.dlq" and names.alerts_dlq in names.all()
    assert "alerts.dlq" in all_topic_partitions(Settings(partitions=2))


@pytest.fixture
def app(tmp_path: Path) -> faust.App:
    return offline_app(f"test-deliver-{tmp_path.name}", tmp_path)


def test_no_routes_no_agent(app: faust.App) -> None:
    settings = Settings(partitions=1)
    assert deliver.register(app, Topics.declare(app, settings), AlertRules.load(), settings) is None
    assert "deliver" not in app.agents


async def test_deliver_agent_routes_alerts_and_dead_letters_failures(
    app: faust.App, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPS_URL", receiver.script("/ops", 200))
    monkeypatch.setenv("BROKEN_URL", receiver.script("/broken", 503))
    rules = AlertRules.model_validate(
        {
            "rules": [
                {"name": "ops", "routes": [{"type": "webhook", "url_env": "OPS_URL"}]},
                {"name": "broken", "routes": [{"type": "webhook", "url_env": "BROKEN_URL", "max_attempts": 2}]},
            ]
        }
    )
    settings = Settings(partitions=1)
    topics = Topics.declare(app, settings)
    sent: dict[str, list[tuple[object, bytes]]] = defaultdict(list)
    for topic in (topics.alerts_dlq, topics.dlq):
        name = topic.get_topic_name()

        async def record(key=None, value=None, _name=name, **_: object) -> None:  # noqa: ANN001
            sent[_name].append((key, value))

        topic.send = record  # type: ignore[method-assign]
    deliverer = deliver.register(app, topics, rules, settings)
    assert deliverer is not None
    deliverer.backoff = Backoff(base=0.001, cap=0.005)  # milliseconds between retries
    app.finalize()
    app.flow_control.resume()

    good, bad = make_alert(1, rule="ops"), make_alert(2, rule="broken")
    async with app.agents["deliver"].test_context() as agent:
        await agent.put(encode(good), key=b"HUN|sanctions-russia")
        await agent.put(encode(good), key=b"HUN|sanctions-russia")  # redelivered: sent once
        await agent.put(encode(bad), key=b"HUN|sanctions-russia")
        await agent.put(b"{not an alert", key=b"x")
        await deliverer.drain()
    assert [r.headers[ALERT_HEADER] for r in receiver.accepted("/ops")] == [good.id]
    assert len(receiver.at("/broken")) == 2
    ((key, value),) = sent[settings.topics.alerts_dlq]
    failure = decode(value, DeliveryFailure)
    assert key == bad.id and failure.alert == bad and failure.route == "webhook:BROKEN_URL"
    assert failure.attempts == 2 and failure.last_status == 503
    ((_, letter),) = sent[settings.topics.dlq]
    assert decode(letter, DeadLetter).reason == "invalid_json"
