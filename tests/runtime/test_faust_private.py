"""Every private Faust name the corrections rely on still exists in the installed Faust."""

from __future__ import annotations

import faust
import pytest

from streams.runtime.corrections import faust_private


@pytest.mark.parametrize(
    ("owner", "name"),
    [*faust_private.OVERRIDDEN, *faust_private.ACCESSED],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_private_class_name_exists(owner: type, name: str) -> None:
    if name == "_pending":  # set in __init__: look on an instance
        owner = owner(faust.App("private-names", broker="kafka://127.0.0.1:1", autodiscover=False))
    elif name == "_recovery":
        assert "_recovery" in owner.__init__.__code__.co_names or hasattr(owner, name)
        return
    assert hasattr(owner, name), f"faust {faust.__version__}: {owner} has no {name}"


def test_private_instance_attributes_exist() -> None:
    app = faust.App("private-names", broker="kafka://127.0.0.1:1", autodiscover=False)
    for name in faust_private.APP_ATTRIBUTES:
        assert hasattr(app, name), f"faust {faust.__version__}: App has no {name}"
    for name in faust_private.CONSUMER_ATTRIBUTES:
        assert hasattr(app.consumer, name), f"faust {faust.__version__}: Consumer has no {name}"


async def test_private_client_attributes_exist() -> None:
    from aiokafka import AIOKafkaConsumer

    client = AIOKafkaConsumer(bootstrap_servers="127.0.0.1:1")
    for name in faust_private.CLIENT_ATTRIBUTES:
        assert hasattr(client, name), f"aiokafka: AIOKafkaConsumer has no {name}"


async def test_the_worker_consumer_waits_at_most_the_fetch_wait(tmp_path) -> None:  # noqa: ANN001
    from streams.runtime.app import create_app
    from streams.settings import Settings

    app = create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, store="memory", fetch_wait=0.05))
    client = faust_private.consumer_thread(app)._create_worker_consumer(app.transport)
    assert client._fetch_max_wait_ms == 50


def test_the_worker_producer_lingers_the_produce_linger(tmp_path) -> None:  # noqa: ANN001
    from streams.runtime.app import create_app
    from streams.settings import Settings

    for linger, linger_ms in ((0.02, 20), (0.0, 0)):
        app = create_app(
            Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, store="memory", produce_linger=linger)
        )
        assert app.producer._settings_default()["linger_ms"] == linger_ms


async def test_private_producer_attributes_exist() -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers="127.0.0.1:1")
    for name in faust_private.PRODUCER_ATTRIBUTES:
        assert hasattr(producer, name), f"aiokafka: AIOKafkaProducer has no {name}"
    accumulator = producer._message_accumulator
    for name in faust_private.ACCUMULATOR_ATTRIBUTES:
        assert hasattr(accumulator, name), f"aiokafka: MessageAccumulator has no {name}"
    batch = accumulator._append_batch(accumulator.create_builder(), ("t", 0))
    for name in faust_private.BATCH_ATTRIBUTES:
        assert hasattr(batch, name), f"aiokafka: MessageBatch has no {name}"
    await producer.client.close()
