"""Stances on a thing's opening or closure (issue 13, branch rev2): `streams/nlp/open_states.py`.

Keeping a crossing shut opposes its opening, agreeing to reopen it or saying it will open supports it,
and both land on one open key (the thing's own words, made fuller from the headline and lead), so the
tracker sees the turn. Every sentence here is our own."""

from __future__ import annotations

import pytest

from streams.nlp.open_states import state_readings
from streams.nlp.stance import detect_stances
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import make_statement

_LEAD = "Zeland agrees to reopen the Varna port crossing for trade"


def _polarities(text: str, context: str = "") -> dict[str, float]:
    return {r.key.id: r.polar for r in state_readings(text, context)}


def test_keeping_a_thing_closed_opposes_its_opening() -> None:
    readings = _polarities("the ministry will keep the Varna port crossing closed until the talks end")
    assert readings and all(p < 0 for p in readings.values())
    assert any("varna" in k for k in readings)


@pytest.mark.parametrize("closed", ["shut", "sealed", "closed"])
def test_each_closed_word_reads_the_same_way(closed: str) -> None:
    assert list(_polarities(f"officials kept the Varna port crossing {closed} on Friday").values()) == [-0.7]


def test_two_names_sharing_a_head_are_two_things_kept_closed() -> None:
    keys = _polarities("we will keep the Varna and Dobro port crossings closed")
    assert len(keys) == 2
    assert any("varna" in k for k in keys) and any("dobro" in k for k in keys)


def test_agreeing_to_reopen_a_thing_supports_it() -> None:
    readings = _polarities("the government agreed to reopen the Varna port crossing to trucks")
    assert readings and all(p > 0 for p in readings.values())


def test_a_thing_that_will_open_to_traffic_is_supported() -> None:
    assert list(_polarities("the crossing would open to cargo trucks from Monday").values()) == [0.7]


def test_a_thing_that_will_stay_closed_is_opposed() -> None:
    assert list(_polarities("he said the crossing would stay closed.").values()) == [-0.7]


@pytest.mark.parametrize(
    "text",
    [
        "the deal would open new markets for our farmers",  # opens something else: access, not a reopening
        "the bloc agreed to open accession talks with the country",  # opening begins talks, undoes no closure
        "ships sailed the open sea",
        "they will keep talking until a deal is closed",
    ],
)
def test_other_senses_of_open_and_keep_take_no_position(text: str) -> None:
    assert _polarities(text) == {}


def test_the_closure_and_the_reopening_land_on_one_key() -> None:
    closed = _polarities("Zeland will keep the Varna port crossing closed", "Zeland shuts the Varna port crossing")
    reopened = _polarities("the crossing would open to trucks", _LEAD)
    assert set(closed) == set(reopened)
    assert next(iter(closed.values())) < 0 < next(iter(reopened.values()))


def test_detect_stances_emits_the_open_event_beside_a_taxonomy_reading() -> None:
    statement = make_statement(
        "Pakistan will keep the Torkham and Chaman border crossings with Afghanistan closed", "Foreign Office", "PAK"
    )
    events = {e.topic: e for e in detect_stances(statement, Taxonomy.load())}
    opened = [e for t, e in events.items() if t.startswith("~") and "torkham" in t]
    assert opened and opened[0].stance == "oppose" and opened[0].topic_source == "open"


def test_a_closure_the_taxonomy_names_stays_with_its_topic() -> None:
    # "border closure" is a taxonomy keyword: keeping a border closed is read there, not as an open topic.
    statement = make_statement("Finland will keep its land border with Russia closed", "Government", "FIN")
    events = detect_stances(statement, Taxonomy.load())
    assert not any(e.topic.startswith("~") and "border" in e.topic for e in events)
