"""Language detection with py3langid's bundled model."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.formats import detect_language, read_path
from streams.formats.language import article_language, normalise_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The foreign minister said on Tuesday that the border would stay closed until the ceasefire holds.", "en"),
        ("Le Premier ministre a promis lundi de revoir la réforme des retraites, a-t-il déclaré.", "fr"),
        (
            "Die Bundesregierung will die Bürger mit einem neuen Entlastungspaket unterstützen, sagte der Minister.",
            "de",
        ),
        ("Министр иностранных дел заявил во вторник, что граница останется закрытой.", "ru"),
        ("Міністр закордонних справ заявив у вівторок, що кордон залишиться закритим.", "uk"),
        ("Opposition leader calls for early elections", "en"),
    ],  # a short headline
)
def test_detects(text: str, code: str) -> None:
    found, confidence = detect_language(text)
    assert found == code
    assert 0.5 < confidence <= 1.0


def test_nothing_to_detect() -> None:
    assert detect_language("") == (None, 0.0)
    assert detect_language("2025 — 17:30 | 42") == (None, 0.0)


def test_the_sample_articles(data: Path) -> None:
    (french,) = read_path(data / "french.json")
    (german,) = read_path(data / "german.txt")
    assert article_language(french.headline, french.body, french.language)[::2] == ("fr", True)
    assert article_language(german.headline, german.body)[::2] == ("de", True)
    assert article_language("x", "y", "en-GB") == ("en", 1.0, False)  # declared wins, not detected


def test_normalise() -> None:
    assert [normalise_language(t) for t in ("en-GB", "FR", "pt_BR", "nb", "", None)] == [
        "en",
        "fr",
        "pt",
        "no",
        None,
        None,
    ]


def test_accuracy_on_the_snippets_stays_high(data: Path) -> None:
    rows = [
        line.split("\t", 1)
        for line in (data / "language" / "snippets.tsv").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    right = sum(detect_language(text)[0] == lang for lang, text in rows)
    assert len(rows) == 160 and right >= 156  # measured 160/160 (docs/formats.md)


def test_a_preload_and_a_first_article_at_once_load_the_model_once(monkeypatch) -> None:  # noqa: ANN001
    from py3langid.langid import LanguageIdentifier

    from streams.formats import language

    loads: list[int] = []
    real = LanguageIdentifier.from_model_file.__func__

    def counting(cls, *args, **kwargs):  # noqa: ANN001, ANN202
        loads.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", classmethod(counting))
    monkeypatch.setattr(language, "_loaded", [])
    thread = language.preload()
    assert language.detect_language("The minister said the talks would resume next week.")[0] == "en"
    thread.join(timeout=60)
    assert loads == [1]
