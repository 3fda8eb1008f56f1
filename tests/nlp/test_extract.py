"""One test per attribution pattern of the fast extractor, on sentences written for the purpose."""

from __future__ import annotations

import hashlib

import pytest

from streams.nlp.extract import Extractor, FastExtractor
from tests.nlp.conftest import make_article


@pytest.fixture
def run(extractor, check_spans):
    def _run(body: str, headline: str = ""):
        article = make_article(body, headline)
        statements = extractor.extract(article)
        check_spans(article, statements)
        return statements

    return _run


def test_protocol_and_name(extractor):
    assert isinstance(extractor, Extractor)
    assert FastExtractor.name == "fast"


def test_quote_then_name_said(run):
    (s,) = run('"We will never accept foreign soldiers on our soil," Lavrov said on Tuesday.')
    assert (s.kind, s.speaker.name, s.speaker.actor, s.verb) == ("direct", "Sergei Lavrov", "RUS", "said")
    assert s.text == "We will never accept foreign soldiers on our soil"


def test_said_then_colon_quote_curly(run):
    (s,) = run("Turkish Foreign Minister Hakan Fidan said: “Ankara is ready to host the next round of talks.”")
    assert s.kind == "direct"
    assert s.speaker.name == "Hakan Fidan"
    assert s.speaker.actor == "TUR"
    assert s.speaker.role == "foreign minister"
    assert s.text == "Ankara is ready to host the next round of talks."


def test_inverted_said_with_appositive(run):
    (s,) = run(
        '"The New START treaty is effectively dead and we see no reason to revive it," said Sergei Ryabkov, '
        "Russia's deputy foreign minister."
    )
    assert s.speaker.name == "Sergei Ryabkov"
    assert s.speaker.role == "deputy foreign minister"
    assert s.speaker.actor == "RUS"


def test_appositive_before_verb(run):
    (s,) = run("Sergei Ryabkov, Russia's deputy foreign minister, said that Moscow would not resume inspections.")
    assert (s.kind, s.speaker.name, s.speaker.actor) == ("indirect", "Sergei Ryabkov", "RUS")
    assert s.text == "Moscow would not resume inspections."


def test_title_before_name_gives_actor(run):
    (s,) = run("French president Emmanuel Macron stated that Europe must spend more on defence.")
    assert (s.speaker.name, s.speaker.role, s.speaker.actor) == ("Emmanuel Macron", "president", "FRA")
    assert s.text == "Europe must spend more on defence."


def test_trailing_attribution_indirect(run):
    (s,) = run("Kyiv will need air defence systems before winter, the Ukrainian foreign ministry said.")
    assert s.kind == "indirect"
    assert s.speaker.actor == "UKR"
    assert s.speaker.organisation == "foreign ministry"
    assert s.text == "Kyiv will need air defence systems before winter"


def test_according_to_person_and_channel(run):
    (s,) = run("According to Polish Prime Minister Donald Tusk, the eastern border will be closed to all trade.")
    assert (s.speaker.name, s.speaker.actor, s.verb) == ("Donald Tusk", "POL", "according to")
    assert s.text == "the eastern border will be closed to all trade."
    assert run("According to Reuters, the summit will be held in Geneva next month.") == []


def test_channel_is_never_speaker(run):
    statements = run(
        "Hungary will not block the package, Foreign Minister Peter Szijjarto told the PAP news agency. "
        "Reuters reported that the vote was delayed."
    )
    assert [s.speaker.name for s in statements] == ["Peter Szijjarto"]
    assert statements[0].channel == "PAP"
    assert statements[0].speaker.actor == "HUN"


def test_citing_source_with_channel(run):
    (s,) = run("Reuters reported, citing two EU diplomats, that the sanctions package would be delayed.")
    assert s.speaker.name == "two EU diplomats"
    assert s.speaker.actor is None


def test_anonymous_source(run):
    (s,) = run("The talks could resume next week, diplomats said.")
    assert (s.speaker.name, s.speaker.actor) == ("diplomats", None)
    assert s.confidence < 0.6
    (s,) = run("People familiar with the matter said the deal was close.")
    assert s.speaker.actor is None
    assert s.text == "the deal was close."


def test_pronoun_resolution_by_gender(run):
    statements = run(
        "German Chancellor Friedrich Merz met EU foreign policy chief Kaja Kallas in Berlin. "
        "She said that Europe would keep up the pressure on Moscow. "
        "He added that Germany would send more air defence systems."
    )
    assert [(s.speaker.name, s.speaker.actor) for s in statements] == [
        ("Kaja Kallas", "EU"),
        ("Friedrich Merz", "DEU"),
    ]


