"""Alert rules: a YAML file of rules, evaluated as pure functions by the alert agents and `replay`.

Contested rules (`trigger: contested`) fire when a topic becomes newly contested: within the rule's
`window` of article time, at least one actor supports it and another opposes it (by default open topics
only, `open_only`). That needs every actor's stance on one topic in one place, while stances and
changes are keyed `actor|topic`: the track agent also publishes each change keyed by its topic to
`stance.changes.by-topic` (a repartition), and the `alert-contested` agent keeps, per topic, each
actor's latest stance and when each contested rule last fired in one table keyed by topic
(`contested-state`), so all of a topic's state is written from one partition (`on_topic_change`).
`replay` keeps the same per-topic state in a dict.

Duplicate suppression is per rule and pair (`actor|topic` for changes, `actor` for statements) inside
a window of *event* time (the article's `published_at`), so a replay of an archive fires exactly the
alerts the live pipeline fired.

Each rule may name `routes` (webhook, slack, file; their settings are `streams.delivery.routes`) that
`streams.delivery` sends its alerts to, with an optional `throttle`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, MutableMapping
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas import Alert, StanceChange, StanceEvent, Statement, describe_validation_error
from streams.core.durations import Duration
from streams.delivery.routes import Route, Throttle
from streams.nlp.open_topics import is_open

__all__ = [
    "AlertRule",
    "AlertRules",
    "MemoryWindowCounts",
    "RulesError",
    "WindowCounts",
]

Severity = Literal["info", "low", "medium", "high", "critical"]


class RulesError(ValueError):
    """The rules file is missing, not YAML, or has an invalid rule; the message says which."""


class AlertRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9._-]+$", description="Letters, digits, '.', '_', '-' (used in topic names).")
    trigger: Literal["change", "statement", "spike", "contested"] = "change"
    severity: Severity = "medium"
    actors: frozenset[str] | None = Field(default=None, description="Any actor when unset.")
    topics: frozenset[str] | None = Field(default=None, description="change rules: any topic when unset.")
    kinds: frozenset[Literal["new", "reversal", "shift"]] | None = None
    min_delta: float = Field(default=0.0, ge=0.0, le=2.0, description="change rules: minimum |score delta|.")
    keywords: tuple[str, ...] = Field(default=(), description="statement rules: any of these words.")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    suppress_window: Duration | None = Field(default=None, description="Overrides the file's default.")
    # spike rules: `count` records per actor (statements) or per actor|topic (stances) in tumbling windows of
    # `window`, compared with the mean of the `baseline_windows` before it
    count: Literal["statements", "stances"] = "statements"
    window: Duration = Field(
        default=timedelta(hours=1),
        description="spike rules: the counting window; contested rules: how recent both sides' stances are.",
    )
    open_only: bool = Field(default=True, description="contested rules: open topics only (not taxonomy topics).")
    baseline_windows: int = Field(default=6, ge=1, le=168, description="spike rules: windows in the baseline.")
    factor: float = Field(default=3.0, gt=1.0, description="spike rules: times the baseline mean that is a spike.")
    min_count: int = Field(default=5, ge=1, description="spike rules: never a spike below this many records.")
    routes: tuple[Route, ...] = Field(default=(), description="Where alerts go; none keeps them on the topic only.")
    throttle: Throttle | None = Field(default=None, description="Default throttle of each of the rule's routes.")

    @model_validator(mode="after")
    def _fits_its_kind(self) -> AlertRule:
        if self.trigger != "change" and (self.kinds or self.min_delta):
            raise ValueError("kinds and min_delta apply to change rules only")
        if self.trigger == "statement" and self.topics:
            raise ValueError("topics apply to change and spike rules, not statement rules")
        if self.trigger == "contested" and self.keywords:
            raise ValueError("keywords apply to statement and spike rules, not contested rules")
        if self.trigger == "change" and self.keywords:
            raise ValueError("keywords apply to statement and spike rules, not change rules")
        if self.trigger == "spike" and self.count == "stances" and self.keywords:
            raise ValueError("keywords apply to spike rules that count statements")
        if self.trigger == "spike" and self.count == "statements" and self.topics:
            raise ValueError("topics apply to spike rules that count stances")
        if self.window <= timedelta(0):
            raise ValueError("window must be positive")
        labels = [route.label for route in self.routes]
        dupes = sorted({label for label in labels if labels.count(label) > 1})
        if dupes:
            raise ValueError(f"route names must be unique within a rule (give each a `name:`): {', '.join(dupes)}")
        return self

    def throttle_for(self, route: Route) -> Throttle | None:
        return route.throttle or self.throttle

    def matches_change(self, change: StanceChange) -> bool:
        return (
            self.trigger == "change"
            and (self.actors is None or change.actor in self.actors)
            and (self.topics is None or change.topic in self.topics)
            and (self.kinds is None or change.kind in self.kinds)
            and abs(change.delta) >= self.min_delta
        )

    def matches_statement(self, statement: Statement) -> bool:
        """A statement rule fires on it, or a spike rule counting statements counts it."""
        counts = self.trigger == "spike" and self.count == "statements" and statement.speaker.actor is not None
        if not (self.trigger == "statement" or counts) or statement.confidence < self.min_confidence:
            return False
        if self.actors is not None and statement.speaker.actor not in self.actors:
            return False
        text = statement.text.lower()
        return not self.keywords or any(word.lower() in text for word in self.keywords)

    def watches_topic(self, change: StanceChange) -> bool:
        """A contested rule watches the topic of this change (the change's actor is checked per side)."""
        return (
            self.trigger == "contested"
            and (self.topics is None or change.topic in self.topics)
            and (not self.open_only or is_open(change.topic))
        )

    def counts_stance(self, stance: StanceEvent) -> bool:
        return (
            self.trigger == "spike"
            and self.count == "stances"
            and (self.actors is None or stance.actor in self.actors)
            and (self.topics is None or stance.topic in self.topics)
        )


class WindowCounts(Protocol):
    """Counts per key in tumbling windows: a Faust windowed table in the worker, a dict in `replay`."""

    def add(self, key: str, at: datetime) -> tuple[int, list[int]]:
        """Count one record for `key` at `at`; return the current window's count and the baseline windows'."""
        ...


class MemoryWindowCounts:
    """`WindowCounts` in a dict, for `replay` and tests; windows older than the baseline are dropped."""

    def __init__(self, window: timedelta, baseline_windows: int) -> None:
        self.size = window.total_seconds()
        self.baseline_windows = baseline_windows
        self.counts: dict[str, dict[int, int]] = {}

    def add(self, key: str, at: datetime) -> tuple[int, list[int]]:
        index = int(at.timestamp() // self.size)
        windows = self.counts.setdefault(key, {})
        windows[index] = windows.get(index, 0) + 1
        for old in [i for i in windows if i < index - self.baseline_windows]:
            del windows[old]
        return windows[index], [windows.get(index - k, 0) for k in range(1, self.baseline_windows + 1)]


class AlertRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    suppress_window: Duration = timedelta(hours=6)
    rules: tuple[AlertRule, ...] = ()

    @model_validator(mode="after")
    def _unique_names(self) -> AlertRules:
        names = [rule.name for rule in self.rules]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"rule names must be unique: {', '.join(dupes)}")
        return self

    @classmethod
    def load(cls, path: Path | None = None) -> AlertRules:
        """The rules at `path`, or the packaged default (`streams/config/rules.yaml`)."""
        try:
            if path is None:
                text = resources.files("streams.config").joinpath("rules.yaml").read_text("utf-8")
                where = "packaged rules.yaml"
            else:
                text = Path(path).read_text("utf-8")
                where = str(path)
        except OSError as exc:
            raise RulesError(f"cannot read alert rules: {exc}") from None
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise RulesError(f"{where}: not valid YAML: {exc}") from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise RulesError(f"{where}: {_name_rules(describe_validation_error(exc), data)}") from None

    def window(self, rule: AlertRule) -> timedelta:
        if rule.suppress_window is not None:
            return rule.suppress_window
        return rule.window if rule.trigger in ("spike", "contested") else self.suppress_window

    @property
    def contested_rules(self) -> tuple[AlertRule, ...]:
        return tuple(rule for rule in self.rules if rule.trigger == "contested")

    # which alert agents the worker runs (streams/runtime/agents) and so which stages it has (lag)
    @property
    def reads_statements(self) -> bool:
        return any(r.trigger == "statement" or (r.trigger == "spike" and r.count == "statements") for r in self.rules)

    @property
    def reads_stances(self) -> bool:
        return any(rule.trigger == "spike" and rule.count == "stances" for rule in self.rules)

    @property
    def routed(self) -> bool:
        return any(rule.routes for rule in self.rules)

    def on_topic_change(
        self, change: StanceChange, state: Mapping[str, Any] | None, now: datetime
    ) -> tuple[dict[str, Any], list[Alert]]:
        """(the topic's new state, alerts) for one change, from the topic's state before it.

        The state of a topic is `{"actors": {actor: {"stance", "at", "speaker"}}, "fired": {rule: at}}`:
        each actor's latest stance on it and when each contested rule last fired on it (article time,
        ISO-8601). A rule fires when the change takes a side (support or oppose) and another actor it
        watches took the other side within its `window`; then not again on that topic within the window.
        """
        actors = dict((state or {}).get("actors") or {})
        fired = dict((state or {}).get("fired") or {})
        at = change.current.published_at
        actors[change.actor] = {"stance": change.current.stance, "at": at.isoformat(), "speaker": change.speaker}
        keep = max((rule.window for rule in self.contested_rules), default=timedelta(0))
        actors = {a: v for a, v in actors.items() if abs(at - datetime.fromisoformat(v["at"])) <= keep}
        alerts: list[Alert] = []
        side = change.current.stance
        for rule in self.contested_rules:
            if side not in ("support", "oppose") or not rule.watches_topic(change):
                continue
            if rule.actors is not None and change.actor not in rule.actors:
                continue
            other = "oppose" if side == "support" else "support"
            recent = {
                a: v
                for a, v in actors.items()
                if (rule.actors is None or a in rule.actors)
                and abs(at - datetime.fromisoformat(v["at"])) <= rule.window
            }
            against = sorted(a for a, v in recent.items() if v["stance"] == other and a != change.actor)
            if not against:
                continue
            previous = fired.get(rule.name)
            if previous is not None and abs(at - datetime.fromisoformat(previous)) < self.window(rule):
                continue
            fired[rule.name] = at.isoformat()
            supporters = sorted(a for a, v in recent.items() if v["stance"] == "support")
            opponents = sorted(a for a, v in recent.items() if v["stance"] == "oppose")
            alerts.append(
                change_alert(
                    rule,
                    change,
                    id=alert_id(rule.name, f"{change.topic}|{change.id}"),
                    title=f"Contested: {change.topic_label}: {', '.join(supporters)} support, "
                    f"{', '.join(opponents)} oppose",
                    summary=f"{change.actor} now {side}s {change.topic_label}, which {', '.join(against)} "
                    f"{'oppose' if side == 'support' else 'support'} (within {rule.window}): "
                    f"“{shorten(change.current.evidence, 300)}”",
                    event_at=at,
                    now=now,
                )
            )
        return {"actors": actors, "fired": fired}, alerts

    def on_change(self, change: StanceChange, last_fired: MutableMapping[str, str], now: datetime) -> list[Alert]:
        """Alerts for one change; records each firing in `last_fired` (rule|pair → ISO event time)."""
        alerts = []
        for rule in self.rules:
            if not rule.matches_change(change):
                continue
            event_at = change.current.published_at
            if not self._claim(rule, f"{rule.name}|{change.actor}|{change.topic}", event_at, last_fired):
                continue
            alerts.append(
                change_alert(
                    rule,
                    change,
                    id=alert_id(rule.name, change.id),
                    title=change_title(change),
                    summary=change_summary(change),
                    event_at=event_at,
                    now=now,
                )
            )
        return alerts

    def on_statement(self, statement: Statement, last_fired: MutableMapping[str, str], now: datetime) -> list[Alert]:
        alerts = []
        for rule in self.rules:
            if rule.trigger != "statement" or not rule.matches_statement(statement):
                continue
            pair = statement.speaker.actor or statement.speaker.name
            if not self._claim(rule, f"{rule.name}|{pair}", statement.published_at, last_fired):
                continue
            who = statement.speaker.name + (f" ({statement.speaker.actor})" if statement.speaker.actor else "")
            alerts.append(
                Alert(
                    id=alert_id(rule.name, statement.id),
                    rule=rule.name,
                    severity=rule.severity,
                    title=f"{who} {statement.verb or 'said'}: {shorten(statement.text, 80)}",
                    summary=f"{who}, {statement.kind} statement in {statement.article_id}: "
                    f"“{shorten(statement.text, 300)}”",
                    actor=statement.speaker.actor,
                    statement_id=statement.id,
                    article_id=statement.article_id,
                    url=statement.url,
                    event_at=statement.published_at,
                    created_at=now,
                    speaker=statement.speaker.name,
                    evidence=statement.text,
                )
            )
        return alerts

    @property
    def spike_rules(self) -> tuple[AlertRule, ...]:
        return tuple(rule for rule in self.rules if rule.trigger == "spike")

    def on_count(
        self,
        rule: AlertRule,
        record: Statement | StanceEvent,
        current: int,
        baseline: list[int],
        last_fired: MutableMapping[str, str],
        now: datetime,
    ) -> Alert | None:
        """A spike alert when `current` is at least `factor` × the baseline mean (and `min_count`).

        It fires once per pair and window: the crossing record fires, the rest of the window is suppressed.
        """
        mean = sum(baseline) / len(baseline) if baseline else 0.0
        if current < rule.min_count or current < rule.factor * max(mean, 1.0):
            return None
        actor, topic = (record.actor, record.topic) if isinstance(record, StanceEvent) else (record.speaker.actor, None)
        pair = f"{actor}|{topic}" if topic else str(actor)
        if not self._claim(rule, f"{rule.name}|{pair}", record.published_at, last_fired):
            return None
        what = f"{rule.count} by {actor}" + (f" on {record.topic_label}" if isinstance(record, StanceEvent) else "")
        window = f"{rule.window.total_seconds() / 60:g} min"
        return Alert(
            id=alert_id(rule.name, f"{pair}|{record.id}"),
            rule=rule.name,
            severity=rule.severity,
            title=f"Spike: {current} {what} in {window} (baseline {mean:.1f})",
            summary=f"{current} {what} in the last {window} window, {current / max(mean, 1.0):.1f}× the mean of "
            f"the {len(baseline)} windows before it ({mean:.1f}). Latest: {record.article_id}.",
            actor=actor,
            topic=topic,
            statement_id=record.statement_id if isinstance(record, StanceEvent) else record.id,
            article_id=record.article_id,
            url=record.url,
            event_at=record.published_at,
            created_at=now,
            topic_label=record.topic_label if isinstance(record, StanceEvent) else None,
        )

    def _claim(self, rule: AlertRule, key: str, event_at: datetime, last_fired: MutableMapping[str, str]) -> bool:
        """True (and remember it) unless the rule already fired for this pair within its window."""
        previous = last_fired.get(key)
        if previous is not None and abs(event_at - datetime.fromisoformat(previous)) < self.window(rule):
            return False
        last_fired[key] = event_at.isoformat()
        return True


def _name_rules(message: str, data: object) -> str:
    """'rules.2.routes.0…' → 'rules.2 (rule 'ops').routes.0…', so an error names the rule it is in."""
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        return message

    def named(match: re.Match[str]) -> str:
        index = int(match[1])
        rule = rules[index] if index < len(rules) else None
        name = rule.get("name") if isinstance(rule, dict) else None
        return f"rules.{index} (rule {name!r})" if isinstance(name, str) else match[0]

    return re.sub(r"\brules\.(\d+)", named, message)


def alert_id(rule: str, source_id: str) -> str:
    """Deterministic per rule and source record, so a redelivered change yields the same alert id."""
    return hashlib.sha1(f"{rule}|{source_id}".encode()).hexdigest()[:20]


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def change_alert(
    rule: AlertRule, change: StanceChange, *, id: str, title: str, summary: str, event_at: datetime, now: datetime
) -> Alert:
    """An alert raised by a stance change: the change's pair, ids and stances, with the rule's own wording."""
    return Alert(
        id=id,
        rule=rule.name,
        severity=rule.severity,
        title=title,
        summary=summary,
        actor=change.actor,
        topic=change.topic,
        change_id=change.id,
        statement_id=change.current.statement_id,
        article_id=change.current.article_id,
        url=change.url,
        event_at=event_at,
        created_at=now,
        speaker=change.speaker,
        topic_label=change.topic_label,
        change_kind=change.kind,
        previous_stance=change.previous.stance if change.previous else None,
        current_stance=change.current.stance,
        evidence=change.current.evidence or None,
    )


def change_title(change: StanceChange) -> str:
    was = f"{change.previous.stance} → " if change.previous else ""
    return f"{change.actor} {change.kind} on {change.topic_label}: {was}{change.current.stance}"


def change_summary(change: StanceChange) -> str:
    who = f"{change.speaker} ({change.actor})" if change.speaker else change.actor
    now = f"{who} is now {change.current.stance} ({change.current.score:+.2f}) on {change.topic_label}"
    if change.previous:
        day = change.previous.published_at.date().isoformat()
        now += f", was {change.previous.stance} ({change.previous.score:+.2f}) on {day}"
    return f"{now}: “{shorten(change.current.evidence, 300)}”"
