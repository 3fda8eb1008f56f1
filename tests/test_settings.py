"""Settings: the embedded broker's own defaults, and what the user gave always wins."""

from __future__ import annotations

import pytest

from streams.settings import EMBEDDED_SESSION_TIMEOUT, Settings


def test_the_embedded_broker_gets_memory_tables_and_short_group_timeouts() -> None:
    settings = Settings().on_embedded_broker("kafka://127.0.0.1:9")
    assert settings.broker == "kafka://127.0.0.1:9" and settings.store == "memory"
    assert settings.session_timeout == EMBEDDED_SESSION_TIMEOUT < Settings().session_timeout
    assert settings.heartbeat_interval < settings.session_timeout


def test_what_was_given_is_kept_on_the_embedded_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCEWIRE_SESSION_TIMEOUT", "7")
    settings = Settings(store="rocksdb", heartbeat_interval=2).on_embedded_broker("kafka://127.0.0.1:9")
    assert (settings.session_timeout, settings.heartbeat_interval, settings.store) == (7, 2, "rocksdb")


def test_a_budget_turned_off_reaches_a_child_process_turned_off(monkeypatch) -> None:  # noqa: ANN001
    given = Settings(extract_budget=None, stance_budget=None)
    env = given.to_env()
    assert env["STANCEWIRE_EXTRACT_BUDGET"] == "null"
    for key, value in env.items():  # as the extraction process takes them (`_start_extract_process`)
        monkeypatch.setenv(key, value)
    child = Settings()
    assert child.extract_budget is None and child.stance_budget is None
    assert child.extractor == given.extractor and child.fetch_wait == given.fetch_wait
    assert Settings(extract_budget=5.0).to_env()["STANCEWIRE_EXTRACT_BUDGET"] == "5.0"
