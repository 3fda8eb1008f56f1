"""Stance constructions of domestic reporting (issue 13, branch stance31): what an opposition calls a
budget, a union a pay offer, a mayor the flood aid, retailers a tax, victims' families a sentence ("termed
the budget anti-people", "an insult to farmers", "a formula for failure", "a travesty of justice"), a
verdict appealed, a judgement after "X as" ("rejected the warrants as an insult to Islam" judges the
warrants) and the bodies such copy criticises or praises ("commended the court for its ruling"). Every
sentence is our own, written after reading stored real news for its constructions (none copied from an
article, none from the evaluation sets)."""

from __future__ import annotations

import pytest

from streams.nlp.open_topics import open_key
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import pipeline_stances, stances


def _key(phrase: str) -> str:
    key = open_key(phrase)
    assert key is not None
    return key.id


# One construction a case: the statement, its actor, the target phrase whose open key it takes, the stance.
JUDGED = {
    "anti- adjective after a naming verb": (
        "termed the federal budget anti-people",
        "PAK",
        "the federal budget",
        "oppose",
    ),
    "an insult to": ("the farm package was an insult to farmers", "IND", "the farm package", "oppose"),
    "an affront to": ("called the pension reform an affront to workers", "IND", "the pension reform", "oppose"),
    "formula for failure": (
        "called the federal flood aid a formula for failure",
        "USA",
        "the federal flood aid",
        "oppose",
    ),
    "letdown": ("the new grants portal was a serious letdown", "USA", "the new grants portal", "oppose"),
    "disrespectful": (
        "the letter from the ministry was disrespectful to nurses",
        "GBR",
        "the letter from the ministry",
        "oppose",
    ),
    "unfortunate": ("described the new parking fees as unfortunate", "NGA", "the new parking fees", "oppose"),
    "lead to chaos": (
        "warned that the court's decision would lead to chaos at airports",
        "USA",
        "the court's decision",
        "oppose",
    ),
    "lash out against": ("lashed out against the new teaching contract", "FRA", "the new teaching contract", "oppose"),
    "betrayed by": ("felt betrayed by the regulator's package", "GBR", "the regulator's package", "oppose"),
    "appeal a decision": (
        "they would appeal the competition regulator's decision",
        "NZL",
        "the competition regulator's decision",
        "oppose",
    ),
    "appeal against": ("would appeal against the acquittal", "ESP", "the acquittal", "oppose"),
    "make things worse": (
        "the mooted rise in the fuel levy would make things worse",
        "GBR",
        "the mooted rise",
        "oppose",
    ),
    "hinder": ("raising the burden on big stores would hinder town centres", "GBR", "raising the burden", "oppose"),
    "shameful": ("the rushed vote on forty bills was absolutely shameful", "AUS", "the rushed vote", "oppose"),
    "farcical": ("the guillotine motion made the Senate process farcical", "AUS", "the guillotine motion", "oppose"),
    "travesty": ("the sentence was a travesty of justice", "USA", "the sentence", "oppose"),
    "too lenient": ("criticised the sentence for the ferry captain as too lenient", "KOR", "the sentence", "oppose"),
    "fair and reasonable": ("the pay offer was fair and reasonable", "GBR", "the pay offer", "support"),
    "defence of": ("launched a fierce defence of the fuel levy", "GBR", "the fuel levy", "support"),
    "would benefit": ("the new rail link would benefit households in the north", "GBR", "the new rail link", "support"),
    "generous": ("the deal on the table was very generous", "GBR", "the deal", "support"),
    "grievance after a court": ("commended the court for its ruling on detainees", "UNO", "its ruling", "support"),
    "grievance after a cabinet": ("hit out at the cabinet over the fuel levy", "IND", "the fuel levy", "oppose"),
}


@pytest.mark.parametrize("construction", list(JUDGED))
def test_a_judgement_of_domestic_reporting_reads_its_target(construction: str, taxonomy: Taxonomy) -> None:
    text, actor, phrase, stance = JUDGED[construction]
    assert stances(text, taxonomy, actor) == {_key(phrase): stance}


def test_a_judgement_after_x_as_judges_x_not_what_the_harm_names(taxonomy: Taxonomy) -> None:
    # "rejected X as an insult to Y" opposes X; the chain no longer turns the judgement into support for Y
    assert stances("rejected the warrants as an insult to Islam", taxonomy, "AFG") == {_key("the warrants"): "oppose"}
    found = stances("rejected the plan as a threat to peace", taxonomy, "SRB")
    assert found == {_key("the plan"): "oppose"}
    # a chain with no object between still governs: calls for a ceasefire rejected oppose the talks
    assert stances("rejected calls for a ceasefire", taxonomy, "RUS") == {"peace-talks": "oppose"}


def test_resisting_calls_to_end_a_thing_backs_it(taxonomy: Taxonomy) -> None:
    assert stances("has resisted calls to lift the sanctions on Moscow", taxonomy, "DEU") == {
        "sanctions-russia": "support"
    }


def test_a_household_price_cap_is_no_sanction(taxonomy: Taxonomy) -> None:
    assert "sanctions-russia" not in stances("defended the electricity price cap", taxonomy, "GBR")
    assert stances("defended the Russian oil price cap", taxonomy, "GBR") == {"sanctions-russia": "support"}


def test_a_grant_as_a_noun_backs_nothing(taxonomy: Taxonomy) -> None:
    assert stances("the grant scheme was grossly inadequate", taxonomy, "USA") == {_key("the grant scheme"): "oppose"}
    # the verb still permits what it grants
    assert stances("will grant licences for seabed mining", taxonomy, "NOR") == {"deep-sea-mining": "support"}


@pytest.mark.parametrize(
    "text",
    [
        "celebrated its fiftieth anniversary",  # 'celebrate' was tried and dropped
        "it is unfortunate that the talks collapsed",  # a judgement with no subject
        "appealed for calm after the riots",  # an appeal for a thing is no appeal against a decision
        "expressed disappointment at the decision",  # 'disappointment' was tried and dropped
    ],
)
def test_look_alikes_of_the_judgements_take_no_position(text: str, taxonomy: Taxonomy) -> None:
    assert stances(text, taxonomy, "AUS") == {}


def test_the_pipeline_reads_a_judgement_of_domestic_reporting(taxonomy: Taxonomy) -> None:
    body = (
        "LAHORE, June 13 (Agency) - Pakistan's farm ministry on Thursday termed the new fuel levy anti-farmer, "
        "ministry spokeswoman Rabia Aziz said."
    )
    assert pipeline_stances(body, "Fuel levy row", taxonomy) == {("PAK", _key("the new fuel levy"), "oppose")}
