"""Score extractors against the annotated evaluation set (`tests/data/eval/articles.jsonl`).

Pure functions, no Kafka: the set is loaded and validated with pydantic, an `Extractor` runs through
the agents' own `Pipeline` via offline `replay` (so statements, stances and stance changes come from
exactly the code the live pipeline runs), and the output is compared with the gold reading:

- statements: precision / recall / F1 with one-to-one greedy matching. A prediction matches a gold
  statement when the field is the same, the speaker matches (case- and accent-insensitive, a surname
  or a shorter form of the same name, or one of the gold aliases) and the words overlap: the share of
  the shorter text's word types found in the other is at least `TEXT_OVERLAP`.
- speaker-actor (and kind) accuracy over matched statements only.
- stances: precision / recall / F1 on distinct (article, actor, topic, stance) tuples: a stance
  counts only when actor, polarity and topic are all right. A gold stance on an open subject
  (`open_topic` slug + `target`) is met by a predicted open topic whose key (`open_key`) equals the
  key of that stance's target or of any gold target with the same slug in the set (the slugs are the
  annotators' identity of a subject across articles), or by the taxonomy topic such a target names
  first, its polarity turned when the target turns the topic around ("leave the ECHR")
  (`SubjectIndex`). Predictions that stand for the same gold stance count once; a prediction that
  stands for none is a false positive. The same figures for the out-of-taxonomy part (gold open
  stances, and predictions on any topic outside the set's gold taxonomy ids), and the articles with a
  gold stance that got no stance at all.
- stance changes: reversals reported by `replay` over the whole set against the reversals implied by
  the gold stances in `published_at` order (`gold_changes`), keyed (actor, topic, article), with
  predicted topics resolved the same way.

`evaluate_named("fast")` is the one-call entry point; `EvalResult.shortfalls(...)` turns floors into
readable failures, so a regression test is one line.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas import RawArticle, StanceChange, StanceEvent, Statement
from schemas.records import StanceValue
from streams.core.extraction import EXTRACTORS, ExtractorUnavailable, load_extractor
from streams.core.pipeline import Pipeline
from streams.nlp.extract import Extractor
from streams.nlp.open_topics import fuller_key, open_key
from streams.nlp.stance import named_topic
from streams.nlp.taxonomy import Taxonomy
from streams.settings import Settings

__all__ = [
    "DEFAULT_SET",
    "EXTRACTORS",
    "TEXT_OVERLAP",
    "EvalItem",
    "EvalResult",
    "EvalSetError",
    "ExtractorUnavailable",
    "Finding",
    "Gold",
    "GoldChange",
    "GoldStance",
    "GoldStatement",
    "Predicted",
    "Predictions",
    "Prf",
    "Ratio",
    "SubjectIndex",
    "evaluate",
    "evaluate_named",
    "gold_changes",
    "load_eval_set",
    "load_extractor",
    "match_statements",
    "score",
    "speaker_matches",
    "text_overlap",
]

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "eval" / "articles.jsonl"
TEXT_OVERLAP = 0.5

# Words that say what kind of speaker it is, not which one: "ministry" alone must not match
# "Russia's foreign ministry", while "Zakharova" may match "Maria Zakharova".
_GENERIC = frozenset(
    re.findall(
        r"\w+",
        "the a an of for and foreign defence defense interior ministry minister spokesman spokeswoman spokesperson "
        "official officials government office department president prime deputy secretary agency chief head "
        "senior source sources",
    )
)
_WORDS = re.compile(r"\w+(?:[-']\w+)*")


# -- the set -------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldStatement(_Strict):
    """One statement a careful reader finds: who, for whom, and the core words (a substring of `field`)."""

    speaker: str = Field(min_length=1, description="Full name, institution, or the anonymous phrase ('diplomats').")
    aliases: list[str] = Field(default_factory=list, description="Other names a reader would accept for the speaker.")
    actor: str | None = Field(description="Gazetteer actor id, or null for anonymous / non-state speakers.")
    kind: Literal["direct", "indirect"]
    text: str = Field(min_length=1)
    field: Literal["headline", "body"] = "body"
    tags: list[str] = Field(default_factory=list, description="Attribution patterns, for recall per pattern.")


class GoldStance(_Strict):
    """A stance on a taxonomy topic (`topic`), or on an open subject: `open_topic` (a slug the set uses
    consistently across articles) with `target`, the article's own words for it. An open stance is
    scored under the topic `open:<slug>` until the extractor names open topics itself."""

    actor: str = Field(min_length=1)
    topic: str | None = Field(default=None, min_length=1)
    open_topic: str | None = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    target: str | None = Field(default=None, min_length=1)
    covered_by: str | None = Field(
        default=None,
        min_length=1,
        description="For an open stance: the taxonomy topic that is the same subject in the same direction "
        "(EU-Mercosur agreement → trade-deals); a prediction on it is credited to the open stance.",
    )
    stance: StanceValue

    @model_validator(mode="before")
    @classmethod
    def _one_topic(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("covered_by") and not data.get("open_topic"):
            raise ValueError("`covered_by` belongs to an open stance (one with `open_topic`)")
        if isinstance(data, dict) and data.get("topic") is None:
            if not (data.get("open_topic") and data.get("target")):
                raise ValueError("a stance needs a taxonomy `topic`, or an `open_topic` slug with its `target`")
            data = {**data, "topic": f"open:{data['open_topic']}"}
        return data


class Gold(_Strict):
    statements: list[GoldStatement] = Field(default_factory=list)
    stances: list[GoldStance] = Field(default_factory=list)


class EvalItem(_Strict):
    """One line of the set: the article as fed to `news.raw` and its gold reading."""

    article: RawArticle
    gold: Gold
    desk: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EvalItem:
        for i, s in enumerate(self.gold.statements):
            if s.text not in getattr(self.article, s.field):
                raise ValueError(f"gold.statements[{i}].text is not a substring of the article {s.field}: {s.text!r}")
        seen: dict[tuple[str, str], str] = {}
        for st in self.gold.stances:
            if seen.setdefault((st.actor, st.topic), st.stance) != st.stance:
                raise ValueError(f"gold.stances give {st.actor}|{st.topic} two different stances in one article")
        return self


class EvalSetError(ValueError):
    """The evaluation set is not valid; the message names the file and line."""


def load_eval_set(path: Path | str = DEFAULT_SET) -> list[EvalItem]:
    """Every line of the set (a JSON lines file, or a folder: all its *.jsonl files), validated; raises
    `EvalSetError` naming the first bad line, or an article id used twice."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise EvalSetError(f"{path}: no *.jsonl files")
        items, first_seen = [], {}
        for file in files:
            for item in load_eval_set(file):
                if item.article.id in first_seen:
                    raise EvalSetError(
                        f"{file}: article id {item.article.id!r} is also in {first_seen[item.article.id]}"
                    )
                first_seen[item.article.id] = file
                items.append(item)
        return items
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvalSetError(f"{path}: cannot read the evaluation set: {exc}") from exc
    items: list[EvalItem] = []
    ids: dict[str, int] = {}
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise EvalSetError(f"{path}:{number}: not JSON: {exc}") from exc
        try:
            item = EvalItem.model_validate(data)
        except ValidationError as exc:
            e = exc.errors()[0]
            where = ".".join(str(p) for p in e["loc"])  # empty for the whole-line consistency checks
            raise EvalSetError(f"{path}:{number}: {where + ': ' if where else ''}{e['msg']}") from exc
        if item.article.id in ids:
            raise EvalSetError(
                f"{path}:{number}: duplicate article id {item.article.id!r} (first on line {ids[item.article.id]})"
            )
        ids[item.article.id] = number
        items.append(item)
    if not items:
        raise EvalSetError(f"{path}: no articles")
    return items


