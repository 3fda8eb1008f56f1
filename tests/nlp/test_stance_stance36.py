"""Polarity (issue 13, branch stance36): constructions whose stance came out the wrong way round, or that
gave an event a careful reader would not read at all. Every sentence is our own, written for the
construction (none copied from an article, none from the evaluation sets); each case failed on main.
"""

from __future__ import annotations

from streams.nlp.taxonomy import Taxonomy
from tests.nlp.conftest import stances

DROPS_THE_TAX = "Seoul drops its digital services tax"


def test_an_ending_of_a_topic_the_headline_already_ends_is_turned_once(taxonomy: Taxonomy) -> None:
    # the headline turns the tax ("drops"); the statement's own ending under a support cue tells the same move
    assert stances("the government would introduce legislation to repeal the tax", taxonomy, "KOR", DROPS_THE_TAX) == {
        "digital-taxes": "oppose"
    }
    assert stances("the government would introduce legislation to repeal it", taxonomy, "KOR", DROPS_THE_TAX) == {
        "digital-taxes": "oppose"
    }


def test_an_ending_of_another_thing_under_a_turned_headline_reads_as_before(taxonomy: Taxonomy) -> None:
    # control: the ending's object is no word of the headline's topic, so the headline's turn still counts
    text = "the United States was committed to working to stop the flow of drugs"
    assert stances(text, taxonomy, "USA", "Washington pauses tariffs on Mexico") == {"trade-tariffs": "support"}


def test_a_cue_in_a_relative_clause_after_an_indefinite_pronoun_takes_no_position(taxonomy: Taxonomy) -> None:
    # "not given up anything we needed": "needed" describes the pronoun; the negation is the giving up's
    assert stances("we had not given up anything we needed", taxonomy, "KOR", DROPS_THE_TAX) == {}
    # controls: "all" and "something" before the clause state the speaker's own position
    assert stances("All we want is a ceasefire", taxonomy, "KOR") == {"peace-talks": "support"}
    assert stances("the ceasefire is something we support", taxonomy, "KOR") == {"peace-talks": "support"}


def test_a_named_actor_right_before_the_cue_is_its_subject(taxonomy: Taxonomy) -> None:
    # "as Hungary and Poland reject relocations": their refusal, told, not the Commission's
    text = "the commission proposes a new fund as Hungary and Poland reject relocations"
    assert stances(text, taxonomy, "EU", "EU migration pact") == {"migration-asylum": "support"}


def test_against_after_an_act_names_its_target_not_a_position_on_the_context(taxonomy: Taxonomy) -> None:
    text = "Seoul expects Pyongyang to take concrete action against the smuggling networks"
    assert stances(text, taxonomy, "KOR", "Koreas agree ceasefire talks") == {}


def test_backing_another_thing_first_puts_the_context_topic_off(taxonomy: Taxonomy) -> None:
    # "we want stability first", of an election the headline names: the vote is put off behind stability
    assert stances("We want stability first.", taxonomy, "KOR", "Leaders withhold backing for the election") == {
        "elections-democracy": "oppose"
    }


def test_a_topic_in_an_as_clause_telling_its_own_progress_is_no_object_of_the_cue(taxonomy: Taxonomy) -> None:
    assert "trade-tariffs" not in stances(
        "the ministry will protect farmers as the new tariffs take effect", taxonomy, "IND"
    )
    text = "the minister vowed to restore order as the migrant crossings passed 20,000"
    assert "migration-asylum" not in stances(text, taxonomy, "GBR")


def test_an_as_clause_of_another_verb_and_the_cues_own_object_read_as_before(taxonomy: Taxonomy) -> None:
    text = "the minister hailed a new era as the rebels handed in their weapons under the peace deal"
    assert stances(text, taxonomy, "COL") == {"peace-talks": "support"}
    assert stances("the ministry welcomed the tariffs as they took effect", taxonomy, "IND") == {
        "trade-tariffs": "support"
    }


def test_a_comparative_lower_is_no_ending_cue_of_its_own(taxonomy: Taxonomy) -> None:
    assert stances("the farm lobby was budgeting for lower tariffs in Europe next year", taxonomy, "ARG") == {}
    # controls: the verb, after "to" or a modal
    assert stances("the government plans to lower tariffs on cars", taxonomy, "ARG") == {"trade-tariffs": "oppose"}
    assert stances("we will lower tariffs on cars", taxonomy, "ARG") == {"trade-tariffs": "oppose"}


def test_a_negated_report_tells_no_position(taxonomy: Taxonomy) -> None:
    assert stances("the ministry has not said it would veto the sanctions package", taxonomy, "SVK") == {}
    # control: the negation inside the report is the speaker's position
    text = "the ministry said it would not veto the sanctions package"
    assert stances(text, taxonomy, "SVK") == {"sanctions-russia": "neutral"}


SANCTIONS_HEADLINE = "US imposes sanctions on Russian-owned oil firm"


def test_a_non_opposition_to_a_thing_of_its_own_leaves_the_harm_standing(taxonomy: Taxonomy) -> None:
    text = "the measures would hurt the economy, but he did not oppose talks with Washington on a waiver"
    assert stances(text, taxonomy, "SRB", SANCTIONS_HEADLINE) == {"sanctions-russia": "oppose"}
    # control: alone, the non-opposition is the statement's position on the context's topic
    assert stances("he did not oppose the decision", taxonomy, "SRB", SANCTIONS_HEADLINE) == {
        "sanctions-russia": "neutral"
    }
