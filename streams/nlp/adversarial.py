"""Adversarial article bodies: one repeated unit per pattern that once made a hot loop quadratic.

`stancewire bench --adversarial` times each pattern at 10 KB / 100 KB / 1 MB on both extractors and
the stance step (`pattern_figures`) and reports seconds per 100 KB, and the worst;
`tests/nlp/test_scaling.py` asserts that time grows linearly with size; the fuzz and failure tests
reuse the wire sentences and builders.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

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


def best_seconds(work: Callable[[], object], runs: int = 3, enough: float | None = None) -> float:
    """The fastest of `runs` runs: other work on a shared machine only ever adds time (as timeit does).
    With `enough`, no further run once the runs so far took that many seconds (a slow case once)."""
    return best_times(work, runs, enough)[0]


def best_times(work: Callable[[], object], runs: int = 3, enough: float | None = None) -> tuple[float, float]:
    """`best_seconds`, with the process's CPU seconds of the fastest-CPU run beside it: on a machine
    shared with other work, wall time grows with the load, CPU time much less."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - began_cpu)
        if enough is not None and sum(walls) >= enough:
            break
    return min(walls), min(cpus)


SIZES_KB = (10, 100, 1000)


def pattern_figures(
    steps: dict[str, Callable[[RawArticle], object]],
    sizes_kb: Sequence[int] = SIZES_KB,
    patterns: Sequence[str] | None = None,
    runs: int = 3,
    enough: float = 10.0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Seconds of each step (an extractor's `extract`, the stance step) on one article of each pattern
    and size (best of `runs`, fewer once a case took `enough` seconds), seconds per 100 KB, and each
    step's worst seconds per 100 KB over every pattern and size; wall-clock and CPU seconds both.

    The headline names no country, so the lead is also searched for the article's home country."""
    out: dict[str, Any] = {"sizes_kb": list(sizes_kb), "runs": runs, "steps": {}}
    for step, work in steps.items():
        cases: dict[str, dict[str, dict[str, float]]] = {}
        worst: dict[str, Any] = {"seconds_per_100kb": -1.0}
        worst_cpu: dict[str, Any] = {"cpu_seconds_per_100kb": -1.0}
        for pattern in patterns or PATTERNS:
            for size_kb in sizes_kb:
                article = article_of(pattern, size_kb * 1000)
                seconds, cpu = best_times(lambda a=article, w=work: w(a), runs, enough)
                per_100kb, cpu_per_100kb = seconds * 100 / size_kb, cpu * 100 / size_kb
                cases.setdefault(pattern, {})[str(size_kb)] = {
                    "seconds": round(seconds, 6),
                    "seconds_per_100kb": round(per_100kb, 6),
                    "cpu_seconds": round(cpu, 6),
                    "cpu_seconds_per_100kb": round(cpu_per_100kb, 6),
                }
                if per_100kb > worst["seconds_per_100kb"]:
                    worst = {"pattern": pattern, "kb": size_kb, "seconds_per_100kb": round(per_100kb, 6)}
                if cpu_per_100kb > worst_cpu["cpu_seconds_per_100kb"]:
                    worst_cpu = {"pattern": pattern, "kb": size_kb, "cpu_seconds_per_100kb": round(cpu_per_100kb, 6)}
                if progress is not None:
                    progress(f"{step} {pattern} {size_kb} KB: {seconds:.3f} s ({cpu:.3f} s CPU)")
        out["steps"][step] = {"patterns": cases, "worst": worst, "worst_cpu": worst_cpu}
    return out