@dataclass(frozen=True, slots=True)
class GoldChange:
    actor: str
    topic: str
    kind: str  # new | reversal
    article_id: str


def gold_changes(items: Iterable[EvalItem]) -> list[GoldChange]:
    """The changes the gold stances imply, read in `published_at` order as the tracker reads them.

    Only `new` and `reversal` (support ↔ oppose) are derived: gold has no scores, so shifts are not
    annotated and a predicted shift is neither credited nor penalised.
    """
    state: dict[tuple[str, str], str] = {}
    out: list[GoldChange] = []
    for item in sorted(items, key=lambda i: i.article.published_at):
        for st in {(s.actor, s.topic): s for s in item.gold.stances}.values():
            key = (st.actor, st.topic)
            previous = state.get(key)
            if previous is None:
                out.append(GoldChange(st.actor, st.topic, "new", item.article.id))
            elif {previous, st.stance} == {"support", "oppose"}:
                out.append(GoldChange(st.actor, st.topic, "reversal", item.article.id))
            state[key] = st.stance
    return out


# -- matching ------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return [re.sub(r"'s?$", "", w) for w in _WORDS.findall(text)]


def _name_tokens(name: str) -> tuple[str, ...]:
    toks = _tokens(name)
    while toks and toks[0] in ("the", "a", "an"):
        toks.pop(0)
    return tuple(toks)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def speaker_matches(predicted: str, gold: str | Sequence[str]) -> bool:
    """Whether a predicted speaker name is one of the gold names, or a shorter form of one.

    "Zakharova" ~ "Maria Zakharova", "the Kremlin" ~ "Kremlin", "EU diplomats" ~ "diplomats"; a
    shorter form must keep a distinctive word ("ministry" alone matches no ministry).
    """
    names = [gold] if isinstance(gold, str) else list(gold)
    p = _name_tokens(predicted)
    if not p:
        return False
    for name in names:
        g = _name_tokens(name)
        if not g:
            continue
        if p == g:
            return True
        short, long_ = (p, g) if len(p) < len(g) else (g, p)
        if any(t not in _GENERIC for t in short) and _contains(long_, short):
            return True
    return False


