"""`stancewire poll URL...`: RSS/Atom feeds into news.raw at an interval (`streams/broker/poller.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from schemas import RawArticle, encode
from streams.cli.common import BrokerOpt, PrefixOpt, app, broker_errors, err, fail, require_broker, settings_from


@app.command()
def poll(
    urls: Annotated[
        list[str], typer.Argument(metavar="URL...", help="Feed URLs (RSS, Atom, JSON Feed), http or https.")
    ],
    broker: BrokerOpt = None,
    prefix: PrefixOpt = None,
    interval: Annotated[float, typer.Option(min=0.05, help="Seconds between polls of one feed.")] = 300.0,
    max_backoff: Annotated[
        float, typer.Option(help="Longest wait after failures (doubling from --interval).")
    ] = 3600.0,
    request_timeout: Annotated[float, typer.Option(help="Seconds one HTTP request may take.")] = 30.0,
    state: Annotated[
        Path | None, typer.Option(help="State file (validators, GUIDs sent); default <data dir>/poll-state.json.")
    ] = None,
    max_polls: Annotated[int | None, typer.Option(min=1, help="Stop after this many polls in all.")] = None,
    timeout: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve the poller's Prometheus metrics on this port (0: any free port).")
    ] = None,
    broker_timeout: Annotated[float, typer.Option(help="Seconds to wait for the broker before giving up.")] = 15.0,
) -> None:
    """Poll feeds into news.raw: conditional GET, each item sent once (by GUID, across restarts), backoff on errors.

    One status line per poll on stderr; per-feed metrics (last status, failures in a row, items
    sent) on --metrics-port, since the poller is a process of its own, not the worker."""
    settings = settings_from(broker=broker, topic_prefix=prefix)
    bootstrap = require_broker(settings)
    from streams.broker import producer as producers
    from streams.broker.poller import POLL_REGISTRY, Poller

    with broker_errors():
        producer = producers.make_producer(bootstrap, timeout=broker_timeout)
    topic = settings.topics.raw

    def send(articles: Sequence[RawArticle]) -> set[str]:
        futures = [(a.id, producer.send(topic, key=a.id.encode(), value=encode(a))) for a in articles]
        producer.flush(timeout=max(broker_timeout, 30.0))
        return {article_id for article_id, future in futures if future.succeeded()}

    if metrics_port is not None:
        from prometheus_client import start_http_server

        server, _thread = start_http_server(metrics_port, addr="127.0.0.1", registry=POLL_REGISTRY)
        err.print(f"poll metrics on http://127.0.0.1:{server.server_port}/metrics")
    try:
        poller = Poller(
            urls,
            send,
            state or settings.data_dir / "poll-state.json",
            interval=interval,
            max_backoff=max_backoff,
            request_timeout=request_timeout,
        )
    except ValueError as exc:
        producer.close(timeout=5)
        raise fail(str(exc)) from None
    errors = 0

    def report(result) -> None:  # noqa: ANN001
        nonlocal errors
        errors += result.outcome == "error"
        colour = {"error": "red", "not_modified": "dim"}.get(result.outcome, "green")
        err.print(f"[{colour}]poll[/] {escape(result.line())}")
        for rejected in result.rejected[:20]:
            err.print(f"[red]rejected[/] {escape(str(rejected))}")

    try:
        polls = poller.run(max_polls=max_polls, timeout=timeout, report=report)
    except KeyboardInterrupt:
        polls = -1
    finally:
        producer.close(timeout=5)
    if polls >= 0:
        err.print(f"polled {len(poller.urls)} feed(s) {polls} time(s); {errors} failed poll(s)")
