"""`stancewire lag`: per stage, the records the worker's group has still to process, how fast it drains
them and when it will have caught up (two samples `--interval` apart)."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from streams.cli.common import (
    BrokerOpt,
    PrefixOpt,
    app,
    broker_errors,
    emit,
    fail,
    note,
    out,
    require_broker,
    settings_from,
)

__all__ = ["duration_text", "lag"]


def duration_text(seconds: float | None) -> str:
    """`0s`, `42s`, `3m 20s`, `2h 05m`; `–` when unknown."""
    if seconds is None:
        return "–"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def rate_text(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:,.1f}/s"


def eta_text(lag: object) -> str:
    waiting, eta, drain = lag.waiting, lag.eta_seconds, lag.drain_rate  # type: ignore[attr-defined]
    if waiting == 0:
        return "caught up"
    if eta is not None:
        return duration_text(eta)
    if drain is None:
        return "–"
    return "not catching up" if lag.consumed else "not started"  # type: ignore[attr-defined]


def lag_table(lags: list, group: str, interval: float) -> Table:
    title = f"consumer group {group}" + (f" (rates over {interval:g}s)" if interval > 0 else "")
    table = Table(title=title, title_justify="left")
    for col, justify in (
        ("stage", "left"),
        ("topic", "left"),
        ("waiting", "right"),
        ("drained", "right"),
        ("arriving", "right"),
        ("caught up in", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for lag in lags:
        waiting = f"{lag.waiting:,}"
        table.add_row(
            lag.stage,
            lag.topic,
            waiting,
            rate_text(lag.drain_rate),
            rate_text(lag.arrival_rate),
            eta_text(lag),
        )
    return table


@app.command()
def lag(
    broker: BrokerOpt = None,
    prefix: PrefixOpt = None,
    app_id: Annotated[
        str | None, typer.Option(help="The worker's app id = its consumer group (env STANCEWIRE_APP_ID).")
    ] = None,
    interval: Annotated[
        float,
        typer.Option(min=0, metavar="SECONDS", help="Seconds between the two samples the rates come from (0: none)."),
    ] = 5.0,
    watch: Annotated[bool, typer.Option("--watch", "-w", help="Keep sampling every --interval until Ctrl-C.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="One JSON object per sample: {group, stages: […]}.")] = False,
) -> None:
    """Per stage: records waiting for the worker's group, the rate it drains them at, time to catch up."""
    from streams.broker.lag import LagMonitor, stage_lags, stages_of

    settings = settings_from(broker=broker, topic_prefix=prefix, app_id=app_id)
    require_broker(settings)
    if watch and interval <= 0:
        raise fail("--watch needs an --interval above 0")
    with broker_errors():
        try:
            monitor = LagMonitor(settings, settings.app_id, stages_of(settings))
            with monitor:
                first = monitor.sample()
                if interval <= 0:
                    show(stage_lags(first), settings.app_id, interval, json_)
                    return
                if not json_:
                    note(f"sampling the offsets of group {settings.app_id} twice, {interval:g}s apart…")
                before = first
                while True:
                    time.sleep(interval)
                    now = monitor.sample()
                    show(stage_lags(now, before), settings.app_id, interval, json_)
                    if not watch:
                        return
                    before = now
        except KeyboardInterrupt:
            return
        except Exception as exc:
            if type(exc).__name__ == "BrokerUnavailable":
                raise
            raise fail(f"could not read the offsets of group {settings.app_id}: {type(exc).__name__}: {exc}") from None


def show(lags: list, group: str, interval: float, json_: bool) -> None:
    if json_:
        emit({"group": group, "interval": interval, "stages": [lag.as_dict() for lag in lags]})
        return
    out.print(lag_table(lags, group, interval))
    waiting = sum(lag.waiting for lag in lags)
    if waiting == 0:
        out.print("everything is processed", markup=False)
