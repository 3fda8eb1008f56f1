"""The thin agents under Faust's test context: each decodes, calls its Pipeline step, and sends.

`topic.send` is replaced by a recorder (Faust's documented way to test agents without a broker);
the broker path itself is covered by tests/integration.
"""

from __future__ import annotations

import asyncio
import base64
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import (
    Alert,
    DeadLetter,
    RawArticle,
    Speaker,
    StanceChange,
    StanceEvent,
    Statement,
    decode,
    encode,
)
from streams.core.pipeline import Pipeline
from streams.runtime import metrics
from streams.runtime.agents import alert, extract, track
from streams.runtime.agents.loop import HeldWrites
from streams.runtime.topics import Topics
from streams.settings import Settings
from tests import factories

DATA = Path(__file__).resolve().parents[2] / "data"


class Harness:
    """A Faust app with memory:// tables with our topics, one agent registered, and every send recorded."""

    def __init__(self, register, tmp_path: Path, rules: Path | None = None) -> None:  # noqa: ANN001
        self.settings = Settings(
            broker="kafka://127.0.0.1:9", partitions=1, data_dir=tmp_path, extractor="fast", rules=rules
        )
        self.app = factories.offline_app(f"test-{id(self)}", tmp_path)
        self.topics = Topics.declare(self.app, self.settings)
        self.pipeline = Pipeline(self.settings)
        self.sent: dict[str, list[tuple[bytes | str | None, bytes]]] = defaultdict(list)
        for name in ("statements", "stance_candidates", "stances", "changes", "topic_changes", "alerts", "dlq"):
            topic = getattr(self.topics, name)
            topic.send = self._recorder(topic.get_topic_name())  # type: ignore[method-assign]
        register(self)
        self.app.finalize()
        self.app.flow_control.resume()

    def _recorder(self, name: str):  # noqa: ANN202
        async def send(key=None, value=None, **_: object) -> None:  # noqa: ANN001
            self.sent[name].append((key, value))

        return send

    def records(self, name: str, model: type) -> list:
        return [decode(value, model) for _, value in self.sent[name]]


# The extract agent's first batch waits for its extractor to warm up (loaded in the extraction thread
# as the agent starts): seconds on a loaded machine, hence the extract tests' longer bound.
EXTRACT_TIMEOUT = 60.0


async def until(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)


def raw_article(id_: str = "a1", body: str | None = None) -> RawArticle:
    line = (DATA / "reversal.jsonl").read_text().splitlines()[0]
    article = RawArticle.model_validate_json(line)
    return article.model_copy(update={"id": id_, **({"body": body} if body is not None else {})})


@pytest.fixture
def harness_for(tmp_path: Path):  # noqa: ANN201
    return lambda register, rules=None: Harness(register, tmp_path, rules)


async def test_extract_agent_sends_statements_keyed_by_actor_and_dead_letters_bad_bytes(harness_for) -> None:  # noqa: ANN001
    h = harness_for(lambda h: extract.register(h.app, h.topics, h.pipeline))
    async with h.app.agents["extract"].test_context() as agent:
        await agent.put(encode(raw_article()), key=b"a1")
        await agent.put(b"{broken", key=b"bad")
        # the agent extracts batches off the event loop: wait (bounded) for both outcomes
        await until(lambda: h.sent[h.settings.topics.statements] and h.sent[h.settings.topics.dlq], EXTRACT_TIMEOUT)
    statements = h.records(h.settings.topics.statements, Statement)
    assert statements and all(s.article_id == "a1" for s in statements)
    assert [k for k, _ in h.sent[h.settings.topics.statements]][0] == statements[0].speaker.actor
    (letter,) = h.records(h.settings.topics.dlq, DeadLetter)
    assert letter.reason == "invalid_json" and letter.source_topic == h.settings.topics.raw


async def test_extract_agent_sends_each_statements_stances_keyed_by_actor_and_topic(harness_for) -> None:  # noqa: ANN001
    h = harness_for(lambda h: extract.register(h.app, h.topics, h.pipeline))
    candidates = h.settings.topics.stance_candidates
    async with h.app.agents["extract"].test_context() as agent:
        await agent.put(encode(raw_article()), key=b"a1")
        await until(lambda: h.sent[candidates], EXTRACT_TIMEOUT)
    statements = {s.id for s in h.records(h.settings.topics.statements, Statement)}
    events = h.records(candidates, StanceEvent)
    assert events and all(e.statement_id in statements for e in events)
    assert [key for key, _ in h.sent[candidates]] == [e.key for e in events]
    assert events == [e for s in h.records(h.settings.topics.statements, Statement) for e in h.pipeline.stances(s)]
    assert not h.sent[h.settings.topics.stances]  # news.stances is the track agent's, after its check


