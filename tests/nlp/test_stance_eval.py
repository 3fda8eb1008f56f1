"""Stance floors on the whole evaluation folder (tests/data/eval, issue 13): just below what each
extractor reached on 2026-12-08 (main after session 12: parsed P 0.724, R 0.649, F1 0.684, open 0.620,
13 of 13 reversals, 4 of 131 articles without a stance; fast F1 0.561, open 0.467, 7 of 13 reversals, 17 of
131 without a stance), never lowered but for the share without a stance, which moves with precision:
an article whose one false stance was on an arena now has none. Targets (stance F1 0.85, 0.80 out of
taxonomy) are not met yet: docs/extraction.md#evaluation has the figures."""

from __future__ import annotations

import pytest

from streams.core.evaluation import DEFAULT_SET, EvalResult, evaluate, load_eval_set
from streams.nlp.extract import FastExtractor


def _folder(extractor) -> EvalResult:  # noqa: ANN001
    return evaluate(load_eval_set(DEFAULT_SET.parent), extractor)


def test_parsed_stance_floors_on_the_folder() -> None:
    from streams.nlp.parsed import ModelUnavailable, ParsedExtractor

    try:
        parsed = ParsedExtractor()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))
    result = _folder(parsed)
    assert result.dead_letters == 0
    assert not result.shortfalls(
        stance_precision=0.72,
        stance_recall=0.645,
        stance_f1=0.68,
        open_stance_f1=0.615,
        # every reversal of the folder (13 since 2026-12-03) is found: issue 13's target, held from here on
        change_recall=0.99,
    )
    # at most this share of the articles with a gold stance get no stance at all (target: 0.10): 4 of 131
    assert result.articles_without_stance.value <= 4 / 131


def test_fast_stance_floors_on_the_folder() -> None:
    result = _folder(FastExtractor())
    assert not result.shortfalls(stance_f1=0.557, open_stance_f1=0.463, change_recall=0.53)
    # 17 of 131 (a false stance counts as found, so this share also moves with precision: it was 21 when
    # "turned back" stopped reading as backing, 2026-12-03, and went 16 -> 17 when arenas stopped taking stances)
    assert result.articles_without_stance.value <= 17 / 131
