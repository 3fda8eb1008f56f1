"""Open topics: one canonical key for the words a stance is on, whatever words the article uses.

"the U.S. arms sale to Taiwan", "sales of American weapons to Taiwan" and "US arms sales to Taipei"
all name one subject. `open_key` reads a target phrase the same way every time:

- **Actors**: every country or organisation the gazetteer knows (names, adjectives, capitals: "U.S.",
  "American", "Washington" → USA; "Taipei" → TWN) becomes its id. A possessor right before another
  actor ("China's Taiwan region") is dropped: the phrase is about the second.
- **Head and modifiers**: the words before the first preposition (the head and what modifies it)
  and the words of an `of` complement ("sales of arms"); other prepositional phrases ("to Taiwan")
  add only the actors they name. Stop words go, each word is reduced to its lemma (plural to
  singular, irregular forms from the data file) and then to its synonym ("weapons" → "arms").
- The key is order-free: `~` + the sorted words, then `@` + the sorted actor ids
  (`~arms-sale@TWN-USA`), so "arms sales" and "sales of arms" meet. The label is readable
  ("arms sale (Taiwan, United States)") and is made from the key alone, so every stage that holds
  only the key (tracking tables, the web API) names the topic the same way.

Everything language-specific is in `data/open_topics.yaml`. Nothing here imports spaCy, so the fast
extractor and the scorer (`streams/core/evaluation.py`, which keys the gold targets the same way) share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from streams.nlp._text import packaged_yaml
from streams.nlp.actors import packaged_gazetteer as gazetteer  # the name its callers know

__all__ = [
    "OPEN_PREFIX",
    "OpenKey",
    "OpenWords",
    "fuller_key",
    "gazetteer",
    "head_lemma",
    "is_open",
    "lemma",
    "open_key",
    "open_label",
]

OPEN_PREFIX = "~"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|\d[\d.,]*")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class OpenKey:
    """A canonical open topic: its id (`~words@ACTORS`) and a readable label."""

    id: str
    label: str
    words: tuple[str, ...]
    actors: tuple[str, ...]


@dataclass(frozen=True)
class OpenWords:
    """The data of `data/open_topics.yaml`, loaded once."""

    synonyms: dict[str, str]
    invariant: frozenset[str]
    irregular: dict[str, str]
    stopwords: frozenset[str]
    target_stops: frozenset[str]
    clause_participles: frozenset[str]
    claim_nouns: frozenset[str]
    change_heads: frozenset[str]
    addressees: frozenset[str]
    grievance_prepositions: frozenset[str]
    manner_phrases: frozenset[str]
    target_prepositions: frozenset[str]
    key_prepositions: frozenset[str]
    max_target_words: int
    max_subject_words: int
    max_key_words: int
    subject_cues: frozenset[str]
    modifier_cues: frozenset[str]
    open_min_weight: float
    not_open_cues: frozenset[str]
    modal_cues: frozenset[str]
    criticisms: frozenset[str]
    copulas: tuple[str, ...]
    determiners: frozenset[str]
    ly_nouns: frozenset[str]
    modifier_endings: tuple[str, ...]
    modifier_ending_nouns: frozenset[str]

    @classmethod
    def load(cls) -> OpenWords:
        return _load()


def _words(raw: dict[str, Any], name: str) -> frozenset[str]:
    value = raw.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"open_topics.yaml: {name}: expected a list of words")
    return frozenset(v.lower() for v in value)


def _mapping(raw: dict[str, Any], name: str) -> dict[str, str]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        raise ValueError(f"open_topics.yaml: {name}: expected a mapping of word to word")
    return {str(k).lower(): str(v).lower() for k, v in value.items()}


@cache
def _load() -> OpenWords:
    raw = packaged_yaml("open_topics.yaml")
    return OpenWords(
        synonyms=_mapping(raw, "synonyms"),
        invariant=_words(raw, "invariant"),
        irregular=_mapping(raw, "irregular"),
        stopwords=_words(raw, "stopwords"),
        target_stops=_words(raw, "target_stops") | _words(raw, "clause_participles"),
        clause_participles=_words(raw, "clause_participles"),
        claim_nouns=_words(raw, "claim_nouns"),
        change_heads=_words(raw, "change_heads"),
        addressees=_words(raw, "addressees"),
        grievance_prepositions=_words(raw, "grievance_prepositions"),
        manner_phrases=_words(raw, "manner_phrases"),
        target_prepositions=_words(raw, "target_prepositions"),
        key_prepositions=_words(raw, "key_prepositions"),
        max_target_words=int(raw.get("max_target_words", 9)),
        max_subject_words=int(raw.get("max_subject_words", 18)),
        max_key_words=int(raw.get("max_key_words", 4)),
        subject_cues=_words(raw, "subject_cues"),
        modifier_cues=_words(raw, "modifier_cues"),
        open_min_weight=float(raw.get("open_min_weight", 0.5)),
        not_open_cues=_words(raw, "not_open_cues"),
        modal_cues=_words(raw, "modal_cues"),
        criticisms=_words(raw, "criticisms"),
        copulas=tuple(sorted(_words(raw, "copulas"), key=len, reverse=True)),
        modifier_endings=tuple(sorted(_words(raw, "modifier_endings"))),
        modifier_ending_nouns=_words(raw, "modifier_ending_nouns"),
        determiners=_words(raw, "determiners"),
        ly_nouns=_words(raw, "ly_nouns"),
    )


def lemma(word: str) -> str:
    """A noun's lemma by rule: irregular forms from the data file, else plural to singular."""
    data = _load()
    w = word.lower().strip("'’.")
    if w in data.irregular:
        return data.irregular[w]
    if w in data.invariant or len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "ics")):
        return w[:-1]
    return w


