"""The `stancewire` command line: run the worker, feed and tail topics, the offline tools, bench and demo.

Each module registers its commands on the one Typer app of `common`: `run`, `topics` (feed, tail), `lag`, `poll`,
`offline` (extract, replay, eval, schemas, openapi), `bench` and `demo`.
"""

from streams.cli import run, topics, lag, poll, offline, bench, demo  # noqa: I001 - registration order is the help's order
from streams.cli.common import app

__all__ = ["app", "main"]

_COMMAND_MODULES = (run, topics, lag, poll, offline, bench, demo)  # imported for their @app.command registrations


def main() -> None:
    app()
