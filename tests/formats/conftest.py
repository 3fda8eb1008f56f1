from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture
def sample(tmp_path: Path):
    """Copy a sample file into tmp_path with a known modification time (2025-10-20 12:00 UTC)."""

    def copy(name: str, mtime: datetime = datetime(2025, 10, 20, 12, 0, tzinfo=UTC)) -> Path:
        target = tmp_path / name
        shutil.copyfile(DATA / name, target)
        os.utime(target, (mtime.timestamp(), mtime.timestamp()))
        return target

    return copy
