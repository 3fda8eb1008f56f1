"""Resident memory of the parsed extractor over many articles full of words it has never seen.

Each generated article names new people and places: every pseudo-word is made from a running
counter, so no two articles share one and the vocabulary meets ~60 new words per article. The
articles go through `Pipeline.extract_batch` in batches of 16, as the extract process runs them
(extraction and the stance step), and the process's RSS is read from /proc after a garbage
collection at evenly spaced points. `tests/nlp/test_parsed_memory.py` runs it briefly; the full run:

    .venv/bin/python -m tests.nlp.parsed_memory 20000              # memory zone + reload (the default)
    .venv/bin/python -m tests.nlp.parsed_memory 20000 --unbounded  # spaCy's default: every word kept

It prints one JSON object: RSS (MB) at each point, the growth per 1,000 articles over the second half
(from end to end, and the median between successive points), the pipeline reloads and the seconds taken.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from schemas import RawArticle, encode

_SYLLABLES = ("ka", "lo", "vra", "zen", "tor", "mi", "qua", "bel", "dro", "fi", "nax", "ul", "pe", "sho", "rim", "ga")
BATCH = 16


class NewWords:
    """Pseudo-words that never repeat: a counter written in syllables."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def __call__(self, capital: bool = False) -> str:
        n, parts = next(self._count), []
        while n:
            n, digit = divmod(n, len(_SYLLABLES))
            parts.append(_SYLLABLES[digit])
        word = "za" + "".join(parts)
        return word.capitalize() if capital else word


def article(index: int, new: NewWords, listed: int = 40) -> RawArticle:
    """A short wire story whose attributed sentences (the ones the parser reads) are full of new words:
    ~22 in its prose and `listed` more in a list (62 in all by default)."""
    name = f"{new(True)} {new(True)}"
    items = ", ".join(new() for _ in range(listed))
    body = (
        f"{name}, the {new()} {new()} minister, said the {new()} {new()} plan for {new(True)} {new(True)} "
        f"would {new()} the {new()} {new()} talks in {new(True)}. "
        f"{name} said that {items} and {new()} would be on the agenda. "
        f"The {new()} meeting ended without a deal on {new()} {new()}."
    )
    return RawArticle(
        id=f"memory-{index:06d}",
        headline="Talks resume in Geneva as envoys meet",
        body=body,
        source="memory",
        published_at=datetime(2025, 1, 1, tzinfo=UTC),
        language="en",  # declared: the language detector is not asked about made-up words
    )


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def run(
    count: int,
    *,
    unbounded: bool = False,
    reload_words: int | None = None,
    listed: int = 40,
    points: int = 20,
    progress: bool = False,
) -> dict[str, Any]:
    from streams.core.pipeline import Origin, Pipeline
    from streams.nlp.parsed import DEFAULT_RELOAD_WORDS, ParsedExtractor
    from streams.settings import Settings

    words = reload_words if reload_words is not None else DEFAULT_RELOAD_WORDS
    extractor = ParsedExtractor(memory_zone=not unbounded, reload_words=0 if unbounded else words)
    pipeline = Pipeline(Settings(extractor="parsed"), extractor=extractor)
    new = NewWords()
    every = max(BATCH, count // points // BATCH * BATCH)
    marks: list[tuple[int, float]] = []
    statements = 0
    gc.collect()
    marks.append((0, rss_mb()))
    began = time.perf_counter()
    for start in range(0, count, BATCH):
        batch = [article(i, new, listed) for i in range(start, min(start + BATCH, count))]
        records = [(encode(a), Origin("news.raw", key=a.id.encode())) for a in batch]
        statements += sum(len(outcome.statements) for outcome in pipeline.extract_batch(records))
        done = start + len(batch)
        if done % every == 0 or done == count:
            gc.collect()
            marks.append((done, rss_mb()))
            if progress:
                line = f"{done} articles: {marks[-1][1]:.1f} MB, {extractor.reloads} reloads"
                print(line, file=sys.stderr, flush=True)
    seconds = time.perf_counter() - began
    half = next(m for m in marks if m[0] >= count // 2)
    end = marks[-1]
    second_half = [m for m in marks if m[0] >= half[0]]
    slopes = [(b[1] - a[1]) * 1000 / (b[0] - a[0]) for a, b in itertools.pairwise(second_half)]
    return {
        "articles": count,
        "new_words_per_article": 22 + listed,
        "unbounded": unbounded,
        "reload_words": 0 if unbounded else words,
        "reloads": extractor.reloads,
        "statements": statements,
        "seconds": round(seconds, 1),
        "rss_mb_start": round(marks[0][1], 1),
        "rss_mb_end": round(end[1], 1),
        "rss_mb_peak": round(max(mb for _n, mb in marks), 1),
        "growth_mb_per_1000_second_half": round((end[1] - half[1]) * 1000 / max(1, end[0] - half[0]), 2),
        # the median of the growth between successive points: one step of the allocator's high-water
        # mark (a few MB, once) does not decide it, steady growth with every new word does
        "median_growth_mb_per_1000_second_half": round(statistics.median(slopes), 2) if slopes else 0.0,
        "marks": [[n, round(mb, 1)] for n, mb in marks],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=20_000)
    parser.add_argument("--unbounded", action="store_true", help="no memory zone, no reload (spaCy's default)")
    parser.add_argument("--reload-words", type=int, default=None, help="reload after this many new words")
    parser.add_argument("--listed", type=int, default=40, help="new words listed per article, beside ~22 in prose")
    args = parser.parse_args(argv)
    figures = run(
        args.count, unbounded=args.unbounded, reload_words=args.reload_words, listed=args.listed, progress=True
    )
    sys.stdout.buffer.write(orjson.dumps(figures) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
