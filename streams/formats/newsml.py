"""IPTC NewsML-G2: a `newsItem`, or a `newsMessage` whose `itemSet` holds several items.

Mapping (G2 element -> RawArticle): `newsItem/@guid` -> `id`, `original_id`; `@version` -> `version`;
`itemMeta/versionCreated` (else `firstCreated`, `contentMeta/contentCreated`) -> `published_at`;
`contentMeta/headline` -> `headline`; `contentSet/inlineXML` (XHTML, as text) or `inlineData`
(text/plain; text/html as text) -> `body`; `contentMeta/language/@tag` or the item's `xml:lang` ->
`language`; `contentMeta/by` or `creator/name` -> `byline`; `contentMeta/located/name` or
`dateline` -> `place`; `itemMeta/provider` (name, @literal or @qcode), else `infoSource` -> `source`;
`itemMeta/link[@rel="irel:canonical" or "irel:seeAlso"]/@href` (http only) -> `url`.
A `packageItem` holds references (`itemRef`), not text: a reference to an item not in the same
message is reported, never guessed.

Library: lxml. It is maintained (libxml2 underneath), namespace-aware, and gives every element its
source line for located errors. Hostile XML: a document with any DOCTYPE is refused before it is
parsed (NewsML-G2 never needs a DTD), and the parser is built with `resolve_entities=False`,
`no_network=True`, `load_dtd=False` and `huge_tree=False` as a second fence, so no entity is ever
expanded and nothing is fetched. (defusedxml does the same for the standard library but has had no
release since 2021.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from streams.formats.base import (
    MAX_ITEMS,
    ArticleOrError,
    Context,
    FormatError,
    Reader,
    build_article,
    clean_line,
    parse_time,
    parse_version,
)
from streams.formats.html import MAX_HTML_BYTES, HtmlTooLarge, element_to_text, html_to_text

__all__ = ["NewsMLReader", "has_dtd", "safe_xml"]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def has_dtd(data: bytes) -> bool:
    """True when the document has a DOCTYPE or ENTITY declaration anywhere (one regex pass, no parsing).

    The whole document is scanned rather than its prolog, so no comment or padding can hide one;
    in element content such text is always escaped (`&lt;!DOCTYPE`), so nothing real is refused.
    """
    return _DOCTYPE.search(data) is not None


def safe_xml(data: bytes) -> etree._Element:
    """Parse XML that has no DTD, with entity expansion and network access off. Raises ValueError."""
    if has_dtd(data):
        raise ValueError("XML with a DOCTYPE or ENTITY declaration is refused (entities could expand without bound)")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise ValueError("XML with a DOCTYPE is refused")
    return root


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(node: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in node if _local(child.tag) == name)


def _child(node: etree._Element | None, *path: str) -> etree._Element | None:
    for name in path:
        if node is None:
            return None
        node = next(_children(node, name), None)
    return node


def _text(node: etree._Element | None) -> str:
    return clean_line("".join(node.itertext())) if node is not None else ""


def _named(node: etree._Element | None) -> str:
    """A G2 concept's label: its <name>, else @literal, else @qcode."""
    if node is None:
        return ""
    return _text(_child(node, "name")) or clean_line(node.get("literal")) or clean_line(node.get("qcode"))


def _body(item: etree._Element) -> str:
    content = _child(item, "contentSet")
    if content is None:
        return ""
    for node in content:
        name = _local(node.tag)
        kind = (node.get("contenttype") or "").split(";")[0].strip().lower()
        if name == "inlineXML":
            size = len(etree.tostring(node))
            if size > MAX_HTML_BYTES:
                raise HtmlTooLarge(f"inlineXML is {size} bytes, over the limit of {MAX_HTML_BYTES}")
            body = next((el for el in node.iter() if _local(el.tag) == "body"), None)
            return element_to_text(body if body is not None else node)
        if name == "inlineData":
            text = node.text or ""
            if kind in ("text/html", "application/xhtml+xml"):
                return html_to_text(text)
            return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return ""


