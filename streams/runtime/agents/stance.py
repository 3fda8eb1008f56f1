"""stance: `news.statements` → `news.stances`, keyed `actor|topic` for the track agent's table.

Before a statement makes stance events it is checked against the `statement-seen` table (keyed like
`news.statements`, by actor, so co-partitioned with it and changelogged): a re-sent statement, the
same story under another id or an older version of an item seen already makes none
(`streams/core/duplicates.py` says why the check is here).
"""

from __future__ import annotations

import faust

from schemas import Statement
from streams.core.pipeline import Pipeline
from streams.runtime import metrics
from streams.runtime.agents.loop import guarded, publish, records
from streams.runtime.topics import SEEN_TABLE, Topics


def register(app: faust.App, topics: Topics, pipeline: Pipeline) -> None:
    seen = app.Table(
        SEEN_TABLE,
        partitions=pipeline.settings.partitions,
        help="Stories and item versions seen per actor, so a repeated story makes no second stance events.",
    )

    @app.agent(topics.statements, name="stance")
    async def stance(stream: faust.StreamT) -> None:
        async for event, statement in records(stream, Statement, topics.dlq):
            verdict = await guarded(event, topics.dlq, pipeline.fresh_statement, statement, seen, event.message.offset)
            if verdict != "fresh":
                if verdict is not None:
                    metrics.repeated_statement(verdict)
                continue
            for stance_event in await guarded(event, topics.dlq, pipeline.stances, statement) or ():
                await publish(topics.stances, stance_event.key, stance_event, source=event)
