"""Bad and hostile input: every failure is a located error, every big input is bounded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from schemas import DecodeError
from streams.formats import MAX_HTML_BYTES, MAX_ITEMS, FormatError, read_bytes, read_path, read_record


def errors_of(path: Path, **kwargs) -> list[str]:
    return [str(item) for item in read_path(path, **kwargs) if isinstance(item, FormatError)]


def test_json_lines_errors_keep_their_line_and_message(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    good = '{"id":"x","headline":"h","body":"b","source":"s","published_at":"2025-10-07T08:00:00Z"}'
    path.write_text(f'{good}\ngarbage\n\n{good[:-1]},"surprise":1}}\n{{"id":"y"}}\n[1]\n')
    assert errors_of(path) == [
        f"{path}:2: value is not JSON: unexpected character, expected a JSON value: line 1 column 1 (char 0)",
        f"{path}:4: surprise: Extra inputs are not permitted",
        f"{path}:5: headline: Field required; body: Field required; source: Field required; "
        "published_at: Field required",
        f"{path}:6: expected a JSON object, got list",
    ]
    assert len([item for item in read_path(path) if not isinstance(item, FormatError)]) == 1


def test_ninjs_errors_say_which_item(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        '{\n "uri": "u1",\n "headline": "h"\n}\n{\n "uri": "u2",\n "versioncreated": "yesterday",\n'
        ' "headline": "h"\n}\n{\n "headline": "no uri", "body_text": "b"\n}\n{\n "uri": "u4", "oops\n'
    )
    assert errors_of(path) == [
        f"{path}:1: u1: no versioncreated, firstcreated or contentcreated",
        f"{path}:5: u2: versioncreated/firstcreated is not an ISO 8601 time",
        f"{path}:10: ninjs item without a uri",
        f"{path}:14: value is not JSON: Invalid control character at (column 20); the rest of the file is skipped",
    ]


def test_newsml_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><itemMeta>')
    (error,) = errors_of(broken)
    assert error.startswith(f"{broken}: not well-formed XML:")
    no_guid = tmp_path / "noguid.xml"
    no_guid.write_text('<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">\n<contentMeta/></newsItem>')
    assert errors_of(no_guid) == [f"{no_guid}:1: newsItem without a guid"]
    package = tmp_path / "package.xml"
    package.write_text(
        '<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="p">\n<groupSet><group>\n'
        '<itemRef residref="elsewhere"/></group></groupSet></packageItem>'
    )
    assert errors_of(package) == [f"{package}:3: packageItem p refers to item elsewhere, which is not in this document"]


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


@pytest.mark.parametrize(
    "root",
    [
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><contentMeta><headline>&lol9;</headline>'
        b"</contentMeta></newsItem>",
        b'<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title><guid>g</guid></item></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><title>&lol9;</title></entry></feed>',
    ],
)
def test_xml_bombs_are_refused_unexpanded(tmp_path: Path, root: bytes) -> None:
    path = tmp_path / "bomb.xml"
    path.write_bytes(BOMB + root)
    start = time.perf_counter()
    (error,) = errors_of(path)
    assert "ENTITY" in error and error.startswith(f"{path}: ")
    assert time.perf_counter() - start < 1.0


def test_external_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<newsItem guid="g"><contentMeta><headline>&x;</headline></contentMeta></newsItem>'
    )
    (error,) = errors_of(path)
    assert "refused" in error


def test_a_50_mb_html_body_is_refused_quickly(tmp_path: Path) -> None:
    import orjson

    body = "<p>" + "word " * (10 * 1024 * 1024) + "</p>"  # 50 MB
    path = tmp_path / "huge.json"
    path.write_bytes(
        orjson.dumps({"uri": "u", "versioncreated": "2025-10-01T00:00:00Z", "headline": "h", "body_html": body})
    )
    start = time.perf_counter()
    (error,) = errors_of(path)
    assert error == f"{path}:1: u: HTML body is {len(body)} bytes, over the limit of {MAX_HTML_BYTES}"
    assert time.perf_counter() - start < 5.0


def test_a_feed_with_100000_items_is_refused_before_parsing(tmp_path: Path) -> None:
    item = b"<item><title>t</title><guid>g%d</guid><pubDate>Fri, 10 Oct 2025 09:15:00 GMT</pubDate></item>"
    path = tmp_path / "big.xml"
    path.write_bytes(
        b'<rss version="2.0"><channel><title>big</title>'
        + b"".join(item % n for n in range(100_000))
        + b"</channel></rss>"
    )
    start = time.perf_counter()
    assert errors_of(path) == [f"{path}: feed of 100000 items, over the limit of {MAX_ITEMS}"]
    assert time.perf_counter() - start < 2.0


def test_feed_items_without_dates_or_ids(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<rss version="2.0"><channel><title>f</title>'
        "<item><title>no date</title><guid>a</guid></item>"
        "<item><title>no id</title><pubDate>Fri, 10 Oct 2025 09:15:00 GMT</pubDate></item>"
        "</channel></rss>"
    )
    assert errors_of(path) == [
        f"{path} item 1: a: no publication time",
        f"{path} item 2: no id (the format's id field is missing or empty)",
    ]


def test_missing_unreadable_and_unknown(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: no such file or directory"]
    (tmp_path / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "other.xml").write_text("<catalog><book/></catalog>")
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 ouvert\n\nLe caf\xe9".encode("latin-1"))
    skipped: list[str] = []
    assert errors_of(tmp_path, on_skip=skipped.append) == [
        f"{tmp_path / 'empty.txt'}: empty (no content)",
        f"{tmp_path / 'latin1.txt'}: not a recognised format (starts 'Caf� ouvert\\n\\nLe caf�')",
        f"{tmp_path / 'other.xml'}: not a recognised format (starts '<catalog><book/></catalog>')",
    ]
    # in a folder, a file without an article suffix whose content is no wire format is skipped, and said
    (note,) = skipped
    assert note.startswith(f"{tmp_path / 'img.png'}: skipped: .png is not an article suffix") and "binary" in note
    assert errors_of(tmp_path / "img.png")[0].startswith(f"{tmp_path / 'img.png'}: not a recognised format")


def test_max_bytes_per_article(data: Path) -> None:
    errors = errors_of(data / "ninjs-1x.json", max_bytes=100)
    assert errors == [
        f"{data / 'ninjs-1x.json'}:1: urn:example:wire:2025:1003-port-talks: article is 259 bytes, "
        "over the limit of 100"
    ]


def test_read_bytes_raises_decode_errors_with_dead_letter_reasons(data: Path) -> None:
    with pytest.raises(DecodeError) as bad_utf8:
        read_bytes(b'{"uri": "\xff"}', origin="news.raw[0]@1")
    assert bad_utf8.value.reason == "invalid_utf8"
    with pytest.raises(DecodeError) as text:
        read_bytes(b"Headline\nBody", origin="news.raw[0]@2")
    assert text.value.reason == "invalid_json" and "not a recognised format" in str(text.value)
    with pytest.raises(DecodeError) as invalid:
        read_bytes(b'{"id": "x"}', origin="news.raw[0]@3")
    assert invalid.value.reason == "invalid_record" and str(invalid.value).startswith("headline: Field required")
    with pytest.raises(DecodeError) as empty:
        read_bytes(None, origin="news.raw[0]@4")
    assert str(empty.value) == "empty message (no value)"
    articles, errors = read_record(
        b'[{"uri": "a", "versioncreated": "2025-10-01T00:00:00Z", "headline": "h"}, {"uri": "b"}]',
        origin="news.raw[0]@5",
    )
    assert [a.id for a in articles] == ["a"] and [str(e) for e in errors] == [
        "news.raw[0]@5:1: b: no versioncreated, firstcreated or contentcreated"
    ]


def test_the_parser_alone_expands_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second fence: even past the DOCTYPE refusal, lxml is set to expand no entity."""
    from streams.formats import newsml

    monkeypatch.setattr(newsml, "has_dtd", lambda data: False)
    start = time.perf_counter()
    try:
        root = newsml.safe_xml(BOMB + b"<newsItem guid='g'><headline>&lol9;</headline></newsItem>")
    except ValueError as exc:  # refused after parsing (the DOCTYPE is seen): fine too
        assert "DOCTYPE" in str(exc) or "XML" in str(exc)
    else:
        assert len("".join(root.itertext())) < 100
    assert time.perf_counter() - start < 1.0


def test_pictures_are_not_articles(tmp_path: Path) -> None:
    path = tmp_path / "picture.json"
    path.write_text('{"uri": "p1", "type": "picture", "versioncreated": "2025-10-01T00:00:00Z", "headline": "A photo"}')
    assert errors_of(path) == [f"{path}:1: p1: a ninjs picture item, with no text body"]