def stance_event(stance_value: str, score: float, statement_id: str, day: int) -> StanceEvent:
    return factories.stance_event(
        stance_value, score, statement_id=statement_id, published_at=datetime(2025, 9, day, tzinfo=UTC)
    )


async def test_track_agent_keeps_state_in_its_table_and_emits_new_then_reversal(harness_for) -> None:  # noqa: ANN001
    h = harness_for(lambda h: track.register(h.app, h.topics, h.pipeline, h.settings))
    async with h.app.agents["track"].test_context() as agent:
        for ev in (
            stance_event("oppose", -0.8, "1", 8),
            stance_event("oppose", -0.8, "1", 8),
            stance_event("support", 0.7, "2", 11),
            stance_event("oppose", -0.9, "0", 1),
        ):
            await agent.put(encode(ev), key=ev.key.encode())
    changes = h.records(h.settings.topics.changes, StanceChange)
    # the duplicate and the late, older article change nothing
    assert [c.kind for c in changes] == ["new", "reversal"]
    assert changes[1].previous.statement_id == "1" and changes[1].current.statement_id == "2"
    assert h.app.tables["stance-state"]["HUN|sanctions-russia"]["statement_id"] == "2"


async def test_track_agent_moves_a_pair_once_for_a_story_sent_again_under_another_id(harness_for) -> None:  # noqa: ANN001
    h = harness_for(lambda h: track.register(h.app, h.topics, h.pipeline, h.settings))

    def copy(stance_value: str, score: float, statement_id: str, day: int, story: str) -> StanceEvent:
        return stance_event(stance_value, score, statement_id, day).model_copy(update={"content_hash": story})

    async with h.app.agents["track"].test_context() as agent:
        for ev in (
            copy("oppose", -0.8, "txt-1", 8, "story-a"),  # the .txt copies, dated by their datelines
            copy("support", 0.7, "txt-2", 8, "story-b"),
            copy("oppose", -0.8, "json-1", 8, "story-a"),  # the same stories as JSON lines, other ids
            copy("support", 0.7, "json-2", 8, "story-b"),
        ):
            await agent.put(encode(ev), key=ev.key.encode())
    assert [c.kind for c in h.records(h.settings.topics.changes, StanceChange)] == ["new", "reversal"]
    seen = h.app.tables["stance-seen"]
    assert seen["HUN|sanctions-russia|story|story-a"]["article_id"] == "a-txt-1"
    # news.stances carries each story's events once: the first copies, keyed by their pair
    passed = h.records(h.settings.topics.stances, StanceEvent)
    assert [e.statement_id for e in passed] == ["txt-1", "txt-2"]
    assert [key for key, _ in h.sent[h.settings.topics.stances]] == [e.key for e in passed]


def register_track_and_alerts(h: Harness) -> None:
    """As the worker wires them: the track agent decides each change's alerts with the alert module's tables."""
    track.register(
        h.app, h.topics, h.pipeline, h.settings, on_change=alert.register(h.app, h.topics, h.pipeline, h.settings)
    )


async def test_the_track_agent_alerts_on_a_reversal_once_without_a_hop_through_stance_changes(harness_for) -> None:  # noqa: ANN001
    h = harness_for(register_track_and_alerts)
    assert not any(agent.channel.get_topic_name() == h.settings.topics.changes for agent in h.app.agents.values())
    reversal = stance_event("support", 0.7, "2", 11)
    async with h.app.agents["track"].test_context() as agent:
        for ev in (stance_event("oppose", -0.8, "1", 8), reversal, reversal):  # the last redelivered: no second alert
            await agent.put(encode(ev), key=ev.key.encode())
    assert [c.kind for c in h.records(h.settings.topics.changes, StanceChange)] == ["new", "reversal"]
    alerts = h.records(h.settings.topics.alerts, Alert)
    assert [a.rule for a in alerts] == ["stance-reversal"]
    assert [key for key, _ in h.sent[h.settings.topics.alerts]] == [reversal.key]


