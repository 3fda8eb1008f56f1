"""What every command shares: the Typer app, the consoles, common options, one way to fail."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
import typer.core
import typer.rich_utils
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from streams.broker.embedded import BrokerStartError
from streams.settings import Settings, settings_error


def terminal_width() -> int:
    """The terminal's width (COLUMNS, else whichever of stdout/stderr/stdin is a terminal), else 100."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            continue
    return shutil.get_terminal_size((100, 24)).columns


def _flag_type(self: typer.core.TyperOption, ctx: object) -> str | None:
    """Help shows `--json`, not `--json <bool>`: a flag takes no value, so it has no type to show.

    (Typer has no setting for it; its `display_type_rich` is wrapped here, and tests/cli checks the help.)"""
    if self.is_flag and not self.count:
        return None
    shown = _option_type(self, ctx)
    return shown.replace(" range>", ">") if shown else shown  # `<int> [x>=1]`, not `<int range> [x>=1]`


_option_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]
if typer.rich_utils.MAX_WIDTH is None:  # TERMINAL_WIDTH unset: the help fills the terminal, piped or not
    typer.rich_utils.MAX_WIDTH = terminal_width()

app = typer.Typer(
    name="stancewire",
    help="Wire news → who said what → who stands where → stance changes → alerts, on Kafka.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"max_content_width": terminal_width(), "help_option_names": ["--help", "-h"]},
)
# Markup is ours only: every piece of user data printed through markup goes through `escape` (or
# `plain`), and emoji codes are never expanded (`file.xml:100:` stays as it is).
# Piped, rich would lay tables out for 80 columns: use the terminal's width (or COLUMNS, or 100).
out = Console(highlight=False, soft_wrap=True, emoji=False, width=None if sys.stdout.isatty() else terminal_width())
err = Console(
    stderr=True, highlight=False, soft_wrap=True, emoji=False, width=None if sys.stderr.isatty() else terminal_width()
)

BrokerOpt = Annotated[
    str | None,
    typer.Option(
        "--broker",
        "-b",
        envvar="STANCEWIRE_BROKER",
        help="Kafka bootstrap URL, e.g. kafka://127.0.0.1:9092 (env STANCEWIRE_BROKER).",
    ),
]
PrefixOpt = Annotated[str | None, typer.Option("--prefix", help="Topic name prefix (env STANCEWIRE_TOPIC_PREFIX).")]
TaxonomyOpt = Annotated[
    Path | None, typer.Option("--taxonomy", help="Topic taxonomy YAML (default: the packaged one).")
]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Alert rules YAML (default: the packaged one).")]
PathArg = Annotated[str, typer.Argument(help="A JSON lines file, a .txt article, a folder of them, or - for stdin.")]
PathsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH...", help="Files (any wire format), folders of them (recursively), or - for stdin (once)."
    ),
]


def settings_from(**overrides: Any) -> Settings:
    """Settings from the environment, with the CLI options that were given on top; bad ones fail clearly."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:  # told without the values given (a password may be among them)
        raise fail(f"bad setting: {settings_error(exc)}") from None


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


def note(message: str) -> None:
    """A line on stderr with no markup at all (user data: file names, errors)."""
    err.print(message, markup=False)


def require_broker(settings: Settings) -> str:
    if not settings.broker:
        raise fail(
            "no broker given: pass --broker kafka://HOST:PORT or set STANCEWIRE_BROKER "
            "(`stancewire run` prints the URL of the embedded broker it starts)"
        )
    return settings.bootstrap_servers()


@contextlib.contextmanager
def broker_errors() -> Iterator[None]:
    """Turn broker failures into one clear line and a non-zero exit instead of a traceback."""
    # kafka-python (0.2 s) is imported where a broker is used, not by every command's start: `run`
    # starts its extraction processes first
    from streams.broker.admin import BrokerUnavailable, TopicsMissing

    try:
        yield
    except (BrokerUnavailable, BrokerStartError, TopicsMissing) as exc:
        raise fail(str(exc)) from None


def refuse_exactly_once_on_embedded(guarantee: str, broker: str | None) -> None:
    if guarantee == "exactly_once" and not broker:
        raise fail(
            "exactly_once needs transactions, which the embedded broker (Tansu) does not have; "
            "use --broker with Apache Kafka"
        )


def emit(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj) + b"\n")