def test_unresolvable_pronoun_gives_nothing(run):
    assert run("She said that the border would stay closed for months.") == []


def test_bare_surname_inherits_role_and_actor(run):
    statements = run(
        "Kremlin spokesman Dmitry Peskov met reporters on Monday. Peskov said the proposal was not serious."
    )
    (s,) = statements
    assert (s.speaker.name, s.speaker.role, s.speaker.actor) == ("Dmitry Peskov", "spokesman", "RUS")


def test_institutional_speakers(run):
    statements = run(
        "The Kremlin said that the proposal was a provocation. Turkey states it will not join the sanctions."
    )
    assert [(s.speaker.name, s.speaker.actor) for s in statements] == [("Kremlin", "RUS"), ("Turkey", "TUR")]


def test_speech_verb_inside_quote_is_not_an_attribution(run):
    statements = run(
        '"Some said we would fail, others claimed we would give up, but we delivered," '
        "Ukrainian President Volodymyr Zelenskyy said."
    )
    assert len(statements) == 1
    assert statements[0].speaker.name == "Volodymyr Zelenskyy"
    assert statements[0].text.startswith("Some said we would fail")


def test_multi_paragraph_quote(run):
    body = (
        "European Commission President Ursula von der Leyen said: "
        '"We will present the 19th package next week.\n'
        '"It will target the shadow fleet and the banks that finance the war," she added.'
    )
    statements = run(body)
    assert len(statements) == 1
    s = statements[0]
    assert s.speaker.name == "Ursula von der Leyen"
    assert s.speaker.actor == "EU"
    assert "19th package" in s.text and "shadow fleet" in s.text


def test_unattributed_quote_paragraph_inherits_previous_speaker(run):
    body = (
        '"Energy security is national security," Slovak Prime Minister Robert Fico said.\n'
        '"We will not let Brussels decide where our gas comes from."'
    )
    statements = run(body)
    assert [s.speaker.name for s in statements] == ["Robert Fico", "Robert Fico"]
    assert statements[1].confidence < statements[0].confidence


def test_scare_quotes_are_not_statements(run):
    statements = run('She arrived. Officials called the plan a "red line" for the region.')
    assert all(s.kind != "direct" for s in statements)


def test_odd_quote_count_degrades(run):
    statements = run(
        'The minister said "we will fight until the end and then left the room.\n'
        "Later, Italian Prime Minister Giorgia Meloni said that Rome backs the plan."
    )
    assert any(s.speaker.name == "Giorgia Meloni" and s.speaker.actor == "ITA" for s in statements)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n\n",
        '"',
        '"""',
        "“”“",
        "\u200b\u200b said said",
        "x" * 5000,
        "Said.",
        '" said " said "',
        "é" * 10,
    ],
)
def test_never_raises_on_odd_text(run, body):
    assert isinstance(run(body, headline=body[:50]), list)


def test_no_statement_article(run):
    body = (
        "European gas prices fell on Wednesday as storage levels rose above 90 percent. "
        "The benchmark Dutch contract traded at 31 euros per megawatt hour."
    )
    assert run(body, headline="Gas prices ease as storage fills") == []


def test_headline_attribution_forms(run):
    (s,) = run("", headline="Hungary will veto new sanctions package, Orban says")
    assert (s.field, s.speaker.name, s.speaker.actor) == ("headline", "Viktor Orban", "HUN")
    assert s.text == "Hungary will veto new sanctions package"
    (s,) = run("", headline="Macron says Europe ready to deploy reassurance force")
    assert s.speaker.actor == "FRA"
    assert s.text == "Europe ready to deploy reassurance force"


def test_ids_are_sha1_of_span(extractor):
    article = make_article("Poland will close the border crossing, Tusk said.", article_id="id-check")
    (s,) = extractor.extract(article)
    expected = hashlib.sha1(f"id-check|body|{s.start}|{s.end}".encode()).hexdigest()[:20]
    assert s.id == expected
    assert s.context.startswith("Poland will close")
    assert s.url == article.url and s.source == article.source


def test_object_verbs_keep_the_verb(run):
    (s,) = run("Iran rejected the IAEA's demand for snap inspections at Fordow.")
    assert (s.speaker.actor, s.verb) == ("IRN", "rejected")
    assert s.text.startswith("rejected the IAEA")


def test_role_only_resolves_to_named_person(run):
    statements = run(
        "Turkish Foreign Minister Hakan Fidan arrived in Kyiv on Monday. "
        "The minister said Ankara was ready to mediate between the two sides."
    )
    (s,) = statements
    assert s.speaker.name == "Hakan Fidan"
