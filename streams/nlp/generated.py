"""The command line of the data files generated from packages (`build_actors`, `build_inflections`,
`build_given_names`): write the file, or with `--check` exit 1 when the committed one differs from what
would be written."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_or_check"]


def write_or_check(
    argv: list[str] | None,
    *,
    description: str,
    path: Path,
    command: str,
    text: Callable[[], str],
    summary: Callable[[str], str],
) -> int:
    """`text()` written to `path` (the message ends with `summary` of it), or compared with it under `--check`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file is out of date")
    args = parser.parse_args(argv)
    content = text()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != content:
            print(f"{path} is out of date: run {command}", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    path.write_text(content, encoding="utf-8")
    print(f"wrote {path}: {summary(content)}")
    return 0
