"""extract: `news.raw` → `news.statements` (bad records → `news.dlq`)."""

from __future__ import annotations

import faust

from streams.agents import log, origin_of, publish
from streams.pipeline import Pipeline, statement_key
from streams.topics import Topics


def register(app: faust.App, topics: Topics, pipeline: Pipeline) -> None:
    @app.agent(topics.raw, name="extract")
    async def extract(stream: faust.StreamT) -> None:
        async for event in stream.events():
            outcome = pipeline.extract(event.value, origin_of(event))
            if outcome.dead_letter is not None:
                letter = outcome.dead_letter
                log.warning("dead letter (%s) at offset %s: %s", letter.reason, letter.offset, letter.error[:200])
                await publish(topics.dlq, event.message.key, letter)
            for statement in outcome.statements:
                await publish(topics.statements, statement_key(statement), statement)