def text_overlap(a: str, b: str) -> float:
    """Share of the shorter text's word types that also occur in the other (0…1)."""
    ta, tb = set(_tokens(a)), set(_tokens(b))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


def _jaccard(a: str, b: str) -> float:
    ta, tb = set(_tokens(a)), set(_tokens(b))
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


@dataclass(frozen=True, slots=True)
class Predicted:
    """What scoring needs of a predicted statement (built from a `Statement`, or by hand in tests)."""

    speaker: str
    actor: str | None
    kind: str
    text: str
    field: str = "body"
    # How the extractor found the speaker and the actor (`streams.nlp.speakers.SpeakerTrace`), when it says.
    link: str | None = None
    actor_step: str | None = None

    @classmethod
    def of(cls, statement: Statement, trace: Any = None) -> Predicted:
        s = statement
        link = getattr(trace, "link", None)
        step = getattr(trace, "actor_step", None)
        return cls(s.speaker.name, s.speaker.actor, s.kind, s.text, s.field, link, step)


def _gold_names(g: GoldStatement) -> list[str]:
    return [g.speaker, *g.aliases]


def match_statements(
    predicted: Sequence[Predicted], gold: Sequence[GoldStatement], threshold: float = TEXT_OVERLAP
) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs, greedily: best overlap first (then Jaccard, then order)."""
    candidates = []
    for pi, p in enumerate(predicted):
        for gi, g in enumerate(gold):
            if p.field != g.field or not speaker_matches(p.speaker, _gold_names(g)):
                continue
            overlap = text_overlap(p.text, g.text)
            if overlap >= threshold:
                # Ties on containment (a fragment is fully inside the gold text) go to the fuller span.
                candidates.append((-overlap, -_jaccard(p.text, g.text), pi, gi))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _neg, _neg_j, pi, gi in candidates:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        pairs.append((pi, gi))
    return sorted(pairs, key=lambda pg: pg[1])


# -- results -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Prf:
    """Counts and precision / recall / F1. Nothing predicted and nothing expected scores 1.0."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float(self.fp == 0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class Ratio:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {"correct": self.correct, "total": self.total, "value": round(self.value, 4)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One miss or false positive: which article, a category to count, and what exactly."""

    article_id: str
    category: str
    what: str


