"""`stancewire run` starts extraction processes warming up first (before it loads its own files or imports
Faust), and hands them to the worker."""

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
from streams.runtime.extract_pool import ExtractPool

started = ExtractPool.__init__

def recording_start(self, pipeline):
    print(f"nlp_before_pool={'streams.core.pipeline' in sys.modules}")  # the worker's own files not loaded yet
    started(self, pipeline)

ExtractPool.__init__ = recording_start

def probe(settings, broker, workers, log_level, pool, pipeline):
    if pool is None:
        print("no pool")
        return
    faust_before = "faust" in sys.modules
    ready = pool is not None and pool.wait_ready(timeout=120)
    print(f"faust_before={faust_before} ready={ready} extractor_in_worker={'extractor' in vars(pipeline)}")

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


def test_run_starts_extraction_processes_first_and_warms_them(tmp_path: Path) -> None:
    out = probe(tmp_path, processes=1)
    assert "nlp_before_pool=False" in out  # before the worker imports the NLP core and loads its files
    assert "faust_before=False ready=True extractor_in_worker=False" in out


def test_a_thread_is_left_to_the_extract_agent(tmp_path: Path) -> None:
    assert "no pool" in probe(tmp_path, processes=0)  # it would share the GIL with the worker's imports


def test_a_bad_rules_file_fails_in_one_line_after_extraction_processes_started(tmp_path: Path) -> None:
    """The processes start before the worker reads its files; a bad file still ends `run` with its message
    (no traceback, no process left waiting on the pool)."""
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: [unclosed\n", encoding="utf-8")
    env = {**os.environ, "STANCEWIRE_EXTRACTOR": "fast", "STANCEWIRE_EXTRACT_PROCESSES": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "streams", "run", "--rules", str(rules)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode != 0
    assert f"{rules}: not valid YAML" in done.stderr and "Traceback" not in done.stderr


def test_the_command_line_starts_without_kafka_faust_or_the_nlp_core() -> None:
    """What `stancewire run` imports before it starts its extraction processes: the sooner they start, the
    sooner a fresh worker's first output (each of these is imported later, where it is used)."""
    probe = (
        "import sys, streams.cli, streams.runtime.extract_pool; "
        "print(sorted(m for m in ('kafka', 'aiokafka', 'faust', 'spacy', 'streams.core.pipeline') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
