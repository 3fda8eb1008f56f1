"""No broker: the web server's bind address, advertised URL and bearer token, served through aiohttp's
test server on 127.0.0.1 (the views answer without Kafka: empty buffers, health 503)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import ValidationError

from streams.runtime.app import create_app
from streams.settings import Settings
from streams.web.auth import COOKIE
from tests.kafka_fixtures import cli
from tests.web.helpers import free_port

TOKEN = "tok-3f9a61c2"


def web_settings(tmp_path: Path, **changes: object) -> Settings:
    return Settings(
        broker=f"kafka://127.0.0.1:{free_port()}", web_enabled=True, data_dir=tmp_path, store="memory", **changes
    )


async def serve(settings: Settings) -> TestClient:
    app = create_app(settings)
    app.web.blueprints.apply(app.web)
    client = TestClient(TestServer(app.web.web_app, host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def guarded(tmp_path: Path) -> AsyncIterator[TestClient]:
    client = await serve(web_settings(tmp_path, web_bind="0.0.0.0", web_token=TOKEN))
    try:
        yield client
    finally:
        await client.close()


async def test_beyond_loopback_every_route_but_health_needs_the_token(guarded: TestClient) -> None:
    for path in ("/api/alerts", "/api/stances", "/api/stances/RUS/t", "/metrics", "/", "/static/live.js"):
        response = await guarded.get(path)
        assert response.status == 401, path
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await guarded.get(path, headers={"Authorization": "Bearer wrong"})).status == 401, path
    assert (await guarded.get("/health")).status == 503  # open: no token asked, no broker here
    ok = {"Authorization": f"Bearer {TOKEN}"}
    assert (await guarded.get("/api/alerts", headers=ok)).status == 200
    assert (await guarded.get("/metrics", headers=ok)).status == 200
    assert (await guarded.get("/", headers=ok)).status == 200


async def test_the_live_view_link_sets_a_cookie_and_drops_the_token_from_the_address(guarded: TestClient) -> None:
    response = await guarded.get(f"/?token={TOKEN}", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == TOKEN and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert (await guarded.get("/api/alerts")).status == 200  # the page's own requests carry the cookie
    assert (await guarded.get("/api/events", timeout=2)).status == 200
    assert (await guarded.get("/api/alerts?token=" + TOKEN, cookies={COOKIE: "x"})).status == 401  # page link only


async def test_on_loopback_without_a_token_nothing_asks_for_one(tmp_path: Path) -> None:
    client = await serve(web_settings(tmp_path))
    try:
        assert (await client.get("/api/alerts")).status == 200
    finally:
        await client.close()


def test_bind_and_advertised_url_reach_faust(tmp_path: Path) -> None:
    app = create_app(web_settings(tmp_path, web_bind="0.0.0.0", web_port=7100, web_token=TOKEN))
    assert app.conf.web_bind == "0.0.0.0" and str(app.conf.canonical_url) == "http://127.0.0.1:7100"
    settings = web_settings(
        tmp_path, web_bind="10.1.2.3", web_token=TOKEN, web_advertised_url="http://worker-2.internal:6066/"
    )
    assert str(create_app(settings).conf.canonical_url) == "http://worker-2.internal:6066"
    assert web_settings(tmp_path, web_bind="127.0.0.2", web_port=7101).web_url() == "http://127.0.0.2:7101"


def test_bound_beyond_loopback_without_a_token_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="web_token"):
        web_settings(tmp_path, web_bind="0.0.0.0")
    monkeypatch.setenv("STANCEWIRE_WEB_BIND", "0.0.0.0")
    monkeypatch.setenv("STANCEWIRE_WEB_ENABLED", "true")
    result = cli("run", "--broker", "kafka://127.0.0.1:9")
    assert result.returncode == 2 and "web_token" in result.stderr and "Traceback" not in result.stderr


def test_the_token_file_is_read_and_the_forwarding_headers_carry_it(tmp_path: Path) -> None:
    from streams.web.auth import auth_headers

    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    settings = web_settings(tmp_path, web_bind="0.0.0.0", web_token_file=path)
    assert settings.web_token.get_secret_value() == TOKEN
    assert auth_headers(TOKEN) == {"Authorization": f"Bearer {TOKEN}"} and auth_headers(None) == {}


def test_each_worker_of_run_workers_advertises_its_own_port(tmp_path: Path) -> None:
    from streams.cli.run import worker_web_url

    plain = web_settings(tmp_path, web_port=7000)
    assert [worker_web_url(plain, i) for i in range(3)] == [f"http://127.0.0.1:{7000 + i}" for i in range(3)]
    given = web_settings(
        tmp_path, web_port=7000, web_bind="0.0.0.0", web_token=TOKEN, web_advertised_url="http://host-a:7000"
    )
    assert [worker_web_url(given, i) for i in range(2)] == ["http://host-a:7000", "http://host-a:7001"]


@pytest.mark.kafka  # `run` starts the embedded broker
def test_run_announces_in_json_under_log_format_json(monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson

    monkeypatch.setenv("STANCEWIRE_LOG_FORMAT", "json")
    monkeypatch.setenv("STANCEWIRE_CREATE_TOPICS", "false")  # then run stops at the check: nothing exists yet
    monkeypatch.delenv("STANCEWIRE_BROKER", raising=False)
    result = cli("run", timeout=60)
    first = orjson.loads(result.stderr.splitlines()[0])
    assert first["logger"] == "stancewire" and first["message"].startswith("embedded broker (Tansu, in memory) at")
    assert result.returncode == 2 and "missing:" in result.stderr
