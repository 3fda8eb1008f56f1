"""Stance floors on the whole evaluation folder (tests/data/eval, issue 13): just below what each
extractor reached on 2026-12-02 (after the fourth stance round: parsed P 0.569, R 0.503, F1 0.534,
open 0.448, 6 of 131 articles without a stance; fast F1 0.431, open 0.344), never lowered. Targets (stance F1 0.85,
0.80 out of taxonomy) are not met yet: docs/extraction.md#evaluation has the figures."""

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
        stance_precision=0.56,
        stance_recall=0.50,
        stance_f1=0.53,
        open_stance_f1=0.44,
        # 0.74 (9 of 12) before the second actor round: NOR's reversal on deep-sea mining came only from
        # "WWF Norway" read as NOR (the gold gives that campaign group no actor); with the group read as
        # non-state, the government's own "will not award any licences" gives no stance. 8 of 12.
        change_recall=0.66,
    )
    # at most this share of the articles with a gold stance get no stance at all (target: 0.10): 6 of 131
    # (7 after the actor round, whose speakers for no government give no stance; "without" as an ending
    # word gave one back).
    assert result.articles_without_stance.value <= 0.05


def test_fast_stance_floors_on_the_folder() -> None:
    result = _folder(FastExtractor())
    assert not result.shortfalls(stance_f1=0.42, open_stance_f1=0.34, change_recall=0.41)
    assert result.articles_without_stance.value <= 0.19
