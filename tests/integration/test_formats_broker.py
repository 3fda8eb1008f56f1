"""Wire formats on a real broker: ninjs and NewsML-G2 pushed straight into news.raw, languages, repeated stories."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from kafka import KafkaProducer

from schemas import DeadLetter, Statement
from tests.kafka_fixtures import Worker, cli, collect

pytestmark = pytest.mark.kafka

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"


def test_ninjs_and_newsml_pushed_into_news_raw_come_out_as_statements(worker: Worker, settings) -> None:  # noqa: ANN001
    names = settings.topics
    pushed = {
        b"ninjs": (DATA / "ninjs-1x.json").read_bytes(),  # pretty-printed, as agencies publish it
        b"g2-message": (DATA / "newsml-message.xml").read_bytes(),  # one record, two items
        b"french": (DATA / "french.json").read_bytes(),
    }
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers())
    for key, value in pushed.items():
        producer.send(names.raw, key=key, value=value)
    producer.flush()
    producer.close()
    expected = {
        "urn:example:wire:2025:1003-port-talks",
        "urn:newsml:example.org:20251009:rescue",
        "urn:newsml:example.org:20251009:sanctions",
    }

    def done(found: dict) -> bool:
        return {s.article_id for s in found[names.statements]} >= expected and len(found[names.dlq]) >= 1

    found = collect(settings, [names.statements, names.dlq], done)
    assert done(found), worker.log_tail()
    statements: list[Statement] = found[names.statements]
    assert all("<" not in s.text for s in statements)
    (letter,) = found[names.dlq]
    assert isinstance(letter, DeadLetter) and letter.reason == "unsupported_language"
    assert letter.error.startswith("unsupported_language: fr") and base64.b64decode(letter.key_b64) == b"french"
    assert not any(s.article_id.startswith("urn:example:fil") for s in statements)  # never read as English
    assert worker.alive()


def test_the_same_stories_fed_again_as_txt_make_no_change_on_a_worker(worker: Worker, settings, tmp_path: Path) -> None:  # noqa: ANN001
    names = settings.topics
    fed = cli("feed", str(DATA / "duplicates" / "stories.jsonl"), settings=settings)
    assert fed.returncode == 0, fed.stderr

    def tracked(found: dict) -> bool:
        return len(found[names.stances]) >= 4 and {c.actor for c in found[names.changes]} >= {"HUN", "FRA"}

    found = collect(settings, [names.stances, names.changes], tracked)
    assert tracked(found), worker.log_tail()
    before = collect(settings, [names.changes], lambda f: False, timeout=4.0)[names.changes]  # settled

    copies = tmp_path / "copies"
    copies.mkdir()
    for story in (DATA / "duplicates").glob("*.txt"):
        shutil.copyfile(story, copies / story.name)
    fed = cli("feed", str(copies), settings=settings)
    assert fed.returncode == 0 and "fed 3 article(s)" in fed.stderr, fed.stderr
    found = collect(settings, [names.stances], lambda f: len(f[names.stances]) >= 8)
    assert len(found[names.stances]) == 8, worker.log_tail()  # the .txt copies were extracted...
    after = collect(settings, [names.changes], lambda f: False, timeout=6.0)[names.changes]
    assert [c.id for c in after] == [c.id for c in before]  # ...and moved no pair: no spurious reversal
    assert sum(c.kind == "reversal" for c in after) <= 1
    assert worker.alive()


def test_poll_sends_a_local_feed_into_news_raw_once_across_polls(worker: Worker, settings, tmp_path: Path) -> None:  # noqa: ANN001
    from tests.cli.test_poll import FeedServer

    names = settings.topics
    server = FeedServer()
    try:
        state = tmp_path / "poll-state.json"
        args = ("poll", server.url, "--interval", "0.2", "--state", str(state))
        polled = cli(*args, "--max-polls", "2", settings=settings)
        assert polled.returncode == 0, polled.stderr
        assert f"{server.url}: 200, 2 new, 0 already sent" in polled.stderr
        assert f"{server.url}: 304 not modified" in polled.stderr
        server.etag = '"v2"'  # the same items under a new validator: fetched again, nothing new to send
        polled = cli(*args, "--max-polls", "1", settings=settings)
        assert f"{server.url}: 200, 0 new, 2 already sent" in polled.stderr, polled.stderr
    finally:
        server.close()

    found = collect(settings, [names.statements], lambda f: len({s.article_id for s in f[names.statements]}) >= 1)
    assert {s.article_id for s in found[names.statements]} <= {
        "example-wire-20251010-front",
        "https://news.example.org/2025/10/10/insurers",
    }, worker.log_tail()
    raw = collect(settings, [names.raw], lambda f: False, timeout=4.0)[names.raw]
    assert len(raw) == 2  # each GUID sent once
