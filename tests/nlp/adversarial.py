"""Adversarial article bodies and a timing harness for the NLP hot loops.

Used by `test_scaling.py`, and runnable on its own to print seconds per pattern and size:

    .venv/bin/python -m tests.nlp.adversarial            # 10 KB and 100 KB, fast extractor + stance
    .venv/bin/python -m tests.nlp.adversarial 10 100 1000 --parsed

Sizes are in KB. Each figure is the best of three runs of one article.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from schemas import RawArticle, Speaker, Statement

WIRE_SENTENCES = (
    "Russian Foreign Minister Sergei Lavrov said on Tuesday that Moscow would not accept European troops in Ukraine. ",
    '"We will never agree to this," Foreign Ministry spokeswoman Maria Zakharova told reporters. ',
    "NATO Secretary General Mark Rutte rejected calls for a ceasefire without security guarantees, "
    "according to officials familiar with the talks. ",
    "The European Union will back new sanctions against Russia, the Commission said in a statement. ",
    "This was stated by French President Emmanuel Macron. ",
    "Ukraine welcomed the decision, a spokesman for President Volodymyr Zelenskyy said. ",
)

# One repeated unit per pattern; the body is the unit repeated up to the wanted size.
PATTERNS: dict[str, str] = {
    "nato": "NATO ",
    "to_russia": "to Russia ",
    "stance_cues": "reject condemn welcome back oppose ",
    "stance_topics": "reject new sanctions, welcome a ceasefire and oppose Western troops ",
    "quote_said": '"a b c d e" said ',
    "quote_attributed": '"we reject new sanctions," Lavrov said ',
    "quote_context": '"we reject all of it," Lavrov said on sanctions ',
    "wire": "".join(WIRE_SENTENCES),
    "circled_said": "Ⓐ said Ⓑ told NATO ",
    "according_punct": "according to ... , ; ! ",
    "long_token": "x" * 997 + " said ",
    "one_sentence": "officials said the talks on troops would go on and ",
}

HEADLINE = "Talks resume in Geneva as envoys meet"  # names no country: the lead is read for one
# A headline naming a country settles the article's home country there, so the lead sentence is never
# searched for one: timing with it leaves out `_home`, the actor-resolution lookup (owned separately).
COUNTRY_HEADLINE = "Finland hosts talks as envoys meet"
# The stance step falls back on the topic its context names when the statement names none.
STANCE_CONTEXT = "EU weighs new sanctions on Russia"


def body_of(pattern: str, size_bytes: int) -> str:
    unit = PATTERNS[pattern]
    return (unit * (size_bytes // len(unit.encode()) + 1))[:size_bytes].rstrip()


def article_of(pattern: str, size_bytes: int, article_id: str = "adv", headline: str = HEADLINE) -> RawArticle:
    return RawArticle(
        id=f"{article_id}-{pattern}-{size_bytes}",
        headline=headline,
        body=body_of(pattern, size_bytes),
        source="adversarial",
        published_at=datetime(2025, 9, 5, 9, 30, tzinfo=UTC),
        url="https://example.test/adversarial",
    )


def statement_of(text: str, context: str = STANCE_CONTEXT) -> Statement:
    """A statement whose text is the whole body, spoken for an actor, to time the stance step alone."""
    return Statement(
        id="adv-statement",
        article_id="adv",
        published_at=datetime(2025, 9, 5, tzinfo=UTC),
        source="adversarial",
        url="https://example.test/adversarial",
        speaker=Speaker(name="Sergei Lavrov", actor="RU"),
        text=text,
        kind="indirect",
        field="body",
        start=0,
        end=len(text),
        confidence=0.9,
        context=context,
    )


def best_seconds(work: Callable[[], object], runs: int = 3) -> float:
    """The fastest of `runs` runs: other work on a shared machine only ever adds time (as timeit does)."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes_kb", nargs="*", type=int, default=[10, 100])
    parser.add_argument("--parsed", action="store_true", help="also time the parsed extractor")
    parser.add_argument("--pattern", action="append", help="only these patterns (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--country-only", action="store_true", help="only the headline naming a country (leave out `_home`)"
    )
    args = parser.parse_args(argv)

    from streams.nlp.extract import FastExtractor
    from streams.nlp.stance import detect_stances
    from streams.nlp.taxonomy import Taxonomy

    extractors: list[tuple[str, object]] = [("fast", FastExtractor())]
    if args.parsed:
        from streams.nlp.parsed import ParsedExtractor

        extractors.append(("parsed", ParsedExtractor()))
    taxonomy = Taxonomy.load()
    suffixes = ("*",) if args.country_only else ("", "*")
    names = [f"{name}{suffix}" for name, _ in extractors for suffix in suffixes]
    print("* = headline names a country, so the lead is not searched for one (`_home` left out)")
    print(f"{'pattern':<16}{'KB':>6}  " + "  ".join(f"{name:>9}" for name in names) + "  stance(body)")
    for pattern in args.pattern or PATTERNS:
        for size_kb in args.sizes_kb:
            article = article_of(pattern, size_kb * 1000)
            homed = article_of(pattern, size_kb * 1000, headline=COUNTRY_HEADLINE)
            cells = []
            for _name, extractor in extractors:
                for one in (homed,) if args.country_only else (article, homed):
                    cells.append(best_seconds(lambda ex=extractor, a=one: ex.extract(a), args.runs))  # type: ignore[attr-defined]
            statement = statement_of(article.body)
            stance = best_seconds(lambda st=statement: detect_stances(st, taxonomy), args.runs)
            print(f"{pattern:<16}{size_kb:>6}  " + "  ".join(f"{c:>9.3f}" for c in cells) + f"  {stance:>9.3f}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
