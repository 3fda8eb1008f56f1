"""The worker's web server (Faust's, on `web_bind`): JSON API, Prometheus metrics, health, live view.

- `api`: `/api/stances`, `/api/stances/{actor}/{topic}`, `/api/alerts` (responses: `schemas.api`)
- `health`: `/health`, `/metrics` (the metrics themselves: `metrics`, counted by the agents)
- `live`: `/` and `/api/events`, fed by `feed` (a group-less reader of changes and alerts)
- `auth`: with `web_token` set (required when bound beyond loopback), every route but `/health` asks for it

`metrics` is imported by the agents; everything else only when the web server is enabled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import faust

    from streams.settings import Settings

__all__ = ["register"]


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

    api.register(app, settings, feed, label)
    health.register(app, settings)
    live.register(app, feed)
