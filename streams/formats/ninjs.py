"""IPTC ninjs (News in JSON), versions 1.x to 3.x, one item per JSON object.

Field mapping (ninjs name -> RawArticle):
- `uri` -> `id` and `original_id` (the same uri across versions, so a later version supersedes)
- `version` -> `version`
- `headline` (1.x) or `headlines[]` (2.x/3.x; role "main" first) -> `headline`
- `body_text`, else `body_html` / `body_xhtml` as text (1.x), or `bodies[]` (2.x/3.x: text/plain
  first, then text/html, application/xhtml+xml; role "main" first) -> `body`
- `versioncreated`, else `firstcreated`, else `contentcreated` -> `published_at`
- `language` -> `language`; `byline` (1.x) or `by` (2.x/3.x) -> `byline`
- `located`, else the first of `place[]` / `places[]` names -> `place`
- `copyrightholder`, else the first `infosource[]` / `infosources[]` name -> `source`
"""

from __future__ import annotations

from typing import Any

from streams.formats.base import (
    ArticleOrError,
    Context,
    FormatError,
    build_article,
    clean_line,
    parse_time,
    parse_version,
)
from streams.formats.html import HtmlTooLarge, html_to_text, looks_like_html

__all__ = ["read_ninjs"]

_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")


def _main_first(entries: list[Any]) -> list[dict]:
    dicts = [entry for entry in entries if isinstance(entry, dict)]
    return sorted(dicts, key=lambda entry: 0 if entry.get("role") in (None, "", "main", "body") else 1)


def _headline(obj: dict) -> str:
    if isinstance(obj.get("headline"), str):
        return clean_line(obj["headline"])
    headlines = obj.get("headlines")
    if isinstance(headlines, list):
        for entry in _main_first(headlines):
            if isinstance(entry.get("value"), str) and entry["value"].strip():
                value = entry["value"]
                return clean_line(html_to_text(value) if looks_like_html(value) else value)
    title = obj.get("title")
    return clean_line(title) if isinstance(title, str) else ""


def _text(value: str, html: bool) -> str:
    return html_to_text(value) if html or looks_like_html(value) else value.strip()


def _body(obj: dict) -> str:
    if isinstance(obj.get("body_text"), str) and obj["body_text"].strip():
        return _text(obj["body_text"], False)
    for key in ("body_html", "body_xhtml"):
        if isinstance(obj.get(key), str) and obj[key].strip():
            return _text(obj[key], True)
    bodies = obj.get("bodies")
    if isinstance(bodies, list):
        entries = _main_first(bodies)
        for wanted in ("text/plain", *_HTML_TYPES):
            for entry in entries:
                kind = str(entry.get("contenttype") or "text/plain").split(";")[0].strip().lower()
                if kind == wanted and isinstance(entry.get("value"), str) and entry["value"].strip():
                    return _text(entry["value"], kind in _HTML_TYPES)
    return ""


def _first_name(obj: dict, *keys: str) -> str:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return clean_line(value)
        if isinstance(value, dict):
            value = [value]
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip():
                    return clean_line(entry["name"])
                if isinstance(entry, str) and entry.strip():
                    return clean_line(entry)
    return ""


def read_ninjs(obj: dict, where: str, line: int, ctx: Context) -> ArticleOrError:
    uri = obj.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        return FormatError(where, line, "ninjs item without a uri")
    try:
        body = _body(obj)
        headline = _headline(obj)
    except HtmlTooLarge as exc:
        return FormatError(where, line, f"{uri}: {exc}", "too_large")
    kind = obj.get("type")
    if not body and isinstance(kind, str) and kind not in ("text", "composite"):
        return FormatError(where, line, f"{uri}: a ninjs {kind} item, with no text body")
    published = None
    for key in ("versioncreated", "firstcreated", "contentcreated"):
        published = parse_time(obj.get(key))
        if published is not None:
            break
    else:
        if any(obj.get(key) for key in ("versioncreated", "firstcreated", "contentcreated")):
            return FormatError(where, line, f"{uri}: versioncreated/firstcreated is not an ISO 8601 time")
        return FormatError(where, line, f"{uri}: no versioncreated, firstcreated or contentcreated")
    language = obj.get("language") if isinstance(obj.get("language"), str) else None
    return build_article(
        where=where,
        line=line,
        original_id=uri,
        headline=headline,
        body=body,
        source=_first_name(obj, "copyrightholder", "infosources", "infosource") or ctx.source,
        published_at=published,
        format="ninjs",
        language=language,
        byline=_first_name(obj, "byline", "by") or None,
        version=parse_version(obj.get("version")),
        place=_first_name(obj, "located", "places", "place") or None,
        ctx=ctx,
    )
