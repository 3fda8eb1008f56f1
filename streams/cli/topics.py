"""`stancewire feed` and `stancewire tail`: articles into news.raw, any topic's records out."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.markup import escape

from schemas import decode
from schemas.topics import record_for

if TYPE_CHECKING:
    from streams.broker.reader import TailRecord, TopicReader
from streams.cli.common import (
    BrokerOpt,
    PathsArg,
    PrefixOpt,
    app,
    broker_errors,
    err,
    fail,
    note,
    out,
    require_broker,
    settings_from,
)
from streams.cli.inputs import read_input


@app.command()
def feed(
    paths: PathsArg,
    broker: BrokerOpt = None,
    prefix: PrefixOpt = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the broker before giving up.")] = 15.0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress (rejected lines and the summary only).")
    ] = False,
) -> None:
    """Send articles to news.raw (keyed by article id), in any wire format read by content (docs/formats.md).

    JSON lines, ninjs, NewsML-G2, RSS, Atom, JSON Feed, plain text with a dateline, HTML; several
    files and folders in one call (`feed a.jsonl b.xml incoming/`), read in the order given. Bad
    lines and items are reported with their file and line number, a path that cannot be read with
    its name, and the others are still sent; files in a folder that are not articles are skipped,
    each said on stderr. Progress goes to stderr: a bar on a terminal, a line every few seconds
    otherwise."""
    if paths.count("-") > 1:
        raise fail("- (stdin) can be given once only")
    settings = settings_from(broker=broker, topic_prefix=prefix)
    require_broker(settings)
    from streams.broker.producer import feed_articles, make_producer

    with broker_errors():
        producer = make_producer(settings, timeout=timeout)
    progress = FeedProgress(paths, settings.topics.raw, enabled=not quiet)
    try:
        with progress:
            report = feed_articles(
                producer,
                settings.topics.raw,
                read_inputs(paths, settings.max_article_bytes),
                on_reject=lambda e: progress.print(f"[red]rejected[/] {escape(str(e))}"),
                flush_timeout=max(timeout, 30.0),
                on_progress=progress.update,
            )
    finally:
        producer.close(timeout=5)
    for failure in report.failed[:20]:
        err.print(f"[red]not delivered[/] {escape(failure)}")
    rate = report.sent / report.seconds if report.seconds else 0.0
    err.print(
        f"fed {report.sent} article(s) to {settings.topics.raw} in {report.seconds:.2f}s ({rate:.0f}/s); "
        f"rejected {len(report.rejected)}; not delivered {len(report.failed)}"
    )
    if report.rejected or report.failed:
        raise typer.Exit(1)


def read_inputs(paths: Sequence[str], max_bytes: int | None) -> Iterator:
    """Every path's articles and errors in turn (lazily: a large file is never held whole)."""
    return chain.from_iterable(read_input(path, max_bytes) for path in paths)


PROGRESS_LINE_SECONDS = 5.0  # without a terminal: one progress line this often


def estimate_total(paths: str | Sequence[str]) -> int | None:
    """Articles in all of `paths` if cheap to know for every one (`estimate_articles`), else None."""
    total = 0
    for path in [paths] if isinstance(paths, str) else paths:
        count = estimate_articles(path)
        if count is None:
            return None
        total += count
    return total or None


def estimate_articles(path: str) -> int | None:
    """Articles in `path` if cheap to know (lines of JSON lines files), else None (the bar counts up).

    Never raises: a broken link, a sub-folder or an unreadable file makes it None, and the reader
    reports them (`streams.formats.read_path`)."""
    if path == "-":
        return None
    target = Path(path)
    try:
        files = sorted(target.iterdir()) if target.is_dir() else [target]
        total = 0
        for file in files:
            if file.name.startswith(".") and file != target:
                continue
            if not file.is_file():
                return None
            if file.suffix in (".jsonl", ".ndjson"):
                with file.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            elif file.suffix == ".txt":
                total += 1
            else:
                return None
    except OSError:
        return None
    return total or None


