"""Spike rules: counts per actor in tumbling windows against their own baseline (pure functions)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import StanceEvent, Statement
from streams.core.alerting import AlertRules, MemoryWindowCounts, RulesError
from streams.core.pipeline import Pipeline
from streams.settings import Settings
from tests import factories

T0 = datetime(2025, 9, 1, tzinfo=UTC)
RULES = """
rules:
  - name: rus-spike
    trigger: spike
    count: statements
    actors: [RUS]
    window: 1h
    baseline_windows: 6
    factor: 3
    min_count: 6
    severity: high
  - name: pair-spike
    trigger: spike
    count: stances
    topics: [sanctions-russia]
    window: 1h
    baseline_windows: 3
    factor: 2
    min_count: 3
"""


@pytest.fixture
def pipeline(tmp_path: Path) -> Pipeline:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES)
    return Pipeline(Settings(rules=path, extractor="fast"))


def statement(n: int, at: datetime, actor: str = "RUS") -> Statement:
    return factories.statement(
        "We will respond.", id=f"s{n}", article_id=f"a{n}", published_at=at, speaker="X", actor=actor
    )


def run(pipeline: Pipeline, times: list[datetime], actor: str = "RUS") -> list:
    counters, fired = pipeline.spike_counters(), {}
    return [a for n, at in enumerate(times) for a in pipeline.spike_alerts(statement(n, at, actor), counters, fired)]


def steady(hours: int, per_hour: int) -> list[datetime]:
    return [T0 + timedelta(hours=h, minutes=m * 60 // per_hour) for h in range(hours) for m in range(per_hour)]


def test_steady_traffic_never_spikes(pipeline: Pipeline) -> None:
    assert run(pipeline, steady(hours=12, per_hour=4)) == []


def test_a_burst_over_the_baseline_fires_once_per_window(pipeline: Pipeline) -> None:
    burst_hour = T0 + timedelta(hours=8)
    times = steady(hours=8, per_hour=2) + [burst_hour + timedelta(minutes=3 * i) for i in range(15)]
    alerts = run(pipeline, times)
    assert len(alerts) == 1
    alert = alerts[0]
    assert (alert.rule, alert.actor, alert.severity) == ("rus-spike", "RUS", "high")
    assert alert.title.startswith("Spike: 6 statements by RUS")  # fires when the count reaches 3 × 2.0 = 6
    assert alert.event_at >= burst_hour


def test_min_count_guards_quiet_actors_and_other_actors_are_not_counted(pipeline: Pipeline) -> None:
    assert run(pipeline, [T0 + timedelta(minutes=i) for i in range(5)]) == []  # 5 < min_count, baseline 0
    assert run(pipeline, [T0 + timedelta(minutes=i) for i in range(20)], actor="FRA") == []  # rule watches RUS


def test_stance_spikes_count_per_actor_and_topic(pipeline: Pipeline) -> None:
    counters, fired = pipeline.spike_counters(), {}

    def stance(n: int, topic: str) -> StanceEvent:
        return StanceEvent(
            id=f"e{n}",
            actor="HUN",
            topic=topic,
            topic_label=topic,
            stance="oppose",
            score=-0.8,
            statement_id=f"s{n}",
            article_id=f"a{n}",
            published_at=T0 + timedelta(minutes=n),
            evidence="…",
        )

    other = [a for n in range(10) for a in pipeline.spike_alerts(stance(n, "peace-talks"), counters, fired)]
    watched = [a for n in range(10, 14) for a in pipeline.spike_alerts(stance(n, "sanctions-russia"), counters, fired)]
    assert other == []
    assert [(a.actor, a.topic) for a in watched] == [("HUN", "sanctions-russia")]


def test_memory_window_counts_keep_only_the_baseline() -> None:
    counts = MemoryWindowCounts(timedelta(hours=1), baseline_windows=2)
    for h in range(5):
        counts.add("k", T0 + timedelta(hours=h))
    current, baseline = counts.add("k", T0 + timedelta(hours=4, minutes=5))
    assert (current, baseline) == (2, [1, 1])
    assert sorted(counts.counts["k"]) == [int((T0 + timedelta(hours=h)).timestamp() // 3600) for h in (2, 3, 4)]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("{name: s, trigger: spike, count: stances, keywords: [x]}", "count statements"),
        ("{name: s, trigger: spike, factor: 1}", "factor"),
        ("{name: s, trigger: spike, window: 0s}", "window must be positive"),
        ("{name: 'has space', trigger: spike}", "name"),
    ],
)
def test_bad_spike_rules_are_refused(tmp_path: Path, rule: str, problem: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(f"rules: [{rule}]")
    with pytest.raises(RulesError, match=problem):
        AlertRules.load(path)
