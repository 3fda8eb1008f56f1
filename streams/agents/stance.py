"""stance: `news.statements` → `news.stances`, keyed `actor|topic` for the track agent's table."""

from __future__ import annotations

import faust

from schemas import Statement
from streams.agents import decode_or_dead_letter, guarded, publish
from streams.pipeline import Pipeline
from streams.topics import Topics


def register(app: faust.App, topics: Topics, pipeline: Pipeline) -> None:
    @app.agent(topics.statements, name="stance")
    async def stance(stream: faust.StreamT) -> None:
        async for event in stream.events():
            statement = await decode_or_dead_letter(event, Statement, topics.dlq)
            if statement is None:
                continue
            for stance_event in await guarded(event, topics.dlq, pipeline.stances, statement) or ():
                await publish(topics.stances, stance_event.key, stance_event, source=event)
