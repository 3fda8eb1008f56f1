"""Fault suite: crashes, failover, broker restarts, poison records and dead brokers lose nothing.

Every scenario runs against a real broker (both brokers where the fault applies), is bounded in count
and time, and prints one figures line (collected at the end of the run under "fault suite figures");
the assertions are on the same numbers. Articles come from the bench generator: one statement each,
so "an article's statements appear" is checkable record by record.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from kafka import KafkaProducer

from schemas import RawArticle, StanceChange, StanceSnapshot, Statement, encode
from streams.broker.embedded import free_port
from streams.broker.producer import feed_articles, make_producer
from streams.cli.bench import corpus
from streams.core.pipeline import Pipeline
from streams.settings import Settings
from tests.kafka_fixtures import Broker, Worker, cli, collect

pytestmark = pytest.mark.kafka


def feed(settings: Settings, articles: list[RawArticle]) -> None:
    producer = make_producer(settings.bootstrap_servers())
    try:
        report = feed_articles(producer, settings.topics.raw, articles)
    finally:
        producer.close(timeout=10)
    assert report.sent == len(articles) and not report.failed


def statements_of(found: dict, settings: Settings) -> list[Statement]:
    return found[settings.topics.statements]


def coverage(settings: Settings, expected: set[str], timeout: float) -> tuple[set[str], int, int, bool]:
    """Read news.statements (read_committed) until every expected article has a statement.

    Returns (articles seen, statement records, distinct ids, every duplicate identical to its first copy).
    """
    names = settings.topics
    found = collect(
        settings,
        [names.statements],
        lambda f: expected <= {s.article_id for s in f[names.statements]},
        timeout=timeout,
    )
    statements = statements_of(found, settings)
    first: dict[str, Statement] = {}
    identical = True
    for statement in statements:
        identical &= first.setdefault(statement.id, statement) == statement
    return {s.article_id for s in statements} & expected, len(statements), len(first), identical


def wait_for_records(settings: Settings, topic: str, count: int, timeout: float = 90.0) -> None:
    found = collect(settings, [topic], lambda f: len(f[topic]) >= count, timeout=timeout)
    assert len(found[topic]) >= count, f"the worker produced too little in {topic} before the fault"


GUARANTEES = [
    pytest.param("embedded", "at_least_once", id="embedded-at_least_once"),
    pytest.param("apache", "at_least_once", id="apache-at_least_once"),
    pytest.param("apache", "exactly_once", id="apache-exactly_once"),
]


def downstream_problems(settings: Settings, articles: set[str], timeout: float) -> tuple[list[str], dict[str, int]]:
    """What exactly-once would forbid in the stages after extraction, read back with read_committed.

    Every record of news.stances, stance.changes and news.alerts appears once; the stance events are
    exactly those the committed statements give; the changes are exactly those the tracker gives over
    the committed stance events in their partition order (a pair's events share one partition, and
    the reader keeps each partition's order). Waits up to `timeout` for every article's statements
    and for the stages to catch up.
    Returns (problems, records per topic).
    """
    names = settings.topics
    pipeline = Pipeline(settings)
    stances_of: dict[str, set[str]] = {}  # statement id → its stance event ids (detection is the slow part)

    def problems(found: dict[str, list]) -> list[str]:
        found_problems = []
        for topic in (names.stances, names.changes, names.alerts):
            duplicates = len(found[topic]) - len({record.id for record in found[topic]})
            if duplicates:
                found_problems.append(f"{topic}: {duplicates} duplicates")
        for statement in found[names.statements]:
            if statement.id not in stances_of:
                stances_of[statement.id] = {event.id for event in pipeline.stances(statement)}
        expected_stances = set().union(*stances_of.values())
        stances = {event.id: event for event in reversed(found[names.stances])}  # first copy wins
        if expected_stances != stances.keys():
            missing, extra = len(expected_stances - stances.keys()), len(stances.keys() - expected_stances)
            found_problems.append(f"{names.stances}: {missing} missing, {extra} unexpected")
        state: dict[str, StanceSnapshot] = {}
        expected_changes = set()
        for event in found[names.stances]:
            if stances.pop(event.id, None) is None:
                continue  # a later copy
            result = pipeline.track(state.get(event.key), event)
            if result.state is not None:
                state[event.key] = result.state
            if result.change is not None:
                expected_changes.add((result.change.id, result.change.kind))
        changes = {(change.id, change.kind) for change in found[names.changes]}
        if changes != expected_changes:
            missing, extra = len(expected_changes - changes), len(changes - expected_changes)
            found_problems.append(f"{names.changes}: {missing} missing, {extra} unexpected")
        return found_problems

    topics = [names.statements, names.stances, names.changes, names.alerts]

    def done(found: dict[str, list]) -> bool:
        return articles <= {s.article_id for s in found[names.statements]} and not problems(found)

    found = collect(settings, topics, done, timeout=timeout)
    return problems(found), {topic: len(records) for topic, records in found.items()}


@pytest.mark.parametrize(("any_broker", "guarantee"), GUARANTEES, indirect=["any_broker"])
def test_worker_killed_mid_stream_loses_nothing(
    any_broker: Broker, guarantee: str, settings: Settings, start_worker: Callable[..., Worker], report
) -> None:  # noqa: ANN001
    articles = corpus(2000)
    worker = start_worker(processing_guarantee=guarantee)
    feed(settings, articles)
    # Twice: first while articles are mid-extraction, then once the tracker has committed stances, so
    # the second restart must restore the tables from their changelogs (and the first may not).
    wait_for_records(settings, settings.topics.statements, 300)
    worker.kill()
    worker.restart()
    wait_for_records(settings, settings.topics.changes, 200)
    worker.kill()
    worker.restart()
    seen, records, distinct, identical = coverage(settings, {a.id for a in articles}, timeout=240)
    missing, duplicates = len(articles) - len(seen), records - distinct
    line = (
        f"worker-kill {any_broker.kind} {guarantee}: kills=2 fed={len(articles)} seen={len(seen)} "
        f"missing={missing} duplicates={duplicates}"
    )
    if guarantee == "exactly_once":
        problems, counts = downstream_problems(settings, {a.id for a in articles}, timeout=120)
        names = settings.topics
        line += (
            f" stances={counts[names.stances]} changes={counts[names.changes]} alerts={counts[names.alerts]}"
            f" downstream={'exact' if not problems else '; '.join(problems)}"
        )
    report(line)
    assert missing == 0, worker.log_tail()
    assert identical, "a redelivered statement differs from its first copy"
    if guarantee == "exactly_once":
        assert duplicates == 0
        assert not problems, problems


@pytest.mark.parametrize("any_broker", ["embedded", "apache"], indirect=True)
def test_two_workers_one_dies_and_the_survivor_takes_over(
    any_broker: Broker, settings: Settings, start_worker: Callable[..., Worker], report, tmp_path: Path
) -> None:  # noqa: ANN001
    articles = corpus(1000)
    first = start_worker("worker-a", data_dir=tmp_path / "a")
    second = start_worker("worker-b", data_dir=tmp_path / "b")
    feed(settings, articles)
    wait_for_records(settings, settings.topics.statements, 150)
    second.kill()
    seen, records, distinct, identical = coverage(settings, {a.id for a in articles}, timeout=240)
    missing = len(articles) - len(seen)
    report(
        f"worker-failover {any_broker.kind} at_least_once: fed={len(articles)} seen={len(seen)} "
        f"missing={missing} duplicates={records - distinct}"
    )
    assert first.alive()
    assert missing == 0, first.log_tail()
    assert identical


@pytest.mark.parametrize("any_broker", ["apache"], indirect=True)
def test_broker_restart_while_feeding_loses_nothing(
    any_broker: Broker, settings: Settings, worker: Worker, report, tmp_path: Path
) -> None:  # noqa: ANN001
    articles = corpus(2000)
    feed_log = tmp_path / "feed.log"
    feeder = subprocess.Popen(
        [sys.executable, "-m", "streams", "feed", "-", "--timeout", "60"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=feed_log.open("wb"),
        env={**os.environ, **settings.to_env()},
    )

    def write_slowly() -> None:  # ~10 s of input, so the restart lands in the middle of it
        assert feeder.stdin is not None
        for i, article in enumerate(articles):
            feeder.stdin.write(encode(article) + b"\n")
            if i % 20 == 19:
                feeder.stdin.flush()
                time.sleep(0.1)
        feeder.stdin.close()

    writer = threading.Thread(target=write_slowly)
    writer.start()
    # Restart mid-stream: once the feeder is sending and the worker is consuming (a worker still
    # starting when the broker goes away exits, as `run` does against a broker that does not answer).
    wait_for_records(settings, settings.topics.raw, 100)
    wait_for_records(settings, settings.topics.statements, 1)
    any_broker.server.restart()
    writer.join(120)
    feeder.wait(timeout=180)
    err = feed_log.read_text()
    seen, records, distinct, _ = coverage(settings, {a.id for a in articles}, timeout=240)
    missing = len(articles) - len(seen)
    report(
        f"broker-restart {any_broker.kind} at_least_once: fed={len(articles)} seen={len(seen)} "
        f"missing={missing} duplicates={records - distinct} feed_exit={feeder.returncode}"
    )
    assert feeder.returncode == 0, err
    assert "not delivered 0" in err
    assert missing == 0, worker.log_tail()


def hungary(stance: str, day: int) -> RawArticle:
    words = "We fully support new sanctions on Russia" if stance == "support" else "We reject new sanctions on Russia"
    return RawArticle(
        id=f"hun-{day}",
        headline="Hungary on sanctions",
        source="test wire",
        body=f'"{words}," Hungarian prime minister Viktor Orban said.\nThe talks continue.',
        published_at=datetime(2025, 9, day, 9, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(("any_broker", "guarantee"), GUARANTEES, indirect=["any_broker"])
def test_table_state_survives_a_worker_restart(
    any_broker: Broker, guarantee: str, settings: Settings, start_worker: Callable[..., Worker], report, tmp_path: Path
) -> None:  # noqa: ANN001
    names = settings.topics
    worker = start_worker(processing_guarantee=guarantee)

    def changes(count: int) -> list[StanceChange]:
        found = collect(settings, [names.changes], lambda f: len(f[names.changes]) >= count, timeout=120)
        return [c for c in found[names.changes] if c.actor == "HUN"]

    feed(settings, [hungary("oppose", 2)])
    before = changes(1)
    assert [c.kind for c in before] == ["new"], worker.log_tail()
    # A fresh data directory: the stance can only come back from the table's changelog topic.
    worker.restart(data_dir=tmp_path / "fresh-state")
    feed(settings, [hungary("support", 5)])
    after = changes(2)
    last = after[-1].kind if len(after) > 1 else None
    report(f"state-restart {any_broker.kind} {guarantee}: before={before[0].kind} after={last}")
    assert [c.kind for c in after] == ["new", "reversal"], worker.log_tail()
    assert after[1].previous is not None and after[1].previous.article_id == "hun-2"


@pytest.mark.parametrize("any_broker", ["embedded", "apache"], indirect=True)
def test_poison_records_go_to_the_dead_letter_topic_and_valid_ones_are_processed(
    any_broker: Broker, settings: Settings, start_worker: Callable[..., Worker], report
) -> None:  # noqa: ANN001
    limit = 20_000
    worker = start_worker(max_article_bytes=limit)
    names = settings.topics
    articles = corpus(450)
    poison = [
        (b'{"id": "p", "headline": ', "invalid_json"),
        (
            b'{"id": "p", "headline": "h", "body": ["not", "text"], "source": "s", '
            b'"published_at": "2025-01-01T00:00:00Z"}',
            "invalid_record",
        ),
        (b'\xff\xfe{"id": "p"}', "invalid_utf8"),
        (orjson.dumps({**articles[0].model_dump(mode="json"), "id": "big", "body": "x" * (limit + 1)}), "too_large"),
        (b'{"id": "p", "headline": "h", "body": "b", "source": "s", "published_at": "yesterday"}', "invalid_record"),
    ]
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers(), max_request_size=1024 * 1024)
    expected_reasons: dict[bytes, str] = {}
    sent_bad = 0
    for i, article in enumerate(articles):
        if i % 9 == 0:  # one record in ten is poison
            value, reason = poison[sent_bad % len(poison)]
            key = f"poison-{sent_bad}".encode()
            expected_reasons[key] = reason
            producer.send(names.raw, key=key, value=value)
            sent_bad += 1
        producer.send(names.raw, key=article.id.encode(), value=encode(article))
    producer.flush()
    producer.close()
    seen, _, _, _ = coverage(settings, {a.id for a in articles}, timeout=180)
    found = collect(settings, [names.dlq], lambda f: len(f[names.dlq]) >= sent_bad, timeout=60)
    letters = found[names.dlq]
    right = sum(expected_reasons.get(base64.b64decode(d.key_b64 or "")) == d.reason for d in letters)
    report(
        f"poison {any_broker.kind}: fed={len(articles) + sent_bad} valid={len(articles)} processed={len(seen)} "
        f"poison={sent_bad} dead_letters={len(letters)} right_reason={right} missing={len(articles) - len(seen)}"
    )
    assert len(seen) == len(articles)
    assert len(letters) == sent_bad and right == sent_bad, Counter(d.reason for d in letters)
    assert worker.alive()


@pytest.mark.parametrize("command", [["feed", "-"], ["run"], ["tail", "alerts", "--idle-timeout", "1"]])
def test_unreachable_broker_fails_fast_with_a_clear_message(command: list[str], report) -> None:  # noqa: ANN001
    started = time.monotonic()
    result = cli(*command, "--broker", f"kafka://127.0.0.1:{free_port()}", stdin=b"", timeout=90)
    seconds = time.monotonic() - started
    report(f"unreachable {command[0]}: exit={result.returncode} seconds={seconds:.1f}")
    assert result.returncode != 0
    assert "no Kafka broker answered" in result.stderr, result.stderr
    assert seconds < 60
