"""Articles in for `feed`, `extract` and `replay`: every wire format `streams.formats` reads.

Warnings (a `.txt` article dated by its file's time, a feed entry dated by its channel) and skipped
files (a README.md in a folder of articles) are said on stderr, one line each; the readers' errors
are yielded for the command to report and count.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.markup import escape

from streams.cli.common import err
from streams.formats import ArticleOrError, read_path


def read_input(path: str, max_bytes: int | None, source: str = "") -> Iterator[ArticleOrError]:
    """`streams.formats.read_path` with its warnings and skipped files printed on stderr."""
    yield from read_path(
        path,
        source=source,
        max_bytes=max_bytes,
        warn=lambda message: err.print(f"[yellow]warning[/] {escape(message)}"),
        on_skip=lambda message: err.print(escape(message).replace(": skipped:", ": [yellow]skipped[/]:", 1)),
    )
