"""Another party's act told by the speaker is no position of the speaker's (issue 13, precision side,
branch stance23). Sentences of our own in the styles of agency copy (written for this file, none
copied from the eval set).

The assertions are on the (topic, stance) pairs `detect_stances` gives (`tests/nlp/conftest.py`)."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import stances

# -- a time clause with a subject of its own tells what happened ------------------------------------


def test_a_harm_done_in_an_after_clause_is_no_position(taxonomy) -> None:  # noqa: ANN001
    # the fighters destroyed their rifles: their act, told as the moment the speaker dates a change from
    got = stances(
        "the country had turned a page after the PKK fighters destroyed their rifles at a ceremony near Sulaymaniyah",
        taxonomy,
        "TUR",
    )
    assert "pkk-peace-process" not in got
    # the speaker's own act in such a clause still counts
    got = stances("after we rejected the sanctions package, Brussels changed its tone", taxonomy, "HUN")
    assert got == {"sanctions-russia": "oppose"}


def test_an_act_in_a_since_clause_is_no_position(taxonomy) -> None:  # noqa: ANN001
    # Washington imposed the tariffs; Ottawa only dates the fall in exports from it
    assert (
        stances("exports of steel had fallen sharply since Washington imposed the tariffs in March", taxonomy, "CAN")
        == {}
    )
    # a period that ends its sentence ends the time clause: the next sentence's cue is the speaker's own
    got = stances("The mood changed after the vote. Oslo backed the sanctions on Russia", taxonomy, "NOR")
    assert got == {"sanctions-russia": "support"}


def test_an_act_in_a_when_clause_is_no_open_position(taxonomy) -> None:  # noqa: ANN001
    # "U.S. officials" (an initial's period inside the subject) rejected the relief, not Mexico
    assert stances("the talks broke down when U.S. officials rejected the sanctions relief", taxonomy, "MEX") == {}


# -- a common noun for an organisation, as subject, is that body, not the country speaking -----------


@pytest.mark.parametrize(
    ("country", "organisation", "text"),
    [
        ("BLR", "NATO", "the alliance welcomed the new sanctions on Russia"),
        ("RUS", "EU", "the bloc backed the sanctions on Russia"),
    ],
)
def test_an_organisations_act_told_by_a_country_is_no_position_of_the_country(  # noqa: ANN001
    taxonomy, country, organisation, text
) -> None:
    assert stances(text, taxonomy, country) == {}
    # the organisation speaking of itself keeps its position
    assert stances(text, taxonomy, organisation) == {"sanctions-russia": "support"}


def test_an_organisations_approval_is_not_credited_to_a_critic(taxonomy) -> None:  # noqa: ANN001
    # the alliance's approval is no Russian support for the deployment (before: ~deployment, support)
    got = stances(
        "The alliance approved the deployment on Monday. This is a dangerous step",
        taxonomy,
        "RUS",
        "NATO to station more troops in the Baltic states",
    )
    assert "support" not in got.values()


# -- an unnamed group right before the verb is that verb's subject ----------------------------------


def test_an_unnamed_groups_act_is_no_position_of_the_speakers(taxonomy) -> None:  # noqa: ANN001
    # the diplomats did not condemn the riots; Belgrade regrets it (before: a neutral position on the riots)
    got = stances("voiced regret that some Western diplomats had not condemned the riots", taxonomy, "SRB")
    assert got == {}
    got = stances("the ministry said critics would never welcome the border agreement", taxonomy, "ARM")
    assert got == {}
    # the speaker's own verb is still read
    assert stances("Belgrade condemned the riots", taxonomy, "SRB") == {"~riot": "oppose"}


# -- an adverb after the head ends the target --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Oslo welcomed the proposal warmly", "~plan"),
        ("Oslo welcomed the deal quickly, adding that the details would follow", "~agreement"),
    ],
)
def test_an_adverb_after_the_head_is_no_part_of_the_key(taxonomy, text, key) -> None:  # noqa: ANN001
    assert stances(text, taxonomy, "NOR") == {key: "support"}


def test_details_studied_carefully_name_no_subject(taxonomy) -> None:  # noqa: ANN001
    # "the details" says nothing of which subject (before: ~carefully-detail, neutral)
    assert stances("the minister would study the details carefully before deciding", taxonomy, "JPN") == {}
    # an -ly adjective before its noun stays in the phrase
    assert stances("Paris welcomed the costly reform plan", taxonomy, "FRA") == {"~costly-plan-reform": "support"}


# -- an indefinite noun phrase right before a verb cue is its subject, never the speaker --------------


def test_an_indefinite_subjects_act_is_no_position_of_the_speakers(taxonomy) -> None:  # noqa: ANN001
    # the lorry blocks the motorway; Buenos Aires is against the deal, not the motorway
    got = stances(
        "Buenos Aires would not accept a deal that is rewritten every time a lorry blocks a motorway in Paris",
        taxonomy,
        "ARG",
    )
    assert got == {"~agreement": "oppose"}
    # an army convoy rejected the terms, not Kenya (before: a Kenyan opposition to the ceasefire talks)
    assert stances("the ministry said an army convoy rejected the ceasefire terms", taxonomy, "KEN") == {}
    # a noun after an article is no verb: "a blanket ban" is still what Accra calls for
    assert stances("Accra called for a blanket ban on the exports", taxonomy, "GHA") == {"~ban-blanket": "support"}


# -- a counter-measure vowed takes no open topic on what it defends -----------------------------------


def test_a_counter_measure_defends_no_open_topic(taxonomy) -> None:  # noqa: ANN001
    # before: Vietnam opposed to "its fishermen", the purpose the chain turned
    assert stances("Hanoi will take resolute measures to defend its fishermen", taxonomy, "VNM") == {}
    # the speaker's own verb, with no counter-measure, still reads
    assert stances("Ankara will protect its exporters", taxonomy, "TUR") == {"~exporter": "support"}


def test_all_necessary_measures_is_a_counter_measure(taxonomy) -> None:  # noqa: ANN001
    text = "Ankara will take all necessary measures to protect its exporters"
    # no open topic on "measures" or on the exporters it protects (before: both, support)
    assert stances(text, taxonomy, "TUR") == {}
    # read on the context, it opposes the move it answers (before: support of the tariffs)
    assert stances(text, taxonomy, "TUR", "Turkey vows response to new EU steel tariffs") == {"trade-tariffs": "oppose"}
