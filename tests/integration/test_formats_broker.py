"""Wire formats on a real broker: ninjs and NewsML-G2 pushed straight into news.raw, languages, repeated stories."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from kafka import KafkaProducer

from schemas import DeadLetter, Statement
from tests.kafka_fixtures import Worker, cli, collect
from tests.web.helpers import free_port, http_get, sample, wait_for

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


def repeats_processed(base: str, candidates: int) -> Callable[[], str | None]:
    """The worker's /metrics once it has decided on `candidates` stance candidates (passed on or repeated)."""

    def check() -> str | None:
        status, body = http_get(base + "/metrics")
        text = body.decode()
        passed = sample(text, "stancewire_stances_produced_total")
        repeated = sample(text, "stancewire_repeated_stances_total")
        return text if status == 200 and passed + repeated >= candidates else None

    return check


REPEATS = [
    pytest.param("embedded", "at_least_once", id="embedded-at_least_once"),
    pytest.param("apache", "exactly_once", id="apache-exactly_once"),
]


@pytest.mark.parametrize(("any_broker", "guarantee"), REPEATS, indirect=["any_broker"])
def test_one_story_in_three_formats_and_re_sent_gives_one_set_of_stance_events_also_after_a_restart(
    any_broker,  # noqa: ANN001
    guarantee: str,
    settings,  # noqa: ANN001
    start_worker: Callable[..., Worker],
    tmp_path: Path,
) -> None:
    """The issue's case on a worker: three stories as .txt, then as JSON lines, one as ninjs, the .txt re-sent.

    The .txt copies are dated by their datelines (00:00), so the JSON copies come later and, tracked,
    flipped HUN to "oppose" and back; the ninjs copy of the morning story, re-sent in the evening,
    would flip it once more. news.stances must carry the first copies' events only, and no change
    may follow them, before and after a restart that rebuilds the tables from their changelogs.
    """
    names = settings.topics
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    worker = start_worker(processing_guarantee=guarantee, web_enabled=True, web_port=port)
    copies = tmp_path / "copies"
    copies.mkdir()
    for story in (DATA / "duplicates").glob("*.txt"):
        shutil.copyfile(story, copies / story.name)
    fed = cli("feed", str(copies), settings=settings)
    assert fed.returncode == 0 and "fed 3 article(s)" in fed.stderr, fed.stderr

    def tracked(found: dict) -> bool:
        return len(found[names.stances]) >= 4 and {c.actor for c in found[names.changes]} >= {"HUN", "FRA"}

    found = collect(settings, [names.stances, names.changes], tracked)
    assert tracked(found), worker.log_tail()
    wait_for(repeats_processed(base, 4), 60, "the first four candidates in /metrics")
    first = collect(settings, [names.stances, names.changes], lambda f: False, timeout=4.0)  # settled
    first_ids = sorted(e.id for e in first[names.stances])
    assert len(first_ids) == 4 and all(
        e.article_id in {"a-hungary-veto", "b-hungary-relents", "c-france-guarantees"} for e in first[names.stances]
    )
    change_ids = sorted(c.id for c in first[names.changes])  # sorted: two partitions, read in any order
    reversals = sum(c.kind == "reversal" for c in first[names.changes])

    # The same stories as JSON lines (other ids), the morning one as ninjs (later), the .txt re-sent:
    # one feed, several paths. 4 + 2 + 4 more candidates, every one a repeat.
    again = [
        str(DATA / "duplicates" / "stories.jsonl"),
        str(DATA / "duplicates-ninjs" / "a-hungary-veto.json"),
        str(copies),
    ]
    fed = cli("feed", *again, settings=settings)
    assert fed.returncode == 0 and "fed 7 article(s)" in fed.stderr, fed.stderr
    text = wait_for(repeats_processed(base, 14), 90, lambda: f"14 candidates decided; {worker.log_tail(20)}")
    assert sample(text, "stancewire_repeated_stances_total", outcome="duplicate_story") == 6  # JSON 4, ninjs 2
    assert sample(text, "stancewire_repeated_stances_total", outcome="duplicate") == 4  # the .txt re-sent
    assert sample(text, "stancewire_stances_produced_total") == 4
    after = collect(settings, [names.stance_candidates, names.stances, names.changes], lambda f: False, timeout=5.0)
    assert len(after[names.stance_candidates]) == 14  # all extracted...
    assert sorted(e.id for e in after[names.stances]) == first_ids  # ...one set passed on
    assert sorted(c.id for c in after[names.changes]) == change_ids  # no spurious change or reversal
    assert sum(c.kind == "reversal" for c in after[names.changes]) == reversals

    # A fresh data directory: `stance-seen` can only come back from its changelog.
    worker.restart(data_dir=tmp_path / "fresh-state")
    fed = cli("feed", *again, settings=settings)
    assert fed.returncode == 0 and "fed 7 article(s)" in fed.stderr, fed.stderr
    text = wait_for(repeats_processed(base, 10), 120, lambda: f"10 candidates after the restart; {worker.log_tail(20)}")
    assert sample(text, "stancewire_stances_produced_total") == 0  # a new process: its own counters
    restarted = collect(settings, [names.stance_candidates, names.stances, names.changes], lambda f: False, timeout=5.0)
    assert len(restarted[names.stance_candidates]) == 24
    assert sorted(e.id for e in restarted[names.stances]) == first_ids
    assert sorted(c.id for c in restarted[names.changes]) == change_ids
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
