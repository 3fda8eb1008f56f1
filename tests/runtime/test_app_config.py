"""The Faust App takes Stancewire's settings only: Faust's own environment variables change nothing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from streams.core.pipeline import Pipeline
from streams.nlp.extract import FastExtractor
from streams.runtime.app import create_app, faust_variables
from streams.settings import Settings

FAUST_ENV = {
    "WEB_BIND": "0.0.0.0",
    "WEB_HOST": "evil.example",
    "WEB_PORT": "7777",
    "PROCESSING_GUARANTEE": "exactly_once",
    "BROKER_URL": "kafka://elsewhere:9092",
    "APP_STORE": "rocksdb://",
    "APP_DATADIR": "/tmp/somewhere-else",
    "APP_WEB_TABLES_ENABLED": "true",
    "APP_WEB_ROUTER_ENABLED": "true",
    "PRODUCER_MAX_REQUEST_SIZE": "1",
    "TOPIC_ALLOW_DECLARE": "true",
}


def app_for(settings: Settings):  # noqa: ANN201 - faust.App
    return create_app(settings, Pipeline(settings, extractor=FastExtractor()))


def test_faust_environment_variables_are_ignored_and_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name, value in FAUST_ENV.items():
        monkeypatch.setenv(name, value)
    settings = Settings(broker="kafka://127.0.0.1:9092", data_dir=tmp_path / "state", web_enabled=True, web_port=6099)
    with caplog.at_level(logging.WARNING, logger="stancewire"):
        app = app_for(settings)
    conf = app.conf
    assert conf.web_bind == "127.0.0.1" and conf.web_port == 6099
    assert str(conf.canonical_url) == "http://127.0.0.1:6099"
    assert conf.processing_guarantee.value == "at_least_once"
    assert [str(url) for url in conf.broker] == ["kafka://127.0.0.1:9092"]
    assert str(conf.store) == "memory://" or str(conf.store) == "rocksdb:"  # ours: auto
    assert Path(conf.datadir) == tmp_path / "state"
    assert not conf.web_tables_enabled and not conf.web_router_enabled and not conf.web_stats_enabled
    assert conf.producer_max_request_size == settings.max_message_bytes()
    assert not conf.topic_allow_declare
    assert set(faust_variables()) == set(FAUST_ENV)
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "ignoring Faust's environment variable(s)" in warning and "WEB_BIND" in warning


def test_the_data_dir_is_created_with_its_parents(tmp_path: Path) -> None:
    data_dir = tmp_path / "var" / "deep" / "stancewire"
    app_for(Settings(broker="kafka://127.0.0.1:9092", data_dir=data_dir))
    assert data_dir.is_dir()


def test_no_warning_without_faust_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in FAUST_ENV:
        monkeypatch.delenv(name, raising=False)
    assert faust_variables({"STANCEWIRE_BROKER": "x", "PATH": "/bin"}) == []