@dataclass
class EvalResult:
    extractor: str
    articles: int
    statements: Prf = field(default_factory=Prf)
    actor_accuracy: Ratio = field(default_factory=Ratio)
    kind_accuracy: Ratio = field(default_factory=Ratio)
    stances: Prf = field(default_factory=Prf)
    open_stances: Prf = field(default_factory=Prf)  # the out-of-taxonomy part
    articles_without_stance: Ratio = field(default_factory=Ratio)  # of the articles with a gold stance
    changes: Prf = field(default_factory=Prf)  # reversals
    predicted_change_kinds: dict[str, int] = field(default_factory=dict)
    recall_by_tag: dict[str, Ratio] = field(default_factory=dict)
    # Actor accuracy over matched statements, by the step that decided the actor (`ACTOR_STEPS` of
    # `streams.nlp.speakers`) and by how the speaker was reached (named, pronoun, resolved, ...).
    actor_accuracy_by_step: dict[str, Ratio] = field(default_factory=dict)
    actor_accuracy_by_link: dict[str, Ratio] = field(default_factory=dict)
    statement_misses: list[Finding] = field(default_factory=list)
    statement_false_positives: list[Finding] = field(default_factory=list)
    actor_errors: list[Finding] = field(default_factory=list)
    stance_misses: list[Finding] = field(default_factory=list)
    stance_false_positives: list[Finding] = field(default_factory=list)
    change_misses: list[Finding] = field(default_factory=list)
    change_false_positives: list[Finding] = field(default_factory=list)
    dead_letters: int = 0
    seconds: float = 0.0

    def figures(self) -> dict[str, float]:
        """The headline numbers, by the names `shortfalls` accepts."""
        return {
            "statement_precision": self.statements.precision,
            "statement_recall": self.statements.recall,
            "statement_f1": self.statements.f1,
            "actor_accuracy": self.actor_accuracy.value,
            "kind_accuracy": self.kind_accuracy.value,
            "stance_precision": self.stances.precision,
            "stance_recall": self.stances.recall,
            "stance_f1": self.stances.f1,
            "open_stance_precision": self.open_stances.precision,
            "open_stance_recall": self.open_stances.recall,
            "open_stance_f1": self.open_stances.f1,
            "articles_without_stance": self.articles_without_stance.value,
            "change_precision": self.changes.precision,
            "change_recall": self.changes.recall,
            "change_f1": self.changes.f1,
        }

    def shortfalls(self, **floors: float) -> list[str]:
        """Readable failures for each figure below its floor: `assert not result.shortfalls(statement_f1=0.9)`."""
        figures = self.figures()
        unknown = sorted(set(floors) - set(figures))
        if unknown:
            raise KeyError(f"unknown figure(s) {unknown}; known: {sorted(figures)}")
        return [
            f"{self.extractor}: {name} {figures[name]:.3f} < {floor:.3f}"
            for name, floor in floors.items()
            if figures[name] < floor
        ]

    def miss_categories(self) -> Counter[str]:
        """How often each kind of error occurs, across statements, actors, stances and changes."""
        c: Counter[str] = Counter()
        for prefix, findings in (
            ("statement miss", self.statement_misses),
            ("statement false positive", self.statement_false_positives),
            ("actor", self.actor_errors),
            ("stance miss", self.stance_misses),
            ("stance false positive", self.stance_false_positives),
            ("change miss", self.change_misses),
            ("change false positive", self.change_false_positives),
        ):
            c.update(f"{prefix}: {f.category}" for f in findings)
        return c

    def to_dict(self) -> dict[str, Any]:
        return {
            "extractor": self.extractor,
            "articles": self.articles,
            "statements": self.statements.as_dict(),
            "actor_accuracy": self.actor_accuracy.as_dict(),
            "kind_accuracy": self.kind_accuracy.as_dict(),
            "stances": self.stances.as_dict(),
            "open_stances": self.open_stances.as_dict(),
            "articles_without_stance": self.articles_without_stance.as_dict(),
            "changes": self.changes.as_dict(),
            "predicted_change_kinds": self.predicted_change_kinds,
            "recall_by_tag": {k: v.as_dict() for k, v in sorted(self.recall_by_tag.items())},
            "actor_accuracy_by_step": {k: v.as_dict() for k, v in sorted(self.actor_accuracy_by_step.items())},
            "actor_accuracy_by_link": {k: v.as_dict() for k, v in sorted(self.actor_accuracy_by_link.items())},
            "miss_categories": dict(self.miss_categories().most_common()),
            "statement_misses": [asdict(f) for f in self.statement_misses],
            "statement_false_positives": [asdict(f) for f in self.statement_false_positives],
            "actor_errors": [asdict(f) for f in self.actor_errors],
            "stance_misses": [asdict(f) for f in self.stance_misses],
            "stance_false_positives": [asdict(f) for f in self.stance_false_positives],
            "change_misses": [asdict(f) for f in self.change_misses],
            "change_false_positives": [asdict(f) for f in self.change_false_positives],
            "dead_letters": self.dead_letters,
            "seconds": round(self.seconds, 3),
        }


