"""Stance precision (issue 13, branch stance28): events a statement does not give.

A support cue whose object only mentions a harm ("ready to assist any country hit by terrorist attacks",
"welcomed the arrest of the militants") backs the object, never the harm; a past-tense ending after
"that" is a verb that ends its object ("any step that removed armed groups"). Every sentence is our own,
written after reading stored real news and official copy for the constructions (none copied from an
article, none from the evaluation sets); each case has a control the rule must leave alone.
"""

from __future__ import annotations

import pytest

from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import pipeline_stances, stances

# A harm in a modifier of the support cue's own object: a participle ("hit by", "facing", "battling"),
# a relative clause, a prepositional complement ("on militant activity", "the arrest of the militants").
HARM_IN_A_MODIFIER = [
    ("NOR", "Oslo stood ready to assist any neighbouring country hit by terrorist attacks"),
    ("ECU", "Quito was ready to support any member state facing terrorist attacks, the minister added"),
    ("KEN", "Nairobi welcomed pledges of intelligence sharing from partners battling armed groups in the region"),
    ("PAK", "Islamabad welcomed the written guarantees given by Kabul on militant activity"),
    ("ISR", "the inspections are needed to keep rockets and dual-use parts out of the hands of militants"),
    ("NGA", "Abuja welcomed the arrest of the militants behind the bombing"),
]


@pytest.mark.parametrize(("actor", "text"), HARM_IN_A_MODIFIER)
def test_a_support_cue_does_not_back_a_harm_its_object_only_mentions(actor: str, text: str, taxonomy: Taxonomy) -> None:
    assert stances(text, taxonomy, actor).get("terrorism") != "support"


# Controls: the harm as the cue's own object, an opposition cue, the harm's remedy, a harm ended.
HARM_READ = {
    "the harm is the object": ("IRN", "Tehran would keep backing armed groups across the region", "support"),
    "an opposition cue": ("KEN", "Nairobi condemned the terrorist attack on the shopping centre", "oppose"),
    "the remedy far after the cue": (
        "JOR",
        "Amman welcomed the new cooperation agreement with Cairo on counter-terrorism",
        "oppose",
    ),
    "a past-tense ending after that": (
        "IRQ",
        "Baghdad supported any step that removed armed groups from its northern border areas",
        "oppose",
    ),
}


@pytest.mark.parametrize("case", list(HARM_READ))
def test_a_harm_the_cue_is_on_is_still_read(case: str, taxonomy: Taxonomy) -> None:
    actor, text, stance = HARM_READ[case]
    assert stances(text, taxonomy, actor).get("terrorism") == stance


def test_a_topic_that_is_no_harm_far_after_a_support_cue_is_still_backed(taxonomy: Taxonomy) -> None:
    found = stances("Warsaw welcomed the bloc's decision to open accession talks with Ukraine", taxonomy, "POL")
    assert found == {"eu-enlargement": "support"}


def test_the_pipeline_backs_the_object_not_the_harm_it_mentions(taxonomy: Taxonomy) -> None:
    lines = [
        "DAKAR, March 4 (Agency) - Senegal was ready to support any member state facing terrorist attacks, "
        "Foreign Minister Awa Ndiaye said on Tuesday.",
        "Ndiaye said Senegal condemned the terrorist attack on the border post at Kidira.",
    ]
    found = pipeline_stances("\n".join(lines), "Senegal offers troops to Sahel neighbours", taxonomy)
    assert ("SEN", "terrorism", "oppose") in found
    assert ("SEN", "terrorism", "support") not in found


DUTIES = "EU extends duties on Chinese electric vehicles"
# What the cue backs replaces the thing after a substitution, however long the cue's object runs: read on
# the headline's topic, the cue is turned (`substitution` of `data/cues.yaml`).
SUBSTITUTED = [
    "Beijing stood ready to negotiate minimum import prices for the cars as an alternative to the duties",
    "the ministry said it would keep pressing for a price floor for the cars instead of the duties",
]


@pytest.mark.parametrize("text", SUBSTITUTED)
def test_backing_an_alternative_to_the_headlines_measure_opposes_it(text: str, taxonomy: Taxonomy) -> None:
    assert stances(text, taxonomy, "CHN", DUTIES) == {"trade-tariffs": "oppose"}


def test_in_place_of_turns_the_topic_after_it(taxonomy: Taxonomy) -> None:
    assert stances("Beijing offered a minimum price in place of the tariffs", taxonomy, "CHN") == {
        "trade-tariffs": "oppose"
    }


def test_a_cue_with_no_substitution_keeps_the_headlines_direction(taxonomy: Taxonomy) -> None:
    # controls: a plain fallback cue, and "rather than" setting two acts apart (no substitution of a thing)
    assert stances("Beijing backed the measure", taxonomy, "CHN", DUTIES) == {"trade-tariffs": "support"}
    found = stances(
        "there had been broad agreement to adopt the declaration early rather than dilute it",
        taxonomy,
        "ZAF",
        "G20 summit adopts Johannesburg declaration",
    )
    assert found == {"multilateral-summits": "support"}


# A negation on the means, not the goal: the speaker values what the cue names.
MEANS_DENIED = [
    ("JPN", "We cannot protect peace simply by hoping for it", "~peace"),
    ("DEU", "Europe will not strengthen its border defence by words alone", "border-defence"),
    ("AUS", "we will not protect the reef just by talking about it", "~reef"),
]


@pytest.mark.parametrize(("actor", "text", "topic"), MEANS_DENIED)
def test_a_negation_on_the_means_takes_no_position_on_the_goal(
    actor: str, text: str, topic: str, taxonomy: Taxonomy
) -> None:
    assert topic not in stances(text, taxonomy, actor)


def test_a_negation_with_no_means_still_opposes(taxonomy: Taxonomy) -> None:
    # controls: a plain negated cue, and a means named without a negation
    assert stances("Kyiv would not accept a ceasefire", taxonomy, "UKR") == {"peace-talks": "oppose"}
    found = stances("Berlin would strengthen its border defence simply by adding patrols", taxonomy, "DEU")
    assert found.get("border-defence") == "support"


ROUND = "Romania election: nationalist tops first round"


@pytest.mark.parametrize(
    "text",
    ["denied it was involved", "Moscow denied it had meddled in the vote", "the embassy denied they were behind it"],
)
def test_denying_a_claim_with_no_that_takes_no_position(text: str, taxonomy: Taxonomy) -> None:
    # "denied it was involved" is "denied that it was involved": the speaker answers a claim about its own acts
    assert stances(text, taxonomy, "RUS", ROUND) == {}


def test_a_denial_of_a_thing_named_is_still_read(taxonomy: Taxonomy) -> None:
    # controls: a denied claim noun keeps its open key; a plain opposition cue keeps the headline's topic
    assert stances("denied the charge", taxonomy, "RUS", ROUND) == {"~accusation": "oppose"}
    assert stances("rejected the result", taxonomy, "RUS", ROUND) == {"elections-democracy": "oppose"}
