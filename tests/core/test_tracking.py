"""Stance tracking: new, reversal, shift, silent update, and event-time ordering."""

from datetime import UTC, datetime, timedelta

from schemas import StanceEvent
from streams.core.tracking import track
from tests import factories

T0 = datetime(2025, 9, 4, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def event(stance: str, score: float, statement: str, hours: float = 0) -> StanceEvent:
    return factories.stance_event(
        stance, score, statement_id=statement, actor="RUS", published_at=T0 + timedelta(hours=hours)
    )


def fold(events: list[StanceEvent], threshold: float = 0.5) -> list[str]:
    state, outcomes = None, []
    for ev in events:
        result = track(state, ev, threshold, NOW)
        if result.state is not None:
            state = result.state
        outcomes.append(result.outcome if result.change is None else result.change.kind)
    return outcomes


def test_first_stance_is_new_and_carries_no_previous() -> None:
    result = track(None, event("support", 0.7, "s1"), 0.5, NOW)
    assert result.change is not None and result.change.kind == "new"
    assert result.change.previous is None
    assert result.change.delta == 0.7
    assert result.change.current.evidence == "words of s1"


def test_support_to_oppose_is_a_reversal_with_both_sides() -> None:
    first = track(None, event("support", 0.6, "s1"), 0.5, NOW)
    second = track(first.state, event("oppose", -0.8, "s2", hours=2), 0.5, NOW)
    assert second.change is not None and second.change.kind == "reversal"
    assert second.change.previous.statement_id == "s1"
    assert second.change.current.statement_id == "s2"
    assert second.change.delta == -1.4


def test_shift_needs_the_threshold_and_small_moves_update_silently() -> None:
    assert fold([event("neutral", 0.0, "s1"), event("support", 0.3, "s2", 1), event("support", 0.9, "s3", 2)]) == [
        "new",
        "updated",
        "shift",
    ]


def test_late_older_article_does_not_overwrite_newer_stance() -> None:
    newer = track(None, event("oppose", -0.8, "s2", hours=5), 0.5, NOW)
    late = track(newer.state, event("support", 0.8, "s1", hours=1), 0.5, NOW)
    assert late.outcome == "stale"
    assert late.state is None and late.change is None


def test_redelivered_statement_is_a_duplicate_and_ids_are_deterministic() -> None:
    first = track(None, event("support", 0.6, "s1"), 0.5, NOW)
    again = track(first.state, event("support", 0.6, "s1"), 0.5, NOW)
    assert again.outcome == "duplicate"
    assert track(None, event("support", 0.6, "s1"), 0.5, NOW).change.id == first.change.id
    assert track(None, event("support", 0.6, "s9"), 0.5, NOW).change.id != first.change.id


def test_statements_of_one_article_refine_its_stance_without_reporting_changes() -> None:
    first = track(None, event("oppose", -0.3, "s1"), 0.5, NOW)
    same = event("oppose", -0.9, "s2").model_copy(update={"article_id": "a-s1"})
    weaker = event("support", 0.2, "s3").model_copy(update={"article_id": "a-s1"})
    refined = track(first.state, same, 0.5, NOW)
    assert refined.outcome == "same_article" and refined.change is None
    assert refined.state is not None and refined.state.score == -0.9
    assert track(refined.state, weaker, 0.5, NOW).state is None  # weaker evidence keeps the stored stance
