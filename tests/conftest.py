"""Fixtures shared by every test level; broker fixtures live in tests/kafka_fixtures.py (a plugin)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.kafka_fixtures"]

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


SAMPLES = REPO_ROOT.parent / "shared" / "samples"


@pytest.fixture(scope="session")
def sample_article_path() -> Path:
    path = SAMPLES / "ukraine-troops-2025-09-04.txt"
    if not path.exists():
        pytest.fail(f"the shared sample article is missing: {path} (clone the repo beside ../shared)")
    return path


@pytest.fixture(scope="session")
def sample_article_jsonl(sample_article_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared sample as one JSON line, dated 2025-09-04 as the article says."""
    from schemas import encode
    from streams.formats import read_path

    (article,) = read_path(sample_article_path, source="wire sample")
    article = article.model_copy(
        update={
            "id": "ukraine-troops-2025-09-04",
            "published_at": article.published_at.replace(2025, 9, 4, 9, 0, 0, 0),
        }
    )
    path = tmp_path_factory.mktemp("sample") / "sample.jsonl"
    path.write_bytes(encode(article) + b"\n")
    return path
