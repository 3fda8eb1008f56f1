"""Routes in the rules YAML: they load, secrets only come from the environment, mistakes are named."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from streams.core.alerting import AlertRules, RulesError
from streams.delivery import Deliverer, DeliveryConfigError
from streams.delivery.routes import FileRoute, SlackRoute, WebhookRoute

ROUTED = """
rules:
  - name: reversal-to-ops
    kinds: [reversal]
    throttle: {max: 5, window: 10m}
    routes:
      - type: webhook
        url_env: OPS_WEBHOOK_URL
        secret_env: OPS_WEBHOOK_SECRET
        timeout: 3s
        max_attempts: 4
      - type: slack
        url_env: SLACK_WEBHOOK_URL
        throttle: {max: 2, window: 1h}
      - type: file
        path: var/alerts.jsonl
"""


def load(text: str, tmp_path: Path) -> AlertRules:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return AlertRules.load(path)


def test_rules_with_routes_load(tmp_path: Path) -> None:
    (rule,) = load(ROUTED, tmp_path).rules
    webhook, slack, file = rule.routes
    assert isinstance(webhook, WebhookRoute) and isinstance(slack, SlackRoute) and isinstance(file, FileRoute)
    assert (webhook.url_env, webhook.secret_env, webhook.max_attempts) == ("OPS_WEBHOOK_URL", "OPS_WEBHOOK_SECRET", 4)
    assert webhook.timeout == timedelta(seconds=3) and file.path == Path("var/alerts.jsonl")
    assert rule.throttle_for(webhook).max == 5  # the rule's throttle
    assert rule.throttle_for(slack).window == timedelta(hours=1)  # the route's own
    assert [r.label for r in rule.routes] == [
        "webhook:OPS_WEBHOOK_URL",
        "slack:SLACK_WEBHOOK_URL",
        "file:var/alerts.jsonl",
    ]


def test_packaged_rules_still_load_and_route_nowhere() -> None:
    assert all(rule.routes == () for rule in AlertRules.load().rules)


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("{type: webhook, url: 'https://ops.example/hook'}", "never hold a URL or key"),
        ("{type: slack, url: 'https://hooks.slack.com/services/T0/B0/XYZ'}", "never hold a URL or key"),
        ("{type: webhook, url_env: H, secret: hunter2}", "`secret:` given"),
        ("{type: slack, url_env: 'https://hooks.slack.com/services/T0/B0/XYZ'}", "must name an environment variable"),
        ("{type: webhook, url_env: H, secret_env: 'hunter2 with spaces'}", "must name an environment variable"),
    ],
)
def test_literal_secrets_are_refused_naming_the_rule(route: str, expected: str, tmp_path: Path) -> None:
    with pytest.raises(RulesError) as err:
        load(f"rules:\n  - name: leaky\n    routes: [{route}]\n", tmp_path)
    message = str(err.value)
    assert expected in message and "rule 'leaky'" in message
    assert "XYZ" not in message and "hunter2" not in message  # the pasted secret is not echoed


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("{type: pigeon, url_env: H}", "does not match any of the expected tags"),
        ("{type: webhook}", "url_env: Field required"),
        ("{type: webhook, url_env: H, max_attempts: 0}", "max_attempts"),
        ("{type: file, path: a.jsonl, throttle: {max: 0, window: 1m}}", "throttle.max"),
        ("{type: file, path: a.jsonl, throttle: {max: 3, window: 0s}}", "window must be positive"),
        ("{type: file, path: a.jsonl}, {type: file, path: a.jsonl}", "route names must be unique"),
    ],
)
def test_bad_routes_are_refused(route: str, expected: str, tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="rule 'r'") as err:
        load(f"rules:\n  - name: r\n    routes: [{route}]\n", tmp_path)
    assert expected in str(err.value)


def test_a_missing_environment_variable_stops_the_deliverer_at_start(tmp_path: Path) -> None:
    rules = load(ROUTED, tmp_path)
    env = {"OPS_WEBHOOK_URL": "https://ops.example/hook", "SLACK_WEBHOOK_URL": "https://hooks.slack.com/x"}
    with pytest.raises(DeliveryConfigError, match="OPS_WEBHOOK_SECRET is not set") as err:
        Deliverer(rules, env=env)
    assert "reversal-to-ops" in str(err.value)
    with pytest.raises(DeliveryConfigError, match="not an http"):
        Deliverer(rules, env={**env, "OPS_WEBHOOK_SECRET": "k", "OPS_WEBHOOK_URL": "ops.example/hook"})
    assert Deliverer(rules, env={**env, "OPS_WEBHOOK_SECRET": "k"}).routed_rules == ["reversal-to-ops"]


def test_the_commented_example_in_the_packaged_rules_is_valid(repo_root: Path) -> None:
    text = (repo_root / "streams" / "config" / "rules.yaml").read_text("utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("#  - name: reversal-to-ops"))
    example = [line[1:] for line in lines[start:] if line.startswith("#  ")]
    rules = AlertRules.model_validate({"rules": yaml.safe_load("\n".join(example))})
    (rule,) = rules.rules
    assert [route.type for route in rule.routes] == ["webhook", "slack", "file"]
    assert rule.throttle is not None and rule.throttle.max == 10
