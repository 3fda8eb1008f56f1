"""Polarity of a stance where a word between the cue and the topic turns it (issue 13's "wrong polarity"
false positives and the spurious reversals they make), each with sentences of our own in the styles of
agency copy (every one written for this file, none copied).

Each test names the construction; the assertions are on the (topic, stance) pairs `detect_stances` gives."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import stances

# -- a statement read on its context's topic: a cue on an ending of it is turned ---------------------

BAILOUT_CONTEXT = "IMF staff reach agreement on Zambia bailout review"
ARMS_CONTEXT = "Beijing condemns U.S. arms sales to Taiwan region"


@pytest.mark.parametrize(
    ("text", "actor", "context", "topic", "expected"),
    [
        # the ending right after the cue ("against any reversal of", "opposes a suspension of")
        (
            "The fund warned against any reversal of revenue measures before the budget",
            "IMF",
            BAILOUT_CONTEXT,
            "imf-debt",
            "support",
        ),
        (
            "The lender opposes a suspension of the reforms agreed in June",
            "IMF",
            BAILOUT_CONTEXT,
            "imf-debt",
            "support",
        ),
        (
            "The finance minister called for an end to the austerity the lender had demanded",
            "ZMB",
            BAILOUT_CONTEXT,
            "imf-debt",
            "oppose",
        ),
        # the addressee and "to" between the cue and the ending it calls for
        ("urged the U.S. side to immediately stop arming the island", "CHN", ARMS_CONTEXT, "taiwan-strait", "oppose"),
        ("The ministry wants Washington to cancel the sales at once", "CHN", ARMS_CONTEXT, "taiwan-strait", "oppose"),
    ],
)
def test_a_cue_on_an_ending_is_turned_on_the_context_topic(
    taxonomy,  # noqa: ANN001
    text: str,
    actor: str,
    context: str,
    topic: str,
    expected: str,
) -> None:
    assert stances(text, taxonomy, actor, context).get(topic) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The fund welcomed the reforms",  # no ending at all
        "The fund welcomed the reforms, but the unions said they wanted an end to the levy",  # in another clause
        "The fund welcomed the end of the review period",  # "the end of": a noun, no act called for
        "The lender backed the plan, which could be paused later",  # a passive, in a relative clause
    ],
)
def test_a_cue_with_no_ending_for_object_keeps_its_polarity(taxonomy, text: str) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, "IMF", BAILOUT_CONTEXT).get("imf-debt") == "support"


CEASEFIRE_CONTEXT = "Kyiv says it is ready for ceasefire talks"


@pytest.mark.parametrize(
    "text",
    [
        "The minister called for an end to the shelling of Kharkiv",
        "She urged Moscow to stop the attacks on the power grid",
        "The envoy pressed for a halt to the fighting around the port",
    ],
)
def test_calling_for_an_end_to_hostilities_backs_the_context_ceasefire(taxonomy, text: str) -> None:  # noqa: ANN001
    # the end of a hostility is peace: the cue is not turned against the talks the context names
    assert stances(text, taxonomy, "UKR", CEASEFIRE_CONTEXT).get("peace-talks") == "support"


# -- a topic named turned around: the one-China principle is Taiwan's separate course opposed -----


def test_the_one_china_principle_names_the_taiwan_topic_turned(taxonomy) -> None:  # noqa: ANN001
    # a harm to the principle backs it, which is opposition to the topic's direction (arms sales, independence)
    violated = "The weapons package gravely violates the one-China principle"
    assert stances(violated, taxonomy, "CHN").get("taiwan-strait") == "oppose"
    # rejecting reunification is for the island's own course
    assert stances("Taipei rejects any push for reunification", taxonomy, "TWN").get("taiwan-strait") == "support"
    # the plain keywords keep their direction
    assert stances("Beijing firmly opposes arms sales to Taiwan", taxonomy, "CHN").get("taiwan-strait") == "oppose"


def test_an_against_phrase_is_marked_on_its_match(taxonomy) -> None:  # noqa: ANN001
    matches = taxonomy.match("the one-China principle and arms sales to Taiwan")
    assert [(m.topic, m.against) for m in matches] == [("taiwan-strait", True), ("taiwan-strait", False)]


# -- a counter-measure vowed opposes the move it answers ----------------------------------------------

CHIPS_CONTEXT = "China condemns new U.S. chip export controls"


@pytest.mark.parametrize(
    ("text", "actor", "context", "topic"),
    [
        # the counter-measure names the move it answers
        ("Ottawa will answer any new U.S. tariffs with its own measures", "CAN", "", "trade-tariffs"),
        ("Seoul said it would hit back at the steel tariffs", "KOR", "", "trade-tariffs"),
        # read on the context's topic: the purpose it defends ("to safeguard its rights") is turned with it
        ("Beijing will take resolute measures to safeguard its rights", "CHN", CHIPS_CONTEXT, "tech-export-controls"),
        ("The ministry vowed forceful measures to defend national sovereignty", "CHN", ARMS_CONTEXT, "taiwan-strait"),
    ],
)
def test_a_counter_measure_opposes_what_it_answers(
    taxonomy,  # noqa: ANN001
    text: str,
    actor: str,
    context: str,
    topic: str,
) -> None:
    assert stances(text, taxonomy, actor, context).get(topic) == "oppose"


# -- an act denied in the past answers an accusation: no position -------------------------------------

PEACE_CONTEXT = "Beijing says it backs all efforts for peace in Ukraine"


@pytest.mark.parametrize(
    "text",
    [
        "China has never provided lethal weapons to either side",
        "The ministry said Beijing did not supply drone engines to Moscow",
        "Officials insisted the country hadn't ever delivered such parts to the army",
    ],
)
def test_a_past_act_denied_takes_no_position_on_the_context_topic(taxonomy, text: str) -> None:  # noqa: ANN001
    assert "peace-talks" not in stances(text, taxonomy, "CHN", PEACE_CONTEXT)


def test_a_refusal_to_act_is_still_opposition(taxonomy) -> None:  # noqa: ANN001
    # the future or a modal refuses the act: that is a position
    refused = "Berlin will not send Taurus missiles to Ukraine"
    assert stances(refused, taxonomy, "DEU").get("arms-supplies-ukraine") == "oppose"
