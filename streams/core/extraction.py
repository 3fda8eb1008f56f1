"""Choosing and loading an extractor by name: `fast` (the rules), `parsed` (spaCy), or `auto`."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # choosing an extractor by name imports none
    from streams.nlp.extract import Extractor

__all__ = ["EXTRACTORS", "ExtractorUnavailable", "extractor_name", "load_extractor"]

EXTRACTORS = ("fast", "parsed")


class ExtractorUnavailable(RuntimeError):
    """The named extractor cannot be loaded here (its model or spaCy is not installed)."""


def extractor_name(name: str) -> str:
    """The extractor `load_extractor(name)` gives, without loading it (a spaCy model takes seconds):
    `auto` is parsed when spaCy and a model are installed. A model that is installed but fails to load
    still falls back to fast in `load_extractor`."""
    if name == "auto":
        from streams.nlp.parsed import model_available

        return "parsed" if model_available() else "fast"
    if name in EXTRACTORS:
        return name
    raise ValueError(f"unknown extractor {name!r}; choose from auto, {', '.join(EXTRACTORS)}")


def load_extractor(name: str) -> Extractor:
    """`fast` (the rules), `parsed` (spaCy, imported lazily), or `auto`: parsed when it loads, else fast."""
    if name == "auto":
        try:
            return load_extractor("parsed")
        except ExtractorUnavailable:
            return load_extractor("fast")
    if name == "fast":
        from streams.nlp.extract import FastExtractor

        return FastExtractor()
    if name == "parsed":
        try:
            return importlib.import_module("streams.nlp.parsed").ParsedExtractor()
        except (ImportError, AttributeError, OSError) as exc:  # OSError: a spaCy model that is not installed
            raise ExtractorUnavailable(f"parsed extractor unavailable: {type(exc).__name__}: {exc}") from exc
    raise ValueError(f"unknown extractor {name!r}; choose from auto, {', '.join(EXTRACTORS)}")
