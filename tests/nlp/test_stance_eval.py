"""Stance floors on the whole evaluation folder (tests/data/eval, issue 13): just below what each
extractor reached on 2026-12-04 (session 11: parsed P 0.701, R 0.634, F1 0.666, open 0.600, 13 of 13
reversals, 3 of 131 articles without a stance; fast F1 0.545, open 0.450, 7 of 13 reversals, 16 of 131
without a stance), never lowered. Targets (stance F1 0.85, 0.80 out of taxonomy) are not met yet:
docs/extraction.md#evaluation has the figures."""

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
        stance_precision=0.695,
        stance_recall=0.63,
        stance_f1=0.66,
        open_stance_f1=0.595,
        # every reversal of the folder (13 since 2026-12-03) is found: issue 13's target, held from here on
        change_recall=0.99,
    )
    # at most this share of the articles with a gold stance get no stance at all (target: 0.10): 3 of 131
    assert result.articles_without_stance.value <= 3 / 131


def test_fast_stance_floors_on_the_folder() -> None:
    result = _folder(FastExtractor())
    assert not result.shortfalls(stance_f1=0.54, open_stance_f1=0.445, change_recall=0.53)
    # 16 of 131 (a false stance counts as found, so this share also moves with precision: it was 21 when
    # "turned back" stopped reading as backing, 2026-12-03)
    assert result.articles_without_stance.value <= 16 / 131
