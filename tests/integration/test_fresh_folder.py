"""`stancewire run --broker URL` in a folder with no `var/`: the data dir is created with its parents."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaProducer

from schemas import encode
from streams.cli.bench import corpus
from streams.runtime.worker import prepare_topics, stop_process
from streams.settings import Settings
from tests.kafka_fixtures import collect

pytestmark = pytest.mark.kafka


@pytest.mark.parametrize("any_broker", ["embedded"], indirect=True)
def test_run_in_a_folder_without_var_creates_the_data_dir(settings: Settings, tmp_path: Path) -> None:
    prepare_topics(settings)
    env = {**os.environ, **settings.to_env()}
    del env["STANCEWIRE_DATA_DIR"]  # the default, var/stancewire, relative to the empty folder
    folder = tmp_path / "fresh"
    folder.mkdir()
    log = (tmp_path / "run.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams", "run", "--broker", settings.broker or ""],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers())
        (article,) = corpus(1)
        producer.send(settings.topics.raw, key=article.id.encode(), value=encode(article))
        producer.close()
        found = collect(settings, [settings.topics.statements], lambda f: bool(f[settings.topics.statements]), 90)
        output = (tmp_path / "run.log").read_text(errors="replace")
        assert found[settings.topics.statements], output[-3000:]
        assert (folder / "var" / "stancewire").is_dir() and "FileNotFoundError" not in output
    finally:
        stop_process(proc)
        log.close()