class FeedProgress:
    """`feed`'s progress on stderr: a rich bar on a terminal, else a plain line every few seconds."""

    def __init__(self, paths: str | Sequence[str], topic: str, enabled: bool = True) -> None:
        self.topic, self.enabled = topic, enabled
        self.total = estimate_total(paths) if enabled else None
        self.started = time.monotonic()
        self.last_line = self.started
        self.bar = None
        self.task = None

    def __enter__(self) -> FeedProgress:
        if self.enabled and err.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn(f"feeding {self.topic}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("feed", total=self.total, rate="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def print(self, message: str) -> None:
        (self.bar.console if self.bar is not None else err).print(message)

    def update(self, read: int, report: object) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        sent = report.sent  # type: ignore[attr-defined]
        rate = sent / (now - self.started) if now > self.started else 0.0
        if self.bar is not None:
            if now - self.last_line >= 0.1 or (self.total and read >= self.total):
                self.bar.update(self.task, completed=read, rate=f"{rate:,.0f}/s sent")
                self.last_line = now
            return
        if now - self.last_line >= PROGRESS_LINE_SECONDS:
            of = f" of {self.total:,}" if self.total else ""
            note(f"feeding {self.topic}: {read:,}{of} read, {sent:,} sent ({rate:,.0f}/s)")
            self.last_line = now


ISOLATION_LEVELS = ("read_committed", "read_uncommitted")


@app.command()
def tail(
    topic: Annotated[str, typer.Argument(help="Topic to read, e.g. news.statements (the prefix is added).")],
    broker: BrokerOpt = None,
    prefix: PrefixOpt = None,
    partition: Annotated[
        list[int] | None,
        typer.Option(
            "--partition", "-p", metavar="N", help="Read only this partition (repeatable); default: every partition."
        ),
    ] = None,
    offset: Annotated[
        str | None,
        typer.Option(
            "--offset",
            "-o",
            metavar="POSITION",
            help="Where to start in each partition: beginning, end (default), stored (the --group's committed "
            "offset; the default with --group), N (an absolute offset) or -N (N records before the end).",
        ),
    ] = None,
    from_beginning: Annotated[
        bool, typer.Option("--from-beginning", help="Same as --offset beginning.", show_default=False)
    ] = False,
    max_messages: Annotated[
        int | None,
        typer.Option("--max-messages", "-c", "--limit", metavar="N", min=0, help="Stop after this many records."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            "--idle-timeout",
            metavar="SECONDS",
            min=0,
            help="Stop after this many seconds with no new record (default: follow until Ctrl-C).",
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            "-G",
            metavar="GROUP",
            help="Commit what is read in this consumer group and start where it left off (no group membership: "
            "every partition is read).",
        ),
    ] = None,
    isolation: Annotated[
        str | None,
        typer.Option(
            "--isolation",
            metavar="LEVEL",
            help="read_committed or read_uncommitted; default read_committed under "
            "STANCEWIRE_PROCESSING_GUARANTEE=exactly_once, else read_uncommitted.",
        ),
    ] = None,
    json_: Annotated[
        bool,
        typer.Option(
            "--json", help="One JSON object per record: topic, partition, offset, timestamp, key, headers, value."
        ),
    ] = False,
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="kcat-style output format: %t topic, %p partition, %o offset, %k key, %s value, %T timestamp "
            "(ms), %h headers, %K/%S key/value length, \\n \\t; e.g. '%p:%o %k %s\\n'.",
        ),
    ] = None,
    print_key: Annotated[bool, typer.Option("--print-key", "-K", help="Show each record's key.")] = False,
    print_timestamp: Annotated[
        bool, typer.Option("--print-timestamp", help="Show each record's timestamp (UTC).")
    ] = False,
    print_headers: Annotated[bool, typer.Option("--print-headers", help="Show each record's headers.")] = False,
    print_offset: Annotated[
        bool, typer.Option("--print-offset", help="Show each record's partition and offset (P@OFFSET).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notes on stderr (only errors).")] = False,
) -> None:
    """Read a topic as kcat or kafka-console-consumer do: pretty (rich), --json, or a --format string.

    Notes on stderr say where reading starts, when there is nothing to read and how many records were read.
    """
    from streams.broker.reader import ReadStats, TopicReader, parse_offset, read_topic
    from streams.cli.render import check_format

    settings = settings_from(broker=broker, topic_prefix=prefix)
    try:
        start = parse_offset(offset) if offset is not None else ("beginning" if from_beginning else None)
        if format_ is not None:
            check_format(format_)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if json_ and format_ is not None:
        raise fail("--json and --format are two output forms: give one")
    if from_beginning and offset is not None:
        raise fail("--from-beginning and --offset are the same option: give one")
    if start == "stored" and not group:
        raise fail("--offset stored needs --group")
    isolation = isolation or ("read_committed" if settings.processing_guarantee == "exactly_once" else None)
    isolation = isolation or "read_uncommitted"
    if isolation not in ISOLATION_LEVELS:
        raise fail(f"--isolation: {isolation!r}; choose {' or '.join(ISOLATION_LEVELS)}")
    require_broker(settings)
    name = topic if settings.topic_prefix and topic.startswith(settings.topic_prefix) else settings.topic_prefix + topic
    model = record_for(name, settings.topics.prefix)
    show = Show(json_, format_, print_key, print_timestamp, print_headers, print_offset)
    stats = ReadStats()
    with broker_errors():
        try:
            reader = TopicReader(settings, [name], False, isolation, partitions=partition, offset=start, group=group)
        except ValueError as exc:
            raise fail(str(exc)) from None
        with reader:
            if not quiet:
                note(start_note(name, reader, timeout))
            try:
                for record in read_topic(reader, timeout, max_messages, stats=stats):
                    show.print(record, model)
            except KeyboardInterrupt:
                pass
    if not quiet:
        note(end_note(name, stats, timeout))


