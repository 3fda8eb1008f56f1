"""Stance recall (issue 13, branch stance29): stance-bearing constructions with no cue word.

A contrast of two predicates ("statehood was a right, not a reward") backs its subject; a benefit forecast
("the swap would save the Treasury millions") backs what will help, and a harm forecast ("the levy will
cripple small farms") opposes it. Every sentence is our own, written after reading stored real news for the
constructions (none copied from an article, none from the evaluation sets); each rule has look-alikes it
must leave alone.
"""

from __future__ import annotations

import pytest

from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import pipeline_stances, stances

# A contrast: copula, an indefinite predicate, ", not", a second predicate. Support of the subject, unless a
# cue in the first predicate sets the direction or one in the second, turned, does.
CONTRASTS = {
    "a defence of a thing": (
        "ETH",
        "the new dam was an opportunity for the whole basin, not a threat",
        "~dam",
        "support",
    ),
    "a taxonomy subject": (
        "FRA",
        "recognition of a Palestinian state was a duty, not a gift",
        "palestinian-statehood",
        "support",
    ),
    "quoted predicates": ("NOR", "the pipeline is “a partnership, not a dependency”", "~pipeline", "support"),
    "a cue in the first predicate": ("EST", "the ceasefire was a trap, not a peace", "peace-talks", "oppose"),
    "a cue in the second predicate": ("DEU", "the truce is a pause, not a solution", "peace-talks", "oppose"),
}


@pytest.mark.parametrize("case", list(CONTRASTS))
def test_a_contrast_of_predicates_is_a_position_on_its_subject(case: str, taxonomy: Taxonomy) -> None:
    actor, text, topic, stance = CONTRASTS[case]
    assert stances(text, taxonomy, actor).get(topic) == stance


# Look-alikes: a fact set right (a place, a day, an amount), a first predicate with no indefinite article.
NOT_CONTRASTS = [
    ("USA", "the vote was held on Sunday, not Monday"),
    ("CHE", "the talks were in Geneva, not Vienna"),
    ("FRA", "the summit is a week away, not a month"),
    ("IND", "the plant is a hundred kilometres from the border, not a thousand"),
    ("GBR", "the cuts were temporary, not permanent"),
]


@pytest.mark.parametrize(("actor", "text"), NOT_CONTRASTS)
def test_a_fact_set_right_takes_no_position(actor: str, text: str, taxonomy: Taxonomy) -> None:
    assert stances(text, taxonomy, actor) == {}


# A benefit forecast backs its subject; the benefit denied opposes it; a harm forecast opposes its subject.
FORECASTS = {
    "a saving": ("KEN", "the swap would save the Treasury about $215 million a year", "~swap", "support"),
    "a boost": ("GBR", "the trade deal will boost exporters across the north", "~agreement-trade", "support"),
    "a benefit": ("IND", "the new port will benefit fishermen on the coast", "~port", "support"),
    "the benefit denied": ("FRA", "the levy would not help farmers at all", "~tariff", "oppose"),
    "a harm": ("IRL", "the fuel levy will cripple small farms across the north", "~fuel-tariff", "oppose"),
    "a harm on a taxonomy subject": ("MEX", "the tariffs would devastate the fishing towns", "trade-tariffs", "oppose"),
}


@pytest.mark.parametrize("case", list(FORECASTS))
def test_a_forecast_benefit_or_harm_is_a_position_on_its_subject(case: str, taxonomy: Taxonomy) -> None:
    actor, text, topic, stance = FORECASTS[case]
    assert stances(text, taxonomy, actor).get(topic) == stance


# Look-alikes: a past benefit told, the noun "a boost", a passive harm suffered.
NOT_FORECASTS = [
    ("POL", "the aid helped families through the winter"),
    ("POL", "the tariffs gave a boost to local steelmakers"),
    ("MOZ", "the region was devastated by the cyclone"),
]


@pytest.mark.parametrize(("actor", "text"), NOT_FORECASTS)
def test_a_benefit_told_or_suffered_takes_no_position(actor: str, text: str, taxonomy: Taxonomy) -> None:
    assert stances(text, taxonomy, actor) == {}


def test_the_pipeline_reads_a_contrast_in_a_statement_not_in_narration(taxonomy: Taxonomy) -> None:
    lines = [
        "ADDIS ABABA, March 4 (Agency) - The new dam on the Blue Nile was an opportunity for the whole basin, "
        "not a threat, Water Minister Habtamu Itefa said on Tuesday.",
        "The reservoir is a lake the size of a city, not a pond, and its turbines began turning in February.",
    ]
    assert pipeline_stances("\n".join(lines), "Ethiopia says Nile dam is no threat to Egypt", taxonomy) == {
        ("ETH", "nile-dam", "support")
    }
    narration = "The new pipeline is a partnership, not a dependency. Officials signed the accord in Oslo on Friday."
    assert pipeline_stances(narration, "Norway signs pipeline accord", taxonomy) == set()