def ends_target(word: str, previous: str | None, following: tuple[str, ...] = ()) -> bool:
    """Whether `word` inside a target ends it (a clause begins there). A participle right after a
    determiner or a possessive is part of the noun phrase, not a clause: "the warning", "Washington's
    warning", "its signed accord" (but "the tariffs, warning of ..." and "the deal signed in ...").
    Nor does an "and" or "or" that joins two modifiers of the head after them (`following`: the words
    after it): "dangerous and illegal manoeuvres", "military and economic aid"."""
    data = _load()
    low = word.lower()
    if low not in data.target_stops:
        return False
    if low in ("and", "or") and _joins_modifiers(previous, following):
        return False
    if previous is None or not (low.endswith("ing") or low in data.clause_participles):
        return True
    before = previous.lower()
    return before not in data.determiners and not _POSSESSIVE.search(before)


def _modifier_like(word: str) -> bool:
    """Whether a lower-case word reads as a modifier: an evaluative cue the key drops ("dangerous") or an
    adjective by its ending (`modifier_endings`: "unilateral", "economic", "provocative")."""
    data = _load()
    return word.islower() and (
        word in data.subject_cues
        or (
            word.endswith(data.modifier_endings)
            and word not in data.modifier_ending_nouns
            and word not in data.ly_nouns
        )
    )


def _joins_modifiers(previous: str | None, following: tuple[str, ...]) -> bool:
    """Whether a conjunction between `previous` and `following` joins two modifiers of one head: both
    read as modifiers and a word follows the second ("free and fair elections", not "oil and gas")."""
    if previous is None or len(following) < 2:
        return False
    after = following[1]
    return (
        _modifier_like(previous)
        and _modifier_like(following[0])
        and after[:1].isalnum()
        and after.lower() not in _load().target_stops
    )


def head_lemma(phrase: str) -> str | None:
    """The lemma of a noun phrase's head: its last word before the first preposition, past stop words
    ("any reversal of tax measures" → "reversal", "the reductions in aid" → "reduction")."""
    data = _load()
    head = None
    for m in _WORD.finditer(phrase):
        w = m.group().lower()
        if w in data.target_prepositions:
            break
        if w not in data.stopwords:
            head = w
    return lemma(head) if head is not None else None


def _canonical(word: str) -> str:
    data = _load()
    w = lemma(word)
    return data.synonyms.get(w, w)


def is_open(topic: str) -> bool:
    """Whether a topic id is an open key (not a taxonomy id)."""
    return topic.startswith(OPEN_PREFIX)


