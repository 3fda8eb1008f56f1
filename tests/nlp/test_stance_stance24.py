"""Which topic a cue's event lands on: a predicative judgement with a purpose after it judges its subject,
not the topic its purpose names (issue 13, branch stance24). Sentences of our own in the styles of agency
copy (written for this file, none copied from the eval set).

The assertions are on the (topic, stance) pairs `detect_stances` gives (`tests/nlp/conftest.py`)."""

from __future__ import annotations

from tests.nlp.conftest import stances

# -- "X is essential to <verb> ...": the cue judges X, the "to" clause says what X is for ----------------


def test_a_purpose_after_a_predicative_cue_is_not_what_it_judges(taxonomy) -> None:  # noqa: ANN001
    # the reactor is what the ministry backs; coal power is only what the reactor is meant to replace
    got = stances(
        "the reactor on the steppe near Aktau is vital to cut the region's reliance on coal power", taxonomy, "KAZ"
    )
    assert "fossil-fuels-transition" not in got
    assert got == {"~reactor": "support"}  # read on its subject's open key instead


def test_a_predicative_cue_with_a_purpose_takes_the_topic_of_its_subject(taxonomy) -> None:  # noqa: ANN001
    # the sanctions are judged essential; the ceasefire is the end they serve
    got = stances("New sanctions on Moscow are essential to force a ceasefire", taxonomy, "POL")
    assert got == {"sanctions-russia": "support"}


def test_a_topic_after_the_purpose_s_verb_moves_but_not_a_complement(taxonomy) -> None:  # noqa: ANN001
    # the verb after "to" opens a purpose: the unity is what the minister calls vital
    got = stances("Western unity is vital to secure a ceasefire", taxonomy, "EST")
    assert got == {"~unity-western": "support"}
    # "to" and a noun, not a verb: the talks are what the dialogue is vital to, read as before
    assert stances("Dialogue is vital to peace talks", taxonomy, "NOR") == {"peace-talks": "support"}
    # a purpose whose verb opens the topic ("to end the war") is that topic, read as before
    assert stances("Western unity is vital to end the war", taxonomy, "EST") == {"peace-talks": "support"}
