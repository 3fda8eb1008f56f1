"""Accusations and blames (issue 13, branch stance35): what "accused X of ..." says about the accuser.

The accused act's object is the stance's topic: an accused harm, delay or violation of a thing backs the
thing ("accused the rebels of stalling the peace talks"); an accused act of dealing in or paying for a thing
("accused Athens of profiteering from Russian crude", "of bankrolling the militia") opposes it; holding a
thing up or breaking it (derail, obstruct, breaching) is a harm that backs the thing. The accused
is someone else, but the stance is the accuser's. Every sentence is our own (none copied from an article or
the evaluation sets); each construction has one case that main read wrongly or not at all.
"""

from __future__ import annotations

from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import stances


def test_a_quoted_accused_violation_with_a_modifier_backs_the_headline_topic(taxonomy: Taxonomy) -> None:
    # main read "violations" as the speaker's own opposition to the ceasefire the headline names
    found = stances(
        'accused the rebels of "flagrant violations" in the east', taxonomy, "COD", "Ceasefire frays in Kivu"
    )
    assert found.get("peace-talks") == "support"


def test_blaming_someone_for_stalling_talks_backs_the_talks(taxonomy: Taxonomy) -> None:
    assert stances("blamed the rebels for stalling the peace talks", taxonomy, "COD").get("peace-talks") == "support"


def test_an_accused_harm_with_an_object_of_its_own_takes_no_headline_topic(taxonomy: Taxonomy) -> None:
    found = stances(
        "accused Western capitals of “sabotaging” Washington's mediation",
        taxonomy,
        "RUS",
        "Moscow says Western guarantees for Kyiv are a threat to Europe",
    )
    assert "security-guarantees-ukraine" not in found
    assert found.get("~mediation@USA") == "support"


def test_the_open_reading_of_an_accused_harm_is_its_object_not_the_accused(taxonomy: Taxonomy) -> None:
    found = stances("accused the insurgents of sabotaging the voter rolls", taxonomy, "MMR")
    assert found == {"~roll-voter": "support"}


def test_an_accused_act_of_dealing_opposes_what_is_dealt_in(taxonomy: Taxonomy) -> None:
    found = stances("accused Athens of profiteering from Russian crude", taxonomy, "TUR")
    assert found == {"energy-supplies": "oppose"}
    found = stances("accused Ankara of importing Russian oil through its ports", taxonomy, "GRC")
    assert found == {"energy-supplies": "oppose"}


def test_an_accused_act_of_paying_opposes_its_open_object(taxonomy: Taxonomy) -> None:
    assert stances("accused Tehran of bankrolling the militia", taxonomy, "ISR") == {"~militia": "oppose"}


def test_russian_crude_names_energy_supplies(taxonomy: Taxonomy) -> None:
    assert stances("Budapest would keep buying Russian crude", taxonomy, "HUN") == {"energy-supplies": "support"}


# Controls: a harm done to the object is no dealing in it; a refusal and an adverb were read right already.
def test_an_accused_harm_to_an_object_is_not_read_as_dealing_in_it(taxonomy: Taxonomy) -> None:
    assert stances("accused the coast guard of ramming a fishing boat", taxonomy, "PHL") == {}


def test_accused_refusals_and_adverbs_still_back_the_ceasefire(taxonomy: Taxonomy) -> None:
    for text in (
        "accused Moscow of refusing to honour the ceasefire",
        "accused Moscow of deliberately undermining the ceasefire",
    ):
        assert stances(text, taxonomy, "UKR").get("peace-talks") == "support", text


# Harms that hold a thing up or break it (`harms`): derail, obstruct, torpedo, scupper, jeopardise, and
# breach as a verb only.
HARMS_BACK_THEIR_OBJECT = [
    ("UKR", "accused Moscow of seeking to derail the peace talks", "peace-talks"),
    ("KOR", "accused Pyongyang of breaching the armistice", "peace-talks"),
    ("USA", "shipping the processors abroad risked breaching the export controls", "tech-export-controls"),
]


def test_holding_up_or_breaking_a_thing_is_a_harm_that_backs_it(taxonomy: Taxonomy) -> None:
    for actor, text, topic in HARMS_BACK_THEIR_OBJECT:
        assert stances(text, taxonomy, actor).get(topic) == "support", text


def test_an_accused_obstruction_backs_its_open_object(taxonomy: Taxonomy) -> None:
    assert stances("accused Pristina of obstructing the dialogue on normalisation", taxonomy, "SRB") == {
        "~talks": "support"
    }


def test_a_breach_named_as_a_noun_opposes_no_headline_truce(taxonomy: Taxonomy) -> None:
    found = stances("troops would answer firmly any further breach", taxonomy, "IND", "Truce holds along the border")
    assert "peace-talks" not in found
