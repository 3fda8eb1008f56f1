"""`stancewire demo`: embedded broker, one worker, the bundled corpus, and a live view of every stage.

It exits by itself once the worker's consumer group has caught up with every input topic and
nothing new has appeared for a moment (or at the timeout), then stops the worker and the broker;
`keep_open` keeps them (and the live view in the browser, whose URL it prints) running that much longer.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import time
import uuid
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from schemas import Alert, decode
from schemas.topics import record_for
from streams.broker.embedded import running_broker
from streams.cli.common import app, broker_errors, out
from streams.cli.render import describe
from streams.formats import FormatError, read_path
from streams.settings import Settings

__all__ = ["corpus_files", "run_demo", "wait_until_processed"]

QUIET_SECONDS = 2.0


def corpus_files() -> list[Path]:
    """The bundled corpus: every JSON lines file in this package (the sample article included)."""
    folder = Path(str(resources.files("streams.cli") / "corpus"))
    return sorted(folder.glob("*.jsonl"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_demo(
    console: Console,
    timeout: float = 180.0,
    partitions: int = 2,
    keep_open: float = 0.0,
    web_port: int = 0,
    broker_url: str | None = None,
    keep_files: bool = False,
) -> int:
    """`keep_open`: seconds to keep running once the corpus is done (negative: until Ctrl-C).

    `broker_url`: a running broker to use instead of the embedded one; the demo's topics and group
    then get a fresh `demo-<id>.` prefix, so earlier runs do not mix in. The temporary folder (worker
    and broker logs, table state) is removed at the end, unless the demo failed or `keep_files`."""
    work = Path(tempfile.mkdtemp(prefix="stancewire-demo-"))
    code = 1
    try:
        code = _run_demo(console, work, timeout, partitions, keep_open, web_port, broker_url)
        return code
    finally:
        if code == 0 and not keep_files:
            shutil.rmtree(work, ignore_errors=True)
        else:
            console.print(f"logs kept in {work}", markup=False)


def _run_demo(
    console: Console,
    work: Path,
    timeout: float,
    partitions: int,
    keep_open: float,
    web_port: int,
    broker_url: str | None,
) -> int:
    from streams.broker.producer import feed_articles, make_producer  # kafka-python: only when it runs
    from streams.runtime.worker import prepare_topics, spawn_worker, stop_process  # Faust: only when it runs

    deadline = time.monotonic() + timeout
    finished_in_time = False
    run_id = uuid.uuid4().hex[:6]
    with running_broker(broker_url, work / "tansu.log") as url_of_broker:
        settings = Settings(
            partitions=partitions,
            data_dir=work / "state",
            topic_prefix=f"demo-{run_id}." if broker_url else "",
            app_id=f"stancewire-demo-{run_id}" if broker_url else "stancewire-demo",
            web_enabled=True,
            web_port=web_port or free_port(),
        )
        if broker_url:  # the demo's tables are throwaway: in memory on any broker
            settings = settings.model_copy(update={"broker": url_of_broker, "store": "memory"})
        else:
            settings = settings.on_embedded_broker(url_of_broker)
        url = f"http://127.0.0.1:{settings.web_port}/"
        which = f"broker (topics {settings.topic_prefix}*)" if broker_url else "embedded broker (Tansu)"
        console.print(
            f"[bold]Stancewire demo[/]: {escape(which)} at [cyan]{escape(url_of_broker)}[/], "
            f"worker log in {escape(str(work / 'worker.log'))} (removed at the end unless the demo fails)"
        )
        console.print(f"[bold]live view[/]: open [cyan]{url}[/] in a browser (API: {url}api/stances, {url}metrics)")
        prepare_topics(settings)
        worker = spawn_worker(settings, work / "worker.log")
        try:
            articles = [a for f in corpus_files() for a in read_path(f) if not isinstance(a, FormatError)]
            producer = make_producer(settings)
            try:
                report = feed_articles(producer, settings.topics.raw, articles)
            finally:
                producer.close(timeout=5)
            console.print(
                f"fed {report.sent} articles to {settings.topics.raw}; waiting for the worker "
                "to join its group (a few seconds on the embedded broker)…\n"
            )
            counts, alerts = watch(console, settings, worker, deadline)
            finished_in_time = time.monotonic() < deadline
            keep_running(console, worker, url, keep_open)
        finally:
            code = stop_process(worker)
    summarise(console, counts, alerts)
    if worker.returncode not in (0, None) and code not in (0, -15):
        console.print(f"[red]worker exited with {code}; see {work / 'worker.log'}[/]")
        return 1
    if not finished_in_time:
        console.print(f"[red]timed out after {timeout:.0f}s; see {work / 'worker.log'}[/]")
        return 1
    return 0


def keep_running(console: Console, worker, url: str, seconds: float) -> None:  # noqa: ANN001
    """Leave the worker (and its live view) up for `seconds` (negative: until Ctrl-C)."""
    if seconds == 0:
        return
    how_long = "until Ctrl-C" if seconds < 0 else f"for {seconds:.0f}s more (Ctrl-C to stop)"
    console.print(f"\nthe corpus is done; the live view stays at [cyan]{url}[/] {how_long}")
    end = float("inf") if seconds < 0 else time.monotonic() + seconds
    try:
        while time.monotonic() < end and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass


def watch(console: Console, settings: Settings, worker, deadline: float) -> tuple[Counter, list[Alert]]:  # noqa: ANN001
    """Print every downstream record as it arrives until the pipeline is done (or the deadline)."""
    from streams.broker.reader import TopicReader

    names = settings.topics
    downstream = [names.statements, names.stances, names.changes, names.alerts, names.dlq]
    counts: Counter = Counter()
    alerts: list[Alert] = []
    with TopicReader(settings, downstream) as reader:
        last_seen = time.monotonic()
        while time.monotonic() < deadline and worker.poll() is None:
            records = reader.poll(0.3)
            for record in records:
                value = decode(record.value, record_for(record.topic, names.prefix))
                counts[record.topic] += 1
                if isinstance(value, Alert):
                    alerts.append(value)
                console.print(describe(value))
            if records:
                last_seen = time.monotonic()
            elif time.monotonic() - last_seen >= QUIET_SECONDS and pipeline_done(settings):
                break
    return counts, alerts


def pipeline_done(settings: Settings) -> bool:
    """True when the worker's group has committed everything on every stage's topic (`stages_of`; no
    agent reads `stance.changes`: the track agent decides its alerts), deliveries aside."""
    from streams.broker.lag import group_lag, stages_of

    return group_lag(settings, settings.app_id, [topic for _, topic in stages_of(settings, deliver=False)]) == 0


def wait_until_processed(settings: Settings, timeout: float, quiet: float = QUIET_SECONDS) -> bool:
    """Block until the worker's group has caught up (lag 0 twice, `quiet` seconds apart)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pipeline_done(settings):
            time.sleep(quiet)
            if pipeline_done(settings):
                return True
        time.sleep(0.5)
    return False


