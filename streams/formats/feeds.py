"""Feeds: RSS 2.0 and Atom through feedparser, JSON Feed (1.0, 1.1) read here.

feedparser is the long-standing feed library (RSS 0.9x-2.0, RSS 1.0, Atom; lenient with broken
feeds, decodes CDATA and entities). Its released 6.0 line does not read JSON Feed, so JSON Feed,
which is plain JSON with a published schema, is mapped here.

Mapping: item GUID / entry id (else the link) -> `id`, `original_id`; published (else updated;
else the feed's own date, with a warning) -> `published_at`; content (else summary/description)
as text -> `body`; title -> `headline`; link -> `url`; author -> `byline`; the feed's title ->
`source`; the entry's or feed's language -> `language`.

Bounds: the item count is taken from the raw bytes before feedparser runs (MAX_ITEMS), and a
document declaring entities is refused before it is parsed (feedparser's expat never expands
external entities; this fence also keeps internal ones out).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser

from streams.formats.base import (
    MAX_ITEMS,
    ArticleOrError,
    Context,
    FormatError,
    Reader,
    build_article,
    clean_line,
    parse_time,
)
from streams.formats.html import HtmlTooLarge, html_to_text, looks_like_html

__all__ = ["FeedReader", "read_jsonfeed"]

_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ENTITY = re.compile(rb"<!\s*ENTITY", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _when(parsed: object) -> datetime | None:
    if parsed is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # feedparser's struct_time is UTC


def _as_text(value: str, kind: str) -> str:
    if kind in _HTML_TYPES or looks_like_html(value):
        return html_to_text(value)
    return "\n".join(line.strip() for line in value.strip().splitlines() if line.strip())


class FeedReader(Reader):
    """RSS 2.0 (and 0.9x, 1.0) and Atom."""

    name = "feed"

    def read(self, data: bytes, ctx: Context) -> Iterator[ArticleOrError]:
        where = ctx.origin
        if _ENTITY.search(data):  # anywhere: no comment or padding hides one; in content it is escaped
            yield FormatError(
                where, 0, "feed with an ENTITY declaration is refused (entities could expand without bound)"
            )
            return
        count = len(_ITEM.findall(data))
        if count > MAX_ITEMS:
            yield FormatError(where, 0, f"feed of {count} items, over the limit of {MAX_ITEMS}", "too_large")
            return
        try:
            parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        except (UnicodeError, ValueError) as exc:  # feedparser's encoding sniffing raises on some broken bytes
            yield FormatError(where, 0, f"not a readable feed: {type(exc).__name__}: {exc}", "invalid_utf8")
            return
        version = parsed.get("version") or ""
        if not parsed.entries:
            problem = parsed.get("bozo_exception")
            yield FormatError(
                where,
                getattr(problem, "getLineNumber", lambda: 0)() or 0,
                f"feed without items{f': {problem}' if parsed.get('bozo') else ''}",
            )
            return
        fmt = "atom" if version.startswith("atom") else "rss"
        feed = parsed.feed
        source = clean_line(feed.get("title")) or ctx.source
        feed_time = _when(feed.get("updated_parsed") or feed.get("published_parsed"))
        for number, entry in enumerate(parsed.entries, start=1):
            yield self._entry(entry, number, fmt, source, feed, feed_time, ctx)

    def _entry(self, entry, number, fmt, source, feed, feed_time, ctx: Context) -> ArticleOrError:  # noqa: ANN001
        where = f"{ctx.origin} item {number}"
        ident = entry.get("id") or entry.get("link")
        published = _when(entry.get("published_parsed") or entry.get("updated_parsed"))
        if published is None and feed_time is not None:
            ctx.warn(f"{where} ({ident}): no date of its own; using the feed's date {feed_time.isoformat()}")
            published = feed_time
        try:
            body = ""
            for part in entry.get("content") or ():
                if part.get("value", "").strip():
                    body = _as_text(part["value"], part.get("type", ""))
                    break
            if not body and entry.get("summary"):
                body = _as_text(entry["summary"], (entry.get("summary_detail") or {}).get("type", ""))
            title = entry.get("title", "")
            headline = clean_line(_as_text(title, (entry.get("title_detail") or {}).get("type", "")))
        except HtmlTooLarge as exc:
            return FormatError(where, 0, f"{ident}: {exc}", "too_large")
        language = None
        for detail in (
            *(entry.get("content") or ()),
            entry.get("summary_detail") or {},
            entry.get("title_detail") or {},
        ):
            language = language or detail.get("language")
        return build_article(
            where=where,
            line=0,
            original_id=ident,
            headline=headline,
            body=body,
            source=source,
            published_at=published,
            format=fmt,
            url=entry.get("link") if str(entry.get("link", "")).startswith(("http://", "https://")) else None,
            language=language or feed.get("language"),
            byline=clean_line(entry.get("author")) or None,
            ctx=ctx,
        )


def _jsonfeed_author(obj: dict) -> str:
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [clean_line(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
        if names:
            return ", ".join(names)
    author = obj.get("author")
    return clean_line(author.get("name")) if isinstance(author, dict) and author.get("name") else ""


def read_jsonfeed(feed: dict, where: str, ctx: Context) -> Iterator[ArticleOrError]:
    items = feed.get("items")
    if not isinstance(items, list):
        yield FormatError(where, 0, "JSON Feed without an items list")
        return
    if len(items) > MAX_ITEMS:
        yield FormatError(where, 0, f"JSON Feed of {len(items)} items, over the limit of {MAX_ITEMS}", "too_large")
        return
    source = clean_line(feed.get("title")) or ctx.source
    for number, item in enumerate(items, start=1):
        at = f"{where} item {number}"
        if not isinstance(item, dict):
            yield FormatError(at, 0, f"expected a JSON object, got {type(item).__name__}")
            continue
        ident = item.get("id")
        ident = str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) else None
        try:
            if isinstance(item.get("content_text"), str) and item["content_text"].strip():
                body = _as_text(item["content_text"], "text/plain")
            elif isinstance(item.get("content_html"), str):
                body = html_to_text(item["content_html"])
            else:
                body = clean_line(item.get("summary")) if isinstance(item.get("summary"), str) else ""
        except HtmlTooLarge as exc:
            yield FormatError(at, 0, f"{ident}: {exc}", "too_large")
            continue
        yield build_article(
            where=at,
            line=0,
            original_id=ident,
            headline=clean_line(item.get("title")) if isinstance(item.get("title"), str) else "",
            body=body,
            source=source,
            published_at=parse_time(item.get("date_published")) or parse_time(item.get("date_modified")),
            format="jsonfeed",
            url=item.get("url") if isinstance(item.get("url"), str) else None,
            language=item.get("language") or feed.get("language"),
            byline=_jsonfeed_author(item) or _jsonfeed_author(feed) or None,
            ctx=ctx,
        )
