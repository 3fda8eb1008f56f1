"""What every command shares: the Typer app, the consoles, common options, one way to fail."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console

from streams.broker.admin import BrokerUnavailable, TopicsMissing
from streams.broker.embedded import BrokerStartError
from streams.settings import Settings, settings_error

app = typer.Typer(
    name="stancewire",
    help="Wire news → who said what → who stands where → stance changes → alerts, on Kafka.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

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


def settings_from(**overrides: Any) -> Settings:
    """Settings from the environment, with the CLI options that were given on top; bad ones fail clearly."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:  # told without the values given (a password may be among them)
        raise fail(f"bad setting: {settings_error(exc)}") from None


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


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
