"""Polarity of stance cues in wire reporting (issue 13's "wrong polarity" false positives), each with
sentences of our own in the styles of agency copy (every one written for this file, none copied).

Each test names the construction; the assertions are on the (topic, stance) pairs `detect_stances` gives."""

from __future__ import annotations

from tests.nlp.conftest import stances

# -- "premature": acting now is opposed, not a position short of one ---------------------------------


def test_calling_a_step_premature_opposes_it(taxonomy) -> None:  # noqa: ANN001
    # predicative, on the act the subject names
    said_of_signing = stances("Paris said signing the Mercosur deal this month would be premature", taxonomy, "FRA")
    assert said_of_signing.get("trade-deals") == "oppose"
    # attributive, before the thing it judges
    said_of_the_pact = stances("a premature trade agreement with the bloc would hurt farmers", taxonomy, "DEU")
    assert said_of_the_pact.get("trade-deals") == "oppose"
