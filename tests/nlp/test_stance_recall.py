"""Stance recall constructions of issue 13 (branch stance9): the ways wire copy takes a position that the
eval misses came from, each with sentences of our own (none copied from an article).

The assertions are on the (topic, stance) pairs `detect_stances` gives for one statement."""

from __future__ import annotations

import pytest

from streams.nlp.stance import Cues, cue_hits, named_topic
from streams.nlp.targets import find_target, is_subject_cue
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import stances

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


# -- an obligation put on another actor is the speaker's demand: "X said Y must stop" ---------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("ICJ", "Israel must allow UN aid into Gaza without delay", "gaza-aid", "support"),
        ("FRA", "the minister said Moscow should immediately agree to a ceasefire", "peace-talks", "support"),
        ("CHN", "the U.S. side has to stop its arms sales to Taiwan", "taiwan-strait", "oppose"),
    ],
)
def test_an_obligation_on_another_actor_is_the_speakers_demand(
    taxonomy: Taxonomy, actor: str, text: str, topic: str, stance: str
) -> None:
    assert stances(text, taxonomy, actor).get(topic) == stance


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        # the other actor's own words or wishes stay theirs
        ("UKR", "Russia says a ceasefire must wait until its conditions are met", "peace-talks"),
        ("UKR", "Moscow wants a ceasefire that freezes the front", "peace-talks"),
    ],
)
def test_another_actors_position_without_an_obligation_stays_theirs(
    taxonomy: Taxonomy, actor: str, text: str, topic: str
) -> None:
    assert topic not in stances(text, taxonomy, actor)


# -- the snapback is the sanctions it brings back, not the inspections -------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "stance"),
    [
        ("RUS", "Moscow regards the snapback as legally null and void", "oppose"),
        ("GBR", "London backed triggering the snapback mechanism after talks stalled", "support"),
    ],
)
def test_the_snapback_is_read_as_sanctions_on_iran(taxonomy: Taxonomy, actor: str, text: str, stance: str) -> None:
    read = stances(text, taxonomy, actor)
    assert read.get("iran-sanctions") == stance
    assert "nuclear-inspections" not in read


# -- a subject read back from a predicative cue keeps its head and its "to" complement --------------


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (
            "Any attempt to interfere in the internal affairs of the kingdom was unacceptable",
            "Any attempt to interfere in the internal affairs of the kingdom",
        ),
        (
            "Moscow's decision to send more troops to the border was a mistake",
            "Moscow's decision to send more troops to the border",
        ),
        # before the cue, "to" is still a copula: "appears to be unacceptable" judges the plan
        ("the plan appears to be unacceptable", "the plan"),
    ],
)
def test_a_subject_before_its_cue_is_read_whole(text: str, subject: str) -> None:
    cue = next(h for h in cue_hits(text, Cues.load()) if is_subject_cue(h.text))
    target = find_target(text, cue.start, cue.end, cue.text)
    assert target is not None and target.text == subject


# -- accusing someone of holding a thing up is backing the thing ----------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("COD", "Kinshasa accused Rwanda of stalling the peace deal", "peace-talks"),
        ("COD", "the minister accused Kigali of dragging its feet on the peace agreement", "peace-talks"),
        ("UKR", "Kyiv accused Moscow of undermining the ceasefire within hours", "peace-talks"),
        # a negated act is turned first: not honouring the truce is against it, blaming that backs it
        ("UKR", "Kyiv accused Moscow of not honouring the truce", "peace-talks"),
    ],
)
def test_accusing_another_actor_of_an_act_against_a_thing_supports_the_thing(
    taxonomy: Taxonomy, actor: str, text: str, topic: str
) -> None:
    assert stances(text, taxonomy, actor).get(topic) == "support"


def test_a_convoy_that_stalled_is_described_not_opposed(taxonomy: Taxonomy) -> None:
    assert "gaza-aid" not in stances("Gaza aid convoys stalled at the crossings for a third day", taxonomy, "UN")


def test_calling_an_act_a_breach_of_an_accord_is_no_opposition_to_the_accord(taxonomy: Taxonomy) -> None:
    read = stances("the general called the shelling a clear breach of the peace accord", taxonomy, "THA")
    assert "oppose" not in read.values()
