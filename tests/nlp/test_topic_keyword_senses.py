"""Topic keywords against real copy: curly apostrophes, and keywords that name a topic's harm.

Our own sentences, in the styles of wire reporting; each test fails without the rule it names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import RawArticle
from streams.core.evaluation import EvalItem, Gold, GoldStance, Predictions, score
from streams.nlp.open_topics import gazetteer
from streams.nlp.stance import named_topic
from streams.nlp.taxonomy import Taxonomy, TaxonomyError
from tests.nlp.conftest import stances


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Lawmakers in Nuuk debated Greenland’s independence on Tuesday.", "greenland"),
        ("A resupply boat was blocked near Ren’ai Jiao, the coast guard said.", "south-china-sea"),
        ("Officials said the leaders’ declaration was agreed overnight.", "multilateral-summits"),
        ("The draft left out Greenland‘s independence, a misturned apostrophe and all.", "greenland"),
    ],
)
def test_a_curly_apostrophe_matches_a_straight_keyword(taxonomy: Taxonomy, text: str, topic: str) -> None:
    matches = [m for m in taxonomy.match(text) if m.topic == topic]
    assert matches, taxonomy.match(text)
    # One character stands for one: the span still reads the text as written.
    assert all(text[m.start : m.end] == m.text and "'" not in m.text for m in matches)


def test_a_curly_apostrophe_inside_an_other_sense_phrase_still_excludes() -> None:
    custom = Taxonomy.from_data(
        [{"id": "fares", "label": "Fares", "keywords": ["fares"], "not_in": ["children's fares"]}]
    )
    assert custom.topics_in("The operator froze children’s fares.") == []
    assert custom.topics_in("The operator froze adult fares.") == ["fares"]


@pytest.mark.parametrize(
    ("text", "actor", "term"),
    [
        ("The People’s Republic of China lodged a complaint.", "CHN", "People’s Republic of China"),
        ("Cote d’Ivoire recalled its envoy.", "CIV", "Cote d’Ivoire"),
        ("The Democratic People’s Republic of Korea fired a missile.", "PRK", "Democratic People’s Republic of Korea"),
    ],
)
def test_a_curly_apostrophe_matches_an_actor_name(text: str, actor: str, term: str) -> None:
    gaz = gazetteer()
    found = [(text[a:b], entry.actor) for a, b, entry in gaz.terms_in(text)]
    assert (term, actor) in found
    assert gaz.lookup(term.replace("’", "'")) == gaz.lookup(term)


def test_a_parliament_named_people_s_assembly_is_no_topic_of_its_own(taxonomy: Taxonomy) -> None:
    # The name of several countries' legislatures (Syria's before and after Assad, North Korea's
    # Supreme People's Assembly): it names neither a transition nor any other subject.
    for text in (
        "Syria holds its first People’s Assembly vote since the war.",
        "North Korea’s Supreme People’s Assembly met in Pyongyang.",
    ):
        assert "syria-transition" not in taxonomy.topics_in(text)


# -- keywords that name a topic's harm (`against`): a stance on the harm is turned toward the topic ------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("GBR", "The ministry rejects torture in all its forms.", "human-rights", "support"),
        ("GBR", "The envoy condemned the torture of detainees in the north.", "human-rights", "support"),
        ("GBR", "The minister said there was no torture in the camps.", "human-rights", "support"),
        ("GBR", "The ministers backed a ban on torture.", "human-rights", "support"),
        ("DEU", "The foreign minister condemned the crackdown on students.", "protests-crackdowns", "support"),
        ("FRA", "The ministry condemned the coup in the capital.", "elections-democracy", "support"),
        ("DEU", "The minister denounced censorship of the press.", "press-freedom", "support"),
        ("UN", "The prosecutor condemned war crimes in the region.", "international-justice", "support"),
        ("EST", "The ministry condemned the cyberattack on its servers.", "cyber-security", "support"),
        ("KOR", "Seoul welcomed talks on denuclearisation.", "north-korea-missiles", "oppose"),
        ("UN", "The agency opposed the aid cuts announced in Washington.", "humanitarian-aid", "support"),
        # a restriction topic: its own keywords under a ban are the topic, a ban on its harm supports it
        ("USA", "Washington backed a ban on nuclear testing.", "arms-control", "support"),
    ],
)
def test_a_stance_on_a_topics_harm_is_turned_toward_the_topic(
    taxonomy: Taxonomy, actor: str, text: str, topic: str, stance: str
) -> None:
    assert stances(text, taxonomy, actor).get(topic) == stance


AID = Taxonomy.from_data([{"id": "aid", "label": "Aid", "keywords": ["foreign aid"], "against": ["aid cuts"]}])


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The minister opposed the aid cuts.", "support"),
        ("The minister backed the aid cuts.", "oppose"),
        ("The minister called for an end to the aid cuts.", "support"),
        ("The minister opposed more foreign aid.", "oppose"),
    ],
)
def test_an_against_phrase_turns_the_cue_and_an_ending_turns_it_back(text: str, stance: str) -> None:
    assert stances(text, AID, "GBR") == {"aid": stance}


def test_a_match_says_whether_it_names_the_topics_harm() -> None:
    found = {(m.text, m.against) for m in AID.match("Foreign aid fell as aid cuts bit.")}
    assert found == {("Foreign aid", False), ("aid cuts", True)}


def test_a_phrase_cannot_be_both_keyword_and_against() -> None:
    with pytest.raises(TaxonomyError, match="both keywords and against: aid cuts"):
        Taxonomy.from_data([{"id": "aid", "label": "Aid", "keywords": ["aid cuts"], "against": ["Aid cuts"]}])


def test_the_scorer_reads_a_gold_target_naming_a_harm_turned(taxonomy: Taxonomy) -> None:
    # The scorer's `named_topic` reads the same data: opposing "the torture of detainees" is
    # support for human-rights, not opposition.
    assert named_topic("the torture of detainees", taxonomy) == ("human-rights", -1)
    gold = GoldStance(
        actor="GBR", topic=None, open_topic="detainee-torture", target="the torture of detainees", stance="oppose"
    )
    article = RawArticle(
        id="a", headline="", body="Nothing was said.", source="t", published_at=datetime(2025, 9, 1, tzinfo=UTC)
    )
    items = [EvalItem(article=article, gold=Gold(statements=[], stances=[gold]))]
    for predicted, credited in (("support", 1), ("oppose", 0)):
        preds = Predictions()
        preds.stances["a"] = {("GBR", "human-rights", predicted)}
        assert score(items, preds, taxonomy=taxonomy).stances.tp == credited
