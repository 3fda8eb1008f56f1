"""One readable line per record, for `tail` and `demo` (rich markup)."""

from __future__ import annotations

from pydantic import BaseModel
from rich.markup import escape

from schemas import Alert, DeadLetter, DeliveryFailure, RawArticle, StanceChange, StanceEvent, Statement

__all__ = ["describe"]

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
            who = f"{escape(s.name)} ({who}{', ' if who else ''}{s.actor or 'no actor'})"
            via = f" via {escape(record.channel)}" if record.channel else ""
            verb = escape(record.verb or "")
            return f"[cyan]statement[/] {who} {verb} [dim]{record.kind}{via}[/]: “{_clip(record.text)}”"
        case StanceEvent():
            stance = _stance(record.stance, record.score)
            return f"[magenta]stance[/] {record.actor} on {escape(record.topic_label)}: {stance}"
        case StanceChange():
            before = f"{_stance(record.previous.stance, record.previous.score)} → " if record.previous else ""
            return (
                f"[bold yellow]change[/] {record.kind.upper()} {record.actor} on {escape(record.topic_label)}: "
                f"{before}{_stance(record.current.stance, record.current.score)}"
            )
        case Alert():
            style = SEVERITY_STYLE[record.severity]
            return f"[{style}]ALERT {record.severity}[/] [{escape(record.rule)}] {_clip(record.title)}"
        case DeadLetter():
            where = f"{record.source_topic}@{record.offset}"
            return f"[red]dead letter[/] {record.reason} from {where}: {_clip(record.error, 200)}"
        case DeliveryFailure():
            what = f"{len(record.alert_ids)} alert(s)" if record.kind == "digest" else record.alert_ids[0]
            return (
                f"[red]undelivered[/] {record.kind} {escape(what)} ({escape(record.rule)} → {escape(record.route)}) "
                f"after {record.attempts} attempt(s): {_clip(record.last_error, 200)}"
            )
    return escape(repr(record))
