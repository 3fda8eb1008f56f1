"""extract: `news.raw` → `news.statements` and `news.stance-candidates` (bad records → `news.dlq`).

A record value may be any wire format `streams.formats.read_record` reads (RawArticle JSON, ninjs,
JSON Feed, NewsML-G2, RSS, Atom) and may hold several articles; each unreadable part, and each
article in an unsupported language, is a dead letter of its own (`Pipeline.extract_batch`).

Articles are taken in small batches and extracted off the event loop (a process pool, or a thread for
the rules on one core: `ExtractPool.processes_for`), so a slow parse never stalls the stream,
heartbeats or other agents. The stance step runs there too: each statement's stance events are
published with it, keyed `actor|topic`, to `news.stance-candidates`; the track agent passes each
story's events on to `news.stances` once (`streams/core/duplicates.py` says why the check cannot be
made here).
"""

from __future__ import annotations

import faust

from streams.core.pipeline import Pipeline, dead_letter_key, statement_key
from streams.runtime import metrics
from streams.runtime.agents.loop import log, origin_of, publish
from streams.runtime.extract_pool import ExtractPool
from streams.runtime.topics import Topics


def register(app: faust.App, topics: Topics, pipeline: Pipeline, pool: ExtractPool | None = None) -> None:
    """`pool`: one started before the App (its extractor warming up meanwhile), kept by its maker, who
    closes it; without one the agent makes its own each time it starts and closes it as it stops."""

    @app.agent(topics.raw, name="extract")
    async def extract(stream: faust.StreamT) -> None:
        own = pool is None
        extracting = ExtractPool(pipeline) if pool is None else pool
        try:
            async for events, outcomes in extracting.batches(
                stream, pipeline.settings.extract_batch, origin_of, metrics.extraction_seconds
            ):  # the next batches are extracted while this one is published
                metrics.articles_consumed(len(events))
                for event, outcome in zip(events, outcomes, strict=True):
                    for letter in outcome.dead_letters:  # one record may hold several articles, each may fail
                        log.warning(
                            "dead letter (%s) at offset %s: %s", letter.reason, letter.offset, letter.error[:200]
                        )
                        await publish(topics.dlq, dead_letter_key(event.message.key), letter, source=event)
                    for statement in outcome.statements:
                        await publish(topics.statements, statement_key(statement), statement, source=event)
                    for stance_event in outcome.stances:  # keyed actor|topic for the track agent's tables
                        # counted once it reaches news.stances (the track agent), not as a candidate
                        await publish(
                            topics.stance_candidates, stance_event.key, stance_event, source=event, repartition=True
                        )
                    event.ack()  # its outputs are sent (or attached, under exactly-once): its offset may be committed
        finally:
            if own:
                extracting.close()
