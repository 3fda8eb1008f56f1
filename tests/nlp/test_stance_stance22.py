"""Polarity and neutral positions (issue 13, session 9, branch stance22): negation and undoing words
whose scope is not the topic's, judgements whose topic after them is only whom they concern, and
deferral cues that take no position when they do not defer. Every sentence is written for this file
in the styles of agency copy; none is copied from the evaluation articles.

Each test names one construction; the assertions are on the (topic, stance) pairs `detect_stances` gives."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import stances

# -- a negated wish to oppose is "does not oppose": neutral --------------------------------------------


def test_not_wanting_to_block_a_thing_is_neutral_on_it(taxonomy) -> None:  # noqa: ANN001
    text = "Ottawa did not want to block the new sanctions on Russia, the envoy told reporters"
    assert stances(text, taxonomy, "CAN").get("sanctions-russia") == "neutral"


def test_not_being_ready_to_veto_a_thing_is_neutral_on_it(taxonomy) -> None:  # noqa: ANN001
    text = "Athens is not ready to veto the sanctions on Russia"
    assert stances(text, taxonomy, "GRC").get("sanctions-russia") == "neutral"


# -- a negated passive: the speaker refuses to suffer an act, no "does not oppose" ------------------


def test_refusing_to_be_blackmailed_is_no_neutral_position(taxonomy) -> None:  # noqa: ANN001
    text = "We will keep the border crossings shut, and we will not be blackmailed"
    assert stances(text, taxonomy, "LVA").get("border-defence") == "support"


# -- a judgement "for" a topic after it judges its subject ------------------------------------------


def test_a_judgement_for_a_topic_after_it_judges_its_subject(taxonomy) -> None:  # noqa: ANN001
    text = "Oslo warned that any exit from the ECHR would be very worrying for the peace process"
    got = stances(text, taxonomy, "NOR")
    assert got.get("echr") == "support"
    assert "peace-talks" not in got


# -- "would decide" with a direct object says who decides, no deferral ------------------------------


def test_deciding_a_thing_oneself_is_no_neutral_position(taxonomy) -> None:  # noqa: ANN001
    text = "Athens alone will decide matters of war and peace, including the sanctions on Russia"
    assert stances(text, taxonomy, "GRC").get("sanctions-russia") != "neutral"


# -- an ending inside a condition is no cue of its own -------------------------------------------------


def test_an_ending_inside_a_condition_takes_no_position(taxonomy) -> None:  # noqa: ANN001
    text = "the White House would look again at the rates if Brussels moved to scrap its own duties on cars"
    assert "trade-tariffs" not in stances(text, taxonomy, "USA")


# -- a refusal "without" a condition is a conditional, neutral position on what it refuses -----------


def test_refusing_a_thing_without_a_condition_is_neutral_on_it(taxonomy) -> None:  # noqa: ANN001
    text = "Rome will not back new sanctions on Russia without a common EU fund for the costs"
    assert stances(text, taxonomy, "ITA").get("sanctions-russia") == "neutral"


# -- counter-measures answer the other side, never the speaker's own measure -----------------------


def test_counter_measures_are_no_opposition_to_the_speakers_own_measure(taxonomy) -> None:  # noqa: ANN001
    context = "Beijing says China's rare earth export controls are lawful, warns Washington over levies"
    text = "China will take firm measures to defend its legitimate interests"
    assert "rare-earths" not in stances(text, taxonomy, "CHN", context)


# -- a modifier judges the noun it modifies, not a topic further on --------------------------------


def test_a_modifier_judges_its_own_noun_not_a_later_topic(taxonomy) -> None:  # noqa: ANN001
    text = "the old concession holder showed a reckless and unlawful attitude, and ignored the mining code for years"
    assert "resource-nationalism" not in stances(text, taxonomy, "GIN")


# -- denying a claim ("denied that ...") takes no position, like denying an act ---------------------


def test_denying_a_claim_takes_no_position_on_the_headline_topic(taxonomy) -> None:  # noqa: ANN001
    got = stances(
        "denied that the Commission had given in to pressure from tech firms",
        taxonomy,
        "EU",
        context="Brussels delays parts of its AI rules",
    )
    assert got == {}  # neither the headline's topic nor an open one


# -- a thing that weighs on another harms it: its subject is opposed -------------------------------


def test_a_thing_said_to_weigh_on_growth_is_opposed(taxonomy) -> None:  # noqa: ANN001
    text = "the new tariffs on steel would weigh on investment for years, the governor said"
    assert stances(text, taxonomy, "ECB").get("trade-tariffs") == "oppose"


# -- shelving a thing ends it -------------------------------------------------------------------------


def test_a_headline_that_shelves_a_thing_turns_it(taxonomy) -> None:  # noqa: ANN001
    context = "Lisbon shelves deep-sea mining plan after scientists' warnings"
    assert stances("the minister welcomed the decision", taxonomy, "PRT", context).get("deep-sea-mining") == "oppose"


# -- declining to take a side, or putting a judgement off, is neutral -------------------------------


def test_refusing_to_take_sides_is_neutral(taxonomy) -> None:  # noqa: ANN001
    assert stances("Ankara refused to take sides over the sanctions on Russia", taxonomy, "TUR") == {
        "sanctions-russia": "neutral"
    }


@pytest.mark.parametrize(
    ("actor", "text"),
    [
        ("AUT", "Vienna reserved judgement on the new sanctions on Russia"),
        ("PRT", "Lisbon would examine the proposal for new sanctions on Russia carefully"),
        ("KOR", "Seoul will keep its options open on the sanctions on Russia"),
    ],
)
def test_a_judgement_put_off_is_neutral(taxonomy, actor, text) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get("sanctions-russia") == "neutral"
