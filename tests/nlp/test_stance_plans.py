"""Plans told as fact (issue 13, session 12): what the stance step reads of a speaker's own side's plans.
A plan is a position only when its verb is a cue already ("will maintain its arms deliveries", "will
sign the free trade agreement"); a routine plan ("it will hold a press conference on Thursday") is none.
Branch stance34 read every own-side plan as backing its object and was not kept: these cases, written
after it and never tuned on, hold the line (docs/extraction.md, "Branch stance34"). Every sentence is our
own (none copied from an article, none from the evaluation sets)."""

from __future__ import annotations

import pytest

from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import stances


@pytest.mark.parametrize(
    ("text", "actor", "topic", "stance"),
    [
        ("Seoul will continue to push for dialogue with Pyongyang", "KOR", "inter-korean-relations", "support"),
        ("We will sign the free trade agreement with Mercosur by December", "CHE", "trade-deals", "support"),
        ("Berlin will maintain its arms deliveries to Kyiv", "DEU", "arms-supplies-ukraine", "support"),
        (
            "the government would press ahead with the asylum processing centres in Rwanda",
            "GBR",
            "migration-asylum",
            "support",
        ),
        ("Tokyo will continue talks with Washington on the tariffs", "JPN", "trade-tariffs", "support"),
    ],
)
def test_a_plan_whose_verb_is_a_cue_is_a_position(
    text: str, actor: str, topic: str, stance: str, taxonomy: Taxonomy
) -> None:
    assert stances(text, taxonomy, actor) == {topic: stance}


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("it will hold a press conference on Thursday", "BRA"),
        ("we will present our findings to the committee", "SWE"),
        ("it would continue to monitor prices closely", "EU"),
        ("the government will hold talks with the unions on Monday", "FRA"),
        ("we will continue our work in the region", "UN"),
        ("he would pursue his duties as usual", "ZAF"),
        ("the bloc would present the figures in October", "EU"),
        ("the talks would resume in Geneva next week", "CHE"),
        ("Russia will continue its strikes on our energy grid", "UKR"),
        ("he would travel to Brussels on Monday for the summit", "HUN"),
        ("we will keep monitoring the situation at the border", "POL"),
        ("the minister would present the budget to parliament on Tuesday", "KEN"),
        ("the government will announce the results of the review next month", "IND"),
    ],
)
def test_a_routine_plan_is_no_position(text: str, actor: str, taxonomy: Taxonomy) -> None:
    assert stances(text, taxonomy, actor) == {}
