"""Stance mechanisms: negation scope, explicit neutrality, cue chains, topic reversal (bans, embargoes,
suspensions), context fallback with its evidence, other actors' positions, conditions, topic prefilter."""

from __future__ import annotations

import re

import pytest

from schemas import Statement
from streams.nlp._text import phrase_pattern
from streams.nlp.stance import cue_hits, detect_stances
from tests.nlp.conftest import make_statement


def _statement(text: str, actor: str | None = "SVK", context: str = "") -> Statement:
    return make_statement(text, "Robert Fico", actor, context)


def _stances(text: str, taxonomy, **kw) -> dict[str, str]:
    return {e.topic: e.stance for e in detect_stances(_statement(text, **kw), taxonomy)}


# -- negation and its scope --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Slovakia does not oppose new sanctions on Russia.", "neutral"),
        ("Slovakia will not support new sanctions on Russia.", "oppose"),
        ("Slovakia is not going to discuss new sanctions on Russia.", "oppose"),
        ("Slovakia is not ready to back new sanctions on Russia.", "oppose"),
        ("Slovakia did not attend the summit, but it backs new sanctions on Russia.", "support"),
    ],
)
def test_negation_scope(taxonomy, text, expected):
    assert _stances(text, taxonomy)["sanctions-russia"] == expected


def test_negator_reaches_only_the_first_cue():
    # "not" negates "support"; "calls for" is what is (not) supported, so it is not negated itself.
    hits = cue_hits("Bratislava will not support calls for a ceasefire.")
    assert [(h.text, h.weight < 0) for h in hits] == [("support calls for", True)]


def test_explicit_neutral_position(taxonomy):
    events = detect_stances(
        _statement(
            "Germany would decide on its contribution only when the conditions were clear.",
            actor="DEU",
            context="Europe pledges a reassurance force for Ukraine.",
        ),
        taxonomy,
    )
    assert [(e.topic, e.stance) for e in events] == [("foreign-troops-ukraine", "neutral")]
    assert -0.2 < events[0].score < 0.2


# -- cue chains ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic", "expected"),
    [
        ("Moscow rejected calls for a ceasefire.", "peace-talks", "oppose"),
        ("Moscow warned against blocking new sanctions on Russia.", "sanctions-russia", "support"),
        (
            "Russia is not going to discuss an unacceptable deployment of foreign troops.",
            "foreign-troops-ukraine",
            "oppose",
        ),
    ],
)
def test_cue_chains(taxonomy, text, topic, expected):
    assert _stances(text, taxonomy, actor="RUS")[topic] == expected


# -- topic polarity: bans, embargoes, suspension, lifting -------------------------------------------


@pytest.mark.parametrize(
    ("text", "topic", "expected"),
    [
        ("Slovakia backs an EU ban on Russian gas.", "energy-supplies", "oppose"),
        ("Slovakia will not support the EU ban on Russian gas.", "energy-supplies", "support"),
        ("Slovakia rejects the plan to phase out imports of Russian gas.", "energy-supplies", "support"),
        ("Slovakia supports a Russian oil embargo.", "energy-supplies", "oppose"),
        ("Slovakia called for lifting the sanctions on Russia.", "sanctions-russia", "oppose"),
        ("Slovakia will not lift the sanctions on Russia.", "sanctions-russia", "support"),
        ("Slovakia will suspend its cooperation with the IAEA.", "nuclear-inspections", "oppose"),
        ("Slovakia supports an end to arms deliveries.", "arms-supplies-ukraine", "oppose"),
        # A restriction topic stays itself: an import ban is the import-quota topic.
        ("Slovakia supports a ban on grain imports.", "import-quotas", "support"),
        ("No sanctions on Moscow.", "sanctions-russia", "oppose"),
    ],
)
def test_topic_reversal(taxonomy, text, topic, expected):
    assert _stances(text, taxonomy)[topic] == expected


