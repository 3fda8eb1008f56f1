"""Recognise a document's format by its content, never by its file name.

- JSON (first byte `{` or `[`): the first object decides: a JSON Feed (`version` is a jsonfeed.org
  URL), ninjs (ninjs fields such as `uri`, `versioncreated`, `body_text`, `headlines`), else
  today's RawArticle JSON lines.
- XML/HTML (first byte `<`): the root element decides: `newsItem`, `newsMessage`, `packageItem`
  (NewsML-G2), `rss` or `rdf:RDF` (RSS), `feed` (Atom), `html` (an HTML page).
- Anything else that is UTF-8 text without NUL bytes: a plain-text article.
"""

from __future__ import annotations

import re

from streams.formats.jsonl import json_kind, json_values

__all__ = ["FORMATS", "detect_format", "xml_root"]

FORMATS = ("jsonl", "ninjs", "jsonfeed", "newsml-g2", "rss", "atom", "html", "text")

_G2_ROOTS = {"newsItem", "newsMessage", "packageItem", "conceptItem", "knowledgeItem", "planningItem"}
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)", re.S | re.I)
_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_HTML_START = re.compile(rb"\s*<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|article|section)\b", re.I)


def xml_root(data: bytes) -> str | None:
    """The root element's (qualified) name, past the XML declaration, comments and DOCTYPE."""
    pos, head = 0, data[:65536]
    while True:
        match = _PROLOG.match(head, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    root = _ROOT.match(head, pos)
    return root.group(1).decode("ascii", "replace") if root else None


def detect_format(data: bytes) -> str | None:
    """One of FORMATS, or None when the bytes are no format we read (binary, an unknown XML root)."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        for _line, _bytes, value in json_values(
            data[: 4 * 1024 * 1024] if len(data) > 8 * 1024 * 1024 else data, "<detect>"
        ):
            if isinstance(value, dict):
                return json_kind(value)
            break
        return "jsonl"  # not valid JSON: read as JSON lines, which reports each bad line
    if start == b"<":
        if _HTML_START.match(data.lstrip(b"\xef\xbb\xbf")):
            return "html"
        root = xml_root(data.lstrip(b"\xef\xbb\xbf"))
        if root is None:
            return None
        local = root.rsplit(":", 1)[-1]
        if local in _G2_ROOTS:
            return "newsml-g2"
        if local in ("rss", "RDF"):
            return "rss"
        if local == "feed":
            return "atom"
        if local.lower() == "html":
            return "html"
        return None
    if b"\x00" in data[:8192]:
        return None
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 65536 - 4:  # not a character cut at the sample's end
            return None
    return "text"
