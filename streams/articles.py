"""Reading articles from files or stdin: JSON lines of RawArticle, or plain-text files.

Shared by `feed` (to the broker) and the offline commands `extract` and `replay`. A bad line never
stops the reader: it is reported with its file, line number and reason, and the caller decides.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from schemas import DecodeError, RawArticle, decode

__all__ = ["ArticleError", "read_articles", "text_article"]

TEXT_SUFFIXES = {".txt", ".text"}


@dataclass(frozen=True, slots=True)
class ArticleError:
    """One input line (or file) that is not a valid article."""

    where: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.reason}"


def text_article(path: Path, text: str, source: str = "file") -> RawArticle:
    """A plain-text article: first non-empty line is the headline, the rest the body.

    The id is the file name without suffix; the time is the file's modification time (UTC).
    """
    headline, _, body = text.lstrip("\ufeff").lstrip().partition("\n")
    published = datetime.fromtimestamp(path.stat().st_mtime, UTC) if path.exists() else datetime.now(UTC)
    return RawArticle(id=path.stem, headline=headline.strip(), body=body.strip(), source=source, published_at=published)


def read_articles(target: str, max_bytes: int | None = None) -> Iterator[RawArticle | ArticleError]:
    """Yield each article (or the error for each bad line) from a path, a folder, or '-' for stdin."""
    if target == "-":
        yield from _json_lines(sys.stdin.buffer, "<stdin>", max_bytes)
        return
    path = Path(target)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in TEXT_SUFFIXES | {".jsonl", ".json", ".ndjson"})
    elif path.exists():
        files = [path]
    else:
        yield ArticleError(target, 0, "no such file or directory")
        return
    for file in files:
        if file.suffix in TEXT_SUFFIXES:
            yield _text_file(file, max_bytes)
        else:
            with file.open("rb") as handle:
                yield from _json_lines(handle, str(file), max_bytes)


def _text_file(path: Path, max_bytes: int | None) -> RawArticle | ArticleError:
    data = path.read_bytes()
    if max_bytes is not None and len(data) > max_bytes:
        return ArticleError(str(path), 1, f"article is {len(data)} bytes, over the limit of {max_bytes}")
    try:
        return text_article(path, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return ArticleError(str(path), 1, f"not UTF-8: {exc}")
    except ValueError as exc:
        return ArticleError(str(path), 1, str(exc))


def _json_lines(handle, where: str, max_bytes: int | None) -> Iterator[RawArticle | ArticleError]:  # noqa: ANN001
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        if max_bytes is not None and len(line) > max_bytes:
            yield ArticleError(where, number, f"article is {len(line)} bytes, over the limit of {max_bytes}")
            continue
        try:
            yield decode(line.strip(), RawArticle)
        except DecodeError as exc:
            yield ArticleError(where, number, str(exc))
