"""Bounds on delivery settings and payloads: a webhook timeout of 0 is refused, a digest's ids are capped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streams.core.alerting import AlertRules, RulesError
from streams.delivery.payloads import DIGEST_IDS, Digest, digest_json
from tests.delivery.conftest import make_alert


def load(text: str, tmp_path: Path) -> AlertRules:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return AlertRules.load(path)


@pytest.mark.parametrize("timeout", ["0s", "0", "0.05s", "-1", "1d"])
@pytest.mark.parametrize("kind", ["webhook", "slack"])
def test_a_timeout_out_of_bounds_is_refused_naming_the_rule(kind: str, timeout: str, tmp_path: Path) -> None:
    with pytest.raises(RulesError) as err:
        load(f"rules:\n  - name: hasty\n    routes: [{{type: {kind}, url_env: H, timeout: {timeout}}}]\n", tmp_path)
    message = str(err.value)
    assert "rule 'hasty'" in message and "timeout must be between 0.1s and 300s" in message, message


@pytest.mark.parametrize("timeout", ["0.1s", "0.5s", "5s", "5m"])
def test_a_timeout_in_bounds_loads(timeout: str, tmp_path: Path) -> None:
    (rule,) = load(
        f"rules:\n  - name: ok\n    routes: [{{type: webhook, url_env: H, timeout: {timeout}}}]\n", tmp_path
    ).rules
    assert rule.routes[0].timeout >= timedelta(seconds=0.1)


def test_a_digest_lists_the_first_ids_and_counts_the_rest() -> None:
    start = datetime(2025, 9, 4, 9, 0, tzinfo=UTC)
    digest = Digest("rev", "webhook:H", start, start + timedelta(minutes=10), limit=3)
    alert = make_alert(1)
    extra = 250
    for n in range(DIGEST_IDS + extra):
        digest.add(alert.model_copy(update={"id": f"a{n}"}))
    body = digest_json(digest)
    assert body["count"] == DIGEST_IDS + extra
    assert body["alert_ids"] == [f"a{n}" for n in range(DIGEST_IDS)]
    assert body["alert_ids_omitted"] == extra
    assert len(body["alerts"]) == 20 and body["omitted"] == DIGEST_IDS + extra - 20
