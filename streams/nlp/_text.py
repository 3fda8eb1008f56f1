"""Shared helpers: packaged data files and inflection-tolerant phrase patterns."""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


# libyaml's parser where PyYAML has it: the pure-Python one takes ~0.3 s of a worker's start per file set.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """A YAML file's plain data (a safe loader: no Python objects)."""
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader, C or Python


@cache
def packaged_yaml(name: str) -> Any:
    """A packaged data file, parsed once per process (callers must not mutate it)."""
    return read_yaml(DATA_DIR / name)


def governed_pattern(prepositions: Sequence[str], modifiers: Sequence[str] = ()) -> re.Pattern[str]:
    """Text ending in one of `prepositions` (then "the" and one of `modifiers`, each optional): what
    follows is governed by the preposition ("talks with Russia", "in northern Iraq")."""
    words = "|".join(sorted(map(re.escape, prepositions), key=len, reverse=True))
    modifier = "|".join(sorted(map(re.escape, modifiers), key=len, reverse=True))
    tail = rf"(?:(?:{modifier})\s+)?" if modifier else ""
    return re.compile(rf"\b(?:{words})\s+(?:the\s+)?{tail}$")


# Data files write the apostrophe straight, wire copy mostly curly (’, and ‘ turned the wrong way):
# patterns take any of them for one, so a match keeps the text's own offsets.
_APOSTROPHES = "'’‘"
APOSTROPHE = f"[{_APOSTROPHES}]"
_STRAIGHT = str.maketrans(dict.fromkeys(_APOSTROPHES[1:], "'"))


def straight_apostrophes(text: str) -> str:
    """`text` with its curly apostrophes written straight, one character for one (offsets unchanged)."""
    return text.translate(_STRAIGHT)


def _word_pattern(word: str) -> str:
    # Simple inflection so "troop" finds "troops", "guarantee" finds "guaranteed" and "policy"
    # finds "policies"; acronyms and words with digits are matched as written.
    if not word.isalpha() or word.isupper() or len(word) < 3:
        return re.escape(straight_apostrophes(word)).replace("'", APOSTROPHE) + rf"(?:{APOSTROPHE}s)?"
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return re.escape(lower[:-3]) + r"(?:y|ies)"
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return re.escape(lower[:-1]) + rf"(?:s|es|{APOSTROPHE}s)?"
    if lower.endswith("e"):
        return re.escape(lower[:-1]) + rf"(?:e|es|ed|ing|e{APOSTROPHE}s)"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return re.escape(lower[:-1]) + r"(?:y|ies|ied|ying)"
    if lower.endswith(("s", "x", "sh", "ch")):
        return re.escape(lower) + r"(?:es|ed|ing)?"
    return re.escape(lower) + rf"(?:s|es|ed|ing|{APOSTROPHE}s|\w(?:ed|ing))?"


def phrase_pattern(phrase: str, *, quotes: bool = False) -> str:
    """A regex source for `phrase`: whole words, flexible spacing/hyphens, simple inflection.

    With `quotes`, quote marks may stand between the words (`"not in line" with`).
    """
    words = re.split(r"[\s\-]+", phrase.strip())
    sep = r"[\"“”‘’]?[\s\-]+[\"“”‘’]?" if quotes else r"[\s\-]+"
    return r"(?<![\w-])" + sep.join(_word_pattern(w) for w in words if w) + r"(?![\w])"


def phrases_pattern(phrases: list[str]) -> str:
    """A regex alternation of `phrase_pattern`s, longest phrase first (so "call for" wins over "call")."""
    return "|".join(phrase_pattern(str(p)) for p in sorted(phrases, key=len, reverse=True))


