"""The contract of every Stancewire topic: one pydantic model per topic.

Every record carries `schema_version`; a breaking change bumps it. Times are timezone-aware and
normalised to UTC. The JSON Schema files beside this package are generated from these models
(`stancewire schemas`), and a test fails when they drift.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

__all__ = [
    "Alert",
    "DeadLetter",
    "DeliveryFailure",
    "RawArticle",
    "Record",
    "Speaker",
    "StanceChange",
    "StanceEvent",
    "StanceSnapshot",
    "Statement",
    "utc_now",
]


_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}(:?\d{2})?)?")


def _iso_time(value: Any) -> Any:
    """Times from outside are ISO-8601 strings only: a number (Unix time?) or a bare date is refused."""
    if isinstance(value, datetime):
        return value  # built in this process
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO-8601 time string with a timezone, got {type(value).__name__}")
    if not _ISO_TIME.fullmatch(value):
        raise ValueError("expected an ISO-8601 time with a timezone, like 2025-01-31T09:30:00Z")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"not a valid ISO-8601 time: {exc}") from None


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-14:00 has no UTC time
        raise ValueError("time out of range once converted to UTC") from None


UtcDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_time), AfterValidator(_to_utc)]
"""A timezone-aware instant, stored in UTC; naive times are rejected rather than guessed, numbers too."""


def _exact_int(value: Any) -> Any:
    if type(value) is not int:  # True == 1.0 == 1 would pass Literal[1]
        got = "a boolean" if isinstance(value, bool) else type(value).__name__
        raise ValueError(f"expected the integer 1, got {got}")
    return value


SchemaVersion = Annotated[Literal[1], BeforeValidator(_exact_int)]

StanceValue = Literal["support", "oppose", "neutral"]
Score = Annotated[float, Field(ge=-1.0, le=1.0)]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Record(BaseModel):
    """Base of every topic record: strict about unknown fields and types, immutable once built.

    Strict: no coercion of what comes off a topic (`"1"` is no int, `true` no 1, a number no time);
    times are ISO-8601 strings with a zone (see `UtcDatetime`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RawArticle(Record):
    """`news.raw`: one wire article as fed in. Keyed by `id`."""

    schema_version: SchemaVersion = 1
    id: Annotated[str, Field(min_length=1, max_length=512)]
    headline: str
    body: str
    source: Annotated[str, Field(min_length=1)]
    published_at: UtcDatetime
    url: str | None = None
    language: str | None = None
    byline: str | None = None
    # Where the article came from, as delivered (set by `streams.formats`); null on records built before.
    format: Literal["jsonl", "ninjs", "newsml-g2", "rss", "atom", "jsonfeed", "text", "html"] | None = Field(
        default=None, description="The format the article was delivered in."
    )
    original_id: str | None = Field(
        default=None, description="The id as the format gives it: ninjs `uri`, NewsML-G2 `guid`, feed GUID or id."
    )
    version: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="The item's version when the format numbers them (ninjs, NewsML-G2)."
    )
    place: str | None = Field(default=None, description="Where it was reported from: the dateline or located place.")


class Speaker(Record):
    """Who made a statement, and the country or organisation they speak for (`actor`)."""

    name: str
    role: str | None = None
    organisation: str | None = None
    actor: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-3 for a country, a short id (EU, NATO, UN) for an organisation; "
        "null when unknown or anonymous.",
    )


class Statement(Record):
    """`news.statements`: who said what, with the character span it rests on.

    Keyed by the speaker's actor (the article id when there is none), so per-actor consumers see
    one partition per actor. `id` is deterministic: the same article always yields the same ids.
    """

    schema_version: SchemaVersion = 1
    id: str
    article_id: str
    published_at: UtcDatetime
    source: str
    url: str | None = None
    speaker: Speaker
    text: str = Field(description="The words said (direct) or reported (indirect).")
    kind: Literal["direct", "indirect"]
    verb: str | None = Field(default=None, description="The attribution verb or phrase, e.g. 'said'.")
    field: Literal["headline", "body"]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    channel: str | None = Field(default=None, description="Where it was reported, e.g. 'TASS' in 'according to TASS'.")
    confidence: Annotated[float, Field(ge=0.0, le=1.0)]
    context: str = Field(
        default="",
        description="The article's headline and lead sentence, for topic fallback in the stance step.",
    )
    # Set by the extract stage for the duplicate check (streams/core/duplicates.py); null on records built before.
    article_version: Annotated[int, Field(ge=0)] | None = Field(default=None, description="The article's version.")
    content_hash: str | None = Field(
        default=None, description="Hash of the article's normalised body: the same story in any format hashes alike."
    )


