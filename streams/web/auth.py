"""The web server's bearer token: every route but `/health` asks for it when a token is configured.

A token is required when the server is bound beyond loopback (Settings refuses to start without one)
and used whenever one is set. Clients send `Authorization: Bearer TOKEN` (Prometheus: `authorization:
credentials_file`). A browser opens the live view once as `/?token=TOKEN`: the answer sets the token as
an HttpOnly, SameSite=Strict cookie and redirects to `/`, so the page's own requests (its script, the
event stream, which cannot send headers) carry it and the token leaves the address bar.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

import orjson
from aiohttp import web

from schemas.api import ApiError

__all__ = ["COOKIE", "OPEN_PATHS", "auth_headers", "authorized", "middleware"]

COOKIE = "stancewire_token"
OPEN_PATHS = frozenset({"/health"})  # probes (Kubernetes, load balancers) carry no token

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def authorized(request: web.Request, token: str) -> bool:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and _same(value.strip(), token):
        return True
    cookie = request.cookies.get(COOKIE)
    return cookie is not None and _same(cookie, token)


def auth_headers(token: str | None) -> dict[str, str]:
    """Headers of a request to another worker (the API's fan-out and forwarding)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def middleware(token: str) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def require_token(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in OPEN_PATHS or authorized(request, token):
            return await handler(request)
        if request.path == "/" and _same(request.query.get("token", ""), token):
            response = web.Response(status=303, headers={"Location": "/", "Cache-Control": "no-store"})
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
        body = ApiError(error="a bearer token is required (Authorization: Bearer TOKEN)").model_dump(mode="json")
        return web.Response(
            body=orjson.dumps(body),
            status=401,
            content_type="application/json",
            headers={"WWW-Authenticate": 'Bearer realm="stancewire"'},
        )

    return require_token
