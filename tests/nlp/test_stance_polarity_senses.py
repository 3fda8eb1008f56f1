"""Polarity of a stance where a word between the cue and the topic turns it (issue 13's "wrong polarity"
false positives and the spurious reversals they make), each with sentences of our own in the styles of
agency copy (every one written for this file, none copied).

Each test names the construction; the assertions are on the (topic, stance) pairs `detect_stances` gives."""

from __future__ import annotations

from tests.nlp.conftest import stances

# -- a statement read on its context's topic: a cue on an ending of it is turned ---------------------

BAILOUT_CONTEXT = "IMF staff reach agreement on Zambia bailout review"


def test_warning_against_a_reversal_backs_the_context_topic(taxonomy) -> None:  # noqa: ANN001
    # the statement names no topic: it is read on the bailout its context names
    warned = "The fund warned against any reversal of revenue measures before the budget"
    assert stances(warned, taxonomy, "IMF", BAILOUT_CONTEXT).get("imf-debt") == "support"
    opposed = "The lender opposes a suspension of the reforms agreed in June"
    assert stances(opposed, taxonomy, "IMF", BAILOUT_CONTEXT).get("imf-debt") == "support"


def test_calling_for_an_end_opposes_the_context_topic(taxonomy) -> None:  # noqa: ANN001
    called = "The finance minister called for an end to the austerity the lender had demanded"
    assert stances(called, taxonomy, "ZMB", BAILOUT_CONTEXT).get("imf-debt") == "oppose"


def test_a_cue_without_an_ending_keeps_its_polarity_on_the_context_topic(taxonomy) -> None:  # noqa: ANN001
    # the control: no ending word, the cue stands for the context's topic as it is
    assert stances("The fund welcomed the reforms", taxonomy, "IMF", BAILOUT_CONTEXT).get("imf-debt") == "support"
    # an ending beyond the cue's clause is not its object
    later = "The fund welcomed the reforms, but the unions said they wanted an end to the levy"
    assert stances(later, taxonomy, "IMF", BAILOUT_CONTEXT).get("imf-debt") == "support"
