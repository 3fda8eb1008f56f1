"""Stance tracking as a pure function: the track agent and `replay` both call `track`.

The state of one `actor|topic` pair is its current `StanceSnapshot`. Ordering is by the article's
`published_at`, not by arrival, so an older article that arrives late cannot overwrite a newer stance.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from schemas import StanceChange, StanceEvent, StanceSnapshot

__all__ = ["TrackResult", "change_id", "snapshot_of", "track"]


@dataclass(frozen=True, slots=True)
class TrackResult:
    """What one stance event does to its pair: the state to store (None: keep) and the change to emit."""

    state: StanceSnapshot | None
    change: StanceChange | None
    outcome: str  # new | reversal | shift | updated | stale | duplicate | same_article | superseded


def snapshot_of(event: StanceEvent) -> StanceSnapshot:
    return StanceSnapshot(
        stance=event.stance,
        score=event.score,
        statement_id=event.statement_id,
        article_id=event.article_id,
        published_at=event.published_at,
        evidence=event.evidence,
        article_version=event.article_version,
    )


def change_id(actor: str, topic: str, statement_id: str) -> str:
    """Deterministic: a redelivered stance event yields a change with the same id."""
    return hashlib.sha1(f"{actor}|{topic}|{statement_id}".encode()).hexdigest()[:20]


def track(
    current: StanceSnapshot | None,
    event: StanceEvent,
    shift_threshold: float,
    now: datetime,
) -> TrackResult:
    """Fold one stance event into its pair's state.

    - first stance of the pair: `new`
    - support ↔ oppose: `reversal`
    - otherwise a score move of at least `shift_threshold`: `shift`
    - a smaller move updates the stored stance silently (`updated`)
    - an event older than the stored one (`stale`) or the very same statement (`duplicate`) is ignored
    - another statement of the article already stored refines it (`same_article`): the strongest
      evidence is kept, but a change is only reported between articles, not within one
    - a later version of the article already stored replaces its stance (`superseded`), without a
      change: a corrected story is the same report, not the actor moving; an earlier one is `stale`
    """
    incoming = snapshot_of(event)
    if current is not None:
        if incoming.statement_id == current.statement_id:
            return TrackResult(None, None, "duplicate")
        if (
            incoming.article_id == current.article_id
            and incoming.article_version is not None
            and current.article_version is not None
            and incoming.article_version != current.article_version
        ):
            newer = incoming.article_version > current.article_version
            return TrackResult(incoming, None, "superseded") if newer else TrackResult(None, None, "stale")
        if incoming.published_at < current.published_at:
            return TrackResult(None, None, "stale")
        if incoming.article_id == current.article_id:
            stronger = incoming if abs(incoming.score) > abs(current.score) else None
            return TrackResult(stronger, None, "same_article")
    kind = classify(current, incoming, shift_threshold)
    if kind is None:
        return TrackResult(incoming, None, "updated")
    change = StanceChange(
        id=change_id(event.actor, event.topic, event.statement_id),
        actor=event.actor,
        topic=event.topic,
        topic_label=event.topic_label,
        kind=kind,
        previous=current,
        current=incoming,
        delta=round(incoming.score - (current.score if current else 0.0), 4),
        speaker=event.speaker,
        url=event.url,
        detected_at=now,
    )
    return TrackResult(incoming, change, kind)


def classify(previous: StanceSnapshot | None, current: StanceSnapshot, shift_threshold: float) -> str | None:
    if previous is None:
        return "new"
    if {previous.stance, current.stance} == {"support", "oppose"}:
        return "reversal"
    if abs(current.score - previous.score) >= shift_threshold:
        return "shift"
    return None
