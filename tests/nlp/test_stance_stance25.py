"""Stance constructions of real reporting (issue 13, branch stance25): the idioms wire copy uses for
attacking, doubting and backing a thing ("hit out at", "balked at", "poured cold water on", "serious
reservations about", "threw its weight behind", "a boon for"), the grievance after the one criticised
("criticised Lima over the new mining royalty") and a manner phrase between a cue and its object
("condemned in the strongest terms the raid"). Every sentence is our own, written after reading stored
real news for its constructions (none copied from an article, none from the evaluation sets)."""

from __future__ import annotations

import pytest

from streams.nlp.open_topics import open_key
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import pipeline_stances, stances


def _key(phrase: str) -> str:
    key = open_key(phrase)
    assert key is not None
    return key.id


FEES = "the new parking fees"
SWAP = "the offer of a land swap"


ATTACKS = [
    "hit out at",
    "lashed out at",
    "assailed",
    "lambasted",
    "castigated",
    "censured",
    "took aim at",
    "took a swipe at",
    "railed against",
    "spoke out against",
    "objected to",
    "disagreed with",
]
REFUSALS = [
    "rebuffed",
    "spurned",
    "turned down",
    "balked at",
    "baulked at",
    "scoffed at",
    "poured cold water on",
    "cast doubt on",
]


@pytest.mark.parametrize(("cue", "target"), [(c, FEES) for c in ATTACKS] + [(c, SWAP) for c in REFUSALS])
def test_an_attack_or_a_refusal_in_the_idioms_of_reporting_opposes_its_object(
    cue: str, target: str, taxonomy: Taxonomy
) -> None:
    assert stances(f"{cue} {target}", taxonomy, "CHL") == {_key(target): "oppose"}


def test_brushing_aside_calls_for_a_thing_opposes_the_thing(taxonomy: Taxonomy) -> None:
    assert stances("brushed aside calls for a snap referendum", taxonomy, "HUN") == {"elections-democracy": "oppose"}


@pytest.mark.parametrize(
    "text",
    [
        "was sceptical of the plan to move the naval base",
        "had serious reservations about the plan to move the naval base",
        "voiced unhappiness with the plan to move the naval base",
        "expressed dissatisfaction with the plan to move the naval base",
        "voiced displeasure over the plan to move the naval base",
    ],
)
def test_misgivings_voiced_oppose_their_object(text: str, taxonomy: Taxonomy) -> None:
    assert set(stances(text, taxonomy, "JPN").values()) == {"oppose"}


@pytest.mark.parametrize(
    "text",
    [
        "threw its weight behind the dockworkers' pay deal",
        "was firmly behind the dockworkers' pay deal",
        "championed the dockworkers' pay deal",
        "lauded the dockworkers' pay deal",
        "embraced the dockworkers' pay deal",
        "gave the green light to the dockworkers' pay deal",
    ],
)
def test_backing_in_the_idioms_of_reporting_supports_its_object(text: str, taxonomy: Taxonomy) -> None:
    assert stances(text, taxonomy, "ZAF") == {_key("the dockworkers' pay deal"): "support"}


# One construction a case: the statement, its actor, the target phrase whose open key it takes, the stance.
JUDGED = {
    "a boon for": ("the rail link would be a boon for farmers", "KEN", "the rail link", "support"),
    "long overdue": ("the pension overhaul was long overdue", "ARG", "the pension overhaul", "support"),
    "viewed positively": ("viewed the mediation plan positively", "SDN", "the mediation plan", "support"),
    "openness to": ("signalled openness to a prisoner exchange", "COL", "a prisoner exchange", "support"),
    "ready for": ("the rebel movement was ready for a prisoner exchange", "MLI", "a prisoner exchange", "support"),
    "a charade": ("described the budget hearings as a charade", "IND", "the budget hearings", "oppose"),
    "grievance over": ("criticised Lima over the new mining royalty", "CHL", "the new mining royalty", "oppose"),
    "grievance after an addressee": ("hit out at the government over the new parking fees", "ZMB", FEES, "oppose"),
    "merit for": ("praised Quito for its fisheries reform", "ECU", "its fisheries reform", "support"),
    "manner phrase": (
        "condemned in the strongest terms the raid on the consulate",
        "MEX",
        "the raid on the consulate",
        "oppose",
    ),
    "manner phrase, no uncertain terms": (
        "rejected in no uncertain terms the offer of a land swap",
        "PER",
        SWAP,
        "oppose",
    ),
}


@pytest.mark.parametrize("construction", list(JUDGED))
def test_a_judgement_or_an_object_rule_reads_its_target(construction: str, taxonomy: Taxonomy) -> None:
    text, actor, phrase, stance = JUDGED[construction]
    assert stances(text, taxonomy, actor) == {_key(phrase): stance}


def test_a_blow_to_a_thing_is_a_harm_that_opposes_its_subject(taxonomy: Taxonomy) -> None:
    found = stances("the logging ban was a blow to rural jobs", taxonomy, "IDN")
    assert found.get(_key("the logging ban")) == "oppose"


def test_a_support_for_someone_keeps_its_own_object(taxonomy: Taxonomy) -> None:
    # a cue that takes its preposition ("support for") keeps the one it names as its object, and the
    # grievance rule reads the government's levy, not the government
    assert _key("the winter") not in stances("voiced support for Ukraine over the winter", taxonomy, "POL")
    assert _key("the government") not in stances("criticised the government over the fuel levy", taxonomy, "ZMB")


def test_the_pipeline_reads_an_idiom_of_reporting(taxonomy: Taxonomy) -> None:
    lines = [
        "SANTIAGO, May 3 (Agency) - Chile's foreign ministry on Tuesday rebuffed the Bolivian offer of a land swap, "
        "foreign ministry spokeswoman Elena Rojas said.",
        "Foreign Minister Tomas Vidal said Chile had serious reservations about the planned border toll.",
    ]
    found = pipeline_stances("\n".join(lines), "Chile rebuffs land swap offer", taxonomy)
    assert ("CHL", _key("the planned border toll"), "oppose") in found
