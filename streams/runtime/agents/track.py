"""track: `news.stance-candidates` → `news.stances` and `stance.changes`, each `actor|topic` pair's stance in a Table.

The candidates topic is keyed `actor|topic`, so the tables are partitioned with it: a pair's state
lives in the changelog partition of the events that update it, and moves with it on a rebalance.
The `stance-seen` table, keyed under the same pair, recognises a repeated story (re-sent, another
format, an older version; `streams/core/duplicates.py` says why the check is here): only a fresh
event is published to `news.stances` and folded into the pair's state, so `news.stances` carries
each story's stance events once. Under exactly-once that publish, the changes and every table write
go out in the transaction of the candidate's offset (`streams.runtime.agents.loop.publish`).
Each change's alerts are decided here too, by the alert agent's `on_change` (`alert.py` says why).
When the rules have a contested rule, each change also goes to `stance.changes.by-topic` keyed by its
topic (a repartition: the `alert-contested` agent sees every actor of one topic in one partition).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import faust

from schemas import StanceChange, StanceEvent, StanceSnapshot
from streams.core.history import HISTORY_LENGTH, ChangeHistory
from streams.core.pipeline import Pipeline
from streams.runtime import metrics
from streams.runtime.agents.loop import guarded, publish, records
from streams.runtime.topics import HISTORY_TABLE, SEEN_TABLE, STANCE_TABLE, Topics
from streams.settings import Settings


def register(
    app: faust.App,
    topics: Topics,
    pipeline: Pipeline,
    settings: Settings,
    on_change: Callable[[faust.EventT, StanceChange], Awaitable[None]] | None = None,
) -> None:
    """`on_change(event, change)`: called for each change, after it is published (the alerts)."""
    state = app.Table(
        STANCE_TABLE,
        partitions=settings.partitions,
        help="Current stance of each actor|topic pair.",
    )
    history = ChangeHistory(
        app.Table(
            HISTORY_TABLE,
            partitions=settings.partitions,
            help=f"The last {HISTORY_LENGTH} changes of each actor|topic pair, one entry each (core/history.py).",
        )
    )
    seen = app.Table(
        SEEN_TABLE,
        partitions=settings.partitions,
        help="Stories and item versions seen per actor|topic pair: a repeated story moves its pair once.",
    )

    by_topic = bool(pipeline.rules.contested_rules)

    @app.agent(topics.stance_candidates, name="track")
    async def track(stream: faust.StreamT) -> None:
        async for event, stance_event in records(stream, StanceEvent, topics.dlq):
            key = stance_event.key
            verdict = await guarded(event, topics.dlq, pipeline.fresh_stance, stance_event, seen, event.message.offset)
            if verdict != "fresh":  # the same story again, or an older version (streams/core/duplicates.py)
                if verdict is not None:
                    metrics.repeated_stance(verdict)
                continue
            await publish(topics.stances, key, stance_event, source=event)
            stored = state.get(key)
            current = StanceSnapshot.model_validate(stored) if stored else None
            result = await guarded(event, topics.dlq, pipeline.track, current, stance_event)
            if result is None:
                continue
            # The change and its alerts are sent before the tables that remember them are written: at
            # least once, a stored state that reached the changelog ahead of its change would make the
            # input, processed again after a crash, a "duplicate" with no change (HeldWrites says more).
            if result.change is not None:
                await publish(topics.changes, key, result.change, source=event)
                if on_change is not None:
                    await on_change(event, result.change)
                if by_topic:
                    await publish(
                        topics.topic_changes, result.change.topic, result.change, source=event, repartition=True
                    )
                history.add(key, result.change.model_dump(mode="json"))
            if result.state is not None:
                state[key] = result.state.model_dump(mode="json")