# -- scoring -------------------------------------------------------------------------------------

StanceTuple = tuple[str, str, str]  # actor, topic, stance
ChangeKey = tuple[str, str, str]  # actor, topic, article id


@dataclass
class Predictions:
    """What an extractor (through the pipeline) produced for the set, per article id."""

    statements: dict[str, list[Predicted]] = field(default_factory=lambda: defaultdict(list))
    stances: dict[str, set[StanceTuple]] = field(default_factory=lambda: defaultdict(set))
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # actor, topic, kind, article id
    dead_letters: int = 0


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _score_article(item: EvalItem, predicted: Sequence[Predicted], result: EvalResult) -> None:
    aid = item.article.id
    gold = item.gold.statements
    pairs = match_statements(predicted, gold)
    result.statements.tp += len(pairs)
    matched_p = {p for p, _ in pairs}
    matched_g = {g for _, g in pairs}
    for pi, gi in pairs:
        p, g = predicted[pi], gold[gi]
        result.actor_accuracy.total += 1
        result.kind_accuracy.total += 1
        result.kind_accuracy.correct += p.kind == g.kind
        for table, key in (
            (result.actor_accuracy_by_step, p.actor_step or "unknown"),
            (result.actor_accuracy_by_link, p.link or "unknown"),
        ):
            ratio = table.setdefault(key, Ratio())
            ratio.total += 1
            ratio.correct += p.actor == g.actor
        if p.actor == g.actor:
            result.actor_accuracy.correct += 1
        else:
            result.actor_errors.append(
                Finding(aid, f"{g.actor} read as {p.actor}", f"{g.speaker}: expected {g.actor}, got {p.actor}")
            )
    for gi, g in enumerate(gold):
        for tag in g.tags or ["untagged"]:
            r = result.recall_by_tag.setdefault(tag, Ratio())
            r.total += 1
            r.correct += gi in matched_g
        if gi in matched_g:
            continue
        result.statements.fn += 1
        same_words = [p for p in predicted if p.field == g.field and text_overlap(p.text, g.text) >= TEXT_OVERLAP]
        same_speaker = [p for p in predicted if p.field == g.field and speaker_matches(p.speaker, _gold_names(g))]
        others = [p for p in same_words if not speaker_matches(p.speaker, _gold_names(g))]
        if others:
            category = "wrong speaker"
            detail = f"credited to {others[0].speaker!r}"
        elif same_words:  # the right prediction exists but was matched to a neighbour: two statements merged
            category, detail = "merged with another statement", ""
        elif any(text_overlap(p.text, g.text) > 0.2 for p in same_speaker):
            category, detail = "words differ", "right speaker, span overlaps too little"
        else:
            category, detail = "not found", ""
        tags = ",".join(g.tags)
        result.statement_misses.append(
            Finding(aid, category, f"[{g.field} {g.kind} {tags}] {g.speaker}: {_short(g.text)} {detail}".rstrip())
        )
    for pi, p in enumerate(predicted):
        if pi in matched_p:
            continue
        result.statements.fp += 1
        overlapping = [g for g in gold if g.field == p.field and text_overlap(p.text, g.text) >= TEXT_OVERLAP]
        if overlapping:
            category, detail = "wrong speaker", f"(gold: {overlapping[0].speaker})"
        elif not gold:
            category, detail = "in an article without statements", ""
        else:
            category, detail = "no such statement", ""
        result.statement_false_positives.append(
            Finding(aid, category, f"[{p.field} {p.kind}] {p.speaker} ({p.actor}): {_short(p.text)} {detail}".rstrip())
        )


def _headline_and_lead(article: RawArticle) -> str:
    body = (article.body or "").strip()
    return f"{(article.headline or '').strip()} {body.split(chr(10), 1)[0]}".strip()


def _turned_stance(stance: str, sign: int) -> str:
    """`stance` toward a topic, read toward the subject that turns it around when `sign` is -1."""
    if sign > 0 or stance == "neutral":
        return stance
    return "oppose" if stance == "support" else "support"