def trie_pattern(words: list[str] | set[str] | frozenset[str], *, spaces: bool = True) -> str:
    """A regex alternation of `words` factored as a trie (much faster than a flat alternation).

    Spaces in words match any run of whitespace when `spaces` is true; an apostrophe matches any
    apostrophe (look a match up by `straight_apostrophes` of its text).
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in straight_apostrophes(word):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            atom = r"\s+" if (ch == " " and spaces) else APOSTROPHE if ch in _APOSTROPHES else re.escape(ch)
            branches.append(atom + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


class FirstWords:
    """A prefilter for many phrase patterns: which phrases can match, from one scan of their first words.

    Phrases are indexed by the first four letters of their first word (inflection only changes word
    ends), so a text is scanned once and only the patterns whose first word occurs are run.
    """

    def __init__(self, phrases: list[str]) -> None:
        self._by_key: dict[str, set[int]] = {}
        for i, phrase in enumerate(phrases):
            first = re.split(r"[\s\-]+", straight_apostrophes(phrase.strip().lower()), maxsplit=1)[0]
            # A final y or e is replaced by inflection ("deny" → "denied", "urge" → "urging"): the key
            # stops before it, else a four-letter word's other forms were never tried.
            stem = first[:-1] if len(first) > 2 and first.endswith(("y", "e")) else first
            self._by_key.setdefault(stem[:4], set()).add(i)
        self._re = re.compile(r"(?<![\w])(?:" + trie_pattern(set(self._by_key)) + r")", re.IGNORECASE)

    def positions(self, text: str) -> list[tuple[int, set[int]]]:
        """Where a phrase can start: (offset, indexes of the phrases whose first word may start there).

        Every match of a phrase pattern starts at one of these offsets, so running each pattern only
        there (`matches_at_first_words`) finds what `finditer` over the whole text finds.
        """
        out: list[tuple[int, set[int]]] = []
        by_key = self._by_key
        for m in self._re.finditer(text):
            g = straight_apostrophes(m.group().lower())
            found: set[int] = set()
            for n in range(1, len(g) + 1):
                hit = by_key.get(g[:n])
                if hit:
                    found |= hit
            if found:
                out.append((m.start(), found))
        return out

    def candidates(self, text: str) -> set[int]:
        """Indexes of the phrases whose first word may occur in `text`."""
        found: set[int] = set()
        by_key = self._by_key
        for m in self._re.finditer(text):
            g = straight_apostrophes(m.group().lower())
            for n in range(1, len(g) + 1):
                hit = by_key.get(g[:n])
                if hit:
                    found |= hit
        return found


class LazyPatterns(Sequence[re.Pattern[str]]):
    """Regex sources compiled on first use, by index: `matches_at_first_words` runs only the patterns
    whose first words occur in a text, so a process compiles the ones its articles need, when they need
    them (compiling every taxonomy and cue phrase pattern took ~0.6 s of each extraction process's
    start). Two threads may compile one pattern twice: the same pattern, kept once."""

    def __init__(self, sources: Sequence[str], flags: int = 0) -> None:
        self._sources = tuple(sources)
        self._flags = flags
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __getitem__(self, index: int) -> re.Pattern[str]:  # type: ignore[override]  # one index, no slices
        pattern = self._compiled[index]
        if pattern is None:
            pattern = self._compiled[index] = re.compile(self._sources[index], self._flags)
        return pattern


def matches_at_first_words(
    positions: list[tuple[int, set[int]]], owner_of: list[int] | None, patterns: Sequence[re.Pattern[str]], text: str
) -> list[tuple[int, re.Match[str]]]:
    """(owner, match) for each owner's pattern, as `patterns[owner].finditer(text)` would give them.

    Each pattern is tried only at the offsets where one of its phrases' first words starts (from
    `FirstWords.positions`; `owner_of` maps a phrase index to its pattern, None: the same index),
    skipping offsets inside the owner's previous match, as `finditer` does. A text is read once by
    the first-word scan instead of once per pattern.
    """
    out: list[tuple[int, re.Match[str]]] = []
    resume_at: dict[int, int] = {}
    for offset, phrases in positions:
        owners = phrases if owner_of is None else {owner_of[i] for i in phrases}
        for owner in sorted(owners):
            if offset < resume_at.get(owner, 0):
                continue
            found = patterns[owner].match(text, offset)
            if found is not None:
                out.append((owner, found))
                resume_at[owner] = max(found.end(), offset + 1)
    return out


# -- linear-time helpers for the hot loops -------------------------------------------------------


class BudgetExceeded(Exception):  # noqa: N818 - the name says what happened, as the pipeline reports it
    """An article (or a statement) took longer than its time budget; the caller dead-letters it."""

    def __init__(self, step: str, budget_seconds: float, elapsed_seconds: float) -> None:
        super().__init__(f"{step} stopped after {elapsed_seconds:.2f} s, over its budget of {budget_seconds:g} s")
        self.step = step
        self.budget_seconds = budget_seconds
        self.elapsed_seconds = elapsed_seconds


class Deadline:
    """A per-article time budget, checked cooperatively in the hot loops (no thread is ever killed).

    `None` seconds never expires. `check()` is cheap enough to call once per sentence or per match.
    It runs as a stopwatch: `pause()` and `resume()` leave out time spent on other articles (the
    parsed extractor plans, parses and reads a batch of articles in turns), and `charge()` adds time
    measured for this article elsewhere (its share of a parser batch).
    """

    __slots__ = ("_running_since", "_spent", "budget_seconds", "step")

    def __init__(self, budget_seconds: float | None, *, step: str, running: bool = True) -> None:
        self.step = step
        self.budget_seconds = budget_seconds
        self._spent = 0.0
        self._running_since: float | None = time.perf_counter() if running else None

    def elapsed(self) -> float:
        running = 0.0 if self._running_since is None else time.perf_counter() - self._running_since
        return self._spent + running

    def pause(self) -> None:
        if self._running_since is not None:
            self._spent += time.perf_counter() - self._running_since
            self._running_since = None

    def resume(self) -> None:
        if self._running_since is None:
            self._running_since = time.perf_counter()

    def charge(self, seconds: float) -> None:
        self._spent += seconds

    def check(self) -> None:
        if self.budget_seconds is not None:
            elapsed = self.elapsed()
            if elapsed > self.budget_seconds:
                raise BudgetExceeded(self.step, self.budget_seconds, elapsed)


NO_DEADLINE = Deadline(None, step="unbounded")


class Marks:
    """The non-overlapping matches of one pattern over a whole text, sorted, for bisect queries.

    Scanning a text once and answering "is there a match inside [a, b)?" by bisection replaces
    re-running the pattern over every gap, which is what made long sentences quadratic.
    """

    __slots__ = ("ends", "starts")

    def __init__(self, pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> None:
        spans = [m.span() for m in pattern.finditer(text, start, len(text) if end is None else end)]
        self.starts = [a for a, _b in spans]
        self.ends = [b for _a, b in spans]

    def __len__(self) -> int:
        return len(self.starts)

    def any_within(self, start: int, end: int) -> bool:
        """Whether some match lies wholly inside [start, end)."""
        index = bisect_left(self.starts, start)
        return index < len(self.starts) and self.ends[index] <= end

    def last_end(self, pos: int, default: int = 0) -> int:
        """The end of the last match that ends at or before `pos`."""
        index = bisect_right(self.ends, pos)
        return self.ends[index - 1] if index else default

    def first_from(self, pos: int, end: int | None = None) -> int | None:
        """Index of the first match that starts at or after `pos` (and before `end`)."""
        index = bisect_left(self.starts, pos)
        if index == len(self.starts) or (end is not None and self.starts[index] >= end):
            return None
        return index

    def last_before(self, pos: int) -> int | None:
        """Index of the last match that ends at or before `pos`."""
        index = bisect_right(self.ends, pos)
        return index - 1 if index else None


class Spans:
    """Possibly overlapping spans, answering "does any overlap [a, b)" and "does any hold pos" by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _b in ordered]
        self.reach: list[int] = []  # the furthest end among the spans up to each index
        furthest = -1
        for _a, b in ordered:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self.starts, end)
        return index > 0 and self.reach[index - 1] > start

    def holds(self, pos: int) -> bool:
        index = bisect_right(self.starts, pos)
        return index > 0 and self.reach[index - 1] > pos


