"""The pipeline's stages as plain methods, shared by the Faust agents and by offline `replay`.

Each agent is a thin loop that decodes an event, calls one method here and sends what it returns;
`replay` calls the same methods in order with dicts in place of Faust tables. Nothing here imports
Faust or a Kafka client.
"""

from __future__ import annotations

import base64
import hashlib
import traceback
from collections import Counter
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, get_args

from schemas import (
    Alert,
    DeadLetter,
    RawArticle,
    StanceChange,
    StanceEvent,
    StanceSnapshot,
    Statement,
    encode,
    utc_now,
)
from streams.core.alerting import AlertRules, MemoryWindowCounts, WindowCounts
from streams.core.duplicates import content_hash, fresh_stance
from streams.core.extraction import load_extractor
from streams.core.tracking import TrackResult, track
from streams.formats import SUPPORTED_LANGUAGES, FormatError, read_record
from streams.formats.language import article_language
from streams.nlp.extract import BudgetExceeded, Extractor
from streams.nlp.open_topics import is_open, open_label
from streams.nlp.stance import detect_stances, preceding_words
from streams.nlp.taxonomy import Taxonomy
from streams.settings import Settings

__all__ = [
    "ExtractOutcome",
    "Origin",
    "Pipeline",
    "dead_letter",
    "dead_letter_key",
    "statement_key",
    "unsupported_language",
]

DEAD_LETTER_KEY_BYTES = 1024  # a longer key is cut to this prefix, in the dead letter and as its Kafka key
_DEAD_LETTER_OVERHEAD = 32 * 1024  # room for every field but the bytes (error ≤ 2000 chars, escaped) and headers

