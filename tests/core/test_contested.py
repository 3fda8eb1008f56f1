"""Contested rules: a topic becomes contested when one actor takes the side opposite another's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schemas import RawArticle
from streams.core.alerting import AlertRules, RulesError
from streams.core.pipeline import Pipeline
from streams.core.replay import replay
from streams.settings import Settings
from tests import factories
from tests.factories import T0

OPEN = "~arms-sale@TWN-USA"


def rules(**rule: object) -> AlertRules:
    return AlertRules.model_validate({"rules": [{"name": "contested", "trigger": "contested", "window": "7d", **rule}]})


def change(actor: str, stance: str, days: float = 0, topic: str = OPEN, n: int = 1):  # noqa: ANN201
    at = T0 + timedelta(days=days)
    current = factories.snapshot(stance, 0.7 if stance == "support" else -0.7, statement_id=f"s{n}", published_at=at)
    return factories.change("new", actor=actor, topic=topic, topic_label="arms sale", current=current, id=f"c{n}")


def run(r: AlertRules, *changes):  # noqa: ANN001, ANN002, ANN201
    state, fired = None, []
    for c in changes:
        state, alerts = r.on_topic_change(c, state, T0)
        fired.append([a.rule for a in alerts])
    return state, fired


def test_opposite_sides_of_two_actors_within_the_window_make_a_topic_contested() -> None:
    state, fired = run(rules(), change("CHN", "oppose", 0, n=1), change("TWN", "support", 2, n=2))
    assert fired == [[], ["contested"]]
    assert set(state["actors"]) == {"CHN", "TWN"}


def test_the_alert_names_both_sides_and_the_topic() -> None:
    r = rules()
    state, _ = r.on_topic_change(change("CHN", "oppose", 0, n=1), None, T0)
    _, (alert,) = r.on_topic_change(change("TWN", "support", 1, n=2), state, T0)
    assert alert.topic == OPEN and alert.actor == "TWN" and alert.current_stance == "support"
    assert "TWN support" in alert.title and "CHN oppose" in alert.title


def test_the_same_side_or_one_actor_alone_is_no_contest() -> None:
    _, fired = run(rules(), change("CHN", "oppose", 0, n=1), change("RUS", "oppose", 1, n=2))
    assert fired == [[], []]
    _, fired = run(rules(), change("CHN", "oppose", 0, n=1), change("CHN", "support", 1, n=2))
    assert fired == [[], []]  # one actor changing its mind is a reversal, not a contest


def test_a_side_older_than_the_window_does_not_count() -> None:
    _, fired = run(rules(), change("CHN", "oppose", 0, n=1), change("TWN", "support", 8, n=2))
    assert fired == [[], []]


def test_a_neutral_stance_takes_no_side() -> None:
    _, fired = run(rules(), change("CHN", "oppose", 0, n=1), change("ASEAN", "neutral", 1, n=2))
    assert fired == [[], []]


def test_it_fires_once_per_topic_and_window() -> None:
    _, fired = run(
        rules(),
        change("CHN", "oppose", 0, n=1),
        change("TWN", "support", 1, n=2),
        change("USA", "support", 2, n=3),
        change("PRK", "oppose", 9, n=4),
        change("JPN", "support", 10, n=5),
    )
    # day 9: USA's support (day 2) is within the window and the first firing (day 1) is not
    assert fired == [[], ["contested"], [], ["contested"], []]


def test_taxonomy_topics_are_left_out_unless_the_rule_says_otherwise() -> None:
    taxonomy = [change("CHN", "oppose", 0, "peace-talks", 1), change("UKR", "support", 1, "peace-talks", 2)]
    assert run(rules(), *taxonomy)[1] == [[], []]
    assert run(rules(open_only=False), *taxonomy)[1] == [[], ["contested"]]


def test_actors_limit_who_counts_on_either_side() -> None:
    _, fired = run(rules(actors=["USA", "CHN"]), change("CHN", "oppose", 0, n=1), change("TWN", "support", 1, n=2))
    assert fired == [[], []]


def test_a_contested_rule_takes_no_keywords() -> None:
    with pytest.raises(ValueError, match="keywords"):
        rules(keywords=["x"])


def test_the_packaged_rules_have_a_contested_rule(tmp_path) -> None:  # noqa: ANN001
    assert [r.name for r in AlertRules.load().contested_rules] == ["newly-contested"]
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - {name: x, trigger: contested, keywords: [a]}\n")
    with pytest.raises(RulesError, match="keywords"):
        AlertRules.load(bad)


def article(id_: str, day: int, headline: str, body: str) -> RawArticle:
    return RawArticle(
        id=id_, headline=headline, body=body, source="wire", published_at=T0 + timedelta(days=day), url=None
    )


def test_replay_finds_a_newly_contested_open_topic_across_articles(tmp_path) -> None:  # noqa: ANN001
    pipeline = Pipeline(Settings(extractor="fast", data_dir=tmp_path))
    articles = [
        article(
            "a1",
            0,
            "Oslo's plan",
            'Norway "strongly supports the licensing round", Norwegian energy minister Terje Aasland said.',
        ),
        article("a2", 1, "Santiago's answer", "Chile's foreign ministry said it rejected the licensing round."),
    ]
    alerts = [r for t, r in replay(articles, pipeline) if t == pipeline.settings.topics.alerts]
    assert [a.rule for a in alerts if a.rule == "newly-contested"] == ["newly-contested"]


def test_the_web_layer_names_open_topics_from_their_key(tmp_path) -> None:  # noqa: ANN001
    pipeline = Pipeline(Settings(extractor="fast", data_dir=tmp_path))
    assert pipeline.topic_label("~arms-sale@TWN-USA") == "arms sale (Taiwan, United States)"
    assert pipeline.topic_label("peace-talks") == "Peace talks and ceasefire"
    assert pipeline.topic_label("no-such-topic") == "no-such-topic"