def open_key(phrase: str) -> OpenKey | None:
    """The canonical key of a target phrase, or None when it names nothing (pronouns, stop words)."""
    data = _load()
    gaz = gazetteer()
    text = phrase.strip().strip("\"“”‘’'")
    # A clause after the head ("claims that Beijing controls the port") is not part of the subject.
    found = list(_WORD.finditer(text))
    stop = next(
        (
            m.start()
            for i, m in enumerate(found)
            if i and ends_target(m.group(), found[i - 1].group(), tuple(f.group() for f in found[i + 1 : i + 3]))
        ),
        None,
    )
    text = text[:stop] if stop is not None else text
    spans = gaz.terms_in(text)
    actors: list[str] = []
    masked = list(text)
    for i, (a, b, entry) in enumerate(spans):
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        possessor = text[b : b + 2] in ("'s", "’s")
        if possessor and nxt is not None and not text[b + 2 : nxt[0]].strip():
            pass  # "China's Taiwan region": the phrase is about the second actor
        elif entry.actor not in actors:
            actors.append(entry.actor)
        end = b + 2 if possessor else b
        for k in range(a, min(end, len(masked))):
            masked[k] = " "
    rest = "".join(masked)
    words: list[str] = []
    in_key = True  # words before the first preposition, and those of an `of` complement, count
    for m in _WORD.finditer(rest):
        raw = m.group()
        w = _POSSESSIVE.sub("", raw.lower())
        if w in data.target_prepositions:
            in_key = w in data.key_prepositions
            continue
        if not in_key:
            continue
        for part in w.split("-") if "-" in w and w not in data.synonyms else [w]:
            if not part or part in data.stopwords or part in data.subject_cues or part[0].isdigit():
                continue
            c = _canonical(part)
            if c in data.stopwords or c in words:
                continue
            words.append(c)
    words = words[: data.max_key_words]
    if words and all(w.endswith(("ed", "ly")) and w not in data.ly_nouns for w in words) and not actors:
        return None  # "must be respected", "stays united": no subject named
    if not words and not actors:
        return None
    if not words and len(actors) < 2:
        return None  # a bare country is an actor, not a subject
    key_words = tuple(sorted(words))
    key_actors = tuple(sorted(actors))
    topic = OPEN_PREFIX + "-".join(key_words) + ("@" + "-".join(key_actors) if key_actors else "")
    return OpenKey(topic, open_label(topic), key_words, key_actors)


def open_label(topic: str) -> str:
    """A readable label of an open key: "arms sale (Taiwan, United States)"."""
    body = topic[len(OPEN_PREFIX) :] if is_open(topic) else topic
    words, _, actors = body.partition("@")
    gaz = gazetteer()
    names = [gaz.actor_name(a) for a in actors.split("-") if a]
    head = " ".join(words.split("-")) if words else ""
    if head and names:
        return f"{head} ({', '.join(names)})"
    return head or ", ".join(names) or topic


_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "this",
        "that",
        "these",
        "those",
        "any",
        "every",
        "each",
        "some",
        "no",
    ]
)
_CONTEXT_WORD = re.compile(r"(?:[A-Z]\.){2,}|[\w][\w'’.-]*[\w]|\w|[^\w\s]")


def fuller_key(key: OpenKey, context: str) -> OpenKey:
    """The fuller key a short target stands for in its article: "the tax" after "digital services tax".

    A definite target names its subject by its head ("the deal", "the strikes"); when the article's
    headline or lead (`context`) names a phrase holding every word and actor of `key` and more, the
    stance is on that phrase. The longest such phrase wins; else the key stays as it is.
    """
    if not context or not key.words:
        return key
    data = _load()
    toks = _CONTEXT_WORD.findall(context)
    best = key
    for i, tok in enumerate(toks):
        if not tok[:1].isalnum() or _canonical(_POSSESSIVE.sub("", tok.lower())) not in key.words:
            continue
        lo = i
        while lo > 0 and i - lo < 3:  # at most three modifiers before the head ("digital services tax")
            prev = toks[lo - 1]
            low = prev.lower()
            if not prev[:1].isalnum() and prev not in ("'", "’"):
                break
            if low in data.target_stops or low in data.target_prepositions:
                break
            if low.endswith(("s", "ed")) and lo >= 2 and toks[lo - 2][:1].isupper() and prev.islower():
                break  # "China backs all efforts": a headline's subject and verb are no modifiers
            lo -= 1
            if low in _DETERMINERS or _POSSESSIVE.search(low):
                break  # a noun phrase starts at its determiner or possessor ("it rejected the licensing round")
        hi = i + 1
        if hi < len(toks) and toks[hi].lower() in data.target_prepositions:
            hi += 1
            while (
                hi < len(toks) and hi - i < 6 and toks[hi][:1].isalnum() and toks[hi].lower() not in data.target_stops
            ):
                hi += 1
        candidate = open_key(" ".join(toks[lo:hi]))
        if (
            candidate is not None
            and set(key.words) <= set(candidate.words)
            and set(key.actors) <= set(candidate.actors)
            and len(candidate.words) + len(candidate.actors) > len(best.words) + len(best.actors)
        ):
            best = candidate
    return best
