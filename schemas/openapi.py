"""OpenAPI 3.1 description of the worker's HTTP API, generated from `schemas.api` (`stancewire openapi`)."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from schemas.api import AlertsResponse, ApiError, Health, StanceDetail, StancesResponse

__all__ = ["OPEN_ROUTES", "SECURITY_SCHEME", "openapi_document", "openapi_text"]

REF = "#/components/schemas/{model}"
SECURITY_SCHEME = "bearerToken"
COOKIE_SCHEME = "tokenCookie"  # set by the live view's `/?token=` link (`streams.web.auth.COOKIE`)
QUERY_SCHEME = "tokenLink"  # `/?token=TOKEN`, the live view only
#: Routes that never ask for the token (`streams.web.auth.OPEN_PATHS`): probes carry none.
OPEN_ROUTES = frozenset({"/health"})


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}},
    }


def _query(name: str, description: str, fmt: str | None = None, kind: str = "string") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    if fmt:
        schema["format"] = fmt
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


def _protect(paths: dict[str, Any]) -> None:
    """Every operation but the open ones: the bearer token, and its 401 answer."""
    unauthorized = _json(
        ApiError,
        "No token, or a wrong one (only when the worker has `web_token`: always when bound beyond loopback). "
        "The answer carries `WWW-Authenticate: Bearer`.",
    )
    for route, operations in paths.items():
        for operation in operations.values():
            if route in OPEN_ROUTES:
                operation["security"] = []  # open even when a token is configured
                continue
            # alternatives: the header, or the cookie the live view's link sets (and on `/`, that link)
            operation["security"] = [{SECURITY_SCHEME: []}, {COOKIE_SCHEME: []}]
            if route == "/":
                operation["security"].append({QUERY_SCHEME: []})
            operation["responses"]["401"] = unauthorized


def openapi_document() -> dict[str, Any]:
    models: list[type[BaseModel]] = [StancesResponse, StanceDetail, AlertsResponse, Health, ApiError]
    _, defs = models_json_schema([(m, "serialization") for m in models], ref_template=REF)
    paths = {
        "/api/stances": {
            "get": {
                "summary": "Current stances, from every worker's `stance-state` table",
                "description": "The answering worker reads its own table and asks every other worker of the group "
                "(`?local=1`) for theirs; workers that do not answer are listed in `unreachable`.",
                "parameters": [
                    _query("actor", "Only this actor (e.g. HUN)."),
                    _query("topic", "Only this taxonomy topic (e.g. sanctions-russia)."),
                    _query("local", "1: this worker's table only (used by the fan-out)."),
                ],
                "responses": {"200": _json(StancesResponse, "Current stances.")},
            }
        },
        "/api/stances/{actor}/{topic}": {
            "get": {
                "summary": "One pair's current stance and its recent changes",
                "description": "Answered by the worker that owns the pair's table partition: a request to another "
                "worker is forwarded there (`served_by` names the owner).",
                "parameters": [_path("actor", "Actor code, e.g. HUN."), _path("topic", "Topic id.")],
                "responses": {
                    "200": _json(StanceDetail, "The pair."),
                    "404": _json(ApiError, "No stance of this actor on this topic."),
                    "503": _json(ApiError, "The owner is unknown (rebalancing) or did not answer."),
                },
            }
        },
        "/api/alerts": {
            "get": {
                "summary": "Recent alerts (all partitions), newest first",
                "parameters": [
                    _query("since", "Only alerts created after this ISO-8601 time (with a timezone).", "date-time"),
                    _query("limit", "At most this many (default 100, at most 500).", kind="integer"),
                ],
                "responses": {
                    "200": _json(AlertsResponse, "Recent alerts."),
                    "400": _json(ApiError, "A bad `since` or `limit`."),
                },
            }
        },
        "/health": {
            "get": {
                "summary": "Broker reachable, partitions assigned, consumer lag",
                "responses": {
                    "200": _json(Health, "Healthy: the broker answers and partitions are assigned."),
                    "503": _json(Health, "Broker unreachable, or no partitions assigned (yet)."),
                },
            }
        },
        "/metrics": {
            "get": {
                "summary": "Prometheus metrics (text exposition format)",
                "responses": {
                    "200": {"description": "Metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            }
        },
        "/api/events": {
            "get": {
                "summary": "Live feed: server-sent events `change` (StanceChange), `alert` (Alert), `stats`",
                "responses": {
                    "200": {
                        "description": "An event stream.",
                        "content": {"text/event-stream": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/": {
            "get": {
                "summary": "The live view (HTML)",
                "responses": {
                    "200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}},
                    "303": {
                        "description": "`?token=` was right: sets the HttpOnly cookie `stancewire_token` and "
                        "redirects to `/`, so the token leaves the address bar.",
                        "headers": {
                            "Set-Cookie": {"schema": {"type": "string"}},
                            "Location": {"schema": {"type": "string"}},
                        },
                    },
                },
            }
        },
    }
    _protect(paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stancewire worker API",
            "version": "1",
            "description": "Served by every worker's web server (`web_enabled`, `web_port`), on `web_bind` "
            "(127.0.0.1 by default). With `web_token` set (required when bound beyond loopback) every route but "
            "`/health` asks for it as `Authorization: Bearer TOKEN`; a browser opens the live view once as "
            "`/?token=TOKEN`, which sets an HttpOnly cookie (`stancewire_token`) and redirects to `/`.",
        },
        "paths": paths,
        "security": [{SECURITY_SCHEME: []}, {COOKIE_SCHEME: []}],
        "components": {
            "schemas": defs["$defs"],
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The worker's `web_token` (`STANCEWIRE_WEB_TOKEN` or `STANCEWIRE_WEB_TOKEN_FILE`); "
                    "not asked when no token is set.",
                },
                COOKIE_SCHEME: {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "stancewire_token",
                    "description": "The token as the HttpOnly cookie that `/?token=TOKEN` sets (the live view's own "
                    "requests, including the event stream, which cannot send headers).",
                },
                QUERY_SCHEME: {
                    "type": "apiKey",
                    "in": "query",
                    "name": "token",
                    "description": "On `/` only: a right token is answered with 303, the cookie and `Location: /`.",
                },
            },
        },
    }


def openapi_text() -> str:
    """The document as stable JSON (sorted keys), as written to `schemas/openapi.json`."""
    return orjson.dumps(openapi_document(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
