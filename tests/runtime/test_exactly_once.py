"""The exactly-once corrections to Faust (streams.runtime.corrections.exactly_once), on their own; the fault
suite shows them end to end (a worker killed under exactly-once on Apache Kafka leaves no duplicate and no loss)."""

from __future__ import annotations

from types import SimpleNamespace

import faust
import pytest
from faust.types import TP

from streams.runtime.app import create_app, table_store
from streams.runtime.corrections.exactly_once import CommittedAttachments
from streams.settings import Settings
from tests.kafka_fixtures import cli

SOURCE = TP("news.raw", 0)


def attach(attachments: CommittedAttachments, app: faust.App, offset: int) -> None:
    """Attach an output of input `offset` (from async tests: Faust's futures need a running loop)."""
    message = SimpleNamespace(tp=SOURCE, offset=offset)
    attachments.put(message, app.topic("news.statements"), b"key", f"output of {offset}".encode())


@pytest.fixture
def app() -> faust.App:
    return faust.App("eos-unit", broker="kafka://127.0.0.1:1", store="memory://", autodiscover=False)


async def test_a_commit_publishes_the_outputs_of_committed_offsets_only(app: faust.App) -> None:
    attachments = CommittedAttachments(app)
    for offset in (5, 6, 7):
        attach(attachments, app, offset)
    # Committing offset 7 means "5 and 6 are done, 7 is next": 7's output waits for 7's own commit.
    published = [fut.message.value for fut in attachments._attachments_for(SOURCE, 7)]
    assert published == [b"output of 5", b"output of 6"]
    assert [fut.message.value for fut in attachments._attachments_for(SOURCE, 8)] == [b"output of 7"]


async def test_revoked_partitions_forget_their_pending_outputs(app: faust.App) -> None:
    attachments = CommittedAttachments(app)
    attach(attachments, app, 3)
    attachments.forget({SOURCE})
    assert list(attachments._attachments_for(SOURCE, 10)) == []


def test_exactly_once_keeps_tables_in_memory() -> None:
    assert table_store(Settings(processing_guarantee="exactly_once")) == "memory://"
    with pytest.raises(ValueError, match="aborted transactions"):
        table_store(Settings(processing_guarantee="exactly_once", store="rocksdb"))


@pytest.mark.parametrize(
    ("guarantee", "interval", "expected"),
    [("at_least_once", None, 2.8), ("exactly_once", None, 0.2), ("exactly_once", 1.5, 1.5)],
)
def test_exactly_once_commits_more_often_unless_told(guarantee: str, interval: float | None, expected: float) -> None:
    settings = Settings(broker="kafka://127.0.0.1:9", processing_guarantee=guarantee, commit_interval=interval)
    assert settings.commit_seconds() == expected
    assert create_app(settings).conf.broker_commit_interval == expected


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["run", "--processing-guarantee", "exactly_once"], "transactions"),
        (["bench", "--processing-guarantee", "exactly_once", "--articles", "0"], "transactions"),
        (
            ["run", "--processing-guarantee", "exactly_once", "--store", "rocksdb", "--broker", "kafka://127.0.0.1:9"],
            "aborted transactions",
        ),
    ],
    ids=["run-on-the-embedded-broker", "bench-on-the-embedded-broker", "run-with-rocksdb"],
)
def test_the_cli_refuses_exactly_once_where_it_cannot_hold(command: list[str], message: str) -> None:
    result = cli(*command)
    assert result.returncode == 2, result.stderr
    assert message in " ".join(result.stderr.split())
