"""Issue 13, reading defects in cue matching: which phrase a cue is, whom a predicative noun judges,
inflected cues inside a phrase, and a body named inside a longer name. One test per construction, on
our own sentences in the styles of wire reporting."""

from __future__ import annotations

import pytest

from streams.nlp.actors import Gazetteer
from streams.nlp.extract import FastExtractor
from streams.nlp.parsed import ParsedExtractor
from tests.nlp.conftest import make_article

# -- a body's name inside a longer name names that other body -----------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("the National Security Council said", []),
        ("a Regional Security Council statement", []),
        ("the Security Council met on Friday", ["UN"]),
        ("Security Council members voted", ["UN"]),
        ("the UN Security Council said", ["UN"]),
        ("Russia's Security Council said", ["RUS", "UN"]),
        ("On Friday Security Council envoys met", ["UN"]),
    ],
)
def test_a_body_named_inside_a_longer_name_is_no_mention_of_it(gazetteer, text, actors) -> None:  # noqa: ANN001
    assert [entry.actor for _start, _end, entry in gazetteer.terms_in(text)] == actors


@pytest.mark.parametrize("extractor", [FastExtractor, ParsedExtractor])
def test_a_state_body_with_no_country_in_its_name_follows_the_office_holder_rules(extractor) -> None:  # noqa: ANN001
    body = (
        "WASHINGTON — The White House said on Tuesday that the Egyptian plan for Gaza fell short.\n"
        "National Security Council spokeswoman Dana Lowell said the proposal left the core questions open."
    )
    statements = extractor().extract(make_article(body, "White House cool on Gaza plan"))
    assert {s.speaker.name: s.speaker.actor for s in statements}["Dana Lowell"] == "USA"