def summarise(console: Console, counts: Counter, alerts: list[Alert]) -> None:
    table = Table(title="What flowed through the topics")
    table.add_column("topic")
    table.add_column("records", justify="right")
    for topic, count in sorted(counts.items()):
        table.add_row(topic, str(count))
    console.print()
    console.print(table)
    for alert in alerts:
        console.print(f"[bold]alert[/] {alert.severity}: {escape(alert.title)}")


@app.command()
def demo(
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds.")] = 180.0,
    partitions: Annotated[int, typer.Option(min=1, help="Partitions of each topic.")] = 2,
    keep_open: Annotated[
        float,
        typer.Option(
            help="Seconds to keep the worker and its live view running after the corpus is done (-1: until Ctrl-C)."
        ),
    ] = 0.0,
    web_port: Annotated[int, typer.Option(help="Port of the live view (127.0.0.1; 0 picks a free one).")] = 0,
    broker: Annotated[
        str | None,
        typer.Option(
            "--broker",
            "-b",
            help="Use this Kafka broker (kafka://HOST:PORT) instead of starting the embedded one; the demo's "
            "topics get a fresh demo-<id>. prefix.",
        ),
    ] = None,
    keep_files: Annotated[
        bool, typer.Option("--keep-files", help="Keep the temporary folder (logs, table state) after a success.")
    ] = False,
) -> None:
    """One command: embedded broker, a worker, the bundled corpus, and a live view of every stage (in the
    terminal, and in a browser at the URL it prints)."""
    with broker_errors():
        code = run_demo(
            out,
            timeout=timeout,
            partitions=partitions,
            keep_open=keep_open,
            web_port=web_port,
            broker_url=broker,
            keep_files=keep_files,
        )
    raise typer.Exit(code)
