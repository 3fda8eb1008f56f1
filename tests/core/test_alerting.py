"""Alert rules: loading and validation, matching, and duplicate suppression in event time."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import Speaker, StanceChange, Statement
from streams.core.alerting import AlertRules, RulesError
from tests import factories

T0 = datetime(2025, 9, 4, 9, 0, tzinfo=UTC)


def change(
    kind: str = "reversal", actor: str = "TUR", delta: float = -1.4, hours: float = 0, sid: str = "s2"
) -> StanceChange:
    current = factories.snapshot(statement_id=sid, article_id="a2", published_at=T0 + timedelta(hours=hours))
    previous = factories.snapshot(
        "support", 0.7, statement_id="s1", article_id="a1", published_at=T0 - timedelta(days=1)
    )
    return factories.change(
        kind,
        id=f"c-{sid}",
        actor=actor,
        topic="nato-membership",
        topic_label="NATO membership",
        previous=previous if kind != "new" else None,
        current=current,
        delta=delta,
        speaker="Hakan Fidan",
        detected_at=T0,
    )


def rules(text: str, tmp_path: Path) -> AlertRules:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return AlertRules.load(path)


def test_packaged_rules_load() -> None:
    loaded = AlertRules.load()
    assert any(rule.name == "stance-reversal" for rule in loaded.rules)


def test_reversal_fires_once_per_pair_inside_the_window(tmp_path: Path) -> None:
    r = rules(
        "suppress_window: 2h\nrules:\n  - {name: rev, trigger: change, kinds: [reversal], severity: high}\n",
        tmp_path,
    )
    fired: dict[str, str] = {}
    first = r.on_change(change(sid="s2"), fired, T0)
    assert [a.rule for a in first] == ["rev"]
    assert first[0].severity == "high" and "support → oppose" in first[0].title
    assert "We reject it." in first[0].summary
    assert r.on_change(change(sid="s3", hours=1), fired, T0) == []  # same pair, inside 2h
    assert len(r.on_change(change(sid="s4", hours=3), fired, T0)) == 1  # window passed
    assert len(r.on_change(change(sid="s5", actor="HUN", hours=1), fired, T0)) == 1  # other pair


def test_filters_on_actor_topic_kind_and_delta(tmp_path: Path) -> None:
    r = rules(
        "rules:\n  - {name: big, trigger: change, actors: [TUR], topics: [nato-membership], kinds: [shift, reversal],"
        " min_delta: 1.0}\n",
        tmp_path,
    )
    assert r.on_change(change(delta=-0.5), {}, T0) == []
    assert r.on_change(change(actor="HUN"), {}, T0) == []
    assert r.on_change(change(kind="new"), {}, T0) == []
    assert len(r.on_change(change(), {}, T0)) == 1


def test_alert_ids_are_deterministic(tmp_path: Path) -> None:
    r = rules("rules:\n  - {name: rev, kinds: [reversal]}\n", tmp_path)
    assert r.on_change(change(), {}, T0)[0].id == r.on_change(change(), {}, T0)[0].id


def test_statement_rule_matches_keywords_and_actor(tmp_path: Path) -> None:
    r = rules("rules:\n  - {name: nuke, trigger: statement, keywords: [nuclear], actors: [RUS]}\n", tmp_path)

    def statement(text: str, actor: str) -> Statement:
        return Statement(
            id="s",
            article_id="a",
            published_at=T0,
            source="wire",
            speaker=Speaker(name="X", actor=actor),
            text=text,
            kind="direct",
            verb="said",
            field="body",
            start=0,
            end=len(text),
            confidence=0.9,
        )

    assert len(r.on_statement(statement("We will deploy nuclear weapons.", "RUS"), {}, T0)) == 1
    assert r.on_statement(statement("We will deploy nuclear weapons.", "FRA"), {}, T0) == []
    assert r.on_statement(statement("Trade talks resume.", "RUS"), {}, T0) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rules: [{name: a}, {name: a}]", "unique"),
        ("rules: [{name: a, trigger: statement, kinds: [new]}]", "change rules"),
        ("rules: [{name: a, severity: urgent}]", "severity"),
        ("rules: [{name: a, colour: red}]", "colour"),
        ("suppress_window: soon", "suppress_window"),
        ("rules: [unclosed", "YAML"),
    ],
)
def test_bad_rules_files_name_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(RulesError, match=problem):
        rules(text, tmp_path)
