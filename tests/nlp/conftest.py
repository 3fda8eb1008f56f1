"""Fixtures for the NLP core tests: the bundled sample article and article builders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas import RawArticle, Statement
from streams.nlp.stance import detect_stances
from streams.nlp.taxonomy import Taxonomy
from tests import factories

SAMPLE_ID = "ukraine-troops-2025-09-04"


def make_article(body: str, headline: str = "", article_id: str = "a1") -> RawArticle:
    return factories.article(body, headline, id=article_id, published_at=datetime(2025, 9, 5, 9, 30, tzinfo=UTC))


def make_statement(text: str, speaker: str, actor: str | None, context: str = "", confidence: float = 0.9) -> Statement:
    """An indirect statement whose span is the whole text, for stance tests."""
    return factories.statement(
        text,
        speaker=speaker,
        actor=actor,
        context=context,
        confidence=confidence,
        published_at=datetime(2025, 9, 5, tzinfo=UTC),
    )


def stances(text: str, taxonomy: Taxonomy, actor: str, context: str = "") -> dict[str, str]:
    """The (topic, stance) pairs `detect_stances` gives for one statement of `text` by `actor`."""
    return {e.topic: e.stance for e in detect_stances(make_statement(text, "Spokesperson", actor, context), taxonomy)}


def pipeline_stances(body: str, headline: str, taxonomy: Taxonomy) -> set[tuple[str | None, str, str]]:
    """The (actor, topic, stance) triples the fast pipeline gives for one article."""
    from streams.core.pipeline import Origin, Pipeline  # noqa: PLC0415 - the pipeline only where a test needs it
    from streams.nlp.extract import FastExtractor  # noqa: PLC0415
    from streams.settings import Settings  # noqa: PLC0415

    pipeline = Pipeline(Settings(extractor="fast"), extractor=FastExtractor(), taxonomy=taxonomy)
    [outcome] = pipeline.extract_articles([make_article(body, headline)], Origin("news.raw"))
    return {(e.actor, e.topic, e.stance) for e in outcome.stances}


def assert_spans(article: RawArticle, statements: list[Statement]) -> None:
    """Every statement's span must reproduce its text exactly."""
    for s in statements:
        source = article.headline if s.field == "headline" else article.body
        assert source[s.start : s.end] == s.text, s


@pytest.fixture(scope="session")
def check_spans():  # noqa: ANN201 - the helper, as a fixture so tests need not import conftest
    return assert_spans


@pytest.fixture(scope="session")
def sample_article(sample_article_path: Path) -> RawArticle:
    headline, _, body = sample_article_path.read_text(encoding="utf-8").partition("\n")
    return RawArticle(
        id=SAMPLE_ID,
        headline=headline.strip(),
        body=body.strip("\n"),
        source="sample",
        published_at=datetime(2025, 9, 4, tzinfo=UTC),
    )


@pytest.fixture(scope="session")
def extractor():  # noqa: ANN201 - FastExtractor, imported lazily
    from streams.nlp.extract import FastExtractor

    return FastExtractor()


@pytest.fixture(scope="session")
def taxonomy():  # noqa: ANN201
    from streams.nlp.taxonomy import Taxonomy

    return Taxonomy.load()
