"""`stancewire run` starts extraction processes warming up before it imports Faust, and hands them to the worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# In a fresh interpreter: `run` with the worker replaced by a probe of what had started by then.
PROBE = """
import sys
import streams.cli.run as run_module
from streams.cli import main

def probe(settings, broker, workers, log_level, pool):
    if pool is None:
        print("no pool")
        return
    faust_before = "faust" in sys.modules
    ready = pool is not None and pool.wait_ready(timeout=120)
    print(f"faust_before={faust_before} ready={ready} extractor_in_worker={'extractor' in vars(pool.pipeline)}")

run_module.run_workers = probe
sys.argv = ["stancewire", "run"]
main()
"""


def probe(tmp_path: Path, processes: int) -> str:
    env = {**os.environ, "STANCEWIRE_EXTRACTOR": "fast", "STANCEWIRE_EXTRACT_PROCESSES": str(processes)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=180, cwd=tmp_path, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_run_starts_extraction_processes_before_faust_is_imported_and_warms_them(tmp_path: Path) -> None:
    assert "faust_before=False ready=True extractor_in_worker=False" in probe(tmp_path, processes=1)


def test_a_thread_is_left_to_the_extract_agent(tmp_path: Path) -> None:
    assert "no pool" in probe(tmp_path, processes=0)  # it would share the GIL with the worker's imports
