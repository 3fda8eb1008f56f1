"""Open keys of targets with two joined modifiers (issue 13, branch stance37): "and" / "or" between two
words that read as modifiers, before the head they share, does not end the target ("dangerous and illegal
manoeuvres" was keyed on nothing, "the unilateral and illegal annexation" on "unilateral"), and a noun
that ends in -ly (`ly_nouns`: supply, assembly, ally) is a subject, not an adverb. Every sentence is our
own (none copied from an article, none from the evaluation sets)."""

from __future__ import annotations

import pytest

from streams.nlp.open_topics import open_key
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import stances


def _id(phrase: str) -> str | None:
    key = open_key(phrase)
    return key.id if key else None


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("dangerous and illegal manoeuvres", "~exercise"),  # both evaluative: dropped, the head stays
        ("the unilateral and illegal annexation", "~annexation-unilateral"),
        ("military and economic aid", "~aid-economic-military"),
        ("costly and wasteful subsidies", "~costly-subsidy-wasteful"),
        ("political or technical solutions", "~political-solution-technical"),
    ],
)
def test_two_joined_modifiers_keep_their_head(phrase: str, key: str) -> None:
    assert _id(phrase) == key


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("oil and gas supplies", "~oil"),  # nouns joined: the first is the subject, as before
        ("the proposal and approval process", "~plan"),  # a noun with an adjective's ending
        ("the government and opposition parties", "~government"),
        ("sanctions and tariffs", "~sanction"),
    ],
)
def test_joined_nouns_still_end_the_target(phrase: str, key: str) -> None:
    assert _id(phrase) == key


@pytest.mark.parametrize("phrase", ["the supply", "the assembly", "our ally", "the rally"])
def test_a_noun_ending_in_ly_is_a_subject(phrase: str) -> None:
    assert _id(phrase) is not None


def test_a_verb_phrase_ending_in_ed_is_still_no_subject() -> None:
    assert _id("must be respected") is None


@pytest.mark.parametrize(
    ("text", "actor", "phrase", "stance"),
    [
        ("condemned the unilateral and illegal annexation", "ARG", "the unilateral and illegal annexation", "oppose"),
        ("opposes the reckless and provocative drills", "CHN", "the reckless and provocative drills", "oppose"),
        ("rejected the costly and wasteful subsidies", "NLD", "the costly and wasteful subsidies", "oppose"),
        ("welcomed the military and economic aid package", "UKR", "the military and economic aid package", "support"),
    ],
)
def test_a_cue_reads_the_whole_target_once(text: str, actor: str, phrase: str, stance: str, taxonomy: Taxonomy) -> None:
    # one event on the whole phrase: the evaluative modifier inside it adds no second reading of its own
    assert stances(text, taxonomy, actor) == {_id(phrase): stance}
