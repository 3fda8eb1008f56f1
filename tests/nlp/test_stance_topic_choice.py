"""The topic choice between a taxonomy topic and an open topic (issue 13), each construction with
sentences of our own in the styles of agency copy (every one written for this file, none copied).

Each test names the construction; the assertions are on the (topic, stance) pairs `detect_stances` gives."""

from __future__ import annotations

from streams.nlp.open_topics import head_lemma, is_open, open_key
from tests.nlp.conftest import stances

# -- a statement naming no topic, whose cue's object is a change: the change, not the headline's topic --


def test_a_change_the_cue_governs_is_read_on_its_own_key(taxonomy) -> None:  # noqa: ANN001
    headline = "Hungary agrees to reopen Roszke border crossings after week-long standoff"
    read = stances("Belgrade welcomed the reopening and said lorries were already moving", taxonomy, "SRB", headline)
    # reopening a crossing is no support for border defence, the topic the headline names
    assert "border-defence" not in read
    assert read.get(open_key("the reopening").id) == "support"  # type: ignore[union-attr]


def test_a_change_a_subject_cue_judges_is_read_on_its_own_key(taxonomy) -> None:  # noqa: ANN001
    context = "Aid agencies warn of famine as foreign aid cuts deepen across East Africa"
    said = "The agency's chief said the reductions in school meals were unacceptable"
    read = stances(said, taxonomy, "UN", context)
    assert all(is_open(topic) for topic in read)  # neither the famine nor the aid the headline names
    assert read.get(open_key("the reductions in school meals").id) == "oppose"  # type: ignore[union-attr]


def test_a_reversal_of_a_measure_is_its_own_subject(taxonomy) -> None:  # noqa: ANN001
    context = "Pakistan wins IMF programme review, unlocking $1.1 billion tranche"
    read = stances("The Fund warned against any rollback of the new sales tax", taxonomy, "IMF", context)
    assert "imf-debt" not in read  # the programme itself is not what the Fund warned against
    assert read.get(open_key("any rollback of the new sales tax").id) == "oppose"  # type: ignore[union-attr]


def test_a_headline_that_turns_its_topic_already_reads_the_change(taxonomy) -> None:  # noqa: ANN001
    # "suspends" turns inspections around in the headline: defending the suspension opposes them
    headline = "Iran suspends cooperation with IAEA inspectors after strikes"
    read = stances("Tehran defended the suspension as a lawful response", taxonomy, "IRN", headline)
    assert read.get("nuclear-inspections") == "oppose"


def test_an_object_that_is_no_change_keeps_the_headline_topic(taxonomy) -> None:  # noqa: ANN001
    # growth and plain things ("the increase", "the decision") are what topics name: read as before
    headline = "OPEC+ agrees larger output increase for October"
    read = stances("Moscow welcomed the increase as good for the market", taxonomy, "RUS", headline)
    assert read.get("opec-oil-output") == "support"


def test_the_head_of_a_phrase_is_its_last_word_before_a_preposition() -> None:
    assert head_lemma("any reversal of tax measures") == "reversal"
    assert head_lemma("the reductions in humanitarian budgets") == "reduction"
    assert head_lemma("the planned aid cuts") == "cut"
    assert head_lemma("the") is None


# -- a keyword that only modifies a more specific head: the head's topic ------------------------------


def test_human_rights_before_convention_names_the_convention(taxonomy) -> None:  # noqa: ANN001
    # "human rights" modifies "convention": the ECHR, not human rights at large
    read = stances("Oslo said it would never leave the human rights convention", taxonomy, "NOR")
    assert "human-rights" not in read
    assert read.get("echr") == "support"  # never leaving it backs it
    headline = "Conservative leader pledges to quit rights convention if elected"
    on_the_plan = stances("The justice secretary said the plan was dangerous", taxonomy, "GBR", headline)
    assert on_the_plan.get("echr") == "support"  # the plan is to leave: opposing it backs the convention


# -- a headline topic that only modifies a claim noun is the claim's, not the statement's ----------------


def test_a_headline_topic_modifying_a_claim_is_not_the_statements_topic(taxonomy) -> None:  # noqa: ANN001
    headline = "Kigali dismisses UN torture allegations, signs security pact with Nairobi"
    said = "Rwanda remained committed to its partnership with Kenya"
    read = stances(said, taxonomy, "RWA", headline)
    assert "human-rights" not in read  # the torture is what the allegations say, not what Rwanda backs
    assert read.get(open_key("its partnership with Kenya").id) == "support"  # type: ignore[union-attr]
    # scare quotes around the topic change nothing
    quoted = stances(said, taxonomy, "RWA", "Kigali dismisses UN ‘torture’ claims")
    assert "human-rights" not in quoted


def test_a_headline_topic_that_is_no_claims_modifier_is_still_read(taxonomy) -> None:  # noqa: ANN001
    said = "Canada remained committed to that course"
    assert stances(said, taxonomy, "CAN", "Ottawa readies tariffs on U.S. steel").get("trade-tariffs") == "support"
    # the same topic as the modifier of a claim noun: the rumours are the headline's subject
    assert "trade-tariffs" not in stances(said, taxonomy, "CAN", "Ottawa dismisses tariff rumours ahead of talks")


def test_a_topic_modifying_a_claim_in_the_statement_takes_no_cue(taxonomy) -> None:  # noqa: ANN001
    # scare quotes hide the claim from the cue's target; the mention still only modifies "allegations"
    assert "human-rights" not in stances("Kigali rejects UN ‘torture’ allegations", taxonomy, "RWA")
    assert "trade-tariffs" not in stances("Ottawa dismisses ‘tariff’ rumours as speculation", taxonomy, "CAN")
    # the same topic as the object itself is read as before
    assert stances("Ottawa rejects the new steel tariffs", taxonomy, "CAN").get("trade-tariffs") == "oppose"
