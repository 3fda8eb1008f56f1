"""stance: `news.statements` → `news.stances`, keyed `actor|topic` for the track agent's table."""

from __future__ import annotations

import faust

from schemas import Statement
from streams.core.pipeline import Pipeline
from streams.runtime.agents.loop import guarded, publish, records
from streams.runtime.topics import Topics


def register(app: faust.App, topics: Topics, pipeline: Pipeline) -> None:
    @app.agent(topics.statements, name="stance")
    async def stance(stream: faust.StreamT) -> None:
        async for event, statement in records(stream, Statement, topics.dlq):
            for stance_event in await guarded(event, topics.dlq, pipeline.stances, statement) or ():
                await publish(topics.stances, stance_event.key, stance_event, source=event)
