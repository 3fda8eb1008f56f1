"""Stance floors on the whole evaluation folder (tests/data/eval, issue 13): just below what each
extractor reached on 2026-12-02 (after the fifth stance round: parsed P 0.577, R 0.527, F1 0.551,
open 0.473, 9 of 12 reversals, 5 of 131 articles without a stance; fast F1 0.438, open 0.344, 20 of 131
without a stance), never lowered. Targets (stance F1 0.85,
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
        stance_precision=0.57,
        stance_recall=0.52,
        stance_f1=0.545,
        open_stance_f1=0.465,
        # 9 of 12: NOR's reversal on deep-sea mining had come only from "WWF Norway" read as NOR until the
        # second actor round; since the fifth stance round the government's own "will not award any
        # licences" gives it (a licence for a thing supports it).
        change_recall=0.74,
    )
    # at most this share of the articles with a gold stance get no stance at all (target: 0.10): 5 of 131
    # (7 after the actor round, whose speakers for no government give no stance; "without" as an ending
    # word gave one back, the fifth stance round another).
    assert result.articles_without_stance.value <= 0.045


def test_fast_stance_floors_on_the_folder() -> None:
    result = _folder(FastExtractor())
    assert not result.shortfalls(stance_f1=0.43, open_stance_f1=0.34, change_recall=0.41)
    # 21 of 131: the 21st (wc-merz-vote-0506) lost only a false positive ("turned back" read as
    # backing, 2026-12-03); the floor counts a false stance as found, so it moved with precision.
    assert result.articles_without_stance.value <= 21 / 131
