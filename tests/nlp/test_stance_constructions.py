"""Stance constructions of wire reporting that issue 13's eval misses came from, each with sentences of
our own in the styles of agency copy (every one written for this file, none copied).

Each test names the pattern; the assertions are on the (topic, stance) pairs `detect_stances` gives."""

from __future__ import annotations

import pytest

from streams.nlp.stance import sentence_spans
from tests.nlp.conftest import stances

# -- a period after an initial or an abbreviation ends no sentence ----------------------------------


def test_initials_and_abbreviations_do_not_split_a_sentence() -> None:
    text = "Mr. Lin said the U.S. move was wrong. Gen. Park disagreed; the talks went on."
    assert [text[a:b].strip() for a, b in sentence_spans(text)] == [
        "Mr. Lin said the U.S. move was wrong.",
        "Gen. Park disagreed;",
        "the talks went on.",
    ]


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        # the cue before "U.S." and the subject after it are one clause
        ("CHN", "Beijing firmly opposes the U.S. arms sales to Taipei", "~arms-sale@TWN-USA", "oppose"),
        ("MEX", "Mexico rejects the U.S. strikes on boats off its Pacific coast", "us-strikes-drug-boats", "oppose"),
        ("CHN", "the ministry condemned the U.K. sanctions on Chinese firms", "~sanction@CHN-GBR", "oppose"),
    ],
)
def test_a_cue_reaches_its_target_across_an_abbreviation(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


# -- what the speaker calls a thing: evaluative nouns -----------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("COL", "Petro described the strike as murder", "~strike", "oppose"),
        ("USA", 'the envoy called the climate talks "a scam" run by lobbyists', "climate-agreements", "oppose"),
        # the possessor names the subject's owner; the judgement is still the speaker's
        ("URY", 'the minister said the Commission\'s decision was "excellent news"', "~decision@EU", "support"),
        ("GHA", "the finance minister called the IMF review a milestone", "imf-debt", "support"),
    ],
)
def test_an_evaluative_noun_judges_the_subject_it_names(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


def test_a_subject_cue_judges_another_actors_claim_as_the_speakers_own_position(taxonomy) -> None:  # noqa: ANN001
    # "groundless" opposes the claim (and so its maker), even when the maker opens the clause
    assert stances("the US accusations against Chinese firms are groundless", taxonomy, "CHN") == {
        "~accusation@CHN-USA": "oppose"
    }
    assert stances("Russia's demands were unacceptable", taxonomy, "UKR") == {"~demand@RUS": "oppose"}


def test_a_judging_verb_ends_the_subject_before_a_subject_cue(taxonomy) -> None:  # noqa: ANN001
    # "rejected the remark as irresponsible": the subject is the remark, not "rejected the remark"
    assert stances("Seoul rejected the remark as irresponsible", taxonomy, "KOR") == {"~remark": "oppose"}
    assert stances("the embassy dismissed the report as a hoax", taxonomy, "RUS") == {"~report": "oppose"}


# -- going ahead with a thing, or back to it -------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("CAN", "Ottawa would press ahead with retaliatory tariffs on U.S. steel", "trade-tariffs", "support"),
        ("IRN", "Tehran was ready to resume inspections at its enrichment sites", "nuclear-inspections", "support"),
        ("PAK", "Islamabad would stick to the ceasefire, the minister added", "peace-talks", "support"),
    ],
)
def test_going_ahead_or_resuming_supports_the_thing(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


# -- outside what may be discussed; a negated judgement ---------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("FRA", "the status of the island is not up for discussion", "~island-status", "oppose"),
        ("DNK", 'the sovereignty of the territory was "non-negotiable"', "~sovereignty-territory", "oppose"),
        ("MYS", "the poll could not be credible while the fighting went on", "~election", "oppose"),
        ("IDN", "More checkpoints are not a solution", "~checkpoint", "oppose"),
    ],
)
def test_a_thing_ruled_out_or_judged_not_credible_is_opposed(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


# -- explicit non-committal positions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("ASEAN", "the bloc took note of the military government's election plans", "elections-democracy"),
        ("CHN", "Beijing abstained on the resolution on the gang suppression force", "haiti-gangs"),
        (
            "UN",
            "the mission would not comment on the election results before they were certified",
            "elections-democracy",
        ),
    ],
)
def test_taking_note_abstaining_or_declining_comment_is_neutral(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == "neutral"


def test_a_participle_after_the_head_opens_a_clause_that_is_not_the_subject(taxonomy) -> None:  # noqa: ANN001
    # "a vote held in ...": the key is the vote, not the words of the clause after it
    assert stances("a vote held in the middle of a civil war could not be credible", taxonomy, "MYS") == {
        "~election": "oppose"
    }
    assert stances("Ankara welcomed the accord signed in Doha on Sunday", taxonomy, "TUR") == {"~agreement": "support"}


# -- signing, and words that undo a thing ----------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("BRA", "Brasilia will not sign the EU-Mercosur trade agreement in its amended form", "trade-deals", "oppose"),
        ("URY", 'Montevideo was "ready to sign" the Mercosur agreement this year', "trade-deals", "support"),
    ],
)
def test_refusing_to_sign_opposes_and_readiness_to_sign_supports(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("IMF", "the fund warned against any reversal of the IMF programme's tax measures", "imf-debt", "support"),
        ("CAN", "Ottawa would rescind its digital services tax before the first payments", "digital-taxes", "oppose"),
        ("USA", "the White House welcomed the decision to drop the digital services tax", "digital-taxes", "oppose"),
    ],
)
def test_undoing_words_turn_the_stance_on_a_thing_around(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


def test_a_headline_that_drops_a_thing_turns_the_fallback_topic_around(taxonomy) -> None:  # noqa: ANN001
    context = "Canada drops digital services tax to restart trade talks with U.S."
    assert stances('the decision was "the right call"', taxonomy, "USA", context) == {"digital-taxes": "oppose"}


# -- a cue chain stops at the topic its head governs -----------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        (
            "IRN",
            "Tehran was ready to allow inspections to resume under the framework",
            "nuclear-inspections",
            "support",
        ),
        ("HUN", "Budapest would block sanctions on Russia to protect its energy supply", "sanctions-russia", "oppose"),
    ],
)
def test_a_chain_of_cues_does_not_swallow_the_topic_between_them(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


# -- judgements of a decision ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        ("RUS", 'the decision was "balanced and prudent"', "~decision", "support"),
        (
            "WHO",
            "the director-general called the pandemic agreement a victory for public health",
            "health-pandemics",
            "support",
        ),
        ("RUS", "Moscow regarded the restored sanctions on Iran as null and void", "iran-sanctions", "oppose"),
        ("RUS", "Moscow would not implement the restored sanctions on Iran", "iran-sanctions", "oppose"),
    ],
)
def test_a_decision_judged_sound_or_void(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


def test_ruling_out_opposes_and_refusing_to_rule_out_supports(taxonomy) -> None:  # noqa: ANN001
    assert stances("Paris ruled out sending troops to Ukraine", taxonomy, "FRA") == {"foreign-troops-ukraine": "oppose"}
    assert stances("Washington refused to rule out sending troops to Ukraine", taxonomy, "USA") == {
        "foreign-troops-ukraine": "support"
    }


# -- a cue on a claim is a stance on the claim, not on what the claim is about -----------------------


@pytest.mark.parametrize(
    ("actor", "text", "context"),
    [
        (
            "CHN",
            "Beijing rejected accusations that its firms were selling drone parts to Moscow",
            "Wang Yi urges peace talks",
        ),
        ("PAK", "Islamabad dismissed the charge as propaganda", "India and Pakistan agree ceasefire"),
        ("RUS", "the embassy called the reports of troop movements groundless", "Finland closes border crossings"),
    ],
)
def test_a_cue_on_a_claim_leaves_the_headline_topic_alone(taxonomy, actor, text, context) -> None:  # noqa: ANN001
    got = stances(text, taxonomy, actor, context)
    assert got and set(got.values()) == {"oppose"}
    assert all(topic.startswith("~") for topic in got), got  # the claim's key, not peace-talks or border-defence


def test_a_cue_on_a_claim_leaves_the_topic_the_claim_names_alone(taxonomy) -> None:  # noqa: ANN001
    # the claim's own clause names a taxonomy topic: the cue is still on the claim
    assert stances("the ministry rejected claims that Beijing runs the Panama Canal", taxonomy, "CHN") == {
        "~accusation": "oppose"
    }
    # beside another cue that reads a taxonomy topic, the claim keeps its own key
    got = stances("Ankara dismissed reports of new sanctions on Russia and backed the peace talks", taxonomy, "TUR")
    assert got == {"~report-sanction@RUS": "oppose", "peace-talks": "support"}


def test_the_words_of_a_claim_are_no_position_of_the_speakers(taxonomy) -> None:  # noqa: ANN001
    # "join" is the claim's content, up to the "and" that starts the speaker's own next act
    got = stances(
        "Ankara dismissed reports that it would join the sanctions on Russia and backed the peace talks",
        taxonomy,
        "TUR",
    )
    assert got == {"~report": "oppose", "peace-talks": "support"}


# -- figures, forecasts and warnings are claims too -------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "context"),
    [
        ("ISR", "the defence ministry rejected the agency's casualty figures", "Aid convoys stall at Gaza crossings"),
        ("OPEC", "the group disputed the agency's demand outlook", "OPEC+ agrees to raise oil output again"),
        ("HUN", "the government spokesman dismissed the index as biased", "Press freedom falls across Europe"),
    ],
)
def test_figures_forecasts_and_indexes_are_claims(taxonomy, actor, text, context) -> None:  # noqa: ANN001
    got = stances(text, taxonomy, actor, context)
    assert got and set(got.values()) == {"oppose"}
    assert all(topic.startswith("~") for topic in got), got  # the claim's key, not the headline's topic


