"""The demo corpus: valid RawArticles in which one actor reverses and another shifts a stance."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import RawArticle
from streams.nlp.stance import detect_stances

CORPUS = Path(__file__).resolve().parents[2] / "streams" / "cli" / "corpus" / "corpus.jsonl"


@pytest.fixture(scope="module")
def articles() -> list[RawArticle]:
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [RawArticle.model_validate_json(line) for line in lines]


def _stances(articles, extractor, taxonomy, actor, topic):
    """(published_at, stance) per article for one actor/topic, from the article's strongest event."""
    out = []
    for article in sorted(articles, key=lambda a: a.published_at):
        events = [
            e
            for s in extractor.extract(article)
            for e in detect_stances(s, taxonomy)
            if e.actor == actor and e.topic == topic
        ]
        if events:
            out.append((article.published_at, max(events, key=lambda e: abs(e.score)).stance, article.id))
    return out


def test_corpus_shape(articles):
    assert 10 <= len(articles) <= 12
    assert len({a.id for a in articles}) == len(articles)
    dates = sorted(a.published_at for a in articles)
    assert (dates[-1] - dates[0]).days >= 7


def test_turkey_reverses_on_foreign_troops(articles, extractor, taxonomy):
    seq = _stances(articles, extractor, taxonomy, "TUR", "foreign-troops-ukraine")
    supports = [t for t, stance, _ in seq if stance == "support"]
    opposes = [t for t, stance, _ in seq if stance == "oppose"]
    assert supports and opposes
    assert min(supports) < max(opposes)  # support first, opposition in a later article


def test_hungary_shifts_on_sanctions(articles, extractor, taxonomy):
    seq = _stances(articles, extractor, taxonomy, "HUN", "sanctions-russia")
    assert [stance for _, stance, _ in seq][0] == "oppose"
    assert seq[-1][1] != "oppose"


def test_no_statement_and_anonymous_articles(articles, extractor):
    counts = {a.id: extractor.extract(a) for a in articles}
    assert any(not statements for statements in counts.values())
    anonymous = [s for ss in counts.values() for s in ss if s.speaker.actor is None]
    assert any("diplomats" in s.speaker.name for s in anonymous)
