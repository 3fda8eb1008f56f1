"""The speech verbs' inflections are read from a generated file, so loading an extractor imports
neither lemminflect nor (through it) spaCy; the file matches what lemminflect gives."""

from __future__ import annotations

import subprocess
import sys

from streams.nlp import build_inflections, speakers


def test_generated_file_is_what_the_generator_writes() -> None:
    expected = build_inflections.render(build_inflections.build())
    current = build_inflections.GENERATED_PATH.read_text(encoding="utf-8")
    assert current == expected, "out of date: run python -m streams.nlp.build_inflections"


def test_a_lemma_missing_from_the_file_is_inflected_with_lemminflect(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(speakers, "_generated_inflections", dict)
    assert speakers.inflections("point out") == {"point out", "points out", "pointed out", "pointing out"}


def test_loading_the_fast_extractor_imports_neither_lemminflect_nor_spacy() -> None:
    probe = (
        "import sys; from streams.nlp.extract import FastExtractor; FastExtractor(); "
        "print(sorted(m for m in ('lemminflect', 'spacy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