_WORD_RUN = re.compile(r"\w+")


class WordIndex:
    """Word runs (`\\w+`) of a text, so `count(a, b)` equals `len(re.findall(r"\\w+", text[a:b]))` in O(log n)."""

    __slots__ = ("_marks",)

    def __init__(self, text: str) -> None:
        self._marks = Marks(_WORD_RUN, text)

    def count(self, start: int, end: int) -> int:
        """Word runs that overlap [start, end) (a run cut by the slice still counts once, as in the slice)."""
        if end <= start:
            return 0
        marks = self._marks
        return max(0, bisect_left(marks.starts, end) - bisect_right(marks.ends, start))

    def first_in(self, start: int, end: int) -> tuple[int, int] | None:
        """Span of the first word run overlapping [start, end), clipped to it."""
        marks = self._marks
        index = bisect_right(marks.ends, start)
        if index == len(marks.starts) or marks.starts[index] >= end:
            return None
        return max(start, marks.starts[index]), min(end, marks.ends[index])


def ends_with(pattern: re.Pattern[str], text: str, end: int, reach: int = 64) -> re.Match[str] | None:
    """`pattern.search(text[:end])` for a `$`-anchored pattern whose match is at most `reach` long.

    Searching a short window instead of the whole prefix keeps per-match checks constant-time;
    lookbehinds and `\\b` still see the characters before the window.
    """
    return pattern.search(text, max(0, end - reach), end)
