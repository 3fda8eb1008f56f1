"""`stancewire bench --json`: stdout is one JSON object (progress goes to stderr), with worker CPU and memory."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest


@pytest.mark.kafka
def test_bench_json_is_json_alone_with_worker_usage(tmp_path) -> None:  # noqa: ANN001
    command = [sys.executable, "-m", "streams", "bench", "--json", "--articles", "5", "--e2e-articles", "5"]
    done = subprocess.run(
        [*command, "--rate", "20", "--extractor", "fast"], capture_output=True, timeout=240, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    report = orjson.loads(done.stdout)  # the whole of stdout: one JSON object
    assert "worker ready" in done.stderr.decode()
    end_to_end = report["end_to_end"]
    assert end_to_end["paced"]["alerted"] == 5 and end_to_end["burst"]["alerted"] == 5
    assert end_to_end["worker"]["cpu_seconds"] > 0 and end_to_end["worker"]["peak_memory_mb"]["worker"] > 0
