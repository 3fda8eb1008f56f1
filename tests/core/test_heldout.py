"""The held-out evaluation set (tests/data/heldout): valid, disjoint from the tuning set, and described
by its README. No extractor runs here: the set is for reporting quality, never for tuning rules."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from streams.core.evaluation import DEFAULT_SET, EvalItem, gold_changes, load_eval_set
from streams.nlp.actors import Gazetteer
from streams.nlp.taxonomy import Taxonomy

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout"


@pytest.fixture(scope="module")
def items() -> list[EvalItem]:
    return load_eval_set(HELDOUT)


@pytest.fixture(scope="module")
def tuning() -> list[EvalItem]:
    return load_eval_set(DEFAULT_SET.parent)


def _sentences(text: str) -> set[str]:
    return {s.strip() for s in re.split(r"(?<=[.!?])\s+|\n", text) if len(s.split()) >= 6}


def test_size_and_articles_without_statements(items: list[EvalItem]) -> None:
    assert len(items) >= 40
    empty = [i for i in items if not i.gold.statements]
    assert len(empty) >= len(items) // 10
    assert all(not i.gold.stances for i in empty)


def test_disjoint_from_the_tuning_set(items: list[EvalItem], tuning: list[EvalItem]) -> None:
    assert not {i.article.id for i in items} & {i.article.id for i in tuning}
    assert not {i.article.headline for i in items} & {i.article.headline for i in tuning}
    tuning_sentences = set().union(*(_sentences(i.article.body) for i in tuning))
    shared = {s for i in items for s in _sentences(i.article.body)} & tuning_sentences
    assert not shared, sorted(shared)[:3]


def test_topics_actors_and_open_targets(items: list[EvalItem]) -> None:
    topics = {t.id for t in Taxonomy.load().topics}
    known = set(Gazetteer.load().names)
    direct = {s.topic for i in items for s in i.gold.stances if not s.open_topic}
    for item in items:
        for stance in item.gold.stances:
            assert stance.actor in known, (item.article.id, stance.actor)
            if stance.open_topic:
                assert stance.target in item.article.headline or stance.target in item.article.body
                # a covering topic the set also annotates directly would never be credited (see the scorer)
                assert stance.covered_by is None or stance.covered_by in topics - direct, (item.article.id, stance)
            else:
                assert stance.topic in topics, (item.article.id, stance.topic)
        for statement in item.gold.statements:
            assert statement.actor is None or statement.actor in known, (item.article.id, statement.actor)
            if "anonymous" in statement.tags:
                assert statement.actor is None, (item.article.id, statement.speaker)


def test_reversals_by_more_than_one_actor(items: list[EvalItem]) -> None:
    reversals = [c for c in gold_changes(items) if c.kind == "reversal"]
    assert len({c.actor for c in reversals}) >= 2
    assert any(c.topic.startswith("open:") for c in reversals)


def test_readme_counts_match_the_set(items: list[EvalItem]) -> None:
    readme = (HELDOUT / "README.md").read_text("utf-8")
    statements = [s for i in items for s in i.gold.statements]
    stances = [s for i in items for s in i.gold.stances]
    polarity = Counter(s.stance for s in stances)
    expected = [
        f"{len(items)} articles",
        f"{sum(not i.gold.statements for i in items)} of them with no statement",
        f"{len(statements)} statements",
        f"{len(stances)} stances",
        f"{polarity['support']} support, {polarity['oppose']} oppose, {polarity['neutral']} neutral",
        f"{sum(1 for s in stances if s.open_topic)} on open topics",
        f"{sum(1 for c in gold_changes(items) if c.kind == 'reversal')} reversals",
    ]
    for tag, count in Counter(t for s in statements for t in s.tags).items():
        expected.append(f"| `{tag}` | {count} |")
    missing = [phrase for phrase in expected if phrase not in readme]
    assert not missing, missing
