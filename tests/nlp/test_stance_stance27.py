"""Stance constructions of real reporting (issue 13, branch stance27, recall): a cue on a criticism of a
thing is also a position on the thing ("rejected U.S. criticism of the verdict" defends the verdict),
and thanks back what they are for ("thanked Oslo for its mediation"). Every sentence is our own, written
after reading stored real news for its constructions (none copied from an article, none from the
evaluation sets)."""

from __future__ import annotations

import pytest

from streams.nlp.open_topics import open_key
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import pipeline_stances, stances


def _key(phrase: str) -> str:
    key = open_key(phrase)
    assert key is not None
    return key.id


ROYALTY = "the new mining royalty"


@pytest.mark.parametrize(
    "text",
    [
        f"rejected Chilean criticism of {ROYALTY}",
        f"dismissed criticism of {ROYALTY}",
        f"brushed aside criticisms of {ROYALTY}",
        f"rebuffed the opposition's condemnation of {ROYALTY}",
    ],
)
def test_turning_down_a_criticism_of_a_thing_defends_the_thing(text: str, taxonomy: Taxonomy) -> None:
    found = stances(text, taxonomy, "PER")
    assert found.get(_key(ROYALTY)) == "support"
    # the criticism itself is still read as a claim the speaker opposes
    assert "oppose" in {stance for key, stance in found.items() if "criticism" in key or "condemnation" in key}


def test_backing_a_criticism_of_a_thing_opposes_the_thing(taxonomy: Taxonomy) -> None:
    found = stances(f"endorsed the unions' criticism of {ROYALTY}", taxonomy, "BOL")
    assert found.get(_key(ROYALTY)) == "oppose"


def test_a_rejected_accusation_is_no_defence_of_what_it_alleges(taxonomy: Taxonomy) -> None:
    # an accusation is no criticism of a thing the speaker stands for: rejecting accusations of bribery
    # denies the bribery, it does not back it
    found = stances("rejected accusations of bribery in the port tender", taxonomy, "PAN")
    assert "support" not in found.values()


def test_a_criticism_no_cue_governs_takes_no_position(taxonomy: Taxonomy) -> None:
    assert stances(f"criticism of {ROYALTY} grew louder in the provinces", taxonomy, "PER") == {}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("thanked Oslo for its mediation", "its mediation"),
        ("thanked the donors who had pledged reconstruction money", "the donors"),
        ("ended his speech by thanking the volunteer rescue crews", "the volunteer rescue crews"),
        ("wanted to thank the fishing communities of the north", "the fishing communities of the north"),
    ],
)
def test_thanks_back_what_they_are_for(text: str, phrase: str, taxonomy: Taxonomy) -> None:
    found = stances(text, taxonomy, "NOR")
    assert found.get(_key(phrase)) == "support"
    assert "oppose" not in found.values()


def test_thanks_to_a_cause_is_no_thanks(taxonomy: Taxonomy) -> None:
    assert stances("thanks to the new pipeline, gas exports rose by a fifth", taxonomy, "AZE") == {}


def test_the_pipeline_reads_a_turned_down_criticism(taxonomy: Taxonomy) -> None:
    lines = [
        "LIMA, June 4 (Agency) - Peru's government on Wednesday rejected Chilean criticism of the new mining "
        "royalty, saying the levy was a sovereign decision.",
        "Foreign Minister Elmer Schialer said Lima would keep talking to its neighbours.",
    ]
    found = pipeline_stances("\n".join(lines), "Peru rejects Chilean criticism of mining royalty", taxonomy)
    assert ("PER", _key(ROYALTY), "support") in found
