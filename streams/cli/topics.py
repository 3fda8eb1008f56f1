"""`stancewire feed` and `stancewire tail`: articles into news.raw, any topic's records out."""

from __future__ import annotations

import sys
from typing import Annotated

import orjson
import typer

from schemas import decode
from schemas.topics import record_for
from streams.articles import read_articles
from streams.cli.common import (
    BrokerOpt,
    PathArg,
    PrefixOpt,
    app,
    broker_errors,
    err,
    fail,
    out,
    require_broker,
    settings_from,
)


@app.command()
def feed(
    path: PathArg,
    broker: BrokerOpt = None,
    prefix: PrefixOpt = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the broker before giving up.")] = 15.0,
) -> None:
    """Send articles to news.raw (keyed by article id). Bad lines are reported with their line number."""
    settings = settings_from(broker=broker, topic_prefix=prefix)
    require_broker(settings)
    from streams.broker.producer import feed_articles, make_producer

    with broker_errors():
        producer = make_producer(settings, timeout=timeout)
    try:
        report = feed_articles(
            producer,
            settings.topics.raw,
            read_articles(path, settings.max_article_bytes),
            on_reject=lambda e: err.print(f"[red]rejected[/] {e}"),
            flush_timeout=max(timeout, 30.0),
        )
    finally:
        producer.close(timeout=5)
    for failure in report.failed[:20]:
        err.print(f"[red]not delivered[/] {failure}")
    rate = report.sent / report.seconds if report.seconds else 0.0
    err.print(
        f"fed {report.sent} article(s) to {settings.topics.raw} in {report.seconds:.2f}s ({rate:.0f}/s); "
        f"rejected {len(report.rejected)}; not delivered {len(report.failed)}"
    )
    if report.rejected or report.failed:
        raise typer.Exit(1)


@app.command()
def tail(
    topic: Annotated[str, typer.Argument(help="Topic to read, e.g. news.statements (the prefix is added).")],
    broker: BrokerOpt = None,
    prefix: PrefixOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print raw JSON lines instead of a pretty view.")] = False,
    from_beginning: Annotated[bool, typer.Option(help="Start at the oldest record, not the newest.")] = False,
    limit: Annotated[int | None, typer.Option(help="Stop after this many records.")] = None,
    idle_timeout: Annotated[float | None, typer.Option(help="Stop after this many seconds with nothing new.")] = None,
) -> None:
    """Show a topic's records as they flow (pretty with rich, or --json)."""
    settings = settings_from(broker=broker, topic_prefix=prefix)
    require_broker(settings)
    from streams.broker.reader import as_json, read_topic
    from streams.cli.render import describe

    name = topic if settings.topic_prefix and topic.startswith(settings.topic_prefix) else settings.topic_prefix + topic
    model = record_for(name, settings.topics.prefix)
    with broker_errors():
        try:
            for record in read_topic(settings, [name], from_beginning, idle_timeout, limit):
                if json_:
                    sys.stdout.buffer.write(orjson.dumps(as_json(record)) + b"\n")
                    sys.stdout.flush()
                    continue
                try:
                    out.print(describe(decode(record.value, model)) if model else as_json(record))
                except ValueError as exc:
                    out.print(f"[red]undecodable record at {record.partition}@{record.offset}:[/] {exc}")
        except ValueError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            pass
