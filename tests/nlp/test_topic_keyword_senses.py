"""Topic keywords against real copy: curly apostrophes, and keywords that name a topic's harm.

Our own sentences, in the styles of wire reporting; each test fails without the rule it names."""

from __future__ import annotations

import pytest

from streams.nlp.open_topics import gazetteer
from streams.nlp.taxonomy import Taxonomy


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Lawmakers in Nuuk debated Greenland’s independence on Tuesday.", "greenland"),
        ("A resupply boat was blocked near Ren’ai Jiao, the coast guard said.", "south-china-sea"),
        ("Officials said the leaders’ declaration was agreed overnight.", "multilateral-summits"),
        ("The draft left out Greenland‘s independence, a misturned apostrophe and all.", "greenland"),
    ],
)
def test_a_curly_apostrophe_matches_a_straight_keyword(taxonomy: Taxonomy, text: str, topic: str) -> None:
    matches = [m for m in taxonomy.match(text) if m.topic == topic]
    assert matches, taxonomy.match(text)
    # One character stands for one: the span still reads the text as written.
    assert all(text[m.start : m.end] == m.text and "'" not in m.text for m in matches)


def test_a_curly_apostrophe_inside_an_other_sense_phrase_still_excludes() -> None:
    custom = Taxonomy.from_data(
        [{"id": "fares", "label": "Fares", "keywords": ["fares"], "not_in": ["children's fares"]}]
    )
    assert custom.topics_in("The operator froze children’s fares.") == []
    assert custom.topics_in("The operator froze adult fares.") == ["fares"]


@pytest.mark.parametrize(
    ("text", "actor", "term"),
    [
        ("The People’s Republic of China lodged a complaint.", "CHN", "People’s Republic of China"),
        ("Cote d’Ivoire recalled its envoy.", "CIV", "Cote d’Ivoire"),
        ("The Democratic People’s Republic of Korea fired a missile.", "PRK", "Democratic People’s Republic of Korea"),
    ],
)
def test_a_curly_apostrophe_matches_an_actor_name(text: str, actor: str, term: str) -> None:
    gaz = gazetteer()
    found = [(text[a:b], entry.actor) for a, b, entry in gaz.terms_in(text)]
    assert (term, actor) in found
    assert gaz.lookup(term.replace("’", "'")) == gaz.lookup(term)


def test_a_parliament_named_people_s_assembly_is_no_topic_of_its_own(taxonomy: Taxonomy) -> None:
    # The name of several countries' legislatures (Syria's before and after Assad, North Korea's
    # Supreme People's Assembly): it names neither a transition nor any other subject.
    for text in (
        "Syria holds its first People’s Assembly vote since the war.",
        "North Korea’s Supreme People’s Assembly met in Pyongyang.",
    ):
        assert "syria-transition" not in taxonomy.topics_in(text)
