"""Arena topics (issue 13, branch stance33): a taxonomy topic that names a sea, a canal, a war or a rate-setting
area (`arena: true`) is a subject one cannot be for or against, so no stance is read on it. A cue whose
nearest topic is an arena reads its own object (an open key) or another topic of its clause; a statement
whose only topic is an arena, or whose story's headline names only one, is not read on the headline's
topic. Every sentence is our own (none copied from an article, none from the evaluation sets)."""

from __future__ import annotations

import pytest

from streams.nlp.open_topics import open_key
from streams.nlp.taxonomy import Taxonomy, TaxonomyError
from tests.nlp.conftest import pipeline_stances, stances

ARENAS = ("south-china-sea", "india-pakistan", "sudan-war", "drc-rwanda", "panama-canal", "interest-rates")


def _key(phrase: str) -> str:
    key = open_key(phrase)
    assert key is not None
    return key.id


def test_the_packaged_arenas_are_flagged(taxonomy: Taxonomy) -> None:
    assert all(taxonomy.is_arena(topic) for topic in ARENAS)
    assert not taxonomy.is_arena("peace-talks") and not taxonomy.is_arena("no-such-topic")


@pytest.mark.parametrize(
    ("text", "actor", "arena"),
    [
        ("lodged a protest over the reckless manoeuvres near Scarborough Shoal", "PHL", "south-china-sea"),
        ("condemned the shelling of a market in El Fasher", "GBR", "sudan-war"),
        ("welcomed the new ferry service on the Panama Canal", "PAN", "panama-canal"),
        ("urged the central bank to raise interest rates", "DEU", "interest-rates"),
        ("We will not accept this", "IND", "india-pakistan"),
    ],
)
def test_no_stance_is_read_on_an_arena(text: str, actor: str, arena: str, taxonomy: Taxonomy) -> None:
    found = stances(text, taxonomy, actor, context="India and Pakistan trade fire across the Line of Control")
    assert arena not in found
    assert not any(taxonomy.is_arena(topic) for topic in found)


def test_a_cue_on_an_arena_reads_its_own_object(taxonomy: Taxonomy) -> None:
    # the shelling is what is condemned, keyed on its own words; before, "oppose Sudan war"
    assert stances("condemned the shelling of a market in El Fasher", taxonomy, "GBR") == {
        _key("the shelling of a market"): "oppose"
    }
    [(topic, stance)] = stances("welcomed the new ferry service on the Panama Canal", taxonomy, "PAN").items()
    assert topic.startswith(_key("the new ferry service")) and stance == "support"


def test_an_arena_beside_a_topic_leaves_the_cue_to_that_topic(taxonomy: Taxonomy) -> None:
    # "the M23" names an arena, the talks are what is backed
    assert stances("backed the M23 ceasefire talks in Doha", taxonomy, "QAT") == {"peace-talks": "support"}
    assert stances("supports freedom of navigation in the South China Sea", taxonomy, "USA") == {
        "maritime-rights": "support"
    }


def test_a_statement_naming_only_an_arena_is_not_read_on_the_headlines_topic(taxonomy: Taxonomy) -> None:
    headline = "AU chief backs colonial reparations push"
    found = stances("his first priority would be the wars in eastern Congo and Darfur", taxonomy, "AU", headline)
    assert "colonial-reparations" not in found
    # a statement naming nothing still falls back to the headline's topic
    assert stances("fully backed the push", taxonomy, "AU", headline) == {"colonial-reparations": "support"}


def test_a_headline_that_names_an_arena_first_lends_its_next_topic(taxonomy: Taxonomy) -> None:
    headline = "Sudan's army rejects truce as RSF shells El Fasher"
    assert stances("rejected the proposal outright", taxonomy, "SDN", headline) == {"peace-talks": "oppose"}
    # a headline naming only an arena lends no taxonomy topic: what is left is the object's open key
    found = stances("rejected the proposal outright", taxonomy, "SDN", "Fighting rages in El Fasher")
    assert all(topic.startswith("~") for topic in found)


def test_the_pipeline_reads_no_arena_stance(taxonomy: Taxonomy) -> None:
    body = (
        "MANILA, May 4 (Agency) - The Philippines lodged a protest over what it called the reckless "
        "manoeuvres of Chinese coast guard ships near Second Thomas Shoal, the foreign ministry said."
    )
    found = pipeline_stances(body, "Manila protests in South China Sea row", taxonomy)
    assert found and not any(taxonomy.is_arena(topic) for _actor, topic, _stance in found)


def test_a_topic_file_may_not_give_arena_a_non_boolean(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "taxonomy.yaml"
    path.write_text("- id: a-sea\n  label: A sea\n  arena: often\n  keywords: [the sea]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="arena"):
        Taxonomy.load(path)
