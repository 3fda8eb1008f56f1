"""Topic keywords in another sense: a word the taxonomy lists is not always that topic.

One test per construction, on our own sentences: each passes only with the rule it names."""

from __future__ import annotations

import pytest

from streams.nlp.stance import detect_stances
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import make_statement


def topics(text: str, taxonomy: Taxonomy, actor: str = "LKA") -> set[str]:
    """Every topic (taxonomy or open) the actor's stance events on `text` land on."""
    return {e.topic for e in detect_stances(make_statement(text, "a minister", actor), taxonomy)}


@pytest.mark.parametrize(
    "text",
    [
        "The minister said power tariffs for small households would be cut by a fifth from March.",
        "The regulator approved higher electricity and water tariffs, which the minister welcomed.",
    ],
)
def test_a_utility_tariff_is_not_a_trade_tariff(taxonomy: Taxonomy, text: str) -> None:
    assert "trade-tariffs" not in taxonomy.topics_in(text)
    assert "trade-tariffs" not in topics(text, taxonomy)


def test_a_trade_tariff_next_to_a_utility_one_is_still_read(taxonomy: Taxonomy) -> None:
    text = "He rejected the new tariffs on rice imports but promised lower electricity tariffs."
    assert taxonomy.topics_in(text) == ["trade-tariffs"]


def test_a_diplomatic_protest_is_not_a_street_protest(taxonomy: Taxonomy) -> None:
    text = "The ministry said it had summoned the ambassador and lodged a strong protest over the collision."
    assert "protests-crackdowns" not in taxonomy.topics_in(text)
    assert "protests-crackdowns" not in topics(text, taxonomy, actor="PHL")


def test_street_protests_are_still_the_topic(taxonomy: Taxonomy) -> None:
    text = "The minister condemned the protests outside parliament and the use of tear gas."
    assert "protests-crackdowns" in taxonomy.topics_in(text)


def test_an_other_sense_phrase_of_one_topic_leaves_other_topics_alone() -> None:
    custom = Taxonomy.from_data(
        [
            {"id": "fares", "label": "Fares", "keywords": ["fares"], "not_in": ["air fares"]},
            {"id": "air", "label": "Air travel", "keywords": ["air fares"]},
        ]
    )
    assert custom.topics_in("Ministers criticised air fares.") == ["air"]


@pytest.mark.parametrize(
    ("text", "bound_topic"),
    [
        ("Washington said it would impose new sanctions on Caracas over the disputed vote.", "sanctions-russia"),
        ("The chancellor promised more military aid to Israel after the strikes.", "arms-supplies-ukraine"),
        ("The council debated a stabilisation force for Haiti.", "foreign-troops-ukraine"),
    ],
)
def test_a_country_bound_topic_refuses_another_countrys_name(taxonomy: Taxonomy, text: str, bound_topic: str) -> None:
    assert bound_topic not in taxonomy.topics_in(text)
    assert bound_topic not in topics(text, taxonomy, actor="USA")


@pytest.mark.parametrize(
    ("text", "bound_topic"),
    [
        ("Brussels said it would impose new sanctions on Moscow over the drone incursions.", "sanctions-russia"),
        ("The chancellor promised more military aid to Kyiv before winter.", "arms-supplies-ukraine"),
        ("The ministers backed new sanctions on Russian banks.", "sanctions-russia"),
    ],
)
def test_a_country_bound_topic_keeps_its_own_country(taxonomy: Taxonomy, text: str, bound_topic: str) -> None:
    assert bound_topic in taxonomy.topics_in(text)


@pytest.mark.parametrize(
    "addressee",
    ["the authorities", "governments", "all parties", "Georgian authorities", "the international community"],
)
def test_an_urged_addressee_in_lower_case_hands_over_like_a_name(taxonomy: Taxonomy, addressee: str) -> None:
    named = topics("The envoy urged Tbilisi to free the detained students without delay.", taxonomy, actor="EU")
    urged = topics(f"The envoy urged {addressee} to free the detained students without delay.", taxonomy, actor="EU")
    assert named  # the named form is read on the urged action
    assert urged == named


def test_a_refugee_agency_named_in_passing_is_not_the_migration_topic(taxonomy: Taxonomy) -> None:
    text = "The court said the occupying power must let the UN refugee agency deliver food and fuel to Gaza."
    assert "migration-asylum" not in taxonomy.topics_in(text)
    assert "migration-asylum" in taxonomy.topics_in("The court said refugees must be allowed to return.")