@dataclass
class SubjectIndex:
    """Which gold topics a predicted topic can stand for, built from the set's gold stances.

    A gold open stance is filed under `open:<slug>`; a prediction stands for it when its topic is the
    open key of a gold target with that slug, the taxonomy topic such a target names first, or the
    taxonomy topic the stance says covers its subject (`covered_by`). Each gold topic a prediction
    stands for carries a sign: -1 when the target turns the named topic around ("leave the ECHR"
    names `echr`: supporting the convention opposes leaving it), so the prediction's polarity is
    turned before it is compared; a topic the slug's targets name both ways stands for none of them.
    """

    by_topic: dict[str, set[tuple[str, int]]] = field(default_factory=lambda: defaultdict(set))
    taxonomy_ids: frozenset[str] = frozenset()  # the taxonomy ids the gold uses

    @classmethod
    def build(cls, items: Iterable[EvalItem], taxonomy: Taxonomy | None = None) -> SubjectIndex:
        index = cls()
        stances = [(st, item) for item in items for st in item.gold.stances]
        # The annotators filed a stance as open when none of these ids fits it: a prediction on one of
        # them never stands for an open stance, a taxonomy topic added since may.
        index.taxonomy_ids = frozenset(st.topic for st, _ in stances if not st.open_topic)
        named_signs: dict[tuple[str, str], set[int]] = defaultdict(set)
        for st, item in stances:
            if not st.open_topic:
                continue
            key = open_key(st.target or "")
            if key is not None:  # keyed as the stance step keys it: fuller from the headline and lead
                index.by_topic[key.id].add((st.topic, 1))
                index.by_topic[fuller_key(key, _headline_and_lead(item.article)).id].add((st.topic, 1))
            if st.covered_by and st.covered_by not in index.taxonomy_ids:
                index.by_topic[st.covered_by].add((st.topic, 1))
            named = named_topic(st.target or "", taxonomy, index.taxonomy_ids) if taxonomy else None
            if named is not None:
                named_signs[(named[0], st.topic)].add(named[1])
        for (topic, gold_topic), signs in named_signs.items():
            if len(signs) == 1:  # named both ways, the direction is unknown: no credit either way
                index.by_topic[topic].add((gold_topic, signs.pop()))
        return index

    def resolve(self, topic: str) -> set[tuple[str, int]]:
        """The gold topics `topic` stands for, each with the sign that turns a prediction's polarity."""
        return {(topic, 1)} | self.by_topic.get(topic, set())

    def signs(self, topic: str, gold_topic: str) -> set[int]:
        """The signs with which `topic` stands for `gold_topic` (none when it does not)."""
        return {sign for stood_for, sign in self.resolve(topic) if stood_for == gold_topic}

    def topics_for(self, topic: str) -> set[str]:
        """The gold topics `topic` stands for, whatever the direction (for reversals and diagnostics)."""
        return {gold_topic for gold_topic, _sign in self.resolve(topic)}


