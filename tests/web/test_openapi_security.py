"""No broker: the OpenAPI document describes the bearer token as the server enforces it.

The document is valid OpenAPI 3.1 (openapi-spec-validator); every route but `/health` names the token
(header or the live view's cookie) and documents 401; `/health` is open. Then each documented route is
asked on a worker bound beyond loopback with a token: without it, exactly the routes documented with
401 answer 401 (with `WWW-Authenticate: Bearer`), and the documented way in (header, cookie, `/?token=`)
gets past it.
"""

from __future__ import annotations

import json
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from openapi_spec_validator import validate

from schemas.openapi import COOKIE_SCHEME, OPEN_ROUTES, QUERY_SCHEME, SECURITY_SCHEME, openapi_document
from streams.runtime.app import create_app
from streams.settings import Settings
from streams.web import auth
from tests.web.helpers import free_port

REPO = Path(__file__).resolve().parents[2]
TOKEN = "tok-openapi-5d21"


def operations(document: dict) -> list[tuple[str, dict]]:
    return [(route, op) for route, ops in document["paths"].items() for op in ops.values()]


def test_the_committed_document_is_valid_openapi_3_1() -> None:
    document = json.loads((REPO / "schemas" / "openapi.json").read_text("utf-8"))
    validate(document)  # raises with the offending path on an invalid document
    assert document["openapi"].startswith("3.1")


def test_every_route_but_health_names_the_token_and_its_401() -> None:
    document = openapi_document()
    schemes = document["components"]["securitySchemes"]
    assert schemes[SECURITY_SCHEME] == {**schemes[SECURITY_SCHEME], "type": "http", "scheme": "bearer"}
    assert schemes[COOKIE_SCHEME]["in"] == "cookie" and schemes[COOKIE_SCHEME]["name"] == auth.COOKIE
    assert schemes[QUERY_SCHEME]["in"] == "query"
    assert OPEN_ROUTES == auth.OPEN_PATHS  # the document's open routes are the server's
    protected = 0
    for route, op in operations(document):
        if route in OPEN_ROUTES:
            assert op["security"] == [] and "401" not in op["responses"], route
            continue
        protected += 1
        assert {SECURITY_SCHEME: []} in op["security"] and {COOKIE_SCHEME: []} in op["security"], route
        assert op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApiError"), route
        assert ({QUERY_SCHEME: []} in op["security"]) == (route == "/"), route
    assert protected >= 6


def concrete(route: str) -> str:
    return route.replace("{actor}", "HUN").replace("{topic}", "sanctions-russia")


async def test_the_server_answers_as_documented(tmp_path: Path) -> None:
    settings = Settings(
        broker=f"kafka://127.0.0.1:{free_port()}",
        web_enabled=True,
        web_bind="0.0.0.0",
        web_token=TOKEN,
        data_dir=tmp_path,
        store="memory",
    )
    app = create_app(settings)
    app.web.blueprints.apply(app.web)
    client = TestClient(TestServer(app.web.web_app, host="127.0.0.1"))
    await client.start_server()
    try:
        for route, op in operations(openapi_document()):
            path = concrete(route)
            # the event stream never ends: only its status line is read; /metrics waits for the (absent) broker
            wait = 5 if path == "/api/events" else 60
            response = await client.get(path, timeout=wait)
            if "401" in op["responses"]:
                assert response.status == 401, path
                assert response.headers["WWW-Authenticate"].startswith("Bearer"), path
                for way in ({"headers": {"Authorization": f"Bearer {TOKEN}"}}, {"cookies": {auth.COOKIE: TOKEN}}):
                    allowed = await client.get(path, timeout=wait, **way)
                    assert allowed.status != 401, (path, way)
                    allowed.close()
            else:
                assert response.status != 401, path
            response.close()
        link = await client.get(f"/?token={TOKEN}", allow_redirects=False)
        assert link.status == 303 and "303" in openapi_document()["paths"]["/"]["get"]["responses"]
    finally:
        await client.close()
