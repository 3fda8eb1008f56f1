"""Reported positions (issue 13, branch rev1): anonymous sources relaying an actor's position.

"Japan, the bloc's largest donor, argued that ..., two diplomats said" is the diplomats' statement
(issue 12's nested-report convention), but the position it reports is Japan's: the stance event's actor
is the actor that opens the content as the subject of a position verb, the statement keeps its speaker.
Every sentence here is our own."""

from __future__ import annotations

import pytest

from streams.nlp.stance import Cues, cue_hits, detect_stances, reported_actor
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import make_statement


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Japan, the bloc's largest donor, argued that the new sanctions package should wait", "JPN"),
        ("Norway insisted during the closed session that the fund stay open", "NOR"),
        ("the Netherlands has long opposed any new tariffs on steel", "NLD"),
        ("Germany also wants the talks to resume before winter", "DEU"),
    ],
)
def test_an_actor_opening_the_content_before_a_position_verb_is_reported(text: str, actor: str) -> None:
    assert reported_actor(text) == actor


@pytest.mark.parametrize(
    "text",
    [
        # the actor is no subject of a position verb
        "Norway's exports of salmon rose by a fifth last year",
        # the content opens with something else; the actor named later is no opening subject
        "the talks stalled after Japan argued that the package should wait",
        # a position verb too far from the actor to be its verb
        "Germany sent a delegation of engineers and trade officials to the port city, which wants new ships",
    ],
)
def test_content_that_does_not_open_with_an_actors_position_reports_none(text: str) -> None:
    assert reported_actor(text) is None


def test_an_anonymous_source_relaying_a_position_gives_the_reported_actors_stance(taxonomy: Taxonomy) -> None:
    text = "Japan, the bloc's largest donor, argued that sanctions on Russia should wait until the summit"
    events = detect_stances(make_statement(text, "two diplomats", None), taxonomy)
    assert [(e.actor, e.topic, e.stance) for e in events] == [("JPN", "sanctions-russia", "oppose")]
    assert events[0].speaker == "two diplomats"  # the statement stays the sources'


def test_an_anonymous_source_reporting_no_position_still_gives_no_stance(taxonomy: Taxonomy) -> None:
    text = "sanctions on Russia should wait until the summit"
    assert detect_stances(make_statement(text, "two diplomats", None), taxonomy) == []


def test_a_named_speakers_stance_is_not_handed_to_the_actor_it_names(taxonomy: Taxonomy) -> None:
    # "if the U.S. side insists ..., China will respond": the condition is China's, not a U.S. position.
    text = "the U.S. side insists on keeping the tariffs, China will respond with tariffs of its own"
    events = detect_stances(make_statement(text, "Spokesperson", "CHN"), taxonomy)
    assert {e.actor for e in events} <= {"CHN"}


@pytest.mark.parametrize("phrase", ["should wait", "must wait", "can wait"])
def test_putting_a_thing_off_opposes_it(phrase: str, taxonomy: Taxonomy) -> None:
    hits = cue_hits(f"any new sanctions package {phrase} until the spring", Cues.load())
    assert [h.text for h in hits if h.weight < 0] == [phrase]
    text = f"sanctions on Russia {phrase} until the spring"
    events = detect_stances(make_statement(text, "Spokesperson", "FRA"), taxonomy)
    assert {e.topic: e.stance for e in events}.get("sanctions-russia") == "oppose"
