"""The web server's guards, without a broker: Host-header check, CSP, Faust's pages off, event-stream cap."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from streams.runtime.app import create_app
from streams.settings import Settings
from streams.web import host_allowed
from streams.web.live import static_files


def web_app(tmp_path: Path, **settings: object):  # noqa: ANN201 - aiohttp Application
    app = create_app(
        Settings(broker="kafka://127.0.0.1:9", web_enabled=True, data_dir=tmp_path, store="memory", **settings)
    )
    app.web.init_server()
    return app.web.web_app


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:6066", True),
        ("localhost:6066", True),
        ("LOCALHOST", True),
        ("[::1]:6066", True),
        ("127.0.0.2", True),
        ("evil.example:6066", False),
        ("127.0.0.1.evil.example", False),
        ("localhost.evil.example", False),
        ("", False),
        (None, False),
        ("[nonsense", False),
    ],
)
def test_bound_to_localhost_only_localhost_host_headers_are_answered(host: str | None, allowed: bool) -> None:
    assert host_allowed(host, "127.0.0.1") is allowed


def test_bound_elsewhere_any_host_is_answered() -> None:
    assert host_allowed("stancewire.internal:6066", "0.0.0.0")


async def test_a_rebinding_host_is_refused_and_every_answer_has_a_csp(tmp_path: Path) -> None:
    async with TestClient(TestServer(web_app(tmp_path))) as client:
        page = await client.get("/", headers={"Host": "127.0.0.1:6066"})
        assert page.status == 200
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        refused = await client.get("/api/alerts", headers={"Host": "attacker.example"})
        assert refused.status == 403
        assert "Host header not allowed" in (await refused.json())["error"]
        assert "Content-Security-Policy" in refused.headers


@pytest.mark.parametrize("path", ["/table/", "/table/stance-state/", "/router/", "/graph/", "/stats/", "/assignment/"])
async def test_fausts_own_pages_are_off(tmp_path: Path, path: str) -> None:
    async with TestClient(TestServer(web_app(tmp_path))) as client:
        assert (await client.get(path, headers={"Host": "localhost"})).status == 404


def test_the_page_runs_under_the_csp_no_inline_script_or_style() -> None:
    html = static_files()["index.html"].decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handlers are blocked by the CSP"
    script = static_files()["live.js"].decode()
    assert "eval(" not in script and "new Function" not in script and "innerHTML" not in script
    assert 'setAttribute("style"' not in script and "setAttribute('style'" not in script


async def test_event_streams_over_the_cap_get_503_with_a_message(tmp_path: Path) -> None:
    async with TestClient(TestServer(web_app(tmp_path, web_max_event_streams=2))) as client:
        headers = {"Host": "localhost"}
        first = await client.get("/api/events", headers=headers)
        second = await client.get("/api/events", headers=headers)
        assert first.status == second.status == 200
        assert (await asyncio.wait_for(first.content.readuntil(b"event: stats"), 5)).endswith(b"event: stats")
        third = await client.get("/api/events", headers=headers)
        assert third.status == 503 and third.headers["Retry-After"] == "10"
        assert "too many live event streams open (2, the limit is 2" in (await third.json())["error"]
        first.close()
        for _ in range(50):  # the server notices the closed connection
            fourth = await client.get("/api/events", headers=headers)
            if fourth.status == 200:
                break
            await asyncio.sleep(0.1)
        assert fourth.status == 200
        fourth.close()
        second.close()
