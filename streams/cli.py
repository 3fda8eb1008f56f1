"""The `stancewire` command line: run the worker, feed and tail topics, and the offline tools."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console

from schemas import decode, encode
from streams.articles import ArticleError, read_articles
from streams.broker.admin import BrokerUnavailable
from streams.broker.embedded import BrokerStartError, running_broker
from streams.settings import Settings

app = typer.Typer(
    name="stancewire",
    help="Wire news → who said what → who stands where → stance changes → alerts, on Kafka.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

BrokerOpt = Annotated[
    str | None,
    typer.Option(
        "--broker",
        "-b",
        envvar="STANCEWIRE_BROKER",
        help="Kafka bootstrap URL, e.g. kafka://127.0.0.1:9092 (env STANCEWIRE_BROKER).",
    ),
]
PrefixOpt = Annotated[str | None, typer.Option("--prefix", help="Topic name prefix (env STANCEWIRE_TOPIC_PREFIX).")]
TaxonomyOpt = Annotated[
    Path | None, typer.Option("--taxonomy", help="Topic taxonomy YAML (default: the packaged one).")
]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Alert rules YAML (default: the packaged one).")]
PathArg = Annotated[str, typer.Argument(help="A JSON lines file, a .txt article, a folder of them, or - for stdin.")]


def settings_from(**overrides: Any) -> Settings:
    """Settings from the environment, with the CLI options that were given on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def require_broker(settings: Settings) -> str:
    if not settings.broker:
        raise fail(
            "no broker given: pass --broker kafka://HOST:PORT or set STANCEWIRE_BROKER "
            "(`stancewire run` prints the URL of the embedded broker it starts)"
        )
    return settings.bootstrap_servers()


