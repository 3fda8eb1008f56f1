"""Open topics: canonical keys of target words, a cue's target, and the stance events they give.

One test per construction, on our own sentences."""

from __future__ import annotations

import pytest

from schemas import StanceEvent
from streams.nlp.open_topics import fuller_key, is_open, lemma, open_key, open_label
from streams.nlp.stance import detect_stances
from tests.nlp.conftest import make_statement


def key(phrase: str) -> str:
    k = open_key(phrase)
    assert k is not None, phrase
    return k.id


def open_events(text: str, taxonomy, actor: str = "CHN", context: str = "") -> dict[str, str]:  # noqa: ANN001
    events = detect_stances(make_statement(text, "Lin Jian", actor, context), taxonomy)
    return {e.topic: e.stance for e in events if e.topic_source == "open"}


# -- keys ---------------------------------------------------------------------------------------


def test_one_subject_in_three_phrasings_has_one_key() -> None:
    phrasings = ["the U.S. arms sale to Taiwan", "sales of American weapons to Taiwan", "US arms sales to Taipei"]
    assert {key(p) for p in phrasings} == {"~arms-sale@TWN-USA"}


def test_a_possessor_right_before_another_actor_is_dropped() -> None:
    assert key("the U.S. arms sales to China's Taiwan region") == key("US arms sales to Taiwan")


def test_words_are_lemmatised_then_mapped_to_their_synonym() -> None:
    assert lemma("allegations") == "allegation" and lemma("policies") == "policy" and lemma("talks") == "talks"
    assert key("the allegations") == key("those accusations") == "~accusation"


def test_only_an_of_complement_brings_its_words_other_phrases_their_actors() -> None:
    assert key("suspension of talks with Moscow") == "~suspension-talks@RUS"
    assert key("the summit in Geneva with Iran") == "~summit@IRN"


def test_a_clause_after_the_head_is_not_part_of_the_key() -> None:
    assert key("claims that Beijing controls the port") == "~accusation"


def test_pronouns_and_a_lone_country_give_no_key() -> None:
    assert open_key("it") is None and open_key("this") is None and open_key("Japan") is None


def test_the_label_is_readable_and_made_from_the_key_alone() -> None:
    k = open_key("US arms sales to Taipei")
    assert k is not None and k.label == open_label(k.id) == "arms sale (Taiwan, United States)"
    assert is_open(k.id) and not is_open("peace-talks")


def test_a_short_target_is_made_fuller_from_the_headline() -> None:
    short = open_key("the tax")
    assert short is not None
    assert fuller_key(short, "Ottawa keeps its digital services tax despite pressure").id == "~digital-service-tax"
    assert fuller_key(short, "Ottawa holds firm").id == "~tax"


# -- cues and targets ----------------------------------------------------------------------------


def test_an_object_cue_takes_the_phrase_after_it(taxonomy) -> None:  # noqa: ANN001
    assert open_events("Beijing condemned the port lease to the consortium.", taxonomy) == {"~lease-port": "oppose"}


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The government denounced the port lease.", "oppose"),
        ("The government slammed the port lease.", "oppose"),
        ("The government praised the port lease.", "support"),
        ("The government hailed the port lease.", "support"),
        ("The government welcomed the port lease.", "support"),
        ("The government endorsed the port lease.", "support"),
        ("The government dismissed the port lease.", "oppose"),
        ("The government will veto the port lease.", "oppose"),
        ("The government called for the port lease.", "support"),
        ("The government warned against the port lease.", "oppose"),
    ],
)
def test_cue_lemmas_give_their_polarity(taxonomy, text: str, stance: str) -> None:  # noqa: ANN001
    assert open_events(text, taxonomy) == {"~lease-port": stance}


def test_concern_over_something_is_opposition_to_it(taxonomy) -> None:  # noqa: ANN001
    assert open_events("Beijing expressed concern over the port lease.", taxonomy) == {"~lease-port": "oppose"}
    assert open_events("Beijing voiced alarm over the port lease.", taxonomy) == {"~lease-port": "oppose"}


def test_calling_a_claim_groundless_opposes_the_claim_not_its_subject(taxonomy) -> None:  # noqa: ANN001
    events = open_events("China called the US accusations groundless.", taxonomy)
    assert events == {"~accusation@USA": "oppose"}


def test_a_predicative_cue_takes_the_subject_before_it(taxonomy) -> None:  # noqa: ANN001
    assert open_events("The port lease is unacceptable.", taxonomy) == {"~lease-port": "oppose"}
    assert open_events("The port lease would be a dangerous mistake.", taxonomy) == {"~lease-port": "oppose"}