def _item(item: etree._Element, where: str, ctx: Context) -> ArticleOrError:
    line = item.sourceline or 0
    guid = item.get("guid")
    if not guid or not guid.strip():
        return FormatError(where, line, "newsItem without a guid")
    meta, content_meta = _child(item, "itemMeta"), _child(item, "contentMeta")
    published = None
    for node in (_child(meta, "versionCreated"), _child(meta, "firstCreated"), _child(content_meta, "contentCreated")):
        if node is not None:
            published = parse_time(_text(node))
            if published is None:
                return FormatError(
                    where, node.sourceline or line, f"{guid}: {_local(node.tag)} is not an ISO 8601 time"
                )
            break
    try:
        body = _body(item)
    except HtmlTooLarge as exc:
        return FormatError(where, line, f"{guid}: {exc}", "too_large")
    item_class = _child(meta, "itemClass")
    kind = item_class.get("qcode", "") if item_class is not None else ""
    if not body and kind and kind not in ("ninat:text", "ninat:composite"):
        return FormatError(where, line, f"{guid}: a {kind} item, with no text body")
    language = None
    if content_meta is not None:
        tag = _child(content_meta, "language")
        language = tag.get("tag") if tag is not None else None
    language = language or item.get(XML_LANG)
    byline = _text(_child(content_meta, "by")) or _named(_child(content_meta, "creator"))
    place = _named(_child(content_meta, "located")) or _text(_child(content_meta, "dateline"))
    source = _named(_child(meta, "provider")) or _named(_child(content_meta, "infoSource")) or ctx.source
    url = None
    for link in _children(meta, "link") if meta is not None else ():
        if link.get("rel") in ("irel:canonical", "irel:seeAlso") and link.get("href", "").startswith("http"):
            url = link.get("href")
            break
    return build_article(
        where=where,
        line=line,
        original_id=guid,
        headline=_text(_child(content_meta, "headline")),
        body=body,
        source=source,
        published_at=published,
        format="newsml-g2",
        url=url,
        language=language,
        byline=byline or None,
        version=parse_version(item.get("version")),
        place=place or None,
        ctx=ctx,
    )


class NewsMLReader(Reader):
    name = "newsml-g2"

    def read(self, data: bytes, ctx: Context) -> Iterator[ArticleOrError]:
        where = ctx.origin
        try:
            root = safe_xml(data)
        except ValueError as exc:
            yield FormatError(where, 0, str(exc), "invalid_record")
            return
        kind = _local(root.tag)
        if kind == "newsItem":
            items, packages = [root], []
        elif kind == "packageItem":
            items, packages = [], [root]
        elif kind == "newsMessage":
            item_set = _child(root, "itemSet")
            members = list(item_set) if item_set is not None else []
            if len(members) > MAX_ITEMS:
                yield FormatError(
                    where, 0, f"newsMessage of {len(members)} items, over the limit of {MAX_ITEMS}", "too_large"
                )
                return
            items = [m for m in members if _local(m.tag) == "newsItem"]
            packages = [m for m in members if _local(m.tag) == "packageItem"]
            if not items and not packages:
                yield FormatError(where, root.sourceline or 0, "newsMessage without items in its itemSet")
                return
        else:
            yield FormatError(where, root.sourceline or 0, f"NewsML-G2 root <{kind}> holds no news text")
            return
        guids = {item.get("guid") for item in items}
        for package in packages:
            for ref in package.iter():
                if _local(ref.tag) == "itemRef" and ref.get("residref") and ref.get("residref") not in guids:
                    yield FormatError(
                        where,
                        ref.sourceline or 0,
                        f"packageItem {package.get('guid')} refers to item "
                        f"{ref.get('residref')}, which is not in this document",
                    )
        for item in items:
            yield _item(item, where, ctx)
