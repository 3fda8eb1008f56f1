"""Choosing and loading an extractor by name: `fast` (the rules), `parsed` (spaCy), or `auto`."""

from __future__ import annotations

import importlib

from streams.nlp.extract import Extractor

__all__ = ["EXTRACTORS", "ExtractorUnavailable", "load_extractor"]

EXTRACTORS = ("fast", "parsed")


class ExtractorUnavailable(RuntimeError):
    """The named extractor cannot be loaded here (its model or spaCy is not installed)."""


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