@contextlib.contextmanager
def broker_errors() -> Iterator[None]:
    """Turn broker failures into one clear line and a non-zero exit instead of a traceback."""
    try:
        yield
    except (BrokerUnavailable, BrokerStartError) as exc:
        raise fail(str(exc)) from None


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
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
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
    )
    refuse_exactly_once_on_embedded(settings.processing_guarantee, settings.broker)
    from streams.app import table_store
    from streams.delivery import Deliverer
    from streams.pipeline import Pipeline
    from streams.worker import prepare_topics, run_worker

    try:  # load the taxonomy, the rules and their delivery routes now: a bad file fails here, with its message
        table_store(settings)
        Deliverer(Pipeline(settings).rules)
    except (ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    with broker_errors(), running_broker(settings.broker, settings.data_dir / "tansu.log") as url:
        settings = settings.model_copy(update={"broker": url, "store": embedded_store(settings, broker)})
        if not broker:
            err.print(
                f"[bold]embedded broker[/] (Tansu, in memory) at [cyan]{url}[/]; "
                f"feed it with: stancewire feed FILE --broker {url}"
            )
        prepare_topics(settings)
        if settings.web_enabled:
            ports = f"{settings.web_port}-{settings.web_port + workers - 1}" if workers > 1 else str(settings.web_port)
            err.print(f"[bold]live view and API[/] at [cyan]http://127.0.0.1:{ports}/[/]")
        if workers == 1:
            run_worker(settings, log_level)
        else:
            supervise_workers(settings, workers, log_level)


def refuse_exactly_once_on_embedded(guarantee: str, broker: str | None) -> None:
    if guarantee == "exactly_once" and not broker:
        raise fail(
            "exactly_once needs transactions, which the embedded broker (Tansu) does not have; "
            "use --broker with Apache Kafka"
        )


def embedded_store(settings: Settings, broker: str | None) -> str:
    """Tables in memory on the embedded broker: Tansu forgets every topic when it stops, and state kept on
    disk from an earlier run would be ahead of its (now empty) changelog, which Faust refuses to start on."""
    return "memory" if not broker and settings.store == "auto" else settings.store


def supervise_workers(settings: Settings, count: int, log_level: str) -> None:
    """Run `count` single-worker processes in one group; stop them all when one fails or on a signal."""
    env_base = {**os.environ, **settings.to_env()}
    procs = []
    for index in range(count):
        env = {
            **env_base,
            "STANCEWIRE_DATA_DIR": str(settings.data_dir / f"worker-{index}"),
            "STANCEWIRE_WEB_PORT": str(settings.web_port + index),
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


@app.command()
def feed(
    path: PathArg,
    broker: BrokerOpt = None,
    prefix: PrefixOpt = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the broker before giving up.")] = 15.0,
) -> None:
    """Send articles to news.raw (keyed by article id). Bad lines are reported with their line number."""
    settings = settings_from(broker=broker, topic_prefix=prefix)
    bootstrap = require_broker(settings)
    from streams.feeder import feed_articles, make_producer

    with broker_errors():
        producer = make_producer(bootstrap, timeout=timeout)
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
    bootstrap = require_broker(settings)
    from streams.render import describe
    from streams.tail import as_json, model_for_topic, read_topic

    name = topic if settings.topic_prefix and topic.startswith(settings.topic_prefix) else settings.topic_prefix + topic
    model = model_for_topic(name, settings.topics)
    with broker_errors():
        try:
            for record in read_topic(bootstrap, [name], from_beginning, idle_timeout, limit):
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


def emit(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")


@app.command()
def extract(path: PathArg, taxonomy: TaxonomyOpt = None) -> None:
    """Offline, no broker: one JSON line per article with its statements and stances."""
    from streams.pipeline import Origin, Pipeline

    pipeline = Pipeline(settings_from(taxonomy=taxonomy))
    errors = 0
    for item in read_articles(path, pipeline.settings.max_article_bytes):
        if isinstance(item, ArticleError):
            err.print(f"[red]rejected[/] {item}")
            errors += 1
            continue
        outcome = pipeline.extract(encode(item), Origin("offline", key=item.id.encode()))
        if outcome.dead_letter:
            err.print(f"[red]failed[/] {item.id}: {outcome.dead_letter.error}")
            errors += 1
            continue
        stances = [s for st in outcome.statements for s in pipeline.stances(st)]
        emit(
            {
                "article_id": item.id,
                "statements": [s.model_dump(mode="json") for s in outcome.statements],
                "stances": [s.model_dump(mode="json") for s in stances],
            }
        )
    if errors:
        raise typer.Exit(1)


@app.command()
def replay(
    path: PathArg,
    taxonomy: TaxonomyOpt = None,
    rules: RulesOpt = None,
    shift_threshold: Annotated[float | None, typer.Option(help="Score move that counts as a shift.")] = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Print only these topics (repeatable), e.g. --only alerts.")
    ] = None,
) -> None:
    """Offline, no broker: the whole pipeline over an archive in published_at order, for backtesting rules."""
    from streams.pipeline import Pipeline
    from streams.replay import replay as run_replay

    pipeline = Pipeline(settings_from(taxonomy=taxonomy, rules=rules, shift_threshold=shift_threshold))
    articles, errors = [], 0
    for item in read_articles(path, pipeline.settings.max_article_bytes):
        if isinstance(item, ArticleError):
            err.print(f"[red]rejected[/] {item}")
            errors += 1
        else:
            articles.append(item)
    wanted = set(only or ())
    for topic, record in run_replay(articles, pipeline):
        if not wanted or topic in wanted:
            emit({"topic": topic, "value": record.model_dump(mode="json")})
    if errors:
        raise typer.Exit(1)


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
) -> None:
    """One command: embedded broker, a worker, the bundled corpus, and a live view of every stage (in the
    terminal, and in a browser at the URL it prints)."""
    from streams.demo.run import run_demo

    with broker_errors():
        code = run_demo(out, timeout=timeout, partitions=partitions, keep_open=keep_open, web_port=web_port)
    raise typer.Exit(code)


@app.command()
def bench(
    articles: Annotated[int, typer.Option(help="Articles for the extraction-only benchmark.")] = 1000,
    e2e_articles: Annotated[int, typer.Option(help="Articles sent through the broker end to end.")] = 500,
    rate: Annotated[float, typer.Option(help="End-to-end feed rate, articles/s (0 = as fast as possible).")] = 50.0,
    broker: BrokerOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    extractor: Annotated[str, typer.Option(help="Extractor of the end-to-end worker: auto, parsed or fast.")] = "auto",
    processing_guarantee: Annotated[
        str, typer.Option(help="Guarantee of the end-to-end worker: at_least_once, or exactly_once (Apache Kafka).")
    ] = "at_least_once",
) -> None:
    """Measure extraction articles/s, and end-to-end articles/s and feed→alert latency through a broker."""
    from streams.bench import run_bench

    refuse_exactly_once_on_embedded(processing_guarantee, broker)
    with broker_errors():
        run_bench(out, articles, e2e_articles, rate, broker, json_, extractor, processing_guarantee)


@app.command("eval")
def eval_set(
    path: Annotated[Path, typer.Argument(help="Annotated set, e.g. tests/data/eval/articles.jsonl.")],
    extractor: Annotated[str, typer.Option("--extractor", "-e", help="fast, parsed or all.")] = "all",
    json_: Annotated[bool, typer.Option("--json", help="Print every figure and finding as one JSON object.")] = False,
    show_misses: Annotated[int, typer.Option(min=0, help="Misses and false positives to list per kind.")] = 10,
    taxonomy: TaxonomyOpt = None,
) -> None:
    """Offline, no broker: score extractors against an annotated set (statements, actors, stances, reversals)."""
    from rich.markup import escape
    from rich.table import Table

    from streams.evaluation import (
        EXTRACTORS,
        EvalSetError,
        ExtractorUnavailable,
        evaluate,
        load_eval_set,
        load_extractor,
    )

    names = list(EXTRACTORS) if extractor == "all" else [extractor]
    if any(n not in EXTRACTORS for n in names):
        raise fail(f"unknown extractor {extractor!r}; choose fast, parsed or all")
    try:
        items = load_eval_set(path)
    except EvalSetError as exc:
        raise fail(str(exc)) from None
    settings = settings_from(taxonomy=taxonomy)
    results, unavailable = [], {}
    for name in names:
        try:
            results.append(evaluate(items, load_extractor(name), settings=settings))
        except ExtractorUnavailable as exc:
            unavailable[name] = str(exc)
    if json_:
        emit({"set": str(path), "results": [r.to_dict() for r in results], "unavailable": unavailable})
    for r in [] if json_ else results:
        table = Table(title=f"{r.extractor}: {r.articles} articles, {r.seconds:.2f}s", title_justify="left")
        for col in ("", "precision", "recall", "F1", "tp / fp / fn"):
            table.add_column(col, justify="left" if not col else "right")
        for label, prf in (("statements", r.statements), ("stances", r.stances), ("reversals", r.changes)):
            table.add_row(
                label, f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}", f"{prf.tp} / {prf.fp} / {prf.fn}"
            )
        for label, ratio in (("speaker actor", r.actor_accuracy), ("statement kind", r.kind_accuracy)):
            table.add_row(label, f"accuracy {ratio.value:.3f}", "", "", f"{ratio.correct} / {ratio.total}")
        out.print(table)
        if show_misses:
            for label, findings in (
                ("statement misses", r.statement_misses),
                ("statement false positives", r.statement_false_positives),
                ("actor errors", r.actor_errors),
                ("stance misses", r.stance_misses),
                ("stance false positives", r.stance_false_positives),
                ("reversal misses", r.change_misses),
                ("spurious reversals", r.change_false_positives),
            ):
                if findings:
                    out.print(f"[bold]{label}[/] ({len(findings)}):")
                    for f in findings[:show_misses]:
                        out.print(
                            f"  {f.article_id}  [yellow]{escape(f.category)}[/]  {escape(f.what)}", soft_wrap=True
                        )
            top = escape(", ".join(f"{cat} ×{n}" for cat, n in r.miss_categories().most_common(8)))
            out.print(f"[bold]most common:[/] {top}\n", soft_wrap=True)
    for name, reason in unavailable.items():
        err.print(f"[yellow]skipped[/] {name}: {reason}")
    if unavailable and extractor != "all":
        raise typer.Exit(2)


