"""Wire formats in: every reader turns a document into RawArticles, recognised by content.

Public API (see docs/formats.md):

- `read_path(target, *, source="", max_bytes=None, warn=None, on_skip=None) -> Iterator[RawArticle | FormatError]`
  a file, a folder (recursively, sorted; files that are not articles skipped and said) or "-" for stdin.
- `read_record(data, *, origin, source="", max_bytes=None) -> tuple[list[RawArticle], list[FormatError]]`
  one Kafka record value on `news.raw` (JSON: RawArticle, ninjs, JSON Feed; XML: NewsML-G2, RSS, Atom).
- `read_bytes(data, *, origin, source="", max_bytes=None) -> list[RawArticle]`: the same, strict:
  raises `schemas.DecodeError` (its `reason` a DeadLetter reason) when any part is unreadable.
- `read_document(data, *, origin, ...) -> Iterator[RawArticle | FormatError]`: one document's bytes.
- `detect_format(data) -> str | None`, `detect_language(text) -> (code | None, confidence)`,
  `html_to_text(markup) -> str`, `parse_dateline(body, reference) -> Dateline | None`.

No reader raises for bad input: each problem is a `FormatError` whose `str()` is
`FILE:LINE: reason` (or `FILE: reason`), and whose `kind` is a DeadLetter reason.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import orjson

from schemas import DecodeError, RawArticle
from streams.formats.base import (
    MAX_DOCUMENT_BYTES,
    MAX_HTML_BYTES,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    ArticleOrError,
    Context,
    FormatError,
    Reader,
    Warn,
    log,
)
from streams.formats.detect import FORMATS, detect_format
from streams.formats.feeds import FeedReader, read_jsonfeed
from streams.formats.html import HtmlPageReader, html_to_text
from streams.formats.jsonl import JsonReader, json_kind, raw_article
from streams.formats.language import SUPPORTED_LANGUAGES, detect_language
from streams.formats.newsml import NewsMLReader
from streams.formats.ninjs import read_ninjs
from streams.formats.text import Dateline, TextReader, parse_dateline

__all__ = [
    "ARTICLE_SUFFIXES",
    "FORMATS",
    "MAX_DOCUMENT_BYTES",
    "MAX_HTML_BYTES",
    "MAX_ITEMS",
    "MAX_TEXT_CHARS",
    "SUPPORTED_LANGUAGES",
    "ArticleOrError",
    "Dateline",
    "FormatError",
    "Reader",
    "detect_format",
    "detect_language",
    "html_to_text",
    "parse_dateline",
    "read_bytes",
    "read_document",
    "read_path",
    "read_record",
]

_JSON, _FEED = JsonReader(), FeedReader()
READERS: dict[str, Reader] = {
    "jsonl": _JSON,
    "ninjs": _JSON,
    "jsonfeed": _JSON,
    "newsml-g2": NewsMLReader(),
    "rss": _FEED,
    "atom": _FEED,
    "html": HtmlPageReader(),
    "text": TextReader(),
}


def _describe(data: bytes) -> str:
    sample = data.lstrip()[:40]
    return repr(sample.decode("utf-8", "replace"))


def read_document(
    data: bytes,
    *,
    origin: str,
    source: str = "",
    max_bytes: int | None = None,
    warn: Warn | None = None,
    mtime: datetime | None = None,
    allow_text: bool = True,
) -> Iterator[ArticleOrError]:
    """Every article of one document (or a located error for each bad part); never raises for bad input."""
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, which JSON parsers refuse
        data = data[3:]
    if len(data) > MAX_DOCUMENT_BYTES:
        yield FormatError(
            origin, 0, f"document is {len(data)} bytes, over the limit of {MAX_DOCUMENT_BYTES}", "too_large"
        )
        return
    if not data.strip():
        yield FormatError(origin, 0, "empty (no content)", "invalid_json")
        return
    fmt = detect_format(data)
    if fmt is None or (fmt in ("text", "html") and not allow_text):
        yield FormatError(origin, 0, f"not a recognised format (starts {_describe(data)})", "invalid_json")
        return
    ctx = Context(
        origin=origin, source=source, max_bytes=max_bytes, mtime=mtime, **({"warn": warn} if warn is not None else {})
    )
    try:
        yield from READERS[fmt].read(data, ctx)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not become a traceback for one bad file
        yield FormatError(origin, 0, f"unreadable as {fmt}: {type(exc).__name__}: {exc}", "processing_error")


ARTICLE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json", ".xml", ".txt", ".text", ".rss", ".atom", ".html", ".htm"})
"""In a folder, files with these suffixes are read whatever they hold (the content still decides the format)."""
STRUCTURED_FORMATS = frozenset({"jsonl", "ninjs", "jsonfeed", "newsml-g2", "rss", "atom"})
"""In a folder, a file with another suffix (README.md, notes.csv) is read only when its content is one of these."""

Skip = Callable[[str], None]


def read_path(
    target: str | Path,
    *,
    source: str = "",
    max_bytes: int | None = None,
    warn: Warn | None = None,
    on_skip: Skip | None = None,
) -> Iterator[ArticleOrError]:
    """Every article from a file, a folder (recursively, hidden files skipped, sorted) or '-' for stdin.

    A file named on its own is always read (by content). In a folder, a file is read when its suffix is
    one of `ARTICLE_SUFFIXES`, or when its content is a structured wire format (`STRUCTURED_FORMATS`);
    any other file (a README.md, a .csv) is skipped and `on_skip` (default: `warn`) is told which and
    why. A broken symbolic link, a special file or a folder with nothing to read is a located error.
    """
    if str(target) == "-":
        yield from _read_stream(sys.stdin.buffer, "<stdin>", source, max_bytes, warn)
        return
    path = Path(target)
    skip = on_skip or warn or (lambda message: log.warning("%s", message))
    if path.is_symlink() and not path.exists():
        yield FormatError(str(target), 0, f"broken symbolic link (to {os.readlink(path)})")
        return
    if path.is_dir():
        entries = sorted(p for p in path.rglob("*") if not _hidden(p.relative_to(path)))
        files = []
        for entry in entries:
            if entry.is_symlink() and not entry.exists():
                yield FormatError(str(entry), 0, f"broken symbolic link (to {os.readlink(entry)})")
            elif entry.is_dir():
                if entry.suffix.lower() in ARTICLE_SUFFIXES and not any(entry.iterdir()):
                    yield FormatError(str(entry), 0, "a folder, not a file, and empty")
            elif not entry.is_file():
                yield FormatError(str(entry), 0, "not a regular file (a device, socket or pipe)")
            else:
                files.append(entry)
        if not files and not entries:
            yield FormatError(str(target), 0, "empty folder: no files to read")
            return
        picked = True
    elif path.exists():
        if not path.is_file():
            yield FormatError(str(target), 0, "not a regular file (a device, socket or pipe)")
            return
        files, picked = [path], False
    else:
        yield FormatError(str(target), 0, "no such file or directory")
        return
    for file in files:
        where = str(file)
        try:
            stat = file.stat()
            if stat.st_size > MAX_DOCUMENT_BYTES:
                yield FormatError(
                    where, 0, f"file is {stat.st_size} bytes, over the limit of {MAX_DOCUMENT_BYTES}", "too_large"
                )
                continue
            data = file.read_bytes()
        except OSError as exc:
            yield FormatError(where, 0, f"cannot read: {exc.strerror or exc}")
            continue
        if picked and file.suffix.lower() not in ARTICLE_SUFFIXES:
            fmt = detect_format(data.removeprefix(b"\xef\xbb\xbf")) if data.strip() else None
            if fmt not in STRUCTURED_FORMATS:
                looks = {None: "binary or empty", "text": "plain text", "html": "HTML"}.get(fmt, fmt)
                skip(
                    f"{where}: skipped: {file.suffix or 'no suffix'} is not an article suffix and the content is "
                    f"{looks}, not a wire format (name the file on its own, or as .txt/.html, to read it)"
                )
                continue
        yield from read_document(
            data,
            origin=where,
            source=source,
            max_bytes=max_bytes,
            warn=warn,
            mtime=datetime.fromtimestamp(stat.st_mtime, UTC),
        )


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _read_stream(
    handle: BinaryIO, where: str, source: str, max_bytes: int | None, warn: Warn | None
) -> Iterator[ArticleOrError]:
    """stdin: JSON lines are read as they come (a pipe that never ends); anything else is read whole."""
    first = handle.readline()
    while first and not first.strip():
        first = handle.readline()
    if first.lstrip().startswith(b"{"):
        try:
            streaming = isinstance(orjson.loads(first), dict)
        except orjson.JSONDecodeError:
            streaming = False
        if streaming:
            ctx = Context(origin=where, source=source, max_bytes=max_bytes, **({"warn": warn} if warn else {}))
            for number, line in enumerate(_chain(first, handle), start=1):
                if line.strip():
                    yield from _stream_line(line.strip(), number, ctx)
            return
    rest = handle.read(MAX_DOCUMENT_BYTES + 1 - len(first))
    yield from read_document(first + rest, origin=where, source=source, max_bytes=max_bytes, warn=warn)


def _chain(first: bytes, handle: BinaryIO) -> Iterator[bytes]:
    yield first
    yield from handle


def _stream_line(line: bytes, number: int, ctx: Context) -> Iterator[ArticleOrError]:
    """One line of a JSON-lines stream: a RawArticle, a one-line ninjs item or a one-line JSON Feed."""
    if ctx.max_bytes is not None and len(line) > ctx.max_bytes:
        yield FormatError(
            ctx.origin, number, f"article is {len(line)} bytes, over the limit of {ctx.max_bytes}", "too_large"
        )
        return
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        value = None
    kind = json_kind(value) if isinstance(value, dict) else "jsonl"
    if kind == "ninjs":
        yield read_ninjs(value, ctx.origin, number, ctx)
    elif kind == "jsonfeed":
        yield from read_jsonfeed(value, ctx.origin, ctx)
    else:  # RawArticle, or the error decode() gives for it
        yield raw_article({}, line, ctx.origin, number, ctx)


def read_record(
    data: bytes | None, *, origin: str, source: str = "", max_bytes: int | None = None
) -> tuple[list[RawArticle], list[FormatError]]:
    """One Kafka record value on `news.raw`: the articles it holds, and an error for each bad part.

    JSON (RawArticle, ninjs, JSON Feed) and XML (NewsML-G2, RSS, Atom) are read; plain text is not
    (a record has no file name to take an id from). Warnings go to the `streams.formats` logger.
    """
    if data is None:
        return [], [FormatError(origin, 0, "empty message (no value)", "invalid_json")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if detect_format(data) not in ("newsml-g2", "rss", "atom"):  # XML may declare another encoding
            return [], [FormatError(origin, 0, f"value is not UTF-8: {exc}", "invalid_utf8")]
    articles: list[RawArticle] = []
    errors: list[FormatError] = []
    for item in read_document(data, origin=origin, source=source, max_bytes=max_bytes, allow_text=False):
        (errors if isinstance(item, FormatError) else articles).append(item)
    return articles, errors


def read_bytes(data: bytes | None, *, origin: str, source: str = "", max_bytes: int | None = None) -> list[RawArticle]:
    """`read_record`, strict: raises DecodeError (reason: a DeadLetter reason) when any part is unreadable."""
    articles, errors = read_record(data, origin=origin, source=source, max_bytes=max_bytes)
    if errors:
        first = errors[0]
        message = first.message if first.where == origin and first.line <= 1 else str(first)
        if len(errors) > 1 or articles:
            message += f" (and {len(errors) - 1} more errors, {len(articles)} readable articles)"
        raise DecodeError(first.kind, message)
    return articles
