"""The live view: `/` (a page and its script, package data in `streams/web/static/`) and
`/api/events`, a server-sent event stream of changes, alerts and the dead-letter count."""

from __future__ import annotations

import asyncio
from importlib import resources

import faust
import orjson
from aiohttp import web as aioweb
from faust.web import Request, Response, View

from streams.web.feed import LiveFeed

__all__ = ["register", "static_files"]

CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def static_files() -> dict[str, bytes]:
    folder = resources.files("streams.web") / "static"
    return {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file() and not f.name.startswith(".")}


def register(app: faust.App, feed: LiveFeed, max_streams: int = 100) -> None:
    files = static_files()
    open_streams = 0  # event streams being served; over `max_streams` a new one is refused with 503

    def serve(view: View, name: str) -> Response:
        suffix = name[name.rfind(".") :]
        if name not in files or suffix not in CONTENT_TYPES:
            return view.bytes(b"not found", content_type="text/plain", status=404)
        return view.bytes(files[name], content_type=CONTENT_TYPES[suffix], headers={"Cache-Control": "no-cache"})

    @app.page("/", name="live")
    class Index(View):
        async def get(self, request: Request) -> Response:
            return serve(self, "index.html")

    @app.page("/static/{name}", name="static")
    class Static(View):
        async def get(self, request: Request, name: str) -> Response:
            return serve(self, name)

    @app.page("/api/events", name="events")
    class Events(View):
        """`text/event-stream`: `change`, `alert` and `stats` events (recent ones first), comments to keep alive."""

        async def get(self, request: Request) -> aioweb.StreamResponse:
            nonlocal open_streams
            if open_streams >= max_streams:
                message = (
                    f"too many live event streams open ({open_streams}, the limit is {max_streams}: "
                    "STANCEWIRE_WEB_MAX_EVENT_STREAMS); close a live view or try again later"
                )
                return aioweb.json_response({"error": message}, status=503, headers={"Retry-After": "10"})
            open_streams += 1
            try:
                return await self._stream(request)
            finally:
                open_streams -= 1

        async def _stream(self, request: Request) -> aioweb.StreamResponse:
            response = aioweb.StreamResponse(
                headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            )
            await response.prepare(request)  # type: ignore[arg-type]  # the aiohttp driver's request
            try:
                async for item in feed.subscribe():
                    if item is None:
                        await response.write(b": keep-alive\n\n")
                        continue
                    kind, data = item
                    await response.write(b"event: " + kind.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n")
            except (ConnectionError, asyncio.CancelledError):
                pass
            return response
