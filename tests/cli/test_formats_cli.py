"""`feed`, `extract` and `replay` on every wire format, mixed folders, languages and repeated stories."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from schemas import RawArticle, decode
from streams.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"

# sample file -> (articles it holds, statements at least, the format the readers give)
FORMATS = {
    "articles.jsonl": (2, 1, "jsonl"),
    "ninjs-1x.json": (1, 1, "ninjs"),
    "ninjs-2x.json": (1, 0, "ninjs"),
    "ninjs-3x-two.json": (2, 1, "ninjs"),
    "ninjs-lines.ndjson": (2, 1, "ninjs"),
    "newsml-item.xml": (1, 1, "newsml-g2"),
    "newsml-message.xml": (2, 1, "newsml-g2"),
    "rss.xml": (2, 1, "rss"),
    "atom.xml": (2, 1, "atom"),
    "jsonfeed.json": (2, 1, "jsonfeed"),
    "dateline-manila.txt": (1, 1, "text"),
}


def run(*args: str):  # noqa: ANN202
    return CliRunner().invoke(app, list(args))


def lines(stdout: str) -> list[dict]:
    return [orjson.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_extract_reads_each_format(name: str) -> None:
    articles, statements, _ = FORMATS[name]
    result = run("extract", str(DATA / name))
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert len(out) == articles
    assert sum(len(o["statements"]) for o in out) >= statements
    for o in out:  # statement text is words, never markup or another item's text
        for s in o["statements"]:
            assert "<" not in s["text"] and "CDATA" not in s["text"]


class FakeProducer:
    """Stands in for kafka-python's producer: records what feed sends, delivers at once."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []

    def send(self, topic: str, key: bytes, value: bytes):  # noqa: ANN201
        self.sent.append((topic, key, value))
        producer = self

        class Future:
            def add_callback(self, callback):  # noqa: ANN001, ANN202
                callback(producer)

            def add_errback(self, _errback):  # noqa: ANN001, ANN202
                pass

        return Future()

    def flush(self, timeout: float | None = None) -> None:
        pass

    def close(self, timeout: float | None = None) -> None:
        pass


@pytest.fixture
def producer(monkeypatch: pytest.MonkeyPatch) -> FakeProducer:
    fake = FakeProducer()
    monkeypatch.setattr("streams.broker.producer.make_producer", lambda *a, **k: fake)
    return fake


def test_feed_takes_several_files_and_folders_and_reports_each_bad_one_by_file_and_line(
    producer: FakeProducer, tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copyfile(DATA / "rss.xml", folder / "world.rss")
    shutil.copyfile(DATA / "dateline-kyiv.txt", folder / "kyiv.txt")
    (folder / "README.md").write_text("Notes about this folder.\n")
    good = (DATA / "articles.jsonl").read_text().splitlines()
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([good[0], "{not json", good[1]]) + "\n")
    missing = tmp_path / "gone.jsonl"
    paths = [DATA / "ninjs-1x.json", mixed, missing, folder, DATA / "newsml-message.xml"]

    result = run("feed", *map(str, paths), "--broker", "kafka://127.0.0.1:9")
    assert result.exit_code == 1, result.output  # something was rejected: the rest is still sent
    assert f"{mixed}:2:" in result.stderr and "not JSON" in result.stderr
    assert f"{missing}: no such file or directory" in result.stderr
    assert f"{folder / 'README.md'}: skipped" in result.stderr
    assert "fed 8 article(s)" in result.stderr and "rejected 2" in result.stderr
    sent = [decode(value, RawArticle) for _, _, value in producer.sent]
    # read in the order given, a folder's files sorted (kyiv.txt before world.rss)
    assert [a.format or "jsonl" for a in sent] == ["ninjs", *["jsonl"] * 2, "text", *["rss"] * 2, *["newsml-g2"] * 2]
    assert [key for _, key, _ in producer.sent] == [a.id.encode() for a in sent]


def test_feed_takes_stdin_once_only(producer: FakeProducer) -> None:
    result = run("feed", "-", str(DATA / "articles.jsonl"), "-", "--broker", "kafka://127.0.0.1:9")
    assert result.exit_code == 2 and "stdin" in result.stderr and "once" in result.stderr
    assert producer.sent == []


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_feed_sends_each_format_as_raw_articles_keyed_by_id(name: str, producer: FakeProducer) -> None:
    articles, _, fmt = FORMATS[name]
    result = run("feed", str(DATA / name), "--broker", "kafka://127.0.0.1:9")
    assert result.exit_code == 0, result.output
    assert f"fed {articles} article(s)" in result.stderr
    assert len(producer.sent) == articles
    for topic, key, value in producer.sent:
        article = decode(value, RawArticle)
        assert topic == "news.raw" and key == article.id.encode()
        assert article.format == fmt or (fmt == "jsonl" and article.format in (None, "jsonl"))


