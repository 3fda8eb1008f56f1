"""The target of a stance cue: the words a predicate is for or against, read without a parser.

`find_target(text, hit)` returns the span of the phrase a cue governs, and whether words between
them turn the stance around:

- **Object cues** (most verbs and nouns: "reject", "condemn", "welcome", "call for", "concern over")
  govern the phrase after them: "rejected the U.S. arms sales to Taiwan". An actor as object with an
  infinitive after it ("urged Japan to stop the drills") hands over to the verb phrase; an ending or
  restricting word at its start ("called for an end to the blockade", "a ban on exports") turns the
  stance around and the target is what follows it.
- **Subject cues** (predicative adjectives and nouns of `subject_cues`: "unacceptable",
  "groundless", "a threat to"; and verbs that say what a thing does: "undermine", "violate") govern the
  phrase before them, over copulas and reporting verbs: "the sale is unacceptable", "China called the US
  accusations groundless" (the target is the accusations: calling a claim groundless opposes the claim,
  and so its maker, not what it is about). Right before a noun they open their target instead ("illegal
  manoeuvres").
- A target is a noun or verb phrase of at most `max_target_words` words (a subject before its cue, of
  at most `max_subject_words`: it runs back to its clause's start), ending at punctuation, a
  clause word ("that", "which", "and", an auxiliary) or the end of the statement; a target that is only
  a pronoun or a lone country gives no key (`open_key` returns None).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from streams.nlp._text import NO_DEADLINE, Deadline, phrases_pattern, trie_pattern
from streams.nlp.open_topics import OpenKey, OpenWords, ends_target, fuller_key, open_key

if TYPE_CHECKING:
    from streams.nlp.stance import CueHit

__all__ = [
    "OpenReading",
    "Target",
    "find_target",
    "is_subject_cue",
    "object_after",
    "open_readings",
    "takes_open_target",
    "tokens",
]

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z0-9][\w'’.-]*[\w]|[A-Za-z0-9]|[\"“”‘’]|[^\w\s]")
_OPEN_QUOTES = '"“‘'
_CLOSE_QUOTES = '"”’'
_ENDING = re.compile(
    r"(?:(?:an?|the)\s+)?(?:end|halt|stop|suspension|lifting|removal|withdrawal|ban|embargo|moratorium|boycott|"
    r"cap|curbs?|limits?|restrictions?|phase-?out|freeze|blockade)\s+(?:of|on|to|from)\s+|"
    r"(?:end|halt|stop|suspend|lift|scrap|remove|abandon|ban|freeze|block|cancel|revoke|rescind)(?:s|ed|ing)?\s+",
    re.IGNORECASE,
)
_ADVERB = re.compile(r"^[a-z]+ly$")
# The most modifiers between an indefinite article and the noun cue it opens ("a clear and present danger").
MAX_MODIFIERS = 3


@dataclass(frozen=True)
class Target:
    start: int
    end: int
    text: str
    reversed: bool  # an ending or restricting word stands between the cue and the target


@cache
def _subject_cue_re() -> re.Pattern[str]:
    # Every word inflected as the cue patterns inflect it ("fails to address", "steps forward"), not
    # only the phrase's last one.
    return re.compile(r"^(?:" + phrases_pattern(list(OpenWords.load().subject_cues)) + r")$", re.IGNORECASE)


def _addressed(tail: str) -> re.Pattern[str]:
    """An addressee, a name ("Japan", "the Kremlin side") or a lower-case one ("the authorities", "all
    parties", "Georgian authorities"), then `tail`."""
    nouns = trie_pattern(OpenWords.load().addressees)
    name = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
    return re.compile(
        rf"\s*(?:(?:the|all|both|other|its|their)\s+)*(?:{name}(?:\s+side)?|(?:{name}\s+)?(?:{nouns})){tail}"
    )


@cache
def _addressee_re() -> re.Pattern[str]:
    """Whom a cue urges before "to" and an infinitive ("urged Japan to stop the drills")."""
    return _addressed(r"\s+to\s+")


@cache
def _grievance_re() -> re.Pattern[str]:
    """Whom a cue criticises or praises, then what for (`grievance_prepositions`: "hit out at the
    government over the fuel levy"): the words after the preposition are the cue's object."""
    return _addressed(r"\s+(?:" + trie_pattern(OpenWords.load().grievance_prepositions) + r")\s+")


@cache
def _manner_re() -> re.Pattern[str]:
    """A manner phrase right after a cue (`manner_phrases`: "condemned in the strongest terms the raid")."""
    return re.compile(r"\s*(?:" + phrases_pattern(sorted(OpenWords.load().manner_phrases)) + r")\s*,?", re.IGNORECASE)


# A contrast of two predicates (`_construction_hits` in stance.py: "a right, not a reward"): no cue phrase
# holds a comma, so a cue that does is one, and it judges its subject.
_CONTRAST = re.compile(r"^(?:a|an)\s.*,\s+not\s", re.IGNORECASE)


def is_subject_cue(phrase: str) -> bool:
    """Whether a cue governs the phrase before it ("unacceptable", "a threat to", "undermines", a contrast)."""
    text = " ".join(phrase.split()).strip('"“”‘’')
    return bool(_subject_cue_re().match(text) or _CONTRAST.match(text))


def tokens(text: str) -> list[tuple[int, int, str]]:
    """The tokens `find_target` reads: (start, end, text) of each word, quote mark and punctuation."""
    return _tokens(text)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _is_word(tok: str) -> bool:
    return tok[:1].isalnum()


def _forward(text: str, toks: list[tuple[int, int, str]], i: int, words: OpenWords) -> tuple[int, int] | None:
    """The phrase starting at token `i`: (start, end) characters, or None."""
    while i < len(toks) and (_ADVERB.match(toks[i][2]) or toks[i][2].lower() in ("that", "to")):
        if toks[i][2].lower() == "to" and i + 1 < len(toks) and toks[i + 1][2][:1].isupper():
            break
        i += 1
    if i >= len(toks):
        return None
    start_tok = toks[i]
    if start_tok[2] in _OPEN_QUOTES:  # a quoted target runs to its closing mark
        for j in range(i + 1, min(len(toks), i + 1 + 2 * words.max_target_words)):
            if toks[j][2] in _CLOSE_QUOTES:
                return (toks[i + 1][0], toks[j - 1][1]) if j > i + 1 else None
        return None
    if not _is_word(start_tok[2]) or start_tok[2].lower() in words.target_stops:
        return None  # a clause word after the cue ("will stay until ...", "remain as"): no object
    n = 0
    end_tok = i
    j = i
    while j < len(toks) and n < words.max_target_words:
        tok = toks[j][2]
        low = tok.lower()
        if not _is_word(tok):
            if tok in ("'", "’") and j > i:  # a possessive mark left alone by the tokenizer
                j += 1
                continue
            break
        following = tuple(t[2] for t in toks[j + 1 : j + 3])
        if j > i and (
            ends_target(tok, toks[j - 1][2], following)
            or (_subject_cue_re().match(low) and not _in_joined_modifiers(toks, j))
        ):
            break
        if j > i and _adverb_after_head(toks, j, words):
            break  # "study the details carefully before ...": the manner, no part of the thing
        n += 1
        end_tok = j
        j += 1
    # A phrase does not end on a preposition or a stop word ("the sale of").
    while end_tok > i and (
        toks[end_tok][2].lower() in words.target_prepositions or toks[end_tok][2].lower() in words.stopwords
    ):
        end_tok -= 1
    return toks[i][0], toks[end_tok][1]


def _in_joined_modifiers(toks: list[tuple[int, int, str]], j: int) -> bool:
    """Whether token `j` is one of two modifiers joined by "and" / "or" before a head ("the unilateral and
    illegal annexation", "the reckless and provocative drills"): an evaluative word there modifies the
    phrase's head, it opens no judgement of its own."""
    if j + 1 < len(toks) and toks[j + 1][2].lower() in ("and", "or"):
        return not ends_target(toks[j + 1][2], toks[j][2], tuple(t[2] for t in toks[j + 2 : j + 4]))
    if j >= 2 and toks[j - 1][2].lower() in ("and", "or"):
        return not ends_target(toks[j - 1][2], toks[j - 2][2], tuple(t[2] for t in toks[j : j + 2]))
    return False


def _adverb_after_head(toks: list[tuple[int, int, str]], j: int, words: OpenWords) -> bool:
    """Whether token `j` of a phrase is an adverb after its head ("the details carefully", "peace simply
    by hoping"): a lower-case -ly word that is no noun (`ly_nouns`: supply, ally, assembly) with no noun
    after it (a clause word, a preposition, punctuation or the end follow); "a costly war" goes on."""
    low = toks[j][2]
    if not _ADVERB.match(low) or low in words.ly_nouns:
        return False
    nxt = toks[j + 1][2].lower() if j + 1 < len(toks) else ""
    if _in_joined_modifiers(toks, j):
        return False  # "the costly and wasteful subsidies": one of two modifiers joined before the head
    return not _is_word(nxt) or nxt in words.target_stops or nxt in words.target_prepositions


def _article_before(toks: list[tuple[int, int, str]], i: int, words: OpenWords, copulas: set[str]) -> int | None:
    """The indefinite article that opens the noun phrase of the cue at token `i`, when only modifiers
    stand between ("was a clear mistake", "a blatant and deliberate provocation"), else None."""
    if toks[i][2].lower() in ("a", "an"):
        return i  # the cue opens with its article ("a threat to")
    modifiers = 0
    for j in range(i - 1, -1, -1):
        tok = toks[j][2]
        low = tok.lower()
        if low in ("a", "an"):
            return j
        if tok in _OPEN_QUOTES + _CLOSE_QUOTES or (low == "and" and j < i - 1):
            continue  # quoted words, coordinated modifiers
        modifiers += 1
        if (
            modifiers > MAX_MODIFIERS
            or not (_is_word(tok) and tok.islower())
            or low in copulas
            or low in words.target_stops
        ):
            return None
    return None


def _backward(text: str, toks: list[tuple[int, int, str]], i: int, words: OpenWords) -> tuple[int, int] | None:
    """The subject phrase ending just before token `i` (the cue), over copulas and adverbs.

    A predicative noun cue ("a clear mistake") is linked to the phrase before it only by a copula ("the
    decision was a clear mistake") or a verb that takes that phrase as its object ("called the plan a
    mistake"); after another verb ("the ministry made a clear mistake") it judges no phrase before it.
    """
    copulas = {c for c in words.copulas if " " not in c}
    article = _article_before(toks, i, words, copulas)
    j = i - 1 if article is None else article - 1
    linked = article is None  # only a noun phrase of the cue's own needs a copula before it
    while j >= 0:
        low = toks[j][2].lower()
        if low in copulas or _ADVERB.match(low) or low in ("a", "an", "the", "so", "very", "deeply", "most"):
            linked = linked or low in copulas
            j -= 1
            continue
        if toks[j][2] in _OPEN_QUOTES + _CLOSE_QUOTES or _subject_cue_re().match(low):
            j -= 1
            continue
        break
    end_tok = j
    n = 0
    while j >= 0 and n < words.max_subject_words:
        tok = toks[j][2]
        low = tok.lower()
        if not _is_word(tok):
            if tok in ("'", "’"):
                j -= 1
                continue
            break
        if low in words.clause_participles and j > 0 and _is_word(toks[j - 1][2]):
            end_tok, n = j - 1, 0  # "a vote held in ... could not be credible": the vote, before its clause
            j -= 1
            continue
        # "to" inside the phrase opens its complement ("any attempt to interfere ... was unacceptable"):
        # only before the cue is it a copula ("appears to be unacceptable")
        if low in words.target_stops or (low in copulas and low != "to"):
            break
        n += 1
        j -= 1
    start_tok = j + 1
    # the phrase of a noun cue with no copula between is a verb's object only when that verb is one
    if start_tok > end_tok or not (linked or (j >= 0 and toks[j][2].lower() in copulas)):
        return None
    return toks[start_tok][0], toks[end_tok][1]


def _quoted_from(toks: list[tuple[int, int, str]], at: int, reach: int = 4) -> int | None:
    """The index of an opening quote mark at most `reach` tokens before token `at`, with no mark between."""
    for j in range(at - 1, max(-1, at - 1 - reach), -1):
        if toks[j][2] in _OPEN_QUOTES:
            return j
        if toks[j][2] in _CLOSE_QUOTES or not _is_word(toks[j][2]):
            return None
    return None


def find_target(
    text: str,
    start: int,
    end: int,
    cue: str,
    toks: list[tuple[int, int, str]] | None = None,
    starts: list[int] | None = None,
) -> Target | None:
    """The phrase the cue at `text[start:end]` governs, or None when there is none to read.

    `toks` (the text's tokens, `_tokens(text)`) and `starts` (their start offsets) let a caller with
    many cues tokenize once: each call then costs a bisection and at most `max_target_words` tokens
    either way."""
    words = OpenWords.load()
    toks = toks if toks is not None else _tokens(text)
    starts = starts if starts is not None else [t[0] for t in toks]
    after = bisect_left(starts, end)
    at = bisect_left(starts, start)
    if after < len(toks) and toks[after][2] in _CLOSE_QUOTES and _quoted_from(toks, at) is not None:
        after += 1  # the speaker's own words quoted ('“firmly opposes” the levy'): the mark closes the cue
    if is_subject_cue(cue):
        nxt = toks[after][2] if after < len(toks) else ""
        if (
            nxt
            and " ".join(cue.lower().split()).strip('"“”‘’') in words.modifier_cues
            and _is_word(nxt)
            and nxt.islower()
            and nxt not in words.target_stops
            and nxt not in words.target_prepositions
            and nxt not in words.stopwords
            and not _subject_cue_re().match(nxt)
        ):
            span = _forward(text, toks, after, words)  # "illegal manoeuvres": the noun it modifies
        else:
            span = _backward(text, toks, at, words)
        return Target(span[0], span[1], text[span[0] : span[1]], False) if span else None
    reversed_ = False
    pos = toks[after][0] if after < len(toks) else len(text)
    manner = _manner_re().match(text, pos)
    if manner:  # "condemned in the strongest terms the raid": the object comes after the manner
        pos = manner.end()
    # "urged Japan to stop the drills": an actor object with an infinitive hands over to the verb;
    # "hit out at the government over the levy": the grievance after the one criticised is the object.
    m = _addressee_re().match(text, pos) or _grievance_re().match(text, pos)
    if m:
        pos = m.end()
    ending = _ENDING.match(text, pos)
    if ending:
        reversed_ = True
        pos = ending.end()
    span = _forward(text, toks, bisect_left(starts, pos), words)
    if span is None:
        return None
    return Target(span[0], span[1], text[span[0] : span[1]], reversed_)


def object_after(text: str, end: int, toks: list[tuple[int, int, str]], starts: list[int]) -> Target | None:
    """The phrase right after `end`, a closing quote mark skipped ('of “sabotaging” US efforts' → "US
    efforts"), read forward whatever the cue before it governs; None when a clause word or nothing follows."""
    after = bisect_left(starts, end)
    if after < len(toks) and toks[after][2] in _CLOSE_QUOTES:
        after += 1
    span = _forward(text, toks, after, OpenWords.load())
    return Target(span[0], span[1], text[span[0] : span[1]], False) if span else None


def _cue_lemma(phrase: str) -> str:
    """A cue as written, lower case, with its first word's inflection undone ("urged" → "urge")."""
    words = OpenWords.load()
    text = " ".join(phrase.lower().split())
    if text in words.not_open_cues:
        return text
    first, _, rest = text.partition(" ")
    for form in (first[:-3], first[:-3] + "e", first[:-2], first[:-2] + "e", first[:-1], first[:-1] + "e"):
        candidate = (form + " " + rest).strip()
        if form and candidate in words.not_open_cues:
            return candidate
    return text


def takes_open_target(hit: CueHit) -> bool:
    """Whether a cue is read on the open key of its target: not a cue of `not_open_cues` ("keep",
    "discuss"), nor a polar cue weaker than `open_min_weight`."""
    data = OpenWords.load()
    return _cue_lemma(hit.text) not in data.not_open_cues and (abs(hit.weight) >= data.open_min_weight or hit.neutral)


@dataclass
class OpenReading:
    """What a statement says about one open topic: summed polarity and where it was read."""

    key: OpenKey
    polar: float = 0.0
    lean: float = 0.0
    neutral: bool = False
    evidence: tuple[int, int] | None = None


def open_readings(
    text: str,
    hits: list[CueHit],
    context: str = "",
    *,
    deadline: Deadline = NO_DEADLINE,
) -> list[OpenReading]:
    """Per-open-topic readings of `text` from the cue hits the caller gives (not those a taxonomy
    topic takes): each hit with a target that gives a key adds its weight (turned around when an
    ending word stands between) to that key, made fuller from the article's headline and lead
    (`context`) when the target is short ("the deal").
    """
    readings: dict[str, OpenReading] = {}
    from streams.nlp.stance import accused_of, sentence_spans  # noqa: PLC0415 (stance imports this module lazily too)

    sentences = sentence_spans(text)
    sentence_starts = [a for a, _ in sentences]
    toks = _tokens(text)
    starts = [t[0] for t in toks]
    taken: list[tuple[int, int]] = []  # the targets read so far
    for h in hits:
        deadline.check()
        if not takes_open_target(h):
            continue
        if any(a <= h.start and h.end <= b for a, b in taken):
            continue  # "condemned the unilateral and illegal annexation": the modifier is part of the target read
        if is_subject_cue(h.text) and accused_of(text, h.start):
            # "accused the capitals of sabotaging US efforts": the harm's subject is the one accused, its
            # object what the speaker stands for
            target = object_after(text, h.end, toks, starts)
        else:
            target = find_target(text, h.start, h.end, h.text, toks, starts)
        if target is None:
            continue
        key = open_key(target.text)
        if key is None:
            continue
        taken.append((target.start, target.end))
        weight = -h.weight if target.reversed else h.weight
        evidence = sentences[max(0, bisect_right(sentence_starts, h.start) - 1)]
        keys = [(fuller_key(key, context), weight)]
        criticised = _criticised(text, target, toks, starts)
        if criticised is not None:
            keys.append((fuller_key(criticised, context), -weight))
        for key, polar in keys:
            reading = readings.setdefault(key.id, OpenReading(key))
            if h.neutral:
                reading.neutral = True
                reading.lean += polar
            else:
                reading.polar += polar
            if reading.evidence is None:
                reading.evidence = evidence
    return [r for r in readings.values() if r.polar or r.neutral]


@cache
def _criticism_re() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + phrases_pattern(list(OpenWords.load().criticisms)) + r")\s+", re.IGNORECASE)


def _criticised(text: str, target: Target, toks: list[tuple[int, int, str]], starts: list[int]) -> OpenKey | None:
    """The key of what a target that is a criticism of a thing criticises (`criticisms`: "U.S. criticism
    of the conviction of the former president" → the conviction), or None."""
    m = _criticism_re().search(text, target.start, target.end)
    if m is None:
        return None
    span = _forward(text, toks, bisect_left(starts, m.end()), OpenWords.load())
    return open_key(text[span[0] : span[1]]) if span else None
