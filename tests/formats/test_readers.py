"""One test per format: each sample file is recognised by content and read into RawArticles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas import RawArticle, decode, encode
from streams.formats import FormatError, detect_format, read_bytes, read_path


def read_all(path: Path, **kwargs) -> list[RawArticle]:
    items = list(read_path(path, **kwargs))
    errors = [str(item) for item in items if isinstance(item, FormatError)]
    assert not errors, errors
    return items


def test_json_lines_of_raw_articles_keep_their_ids(data: Path) -> None:
    first, second = read_all(data / "articles.jsonl")
    assert (first.id, second.id) == ("jl-1", "jl-2")
    assert first.format == "jsonl" and first.language == "en"
    assert first.published_at == datetime(2025, 10, 7, 8, tzinfo=UTC)


def test_ninjs_1x_pretty_with_body_html(data: Path) -> None:
    (article,) = read_all(data / "ninjs-1x.json")
    assert article.format == "ninjs"
    assert article.id == article.original_id == "urn:example:wire:2025:1003-port-talks"
    assert article.version == 2
    assert article.headline == "Harbour unions and ministry resume port talks"
    assert article.published_at == datetime(2025, 10, 3, 9, 40, tzinfo=UTC)  # versioncreated, not firstcreated
    assert article.byline == "By Ada Quill" and article.place == "Valletta" and article.source == "Example Wire"
    assert article.body.split("\n") == [
        "VALLETTA, Oct 3 (Example Wire) - The transport minister said on Friday that talks with the harbour unions "
        "would resume & continue until a deal is reached.",
        '"We will not let the port close again," she told reporters.',
    ]
    assert "<" not in article.body and "track()" not in article.body


def test_ninjs_2x_headlines_bodies_by_places(data: Path) -> None:
    (article,) = read_all(data / "ninjs-2x.json")
    assert article.headline == "Ministers agree to extend grain corridor by three months"  # role main
    assert article.body.startswith(
        "The ministers agreed on Saturday to extend the corridor by three months."
    )  # text/plain
    assert article.byline == "Tomas Reed" and article.place == "Istanbul" and article.source == "Example Wire"
    assert article.language == "en-GB" and article.version == 3
    assert article.published_at == datetime(2025, 10, 4, 9, 5, tzinfo=UTC)


def test_ninjs_3x_two_pretty_objects_in_one_file_with_xhtml(data: Path) -> None:
    drones, floods = read_all(data / "ninjs-3x-two.json", source="agency feed")
    assert drones.id == "urn:example:wire:2025:1005-drones"
    assert drones.body == (
        "A drone attack damaged a power station overnight, the regional governor said.\nRepairs will take a week."
    )
    assert floods.version is None and floods.language is None and floods.source == "agency feed"


def test_ninjs_one_per_line(data: Path) -> None:
    summit, rates = read_all(data / "ninjs-lines.ndjson")
    assert (summit.format, rates.format) == ("ninjs", "ninjs")
    assert summit.place == "Geneva" and rates.headline == "Central bank holds rates"


def test_newsml_g2_news_item(data: Path) -> None:
    (article,) = read_all(data / "newsml-item.xml")
    assert article.format == "newsml-g2"
    assert article.id == "urn:newsml:example.org:20251008:ceasefire" and article.version == 4
    assert article.published_at == datetime(2025, 10, 8, 14, 20, tzinfo=UTC)
    assert article.headline == "Foreign minister says border stays closed until ceasefire holds"
    assert article.language == "en" and article.place == "Kyiv" and article.byline == "By Mira Holt"
    assert article.source == "Example Wire" and article.url == "https://news.example.org/2025/10/08/ceasefire"
    lines = article.body.split("\n")
    assert len(lines) == 2 and lines[0].startswith("KYIV, Ukraine — The foreign minister")
    assert lines[1] == '"We will open it when the guns are silent," he said & left the hall.'
    assert "Border stays closed" not in article.body  # the XHTML head's title is not text


def test_newsml_g2_news_message_with_two_items_and_a_package(data: Path) -> None:
    rescue, sanctions = read_all(data / "newsml-message.xml")
    assert rescue.id.endswith("rescue") and sanctions.id.endswith("sanctions")
    assert (
        rescue.body == "Rescue teams searched through the rubble overnight, the mayor said.\n"
        "Aftershocks shook the coastal town at dawn."
    )
    assert rescue.place == "Izmir"
    assert sanctions.version == 2 and sanctions.published_at == datetime(2025, 10, 9, 8, 45, tzinfo=UTC)


def test_rss_2_with_cdata_html(data: Path) -> None:
    front, insurers = read_all(data / "rss.xml")
    assert front.format == "rss" and front.id == front.original_id == "example-wire-20251010-front"
    assert (
        front.body == 'The army said on Friday it had repelled an attack near the eastern front.\n"Our lines held," '
        "a spokesman said."
    )  # content:encoded over description; no tags, no script, no CDATA
    assert front.byline == "Lena Park" and front.source == "Example Wire World" and front.language == "en"
    assert front.url == "https://news.example.org/2025/10/10/front"
    assert insurers.id == "https://news.example.org/2025/10/10/insurers"
    assert insurers.published_at == datetime(2025, 10, 10, 8, 40, tzinfo=UTC)
    assert insurers.body == "Insurers raised premiums for vessels crossing the strait & said risks had grown."


def test_atom(data: Path) -> None:
    geneva, fires = read_all(data / "atom.xml")
    assert geneva.format == "atom" and geneva.id == "urn:example:wire:2025:1011-geneva"
    assert geneva.published_at == datetime(2025, 10, 11, 8, tzinfo=UTC)  # published over updated
    assert (
        geneva.body == "Negotiators met again in Geneva on Saturday.\nHopes for a deal are fading, one delegate said."
    )
    assert geneva.byline == "Noor Haddad" and geneva.language == "en"
    assert fires.published_at == datetime(2025, 10, 11, 10, tzinfo=UTC) and fires.url is None


def test_json_feed(data: Path) -> None:
    measles, clinics = read_all(data / "jsonfeed.json")
    assert measles.format == "jsonfeed" and measles.id == "example-wire-20251012-measles"
    assert (
        measles.body
        == "The health ministry reported a rise in measles cases on Sunday.\nVaccination centres will open longer."
    )
    assert measles.byline == "Ines Duarte" and measles.source == "Example Wire Health"
    assert clinics.published_at == datetime(2025, 10, 12, 8, tzinfo=UTC)


def test_text_with_dateline_takes_date_and_place(sample) -> None:  # noqa: ANN001
    warnings: list[str] = []
    (article,) = read_all(sample("dateline-manila.txt"), warn=warnings.append)
    assert article.format == "text" and article.id == "dateline-manila"
    assert article.headline == "Port workers end strike after pay deal"
    assert article.place == "Manila"
    assert article.published_at == datetime(2025, 9, 12, tzinfo=UTC)  # the year from the file's time
    assert not warnings


def test_text_without_dateline_date_falls_back_to_the_file_time_with_a_warning(sample) -> None:  # noqa: ANN001
    warnings: list[str] = []
    (article,) = read_all(sample("dateline-kyiv.txt"), warn=warnings.append)
    assert article.place == "Kyiv, Ukraine"
    assert article.published_at == datetime(2025, 10, 20, 12, tzinfo=UTC)
    assert len(warnings) == 1 and "dateline-kyiv.txt" in warnings[0] and "file's time" in warnings[0]


def test_text_with_full_date_dateline(sample) -> None:  # noqa: ANN001
    (article,) = read_all(sample("dateline-geneva.txt"))
    assert article.place == "Geneva" and article.published_at == datetime(2025, 10, 3, tzinfo=UTC)


def test_french_and_german_samples(data: Path, sample) -> None:  # noqa: ANN001
    (french,) = read_all(data / "french.json")
    assert french.format == "ninjs" and french.place == "Paris" and french.language is None
    (german,) = read_all(sample("german.txt"))
    assert german.place == "Berlin" and german.published_at == datetime(2025, 10, 14, tzinfo=UTC)


def test_a_folder_is_read_by_content_whatever_the_names(data: Path, tmp_path: Path) -> None:
    for name, renamed in [
        ("newsml-item.xml", "a.txt"),
        ("rss.xml", "b.txt"),
        ("ninjs-1x.json", "c"),
        ("articles.jsonl", "d.xml"),
    ]:
        (tmp_path / renamed).write_bytes((data / name).read_bytes())
    (tmp_path / ".hidden").write_text("not read")
    items = read_all(tmp_path)
    assert [item.format for item in items] == ["newsml-g2", "rss", "rss", "ninjs", "jsonl", "jsonl"]


def test_every_article_survives_the_wire_codec(data: Path, sample) -> None:  # noqa: ANN001
    for name in ["ninjs-1x.json", "newsml-message.xml", "rss.xml", "jsonfeed.json"]:
        for article in read_all(data / name):
            assert decode(encode(article), RawArticle) == article
    assert detect_format((data / "german.txt").read_bytes()) == "text"


@pytest.mark.parametrize(
    ("name", "count", "fmt"),
    [
        ("ninjs-1x.json", 1, "ninjs"),
        ("ninjs-3x-two.json", 2, "ninjs"),
        ("ninjs-lines.ndjson", 2, "ninjs"),
        ("newsml-message.xml", 2, "newsml-g2"),
        ("rss.xml", 2, "rss"),
        ("articles.jsonl", 2, "jsonl"),
    ],
)
def test_read_bytes_for_one_kafka_record(data: Path, name: str, count: int, fmt: str) -> None:
    articles = read_bytes((data / name).read_bytes(), origin="news.raw[0]@7")
    assert len(articles) == count and {a.format for a in articles} == {fmt}


def test_stdin_streams_json_lines_and_reads_other_formats_whole(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    lines = (data / "articles.jsonl").read_bytes() + (data / "ninjs-lines.ndjson").read_bytes() + b"garbage\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    items = list(read_path("-"))
    assert [getattr(item, "format", None) for item in items] == ["jsonl", "jsonl", "ninjs", "ninjs", None]
    assert str(items[-1]).startswith("<stdin>:5: value is not JSON")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n" + (data / "newsml-message.xml").read_bytes())))
    assert [item.format for item in read_path("-")] == ["newsml-g2", "newsml-g2"]


def test_a_byte_order_mark_is_ignored(data: Path, tmp_path: Path) -> None:
    for name in ("articles.jsonl", "ninjs-2x.json", "rss.xml"):
        (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + (data / name).read_bytes())
        assert read_all(tmp_path / name)