class StanceEvent(Record):
    """`news.stances`: an actor's stance on a taxonomy topic, from one statement. Keyed `actor|topic`."""

    schema_version: SchemaVersion = 1
    id: str
    actor: str
    topic: str
    topic_label: str
    stance: StanceValue
    score: Score
    statement_id: str
    article_id: str
    published_at: UtcDatetime
    speaker: str | None = None
    url: str | None = None
    evidence: str
    article_version: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="The article's version: a later one supersedes the earlier's stance."
    )
    content_hash: str | None = Field(
        default=None, description="The statement's content_hash: the tracker folds in one story once."
    )

    @property
    def key(self) -> str:
        return f"{self.actor}|{self.topic}"


class StanceSnapshot(Record):
    """A pair's stance at one point: what `stance.changes` reports before and after a move."""

    stance: StanceValue
    score: Score
    statement_id: str
    article_id: str
    published_at: UtcDatetime
    evidence: str = ""
    article_version: Annotated[int, Field(ge=0)] | None = None


class StanceChange(Record):
    """`stance.changes`: an actor's stance on a topic moved. Keyed `actor|topic`."""

    schema_version: SchemaVersion = 1
    id: str
    actor: str
    topic: str
    topic_label: str
    kind: Literal["new", "reversal", "shift"]
    previous: StanceSnapshot | None
    current: StanceSnapshot
    delta: float = Field(description="current.score - previous.score (current.score when new).")
    speaker: str | None = None
    url: str | None = None
    detected_at: UtcDatetime

    @property
    def key(self) -> str:
        return f"{self.actor}|{self.topic}"


class Alert(Record):
    """`alerts`: a rule fired on a stance change or a statement."""

    schema_version: SchemaVersion = 1
    id: str
    rule: str
    severity: Literal["info", "low", "medium", "high", "critical"]
    title: str
    summary: str
    actor: str | None
    topic: str | None = None
    change_id: str | None = None
    statement_id: str | None = None
    article_id: str
    url: str | None = None
    event_at: UtcDatetime = Field(description="When the underlying article was published.")
    created_at: UtcDatetime
    # Optional details for delivery (readable Slack messages); null on alerts built before they existed.
    speaker: str | None = Field(default=None, description="Who spoke, as named in the article.")
    topic_label: str | None = None
    change_kind: Literal["new", "reversal", "shift"] | None = Field(default=None, description="change rules only.")
    previous_stance: StanceValue | None = Field(default=None, description="change rules: the stance before.")
    current_stance: StanceValue | None = Field(default=None, description="change rules: the stance now.")
    evidence: str | None = Field(default=None, description="The words the alert rests on (quote or statement).")


class DeadLetter(Record):
    """`news.dlq`: a record the pipeline could not process, kept with the reason.

    Kept whole when it fits the producer's limit; otherwise a prefix of the value (and of a long key)
    is kept, `truncated` is true, and `value_size`/`value_sha256` (`key_size`/`key_sha256`) describe
    the original bytes."""

    schema_version: SchemaVersion = 1
    source_topic: str
    partition: int | None = None
    offset: int | None = None
    key_b64: str | None = Field(default=None, description="The original key bytes (or their prefix), base64.")
    value_b64: str = Field(description="The original value bytes (or their prefix when truncated), base64.")
    truncated: bool = Field(default=False, description="True when key_b64 or value_b64 holds only a prefix.")
    value_size: Annotated[int, Field(ge=0)] | None = Field(default=None, description="Bytes in the original value.")
    value_sha256: str | None = Field(default=None, description="SHA-256 (hex) of the original value bytes.")
    key_size: Annotated[int, Field(ge=0)] | None = Field(default=None, description="Bytes in the original key.")
    key_sha256: str | None = Field(default=None, description="SHA-256 (hex) of the original key bytes.")
    reason: Literal[
        "invalid_utf8",
        "invalid_json",
        "invalid_record",
        "too_large",
        "processing_error",
        "over_budget",
        "unsupported_language",
    ]
    error: str
    failed_at: UtcDatetime


class DeliveryFailure(Record):
    """`alerts.dlq`: an alert (or a digest of throttled alerts) that one route could not deliver."""

    schema_version: SchemaVersion = 1
    kind: Literal["alert", "digest"]
    alert: Alert | None = Field(default=None, description="The alert; null for a digest.")
    alert_ids: list[str] = Field(description="The alert, or the alerts folded into the digest (the first 1000).")
    rule: str
    route: str = Field(description="The route's name within its rule, e.g. 'webhook:OPS_WEBHOOK_URL'.")
    route_type: Literal["webhook", "slack", "file"]
    delivery_id: str
    attempts: Annotated[int, Field(ge=0)]
    last_status: int | None = Field(default=None, description="The last HTTP status, when there was one.")
    last_error: str
    failed_at: UtcDatetime