def test_restriction_topics_are_marked(taxonomy):
    assert taxonomy.is_restriction("sanctions-russia") and taxonomy.is_restriction("import-quotas")
    assert not taxonomy.is_restriction("energy-supplies")


# -- context fallback and evidence ------------------------------------------------------------------


def test_context_fallback_keeps_the_reversal_of_the_headline(taxonomy):
    # "the plan" is the headline's ban on Russian gas: opposing it supports the supplies.
    events = detect_stances(
        _statement(
            "The plan is a serious violation of national sovereignty.",
            actor="HUN",
            context="Slovakia will not support EU ban on Russian gas, Fico says. Budapest agrees.",
        ),
        taxonomy,
    )
    assert [(e.topic, e.stance) for e in events] == [("energy-supplies", "support")]


def test_context_fallback_uses_the_first_topic_only(taxonomy):
    events = detect_stances(
        _statement("We reject this.", context="Peace talks stall as sanctions on Russia widen."), taxonomy
    )
    assert [e.topic for e in events] == ["peace-talks"]


def test_no_topic_anywhere_no_event(taxonomy):
    assert detect_stances(_statement("We reject this.", context="Leaders meet in Paris."), taxonomy) == []


def test_evidence_is_the_sentence_with_the_cue(taxonomy):
    text = "The weather was fine. Slovakia rejects new sanctions on Russia. Talks went on."
    (e,) = detect_stances(_statement(text), taxonomy)
    assert e.evidence == "Slovakia rejects new sanctions on Russia."


def test_sentence_without_topic_needs_to_point_back(taxonomy):
    # "They hurt Europe" points back to the sanctions; "Nobody wants a crisis" is about something else.
    assert _stances("We back new sanctions on Russia. Nobody wants a crisis.", taxonomy) == {
        "sanctions-russia": "support"
    }
    assert _stances("New sanctions on Russia took effect. They hurt Europe.", taxonomy) == {
        "sanctions-russia": "oppose"
    }


# -- whose position, and what is no position ---------------------------------------------------------


def test_another_actors_position_is_not_the_speakers(taxonomy):
    assert _stances("Every day Russia says no to a ceasefire is a day it chooses war.", taxonomy, actor="UKR") == {}
    assert _stances("Ukraine says no to a ceasefire.", taxonomy, actor="UKR") == {"peace-talks": "oppose"}


def test_conditions_and_descriptions_are_no_cues(taxonomy):
    assert _stances("If the tariffs stay, we will respond in a firm way.", taxonomy, actor="EU") == {}
    # an indirect question is no position either
    assert _stances("Asked whether Lisbon would back sanctions on Russia, he smiled.", taxonomy, actor="PRT") == {}
    assert _stances("Moscow rejected security guarantees backed by European troops.", taxonomy, actor="RUS") == {
        "security-guarantees-ukraine": "oppose"
    }
    # A gerund subject is the topic, not a position: only "escalation" is a cue here.
    assert _stances("Supplying Tomahawks would mark a new round of escalation.", taxonomy, actor="RUS") == {
        "arms-supplies-ukraine": "oppose"
    }


def test_anonymous_sources_have_no_stance(taxonomy):
    assert detect_stances(_statement("Diplomats reject new sanctions on Russia.", actor=None), taxonomy) == []


# -- the keyword prefilter finds what the patterns find -----------------------------------------------


def test_topic_prefilter_matches_every_keyword(taxonomy):
    # every keyword's own pattern, compiled once (the taxonomy has hundreds of keywords)
    patterns = [(t.id, re.compile(phrase_pattern(k), re.I)) for t in taxonomy.topics for k in t.keywords]
    for topic in taxonomy.topics:
        for keyword in topic.keywords:
            text = f"They discussed {keyword} today."
            brute = {topic_id for topic_id, pattern in patterns if pattern.search(text)}
            assert set(taxonomy.topics_in(text)) == brute, keyword