class Show:
    """How `tail` prints one record: --format bytes, --json, or one rich line with the --print-* fields."""

    def __init__(self, json_: bool, fmt: str | None, key: bool, timestamp: bool, headers: bool, offset: bool) -> None:
        self.json, self.fmt = json_, fmt
        self.key, self.timestamp, self.headers, self.offset = key, timestamp, headers, offset

    def print(self, record: TailRecord, model: type | None) -> None:
        from streams.broker.reader import as_json
        from streams.cli.render import describe, format_record

        if self.fmt is not None:
            sys.stdout.buffer.write(format_record(self.fmt, record))
            sys.stdout.flush()
            return
        if self.json:
            sys.stdout.buffer.write(orjson.dumps(as_json(record)) + b"\n")
            sys.stdout.flush()
            return
        try:
            body = describe(decode(record.value, model)) if model else escape(orjson.dumps(as_json(record)).decode())
        except ValueError as exc:
            body = f"[red]undecodable record:[/] {escape(str(exc))}"
        out.print(self.prefix(record) + body)

    def prefix(self, record: TailRecord) -> str:
        from streams.cli.render import timestamp_text

        parts = []
        if self.offset:
            parts.append(f"[dim]{record.partition}@{record.offset}[/]")
        if self.timestamp:
            parts.append(f"[dim]{timestamp_text(record.timestamp_ms)}[/]")
        if self.key:
            key = record.key.decode("utf-8", "replace") if record.key is not None else "(no key)"
            parts.append(f"[blue]{escape(key)}[/]")
        if self.headers:
            pairs = ",".join(f"{k}={(v or b'').decode('utf-8', 'replace')}" for k, v in record.headers)
            parts.append(f"[dim]{{{escape(pairs)}}}[/]")
        return " ".join(parts) + " " if parts else ""


def start_note(name: str, reader: TopicReader, timeout: float | None) -> str:
    ranges = reader.ranges
    which = f"partition {ranges[0].partition.partition}" if len(ranges) == 1 else f"{len(ranges)} partitions"
    held = sum(r.end - r.beginning for r in ranges)
    how_long = f" for {timeout:g}s" if timeout is not None else " (Ctrl-C to stop)"
    if held == 0:
        return f"{name} ({which}) is empty; waiting for records{how_long}"
    if reader.waiting == 0:
        return (
            f"{name} ({which}): at the end, {held} record(s) before it (--offset beginning reads them); "
            f"waiting for new records{how_long}"
        )
    return f"{name} ({which}): {reader.waiting} record(s) to read, then waiting for new ones{how_long}"


def end_note(name: str, stats: object, timeout: float | None) -> str:
    count, stopped = stats.count, stats.stopped_by  # type: ignore[attr-defined]
    if stopped == "timeout" and count == 0:
        return f"no records in {name} within {timeout:g}s"
    why = {"timeout": f", none new for {timeout:g}s" if timeout is not None else "", "max_messages": ""}
    return f"read {count} record(s) from {name}{why.get(stopped, '')}"
