"""JSON documents: JSON lines of RawArticle (today's format), and the splitting of any JSON document into values.

One JSON document can be: one value on one or many lines (a ninjs item, a JSON Feed, a RawArticle),
a JSON array of objects, JSON lines (one object per line), or several pretty-printed objects one
after another. Each object is then handed to the reader of its kind (`json_kind`): RawArticle here,
ninjs in `ninjs.py`, JSON Feed in `feeds.py`.

JSON lines keep `streams.articles`' behaviour: a bad line never stops the reader, it is reported as
`FILE:LINE: reason` with the same messages (`value is not JSON: ...`, `field: message`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import orjson
from pydantic import ValidationError

from schemas import DecodeError, RawArticle, decode, describe_validation_error
from streams.formats.base import MAX_ITEMS, ArticleOrError, Context, FormatError, Reader

__all__ = ["JsonReader", "json_kind", "json_values"]

_NINJS_KEYS = frozenset(
    {
        "uri",
        "versioncreated",
        "firstcreated",
        "contentcreated",
        "body_text",
        "body_html",
        "body_xhtml",
        "bodies",
        "headlines",
        "located",
        "pubstatus",
        "urgency",
        "copyrightholder",
        "infosources",
        "altids",
        "renditions",
        "associations",
        "descriptions",
        "description_text",
        "subject",
        "subjects",
        "places",
        "by",
    }
)
_RAW_KEYS = frozenset(RawArticle.model_fields)
_SNIFF_LINES = 20


def json_kind(obj: dict) -> str:
    """Which reader an object is for: 'jsonfeed', 'ninjs' or 'jsonl' (a RawArticle)."""
    version = obj.get("version")
    if isinstance(version, str) and version.startswith(("https://jsonfeed.org/version/", "http://jsonfeed.org/")):
        return "jsonfeed"
    if "published_at" not in obj and not ({"id", "body", "source"} <= obj.keys()) and _NINJS_KEYS & obj.keys():
        return "ninjs"
    return "jsonl"


def _is_object_line(line: bytes) -> bool:
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def _looks_like_json_lines(lines: list[bytes]) -> bool:
    """Half the sampled lines are objects, or every one opens an object at its first byte.

    The second rule keeps a file of broken JSON lines read line by line (an error for each), as
    before: pretty-printed JSON indents or closes on every line after its first."""
    sample = [line for line in lines[: _SNIFF_LINES * 4] if line.strip()][:_SNIFF_LINES]
    if not sample:
        return False
    if sum(_is_object_line(line) for line in sample) * 2 >= len(sample):
        return True
    return len(sample) >= 2 and all(line.startswith(b"{") and line.strip() != b"{" for line in sample)


def json_values(data: bytes, where: str) -> Iterator[tuple[int, bytes | None, object]]:
    """(line, the line's bytes in JSON-lines mode else None, the value or a FormatError) for each value."""
    try:
        whole = orjson.loads(data)
    except orjson.JSONDecodeError:
        whole = _NOT_ONE
    if whole is not _NOT_ONE:
        if isinstance(whole, list):
            if len(whole) > MAX_ITEMS:
                yield (
                    0,
                    None,
                    FormatError(
                        where, 0, f"JSON array of {len(whole)} items, over the limit of {MAX_ITEMS}", "too_large"
                    ),
                )
                return
            for value in whole:
                yield 1, None, value
        else:
            yield 1, None, whole
        return
    lines = data.split(b"\n")
    if _looks_like_json_lines(lines):
        count = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            count += 1
            if count > MAX_ITEMS:
                yield (
                    number,
                    None,
                    FormatError(where, number, f"more than {MAX_ITEMS} lines; the rest are skipped", "too_large"),
                )
                return
            try:
                yield number, line.strip(), orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield number, line.strip(), FormatError(where, number, f"value is not JSON: {exc}", "invalid_json")
        return
    yield from _concatenated(data, where)


_NOT_ONE = object()


def _concatenated(data: bytes, where: str) -> Iterator[tuple[int, bytes | None, object]]:
    """Several JSON values one after another (pretty-printed ninjs items in one file)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield 0, None, FormatError(where, 0, f"not UTF-8: {exc}", "invalid_utf8")
        return
    decoder = json.JSONDecoder()
    pos, count, size = 0, 0, len(text)
    while True:
        while pos < size and text[pos] in " \t\r\n\ufeff":
            pos += 1
        if pos >= size:
            return
        line = text.count("\n", 0, pos) + 1
        count += 1
        if count > MAX_ITEMS:
            yield (
                line,
                None,
                FormatError(where, line, f"more than {MAX_ITEMS} JSON values; the rest are skipped", "too_large"),
            )
            return
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            at = text.count("\n", 0, exc.pos) + 1
            yield (
                at,
                None,
                FormatError(
                    where,
                    at,
                    f"value is not JSON: {exc.msg} (column {exc.colno}); the rest of the file is skipped",
                    "invalid_json",
                ),
            )
            return
        yield line, None, value


def raw_article(obj: dict, line_bytes: bytes | None, where: str, line: int, ctx: Context) -> ArticleOrError:
    """A RawArticle as written (today's JSON lines), with `format` set to 'jsonl' when it has none."""
    try:
        article = decode(line_bytes, RawArticle) if line_bytes is not None else RawArticle.model_validate(obj)
    except DecodeError as exc:
        return FormatError(where, line, str(exc), exc.reason)
    except ValidationError as exc:
        return FormatError(where, line, describe_validation_error(exc))
    return article if article.format else article.model_copy(update={"format": "jsonl"})


class JsonReader(Reader):
    """Any JSON document; each object goes to the reader of its kind."""

    name = "json"

    def read(self, data: bytes, ctx: Context) -> Iterator[ArticleOrError]:
        from streams.formats.feeds import read_jsonfeed
        from streams.formats.ninjs import read_ninjs

        where = ctx.origin
        for line, line_bytes, value in json_values(data, where):
            if isinstance(value, FormatError):
                yield value
                continue
            if line_bytes is not None and ctx.max_bytes is not None and len(line_bytes) > ctx.max_bytes:
                yield FormatError(
                    where, line, f"article is {len(line_bytes)} bytes, over the limit of {ctx.max_bytes}", "too_large"
                )
                continue
            if not isinstance(value, dict):
                yield FormatError(where, line, f"expected a JSON object, got {type(value).__name__}")
                continue
            kind = json_kind(value)
            if kind == "ninjs":
                yield read_ninjs(value, where, line, ctx)
            elif kind == "jsonfeed":
                yield from read_jsonfeed(value, where, ctx)
            else:
                yield raw_article(value, line_bytes, where, line, ctx)
