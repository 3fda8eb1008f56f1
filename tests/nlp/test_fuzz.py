"""Bounded fuzzing of the extractors and the stance step: no exception escapes, every span is exact.

Inputs are mutations of wire-like sentences: quote marks of every kind, speech verbs, characters
from many Unicode categories (upper-case symbols such as Ⓐ, combining marks, right-to-left text,
zero-width and odd spaces), punctuation runs and very long tokens. The generator is seeded, so a
failure names the seed and the case number that reproduce it.

The default run (20,000 articles through `FastExtractor` and the stance step, 300 through the
parsed extractor) is part of the suite. The longer run:

    STANCEWIRE_FUZZ_COUNT=500000 STANCEWIRE_FUZZ_PARSED_COUNT=5000 STANCEWIRE_FUZZ_SEED=7 \\
        .venv/bin/python -m pytest tests/nlp/test_fuzz.py -q -p no:cacheprovider --timeout=0
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator

import pytest

from schemas import RawArticle, Statement
from streams.nlp.adversarial import WIRE_SENTENCES
from streams.nlp.stance import detect_stances
from tests.nlp.conftest import make_article

FAST_COUNT = int(os.environ.get("STANCEWIRE_FUZZ_COUNT", "20000"))
PARSED_COUNT = int(os.environ.get("STANCEWIRE_FUZZ_PARSED_COUNT", "300"))
SEED = int(os.environ.get("STANCEWIRE_FUZZ_SEED", "14"))

SENTENCES = (
    *WIRE_SENTENCES,
    "According to TASS, the Kremlin said talks with Washington would continue. ",
    "This was stated by Foreign Ministry spokeswoman Maria Zakharova at a briefing. ",
    '"It is unacceptable," said Sergei Ryabkov, Russia\'s deputy foreign minister. ',
    "Hungary will not support new sanctions on Russian gas, Peter Szijjarto said on Facebook. ",
    "Macron told reporters: “We are ready to provide security guarantees.” ",
    "Officials familiar with the talks said Beijing had rejected calls for an arms embargo. ",
    "The European Commission proposed a ban on Russian gas imports from 2028. ",
    "She said Iran would suspend its cooperation with the IAEA, according to state media. ",
)
SPEECH = ("said", "says", "told reporters", "according to", "warned", "rejected", "added", "stated by", "citing")
QUOTES = ('"', "“", "”", "«", "»", "'", "’", "‘", '""', "“”")
ODD_CHARACTERS = (
    "Ⓐ",
    "Ⅻ",
    "ǅ",
    "ß",
    "İ",
    "\u0301",  # combining acute accent
    "\u200b",  # zero-width space
    "\u200f",  # right-to-left mark
    "\u2028",  # line separator
    "\u00a0",  # no-break space
    "\t",
    "\n",
    "\n\n",
    "مرحبا",
    "שלום",
    "中文",
    "٣٤٥",
    "🙂",
    "\U0001f1fa\U0001f1e6",  # a flag
    "_",
    "\\",
    "\x00",
)
PUNCTUATION_RUNS = ("...", ",,,", "!!!?", "—–-", ";;", "::", "(", ")", "[", "]", "…", "?!", ".\n.", "-- ")


def _mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        pos = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.2:
            piece = rng.choice(QUOTES)
        elif roll < 0.4:
            piece = f" {rng.choice(SPEECH)} "
        elif roll < 0.6:
            piece = rng.choice(ODD_CHARACTERS)
        elif roll < 0.75:
            piece = rng.choice(PUNCTUATION_RUNS)
        elif roll < 0.8:
            piece = rng.choice(("x", "NATO", "Ⓐ", "a-b", "U.S.")) * rng.randint(50, 800)  # a very long token
        elif roll < 0.9:
            start = rng.randint(0, len(text))
            piece = text[start : start + rng.randint(1, 40)]  # a duplicated stretch
        else:
            end = rng.randint(pos, len(text))
            text = text[:pos] + text[end:]  # a cut
            continue
        text = text[:pos] + piece + text[pos:]
    if rng.random() < 0.1:
        text = text.upper() if rng.random() < 0.5 else text.lower()
    return text


def generated_articles(count: int, seed: int) -> Iterator[tuple[int, RawArticle]]:
    rng = random.Random(seed)
    for case in range(count):
        body = "".join(_mutate(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(1, 4)))
        headline = _mutate(rng, rng.choice(SENTENCES)).strip() if rng.random() < 0.7 else ""
        yield case, make_article(body, headline=headline, article_id=f"fuzz-{seed}-{case}")


def check_statements(article: RawArticle, statements: list[Statement], where: str) -> None:
    for statement in statements:
        text = article.headline if statement.field == "headline" else article.body
        assert 0 <= statement.start <= statement.end <= len(text), where
        assert text[statement.start : statement.end] == statement.text, where


def test_fast_extractor_and_stance_on_generated_articles(extractor, taxonomy):
    checked = 0
    for case, article in generated_articles(FAST_COUNT, SEED):
        where = f"seed {SEED} case {case}: {article.headline!r} / {article.body[:300]!r}"
        try:
            statements = extractor.extract(article)
            check_statements(article, statements, where)
            for statement in statements:
                for event in detect_stances(statement, taxonomy):
                    assert event.evidence in statement.text, where
        except AssertionError:
            raise
        except Exception as exc:  # pragma: no cover - what the fuzzing is for
            pytest.fail(f"{type(exc).__name__}: {exc} at {where}")
        checked += 1
    assert checked == FAST_COUNT


def test_parsed_extractor_on_generated_articles():
    from streams.nlp.parsed import ModelUnavailable, ParsedExtractor

    try:
        parsed = ParsedExtractor()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))
    batch: list[tuple[int, RawArticle]] = []
    cases = list(generated_articles(PARSED_COUNT, SEED + 1))
    for start in range(0, len(cases), 16):
        batch = cases[start : start + 16]
        results = parsed.extract_each([article for _case, article in batch])
        for (case, article), result in zip(batch, results, strict=True):
            where = f"seed {SEED + 1} case {case}: {article.headline!r} / {article.body[:300]!r}"
            assert not isinstance(result, Exception), f"{type(result).__name__}: {result} at {where}"
            check_statements(article, result, where)