async def test_a_change_and_its_alert_are_sent_before_the_tables_that_remember_them_are_written(
    harness_for, monkeypatch
) -> None:  # noqa: ANN001
    """At least once, a claim or a stored state that reached its changelog ahead of the output it
    remembers would turn the input, processed again after a crash, into a silent duplicate."""
    h = harness_for(register_track_and_alerts)
    log: list[tuple[str, str]] = []

    def logging(name: str, send):  # noqa: ANN001, ANN202
        async def logging_send(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            log.append(("send", name))
            return await send(*args, **kwargs)

        return logging_send

    for name in ("stances", "changes", "alerts"):
        topic = getattr(h.topics, name)
        topic.send = logging(topic.get_topic_name(), topic.send)
    table_class = type(h.app.tables["stance-state"])
    real_set = table_class.__setitem__

    def logging_set(table, key, value) -> None:  # noqa: ANN001
        log.append(("write", table.name))
        real_set(table, key, value)

    monkeypatch.setattr(table_class, "__setitem__", logging_set)
    async with h.app.agents["track"].test_context() as agent:
        for ev in (stance_event("oppose", -0.8, "1", 8), stance_event("support", 0.7, "2", 11)):
            await agent.put(encode(ev), key=ev.key.encode())
    reversal = log[max(i for i, entry in enumerate(log) if entry == ("send", h.settings.topics.stances)) :]
    alert_sent = reversal.index(("send", h.settings.topics.alerts))
    assert reversal.index(("send", h.settings.topics.changes)) < alert_sent
    remembered = [i for i, (kind, name) in enumerate(reversal) if kind == "write" and name != "stance-seen"]
    assert {reversal[i][1] for i in remembered} == {"stance-state", "stance-history", "alert-last-fired"}
    assert min(remembered) > alert_sent


def test_held_writes_are_read_through_and_reach_the_table_only_when_applied() -> None:
    table = {"a": 1}
    held = HeldWrites(table)
    held["b"] = 2
    held["a"] = 3
    assert (held["a"], held.get("b"), held.get("c")) == (3, 2, None) and table == {"a": 1}
    assert sorted(held) == ["a", "b"] and len(held) == 2
    held.apply()
    assert table == {"a": 3, "b": 2} and not held.writes


def test_agents_module_stays_thin() -> None:
    """Agents hold no NLP logic: they call Pipeline steps and never import the NLP modules."""
    for module in ("extract", "track", "alert"):
        source = (Path(extract.__file__).parent / f"{module}.py").read_text()
        assert "streams.nlp" not in source, f"{module} agent reaches into the NLP core"


async def test_alert_agent_counts_a_spike_in_a_windowed_table(harness_for, tmp_path: Path) -> None:  # noqa: ANN001
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - {name: rus-spike, trigger: spike, count: statements, actors: [RUS], window: 1h,"
        " baseline_windows: 4, factor: 3, min_count: 5}\n"
    )
    h = harness_for(lambda h: alert.register(h.app, h.topics, h.pipeline, h.settings), rules)
    start = datetime(2025, 9, 1, tzinfo=UTC)
    hours = [start + timedelta(hours=hour, minutes=minute) for hour in range(4) for minute in (10, 40)]
    burst = [start + timedelta(hours=4, minutes=minute) for minute in range(0, 50, 5)]
    async with h.app.agents["alert-statements"].test_context() as agent:
        for n, at in enumerate(hours + burst):
            statement = Statement(
                id=f"s{n}",
                article_id=f"a{n}",
                published_at=at,
                source="t",
                speaker=Speaker(name="Maria Zakharova", actor="RUS"),
                text="We will respond.",
                kind="direct",
                verb="said",
                field="body",
                start=0,
                end=5,
                confidence=0.9,
            )
            await agent.put(encode(statement), key=b"RUS")
    alerts = [decode(value, Alert) for _, value in h.sent[h.settings.topics.alerts]]
    assert [a.rule for a in alerts] == ["rus-spike"]
    assert alerts[0].title.startswith("Spike: 6 statements by RUS")  # baseline mean 2 per hour, factor 3
    assert alerts[0].event_at == burst[5]


async def test_a_failing_step_dead_letters_the_record_and_the_agent_carries_on(harness_for, monkeypatch) -> None:  # noqa: ANN001
    h = harness_for(lambda h: track.register(h.app, h.topics, h.pipeline, h.settings))
    real = h.pipeline.track

    def flaky(current, event: StanceEvent):  # noqa: ANN001, ANN202
        if event.statement_id == "boom":
            raise RuntimeError("a bug in the tracker")
        return real(current, event)

    monkeypatch.setattr(h.pipeline, "track", flaky)
    async with h.app.agents["track"].test_context() as agent:
        await agent.put(encode(stance_event("oppose", -0.8, "boom", 8)), key=b"HUN|sanctions-russia")
        await agent.put(encode(stance_event("oppose", -0.8, "1", 9)), key=b"HUN|sanctions-russia")
    (letter,) = h.records(h.settings.topics.dlq, DeadLetter)
    assert letter.reason == "processing_error" and "a bug in the tracker" in letter.error
    assert decode(base64.b64decode(letter.value_b64), StanceEvent).statement_id == "boom"  # the original, whole
    assert [c.current.statement_id for c in h.records(h.settings.topics.changes, StanceChange)] == ["1"]


@pytest.mark.parametrize("agent_name", ["track", "alert-statements", "alert-stances", "alert-contested"])
async def test_no_agent_drops_a_bad_record_without_a_dead_letter(harness_for, tmp_path: Path, agent_name: str) -> None:  # noqa: ANN001
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - {name: any-statement, trigger: statement, keywords: [x]}\n"
        "  - {name: stance-spike, trigger: spike, count: stances, window: 1h, baseline_windows: 2, factor: 3}\n"
        "  - {name: contested, trigger: contested, window: 7d}\n"
    )

    h = harness_for(register_track_and_alerts, rules)
    async with h.app.agents[agent_name].test_context() as agent:
        await agent.put(b"not a record", key=b"k")
    (letter,) = h.records(h.settings.topics.dlq, DeadLetter)
    assert letter.reason == "invalid_json" and letter.key_b64 == "aw=="