@app.command()
def schemas(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the JSON Schema files.")] = Path("schemas/json"),
    check: Annotated[bool, typer.Option(help="Only check the files match the models; exit 1 if not.")] = False,
) -> None:
    """Write (or --check) the JSON Schema of every topic record, generated from the pydantic models."""
    from schemas.jsonschema import schema_files

    stale = []
    for name, text in schema_files().items():
        target = out_dir / name
        if check:
            if not target.exists() or target.read_text("utf-8") != text:
                stale.append(str(target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        out.print(f"wrote {target}")
    if stale:
        raise fail("JSON Schema out of date (run `stancewire schemas`): " + ", ".join(stale), code=1)


@app.command()
def openapi(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the document.")] = Path(
        "schemas/openapi.json"
    ),
    check: Annotated[bool, typer.Option(help="Only check the file matches the models; exit 1 if not.")] = False,
) -> None:
    """Write (or --check) the OpenAPI document of the worker's HTTP API, generated from schemas/api.py."""
    from schemas.openapi import openapi_text

    text = openapi_text()
    if check:
        if not out_file.exists() or out_file.read_text("utf-8") != text:
            raise fail(f"OpenAPI document out of date (run `stancewire openapi`): {out_file}", code=1)
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(text, "utf-8")
    out.print(f"wrote {out_file}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