def test_disputing_is_opposition() -> None:
    from streams.nlp.stance import cue_hits

    assert [h.weight < 0 for h in cue_hits("Moscow disputes the findings")] == [True]


# -- a verb cue that is also a noun: "the damage", "trade disputes" ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The extent of the damage to the frigate is still being assessed",
        "the vessel suffered serious damage to its hull",
        "the trade disputes between the two capitals are decades old",
        "the agency cut its demand outlook",
    ],
)
def test_a_cue_noun_names_a_thing_and_takes_no_position(text) -> None:  # noqa: ANN001
    from streams.nlp.stance import cue_hits

    assert cue_hits(text) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("the levies would damage growth", "damage"),
        ("Lisbon disputes the figures", "disputes"),
        ("they dispute the figures", "dispute"),
        ("the measures won't damage ties", "damage"),  # found, then negated
        ("the unions demanded an end to the quotas", "demanded"),
    ],
)
def test_the_same_word_after_a_subject_or_an_auxiliary_is_the_verb_cue(text, word) -> None:  # noqa: ANN001
    from streams.nlp.stance import cue_hits

    assert word in [h.text for h in cue_hits(text)]


# -- denying an act: no position on what the act touches --------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "context"),
    [
        ("CHN", "the spokesman denied ramming the supply vessel", "Manila says Chinese ship rammed its boat"),
        ("RWA", "Kigali denies backing the rebels", "Congo accuses Rwanda of stalling peace deal"),
        ("RUS", "the ministry denied targeting Polish territory", "NATO to bolster eastern flank"),
    ],
)
def test_denying_an_act_is_no_stance(taxonomy, actor, text, context) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor, context) == {}