@pytest.mark.parametrize("agent_name", ["track", "alert-contested"])
async def test_an_oversized_bad_record_is_a_dead_letter_the_producer_can_send(harness_for, agent_name: str) -> None:  # noqa: ANN001
    h = harness_for(register_track_and_alerts)
    value, key = b"\xff" * (3 * 1024 * 1024), b"k" * (900 * 1024)
    async with h.app.agents[agent_name].test_context() as agent:
        await agent.put(value, key=key)
    ((sent_key, sent),) = h.sent[h.settings.topics.dlq]
    letter = decode(sent, DeadLetter)
    assert letter.reason == "invalid_utf8" and letter.truncated
    assert letter.value_size == len(value) and letter.key_size == len(key)
    assert sent_key == key[:1024] and len(sent) + len(sent_key) <= h.app.conf.producer_max_request_size


def open_stance(actor: str, stance_value: str, statement_id: str, day: int) -> StanceEvent:
    return factories.stance_event(
        stance_value,
        0.7 if stance_value == "support" else -0.7,
        statement_id=statement_id,
        actor=actor,
        topic="~licensing-round",
        topic_label="licensing round",
        topic_source="open",
        published_at=datetime(2025, 9, day, tzinfo=UTC),
    )


async def test_track_agent_repartitions_each_change_by_topic_for_contested_rules(harness_for) -> None:  # noqa: ANN001
    h = harness_for(lambda h: track.register(h.app, h.topics, h.pipeline, h.settings))
    assert h.pipeline.rules.contested_rules  # the packaged rules have one
    counted = metrics.CHANGES.labels("new")._value.get()
    async with h.app.agents["track"].test_context() as agent:
        for ev in (open_stance("NOR", "support", "1", 8), open_stance("CHL", "oppose", "2", 9)):
            await agent.put(encode(ev), key=ev.key.encode())
    assert metrics.CHANGES.labels("new")._value.get() - counted == 2  # the by-topic copies are not counted again
    by_topic = h.sent[h.settings.topics.topic_changes]
    assert [key for key, _ in by_topic] == ["~licensing-round", "~licensing-round"]
    assert [decode(v, StanceChange).actor for _, v in by_topic] == ["NOR", "CHL"]


async def test_contested_agent_keeps_each_topic_in_its_table_and_fires_once(harness_for) -> None:  # noqa: ANN001
    h = harness_for(lambda h: alert.register(h.app, h.topics, h.pipeline, h.settings))
    changes = [
        h.pipeline.track(None, open_stance(actor, stance_value, str(n), 8 + n)).change
        for n, (actor, stance_value) in enumerate((("NOR", "support"), ("CHL", "oppose"), ("ISL", "oppose")))
    ]
    async with h.app.agents["alert-contested"].test_context() as agent:
        for change in changes:
            await agent.put(encode(change), key=change.topic.encode())
    alerts = [decode(value, Alert) for _, value in h.sent[h.settings.topics.alerts]]
    assert [(a.rule, a.actor, a.topic) for a in alerts] == [("newly-contested", "CHL", "~licensing-round")]
    assert [key for key, _ in h.sent[h.settings.topics.alerts]] == ["~licensing-round"]
    state = h.app.tables["contested-state"]["~licensing-round"]
    assert set(state["actors"]) == {"NOR", "CHL", "ISL"} and "newly-contested" in state["fired"]