def score(
    items: Sequence[EvalItem], predictions: Predictions, extractor: str = "?", taxonomy: Taxonomy | None = None
) -> EvalResult:
    """Compare predictions with the gold reading of `items`."""
    result = EvalResult(extractor=extractor, articles=len(items), dead_letters=predictions.dead_letters)
    index = SubjectIndex.build(items, taxonomy)
    for item in items:
        _score_article(item, predictions.statements.get(item.article.id, []), result)
        aid = item.article.id
        gold_st = {(s.actor, s.topic, s.stance) for s in item.gold.stances}
        pred_st = set(predictions.stances.get(aid, set()))
        if gold_st:
            result.articles_without_stance.total += 1
            result.articles_without_stance.correct += not pred_st
        matched: set[StanceTuple] = set()
        unmatched: set[StanceTuple] = set()
        for actor, topic, stance in pred_st:
            hits = {(actor, t, _turned_stance(stance, sign)) for t, sign in index.resolve(topic)} & gold_st
            if hits:
                matched |= hits
            else:
                unmatched.add((actor, topic, stance))
        for part, in_part in (
            (result.stances, lambda _t: True),
            (result.open_stances, lambda t: t not in index.taxonomy_ids),
        ):
            part.tp += sum(1 for g in matched if in_part(g[1]))
            part.fn += sum(1 for g in gold_st - matched if in_part(g[1]))
            part.fp += sum(1 for p in unmatched if in_part(p[1]))
        for actor, topic, stance in sorted(gold_st - matched):
            got = sorted(
                {_turned_stance(s, sign) for a, t, s in pred_st if a == actor for sign in index.signs(t, topic)}
            )
            category = f"read as {'/'.join(got)}" if got else _why_not_found(actor, aid, predictions)
            result.stance_misses.append(Finding(aid, category, f"{actor} {stance} {topic}"))
        for actor, topic, stance in sorted(unmatched):
            expected = sorted(
                {_turned_stance(s, sign) for a, t, s in gold_st if a == actor for sign in index.signs(topic, t)}
            )
            category = f"wrong polarity (gold {expected[0]})" if expected else "not in gold"
            result.stance_false_positives.append(Finding(aid, category, f"{actor} {stance} {topic}"))
    gold_rev = {(c.actor, c.topic, c.article_id) for c in gold_changes(items) if c.kind == "reversal"}
    pred_rev = {(a, t, aid) for a, t, kind, aid in predictions.changes if kind == "reversal"}
    result.predicted_change_kinds = dict(Counter(kind for _a, _t, kind, _aid in predictions.changes))
    found = {g for a, t, aid in pred_rev for g in gold_rev if (g[0], g[2]) == (a, aid) and g[1] in index.topics_for(t)}
    spurious = {
        (a, t, aid)
        for a, t, aid in pred_rev
        if not any((g[0], g[2]) == (a, aid) and g[1] in index.topics_for(t) for g in gold_rev)
    }
    result.changes.tp = len(found)
    result.changes.fn = len(gold_rev - found)
    result.changes.fp = len(spurious)
    result.change_misses = [Finding(aid, "reversal missed", f"{a} {t}") for a, t, aid in sorted(gold_rev - found)]
    result.change_false_positives = [Finding(aid, "spurious reversal", f"{a} {t}") for a, t, aid in sorted(spurious)]
    return result


def _why_not_found(actor: str, article_id: str, predictions: Predictions) -> str:
    """Where an unfound gold stance was lost: no statement of its actor, statements but no event, or the
    actor's events all on other topics."""
    if any(a == actor for a, _t, _s in predictions.stances.get(article_id, ())):
        return "not found: the actor's events are on other topics"
    if any(p.actor == actor for p in predictions.statements.get(article_id, ())):
        return "not found: the actor's statements give no event"
    return "not found: no statement of the actor"


def predict(items: Sequence[EvalItem], pipeline: Pipeline) -> Predictions:
    """Run the whole set through offline `replay` (published_at order) and collect what it publishes."""
    from streams.core.replay import (
        replay,
    )  # imported here: replay imports the pipeline, which is fine, but keep the top light

    names = pipeline.settings.topics
    out = Predictions()
    for topic, record in replay([i.article for i in items], pipeline):
        if topic == names.statements and isinstance(record, Statement):
            # replay yields an article's statements right after extracting it: its traces are current
            traces = getattr(pipeline.extractor, "traces", None) or {}
            out.statements[record.article_id].append(Predicted.of(record, traces.get(record.id)))
        elif topic == names.stances and isinstance(record, StanceEvent):
            out.stances[record.article_id].add((record.actor, record.topic, record.stance))
        elif topic == names.changes and isinstance(record, StanceChange):
            out.changes.append((record.actor, record.topic, record.kind, record.current.article_id))
        elif topic == names.dlq:
            out.dead_letters += 1
    return out


def evaluate(
    items: Sequence[EvalItem],
    extractor: Extractor,
    settings: Settings | None = None,
    taxonomy: Taxonomy | None = None,
) -> EvalResult:
    """Run `extractor` (with the stance, track stages of `Pipeline`) over the set and score it."""
    started = time.perf_counter()
    pipeline = Pipeline(settings or Settings(), extractor=extractor, taxonomy=taxonomy)
    name = getattr(extractor, "name", type(extractor).__name__)
    result = score(items, predict(items, pipeline), extractor=name, taxonomy=pipeline.taxonomy)
    result.seconds = time.perf_counter() - started
    return result


def evaluate_named(name: str, path: Path | str = DEFAULT_SET, settings: Settings | None = None) -> EvalResult:
    """Load the set and the named extractor and score it: `evaluate_named("parsed").shortfalls(...)`."""
    return evaluate(load_eval_set(path), load_extractor(name), settings=settings)
