"""Issue 13, recall where nothing was read for an actor: cue classes and target readings that gave no
event. One test per construction, on our own sentences in the styles of wire reporting."""

from __future__ import annotations

from streams.nlp.stance import detect_stances
from tests.nlp.conftest import make_statement


def open_events(text: str, taxonomy, actor: str = "CHN") -> dict[str, str]:  # noqa: ANN001
    events = detect_stances(make_statement(text, "Spokesperson", actor), taxonomy)
    return {e.topic: e.stance for e in events if e.topic_source == "open"}


# -- a cue behind a strong clause break from the sentence's taxonomy topic ---------------------------


def test_a_cue_across_a_contrast_from_a_taxonomy_topic_is_read_on_its_own_target(taxonomy) -> None:  # noqa: ANN001
    text = (
        "Ankara took note of the proposed grain corridor, but said the sanctions against Russia were a matter"
        " for Brussels"
    )
    assert open_events(text, taxonomy, actor="TUR") == {"~corridor-grain": "neutral"}


def test_a_cue_in_the_clause_of_a_taxonomy_topic_stays_on_that_topic(taxonomy) -> None:  # noqa: ANN001
    text = "the Commission welcomed the new export licensing scheme for the tariffs on steel"
    events = detect_stances(make_statement(text, "Spokesperson", "EU"), taxonomy)
    assert {(e.topic, e.stance) for e in events} == {("trade-tariffs", "support")}


# -- necessity adjectives: "existential" like "vital"; "an existential threat" stays a threat ---------


def test_a_thing_called_existential_is_one_the_speaker_needs(taxonomy) -> None:  # noqa: ANN001
    assert open_events("the shipping corridor was existential for the landlocked country", taxonomy) == {
        "~corridor-shipping": "support"
    }
    assert open_events('access to the port is an "existential" matter for us', taxonomy) == {"~access": "support"}


def test_an_existential_threat_opposes_what_poses_it(taxonomy) -> None:  # noqa: ANN001
    assert open_events("Moscow called the alliance's expansion an existential threat", taxonomy) == {
        "~alliance-expansion": "oppose"
    }
