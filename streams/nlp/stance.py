"""Stance detection: an actor's support for or opposition to the topics a statement names.

Everything language-specific is data (`data/cues.yaml`, `data/taxonomy.yaml`); this module applies it:

- **Cues** give polarity: support ("ready to provide", "welcome", "back", "call for"), opposition
  ("reject", "veto", "unacceptable", "not on the table") or an explicit non-committal position
  ("would decide only when", "take note", "does not oppose").
- **Negation** reverses the first cue within a short scope after it, inside the same clause: "will not
  support" opposes, "not going to discuss" opposes, "does not oppose" is a neutral position.
- **Cue chains**: a cue governing another cue right after it sets that cue's direction ("reject calls
  for a ceasefire" opposes the ceasefire, "warn against blocking sanctions" supports them).
- **Topic polarity**: words that end or restrict a topic turn the stance on it around. Ending words
  ("lift", "suspend", "phase out", "an end to") apply to every topic; restrictions ("ban on",
  "embargo on", "Russian gas ban") apply to topics that are not themselves restrictions, so supporting
  a "ban on Russian gas" opposes energy supplies, while an "import ban" is the import-quota topic itself.
  An ending verb with no other cue is a cue of its own: "Iran will suspend its cooperation with the
  IAEA" opposes inspections.
- **Attachment**: each cue belongs to one topic, the first named after it in its clause, else the last
  named before it in its clause; a sentence that names no topic speaks about the statement's nearest
  topic; a statement that names none speaks about the topic its article's headline or lead names first.
- Statements whose speaker has no actor (anonymous sources), or with no cue for a topic, give no event:
  a topic merely mentioned is not a stance. Every event carries the sentence it was read from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schemas import StanceEvent, Statement
from streams.nlp._text import DATA_DIR, FirstWords, phrase_pattern, read_yaml
from streams.nlp.actors import Gazetteer
from streams.nlp.taxonomy import Taxonomy, TopicMatch

__all__ = ["CueHit", "Cues", "Reading", "cue_hits", "detect_stances", "read_stances", "stance_of"]

SUPPORT_AT = 0.2
OPPOSE_AT = -0.2
# Topics found only in the headline/lead (not in the statement itself) count for less.
CONTEXT_FACTOR = 0.5
# A cue in a sentence of the statement that names no topic, read as about the statement's topic.
OTHER_SENTENCE_FACTOR = 0.7
# Opposite polarity this strong outweighs an explicit non-committal cue in the same statement.
NEUTRAL_UNLESS = 0.6


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    text: str
    weight: float  # signed: > 0 support, < 0 opposition, after negation and chaining
    negated: bool
    neutral: bool = False  # an explicit non-committal position ("take note", "does not oppose")


@dataclass(frozen=True)
class Cues:
    patterns: tuple[tuple[re.Pattern[str], float, bool], ...]  # (pattern, signed base weight, neutral)
    first_words: FirstWords  # which patterns can match a text
    negator_re: re.Pattern[str]
    break_re: re.Pattern[str]
    strong_break_re: re.Pattern[str]
    scope: int
    negated_support: float
    negated_oppose: float
    chain_gap: int
    chain_head_re: re.Pattern[str]  # cues that govern the cue after them ("reject calls for")
    ending_re: re.Pattern[str]  # words that end any topic ("lift", "an end to")
    ending_weight: float
    restriction_re: re.Pattern[str]  # restrictions before a flow topic ("ban on")
    restriction_after_re: re.Pattern[str]  # restrictions after it ("Russian gas ban")
    reverse_scope: int
    condition_re: re.Pattern[str]  # a condition clause up to its comma ("If the tariffs stay,")

    @classmethod
    def load(cls, path: Path | None = None) -> Cues:
        return _load_cues(str(path or DATA_DIR / "cues.yaml"))


def _alternation(phrases: list[str]) -> str:
    return "|".join(phrase_pattern(str(p)) for p in sorted(phrases, key=len, reverse=True))


@cache
def _load_cues(path: str) -> Cues:
    raw = read_yaml(Path(path))
    pats: list[tuple[re.Pattern[str], float, bool]] = []
    phrases: list[str] = []
    for sign, section in ((1.0, "support"), (-1.0, "oppose"), (0.0, "neutral")):
        for phrase, weight in (raw.get(section) or {}).items():
            w = float(weight)
            if not 0.0 < w <= 1.0:
                raise ValueError(f"{path}: cue {phrase!r} in {section}: weight must be in (0, 1]")
            pattern = re.compile(phrase_pattern(str(phrase), quotes=True), re.IGNORECASE)
            pats.append((pattern, sign * w, section == "neutral"))
            phrases.append(str(phrase))
    negators = sorted(raw.get("negators", []), key=len, reverse=True)
    # "n't" hangs off its verb ("won't"), so it gets its own pattern without a word boundary.
    neg_alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in negators if not n.startswith("n'"))
    negator_re = re.compile(r"(?:(?<![\w])(?:" + neg_alts + r")(?![\w]))|n['’]t\b", re.IGNORECASE)
    breaks = "|".join(map(re.escape, raw.get("clause_breaks", [])))
    break_re = re.compile(r"[,;:.!?()—–]|\b(?:" + breaks + r")\b", re.IGNORECASE)
    strong = "|".join(map(re.escape, raw.get("strong_clause_breaks", [])))
    strong_break_re = re.compile(r"[;!?—–]|\.(?=\s)|\b(?:" + strong + r")\b", re.IGNORECASE)
    rev = raw.get("reversers") or {}
    ending = rev.get("ending") or ["end"]
    restriction = rev.get("restriction") or ["ban"]
    after = rev.get("restriction_after") or ["ban"]
    return Cues(
        patterns=tuple(pats),
        first_words=FirstWords(phrases),
        negator_re=negator_re,
        break_re=break_re,
        strong_break_re=strong_break_re,
        scope=int(raw.get("negation_scope", 4)),
        negated_support=float(raw.get("negated_support_factor", 1.0)),
        negated_oppose=float(raw.get("negated_oppose_factor", 0.4)),
        chain_gap=int(raw.get("chain_gap", 3)),
        chain_head_re=re.compile(_alternation(raw.get("chain_heads") or ["reject"]), re.IGNORECASE),
        ending_re=re.compile(_alternation(ending), re.IGNORECASE),
        ending_weight=float(rev.get("ending_weight", 0.6)),
        restriction_re=re.compile(_alternation(restriction), re.IGNORECASE),
        restriction_after_re=re.compile(r"[\s\-]*(?:" + _alternation(after) + r")", re.IGNORECASE),
        reverse_scope=int(rev.get("scope", 4)),
        condition_re=re.compile(
            r"(?<![\w])(?:"
            + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in raw.get("conditions", ["if"]))
            + r")(?![\w])[^,;.:!?]*",
            re.IGNORECASE,
        ),
    )


_WORDS = re.compile(r"\w+")
_BY_AFTER = re.compile(r"\s+by\b", re.IGNORECASE)
# "No sanctions on Moscow", "no more weapons": a topic refused outright, with no other cue.
_NO_BEFORE = re.compile(r"(?<![\w])(?:no|never)\s+(?:(?:new|more|further|additional)\s+)?$", re.IGNORECASE)
REFUSAL_WEIGHT = 0.6
# A sentence that names no topic is about the statement's topic only when it points back to it.
_ANAPHOR = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|such)\b", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|in|on|with|against|from|at|for|of|over|by|about|toward|towards)\s+(?:the\s+)?$"
)
# How far into its clause a named actor still reads as the clause's subject ("Every day Russia says no").
SUBJECT_WORDS = 3
# How many words before a cue a possessive or subject actor still governs it.
SUBJECT_REACH = 16


@cache
def _gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _someone_elses(text: str, start: int, actor: str | None, cues: Cues) -> bool:
    """Whether the cue at `start` states another actor's position, not the speaker's.

    "Every day Russia says no to a ceasefire" (a Ukrainian speaking), "the decision reflected Russia's
    refusal", "urged Iran to allow inspectors": the clause's subject, or a possessive right before the
    cue, names an actor other than the speaker's.
    """
    if actor is None:
        return False
    clause = 0
    for pattern in (cues.break_re, cues.strong_break_re):
        for m in pattern.finditer(text, 0, start):
            clause = max(clause, m.end())
    prefix = text[clause:start]
    if _n_words(prefix) > SUBJECT_REACH:
        return False
    for a, b, entry in _gazetteer().terms_in(prefix):
        if _PREPOSITION_BEFORE.search(prefix[:a]):
            continue
        if entry.actor == actor:
            return False
        possessive = prefix[b : b + 2] in ("'s", "’s")
        if possessive or _n_words(prefix[:a]) < SUBJECT_WORDS:
            return True
    return False


# A bare ending verb after a determiner is a noun ("at the end of"), not an action on the topic.
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|its|their|this|that)\s+$", re.IGNORECASE)
# A cue in "-ing" form opening its clause is the subject, not the speaker's position ("Supplying
# Tomahawks would mark an escalation").
_CLAUSE_OPENING = re.compile(r"(?:^|[.;:!?,—–(]|\b(?:that|and|but|because|while|if|whether))\s*$", re.IGNORECASE)


def _n_words(text: str) -> int:
    return len(_WORDS.findall(text))


def _negated(text: str, start: int, negs: list[re.Match[str]], cues: Cues, floor: int) -> bool:
    """Whether a negator in `text[floor:start]` reaches the word at `start` (same clause, in scope)."""
    for n in negs:
        if n.end() > start:
            break
        if n.start() < floor:
            continue
        gap = text[n.end() : start]
        if _n_words(gap) <= cues.scope and not cues.break_re.search(gap):
            return True
    return False


def cue_hits(text: str, cues: Cues | None = None, exclude: list[tuple[int, int]] | None = None) -> list[CueHit]:
    """Cue phrases in `text` with negation and chaining applied; spans in `exclude` (topic keywords) are skipped."""
    cues = cues or Cues.load()
    exclude = exclude or []
    conditions = [m.span() for m in cues.condition_re.finditer(text)]
    raw: list[tuple[int, int, float, bool]] = []
    for i in sorted(cues.first_words.candidates(text)):
        pattern, weight, neutral = cues.patterns[i]
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in exclude):
                continue  # "sanctions against Russia" names a topic; "against" is no cue there
            if any(a <= m.start() < b for a, b in conditions):
                continue  # "If the tariffs stay, we will respond": a condition, not a position
            if m.group().lower().endswith("ing") and _CLAUSE_OPENING.search(text[: m.start()]):
                continue  # a gerund subject ("Sending troops would ...") is the topic, not a position
            if m.group().lower().endswith("ed") and _BY_AFTER.match(text, m.end()):
                continue  # a passive modifier ("guarantees backed by European troops") describes, not supports
            raw.append((m.start(), m.end(), weight, neutral))
    # Longest match wins where cues overlap ("will not discuss" over "discuss").
    raw.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    kept: list[tuple[int, int, float, bool]] = []
    for h in raw:
        if all(h[1] <= k[0] or h[0] >= k[1] for k in kept):
            kept.append(h)
    kept.sort()
    negs = list(cues.negator_re.finditer(text))
    hits: list[CueHit] = []
    previous_end = 0
    for start, end, weight, neutral in kept:
        phrase = text[start:end]
        # A negator reaches only the first cue after it ("will not support calls for" negates "support").
        negated = not cues.negator_re.search(phrase) and _negated(text, start, negs, cues, previous_end)
        previous_end = end
        if negated and not neutral:
            if weight > 0:
                weight = -weight * cues.negated_support
            else:  # "does not oppose" is an explicit position short of support
                weight, neutral = -weight * cues.negated_oppose, True
        hits.append(CueHit(start, end, phrase, weight, negated, neutral))
    return _chain(text, hits, cues)


def _chain(text: str, hits: list[CueHit], cues: Cues) -> list[CueHit]:
    """A cue right before another governs it: "reject calls for" opposes what is called for."""
    out: list[CueHit] = []
    for h in hits:
        if out:
            prev = out[-1]
            gap = text[prev.end : h.start]
            if (
                not prev.neutral
                and not h.neutral
                and prev.weight
                and cues.chain_head_re.search(prev.text)
                and _n_words(gap) <= cues.chain_gap
                and not cues.break_re.search(gap)
            ):
                sign = (1.0 if prev.weight > 0 else -1.0) * (1.0 if h.weight > 0 else -1.0)
                weight = sign * max(abs(prev.weight), abs(h.weight))
                out[-1] = CueHit(prev.start, h.end, text[prev.start : h.end], weight, prev.negated or h.negated)
                continue
        out.append(h)
    return out


def stance_of(score: float) -> str:
    if score >= SUPPORT_AT:
        return "support"
    if score <= OPPOSE_AT:
        return "oppose"
    return "neutral"


_SENT = re.compile(r"[^.!?;]+(?:[.!?;]+|$)")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENT.finditer(text)] or [(0, len(text))]


def _topics(text: str, taxonomy: Taxonomy) -> list[TopicMatch]:
    """Topic mentions left to right; where two overlap, the earlier (then longer) one names the topic."""
    out: list[TopicMatch] = []
    for m in taxonomy.match(text):
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _reversal(
    text: str, m: TopicMatch, topics: list[TopicMatch], taxonomy: Taxonomy, cues: Cues
) -> tuple[int, CueHit | None]:
    """(+1 or -1, the ending cue nearest the topic) for the words that end or restrict topic `m`."""
    flow = not taxonomy.is_restriction(m.topic)
    sign = 1
    nearest: CueHit | None = None
    if flow and cues.restriction_after_re.match(text, m.end):
        sign = -sign  # "Russian gas ban", "oil embargo"
    limit = max((t.end for t in topics if t.end <= m.start), default=0)  # never reach past another topic
    pos = m.start
    while True:
        best: tuple[re.Match[str], bool] | None = None
        for pattern, ending in ((cues.ending_re, True), (cues.restriction_re, False)):
            if not ending and not flow:
                continue
            for r in pattern.finditer(text, limit, pos):
                gap = text[r.end() : pos]
                if _n_words(gap) > cues.reverse_scope or cues.break_re.search(gap):
                    continue
                if ending and _DETERMINER_BEFORE.search(text[: r.start()]) and " " not in r.group().strip():
                    continue  # "at the end of the talks"
                if best is None or r.end() > best[0].end():
                    best = (r, ending)
        if best is None:
            return sign, nearest
        r, ending = best
        sign = -sign
        if ending and nearest is None:
            negs = list(cues.negator_re.finditer(text, 0, r.start()))
            negated = _negated(text, r.start(), negs, cues, limit)
            weight = cues.ending_weight * (-1.0 if negated else 1.0)
            nearest = CueHit(r.start(), r.end(), r.group(), weight, negated)
        pos = r.start()


def _turned(hit: CueHit, sign: int) -> CueHit:
    return hit if sign > 0 else CueHit(hit.start, hit.end, hit.text, -hit.weight, hit.negated, hit.neutral)


@dataclass
class Reading:
    """What a statement says about one topic: summed polarity, neutral cues, and where it was read."""

    topic: TopicMatch
    sign: int  # -1 when the topic is reversed ("ban on Russian gas")
    polar: float = 0.0
    lean: float = 0.0  # the direction of non-committal cues ("does not oppose" leans to support)
    neutral: bool = False
    explicit: bool = False  # some cue other than an ending word attached
    evidence: tuple[int, int] | None = None
    factor: float = 1.0

    def add(self, hit: CueHit, factor: float, span: tuple[int, int] | None) -> None:
        """Count a cue whose weight is already turned toward the topic (reversals applied)."""
        if hit.neutral:
            self.neutral = True
            self.lean += hit.weight * factor
        else:
            self.polar += hit.weight * factor
        if self.evidence is None and span is not None:
            self.evidence = span

    def stance_score(self, strength: float) -> tuple[str, float] | None:
        if self.neutral and abs(self.polar) < NEUTRAL_UNLESS:
            lean = max(-1.0, min(1.0, self.lean)) * strength * self.factor
            return "neutral", round(max(OPPOSE_AT + 0.01, min(SUPPORT_AT - 0.01, lean)), 3)
        if not self.polar:
            return None
        magnitude = max(SUPPORT_AT, min(1.0, abs(self.polar)) * strength * self.factor)
        score = round(magnitude if self.polar > 0 else -magnitude, 3)
        return stance_of(score), score


def read_stances(
    text: str, context: str, taxonomy: Taxonomy, cues: Cues | None = None, actor: str | None = None
) -> list[Reading]:
    """Per-topic readings of `text` by a speaker for `actor`, falling back to the first topic `context` names."""
    cues = cues or Cues.load()
    topics = _topics(text, taxonomy)
    from_context = not topics
    if from_context:
        context_topics = _topics(context, taxonomy)
        if not context_topics:
            return []
        first = context_topics[0]
        sign, _ = _reversal(context, first, context_topics, taxonomy, cues)
        hits = [h for h in cue_hits(text, cues) if not _someone_elses(text, h.start, actor, cues)]
        if not hits:
            return []
        reading = Reading(first, sign, factor=CONTEXT_FACTOR)
        sentences = _sentence_spans(text)
        for h in hits:
            span = next(((a, b) for a, b in sentences if a <= h.start < b), None)
            reading.add(_turned(h, sign), 1.0, span)
            reading.explicit = True
        return [reading]
    hits = cue_hits(text, cues, [(m.start, m.end) for m in topics])
    hits = [h for h in hits if not _someone_elses(text, h.start, actor, cues)]
    sentences = _sentence_spans(text)
    readings: dict[str, Reading] = {}
    endings: dict[str, tuple[CueHit, int]] = {}
    signs: dict[int, int] = {}
    for m in topics:
        sign, ending = _reversal(text, m, topics, taxonomy, cues)
        signs[m.start] = sign
        readings.setdefault(m.topic, Reading(m, sign))
        if ending is not None:
            endings.setdefault(m.topic, (ending, sign))
        elif _NO_BEFORE.search(text, max(0, m.start - 40), m.start):
            no = _NO_BEFORE.search(text, max(0, m.start - 40), m.start)
            assert no is not None
            refusal = CueHit(no.start(), no.end(), no.group(), -REFUSAL_WEIGHT, False)
            endings.setdefault(m.topic, (refusal, sign))
    for h in hits:
        a, b = next(((a, b) for a, b in sentences if a <= h.start < b), (0, len(text)))
        in_sentence = [m for m in topics if a <= m.start < b]
        target: TopicMatch | None = None
        factor = 1.0
        if in_sentence:
            after = [
                m for m in in_sentence if m.start >= h.end and not cues.strong_break_re.search(text[h.end : m.start])
            ]
            before = [
                m for m in in_sentence if m.end <= h.start and not cues.strong_break_re.search(text[m.end : h.start])
            ]
            target = after[0] if after else (before[-1] if before else None)
        elif _ANAPHOR.search(text, a, b):
            # A sentence naming no topic but pointing back ("They hurt Europe") is about the nearest one.
            earlier = [m for m in topics if m.end <= h.start]
            target = earlier[-1] if earlier else topics[0]
            factor = OTHER_SENTENCE_FACTOR
        if target is None:
            continue
        reading = readings[target.topic]
        # The sign of this very mention: one topic can be named reversed and plain.
        reading.add(_turned(h, signs[target.start]), factor, (a, b))
        reading.explicit = True
    for topic, (ending, sign) in endings.items():
        reading = readings[topic]
        if not reading.explicit:  # "Iran will suspend its cooperation with the IAEA"
            span = next(((a, b) for a, b in sentences if a <= ending.start < b), None)
            reading.add(_turned(ending, sign), 1.0, span)
    return [r for r in readings.values() if r.polar or r.neutral]


def detect_stances(statement: Statement, taxonomy: Taxonomy, cues: Cues | None = None) -> list[StanceEvent]:
    """Stance events of the statement's actor toward each topic it names (or its context names)."""
    actor = statement.speaker.actor
    if not actor:
        return []  # anonymous sources, companies: no actor, no stance
    text = statement.text
    strength = 0.5 + 0.5 * statement.confidence
    events: list[StanceEvent] = []
    for reading in read_stances(text, statement.context, taxonomy, cues, actor):
        result = reading.stance_score(strength)
        if result is None:
            continue
        stance, score = result
        m = reading.topic
        a, b = reading.evidence or (0, len(text))
        evidence = text[a:b].strip() or text
        events.append(
            StanceEvent(
                id=hashlib.sha1(f"{statement.id}|{m.topic}".encode()).hexdigest()[:20],
                actor=actor,
                topic=m.topic,
                topic_label=m.label,
                stance=stance,  # type: ignore[arg-type]
                score=score,
                statement_id=statement.id,
                article_id=statement.article_id,
                published_at=statement.published_at,
                speaker=statement.speaker.name,
                url=statement.url,
                evidence=evidence,
            )
        )
    events.extend(open_stance_events(statement, taxonomy, cues, strength, bool(events)))
    return events


