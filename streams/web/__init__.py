"""The worker's web server (Faust's, on `web_bind`): JSON API, Prometheus metrics, health, live view.

- `api`: `/api/stances`, `/api/stances/{actor}/{topic}`, `/api/alerts` (responses: `schemas.api`)
- `health`: `/health`, `/metrics` (the metrics themselves: `metrics`, counted by the agents)
- `live`: `/` and `/api/events`, fed by `feed` (a group-less reader of changes and alerts)
- `auth`: with `web_token` set (required when bound beyond loopback), every route but `/health` asks for it

Every response carries a Content-Security-Policy (the page loads only its own script and style) and,
when the server is bound to a loopback address, a request whose Host header is not a loopback name
is refused (403): a page elsewhere cannot reach the worker through DNS rebinding.

`metrics` is imported by the agents; everything else only when the web server is enabled.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from yarl import URL

if TYPE_CHECKING:
    import faust

    from streams.settings import Settings

__all__ = ["SECURITY_HEADERS", "host_allowed", "register"]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}


def _loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allowed(host_header: str | None, bind: str) -> bool:
    """Whether a request with this Host header may be answered by a server bound to `bind`.

    Bound to a loopback address (the default, 127.0.0.1), only loopback names are answered
    (localhost, 127.0.0.1, [::1], with any port); bound elsewhere, any host is."""
    if not _loopback(bind):
        return True
    if not host_header:
        return False
    try:
        host = URL(f"http://{host_header}").host
    except ValueError:
        return False
    return host is not None and _loopback(host)


def _guard(app: faust.App) -> None:
    """Host-header check and security headers on Faust's aiohttp server, for every route."""
    from aiohttp import web as aioweb

    bind = str(app.conf.web_bind)

    @aioweb.middleware
    async def check_host(request: aioweb.Request, handler: Any) -> aioweb.StreamResponse:
        if not host_allowed(request.headers.get("Host"), bind):
            return aioweb.json_response(
                {
                    "error": f"Host header not allowed: this worker is bound to {bind} and answers only to "
                    "localhost, 127.0.0.1 and [::1] (a guard against DNS rebinding)"
                },
                status=403,
            )
        return await handler(request)

    async def add_headers(request: aioweb.Request, response: aioweb.StreamResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)

    web_app = app.web.web_app  # type: ignore[attr-defined]  # the aiohttp driver's Application
    web_app.middlewares.append(check_host)
    web_app.on_response_prepare.append(add_headers)


def register(app: faust.App, settings: Settings, label: Any = str) -> None:
    """Add every view to `app` (called by `create_app` when `web_enabled`); `label` names topics."""
    from streams.web import api, auth, health, live
    from streams.web.feed import LiveFeed

    if settings.web_token is not None:
        app.web.web_app.middlewares.append(auth.middleware(settings.web_token.get_secret_value()))

    # Faust mounts a placeholder index ({"status": "OK"}) at "/" when its statistics pages are off;
    # the live view takes "/" instead.
    blueprints = app.web.blueprints
    blueprints._enabled = [(p, bp) for p, bp in blueprints._enabled if "production_index" not in str(bp)]

    feed = LiveFeed(settings)
    app.live_feed = feed  # type: ignore[attr-defined]  # for tests and the shutdown hook below

    @app.task
    async def live_feed() -> None:
        await feed.run()

    @app.on_before_shutdown.connect
    async def end_live_views(app: faust.App, **_: object) -> None:
        feed.close()

    _guard(app)
    api.register(app, settings, feed, label)
    health.register(app, settings)
    live.register(app, feed, max_streams=settings.web_max_event_streams)
