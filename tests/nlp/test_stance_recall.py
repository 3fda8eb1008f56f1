"""Stance recall constructions of issue 13 (branch stance9): the ways wire copy takes a position that the
eval misses came from, each with sentences of our own (none copied from an article).

The assertions are on the (topic, stance) pairs `detect_stances` gives for one statement."""

from __future__ import annotations

import pytest

from streams.nlp.stance import detect_stances, named_topic
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import make_statement


def stances(text: str, taxonomy: Taxonomy, actor: str, context: str = "") -> dict[str, str]:
    return {e.topic: e.stance for e in detect_stances(make_statement(text, "Spokesperson", actor, context), taxonomy)}


# -- leaving a treaty: "departure from", "exit from" turn the treaty around ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dublin firmly opposes any departure from the European Convention on Human Rights",
        "the minister rejected a British exit from the ECHR as a blow to the peace process",
    ],
)
def test_opposing_a_departure_from_a_treaty_supports_the_treaty(taxonomy: Taxonomy, text: str) -> None:
    assert stances(text, taxonomy, "IRL").get("echr") == "support"


def test_named_topic_gives_the_direction_a_phrase_names_its_topic_in(taxonomy: Taxonomy) -> None:
    assert named_topic("leave the ECHR", taxonomy) == ("echr", -1)
    assert named_topic("any departure from the convention", taxonomy) == ("echr", -1)
    assert named_topic("the Strasbourg court's rulings", taxonomy) == ("echr", 1)
    assert named_topic("leave the ECHR", taxonomy, skip=frozenset({"echr"})) is None
