"""Detection by content, HTML to text, datelines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from streams.formats import detect_format, html_to_text, parse_dateline


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("articles.jsonl", "jsonl"),
        ("ninjs-1x.json", "ninjs"),
        ("ninjs-2x.json", "ninjs"),
        ("ninjs-3x-two.json", "ninjs"),
        ("ninjs-lines.ndjson", "ninjs"),
        ("newsml-item.xml", "newsml-g2"),
        ("newsml-message.xml", "newsml-g2"),
        ("rss.xml", "rss"),
        ("atom.xml", "atom"),
        ("jsonfeed.json", "jsonfeed"),
        ("dateline-manila.txt", "text"),
        ("german.txt", "text"),
        ("french.json", "ninjs"),
    ],
)
def test_detected_by_content(data: Path, name: str, fmt: str) -> None:
    assert detect_format((data / name).read_bytes()) == fmt


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<rdf:RDF xmlns:rdf='x'/>", "rss"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"<p>Just a paragraph</p>", "html"),
        (b"<catalog><x/></catalog>", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None),
        (b'[{"uri": "u", "headline": "h"}]', "ninjs"),
        (b'{"id": "a", "headline": "h", "body": "b", "source": "s", "published_at": "x"}', "jsonl"),
        (b"Headline\nBody", "text"),
    ],
)
def test_detect_edge_cases(content: bytes, fmt: str | None) -> None:
    assert detect_format(content) == fmt


def test_html_to_text_keeps_paragraphs_and_drops_markup() -> None:
    markup = """<html><head><title>T</title><style>p { color: red }</style></head><body>
      <h1>Head&shy;line</h1>
      <p>First   paragraph with <b>bold</b> and <a href="#">a link</a> &amp; an entity: caf&eacute; &#8212; done.</p>
      <script>var x = "<p>not text</p>";</script>
      <div><p>Second</p><p>Third<br/>line</p></div><!-- a comment -->
      <ul><li>one</li><li>two</li></ul>tail text
    </body></html>"""
    assert html_to_text(markup).split("\n") == [
        "Head\u00adline",
        "First paragraph with bold and a link & an entity: café — done.",
        "Second",
        "Third",
        "line",
        "one",
        "two",
        "tail text",
    ]


def test_html_to_text_of_fragments_and_nothing() -> None:
    assert html_to_text("") == ""
    assert html_to_text("no markup at all") == "no markup at all"
    assert html_to_text("<p>a</p>\n\n<p>b</p>") == "a\nb"
    assert html_to_text("<div>" * 200 + "deep" + "</div>" * 200) == "deep"  # no recursion in the walk
    # libxml2 stops nesting at 256 levels: hostile depth costs nothing and raises nothing.
    assert isinstance(html_to_text("<div>" * 50_000 + "deep"), str)


REF = datetime(2025, 10, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("body", "place", "day", "agency"),
    [
        ("MANILA, Sept 12 (Agency) - The port", "Manila", date(2025, 9, 12), "Agency"),
        ("KYIV, Ukraine — Air defences", "Kyiv, Ukraine", None, None),
        ("Geneva, 3 October 2025: Talks", "Geneva", date(2025, 10, 3), None),
        ("WASHINGTON, Oct. 3, 2025 -- The", "Washington", date(2025, 10, 3), None),
        ("PARIS, 13 octobre (Agence Exemple) - Le", "Paris", date(2025, 10, 13), "Agence Exemple"),
        ("BERLIN, 14. Oktober 2025 (Agentur) - Die", "Berlin", date(2025, 10, 14), "Agentur"),
        ("SAN FRANCISCO, Calif., Oct 2 (AP) - x", "San Francisco, Calif.", date(2025, 10, 2), "AP"),
        ("LONDON, 2025-10-03 - x", "London", date(2025, 10, 3), None),
        ("NEW YORK, Dec 30 - x", "New York", date(2024, 12, 30), None),  # never months after the reference
        ("Port-au-Prince (Agency) - x", "Port-au-Prince", None, "Agency"),
    ],
)
def test_datelines(body: str, place: str, day: date | None, agency: str | None) -> None:
    found = parse_dateline(body, REF)
    assert found is not None
    assert (found.place, found.day, found.agency) == (place, day, agency)
    assert body[found.end :][:1] not in " -—:"


@pytest.mark.parametrize(
    "body",
    [
        "The minister said: no deal.",
        "Analysts - most of them - agree.",
        "In 2025, prices rose - sharply.",
        '"We will not go," he said - and left.',
        "MANILA, the capital, said - x",
        "",
    ],
)
def test_not_datelines(body: str) -> None:
    assert parse_dateline(body, REF) is None
