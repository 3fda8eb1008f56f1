"""`stancewire poll` against a local HTTP server: conditional GET, GUID dedupe across restarts, backoff."""

from __future__ import annotations

import re
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from typer.testing import CliRunner

from schemas import RawArticle, decode
from streams.broker.poller import POLL_REGISTRY, load_state
from streams.cli import app

FEED = (Path(__file__).resolve().parents[1] / "data" / "formats" / "rss.xml").read_bytes()
NEW_ITEM = b"""    <item>
      <title>Talks resume on the grain corridor</title>
      <link>https://news.example.org/2025/10/11/grain</link>
      <guid isPermaLink="false">example-wire-20251011-grain</guid>
      <pubDate>Sat, 11 Oct 2025 08:00:00 GMT</pubDate>
      <description>Negotiators met again on Saturday, the ministry said.</description>
    </item>
  </channel>"""


class FeedServer:
    """Serves one feed on 127.0.0.1; answers 304 to a matching conditional GET; can fail with 500."""

    def __init__(self) -> None:
        self.body, self.etag, self.fail = FEED, '"v1"', 0
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                server.requests.append(dict(self.headers.items()))
                if server.fail:
                    server.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.send_header("ETag", server.etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", "Fri, 10 Oct 2025 12:00:00 GMT")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/world.rss"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


class Future:
    def succeeded(self) -> bool:
        return True


class FakeProducer:
    def __init__(self) -> None:
        self.sent: list[RawArticle] = []

    def send(self, topic: str, key: bytes, value: bytes) -> Future:
        article = decode(value, RawArticle)
        assert topic == "news.raw" and key == article.id.encode()
        self.sent.append(article)
        return Future()

    def flush(self, timeout: float | None = None) -> None:
        pass

    def close(self, timeout: float | None = None) -> None:
        pass


@pytest.fixture
def producer(monkeypatch: pytest.MonkeyPatch) -> FakeProducer:
    fake = FakeProducer()
    monkeypatch.setattr("streams.broker.producer.make_producer", lambda *a, **k: fake)
    return fake


def poll(url: str, state: Path, *args: str):  # noqa: ANN202
    command = ["poll", url, "--broker", "kafka://127.0.0.1:9", "--state", str(state), "--interval", "0.1", *args]
    return CliRunner().invoke(app, command)


def test_poll_backs_off_fetches_then_gets_304_and_sends_each_item_once_across_restarts(
    feed_server: FeedServer, producer: FakeProducer, tmp_path: Path
) -> None:
    state = tmp_path / "poll-state.json"
    feed_server.fail = 1
    first = poll(feed_server.url, state, "--max-polls", "3", "--timeout", "30")
    assert first.exit_code == 0, first.output
    lines = [line for line in first.stderr.splitlines() if line.startswith("poll ")]
    assert lines[0] == f"poll {feed_server.url}: error: HTTP 500 Internal Server Error; retry in 0.2s"
    assert lines[1] == f"poll {feed_server.url}: 200, 2 new, 0 already sent"
    assert lines[2] == f"poll {feed_server.url}: 304 not modified"
    assert feed_server.requests[2]["If-None-Match"] == '"v1"'
    assert feed_server.requests[2]["If-Modified-Since"] == "Fri, 10 Oct 2025 12:00:00 GMT"
    assert "If-None-Match" not in feed_server.requests[1]
    assert [a.original_id for a in producer.sent] == [
        "example-wire-20251010-front",
        "https://news.example.org/2025/10/10/insurers",
    ]
    saved = load_state(state)[feed_server.url]
    assert saved.etag == '"v1"' and saved.failures == 0 and len(saved.seen) == 2
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically: no temporary left behind

    # a restart: the saved validators are sent at once; the feed changed, one item is new
    feed_server.body, feed_server.etag = FEED.replace(b"  </channel>", NEW_ITEM), '"v2"'
    second = poll(feed_server.url, state, "--max-polls", "1", "--metrics-port", "0")
    assert second.exit_code == 0, second.output
    assert feed_server.requests[3]["If-None-Match"] == '"v1"'
    assert f"poll {feed_server.url}: 200, 1 new, 2 already sent" in second.stderr
    assert [a.original_id for a in producer.sent][2:] == ["example-wire-20251011-grain"]
    port = re.search(r"poll metrics on http://127\.0\.0\.1:(\d+)/metrics", second.stderr).group(1)
    served = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    assert f'stancewire_poll_last_status{{feed="{feed_server.url}"}} 200.0' in served

    third = poll(feed_server.url, state, "--max-polls", "1")
    assert f"poll {feed_server.url}: 304 not modified" in third.stderr and len(producer.sent) == 3
    text = generate_latest(POLL_REGISTRY).decode()
    assert f'stancewire_poll_consecutive_failures{{feed="{feed_server.url}"}} 0.0' in text
    assert f'stancewire_polls_total{{feed="{feed_server.url}",outcome="error"}} 1.0' in text
    assert f'stancewire_poll_articles_total{{feed="{feed_server.url}",outcome="sent"}} 3.0' in text


def test_a_failing_feed_backs_off_doubling_and_the_poll_stops_at_its_timeout(
    feed_server: FeedServer, producer: FakeProducer, tmp_path: Path
) -> None:
    feed_server.fail = 100
    result = poll(feed_server.url, tmp_path / "s.json", "--timeout", "1.2")
    assert result.exit_code == 0, result.output
    delays = [float(d) for d in re.findall(r"retry in ([\d.]+)s", result.stderr)]
    assert delays[:3] == [0.2, 0.4, 0.8] and producer.sent == []
    assert load_state(tmp_path / "s.json")[feed_server.url].failures == len(delays)


def test_poll_refuses_a_corrupt_state_file_and_a_non_http_url(producer: FakeProducer, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{half")
    result = poll("http://127.0.0.1:9/x", tmp_path / "bad.json", "--max-polls", "1")
    assert result.exit_code == 2 and "poll state unreadable" in result.stderr
    result = poll("file:///etc/passwd", tmp_path / "ok.json", "--max-polls", "1")
    assert "error: ValueError: not an http(s) URL: file:///etc/passwd" in result.stderr and producer.sent == []