def test_a_verb_that_says_what_a_thing_does_takes_its_subject(taxonomy) -> None:  # noqa: ANN001
    assert open_events("The port lease seriously undermines regional stability.", taxonomy) == {"~lease-port": "oppose"}


def test_a_subject_is_found_over_seem_and_appear(taxonomy) -> None:  # noqa: ANN001
    assert open_events("The port lease appeared to violate the charter.", taxonomy) == {"~lease-port": "oppose"}


def test_an_evaluative_adjective_before_a_noun_judges_that_noun(taxonomy) -> None:  # noqa: ANN001
    assert open_events("Manila protested against illegal manoeuvres.", taxonomy, actor="PHL") == {"~exercise": "oppose"}


def test_negation_turns_an_open_stance_around(taxonomy) -> None:  # noqa: ANN001
    assert open_events("Beijing will not back the port lease.", taxonomy) == {"~lease-port": "oppose"}


def test_an_ending_word_before_the_target_turns_the_stance_around(taxonomy) -> None:  # noqa: ANN001
    assert open_events("Beijing called for an end to the port lease.", taxonomy) == {"~lease-port": "oppose"}
    assert open_events("Beijing welcomed the lifting of the port lease.", taxonomy) == {"~lease-port": "oppose"}


def test_an_actor_urged_to_act_hands_over_to_the_verb_phrase(taxonomy) -> None:  # noqa: ANN001
    assert open_events("Beijing urged Washington to stop the port lease.", taxonomy) == {"~lease-port": "oppose"}


def test_modal_and_doing_verbs_take_no_open_topic(taxonomy) -> None:  # noqa: ANN001
    assert open_events("The rules must be respected and we will keep talking.", taxonomy) == {}


def test_a_statement_on_a_taxonomy_topic_is_read_on_it_alone(taxonomy) -> None:  # noqa: ANN001
    events = detect_stances(make_statement("Turkey rejects new sanctions on Russia.", "Fidan", "TUR"), taxonomy)
    assert {e.topic_source for e in events} == {"taxonomy"}


def test_an_open_event_says_where_its_topic_came_from(taxonomy) -> None:  # noqa: ANN001
    (event,) = detect_stances(make_statement("Beijing rejected the port lease.", "Lin Jian", "CHN"), taxonomy)
    assert isinstance(event, StanceEvent) and event.schema_version == 2
    assert (event.topic, event.topic_label, event.topic_source) == ("~lease-port", "lease port", "open")
    assert event.key == "CHN|~lease-port"


def test_a_speaker_without_an_actor_gives_no_open_stance(taxonomy) -> None:  # noqa: ANN001
    assert detect_stances(make_statement("They rejected the port lease.", "officials", None), taxonomy) == []


def test_an_open_event_carries_its_story_like_a_taxonomy_event(taxonomy) -> None:  # noqa: ANN001
    # the tracker knows a repeated story by the content hash (streams/core/duplicates.py): an open
    # event without it was always fresh, so the same story fed twice moved its open pair twice
    said = make_statement("Beijing condemned the port lease to the consortium.", "Lin Jian", "CHN", "")
    said = said.model_copy(update={"article_version": 3, "content_hash": "c0ffee"})
    events = [e for e in detect_stances(said, taxonomy) if e.topic_source == "open"]
    assert events and all((e.article_version, e.content_hash) == (3, "c0ffee") for e in events)


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("the warning", "~warning"),
        ("Washington's warning to Brasilia", "~warning@BRA-USA"),
        ("its signed accord with Quito", "~agreement-signed@ECU"),
        # after a noun they still open a clause
        ("the deal signed in Lima", "~agreement"),
        ("the tariffs, warning of retaliation", "~tariff"),
    ],
)
def test_a_clause_word_after_a_determiner_is_part_of_the_phrase(phrase: str, key: str) -> None:
    got = open_key(phrase)
    assert got is not None and got.id == key


@pytest.mark.parametrize(
    ("text", "actor", "key", "stance"),
    [
        ('Cairo "welcomed" the port lease.', "EGY", "~lease-port", "support"),
        ("The treasury “rejected” the audit of the railway loan.", "KEN", "~audit-loan-railway", "oppose"),
        ("Paris “firmly opposes” the levy on French cheese.", "FRA", "~tariff@FRA", "oppose"),
        ('The minister said "we reject" the port lease.', "LKA", "~lease-port", "oppose"),
    ],
)
def test_a_quoted_cue_still_takes_the_phrase_after_its_closing_mark(taxonomy, text, actor, key, stance) -> None:  # noqa: ANN001
    assert open_events(text, taxonomy, actor=actor) == {key: stance}
