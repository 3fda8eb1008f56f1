"""Stances on a thing's opening or closure: "keep X closed", "agree to reopen X", "X would open".

Neither article of a closure and its reversal names a cue the open-topic reader knows ("will keep the
crossings closed", "the crossing would open to cargo trucks"), and "border" pulls the first to a
taxonomy topic about defending borders. These constructions read a position on the thing itself:
keeping it shut opposes its opening, opening it supports it, keyed on the thing (`open_key`, made
fuller from the headline and lead) so both articles land on one open topic the tracker can see turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from streams.nlp._text import packaged_yaml, phrases_pattern
from streams.nlp.open_topics import OpenKey, OpenWords, fuller_key, open_key
from streams.nlp.targets import find_target

__all__ = ["StateReading", "state_readings"]

# A noun phrase in the constructions: up to eight words, no clause punctuation.
_PHRASE = r"(?P<x>(?:[\w’'-]+\s+){0,7}?[\w’'-]+)"
# "the Torkham and Chaman border crossings": two names sharing one head are two things.
_SHARED_HEAD = re.compile(
    r"^(?P<det>(?:the|its|their|both)\s+)?(?P<a>[A-Z][\w-]*)\s+and\s+(?P<b>[A-Z][\w-]*)\s+(?P<rest>\S.*)$"
)
# The subject of an intransitive "would open": a determiner and up to four words right before it.
_DET = r"(?:the|its|their|this|that)\b"
_SUBJECT = rf"(?P<x>\b{_DET}\s+(?:(?!{_DET})[\w’'-]+\s+){{0,3}}?(?!{_DET})[\w’'-]+)"


@dataclass(frozen=True)
class StateReading:
    """One position read from a construction: the key of the thing, +weight for its opening, -weight against."""

    key: OpenKey
    polar: float
    evidence: tuple[int, int]
    head: str  # the thing's head noun ("crossings"): a closure a taxonomy topic names is that topic's


def _alt(words: list[str]) -> str:
    return "(?:" + phrases_pattern(words) + ")"


@cache
def _patterns() -> tuple[float, list[tuple[re.Pattern[str], int]]]:
    raw = packaged_yaml("open_topics.yaml")["open_states"]
    keep, closed, opened = _alt(raw["keep_verbs"]), _alt(raw["closed_words"]), _alt(raw["open_verbs"])
    reopened = _alt(raw["reopen_verbs"])
    after_open = rf"\s+{_alt(raw['open_to'])}|\s*[.,;:!?]|\s*$"
    leads, stay = _alt(raw["open_leads"]), _alt(raw["stay_verbs"])
    flags = re.IGNORECASE
    return float(raw["weight"]), [
        # "will keep the crossings closed": against their opening
        (re.compile(rf"{keep}\s+{_PHRASE}\s+{closed}\b", flags), -1),
        # "agreed to reopen the crossing": for it (its object read as any cue's, `find_target`)
        (re.compile(rf"{leads}\s+{reopened}", flags), 1),
        # "the crossing would open to cargo trucks" / "the crossing will stay closed"
        (re.compile(rf"{_SUBJECT}\s+(?:will|would|shall|is\s+to|was\s+to)\s+{opened}(?={after_open})", flags), 1),
        (re.compile(rf"{_SUBJECT}\s+(?:will|would|must|should)\s+{stay}\s+{closed}\b", flags), -1),
    ]


def _a_thing(phrase: str) -> bool:
    """Whether `phrase` is one noun phrase: no clause word ("keep talking until a deal is closed")."""
    stops = OpenWords.load().target_stops
    words = phrase.split()
    if words[0].lower().endswith("ing"):
        return False  # "keep talking", "keep negotiating": an activity kept up, not a thing kept shut
    shared = _SHARED_HEAD.match(phrase) is not None  # "the Torkham and Chaman crossings": one "and" allowed
    return not any(w.lower() in stops and not (shared and w.lower() == "and") for w in words)


def _head(phrase: str) -> str:
    """The last word of `phrase` before its first preposition ("land border with Russia": "border")."""
    prepositions = OpenWords.load().target_prepositions
    head = ""
    for word in phrase.split():
        if word.lower() in prepositions:
            break
        head = word
    return head.lower()


def _things(phrase: str) -> list[str]:
    m = _SHARED_HEAD.match(phrase)
    if not m:
        return [phrase]
    det, rest = m.group("det") or "", m.group("rest")
    return [f"{det}{m.group('a')} {rest}", f"{det}{m.group('b')} {rest}"]


def state_readings(text: str, context: str = "") -> list[StateReading]:
    """The positions on a thing's opening that `text` takes by these constructions, one per key."""
    weight, patterns = _patterns()
    out: dict[str, StateReading] = {}
    for pattern, sign in patterns:
        for m in pattern.finditer(text):
            if "x" in pattern.groupindex:
                phrase = m.group("x")
                if not _a_thing(phrase):
                    continue
            else:
                after = text[m.end() :].split(None, 1)
                if after and after[0].lower() in OpenWords.load().target_prepositions:
                    continue  # "would open to cargo trucks" opens itself: the subject pattern reads it
                target = find_target(text, m.start(), m.end(), m.group())
                if target is None or target.reversed:
                    continue
                phrase = target.text
            for thing in _things(phrase):
                key = open_key(thing)
                if key is None:
                    continue
                key = fuller_key(key, context)
                out.setdefault(key.id, StateReading(key, sign * weight, (m.start(), m.end()), _head(thing)))
    return list(out.values())
