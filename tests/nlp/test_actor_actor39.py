"""Branch actor39: speakers with a gold actor that were read with none — an organisation's own mission
("UN experts", "Observers from the OSCE"), and an office holder quoted after a lead whose accuser is the
story's own country ("X accuses Y" over "X has accused Y ...")."""

from __future__ import annotations

import pytest

from streams.nlp.extract import FastExtractor
from streams.nlp.parsed import ParsedExtractor
from tests.nlp.conftest import assert_spans, make_article


@pytest.fixture(scope="module")
def extractors():  # noqa: ANN201
    return {"fast": FastExtractor(), "parsed": ParsedExtractor()}


def _actors(ex, body: str, headline: str = "") -> dict[str, str | None]:
    article = make_article(body, headline)
    statements = ex.extract(article)
    assert_spans(article, statements)
    return {s.speaker.name: s.speaker.actor for s in statements}


@pytest.mark.parametrize("which", ["parsed"])  # the fast rules read "the OSCE" alone as the speaker
def test_observers_from_an_organisation_count_as_it(extractors, which):
    body = "Observers from the OSCE said in a statement that polling stations had opened on time."
    got = _actors(extractors[which], body)
    assert got.get("Observers from the OSCE") == "OSCE", got


@pytest.mark.parametrize("which", ["parsed"])
def test_organisation_experts_count_as_it(extractors, which):
    body = "UN experts said in a report that the armed group had recruited hundreds of children last year."
    got = _actors(extractors[which], body)
    assert got.get("UN experts") == "UN", got


@pytest.mark.parametrize("which", ["parsed"])
def test_experts_of_a_country_stay_anonymous(extractors, which):
    body = "Japanese experts said the reactor could be restarted within two years."
    got = _actors(extractors[which], body)
    assert None in got.values() and "JPN" not in got.values(), got


@pytest.mark.parametrize("which", ["parsed"])
def test_office_holder_after_lead_of_the_accuser(extractors, which):
    headline = "Serbia accuses Croatia of blocking a fuel pipeline"
    body = (
        "Serbia has accused Croatia of blocking a fuel pipeline that supplies its only refinery, "
        "deepening a row between the neighbours.\n"
        "Energy Minister Dubravka Novak told reporters in Belgrade that the delay would cost millions."
    )
    got = _actors(extractors[which], body, headline)
    assert got.get("Dubravka Novak") == "SRB", got
