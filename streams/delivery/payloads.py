"""What each route sends: the alert as JSON (webhook, file), a readable Slack message, and digests.

Pure functions of the records, so they are tested without a network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from schemas import Alert, encode

__all__ = ["Digest", "digest_body", "digest_json", "slack_digest_payload", "slack_payload", "webhook_body"]

SEVERITY_EMOJI = {
    "info": ":information_source:",
    "low": ":large_blue_circle:",
    "medium": ":large_orange_circle:",
    "high": ":red_circle:",
    "critical": ":rotating_light:",
}
DIGEST_SAMPLE = 20  # alerts kept whole in a digest; the rest are counted (and their ids listed)
DIGEST_IDS = 1000  # alert ids listed in a digest; beyond that they are only counted (`alert_ids_omitted`)
_SLACK_TEXT_LIMIT = 2900  # Slack refuses section text over 3000 characters
_SLACK_HEADER_LIMIT = 150


@dataclass(slots=True)
class Digest:
    """Alerts of one rule and route that a throttle held back during one window."""

    rule: str
    route: str
    window_start: datetime
    window_end: datetime
    limit: int
    count: int = 0
    alerts: list[Alert] = field(default_factory=list)
    alert_ids: list[str] = field(default_factory=list)

    def add(self, alert: Alert) -> None:
        self.count += 1
        if len(self.alert_ids) < DIGEST_IDS:
            self.alert_ids.append(alert.id)
        if len(self.alerts) < DIGEST_SAMPLE:
            self.alerts.append(alert)

    @property
    def id(self) -> str:
        return f"digest:{self.rule}:{self.route}:{self.window_start.isoformat()}"


def webhook_body(alert: Alert) -> bytes:
    """The alert record as JSON, exactly as on the `alerts` topic."""
    return encode(alert)


def digest_json(digest: Digest) -> dict[str, Any]:
    """A digest as a JSON object: `kind: digest`, the window, the folded count, (up to 20) alerts and the
    ids of (up to 1000) alerts, with the count of ids left out."""
    return {
        "kind": "digest",
        "id": digest.id,
        "rule": digest.rule,
        "route": digest.route,
        "window_start": digest.window_start.isoformat(),
        "window_end": digest.window_end.isoformat(),
        "limit": digest.limit,
        "count": digest.count,
        "alert_ids": digest.alert_ids,
        "alert_ids_omitted": digest.count - len(digest.alert_ids),
        "alerts": [alert.model_dump(mode="json") for alert in digest.alerts],
        "omitted": digest.count - len(digest.alerts),
    }


def digest_body(digest: Digest) -> bytes:
    return orjson.dumps(digest_json(digest))


def _escape(text: str) -> str:
    """Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link(url: str | None, label: str) -> str | None:
    if not url or not url.startswith(("http://", "https://")):
        return None
    return f"<{url.replace('|', '%7C').replace('>', '%3E')}|{_escape(label)}>"


def _stance_move(alert: Alert) -> str | None:
    if alert.current_stance is None:
        return None
    was = f"{alert.previous_stance} → " if alert.previous_stance else "(new) "
    return f"{was}*{alert.current_stance}*"


def slack_payload(alert: Alert) -> dict[str, Any]:
    """A Slack incoming-webhook message: title, actor, topic, previous → current stance, the evidence
    quote, and a link to the article when it has a url. `text` is the notification fallback."""
    emoji = SEVERITY_EMOJI[alert.severity]
    fields = []
    who = alert.actor or "unknown actor"
    if alert.speaker:
        who = f"{alert.speaker} ({alert.actor})" if alert.actor else alert.speaker
    fields.append(f"*Actor*\n{_escape(who)}")
    if alert.topic_label or alert.topic:
        fields.append(f"*Topic*\n{_escape(alert.topic_label or alert.topic or '')}")
    if move := _stance_move(alert):
        kind = f" ({alert.change_kind})" if alert.change_kind else ""
        fields.append(f"*Stance{kind}*\n{move}")
    fields.append(f"*Severity*\n{alert.severity}")
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _clip(alert.title, _SLACK_HEADER_LIMIT), "emoji": True},
        },
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    quote = alert.evidence or alert.summary
    blocks.append(
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "> " + _escape(_clip(quote, _SLACK_TEXT_LIMIT)).replace("\n", "\n> ")},
        }
    )
    context = [f"rule `{_escape(alert.rule)}`", f"published {alert.event_at:%Y-%m-%d %H:%M} UTC"]
    if link := _link(alert.url, "article"):
        context.append(link)
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(context)}]})
    return {"text": f"{emoji} {_escape(_clip(alert.title, _SLACK_TEXT_LIMIT))}", "blocks": blocks}


def slack_digest_payload(digest: Digest) -> dict[str, Any]:
    """One Slack message for the alerts a throttle folded: the count and the first titles."""
    window = f"{digest.window_start:%H:%M}–{digest.window_end:%H:%M} UTC"
    head = (
        f":package: {digest.count} more alert(s) from rule `{_escape(digest.rule)}` between {window} "
        f"(throttled to {digest.limit} per window)"
    )
    lines = []
    for alert in digest.alerts[:10]:
        link = _link(alert.url, "article")
        title = _escape(_clip(alert.title, 200))
        lines.append(f"• {SEVERITY_EMOJI[alert.severity]} {title}" + (f" ({link})" if link else ""))
    if digest.count > len(lines):
        lines.append(f"… and {digest.count - len(lines)} more")
    return {
        "text": head,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": head}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _clip_lines(lines)}},
        ],
    }


def _clip_lines(lines: list[str]) -> str:
    text = "\n".join(lines)
    return text if len(text) <= _SLACK_TEXT_LIMIT else text[: _SLACK_TEXT_LIMIT - 1] + "…"
