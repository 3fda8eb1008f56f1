"""`stancewire run` starts extraction warming up before it imports Faust, and hands that pool to the worker."""

from __future__ import annotations

import os
import subprocess
import sys

# In a fresh interpreter: `run` with the worker replaced by a probe of what had started by then.
PROBE = """
import sys
import streams.cli.run as run_module
from streams.cli import main

def probe(settings, broker, workers, log_level, pool):
    faust_before = "faust" in sys.modules
    ready = pool is not None and pool.wait_ready(timeout=120)
    print(f"faust_before={faust_before} ready={ready} extractor_in_worker={'extractor' in vars(pool.pipeline)}")

run_module.run_workers = probe
sys.argv = ["stancewire", "run"]
main()
"""


def test_run_starts_extraction_before_faust_is_imported_and_warms_it_in_its_process(tmp_path) -> None:  # noqa: ANN001
    env = {**os.environ, "STANCEWIRE_EXTRACTOR": "fast", "STANCEWIRE_EXTRACT_PROCESSES": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=180, cwd=tmp_path, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "faust_before=False ready=True extractor_in_worker=False" in done.stdout