def test_denying_a_claim_still_opposes_it(taxonomy) -> None:  # noqa: ANN001
    got = stances("the embassy denied the reports", taxonomy, "RUS", "Finland closes border crossings")
    assert set(got.values()) == {"oppose"}


def test_a_four_letter_cue_is_found_in_its_other_forms() -> None:
    from streams.nlp.stance import cue_hits

    # "deny" is indexed under "den", so "denied" and "denies" reach its pattern
    assert [h.text for h in cue_hits("Ankara denied the report and denies the rest")] == ["denied", "denies"]


def test_a_denial_reaches_only_its_own_clause(taxonomy) -> None:  # noqa: ANN001
    text = "the spokesman denied sheltering the fighters and called for an end to the border closure"
    got = stances(text, taxonomy, "AFG", "Pakistan keeps its border crossings shut")
    assert got == {"border-defence": "oppose"}  # the call is read; the denial takes no position


# -- a fresh start, and the highest praise a vote gets -----------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("BGD", "the coming election would be the freest and fairest the country has held", "elections-democracy"),
        ("MWI", "the president promised a free and fair election in September", "elections-democracy"),
        ("EU", "the commissioner said the UK-EU reset had turned a page", "uk-eu-relations"),
        ("GBR", "the minister said the SPS agreement opened a new chapter with Brussels", "uk-eu-relations"),
    ],
)
def test_praise_of_a_vote_or_a_fresh_start_supports_it(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == "support"


# -- no A without B: the condition is what the speaker asks for --------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("FJI", "the islands could not sign a text without a timetable for fossil fuels", "fossil-fuels-transition"),
        ("UKR", "Kyiv would not sign any plan without security guarantees", "security-guarantees-ukraine"),
    ],
)
def test_a_refusal_without_a_thing_supports_that_thing(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    got = stances(text, taxonomy, actor)
    assert got.get(topic) == "support"


# -- an object cue with an object of its own does not reach back to a topic before it ----------------


def test_an_object_cue_with_its_own_object_leaves_the_topic_before_it(taxonomy) -> None:  # noqa: ANN001
    text = "new tariffs took effect on Monday and the minister urged both sides to keep talking"
    assert "trade-tariffs" not in stances(text, taxonomy, "CAN")


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        # a pronoun object stands for the topic before it
        ("DEU", "sanctions on Russia were announced and the chancellor backed them", "sanctions-russia"),
        # a modal's words are the subject's own verb phrase
        ("UKR", "the ceasefire must hold", "peace-talks"),
        # a clause word after the cue is no object ("stay until ...")
        ("USA", "the tariffs will stay until Ottawa moves on dairy", "trade-tariffs"),
    ],
)
def test_a_cue_without_an_object_of_its_own_takes_the_topic_before_it(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == "support"


# -- an intent denied, a pressure resisted, a duty stated ---------------------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        # denying a plan to lower, leave or lift a thing supports the thing
        ("USA", "Washington has no plans to lower the tariffs on Canadian steel", "trade-tariffs", "support"),
        # "cut" lowers a thing as "lower" does: refusing to cut a duty keeps it
        ("IND", "New Delhi is not ready to cut duties on imported dairy", "trade-tariffs", "support"),
        ("IRN", "Tehran has no plan to quit the arms control treaty", "arms-control", "support"),
        # giving way, negated, opposes what presses
        ("GHA", "the government will not bow to pressure from the lenders", "~pressure", "oppose"),
        # a duty is a position like "must"
        ("UN", "member states are obliged to fund the peacekeeping mission", "peacekeeping-missions", "support"),
    ],
)
def test_a_denied_intent_a_resisted_pressure_and_a_duty(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


# -- granting permission for a thing, and keeping to an agreement -----------------------------------


@pytest.mark.parametrize(
    ("actor", "text", "topic", "stance"),
    [
        # a licence or permit for a thing lets it go ahead; refusing one stops it
        ("NOR", "Oslo will not award any licences for seabed mining before 2029", "deep-sea-mining", "oppose"),
        ("PNG", "the minister said it had granted permits for deep-sea mining", "deep-sea-mining", "support"),
        ("CHL", "Santiago would not grant new lithium mining licences", "resource-nationalism", "oppose"),
        # honouring an agreement is keeping to it
        ("ALB", "Tirana would honour its agreement with Rome for as long as Rome wanted", "~agreement@ITA", "support"),
        ("KEN", "Nairobi said it would not honor the swap signed by the previous government", "~swap", "oppose"),
    ],
)
def test_granting_permission_or_honouring_an_agreement_supports_it(taxonomy, actor, text, topic, stance) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == stance


@pytest.mark.parametrize(
    ("actor", "text", "topic"),
    [
        ("FRA", "the president said recognition was the only way to bring lasting calm", "~recognition"),
        ("ETH", "Addis Ababa said the dam was the only way to light every home in the country", "nile-dam"),
    ],
)
def test_the_only_way_supports_what_it_names(taxonomy, actor, text, topic) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, actor).get(topic) == "support"


# -- a clause word after a determiner is a noun: "the warning", "its signed accord" -----------------


@pytest.mark.parametrize(
    ("actor", "text", "context"),
    [
        ("ZAF", "the presidency dismissed the warning", "G20 summit opens without the United States"),
        ("BRA", "Brasilia rejected Washington's warning about the court", "Brazil's court convicts former president"),
        ("KEN", "the treasury dismissed a warning from the lenders", "Kenya swaps its loans into yuan"),
    ],
)
def test_a_warning_named_by_a_determiner_is_a_claim(taxonomy, actor, text, context) -> None:  # noqa: ANN001
    got = stances(text, taxonomy, actor, context)
    assert got and set(got.values()) == {"oppose"}
    assert all(topic.startswith("~") and "warning" in topic for topic in got), got  # the warning's key
