"""One readable line per record, for `tail`, `extract --pretty` and `demo` (rich markup), and `tail --format`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel
from rich.markup import escape

from schemas import Alert, DeadLetter, DeliveryFailure, RawArticle, StanceChange, StanceEvent, Statement

if TYPE_CHECKING:
    from streams.broker.reader import TailRecord

__all__ = ["check_format", "describe", "format_record", "timestamp_text"]

STANCE_STYLE = {"support": "green", "oppose": "red", "neutral": "yellow"}
SEVERITY_STYLE = {
    "info": "blue",
    "low": "cyan",
    "medium": "yellow",
    "high": "bold red",
    "critical": "bold white on red",
}


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _stance(value: str, score: float) -> str:
    return f"[{STANCE_STYLE[value]}]{value} {score:+.2f}[/]"


def describe(record: BaseModel) -> str:
    match record:
        case RawArticle():
            return f"[bold]article[/] {escape(record.id)}: {_clip(record.headline, 120)}"
        case Statement():
            s = record.speaker
            who = ", ".join(escape(x) for x in (s.role, s.organisation) if x)
            who = f"{escape(s.name)} ({who}{', ' if who else ''}{escape(s.actor or 'no actor')})"
            via = f" via {escape(record.channel)}" if record.channel else ""
            verb = escape(record.verb or "")
            return f"[cyan]statement[/] {who} {verb} [dim]{record.kind}{via}[/]: “{_clip(record.text)}”"
        case StanceEvent():
            stance = _stance(record.stance, record.score)
            return f"[magenta]stance[/] {escape(record.actor)} on {escape(record.topic_label)}: {stance}"
        case StanceChange():
            before = f"{_stance(record.previous.stance, record.previous.score)} → " if record.previous else ""
            return (
                f"[bold yellow]change[/] {record.kind.upper()} {escape(record.actor)} on {escape(record.topic_label)}: "
                f"{before}{_stance(record.current.stance, record.current.score)}"
            )
        case Alert():
            style = SEVERITY_STYLE[record.severity]
            return f"[{style}]ALERT {record.severity}[/] {escape(f'[{record.rule}]')} {_clip(record.title)}"
        case DeadLetter():
            where = escape(f"{record.source_topic}@{record.offset}")
            return f"[red]dead letter[/] {record.reason} from {where}: {_clip(record.error, 200)}"
        case DeliveryFailure():
            what = f"{len(record.alert_ids)} alert(s)" if record.kind == "digest" else record.alert_ids[0]
            return (
                f"[red]undelivered[/] {record.kind} {escape(what)} ({escape(record.rule)} → {escape(record.route)}) "
                f"after {record.attempts} attempt(s): {_clip(record.last_error, 200)}"
            )
    return escape(repr(record))


FORMAT_TOKENS = {
    "t": "topic",
    "p": "partition",
    "o": "offset",
    "k": "key",
    "s": "value",
    "T": "timestamp (epoch ms)",
    "h": "headers (k=v,…)",
    "K": "key length",
    "S": "value length",
    "%": "a percent sign",
}


ESCAPES = {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\"}


def format_record(fmt: str, record: TailRecord) -> bytes:
    """`record` through a kcat-style format: %t %p %o %k %s %T %h %K %S %%, and \\n \\t \\r escapes."""
    parts: list[bytes] = []
    i = 0
    while i < len(fmt):
        char = fmt[i]
        if char in "%\\" and i + 1 < len(fmt):
            token = fmt[i + 1]
            value = (
                _token(record, token) if char == "%" else {"n": b"\n", "t": b"\t", "r": b"\r", "\\": b"\\"}.get(token)
            )
            if value is not None:
                parts.append(value)
                i += 2
                continue
        parts.append(char.encode())
        i += 1
    return b"".join(parts)


def _token(record: TailRecord, token: str) -> bytes | None:
    match token:
        case "t":
            return record.topic.encode()
        case "p":
            return str(record.partition).encode()
        case "o":
            return str(record.offset).encode()
        case "k":
            return record.key or b""
        case "s":
            return record.value or b""
        case "T":
            return str(record.timestamp_ms).encode()
        case "h":
            return b",".join(k.encode() + b"=" + (v or b"") for k, v in record.headers)
        case "K":
            return str(len(record.key) if record.key is not None else -1).encode()
        case "S":
            return str(len(record.value) if record.value is not None else -1).encode()
        case "%":
            return b"%"
    return None


def check_format(fmt: str) -> None:
    """ValueError naming an unknown %-token (a typo would otherwise print itself on every line)."""
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            if fmt[i + 1] not in FORMAT_TOKENS:
                known = ", ".join(f"%{k} {v}" for k, v in FORMAT_TOKENS.items())
                raise ValueError(f"--format: unknown token %{fmt[i + 1]}; known: {known}")
            i += 2
            continue
        i += 1


def timestamp_text(timestamp_ms: int) -> str:
    """Epoch milliseconds as UTC ISO-8601 with milliseconds (`2026-12-01T22:15:05.123Z`)."""
    from datetime import UTC, datetime

    if timestamp_ms is None or timestamp_ms < 0:
        return "-"
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