def open_stance_events(
    statement: Statement, taxonomy: Taxonomy, cues: Cues | None, strength: float, has_taxonomy: bool
) -> list[StanceEvent]:
    """Stance events on open topics (`streams/nlp/open_topics.py`): cues whose sentence names no
    taxonomy topic, keyed on the target each governs (`streams/nlp/targets.py`)."""
    from streams.nlp.targets import open_readings  # noqa: PLC0415 (targets imports this module's types)

    if has_taxonomy:
        return []  # a statement that speaks on a taxonomy topic is read on it alone
    cues = cues or Cues.load()
    actor = statement.speaker.actor
    text = statement.text
    taken = [(a, b) for a, b in _sentence_spans(text) if _topics(text[a:b], taxonomy)]
    hits = [h for h in cue_hits(text, cues) if not _someone_elses(text, h.start, actor, cues)]
    events: list[StanceEvent] = []
    for reading in open_readings(text, hits, taken, statement.context):
        if reading.neutral and abs(reading.polar) < NEUTRAL_UNLESS:
            stance, score = "neutral", 0.0
        else:
            magnitude = max(SUPPORT_AT, min(1.0, abs(reading.polar)) * strength)
            score = round(magnitude if reading.polar > 0 else -magnitude, 3)
            stance = stance_of(score)
        a, b = reading.evidence or (0, len(text))
        events.append(
            StanceEvent(
                id=hashlib.sha1(f"{statement.id}|{reading.key.id}".encode()).hexdigest()[:20],
                actor=actor or "",
                topic=reading.key.id,
                topic_label=reading.key.label,
                topic_source="open",
                stance=stance,  # type: ignore[arg-type]
                score=score,
                statement_id=statement.id,
                article_id=statement.article_id,
                published_at=statement.published_at,
                speaker=statement.speaker.name,
                url=statement.url,
                evidence=text[a:b].strip() or text,
            )
        )
    return events
