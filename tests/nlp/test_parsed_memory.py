"""The parsed extractor's memory stays flat over articles full of new words (spaCy's vocabulary is bounded).

Each run is a fresh process (`tests/nlp/parsed_memory.py`), so its RSS is the extractor's alone. The
growth per 1,000 articles over the second half of the run is the median between successive points
(RSS every 16 articles), so one step of the allocator's high-water mark, which a short run may or may
not meet, does not decide it. With spaCy's default (every word kept in the vocabulary) the same
articles grow steadily, ~12 MB per 1,000 by that median (~36 MB end to end); in a memory zone per
batch, by about 0. The bound sits between the two, and the unbounded run must exceed it, so the
test shows the articles really bring new words. The full run (20,000 articles, figures in
docs/reliability.md):

    .venv/bin/python -m tests.nlp.parsed_memory 20000
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from schemas import encode
from streams.core.pipeline import Origin, Pipeline
from streams.settings import Settings
from tests.nlp.parsed_memory import NewWords, article

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads RSS from /proc")

COUNT = int(os.environ.get("STANCEWIRE_MEMORY_COUNT", "500"))
BOUND_MB_PER_1000 = 5.0  # median growth per 1,000 articles over the second half of the run


def measure(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.nlp.parsed_memory", str(COUNT), *args], capture_output=True, timeout=900
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return orjson.loads(done.stdout)


@pytest.fixture(scope="module")
def parsed_available() -> None:
    from streams.nlp.parsed import model_available

    if not model_available():
        pytest.skip("no spaCy model for the parsed extractor")


def test_parsed_memory_is_bounded_over_new_words(parsed_available) -> None:  # noqa: ANN001
    bounded = measure()
    unbounded = measure("--unbounded")
    assert bounded["statements"] == unbounded["statements"] == 2 * COUNT  # the same work, read the same
    assert unbounded["median_growth_mb_per_1000_second_half"] > BOUND_MB_PER_1000, unbounded  # the words are new
    assert bounded["median_growth_mb_per_1000_second_half"] < BOUND_MB_PER_1000, bounded


def test_a_reload_keeps_every_statement(parsed_available) -> None:  # noqa: ANN001
    from streams.nlp.parsed import ParsedExtractor

    new = NewWords()
    articles = [article(i, new) for i in range(48)]
    records = [(encode(a), Origin("news.raw", key=a.id.encode())) for a in articles]
    steady = Pipeline(Settings(extractor="parsed"), extractor=ParsedExtractor(reload_words=0))
    reloading_extractor = ParsedExtractor(reload_words=500)  # ~1,000 new strings a batch: a reload each batch
    reloading = Pipeline(Settings(extractor="parsed"), extractor=reloading_extractor)
    expected = [o.statements for o in steady.extract_batch(records[:16])]
    expected += [o.statements for o in steady.extract_batch(records[16:32])]
    expected += [o.statements for o in steady.extract_batch(records[32:])]
    got = [o.statements for o in reloading.extract_batch(records[:16])]
    got += [o.statements for o in reloading.extract_batch(records[16:32])]
    got += [o.statements for o in reloading.extract_batch(records[32:])]
    assert reloading_extractor.reloads == 3 and reloading_extractor.new_words == 0
    assert got == expected and all(got)


def test_the_reload_threshold_is_a_setting(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("STANCEWIRE_PARSED_RELOAD_WORDS", "1234")

    class Stub:
        name = "parsed"
        budget_seconds = None
        reload_words = 500_000

    pipeline = Pipeline(Settings())
    monkeypatch.setattr("streams.core.pipeline.load_extractor", lambda _name: Stub())
    assert pipeline.extractor.reload_words == 1234  # type: ignore[attr-defined]


def test_the_memory_zone_changes_no_statement_and_a_failure_leaves_it_as_plain_data(
    parsed_available, monkeypatch
) -> None:  # noqa: ANN001
    import traceback

    from streams.cli.bench import demo_articles
    from streams.nlp.parsed import ParsedExtractor

    articles = demo_articles(24)
    zoned, plain = ParsedExtractor(), ParsedExtractor(memory_zone=False)
    assert zoned.memory_zone and not plain.memory_zone
    assert zoned.extract_each(articles) == plain.extract_each(articles)
    original = zoned._read  # noqa: SLF001

    def broken_for_one(article, plan, deadline):  # noqa: ANN001, ANN202
        if article.id == articles[1].id:
            doc = next(u.doc for u in plan.units() if u.doc is not None)  # a Doc in the failing frame
            raise RuntimeError(f"a bug in a rule, reading {len(doc)} tokens")
        return original(article, plan, deadline)

    monkeypatch.setattr(zoned, "_read", broken_for_one)
    results = zoned.extract_each(articles[:3])
    failure = results[1]
    assert isinstance(failure, RuntimeError) and "a bug in a rule" in str(failure)
    assert all(frame.f_locals == {} for frame, _line in traceback.walk_tb(failure.__traceback__.tb_next))
    assert "broken_for_one" in "".join(traceback.format_exception(failure))  # files and lines kept
    assert results[0] and results[2]


def test_a_failed_reload_keeps_its_batch_and_is_tried_again(parsed_available, monkeypatch) -> None:  # noqa: ANN001
    from streams.nlp import parsed as parsed_module

    extractor = parsed_module.ParsedExtractor(reload_words=1)  # a reload after every batch
    new = NewWords()
    articles = [article(i, new) for i in range(4)]

    def missing(_model):  # noqa: ANN001, ANN202
        raise parsed_module.ModelUnavailable("no spaCy model (removed while running)")

    monkeypatch.setattr(parsed_module, "load_model", missing)
    first = extractor.extract_each(articles[:2])
    assert all(isinstance(r, list) and r for r in first) and extractor.nlp is None  # the batch's statements stand
    pipeline = Pipeline(Settings(extractor="parsed"), extractor=extractor)
    outcome = pipeline.extract(encode(articles[2]), Origin("news.raw", key=b"a"))
    assert outcome.dead_letter is not None and outcome.dead_letter.reason == "processing_error"
    assert "removed while running" in outcome.dead_letter.error
    monkeypatch.undo()
    assert extractor.extract_each(articles[3:])[0] and extractor.nlp is not None