def test_a_mixed_folder_says_what_it_skipped_and_why(tmp_path: Path, producer: FakeProducer) -> None:
    shutil.copyfile(DATA / "rss.xml", tmp_path / "feed.xml")
    shutil.copyfile(DATA / "ninjs-1x.json", tmp_path / "item-without-suffix")  # a wire format by content: read
    (tmp_path / "README.md").write_text("# Notes\n\nWhat these files are.\n")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    (tmp_path / ".hidden.jsonl").write_text("{not read")
    result = run("feed", str(tmp_path), "--broker", "kafka://127.0.0.1:9")
    assert result.exit_code == 0, result.output
    assert "fed 3 article(s)" in result.stderr and "rejected 0" in result.stderr
    assert f"{tmp_path / 'README.md'}: skipped: .md is not an article suffix" in result.stderr
    assert "plain text" in result.stderr and f"{tmp_path / 'photo.jpg'}: skipped" in result.stderr
    assert "hidden" not in result.stderr and "Traceback" not in result.output


def test_a_folder_named_like_a_file_and_a_broken_link_are_located_errors(
    tmp_path: Path, producer: FakeProducer
) -> None:
    (tmp_path / "empty.jsonl").mkdir()
    (tmp_path / "x.jsonl").mkdir()
    shutil.copyfile(DATA / "articles.jsonl", tmp_path / "x.jsonl" / "inside.jsonl")  # a folder is read, recursively
    os.symlink(tmp_path / "gone.jsonl", tmp_path / "broken.jsonl")
    for command in (["feed", str(tmp_path), "--broker", "kafka://127.0.0.1:9"], ["extract", str(tmp_path)]):
        result = run(*command)
        assert result.exit_code == 1, result.output
        assert f"{tmp_path / 'broken.jsonl'}: broken symbolic link (to {tmp_path / 'gone.jsonl'})" in result.stderr
        assert f"{tmp_path / 'empty.jsonl'}: a folder, not a file, and empty" in result.stderr
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert len(lines(run("extract", str(tmp_path / "x.jsonl")).stdout)) == 2
    result = run("extract", str(tmp_path / "broken.jsonl"))
    assert result.exit_code == 1 and "broken symbolic link" in result.stderr


@pytest.mark.parametrize(("name", "code"), [("french.json", "fr"), ("german.txt", "de")])
def test_extract_refuses_an_unsupported_language_instead_of_reading_it_as_english(name: str, code: str) -> None:
    result = run("extract", str(DATA / name))
    assert result.exit_code == 1
    assert f"unsupported_language: {code}" in result.stderr
    assert lines(result.stdout) == []  # no speaker "Les", no statements at all


def test_the_same_stories_as_txt_and_json_lines_make_no_spurious_reversal() -> None:
    """The issue's case: three stories fed as .txt and as JSON lines; two of them on one day.

    The .txt copies are dated by their datelines (00:00 that day), so both Hungarian stories come
    before their JSON copies; without the duplicate check the JSON copies flipped HUN back to
    "oppose" and again to "support": two spurious reversals and a second set of stance events.
    """
    folder = DATA / "duplicates"
    both = lines(run("replay", str(folder)).stdout)
    alone = lines(run("replay", str(folder / "stories.jsonl")).stdout)
    kinds = [r["value"]["kind"] for r in both if r["topic"] == "stance.changes"]
    assert kinds == ["new", "reversal", "new"]
    reversal = next(r["value"] for r in both if r["value"].get("kind") == "reversal")
    assert (reversal["actor"], reversal["previous"]["stance"], reversal["current"]["stance"]) == (
        "HUN",
        "oppose",
        "support",
    )
    assert [r["value"]["rule"] for r in both if r["topic"] == "alerts"] == ["stance-reversal"]

    # both copies' statements are reported (the wire did send the story twice); stance events once
    def of(out: list[dict], topic: str) -> list[dict]:
        return [r["value"] for r in out if r["topic"] == topic]

    assert len(of(both, "news.statements")) == 2 * len(of(alone, "news.statements"))
    stance_set = sorted((v["actor"], v["topic"], v["stance"]) for v in of(both, "news.stances"))
    assert stance_set == sorted((v["actor"], v["topic"], v["stance"]) for v in of(alone, "news.stances"))
    assert len(stance_set) == len({v["id"] for v in of(both, "news.stances")})  # no event twice
    assert [r["value"]["kind"] for r in alone if r["topic"] == "stance.changes"] == kinds


def test_replay_of_a_story_fed_twice_moves_its_pairs_once(tmp_path: Path) -> None:
    stories = (DATA / "duplicates" / "stories.jsonl").read_text()
    (tmp_path / "twice.jsonl").write_text(stories + stories)
    out = lines(run("replay", str(tmp_path / "twice.jsonl")).stdout)
    assert [r["value"]["kind"] for r in out if r["topic"] == "stance.changes"] == ["new", "reversal", "new"]
    once = lines(run("replay", str(DATA / "duplicates" / "stories.jsonl")).stdout)
    stances = [r["value"]["id"] for r in out if r["topic"] == "news.stances"]
    assert stances == [r["value"]["id"] for r in once if r["topic"] == "news.stances"]  # re-sent: not again
