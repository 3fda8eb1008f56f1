"""Topic choice (issue 13, branch stance30): which topic a cue's event lands on when a taxonomy keyword
sits where it is not the statement's subject.

A keyword in an adjunct of circumstance after the cue ("citing a trade agreement", "amid the tariff
dispute", "despite the new sanctions package") is a reason or a setting, not what the cue is on. Every
sentence is our own, written after reading stored real news for the constructions (none copied from an
article, none from the evaluation sets); each rule has controls where the keyword is the cue's subject.
"""

from __future__ import annotations

import pytest

from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import pipeline_stances, stances

# A taxonomy keyword inside an adjunct of circumstance opened after the cue.
IN_A_CIRCUMSTANCE = {
    "citing, after the cue's object": (
        "PHL",
        "Manila rejected the budget plan, citing the ceasefire in the south",
        "peace-talks",
    ),
    "citing, after a predicative cue": (
        "NZL",
        "risks to the outlook had become more balanced, citing the trade agreement with Canada",
        "trade-deals",
    ),
    "amid": ("IDN", "Jakarta urged restraint amid the dispute over tariffs", "trade-tariffs"),
    "despite": (
        "IRL",
        "Dublin would push ahead with the housing bill despite the new sanctions package",
        "sanctions-russia",
    ),
}


@pytest.mark.parametrize("case", list(IN_A_CIRCUMSTANCE))
def test_a_keyword_in_an_adjunct_of_circumstance_is_not_the_cues_topic(case: str, taxonomy: Taxonomy) -> None:
    actor, text, topic = IN_A_CIRCUMSTANCE[case]
    assert topic not in stances(text, taxonomy, actor)


# Controls: the keyword is the cue's own object before the adjunct, or the object of a cue inside it.
CIRCUMSTANCE_CONTROLS = {
    "the object before citing": (
        "PHL",
        "Manila rejected the sanctions package, citing its cost to farmers",
        "sanctions-russia",
        "oppose",
    ),
    "the object before amid": (
        "KOR",
        "Seoul welcomed the ceasefire amid hopes of a wider settlement",
        "peace-talks",
        "support",
    ),
    "a cue inside the adjunct": (
        "JPN",
        "Tokyo rejected the plan, citing concern over the tariffs",
        "trade-tariffs",
        "oppose",
    ),
}


@pytest.mark.parametrize("case", list(CIRCUMSTANCE_CONTROLS))
def test_a_keyword_the_cue_is_on_is_still_read(case: str, taxonomy: Taxonomy) -> None:
    actor, text, topic, stance = CIRCUMSTANCE_CONTROLS[case]
    assert stances(text, taxonomy, actor).get(topic) == stance


def test_an_article_reads_no_topic_from_a_citing_adjunct(taxonomy: Taxonomy) -> None:
    body = (
        "Britain's finance ministry kept its growth forecast unchanged on Thursday. The ministry said risks to "
        "the outlook had become more balanced, citing the trade agreement with India."
    )
    assert ("GBR", "trade-deals", "support") not in pipeline_stances(body, "UK keeps growth forecast", taxonomy)


# A harm the taxonomy names, as the predicate of the speaker's judgement of a thing: the judgement of
# that thing (its open key), no mention of the human-rights topic, and no reading on the context's topic.
JUDGED_AS_A_HARM = {
    "denounced as": ("VEN", "Caracas denounced the trial as political persecution", "~trial"),
    "called ... a": ("TUR", "Ankara called the indictment a blatant persecution of its citizens", "~indictment"),
    "a copula": ("USA", 'the State Department said the verdict was "a political persecution"', "~verdict"),
}


@pytest.mark.parametrize("case", list(JUDGED_AS_A_HARM))
def test_a_harm_named_as_a_judgement_judges_its_subject(case: str, taxonomy: Taxonomy) -> None:
    actor, text, key = JUDGED_AS_A_HARM[case]
    found = stances(text, taxonomy, actor, context="Opposition leader jailed for plotting a coup")
    assert "human-rights" not in found
    assert "elections-democracy" not in found  # the context's topic ("coup")
    assert found.get(key) == "oppose"


# Controls: the harm as the cue's object is the topic, read turned (opposing persecution backs rights).
HARM_AS_OBJECT = {
    "condemned the harm": ("DEU", "Berlin condemned the persecution of journalists"),
    "concern over the harm": ("CAN", "Ottawa voiced concern over the persecution of Uyghurs"),
}


@pytest.mark.parametrize("case", list(HARM_AS_OBJECT))
def test_a_harm_the_cue_is_on_is_still_its_topic(case: str, taxonomy: Taxonomy) -> None:
    actor, text = HARM_AS_OBJECT[case]
    assert stances(text, taxonomy, actor).get("human-rights") == "support"


# Any evaluative word the taxonomy also names, as the predicate of a judgement: "lifeline" (an IMF keyword)
# and "state terrorism" judge their subject; a topic after the judgement ("held hostage") is not its object.
JUDGED_WITH_A_KEYWORD = {
    "a copula and lifeline": (
        "HTI",
        "the prime minister said the vote was a lifeline for a country held hostage by gangs",
        {"imf-debt", "gaza-hostages"},
        ("~election", "support"),
    ),
    "called ... state terrorism": (
        "QAT",
        "Doha called the strike state terrorism",
        {"terrorism"},
        ("~strike", "oppose"),
    ),
}


@pytest.mark.parametrize("case", list(JUDGED_WITH_A_KEYWORD))
def test_a_keyword_as_the_judgement_reads_the_judged_subject(case: str, taxonomy: Taxonomy) -> None:
    actor, text, not_topics, (key, stance) = JUDGED_WITH_A_KEYWORD[case]
    found = stances(text, taxonomy, actor)
    assert not not_topics & set(found)
    assert found.get(key) == stance


# Controls: the same keywords as the cue's object keep their topic.
KEYWORD_AS_OBJECT = {
    "the lifeline welcomed": ("EGY", "Cairo welcomed the IMF lifeline", "imf-debt", "support"),
    "terrorism condemned": ("KEN", "Nairobi condemned terrorism in all its forms", "terrorism", "oppose"),
}


@pytest.mark.parametrize("case", list(KEYWORD_AS_OBJECT))
def test_a_keyword_the_cue_governs_keeps_its_topic(case: str, taxonomy: Taxonomy) -> None:
    actor, text, topic, stance = KEYWORD_AS_OBJECT[case]
    assert stances(text, taxonomy, actor).get(topic) == stance


def test_a_judgement_with_a_keyword_still_judges_a_topic_before_it(taxonomy: Taxonomy) -> None:
    # "lifeline" names no topic of its own here, the IMF programme it judges does
    found = stances("Cairo said the IMF programme was a lifeline for the economy", taxonomy, "EGY")
    assert found == {"imf-debt": "support"}
    found = stances("the minister said the new sanctions package was a political persecution", taxonomy, "RUS")
    assert found == {"sanctions-russia": "oppose"}
