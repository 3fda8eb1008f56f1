"""Record builders for every test: one function per topic record, sensible defaults, keyword overrides.

Each returns a valid record of `schemas`; pass only what the test is about (and `offline_app`, the
Faust app the agent tests register agents on). Times default to
`T0` (2025-09-08 12:00 UTC) so tests that compare times can build on it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemas import Alert, RawArticle, Speaker, StanceChange, StanceEvent, StanceSnapshot, Statement

if TYPE_CHECKING:
    import faust

__all__ = ["T0", "alert", "article", "change", "offline_app", "snapshot", "stance_event", "statement"]

T0 = datetime(2025, 9, 8, 12, 0, tzinfo=UTC)


def article(body: str = "B", headline: str = "H", *, id: str = "a1", **overrides: Any) -> RawArticle:
    fields: dict[str, Any] = {
        "id": id,
        "headline": headline,
        "body": body,
        "source": "test-wire",
        "published_at": T0,
        "url": f"https://example.test/{id}",
    }
    return RawArticle.model_validate({**fields, **overrides})


def statement(
    text: str = "We reject new sanctions on Russia.",
    *,
    speaker: str = "Viktor Orban",
    actor: str | None = "HUN",
    kind: str = "indirect",
    **overrides: Any,
) -> Statement:
    """A statement whose span is its whole text (offsets 0…len(text)) in the article body."""
    fields: dict[str, Any] = {
        "id": "s1",
        "article_id": "a1",
        "published_at": T0,
        "source": "t",
        "url": "https://example.test/a1",
        "speaker": Speaker(name=speaker, actor=actor),
        "text": text,
        "kind": kind,
        "verb": "said",
        "field": "body",
        "start": 0,
        "end": len(text),
        "confidence": 0.9,
    }
    return Statement.model_validate({**fields, **overrides})


def stance_event(
    stance: str = "support",
    score: float = 0.8,
    *,
    statement_id: str = "s1",
    actor: str = "HUN",
    topic: str = "sanctions-russia",
    topic_label: str = "Sanctions on Russia",
    **overrides: Any,
) -> StanceEvent:
    fields: dict[str, Any] = {
        "id": f"e-{statement_id}",
        "actor": actor,
        "topic": topic,
        "topic_label": topic_label,
        "stance": stance,
        "score": score,
        "statement_id": statement_id,
        "article_id": f"a-{statement_id}",
        "published_at": T0,
        "evidence": f"words of {statement_id}",
    }
    return StanceEvent.model_validate({**fields, **overrides})


def snapshot(
    stance: str = "oppose", score: float = -0.7, *, statement_id: str = "s2", **overrides: Any
) -> StanceSnapshot:
    fields: dict[str, Any] = {
        "stance": stance,
        "score": score,
        "statement_id": statement_id,
        "article_id": f"a-{statement_id}",
        "published_at": T0,
        "evidence": "We reject it." if stance == "oppose" else "We back it.",
    }
    return StanceSnapshot.model_validate({**fields, **overrides})


def change(
    kind: str = "reversal",
    *,
    actor: str = "HUN",
    topic: str = "sanctions-russia",
    topic_label: str = "Sanctions on Russia",
    previous: StanceSnapshot | None = None,
    current: StanceSnapshot | None = None,
    delta: float = -1.5,
    id: str = "c1",
    **overrides: Any,
) -> StanceChange:
    """A change from support (a day before T0) to oppose (at T0); `kind="new"` has no previous."""
    if previous is None and kind != "new":
        previous = snapshot("support", 0.7, statement_id="s1", published_at=T0 - timedelta(days=1))
    fields: dict[str, Any] = {
        "id": id,
        "actor": actor,
        "topic": topic,
        "topic_label": topic_label,
        "kind": kind,
        "previous": previous,
        "current": current or snapshot(),
        "delta": delta,
        "detected_at": T0,
    }
    return StanceChange.model_validate({**fields, **overrides})


def alert(n: int = 1, *, at: datetime = T0, **overrides: Any) -> Alert:
    fields: dict[str, Any] = {
        "id": f"a{n}",
        "rule": "stance-reversal",
        "severity": "high",
        "title": f"alert {n}",
        "summary": "s",
        "actor": "HUN",
        "topic": "sanctions-russia",
        "article_id": "x",
        "event_at": at - timedelta(hours=1),
        "created_at": at,
    }
    return Alert.model_validate({**fields, **overrides})


def offline_app(name: str, datadir: Path) -> faust.App:
    """A Faust app that never connects (`test_context` feeds its agents a channel), memory tables, raw bytes."""
    import faust  # here, so the record builders stay cheap to import

    return faust.App(
        name,
        broker="kafka://127.0.0.1:9",
        store="memory://",
        key_serializer="raw",
        value_serializer="raw",
        autodiscover=False,
        datadir=str(datadir),
    )
