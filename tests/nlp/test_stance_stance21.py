"""Reported acts and their objects (issue 13, branch stance21): a pronoun object of a naming verb
("described it as a reckless provocation", "calling them a step in the right direction") is read as
the object of the last cue before it, in the statement or in the sentence before it in its paragraph,
where the reporter narrated the act ("Sweden, Finland and NATO all condemned the drone strike"). Every
sentence is our own (none copied from an article)."""

from __future__ import annotations

from streams.nlp.open_topics import open_key
from streams.nlp.stance import detect_stances, preceding_words, resolve_pronoun_object
from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import make_statement, pipeline_stances

NARRATED = "Sweden, Finland and NATO all condemned the drone strike on the harbour. NATO chief Mark Rutte "
PEACE_HEADLINE = "Harbour attack clouds Arctic ceasefire talks"


def _read(text: str, taxonomy: Taxonomy, actor: str, preceding: str, context: str = "") -> dict[str, str]:
    statement = make_statement(text, "Spokesperson", actor, context)
    return {e.topic: e.stance for e in detect_stances(statement, taxonomy, preceding=preceding)}


def _key(phrase: str) -> str:
    key = open_key(phrase)
    assert key is not None
    return key.id


def test_a_pronoun_after_a_naming_verb_is_the_object_narrated_the_sentence_before(taxonomy: Taxonomy) -> None:
    found = _read("described it as a reckless provocation that endangered civilians", taxonomy, "NATO", NARRATED)
    assert found == {_key("the drone strike on the harbour"): "oppose"}


def test_a_resolved_pronoun_is_not_read_on_the_headline_topic(taxonomy: Taxonomy) -> None:
    found = _read("described it as a dangerous escalation", taxonomy, "NATO", NARRATED, PEACE_HEADLINE)
    assert "peace-talks" not in found
    assert found.get(_key("the drone strike on the harbour")) == "oppose"


def test_a_resolved_pronoun_takes_the_taxonomy_topic_its_antecedent_names(taxonomy: Taxonomy) -> None:
    preceding = "The Dutch government on Monday welcomed the new sanctions on Russia, "
    found = _read("calling them a step in the right direction", taxonomy, "NLD", preceding, PEACE_HEADLINE)
    assert found == {"sanctions-russia": "support"}


def test_the_antecedent_may_stand_in_the_statement_itself() -> None:
    text = "rejected the new port levy, branding it a scam"
    assert resolve_pronoun_object(text) == "rejected the new port levy, branding the new port levy a scam"


def test_the_event_quotes_the_words_said_not_the_resolved_ones(taxonomy: Taxonomy) -> None:
    statement = make_statement("described it as a reckless provocation", "Mark Rutte", "NATO")
    events = detect_stances(statement, taxonomy, preceding=NARRATED)
    assert [e.evidence for e in events] == ["described it as a reckless provocation"]


def test_preceding_words_reach_back_one_sentence_within_the_paragraph() -> None:
    body = "Ships left port at dawn. Oslo condemned the raid on the depot. The minister described it as a disgrace."
    at = body.index("described")
    assert preceding_words(body, at) == "Oslo condemned the raid on the depot. The minister "
    paragraphs = "Oslo condemned the raid on the depot.\nThe minister described it as a disgrace."
    assert preceding_words(paragraphs, paragraphs.index("described")) == "The minister "


def test_a_step_towards_a_thing_backs_it(taxonomy: Taxonomy) -> None:
    found = _read("the accord was a first step towards a ceasefire", taxonomy, "TUR", "")
    assert found == {"peace-talks": "support"}


def test_the_pipeline_reads_a_pronoun_object_against_the_article(taxonomy: Taxonomy) -> None:
    body = (
        "OSLO, May 3 (Agency) - A drone struck a fishing harbour in northern Norway overnight, officials said.\n"
        "Sweden, Finland and NATO all condemned the drone strike on the harbour. NATO Secretary General "
        "Mark Rutte described it as a reckless provocation that endangered civilians."
    )
    found = pipeline_stances(body, "Drone hits Norwegian harbour", taxonomy)
    assert found == {("NATO", _key("the drone strike"), "oppose")}


def _events(text: str, taxonomy: Taxonomy, actor: str) -> set[tuple[str, str, str]]:
    return {(e.actor, e.topic, e.stance) for e in detect_stances(make_statement(text, "Ministry", actor), taxonomy)}


def test_a_joint_act_of_the_speakers_side_is_each_actors_stance(taxonomy: Taxonomy) -> None:
    text = "Armenia and Azerbaijan have agreed to a ceasefire along their shared border"
    assert _events(text, taxonomy, "ARM") == {("ARM", "peace-talks", "support"), ("AZE", "peace-talks", "support")}
    assert _events(text, taxonomy, "TUR") == set()  # a third party's report stays no one's position


def test_the_speaker_may_stand_anywhere_in_the_coordinated_subject(taxonomy: Taxonomy) -> None:
    text = "Azerbaijan, Georgia and Armenia agreed to a ceasefire"
    assert {actor for actor, _topic, _stance in _events(text, taxonomy, "ARM")} == {"ARM", "AZE", "GEO"}


def test_a_later_sentence_of_a_joint_statement_is_the_speakers_own(taxonomy: Taxonomy) -> None:
    text = "Armenia and Azerbaijan agreed to a ceasefire. Yerevan also backed new sanctions on Russia."
    found = _events(text, taxonomy, "ARM")
    assert ("AZE", "peace-talks", "support") in found
    assert ("ARM", "sanctions-russia", "support") in found
    assert ("AZE", "sanctions-russia", "support") not in found


def test_each_joint_actor_has_its_own_event_id(taxonomy: Taxonomy) -> None:
    statement = make_statement("Armenia and Azerbaijan agreed to a ceasefire", "Ministry", "ARM")
    events = detect_stances(statement, taxonomy)
    assert len(events) == 2 and len({e.id for e in events}) == 2
    possessive = make_statement("Armenia and Azerbaijan's ceasefire talks are welcome", "Ministry", "ARM")
    assert {e.actor for e in detect_stances(possessive, taxonomy)} <= {"ARM"}
