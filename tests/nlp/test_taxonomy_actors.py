"""Taxonomy loading/matching and the actor gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.nlp.actors import Gazetteer
from streams.nlp.taxonomy import Taxonomy, TaxonomyError


def test_default_taxonomy_covers_required_topics(taxonomy):
    for topic in (
        "foreign-troops-ukraine",
        "security-guarantees-ukraine",
        "sanctions-russia",
        "trade-tariffs",
    ):
        assert topic in taxonomy
    assert len(taxonomy) >= 12


def test_default_taxonomy_covers_the_beats_of_world_news(taxonomy):
    assert len(taxonomy) >= 60
    for topic in (
        "migration-asylum",
        "south-china-sea",
        "taiwan-strait",
        "gaza-hostages",
        "elections-democracy",
        "human-rights",
        "ai-regulation",
        "health-pandemics",
        "opec-oil-output",
        "imf-debt",
        "trade-deals",
    ):
        assert topic in taxonomy
    assert all(t.iptc is None or t.iptc.startswith("medtop:") for t in taxonomy.topics)
    assert taxonomy.topics_in("sales of the asylum seekers' boats") == ["migration-asylum"]


def test_an_iptc_code_that_is_not_one_names_its_topic(tmp_path: Path):
    path = tmp_path / "t.yaml"
    path.write_text("- {id: chips, label: Chips, keywords: [chips], iptc: '13000000'}\n")
    with pytest.raises(TaxonomyError, match=r"topic #0 \(chips\): iptc"):
        Taxonomy.load(path)


def test_match_spans_and_inflection(taxonomy):
    text = "Talks on the Foreign Troop presence and on security guarantees resumed."
    matches = taxonomy.match(text)
    assert [(m.topic, text[m.start : m.end]) for m in matches] == [
        ("foreign-troops-ukraine", "Foreign Troop presence"),
        ("security-guarantees-ukraine", "security guarantees"),
    ]
    assert taxonomy.topics_in("new tariffs and a tariff-rate quota") == ["trade-tariffs", "import-quotas"]


def test_word_boundaries(taxonomy):
    assert taxonomy.match("The inspectorate and retariffing") == []


def test_user_taxonomy_file(tmp_path: Path):
    path = tmp_path / "t.yaml"
    path.write_text("- {id: chip-export-controls, label: Chip export controls, keywords: [export controls, chips]}\n")
    tax = Taxonomy.load(path)
    assert tax.topics_in("New export controls on chips") == ["chip-export-controls"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("- {id: Bad_Id, label: X, keywords: [a]}\n", "Bad_Id"),
        (
            "- {id: ok-one, label: X, keywords: [a]}\n- {id: no-keywords, label: Y, keywords: []}\n",
            "no-keywords",
        ),
        ("- {id: dup, label: X, keywords: [a]}\n- {id: dup, label: Y, keywords: [b]}\n", "dup"),
        ("{id: not-a-list}\n", "list"),
        ("- {id: x, label: X, keywords: [a], extra: 1}\n", "extra"),
    ],
)
def test_bad_taxonomy_names_the_entry(tmp_path: Path, content: str, needle: str):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(TaxonomyError, match=needle):
        Taxonomy.load(path)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("phrase", "actor"),
    [
        ("Russian foreign ministry", "RUS"),
        ("Russia's deputy foreign minister", "RUS"),
        ("French president", "FRA"),
        ("the Kremlin", "RUS"),
        ("White House press secretary", "USA"),
        ("Downing Street", "GBR"),
        ("a spokesman for the European Commission", "EU"),
        ("NATO Secretary-General", "NATO"),
        ("IAEA Director General", "IAEA"),
        ("Turkey's ambassador to Russia", "TUR"),
        ("the ambassador to Russia", "RUS"),
        ("Kyiv", "UKR"),
        ("the minister", None),
    ],
)
def test_actor_in(gaz, phrase, actor):
    assert gaz.actor_in(phrase) == actor


def test_gazetteer_coverage(gaz):
    countries = {e.actor for e in gaz.entries.values() if e.is_country}
    assert len(countries) >= 40
    assert {"EU", "NATO", "UN", "IAEA", "WTO", "OPEC", "G7"} <= {e.actor for e in gaz.entries.values()}


def test_channels(gaz):
    for name in (
        "TASS",
        "Reuters",
        "the PAP news agency",
        "pro-Kremlin TASS and other Russian media",
        "Xinhua",
    ):
        assert gaz.is_channel(name), name
    for name in ("Maria Zakharova", "the Kremlin", "Turkey"):
        assert not gaz.is_channel(name), name


def test_titles(gaz):
    assert gaz.title_in("Russia's deputy foreign minister") == "deputy foreign minister"
    assert gaz.title_in("Foreign Minister") == "foreign minister"
    assert gaz.title_in("the farmer") is None
