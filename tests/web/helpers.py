"""Small helpers for the web tests: free ports, JSON over HTTP (stdlib), waiting, Prometheus samples."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from prometheus_client.parser import text_string_to_metric_families

DATA = Path(__file__).resolve().parents[1] / "data"
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 10.0, token: str | None = None) -> tuple[int, bytes]:
    """(status, body) of a GET, with a bearer token if given; connection errors give status 0."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def get_json(url: str, token: str | None = None) -> tuple[int, Any]:
    status, body = http_get(url, token=token)
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, None


def wait_for(check: Callable[[], T | None], timeout: float, what: str | Callable[[], str], interval: float = 0.5) -> T:
    """Poll `check` until it returns something truthy; fail with `what` (or what it returns) at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what() if callable(what) else what}")
        time.sleep(interval)


def sample(metrics_text: str, name: str, **labels: str) -> float:
    """Sum of the samples called `name` whose labels include `labels` (0 when there is none)."""
    total = 0.0
    for family in text_string_to_metric_families(metrics_text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                total += s.value
    return total


def article_files(tmp_path: Path) -> list[Path]:
    """tests/data/reversal.jsonl split into one file per article (oppose first, then support)."""
    paths = []
    for index, line in enumerate((DATA / "reversal.jsonl").read_text().splitlines()):
        path = tmp_path / f"article-{index}.jsonl"
        path.write_text(line + "\n")
        paths.append(path)
    return paths
