"""Shared helpers: packaged data files and inflection-tolerant phrase patterns."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def packaged_yaml(name: str) -> Any:
    """A packaged data file, parsed once per process (callers must not mutate it)."""
    return read_yaml(DATA_DIR / name)


def _word_pattern(word: str) -> str:
    # Simple inflection so "troop" finds "troops", "guarantee" finds "guaranteed" and "policy"
    # finds "policies"; acronyms and words with digits are matched as written.
    if not word.isalpha() or word.isupper() or len(word) < 3:
        return re.escape(word) + r"(?:['’]s)?"
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return re.escape(lower[:-3]) + r"(?:y|ies)"
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return re.escape(lower[:-1]) + r"(?:s|es|['’]s)?"
    if lower.endswith("e"):
        return re.escape(lower[:-1]) + r"(?:e|es|ed|ing|e['’]s)"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return re.escape(lower[:-1]) + r"(?:y|ies|ied|ying)"
    if lower.endswith(("s", "x", "sh", "ch")):
        return re.escape(lower) + r"(?:es|ed|ing)?"
    return re.escape(lower) + r"(?:s|es|ed|ing|['’]s|\w(?:ed|ing))?"


def phrase_pattern(phrase: str, *, quotes: bool = False) -> str:
    """A regex source for `phrase`: whole words, flexible spacing/hyphens, simple inflection.

    With `quotes`, quote marks may stand between the words (`"not in line" with`).
    """
    words = re.split(r"[\s\-]+", phrase.strip())
    sep = r"[\"“”‘’]?[\s\-]+[\"“”‘’]?" if quotes else r"[\s\-]+"
    return r"(?<![\w-])" + sep.join(_word_pattern(w) for w in words if w) + r"(?![\w])"


def trie_pattern(words: list[str] | set[str] | frozenset[str], *, spaces: bool = True) -> str:
    """A regex alternation of `words` factored as a trie (much faster than a flat alternation).

    Spaces in words match any run of whitespace when `spaces` is true.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            atom = r"\s+" if (ch == " " and spaces) else re.escape(ch)
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
            first = re.split(r"[\s\-]+", phrase.strip().lower(), maxsplit=1)[0]
            self._by_key.setdefault(first[:4], set()).add(i)
        self._re = re.compile(r"(?<![\w])(?:" + trie_pattern(set(self._by_key)) + r")", re.IGNORECASE)

    def candidates(self, text: str) -> set[int]:
        """Indexes of the phrases whose first word may occur in `text`."""
        found: set[int] = set()
        by_key = self._by_key
        for m in self._re.finditer(text):
            g = m.group().lower()
            for n in range(1, len(g) + 1):
                hit = by_key.get(g[:n])
                if hit:
                    found |= hit
        return found
