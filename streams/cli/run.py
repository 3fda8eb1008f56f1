"""`stancewire run`: the worker (one or several processes), on the embedded broker or a given one."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from yarl import URL

from streams.broker.embedded import running_broker
from streams.cli.common import (
    BrokerOpt,
    PrefixOpt,
    RulesOpt,
    TaxonomyOpt,
    app,
    broker_errors,
    err,
    fail,
    refuse_exactly_once_on_embedded,
    settings_from,
)
from streams.settings import Settings

if TYPE_CHECKING:
    from streams.core.pipeline import Pipeline
    from streams.runtime.extract_pool import ExtractPool


@app.command()
def run(
    broker: BrokerOpt = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes in one consumer group.")] = 1,
    partitions: Annotated[int | None, typer.Option(min=1, help="Partitions of each topic created.")] = None,
    prefix: PrefixOpt = None,
    app_id: Annotated[str | None, typer.Option(help="Faust app id (= consumer group).")] = None,
    processing_guarantee: Annotated[
        str | None, typer.Option(help="at_least_once (default) or exactly_once (Apache Kafka only).")
    ] = None,
    store: Annotated[str | None, typer.Option(help="Table store: auto, rocksdb or memory.")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Where tables keep their local state.")] = None,
    taxonomy: TaxonomyOpt = None,
    rules: RulesOpt = None,
    max_article_bytes: Annotated[int | None, typer.Option(help="Larger raw records are dead-lettered.")] = None,
    extractor: Annotated[
        str | None, typer.Option(help="auto (parsed when spaCy's model is installed), parsed or fast.")
    ] = None,
    web: Annotated[
        bool | None,
        typer.Option(
            "--web/--no-web",
            help="Serve the live view, HTTP API, /health and /metrics on STANCEWIRE_WEB_BIND (127.0.0.1) "
            "(env STANCEWIRE_WEB_ENABLED).",
            show_default=False,
        ),
    ] = None,
    web_port: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=65535,
            help="Port of the web server (implies --web; worker N of --workers uses PORT+N); default 6066.",
        ),
    ] = None,
    replication_factor: Annotated[
        int | None, typer.Option(min=-1, help="Replicas of each topic created; -1: the broker's default.")
    ] = None,
    create_topics: Annotated[
        bool | None,
        typer.Option(
            "--create-topics/--no-create-topics",
            help="Create missing topics at start (default), or only check that they exist "
            "(env STANCEWIRE_CREATE_TOPICS).",
            show_default=False,
        ),
    ] = None,
    log_level: Annotated[
        str, typer.Option(help="debug, info, warning or error (Faust's and Kafka's own logs: warning unless debug).")
    ] = "info",
) -> None:
    """Run the worker: extract, stance, track and alert agents. Starts the embedded broker if no --broker."""
    settings = settings_from(
        broker=broker,
        partitions=partitions,
        topic_prefix=prefix,
        app_id=app_id,
        processing_guarantee=processing_guarantee,
        store=store,
        data_dir=data_dir,
        taxonomy=taxonomy,
        rules=rules,
        max_article_bytes=max_article_bytes,
        extractor=extractor,
        replication_factor=replication_factor,
        create_topics=create_topics,
        web_enabled=True if web_port is not None and web is None else web,
        web_port=web_port,
    )
    refuse_exactly_once_on_embedded(settings.processing_guarantee, settings.broker)
    if not settings.broker and settings.kafka_security_protocol() != "PLAINTEXT":
        raise fail(
            f"security_protocol {settings.kafka_security_protocol()} needs --broker: the embedded broker "
            "(Tansu) speaks plaintext on 127.0.0.1 only"
        )
    from streams.runtime.extract_pool import ExtractPool

    # Extraction processes start warming up first, before this process loads its own files or imports
    # Faust: their warm-up (a parser process's model, the rules' patterns: seconds) is what a fresh
    # worker's first output waits for. A thread warms up later, in the extract agent, while the worker
    # waits on its group join: here it would only share the GIL with the worker's own imports.
    pool = ExtractPool(settings) if workers == 1 and ExtractPool.processes_for(settings) > 0 else None
    try:
        from streams.core.pipeline import Pipeline
        from streams.delivery import Deliverer

        try:  # load the taxonomy, the rules and their delivery routes now: a bad file fails here, with its message
            pipeline = Pipeline(settings)
            Deliverer(pipeline.rules)
        except (ValueError, OSError) as exc:
            raise fail(str(exc)) from None
        run_workers(settings, broker, workers, log_level, pool, pipeline)
    finally:
        if pool is not None:
            pool.close()


def run_workers(
    settings: Settings,
    broker: str | None,
    workers: int,
    log_level: str,
    pool: ExtractPool | None,
    pipeline: Pipeline | None = None,
) -> None:
    """The worker (or `workers` of them) on `broker` or the embedded one, its topics created first;
    one worker runs with `pipeline` (loaded already) and `pool`, each of several makes its own."""
    from streams.runtime.app import table_store
    from streams.runtime.worker import prepare_topics, run_worker

    try:
        table_store(settings)
    except ValueError as exc:
        raise fail(str(exc)) from None
    with broker_errors(), running_broker(settings.broker, settings.data_dir / "tansu.log") as url:
        settings = settings if broker else settings.on_embedded_broker(url)
        if not broker:
            announce(
                settings,
                f"[bold]embedded broker[/] (Tansu, in memory) at [cyan]{url}[/]; "
                f"feed it with: stancewire feed FILE --broker {url}",
            )
        try:
            prepare_topics(settings)
        except ValueError as exc:  # missing topics (create_topics off), or fewer partitions than configured
            raise fail(str(exc)) from None
        settings.data_dir.mkdir(parents=True, exist_ok=True)  # Faust makes only the last level of it
        if settings.web_enabled:
            urls = ", ".join(worker_web_url(settings, index) for index in range(workers))
            token = " (with its bearer token: STANCEWIRE_WEB_TOKEN)" if settings.web_token else ""
            announce(
                settings, f"[bold]live view and API[/] at [cyan]{urls}[/]{token}; listening on {settings.web_bind}"
            )
        if workers == 1:
            run_worker(settings, log_level, pool, pipeline)
        else:
            supervise_workers(settings, workers, log_level)


def announce(settings: Settings, markup: str) -> None:
    """A line for the operator: rich text, or a JSON log line under log_format=json (like the worker's)."""
    if settings.log_format != "json":
        err.print(markup)
        return
    from rich.text import Text

    from streams.runtime.logs import JsonFormatter

    record = logging.LogRecord("stancewire", logging.INFO, __file__, 0, Text.from_markup(markup).plain, None, None)
    sys.stderr.write(JsonFormatter().format(record) + "\n")
    sys.stderr.flush()


def worker_web_url(settings: Settings, index: int) -> str:
    """The advertised URL of worker `index` of `run --workers N`: worker i listens on web_port + i, and an
    advertised URL given for the group gets that port for i > 0."""
    if index == 0:
        return settings.web_url()
    if settings.web_advertised_url:
        return str(URL(settings.web_url()).with_port(settings.web_port + index))
    return settings.model_copy(update={"web_port": settings.web_port + index}).web_url()


def supervise_workers(settings: Settings, count: int, log_level: str) -> None:
    """Run `count` single-worker processes in one group; stop them all when one fails or on a signal."""
    env_base = {**os.environ, **settings.to_env()}
    procs = []
    for index in range(count):
        (settings.data_dir / f"worker-{index}").mkdir(parents=True, exist_ok=True)
        env = {
            **env_base,
            "STANCEWIRE_DATA_DIR": str(settings.data_dir / f"worker-{index}"),
            "STANCEWIRE_WEB_PORT": str(settings.web_port + index),
            **(
                {"STANCEWIRE_WEB_ADVERTISED_URL": worker_web_url(settings, index)}
                if settings.web_advertised_url
                else {}
            ),
        }
        procs.append(subprocess.Popen([sys.executable, "-m", "streams", "run", "--log-level", log_level], env=env))

    def stop(*_: object) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(proc.poll() is None for proc in procs):
            time.sleep(0.5)
    finally:
        stop()
        codes = [proc.wait() for proc in procs]
    if any(codes):
        raise typer.Exit(max(abs(c) for c in codes))
