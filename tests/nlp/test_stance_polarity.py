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


# -- opposing a harm to a thing, from farther than a chain reaches, backs the thing -----------------


def test_a_cue_on_a_harm_to_the_topic_is_turned(taxonomy) -> None:  # noqa: ANN001
    # the harm ("to undermine", "to sabotage") stands between the cue and the topic it harms
    on_coercion = "Beijing firmly opposes the use of threats and coercion to undermine Belt and Road projects"
    assert stances(on_coercion, taxonomy, "CHN").get("belt-and-road") == "support"
    on_outsiders = "Moscow rejects any attempt by outside powers to sabotage the peace talks"
    assert stances(on_outsiders, taxonomy, "RUS").get("peace-talks") == "support"


def test_a_cue_with_a_topic_before_the_harm_keeps_its_polarity(taxonomy) -> None:  # noqa: ANN001
    # the topic the cue reaches first is its object; a harm beyond it governs another topic
    assert (
        stances("Seoul opposes the tariffs, which it said hurt trade talks", taxonomy, "KOR").get("trade-tariffs")
        == "oppose"
    )
