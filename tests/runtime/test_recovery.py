"""The recovery correction (streams.runtime.corrections.recovery) under Faust's own objects, no broker:
a Faust upgrade that changes the hand-over from table restore to input reading fails here in seconds,
not only in the fault suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from faust.types import TP

from streams.runtime.app import create_app
from streams.runtime.corrections import recovery as recovery_module
from streams.runtime.corrections.recovery import CommittedRecovery
from streams.settings import Settings

INPUTS = {TP("news.raw", 0), TP("news.stances", 1)}


@pytest.fixture
def recovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CommittedRecovery, list[str]]:
    """The app's CommittedRecovery with the Kafka client replaced by a recorder of what is done, in order."""
    settings = Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, store="memory", extractor="fast")
    app = create_app(settings)
    recovery = app.tables.recovery
    assert isinstance(recovery, CommittedRecovery)
    calls: list[str] = []
    consumer = app.consumer

    async def perform_seek() -> None:
        calls.append("seek")
        consumer._read_offset.update({TP("news.raw", 0): 17})  # news.stances[1] has nothing committed

    async def on_client(work: Any, tps: set[TP]) -> None:
        calls.append(f"client {work.__name__.strip('_')} {sorted(tp.topic for tp in tps)}")

    async def nothing(*_: object, **__: object) -> None:
        return None

    monkeypatch.setattr(consumer, "assignment", lambda: set(INPUTS))
    monkeypatch.setattr(consumer, "perform_seek", perform_seek)
    monkeypatch.setattr(consumer, "resume_partitions", lambda tps: calls.append("faust resume"))
    monkeypatch.setattr(consumer, "resume_flow", lambda: None)

    async def wait(coro: Any, timeout: float | None = None) -> None:  # Faust's waits on its running service
        await coro

    monkeypatch.setattr(recovery, "_on_client", on_client)
    monkeypatch.setattr(recovery, "_wait", wait)
    monkeypatch.setattr(recovery_module, "fetcher", lambda app: type("F", (), {"maybe_start": nothing})())
    for table in recovery.tables.values():
        monkeypatch.setattr(table, "on_recovery_completed", nothing)
    monkeypatch.setattr(app, "on_rebalance_end", lambda: None)
    return recovery, calls


async def test_inputs_are_sought_to_their_commits_before_they_resume(recovery) -> None:  # noqa: ANN001
    committed, calls = recovery
    committed._rebalances = committed.app.rebalancing_count
    await committed.on_recovery_completed(committed.app.consumer_generation_id)
    assert calls == [
        "seek",
        "client rewind ['news.stances']",  # nothing committed there: back to its beginning
        "faust resume",
        "client resume ['news.raw', 'news.stances']",  # the client resumes last
    ]
    assert committed.completed.is_set()


async def test_a_newer_rebalance_leaves_the_inputs_paused(recovery) -> None:  # noqa: ANN001
    committed, calls = recovery
    committed._rebalances = committed.app.rebalancing_count - 1  # another rebalance began meanwhile
    await committed.on_recovery_completed(committed.app.consumer_generation_id)
    assert calls == []
    assert not committed.completed.is_set()


async def test_the_table_manager_registers_its_tables_at_start_without_faust_s_one_second_sleep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table is declared in create_app, so the start goes straight to the tables: the consumer
    subscribes (and the worker joins its group) once they are registered, a second sooner."""
    app = create_app(Settings(broker="kafka://127.0.0.1:1", data_dir=tmp_path, store="memory", extractor="fast"))
    manager = app.tables
    slept: list[float] = []
    started: list[str] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def start_recovery() -> None:
        started.append("recovery")

    monkeypatch.setattr(manager, "sleep", sleep)
    monkeypatch.setattr(manager.recovery, "start", start_recovery)
    monkeypatch.setattr(app.consumer, "assignment", set)  # no broker: nothing assigned yet
    monkeypatch.setattr(app.consumer, "pause_partitions", lambda tps: None)
    await manager.on_start()
    assert slept == []
    assert manager._tables_registered.is_set()  # what the conductor waits for before it subscribes
    assert started == ["recovery"]
