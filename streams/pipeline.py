"""The pipeline's stages as plain methods, shared by the Faust agents and by offline `replay`.

Each agent is a thin loop that decodes an event, calls one method here and sends what it returns;
`replay` calls the same methods in order with dicts in place of Faust tables. Nothing here imports
Faust or a Kafka client.
"""

from __future__ import annotations

import base64
import traceback
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import datetime

from schemas import (
    Alert,
    DeadLetter,
    DecodeError,
    RawArticle,
    StanceChange,
    StanceEvent,
    StanceSnapshot,
    Statement,
    decode,
    utc_now,
)
from streams.alerting import AlertRules
from streams.nlp.extract import Extractor, FastExtractor
from streams.nlp.stance import detect_stances
from streams.nlp.taxonomy import Taxonomy
from streams.settings import Settings
from streams.tracking import TrackResult, track

__all__ = ["ExtractOutcome", "Origin", "Pipeline", "dead_letter", "statement_key"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a consumed record came from, for its dead letter."""

    topic: str
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None


@dataclass(slots=True)
class ExtractOutcome:
    article: RawArticle | None = None
    statements: list[Statement] = field(default_factory=list)
    dead_letter: DeadLetter | None = None


def dead_letter(value: bytes | None, origin: Origin, reason: str, error: str) -> DeadLetter:
    return DeadLetter(
        source_topic=origin.topic,
        partition=origin.partition,
        offset=origin.offset,
        key_b64=base64.b64encode(origin.key).decode() if origin.key is not None else None,
        value_b64=base64.b64encode(value or b"").decode(),
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
        self.extractor = extractor or FastExtractor()
        self.taxonomy = taxonomy or Taxonomy.load(settings.taxonomy)
        self.rules = rules or AlertRules.load(settings.rules)

    def extract(self, value: bytes | None, origin: Origin) -> ExtractOutcome:
        """Statements of one raw record, or the dead letter saying why there are none."""
        size = len(value or b"")
        if size > self.settings.max_article_bytes:
            reason = f"record is {size} bytes, over the limit of {self.settings.max_article_bytes}"
            return ExtractOutcome(dead_letter=dead_letter(value, origin, "too_large", reason))
        try:
            article = decode(value, RawArticle)
        except DecodeError as exc:
            return ExtractOutcome(dead_letter=dead_letter(value, origin, exc.reason, str(exc)))
        try:
            statements = self.extractor.extract(article)
        except Exception as exc:  # the extractor should never raise; if it does, keep the article
            error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
            return ExtractOutcome(article, dead_letter=dead_letter(value, origin, "processing_error", error))
        return ExtractOutcome(article, statements)

    def stances(self, statement: Statement) -> list[StanceEvent]:
        return detect_stances(statement, self.taxonomy)

    def track(self, current: StanceSnapshot | None, event: StanceEvent, now: datetime | None = None) -> TrackResult:
        return track(current, event, self.settings.shift_threshold, now or utc_now())

    def alerts_for_change(
        self, change: StanceChange, last_fired: MutableMapping[str, str], now: datetime | None = None
    ) -> list[Alert]:
        return self.rules.on_change(change, last_fired, now or utc_now())

    def alerts_for_statement(
        self, statement: Statement, last_fired: MutableMapping[str, str], now: datetime | None = None
    ) -> list[Alert]:
        return self.rules.on_statement(statement, last_fired, now or utc_now())


def statement_key(statement: Statement) -> str:
    """Statements are keyed by actor so per-actor consumers (statement alert rules) see one partition."""
    return statement.speaker.actor or statement.article_id