# An article over its extraction budget gets its own dead-letter reason once the DeadLetter schema
# lists it; until then it is a processing_error whose error text starts with "over_budget".
OVER_BUDGET = "over_budget" if "over_budget" in get_args(DeadLetter.model_fields["reason"].annotation) else None
MAX_DEAD_LETTERS_PER_RECORD = 10
"""Dead letters one record value may give (each carries the whole value); the last sums up the rest."""
MIN_CONFIDENT_WORDS = 5
"""A detection under `MIN_CONFIDENCE` on fewer words than this is taken as unknown (docs/formats.md)."""
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a consumed record came from, for its dead letter."""

    topic: str
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None


@dataclass(slots=True)
class ExtractOutcome:
    """What one raw record gives: its articles' statements and their stance events, and dead letters.

    One record may hold several articles (a NewsML-G2 newsMessage, a feed); each unreadable part, each
    article in an unsupported language, is a dead letter of its own. A record whose stance step
    fails keeps its statements and gets a dead letter (`processing_error`)."""

    articles: list[RawArticle] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    stances: list[StanceEvent] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)

    @property
    def article(self) -> RawArticle | None:
        return self.articles[0] if self.articles else None

    @property
    def dead_letter(self) -> DeadLetter | None:
        return self.dead_letters[0] if self.dead_letters else None


def dead_letter_key(key: bytes | None) -> bytes | None:
    """The Kafka key a dead letter is sent with: the original key, cut to `DEAD_LETTER_KEY_BYTES`."""
    return key[:DEAD_LETTER_KEY_BYTES] if key is not None else None


def dead_letter(value: bytes | None, origin: Origin, reason: str, error: str, *, max_bytes: int) -> DeadLetter:
    """The dead letter of one record, sized to be sent in at most `max_bytes` (the producer's limit).

    The value (and key) are kept whole when they fit; otherwise a prefix that fits is kept and the
    letter says so (`truncated`); the original sizes and SHA-256 digests are always given."""
    value = value or b""
    key = origin.key
    kept_key = dead_letter_key(key)
    # the key goes twice (as the Kafka key and base64 in the letter), the value once in base64
    room = max_bytes - _DEAD_LETTER_OVERHEAD - len(kept_key or b"") * 3
    kept_value = value[: max(0, room // 4 * 3)]
    return DeadLetter(
        source_topic=origin.topic,
        partition=origin.partition,
        offset=origin.offset,
        key_b64=base64.b64encode(kept_key).decode() if kept_key is not None else None,
        value_b64=base64.b64encode(kept_value).decode(),
        truncated=len(kept_value) < len(value) or kept_key != key,
        value_size=len(value),
        value_sha256=hashlib.sha256(value).hexdigest(),
        key_size=len(key) if key is not None else None,
        key_sha256=hashlib.sha256(key).hexdigest() if key is not None else None,
        reason=reason,  # type: ignore[arg-type]  # one of DeadLetter's reasons by construction
        error=error[:2000],
        failed_at=utc_now(),
    )


class Pipeline:
    """Extract → stance → track → alert, configured once from Settings."""

    def __init__(
        self,
        settings: Settings,
        extractor: Extractor | None = None,
        taxonomy: Taxonomy | None = None,
        rules: AlertRules | None = None,
    ) -> None:
        self.settings = settings
        if extractor is not None:
            self.extractor = extractor
        self.taxonomy = taxonomy or Taxonomy.load(settings.taxonomy)
        self.rules = rules or AlertRules.load(settings.rules)

    @cached_property
    def extractor(self) -> Extractor:
        """Loaded on first use: a worker that extracts in a process pool never loads a model itself."""
        extractor = load_extractor(self.settings.extractor)
        extractor.budget_seconds = self.settings.extract_budget  # type: ignore[attr-defined]
        if hasattr(extractor, "reload_words"):  # the parsed extractor: bounded spaCy memory
            extractor.reload_words = self.settings.parsed_reload_words
        return extractor

    def extract(self, value: bytes | None, origin: Origin) -> ExtractOutcome:
        """Statements and stance events of one raw record, or the dead letters saying why there are none."""
        return self.extract_batch([(value, origin)])[0]

    def extract_batch(self, records: Sequence[tuple[bytes | None, Origin]]) -> list[ExtractOutcome]:
        """`extract` for many records, parsing the valid articles together (spaCy's nlp.pipe batches).

        The stance step runs here too, on each statement, rather than in an agent of its own: off the
        event loop (in the extract thread or process), and one Kafka hop fewer for every article."""
        outcomes = [self._decode(value, origin) for value, origin in records]
        return self._extract_outcomes(outcomes, records)

    def extract_articles(self, articles: Sequence[RawArticle], origin: Origin) -> list[ExtractOutcome]:
        """`extract` for articles already read (offline `extract` and `replay`): one outcome each."""
        outcomes, records = [], []
        for article in articles:
            record = (encode(article), Origin(origin.topic, key=article.id.encode()))
            outcomes.append(self._checked([article], [], *record))
            records.append(record)
        return self._extract_outcomes(outcomes, records)

    def _extract_outcomes(
        self, outcomes: list[ExtractOutcome], records: Sequence[tuple[bytes | None, Origin]]
    ) -> list[ExtractOutcome]:
        articles = [(i, a) for i, o in enumerate(outcomes) for a in o.articles]
        if not articles:
            return outcomes
        extract_each = getattr(self.extractor, "extract_each", None)  # failures in the article's place
        extract_many = getattr(self.extractor, "extract_many", None)
        plain = [a for _, a in articles]
        results: list[list[Statement] | DeadLetter]
        if extract_each is None and extract_many is None:
            # One article at a time (the fast rules): a failure, or an article over its budget, is that
            # article's dead letter at once; nothing is extracted twice, no budget is spent twice.
            results = [self._extract_one(a, records[i]) for i, a in articles]
        else:
            try:
                if extract_each is not None:
                    results = [
                        self._failed(r, records[i]) if isinstance(r, Exception) else r
                        for (i, _), r in zip(articles, extract_each(plain), strict=True)
                    ]
                else:
                    results = list(extract_many(plain))  # type: ignore[misc]
            except Exception:  # a batch extractor should never raise; if it does, find the article that breaks it
                results = [self._extract_one(a, records[i]) for i, a in articles]
        for (i, article), result in zip(articles, results, strict=True):
            if isinstance(result, DeadLetter):
                outcomes[i].dead_letters.append(result)
            else:
                outcomes[i].statements.extend(self._marked(article, result))
        for outcome, record in zip(outcomes, records, strict=True):
            if outcome.statements:
                self._add_stances(outcome, record)
        return outcomes

    def _add_stances(self, outcome: ExtractOutcome, record: tuple[bytes | None, Origin]) -> None:
        articles = {article.id: article for article in outcome.articles}
        try:
            outcome.stances = [
                event
                for statement in outcome.statements
                for event in self.stances(statement, articles.get(statement.article_id))
            ]
        except Exception as exc:  # over its budget, or a bug: the statements still go out, the record is kept
            outcome.dead_letters.append(self._failed(exc, record))

    def _decode(self, value: bytes | None, origin: Origin) -> ExtractOutcome:
        """One record value through `streams.formats.read_record`: any wire format a record may hold."""
        size = len(value or b"")
        if size > self.settings.max_article_bytes:
            reason = f"record is {size} bytes, over the limit of {self.settings.max_article_bytes}"
            return ExtractOutcome(dead_letters=[self._dead_letter(value, origin, "too_large", reason)])
        where = f"{origin.topic}[{origin.partition}]@{origin.offset}" if origin.offset is not None else origin.topic
        articles, errors = read_record(value, origin=where, max_bytes=self.settings.max_article_bytes)
        return self._checked(articles, errors, value, origin)

    def _dead_letter(self, value: bytes | None, origin: Origin, reason: str, error: str) -> DeadLetter:
        return dead_letter(value, origin, reason, error, max_bytes=self.settings.max_message_bytes())

    def _checked(
        self, articles: list[RawArticle], errors: list[FormatError], value: bytes | None, origin: Origin
    ) -> ExtractOutcome:
        """Dead letters for the unreadable parts and for articles in a language the extractor does not read.

        Each dead letter keeps the whole record value, so one record gives at most
        `MAX_DEAD_LETTERS_PER_RECORD` of them: the last says how many more problems it had (a feed of
        10,000 broken items must not write 10,000 copies of itself to `news.dlq`)."""
        problems: list[tuple[str, str]] = [(e.kind, str(e)) for e in errors]
        outcome = ExtractOutcome()
        for article in articles:
            if (ahead := (article.published_at - utc_now()).total_seconds()) > self.settings.max_future_seconds:
                problems.append(
                    (
                        "invalid_record",
                        f"published_at: {article.published_at.isoformat()} is {ahead:.0f} s in the future, over "
                        f"the limit of {self.settings.max_future_seconds:g} s (max_future_seconds)",
                    )
                )
                continue
            unsupported = unsupported_language(article)
            if unsupported is None:
                outcome.articles.append(article)
                continue
            code, confidence, detected = unsupported
            how = f"detected with confidence {confidence:.2f}" if detected else "declared"
            read = ", ".join(sorted(SUPPORTED_LANGUAGES))
            problems.append(
                (
                    "unsupported_language",
                    f"unsupported_language: {code} ({how}; article {article.id}; the extractor reads {read})",
                )
            )
        if len(problems) > MAX_DEAD_LETTERS_PER_RECORD:
            kept, rest = problems[: MAX_DEAD_LETTERS_PER_RECORD - 1], problems[MAX_DEAD_LETTERS_PER_RECORD - 1 :]
            kinds = ", ".join(f"{kind} ×{n}" for kind, n in Counter(kind for kind, _ in rest).most_common())
            problems = [*kept, (rest[0][0], f"{rest[0][1]} (and {len(rest) - 1} more in this record: {kinds})")]
        outcome.dead_letters = [self._dead_letter(value, origin, kind, error) for kind, error in problems]
        return outcome

    @staticmethod
    def _marked(article: RawArticle, statements: list[Statement]) -> list[Statement]:
        """Each statement (and so its stance events) carries its article's version and content hash."""
        content = content_hash(article)
        return [s.model_copy(update={"article_version": article.version, "content_hash": content}) for s in statements]

    def _extract_one(self, article: RawArticle, record: tuple[bytes | None, Origin]) -> list[Statement] | DeadLetter:
        try:
            return self.extractor.extract(article)
        except Exception as exc:
            return self._failed(exc, record)

    def _failed(self, exc: Exception, record: tuple[bytes | None, Origin]) -> DeadLetter:
        value, origin = record
        if isinstance(exc, BudgetExceeded):
            return self._dead_letter(value, origin, OVER_BUDGET or "processing_error", f"over_budget: {exc}")
        error = f"{type(exc).__name__}: {exc}\n{''.join(traceback.format_exception(exc, limit=3))}"
        return self._dead_letter(value, origin, "processing_error", error)

    def fresh_stance(self, event: StanceEvent, seen: MutableMapping[str, object], offset: int | None = None) -> str:
        """`fresh`, or why the tracker must not fold this stance event in (`streams.core.duplicates`)."""
        return fresh_stance(event, seen, offset)

    def topic_label(self, topic: str) -> str:
        """A topic's label for people: the taxonomy's, or one made from an open topic's key (or the id)."""
        if topic in self.taxonomy:
            return self.taxonomy.label(topic)
        return open_label(topic) if is_open(topic) else topic

    def stances(self, statement: Statement, article: RawArticle | None = None) -> list[StanceEvent]:
        """The statement's stance events; with its `article`, a pronoun object in it ("described it as
        ...") is read as the object it points back to in the words before it (`preceding_words`)."""
        preceding = ""
        if article is not None:
            text = (article.headline if statement.field == "headline" else article.body) or ""
            if text[statement.start : statement.end] == statement.text:
                preceding = preceding_words(text, statement.start)
        return detect_stances(statement, self.taxonomy, budget_seconds=self.settings.stance_budget, preceding=preceding)

    def track(self, current: StanceSnapshot | None, event: StanceEvent, now: datetime | None = None) -> TrackResult:
        return track(current, event, self.settings.shift_threshold, now or utc_now())

    def alerts_for_change(
        self, change: StanceChange, last_fired: MutableMapping[str, str], now: datetime | None = None
    ) -> list[Alert]:
        return self.rules.on_change(change, last_fired, now or utc_now())

    def spike_counters(self) -> dict[str, WindowCounts]:
        """In-memory window counts for each spike rule (replay); the worker uses windowed tables instead."""
        return {rule.name: MemoryWindowCounts(rule.window, rule.baseline_windows) for rule in self.rules.spike_rules}

    def spike_alerts(
        self,
        record: Statement | StanceEvent,
        counters: Mapping[str, WindowCounts],
        last_fired: MutableMapping[str, str],
        now: datetime | None = None,
    ) -> list[Alert]:
        """Count `record` for every spike rule that counts it; alerts for the counts that spike."""
        alerts = []
        for rule in self.rules.spike_rules:
            if isinstance(record, StanceEvent):
                if not rule.counts_stance(record):
                    continue
                pair = f"{record.actor}|{record.topic}"
            else:
                if not rule.matches_statement(record):
                    continue
                pair = str(record.speaker.actor)
            current, baseline = counters[rule.name].add(pair, record.published_at)
            alert = self.rules.on_count(rule, record, current, baseline, last_fired, now or utc_now())
            if alert is not None:
                alerts.append(alert)
        return alerts

    def contested_alerts(
        self, change: StanceChange, topics: MutableMapping[str, Any], now: datetime | None = None
    ) -> list[Alert]:
        """Contested-topic alerts for one change; `topics` holds each topic's state (a Faust table keyed
        by topic in the worker, a dict in `replay`) and is updated in place."""
        if not self.rules.contested_rules:
            return []
        state, alerts = self.rules.on_topic_change(change, topics.get(change.topic), now or utc_now())
        topics[change.topic] = state
        return alerts

    def alerts_for_statement(
        self, statement: Statement, last_fired: MutableMapping[str, str], now: datetime | None = None
    ) -> list[Alert]:
        return self.rules.on_statement(statement, last_fired, now or utc_now())


def statement_key(statement: Statement) -> str:
    """Statements are keyed by actor so per-actor consumers (statement alert rules) see one partition."""
    return statement.speaker.actor or statement.article_id


def unsupported_language(article: RawArticle) -> tuple[str, float, bool] | None:
    """(code, confidence, detected) when the article is in a language the extractor does not read, else None.

    The declared `language` decides when there is one; else it is detected. A detection that is
    unsure on a few words (under 0.5 on fewer than five words) is taken as unknown and read:
    too little text to be misread at length, and too little to dead-letter on a guess.
    """
    code, confidence, detected = article_language(article.headline, article.body, article.language)
    if code is None or code in SUPPORTED_LANGUAGES:
        return None
    words = len(f"{article.headline} {article.body}".split())
    if detected and confidence < MIN_CONFIDENCE and words < MIN_CONFIDENT_WORDS:
        return None
    return code, confidence, detected
