"""Wire formats on a real broker: ninjs and NewsML-G2 pushed straight into news.raw, languages, repeats."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from kafka import KafkaProducer

from schemas import DeadLetter, StanceEvent, Statement
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


def test_the_same_stories_fed_as_txt_and_json_lines_make_one_set_of_stance_events(worker: Worker, settings) -> None:  # noqa: ANN001
    names = settings.topics
    fed = cli("feed", str(DATA / "duplicates"), settings=settings)
    assert fed.returncode == 0, fed.stderr
    assert "fed 6 article(s)" in fed.stderr

    def done(found: dict) -> bool:
        return len(found[names.statements]) >= 16 and len(found[names.stances]) >= 4

    found = collect(settings, [names.statements, names.stances], done)
    assert done(found), worker.log_tail()
    # every statement went through the stance agent (16 read); wait a little longer for any late second set
    again = collect(settings, [names.stances], lambda f: False, timeout=6.0)
    stances: list[StanceEvent] = again[names.stances]
    assert len(stances) == 4, [(s.actor, s.topic, s.article_id) for s in stances]
    assert sorted({s.actor for s in stances}) == ["FRA", "HUN"]
    assert worker.alive()
