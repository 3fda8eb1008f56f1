"""The file route: one JSON line per alert (or digest), appended."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson

from schemas import Alert, encode
from streams.delivery.payloads import Digest, digest_json
from streams.delivery.routes import FileRoute
from streams.delivery.senders.base import Attempted, Sender

__all__ = ["FileSender"]


class FileSender(Sender):
    route: FileRoute

    def alert_body(self, alert: Alert) -> bytes:
        return encode(alert)

    def digest_body(self, digest: Digest) -> bytes:
        return orjson.dumps(digest_json(digest))

    async def send(self, delivery_id: str, subject_id: str, kind: str, body: bytes) -> Attempted:
        """One JSON line, appended whole: writes to one file are serialised, each opens and closes it."""
        resolved = self.route.path.expanduser().absolute()
        lock = self.context.file_locks.setdefault(resolved, asyncio.Lock())
        async with lock:
            try:
                await asyncio.to_thread(_append_line, resolved, body)
            except OSError as exc:
                return Attempted(False, 1, error=f"{type(exc).__name__}: {exc}")
        return Attempted(True, 1)


def _append_line(path: Path, line: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as f:
        f.write(line.rstrip(b"\n") + b"\n")
