"""alert: stance changes (in the track agent) and, by rule, `news.statements` and `news.stances` → `alerts`.

A change's alerts are decided where the change is made, in the track agent (`on_change`, handed to
`streams.runtime.agents.track.register`): the change is in hand there, keyed by its pair in the
pair's partition, so a hop that consumed `stance.changes` again only to read it back would cost a
consume, a decode and a fetch wait per change (`docs/performance.md`). `stance.changes` is still
published for every subscriber. A table remembers when each rule last fired per pair, for duplicate
suppression. Changes and stances are keyed `actor|topic` and statements by actor, so each
suppression key, and each spike rule's windowed count, is always written from one partition.
Contested rules read `stance.changes.by-topic` (keyed by topic) and keep their state, suppression
included, in a table keyed by topic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import faust

from schemas import StanceChange, StanceEvent, Statement
from streams.core.alerting import AlertRule, WindowCounts
from streams.core.pipeline import Pipeline
from streams.runtime.agents.loop import HeldWrites, guarded, publish, records
from streams.runtime.topics import ALERT_TABLE, CONTESTED_TABLE, Topics, spike_table_name
from streams.settings import Settings


class TableWindowCounts(WindowCounts):
    """A spike rule's counts in a Faust tumbling-window table, windows placed by article time."""

    def __init__(self, app: faust.App, rule: AlertRule, partitions: int) -> None:
        self.size = rule.window.total_seconds()
        self.baseline_windows = rule.baseline_windows
        self.table = app.Table(
            spike_table_name(rule), default=int, partitions=partitions, help=f"Windowed counts of rule {rule.name}."
        ).tumbling(rule.window, expires=rule.window * (rule.baseline_windows + 2))

    def add(self, key: str, at: datetime) -> tuple[int, list[int]]:
        ts = at.timestamp()
        self.table.relative_to(ts)[key] += 1
        current = self.table.relative_to(ts)[key].value()
        baseline = [
            self.table.relative_to(ts - k * self.size)[key].value() for k in range(1, self.baseline_windows + 1)
        ]
        return current, baseline


ChangeAlerts = Callable[[faust.EventT, StanceChange], Awaitable[None]]


def register(app: faust.App, topics: Topics, pipeline: Pipeline, settings: Settings) -> ChangeAlerts:
    """Wire the alert agents and tables; returns `on_change(event, change)`, which the track agent calls
    for each change it makes, with the candidate it made it from (the alerts' source, for exactly-once)."""
    last_fired = app.Table(
        ALERT_TABLE,
        partitions=settings.partitions,
        help="When each alert rule last fired per pair (article time, ISO-8601).",
    )
    counters = {rule.name: TableWindowCounts(app, rule, settings.partitions) for rule in pipeline.rules.spike_rules}

    def statement_alerts(statement: Statement, claims: HeldWrites) -> list:
        return pipeline.alerts_for_statement(statement, claims) + pipeline.spike_alerts(statement, counters, claims)

    async def on_change(event: faust.EventT, change: StanceChange) -> None:
        claims = HeldWrites(last_fired)  # written once the alerts are sent (HeldWrites says why)
        for alert in await guarded(event, topics.dlq, pipeline.alerts_for_change, change, claims) or ():
            await publish(topics.alerts, change.key, alert, source=event)
        claims.apply()

    if pipeline.rules.reads_statements:

        @app.agent(topics.statements, name="alert-statements")
        async def alert_on_statements(stream: faust.StreamT) -> None:
            async for event, statement in records(stream, Statement, topics.dlq):
                claims = HeldWrites(last_fired)
                for alert in await guarded(event, topics.dlq, statement_alerts, statement, claims) or ():
                    await publish(topics.alerts, event.message.key, alert, source=event)
                claims.apply()

    if pipeline.rules.reads_stances:

        @app.agent(topics.stances, name="alert-stances")
        async def alert_on_stances(stream: faust.StreamT) -> None:
            async for event, stance in records(stream, StanceEvent, topics.dlq):
                claims = HeldWrites(last_fired)
                for alert in await guarded(event, topics.dlq, pipeline.spike_alerts, stance, counters, claims) or ():
                    await publish(topics.alerts, stance.key, alert, source=event)
                claims.apply()

    if pipeline.rules.contested_rules:
        contested = app.Table(
            CONTESTED_TABLE,
            partitions=settings.partitions,
            help="Per topic: each actor's latest stance and when each contested rule last fired.",
        )

        @app.agent(topics.topic_changes, name="alert-contested")
        async def alert_on_contested(stream: faust.StreamT) -> None:
            async for event, change in records(stream, StanceChange, topics.dlq):
                state = HeldWrites(contested)  # the topic's state holds the rule's suppression too
                for alert in await guarded(event, topics.dlq, pipeline.contested_alerts, change, state) or ():
                    await publish(topics.alerts, change.topic, alert, source=event)
                state.apply()

    return on_change
