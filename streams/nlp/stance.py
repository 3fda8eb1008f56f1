"""Stance detection: an actor's support for or opposition to the topics a statement names.

Polarity comes from cue phrases in `data/cues.yaml` with a short negation scope ("not going to
discuss" opposes, "will not oppose" is not opposition). Statements whose speaker has no actor, or
that carry no cue at all, yield no stance events: a topic merely mentioned is not a stance.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schemas import StanceEvent, Statement
from streams.nlp._text import DATA_DIR, phrase_pattern, read_yaml
from streams.nlp.taxonomy import Taxonomy, TopicMatch

__all__ = ["CueHit", "Cues", "cue_hits", "detect_stances", "stance_of"]

SUPPORT_AT = 0.2
OPPOSE_AT = -0.2
# Topics found only in the headline/lead (not in the statement itself) count for less.
CONTEXT_FACTOR = 0.5
# A cue in another sentence of the statement than the topic counts for less.
OTHER_SENTENCE_FACTOR = 0.7


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    text: str
    weight: float  # signed: > 0 support, < 0 opposition, after negation
    negated: bool


@dataclass(frozen=True)
class Cues:
    patterns: tuple[tuple[re.Pattern[str], float], ...]  # signed base weights
    negator_re: re.Pattern[str]
    break_re: re.Pattern[str]
    scope: int
    negated_support: float
    negated_oppose: float

    @classmethod
    def load(cls, path: Path | None = None) -> Cues:
        return _load_cues(str(path or DATA_DIR / "cues.yaml"))


@cache
def _load_cues(path: str) -> Cues:
    raw = read_yaml(Path(path))
    pats: list[tuple[re.Pattern[str], float]] = []
    for sign, section in ((1.0, "support"), (-1.0, "oppose")):
        for phrase, weight in (raw.get(section) or {}).items():
            w = float(weight)
            if not 0.0 < w <= 1.0:
                raise ValueError(f"{path}: cue {phrase!r} in {section}: weight must be in (0, 1]")
            pats.append((re.compile(phrase_pattern(str(phrase)), re.IGNORECASE), sign * w))
    negators = sorted(raw.get("negators", []), key=len, reverse=True)
    # "n't" hangs off its verb ("won't"), so it gets its own pattern without a word boundary.
    neg_alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in negators if not n.startswith("n'"))
    negator_re = re.compile(r"(?:(?<![\w])(?:" + neg_alts + r")(?![\w]))|n['’]t\b", re.IGNORECASE)
    breaks = "|".join(map(re.escape, raw.get("clause_breaks", [])))
    break_re = re.compile(r"[,;:.!?()—–]|\b(?:" + breaks + r")\b", re.IGNORECASE)
    return Cues(
        patterns=tuple(pats),
        negator_re=negator_re,
        break_re=break_re,
        scope=int(raw.get("negation_scope", 4)),
        negated_support=float(raw.get("negated_support_factor", 1.0)),
        negated_oppose=float(raw.get("negated_oppose_factor", 0.4)),
    )


def cue_hits(text: str, cues: Cues | None = None, exclude: list[tuple[int, int]] | None = None) -> list[CueHit]:
    """Cue phrases in `text` with negation applied; spans in `exclude` (topic keywords) are skipped."""
    cues = cues or Cues.load()
    exclude = exclude or []
    raw: list[tuple[int, int, float]] = []
    for pattern, weight in cues.patterns:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in exclude):
                continue  # "sanctions against Russia" names a topic; "against" is no cue there
            raw.append((m.start(), m.end(), weight))
    # Longest match wins where cues overlap ("will not discuss" over "discuss").
    raw.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    kept: list[tuple[int, int, float]] = []
    for h in raw:
        if all(h[1] <= k[0] or h[0] >= k[1] for k in kept):
            kept.append(h)
    kept.sort()
    negs = [m for m in cues.negator_re.finditer(text)]
    out: list[CueHit] = []
    for start, end, weight in kept:
        phrase = text[start:end]
        negated = False
        if not cues.negator_re.search(phrase):  # a cue with its own negation is already polarised
            for n in negs:
                if n.end() > start:
                    break
                gap = text[n.end() : start]
                if len(re.findall(r"\w+", gap)) <= cues.scope and not cues.break_re.search(gap):
                    negated = True
        if negated:
            weight = -weight * (cues.negated_support if weight > 0 else cues.negated_oppose)
        out.append(CueHit(start, end, phrase, weight, negated))
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


def detect_stances(statement: Statement, taxonomy: Taxonomy, cues: Cues | None = None) -> list[StanceEvent]:
    """Stance events of the statement's actor toward each topic it names (or its context names)."""
    actor = statement.speaker.actor
    if not actor:
        return []
    text = statement.text
    matches = taxonomy.match(text)
    from_context = not matches
    if from_context:
        matches = taxonomy.match(statement.context)
        if not matches:
            return []
    hits = cue_hits(text, cues, [] if from_context else [(m.start, m.end) for m in matches])
    if not hits:
        return []
    strength = 0.5 + 0.5 * statement.confidence
    sentences = _sentence_spans(text)
    first: dict[str, TopicMatch] = {}
    for m in matches:
        first.setdefault(m.topic, m)
    events: list[StanceEvent] = []
    for topic, m in first.items():
        evidence = text
        if from_context:
            total = sum(h.weight for h in hits) * CONTEXT_FACTOR
        else:
            a, b = next(((a, b) for a, b in sentences if a <= m.start < b), (0, len(text)))
            near = [h for h in hits if a <= h.start < b]
            far = sum(h.weight for h in hits if not a <= h.start < b) * OTHER_SENTENCE_FACTOR
            total = sum(h.weight for h in near) + far
            if near:
                evidence = text[a:b].strip() or text
        score = round(max(-1.0, min(1.0, total)) * strength, 3)
        events.append(
            StanceEvent(
                id=hashlib.sha1(f"{statement.id}|{topic}".encode()).hexdigest()[:20],
                actor=actor,
                topic=topic,
                topic_label=m.label,
                stance=stance_of(score),  # type: ignore[arg-type]
                score=score,
                statement_id=statement.id,
                article_id=statement.article_id,
                published_at=statement.published_at,
                speaker=statement.speaker.name,
                url=statement.url,
                evidence=evidence,
            )
        )
    return events
