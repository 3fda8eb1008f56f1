"""`stancewire demo --broker URL` end to end: it runs on a given broker and removes its temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kafka_fixtures import Broker

pytestmark = pytest.mark.kafka


def test_demo_on_a_given_broker_cleans_up_after_itself(embedded_broker: Broker, tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "COLUMNS": "120"}
    env.pop("STANCEWIRE_BROKER", None)
    result = subprocess.run(
        [sys.executable, "-m", "streams", "demo", "--broker", embedded_broker.url, "--timeout", "150"],
        capture_output=True,
        text=True,
        env=env,
        timeout=200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "What flowed through the topics" in result.stdout
    assert "news.statements" in result.stdout and "demo-" in result.stdout  # its own topics on that broker
    assert "[stance-reversal]" in result.stdout  # rule names are text, not eaten as markup
    assert not list(tmp_path.glob("stancewire-demo-*")), "the demo left its temporary folder behind"
