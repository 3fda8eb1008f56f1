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
    ],
)
def test_another_object_or_the_topic_as_agent_keeps_the_context(taxonomy, actor, context, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor, context).get(topic) == stance
