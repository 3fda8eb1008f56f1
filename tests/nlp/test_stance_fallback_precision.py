"""The headline/lead fallback's false events (issue 13, precision side): a statement naming no topic of
its own is read on its context's first topic, and some of its cues take no position on that topic.
Sentences of our own in the styles of agency copy (written for this file, none copied).

The assertions are on the (topic, stance) pairs `detect_stances` gives (`tests/nlp/conftest.py`)."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import stances

# -- a cue whose object is the speaker judges its agent, not the context's topic ---------------------


@pytest.mark.parametrize(
    ("actor", "context", "text", "topic"),
    [
        (
            "POL",
            "Poland signs long-term LNG deal to cut reliance on pipeline gas",
            "every tanker that docks in Gdansk is one less lever Moscow can use to blackmail us",
            "energy-supplies",
        ),
        (
            "LTU",
            "Lithuania signs deal for LNG supplies from Norway",
            "Russia has used its gas to blackmail us for two decades",
            "energy-supplies",
        ),
    ],
)
def test_a_cue_on_the_speaker_takes_no_position_on_the_context(taxonomy, actor, context, text, topic) -> None:  # noqa: ANN001
    read = stances(text, taxonomy, actor, context)
    assert topic not in read
    # nor is the agent's act an open topic of the speaker's
    assert not [key for key in read if key.startswith("~")]


# -- a noun a question asks about is put in doubt, not judged ---------------------------------------


@pytest.mark.parametrize(
    ("actor", "context", "text"),
    [
        (
            "KEN",
            "Kenya defends Chinese loan deal as critics warn of IMF debt trap",
            "A loan that lowers our interest bill by half. Is that a trap?",
        ),
        (
            "UN",
            "Aid agencies warn of famine as humanitarian aid cuts deepen",
            "And the reason for the cuts? That donors suddenly have other priorities?",
        ),
    ],
)
def test_a_noun_a_question_asks_about_takes_no_position(taxonomy, actor, context, text) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor, context) == {}


# -- the contrasts: the same words where they do take a position on the context's topic ----------


@pytest.mark.parametrize(
    ("actor", "context", "text", "topic", "stance"),
    [
        # the same kind of verb with another object stays a position on the headline's topic
        (
            "POL",
            "Poland signs long-term LNG deal to cut reliance on pipeline gas",
            "the deal would protect Polish households this winter",
            "energy-supplies",
            "support",
        ),
        # no actor named before the cue: its agent is the drills the headline names
        (
            "TWN",
            "Taiwan condemns Chinese military drills near the island",
            "they are meant to threaten us",
            "military-drills",
            "oppose",
        ),
        # the same noun stated, not asked: a judgement of the context's topic
        (
            "KEN",
            "Kenya defends Chinese loan deal as critics warn of IMF debt trap",
            "A loan that lowers our interest bill by half. That is a trap.",
            "imf-debt",
            "oppose",
        ),
        # a question's verb, answered by the speaker, still reads as before
        (
            "FRA",
            "US and UK refuse to sign AI regulation pledge",
            "Do we want a world with no rules for these machines? I do not.",
            "ai-regulation",
            "support",
        ),
    ],
)
def test_the_contrasting_constructions_are_still_read(taxonomy, actor, context, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor, context).get(topic) == stance
