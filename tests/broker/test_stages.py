"""The lag stages are the agents the worker runs with its rules (`stages_of`), in pipeline order."""

from __future__ import annotations

from pathlib import Path

from streams.broker.lag import stages_of
from streams.settings import Settings


def stage_names(settings: Settings, deliver: bool = True) -> list[str]:
    return [stage for stage, _ in stages_of(settings, deliver)]


def test_the_default_rules_read_statements_and_topic_changes() -> None:
    settings = Settings(topic_prefix="p.")
    assert stages_of(settings) == [
        ("extract", "p.news.raw"),
        ("track", "p.news.stance-candidates"),
        ("alert-statements", "p.news.statements"),
        ("alert-contested", "p.stance.changes.by-topic"),
    ]  # no route: nothing reads alerts


def test_change_rules_alone_need_no_alert_stage(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {name: flips, trigger: change, kinds: [reversal], severity: high}\n")
    assert stage_names(Settings(rules=rules)) == ["extract", "track"]  # track decides change alerts


def test_stance_spikes_and_routes_add_their_stages(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - {name: burst, trigger: spike, count: stances, window: 1h, severity: low,\n"
        "     routes: [{type: file, path: alerts.jsonl}]}\n"
    )
    settings = Settings(rules=rules)
    assert stage_names(settings) == ["extract", "track", "alert-stances", "deliver"]
    assert stage_names(settings, deliver=False) == ["extract", "track", "alert-stances"]
