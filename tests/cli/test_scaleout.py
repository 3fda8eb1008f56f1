"""`stancewire bench --scale-out`: bad worker counts are refused with one line; on Apache Kafka a small run
measures every worker count it is given, drains every stage, and the rebalance scenario misses nothing."""

from __future__ import annotations

import pytest
from rich.console import Console

from streams.cli.scaleout import run_scale_out
from tests.kafka_fixtures import Broker, cli


@pytest.mark.parametrize(
    ("value", "reason"),
    [("0", "must be 1..6"), ("1,7", "must be 1..6"), ("two", "worker counts such as 1,2,3")],
)
def test_bad_worker_counts_are_refused_before_anything_starts(value: str, reason: str) -> None:
    result = cli("bench", "--scale-out", value, "--broker", "kafka://127.0.0.1:9", timeout=60)
    assert result.returncode == 2 and reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.kafka
@pytest.mark.timeout(600)
@pytest.mark.parametrize("any_broker", ["apache"], indirect=True)
def test_a_small_scale_out_run_on_apache_kafka(any_broker: Broker) -> None:
    console = Console(stderr=True)
    report = run_scale_out(console, [1, 2], any_broker.url, partitions=4, burst=60, rate=10)
    runs = report["runs"]
    assert [run["workers"] for run in runs] == [1, 2]
    for run in runs:
        assert run["processed"] == run["burst"] == 60, run
        assert run["articles_per_s"] > 0 and len(run["cpu_seconds"]) == run["workers"]
        assert all(cpu > 0 for cpu in run["cpu_seconds"]), run  # every worker did some of the work
        assert run["lag_peak"]["extract"] > 0 and run["drained_after_s"] is not None, run
    rebalance = report["rebalance"]
    assert rebalance["missing"] == 0 and rebalance["fed"] > 0
    assert rebalance["join"]["rebalance_s"] is not None and rebalance["kill"]["rebalance_s"] is not None
    # a SIGKILLed worker never says goodbye: the group notices when its session expires
    assert rebalance["kill"]["noticed_after_s"] >= rebalance["kill"]["session_timeout_s"] * 0.5
