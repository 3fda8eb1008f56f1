"""End to end on a real broker: feed articles with the CLI, read every downstream topic back."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from kafka import KafkaProducer

from schemas import Alert, DeadLetter, StanceChange, StanceEvent, Statement
from tests.kafka_fixtures import Worker, cli, collect

pytestmark = pytest.mark.kafka

DATA = Path(__file__).resolve().parents[1] / "data"


def test_articles_flow_to_statements_stances_changes_and_a_reversal_alert(
    worker: Worker,
    settings,
    sample_article_jsonl: Path,  # noqa: ANN001
) -> None:
    names = settings.topics
    for path in (sample_article_jsonl, DATA / "reversal.jsonl"):
        fed = cli("feed", str(path), settings=settings)
        assert fed.returncode == 0, fed.stderr
    assert "fed 1 article" in cli("feed", str(sample_article_jsonl), settings=settings).stderr  # a redelivery

    def reversal_alerted(found: dict) -> bool:
        # and the redelivered sample's statements read too: the alert can come before them
        sample = [s.id for s in found[names.statements] if s.article_id == "ukraine-troops-2025-09-04"]
        redelivered = bool(sample) and len(sample) == 2 * len(set(sample))
        # the change and its alert are published together (the track agent decides the alert), so
        # either may be read first
        reversed_ = any(c.kind == "reversal" for c in found[names.changes])
        # the sample's stance is another pair's, maybe on another partition: the reversal may overtake it
        guarantees = any(s.topic == "security-guarantees-ukraine" for s in found[names.stances])
        alerted = any(a.rule == "stance-reversal" for a in found[names.alerts])
        return redelivered and reversed_ and guarantees and alerted

    found = collect(settings, [names.statements, names.stances, names.changes, names.alerts], reversal_alerted)
    assert reversal_alerted(found), worker.log_tail()

    statements: list[Statement] = found[names.statements]
    zakharova = [s for s in statements if s.speaker.name == "Maria Zakharova" and s.kind == "direct"]
    assert zakharova and zakharova[0].speaker.actor == "RUS"
    assert any(s.speaker.name == "Emmanuel Macron" and s.speaker.actor == "FRA" for s in statements)
    # the sample article was fed twice: at-least-once duplicates carry identical ids
    sample_ids = [s.id for s in statements if s.article_id == "ukraine-troops-2025-09-04"]
    assert len(sample_ids) == 2 * len(set(sample_ids))

    stances: list[StanceEvent] = found[names.stances]
    assert any(s.actor == "RUS" and s.topic == "foreign-troops-ukraine" and s.stance == "oppose" for s in stances)
    assert any(s.actor == "FRA" and s.topic == "security-guarantees-ukraine" and s.stance == "support" for s in stances)

    changes: list[StanceChange] = found[names.changes]
    reversal = next(c for c in changes if c.kind == "reversal")
    assert (reversal.actor, reversal.topic) == ("HUN", "sanctions-russia")
    assert reversal.previous.stance == "oppose" and reversal.current.stance == "support"
    assert reversal.previous.article_id == "hun-sanctions-1" and reversal.current.article_id == "hun-sanctions-2"
    # the redelivered sample article produced no second "new" change for its pairs
    new_pairs = [(c.actor, c.topic) for c in changes if c.kind == "new"]
    assert len(new_pairs) == len(set(new_pairs))

    alert: Alert = next(a for a in found[names.alerts] if a.rule == "stance-reversal")
    assert alert.change_id == reversal.id and alert.actor == "HUN" and alert.severity == "high"
    assert worker.alive()


def test_bad_records_go_to_the_dead_letter_topic_and_the_worker_carries_on(worker: Worker, settings) -> None:  # noqa: ANN001
    names = settings.topics
    valid = (DATA / "reversal.jsonl").read_bytes().splitlines()[0]
    oversized = valid.replace(b'"body": "', b'"body": "' + b"x" * (settings.max_article_bytes + 10), 1)
    bad = {
        b"malformed": (b'{"id": "m1", "headline": ', "invalid_json"),
        b"missing": (b'{"id": "m2", "headline": "h"}', "invalid_record"),
        b"types": (valid.replace(b'"source": "test wire"', b'"source": 42'), "invalid_record"),
        b"binary": (b"\xff\xfe\x00 not utf-8 \x80", "invalid_utf8"),
        b"huge": (oversized, "too_large"),
    }
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers(), max_request_size=8 * 1024 * 1024)
    for key, (value, _) in bad.items():
        producer.send(names.raw, key=key, value=value)
    producer.send(names.raw, key=b"hun-sanctions-1", value=valid)
    producer.flush()
    producer.close()

    found = collect(
        settings,
        [names.dlq, names.statements],
        lambda f: len(f[names.dlq]) >= len(bad) and any(s.article_id == "hun-sanctions-1" for s in f[names.statements]),
    )
    letters: list[DeadLetter] = found[names.dlq]
    assert len(letters) == len(bad), worker.log_tail()
    for letter in letters:
        value, reason = bad[base64.b64decode(letter.key_b64)]
        assert letter.reason == reason
        assert base64.b64decode(letter.value_b64) == value  # the original bytes, whole
        assert letter.source_topic == names.raw and letter.offset is not None and letter.error
    assert any(s.article_id == "hun-sanctions-1" for s in found[names.statements])
    assert worker.alive()


def test_feed_rejects_bad_lines_by_number_and_sends_the_rest(settings, tmp_path: Path) -> None:  # noqa: ANN001
    from streams.runtime.worker import prepare_topics

    prepare_topics(settings)
    good = (DATA / "reversal.jsonl").read_text().splitlines()
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([good[0], "{not json", good[1], '{"id": "x"}']) + "\n")
    result = cli("feed", str(path), settings=settings)
    assert result.returncode == 1
    assert f"{path}:2:" in result.stderr and "not JSON" in result.stderr
    assert f"{path}:4:" in result.stderr and "headline" in result.stderr
    assert "fed 2 article(s)" in result.stderr and "rejected 2" in result.stderr

    tailed = cli(
        "tail",
        "news.raw",
        "--json",
        "--from-beginning",
        "--limit",
        "2",
        "--idle-timeout",
        "20",
        settings=settings,
    )
    assert tailed.returncode == 0, tailed.stderr
    assert sorted(line.split('"key":"')[1].split('"')[0] for line in tailed.stdout.splitlines()) == [
        "hun-sanctions-1",
        "hun-sanctions-2",
    ]
