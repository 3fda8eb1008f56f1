"""What every reader shares: the located error, the limits, and the small helpers for building a RawArticle.

A reader turns the bytes of one document (a file, or one Kafka record value) into articles. It never
raises for bad input: each problem comes out as a `FormatError` saying where (`FILE:LINE: reason`,
or `FILE: reason` when there is no line) and what, and the caller decides what to do with it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import ValidationError

from schemas import RawArticle, describe_validation_error

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_HTML_BYTES",
    "MAX_ITEMS",
    "MAX_TEXT_CHARS",
    "ArticleOrError",
    "Context",
    "FormatError",
    "Reader",
    "Warn",
    "build_article",
    "parse_time",
]

log = logging.getLogger("streams.formats")

# Limits. Every one bounds work done on input we do not control; each error says which was hit.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""One file or record value. Wire items are kilobytes and a day's feed a few megabytes; past 64 MiB
the document is refused unread rather than parsed into memory."""
MAX_ITEMS = 10_000
"""Items in one document (feed entries, newsMessage items, ninjs objects in one array). A busy
agency feed holds hundreds; a document with more is refused whole, before the feed parser runs."""
MAX_HTML_BYTES = 2 * 1024 * 1024
"""One HTML or XHTML body. A long wire story is ~50 KB of markup; a larger body is refused rather
than parsed (a 50 MB body would cost seconds and hundreds of MB in the HTML parser)."""
MAX_TEXT_CHARS = 1_000_000
"""Characters of body text in one article after conversion; past this the article is refused."""
MAX_ID_CHARS = 512
"""RawArticle.id's own limit: a longer original id is kept in `original_id` and hashed into `id`."""

Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class FormatError:
    """One input item (or document) that is not a valid article (it replaced streams.articles.ArticleError).

    `line` is 1-based; 0 when the problem has no line (a whole file, a feed entry).
    `reason` is one of DeadLetter's reasons, for the Kafka path.
    """

    where: str
    line: int
    message: str
    kind: str = "invalid_record"

    @property
    def reason(self) -> str:  # ArticleError's name for the message
        return self.message

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.message}" if self.line else f"{self.where}: {self.message}"


ArticleOrError = RawArticle | FormatError


@dataclass(frozen=True, slots=True)
class Context:
    """What a reader is told about the document besides its bytes."""

    origin: str
    """Names the document in errors: a file path, or `topic[partition]@offset` for a Kafka record."""
    source: str = ""
    """The article source when the format names none (a ninjs item without copyrightholder...)."""
    warn: Warn = field(default=lambda message: log.warning("%s", message))
    max_bytes: int | None = None
    """The caller's per-article limit (feed's --max-bytes): a JSON line, or an article's text, over it is refused."""
    mtime: datetime | None = None
    """The file's modification time: the last-resort date of a plain-text article."""


class Reader(ABC):
    """One wire format. `read` yields every article of a document, or a located error for each bad part."""

    name: ClassVar[str]

    @abstractmethod
    def read(self, data: bytes, ctx: Context) -> Iterator[ArticleOrError]:
        """Read one whole document."""


_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def clean_line(value: object) -> str:
    """A one-line field (headline, byline): whitespace collapsed, stripped."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value).replace("\n", " ")).strip()


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 instant (a trailing Z allowed); naive times are taken as UTC. None when absent or bad."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_version(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def article_id(original: str) -> str:
    """The RawArticle id for an original id: itself, or a stable hash when it is too long."""
    original = original.strip()
    if len(original) <= MAX_ID_CHARS:
        return original
    return "sha256:" + hashlib.sha256(original.encode("utf-8")).hexdigest()


def build_article(
    *,
    where: str,
    line: int,
    original_id: str | None,
    headline: str,
    body: str,
    source: str,
    published_at: datetime | None,
    format: str,  # noqa: A002 - the RawArticle field's name
    url: str | None = None,
    language: str | None = None,
    byline: str | None = None,
    version: int | None = None,
    place: str | None = None,
    fallback_id: str | None = None,
    ctx: Context | None = None,
) -> ArticleOrError:
    """A validated RawArticle, or the located error saying which field is wrong."""
    ident = (original_id or "").strip() or (fallback_id or "").strip()
    if not ident:
        return FormatError(where, line, "no id (the format's id field is missing or empty)")
    if published_at is None:
        return FormatError(where, line, f"{ident}: no publication time")
    if not headline and not body:
        return FormatError(where, line, f"{ident}: no headline and no text body")
    if ctx is not None and ctx.max_bytes is not None:
        size = len(headline.encode("utf-8")) + len(body.encode("utf-8"))
        if size > ctx.max_bytes:
            return FormatError(
                where, line, f"{ident}: article is {size} bytes, over the limit of {ctx.max_bytes}", "too_large"
            )
    if len(body) > MAX_TEXT_CHARS:
        return FormatError(
            where, line, f"{ident}: body is {len(body)} characters, over the limit of {MAX_TEXT_CHARS}", "too_large"
        )
    if not place and format != "text":
        from streams.formats.text import parse_dateline  # text.py builds on this module

        dateline = parse_dateline(body[:300], published_at)
        place = dateline.place if dateline else None
    try:
        return RawArticle(
            id=article_id(ident),
            headline=headline,
            body=body,
            source=source or format,
            published_at=published_at,
            url=url or None,
            language=language.strip() or None if isinstance(language, str) else None,
            byline=byline or None,
            format=format,
            original_id=(original_id or "").strip() or None,
            version=version,
            place=place or None,
        )
    except ValidationError as exc:
        return FormatError(where, line, f"{ident}: {describe_validation_error(exc)}")
