"""Time grows linearly with article length on every hot loop (fast and parsed extractors, stance step).

Each adversarial body of `streams/nlp/adversarial.py` is timed at 10 KB and 100 KB (best of 3 runs,
in CPU seconds, `time.process_time`: on a machine shared with other work, wall time stretched with
the load, e.g. the stance step on `nato` took 0.026 s / 1.42 s wall against 0.024 s / 0.257 s CPU);
ten times the text may take at most `RATIO` times as long. A quadratic loop
takes about 100 times as long, so the margin absorbs a busy machine without hiding one. Nothing
here asserts an absolute time, except a floor under the 10 KB figure so that a few milliseconds of
noise cannot fail the ratio.

The long form adds 1 MB (at most `RATIO` times the 100 KB time) for the fast extractor and stance:

    STANCEWIRE_SCALING_FULL=1 .venv/bin/python -m pytest tests/nlp/test_scaling.py -q -p no:cacheprovider

The seconds themselves, and the worst seconds per 100 KB:
`stancewire bench --articles 0 --e2e-articles 0 --adversarial`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from streams.nlp.adversarial import COUNTRY_HEADLINE, HEADLINE, PATTERNS, article_of, best_times, statement_of
from streams.nlp.stance import detect_stances

RATIO = 40.0  # linear is 10×, quadratic 100×: the margin absorbs a machine shared with other work
FLOOR_SECONDS = 0.02  # below this a 10 KB time is mostly timer and scheduler noise
FULL = os.environ.get("STANCEWIRE_SCALING_FULL") == "1"
SIZES = (10_000, 100_000, 1_000_000) if FULL else (10_000, 100_000)

# Bodies that made `_home` / `_register_mentions` (actor resolution) rescan the lead sentence per
# match when the headline names no country; timed separately below.
ACTOR_LOOP_PATTERNS = ("nato", "to_russia", "circled_said")


def cpu_seconds(job: Callable[[], object]) -> float:
    """The least CPU time of three runs of `job`."""
    return best_times(job)[1]


def assert_linear(pattern: str, work: Callable[[int], Callable[[], object]], sizes: tuple[int, ...] = SIZES) -> None:
    """`work(size)` builds the job for one size; each size may take at most RATIO × the one before."""
    previous: float | None = None
    for size in sizes:
        job = work(size)
        seconds = cpu_seconds(job)
        if previous is not None:
            allowed = RATIO * max(previous, FLOOR_SECONDS)
            assert seconds < allowed, (
                f"{pattern}: {size // 1000} KB took {seconds:.3f} s, over {RATIO:g}× the previous "
                f"size's {previous:.3f} s (not linear)"
            )
        previous = seconds


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_fast_extractor_is_linear(extractor, pattern):
    # The headline names a country, so the actor lookup of the lead is not what is timed here.
    assert_linear(pattern, lambda size: lambda: extractor.extract(article_of(pattern, size, headline=COUNTRY_HEADLINE)))


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_stance_step_is_linear(taxonomy, pattern):
    def work(size: int) -> Callable[[], object]:
        statement = statement_of(article_of(pattern, size).body)
        detect_stances(statement, taxonomy)  # compile the cue patterns outside the timing
        return lambda: detect_stances(statement, taxonomy)

    assert_linear(pattern, work)


@pytest.mark.parametrize("pattern", ACTOR_LOOP_PATTERNS)
def test_fast_extractor_is_linear_with_a_headline_naming_no_country(extractor, pattern):
    sizes = SIZES
    assert_linear(pattern, lambda size: lambda: extractor.extract(article_of(pattern, size, headline=HEADLINE)), sizes)


@pytest.fixture(scope="module")
def parsed():  # noqa: ANN201 - ParsedExtractor, when spaCy and a model are installed
    from streams.nlp.parsed import ModelUnavailable, ParsedExtractor

    try:
        return ParsedExtractor()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("pattern", ["wire", "nato", "quote_said", "according_punct", "long_token"])
def test_parsed_extractor_is_linear(parsed, pattern):
    sizes = SIZES[:2]  # the parser is the slow part; 1 MB adds nothing the ratio does not show

    previous: float | None = None
    for size in sizes:
        article = article_of(pattern, size, headline=COUNTRY_HEADLINE)
        seconds = cpu_seconds(lambda a=article: parsed.extract(a))
        if previous is not None:
            assert seconds < RATIO * max(previous, FLOOR_SECONDS), (pattern, previous, seconds)
        previous = seconds
