"""The speech verbs' inflections and the given names' genders are read from generated files, so loading an
extractor imports neither lemminflect (nor, through it, spaCy) nor gender-guesser; each file matches what its
package gives."""

from __future__ import annotations

import subprocess
import sys

from streams.nlp import build_given_names, build_inflections, speakers


def test_generated_file_is_what_the_generator_writes() -> None:
    expected = build_inflections.render(build_inflections.build())
    current = build_inflections.GENERATED_PATH.read_text(encoding="utf-8")
    assert current == expected, "out of date: run python -m streams.nlp.build_inflections"


def test_a_lemma_missing_from_the_file_is_inflected_with_lemminflect(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(speakers, "_generated_inflections", dict)
    assert speakers.inflections("point out") == {"point out", "points out", "pointed out", "pointing out"}


def test_loading_the_fast_extractor_imports_neither_lemminflect_nor_spacy_nor_gender_guesser() -> None:
    probe = (
        "import sys; from streams.nlp.extract import FastExtractor; FastExtractor(); "
        "print(sorted(m for m in ('lemminflect', 'spacy', 'gender_guesser') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_given_names_file_is_what_the_generator_writes() -> None:
    expected = build_given_names.render(build_given_names.build())
    current = build_given_names.GENERATED_PATH.read_text(encoding="utf-8")
    assert current == expected, "out of date: run python -m streams.nlp.build_given_names"


def test_a_given_name_tells_a_gender_only_when_the_list_is_clear() -> None:
    assert speakers._given_name_gender("Maria") == "f"
    assert speakers._given_name_gender("Yván") == "m"  # read without its accent, as the list spells it
    assert speakers._given_name_gender("Sasha") is None  # "mostly" one gender: no claim
    assert speakers._given_name_gender("Zxqwv") is None  # not in the list
    assert speakers._given_name_gender("J") is None  # an initial
