"""Stance constructions that gave false events or the wrong polarity (issue 13, precision side), each
with sentences of our own in the styles of agency copy (written for this file, none copied).

The assertions are on the (topic, stance) pairs `detect_stances` gives."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import stances

# -- a harm done to a topic: the speaker wants the topic kept ----------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("UKR", "the overnight drone attacks violate the ceasefire", "peace-talks"),
        ("QAT", "the strike on the negotiators' compound was a threat to the peace talks", "peace-talks"),
        ("DEU", "the new levies would seriously undermine the trade agreement", "trade-deals"),
    ],
)
def test_a_harm_done_to_a_topic_supports_the_topic(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == "support"


def test_a_harm_judges_the_topic_that_does_it(taxonomy) -> None:  # noqa: ANN001
    # the topic is the subject of the harm, not its object: opposition, as before
    assert stances("the tariffs would hurt farmers on both sides", taxonomy, "CAN").get("trade-tariffs") == "oppose"


def test_threatening_a_measure_is_no_harm_done_to_it(taxonomy) -> None:  # noqa: ANN001
    # "threaten tariffs" announces the tariffs; it is not read as wanting them kept
    assert (
        stances("Beijing said that threatening high tariffs was the wrong way", taxonomy, "CHN").get("trade-tariffs")
        != "support"
    )


# -- a phrasal verb's particle is no cue: "held back", "bring them back" --------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("DEU", "more asylum seekers would be turned back at the frontier", "migration-asylum"),
        ("UKR", "the envoy said the ceasefire had been held back for weeks by new demands", "peace-talks"),
        ("KOR", "Seoul would scale back the joint military drills", "military-drills"),
        ("PHL", "the coast guard said its boats were sent back from the South China Sea shoal", "south-china-sea"),
    ],
)
def test_a_phrasal_verbs_particle_backs_nothing(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert topic not in stances(text, taxonomy, actor)


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("FRA", "Paris would back the sanctions package", "sanctions-russia"),
        ("HUN", "Budapest is ready to back them, the minister said of the new sanctions", "sanctions-russia"),
    ],
)
def test_backing_a_topic_still_supports_it(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == "support"


def test_taking_a_thing_back_is_for_it(taxonomy) -> None:  # noqa: ANN001
    # "take back" is regaining, not a particle that undoes the cue
    text = "the government intended to take back control of its natural resources from foreign miners"
    context = "Niger nationalises its largest uranium mine"
    assert stances(text, taxonomy, "NER", context).get("resource-nationalism") == "support"


def test_an_ending_noun_after_a_quantifier_ends_nothing(taxonomy) -> None:  # noqa: ANN001
    # "both ends of the canal" names places, it does not end the canal
    text = "Panama would audit the firm that runs ports at both ends of the canal"
    assert "panama-canal" not in stances(text, taxonomy, "PAN")


# -- a threat an actor makes is that actor's position, also after "U.S." in its clause ------------------


def test_a_threat_reported_is_the_threatening_actors_not_the_speakers(taxonomy) -> None:  # noqa: ANN001
    text = (
        "rejected the report on abuses in the north, after U.S. President Donald Trump designated the country"
        " a violator and threatened sanctions"
    )
    context = "Nigeria rejects US report on human rights abuses"
    assert stances(text, taxonomy, "NGA", context).get("human-rights") != "oppose"


def test_an_abbreviation_period_does_not_end_a_claims_words(taxonomy) -> None:  # noqa: ANN001
    # the claim runs on across "U.S.": its "back" is the claim's content, not the speaker's support
    text = "dismissed reports that the U.S. would back new sanctions on Caracas"
    assert stances(text, taxonomy, "VEN").get("sanctions-russia") is None


# -- a topic that only says where a judged thing happened is not judged ---------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("NATO", "Moscow's behaviour in the skies along the eastern flank was unacceptable", "border-defence"),
        ("PHL", "the coast guard's conduct near the shoal in the South China Sea is illegal", "south-china-sea"),
    ],
)
def test_a_subject_cue_judges_the_noun_before_a_place(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert topic not in stances(text, taxonomy, actor)


def test_a_subject_cue_still_judges_a_topic_it_names(taxonomy) -> None:  # noqa: ANN001
    assert stances("the new sanctions on Moscow are unacceptable", taxonomy, "RUS").get("sanctions-russia") == "oppose"
