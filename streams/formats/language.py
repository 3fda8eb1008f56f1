"""Language identification: `detect_language(text) -> (ISO 639-1 code | None, confidence 0..1)`.

Detector: py3langid (a maintained fork of langid.py; naive Bayes over byte n-grams, its model is
inside the wheel, 4.5 MB, numpy only). Measured against lingua-language-detector on the same
snippets (docs/formats.md): both read all 160 headline-and-lead snippets right; py3langid takes
~0.07 ms a snippet, lingua ~1.3 ms in its low-accuracy mode (81 MB) and ~12-16 ms in high accuracy
(over 1 GB resident). The extract agent calls this once per article, so py3langid.

It is limited to DETECTED_LANGUAGES, the languages wire services publish in, which keeps close
neighbours of little use here (Extremaduran, Venetian, Nigerian Pidgin) from taking short
headlines. Only the headline and the first MAX_LANGUAGE_CHARS of the text are read: the cost
per article is bounded whatever the body's length.

`python -m streams.formats language FILE.tsv` measures accuracy and speed on `lang<TAB>text` lines.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

__all__ = [
    "DETECTED_LANGUAGES",
    "MAX_LANGUAGE_CHARS",
    "SUPPORTED_LANGUAGES",
    "article_language",
    "detect_language",
    "normalise_language",
    "preload",
]

DETECTED_LANGUAGES = [
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "ru",
    "uk",
    "be",
    "pl",
    "cs",
    "sk",
    "sl",
    "hr",
    "sr",
    "bs",
    "bg",
    "mk",
    "ro",
    "hu",
    "el",
    "tr",
    "ar",
    "fa",
    "he",
    "ur",
    "hi",
    "bn",
    "zh",
    "ja",
    "ko",
    "vi",
    "id",
    "ms",
    "th",
    "sv",
    "da",
    "no",
    "fi",
    "et",
    "lv",
    "lt",
    "ca",
    "eu",
    "sq",
    "hy",
    "ka",
    "az",
    "kk",
    "uz",
    "sw",
]
SUPPORTED_LANGUAGES = frozenset({"en"})
"""The languages the statement extractor reads today; any other is `unsupported_language`."""
MAX_LANGUAGE_CHARS = 500
"""Characters of text read for detection: a headline and lead decide; the rest costs time only."""
MIN_LETTERS = 3
"""Fewer letters than this (a number, an acronym): no language is claimed."""

_LETTER = re.compile(r"[^\W\d_]")
_lock = threading.Lock()


_loaded: list[Any] = []  # the identifier, once loaded


def _identifier():  # noqa: ANN202 - py3langid has no type hints
    if not _loaded:
        with _lock:  # one load, however many threads ask at once (`preload` and a first article)
            if not _loaded:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(DETECTED_LANGUAGES)
                _loaded.append(identifier)
    return _loaded[0]


def preload() -> threading.Thread:
    """Load the model in a thread of its own. Most of the load is LZMA decompression, which runs without
    the GIL, so on a second core it overlaps the rest of an extraction process's warm-up."""
    thread = threading.Thread(target=_identifier, name="stancewire-language-load", daemon=True)
    thread.start()
    return thread


def detect_language(text: str) -> tuple[str | None, float]:
    """The most likely language of `text` and its probability; (None, 0.0) when there is nothing to read."""
    sample = text[:MAX_LANGUAGE_CHARS]
    if len(_LETTER.findall(sample[:200])) < MIN_LETTERS and len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None, 0.0
    code, probability = _identifier().classify(sample)
    return str(code), round(float(probability), 4)


def normalise_language(tag: str | None) -> str | None:
    """A BCP 47 / xml:lang tag as its ISO 639-1 primary subtag: 'en-GB' -> 'en', 'FR' -> 'fr'."""
    if not tag or not tag.strip():
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return {"nb": "no", "nn": "no", "iw": "he", "in": "id"}.get(primary, primary)


def article_language(headline: str, body: str, declared: str | None = None) -> tuple[str | None, float, bool]:
    """(code, confidence, detected): the declared language when there is one (confidence 1.0), else detected."""
    code = normalise_language(declared)
    if code:
        return code, 1.0, False
    found, confidence = detect_language(f"{headline}\n{body[:MAX_LANGUAGE_CHARS]}")
    return found, confidence, True


def measure(path: str) -> None:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                lang, text = line.rstrip("\n").split("\t", 1)
                rows.append((lang, text))
    start = time.perf_counter()
    _identifier()
    detect_language("warm up the model")
    load = time.perf_counter() - start
    for label, cut in (("full snippet", None), ("first 3 words", 3)):
        per_lang: dict[str, list[int]] = {}
        wrong = []
        start = time.perf_counter()
        for lang, text in rows:
            sample = " ".join(text.split()[:cut]) if cut else text
            got, confidence = detect_language(sample)
            per_lang.setdefault(lang, [0, 0])
            per_lang[lang][1] += 1
            if got == lang:
                per_lang[lang][0] += 1
            else:
                wrong.append(f"{lang}->{got} ({confidence:.2f}) {sample!r}")
        elapsed = (time.perf_counter() - start) / len(rows)
        right = sum(ok for ok, _ in per_lang.values())
        print(
            f"{label}: {right}/{len(rows)} right ({100 * right / len(rows):.1f} %), "
            f"{elapsed * 1e6:.0f} µs a snippet; " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in per_lang.items())
        )
        for line in wrong:
            print("   ", line)
    article = " ".join(text for _, text in rows if _ == "en") * 4
    start = time.perf_counter()
    for _ in range(200):
        article_language(rows[0][1], article)
    per_article = (time.perf_counter() - start) / 200
    print(f"model load {load * 1000:.0f} ms; one {len(article)}-character article {per_article * 1e6:.0f} µs")
