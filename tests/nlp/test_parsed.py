"""The parsed (spaCy) extractor: each attribution pattern, the sample article, and the evaluation targets.

spaCy and its model are test dependencies (the `test` extra): these tests fail, never skip, without them.
"""

from __future__ import annotations

import pytest

from streams.nlp.extract import Extractor, FastExtractor
from streams.nlp.parsed import ModelUnavailable, ParsedExtractor, load_model
from streams.nlp.stance import detect_stances
from tests.nlp.conftest import assert_spans, make_article


@pytest.fixture(scope="session")
def parsed() -> ParsedExtractor:
    return ParsedExtractor()


@pytest.fixture(scope="session")
def both(parsed):  # noqa: ANN201
    return {"parsed": parsed, "fast": FastExtractor()}


def _run(ex, body: str, headline: str = ""):
    article = make_article(body, headline)
    statements = ex.extract(article)
    assert_spans(article, statements)
    return statements


BOTH = pytest.mark.parametrize("which", ["parsed", "fast"])


def test_protocol_and_name(parsed):
    assert isinstance(parsed, Extractor)
    assert parsed.name == "parsed"
    assert "ner" not in parsed.nlp.pipe_names and "parser" in parsed.nlp.pipe_names


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ModelUnavailable, match="no spaCy model"):
        load_model("no_such_model_xyz")


@BOTH
def test_quote_then_name_said(both, which):
    (s,) = _run(both[which], '"We will never accept foreign soldiers on our soil," Lavrov said on Tuesday.')
    assert (s.kind, s.speaker.name, s.speaker.actor, s.verb) == ("direct", "Sergei Lavrov", "RUS", "said")
    assert s.text == "We will never accept foreign soldiers on our soil"


@BOTH
def test_said_then_colon_quote(both, which):
    (s,) = _run(
        both[which], "Turkish Foreign Minister Hakan Fidan said: “Ankara is ready to host the next round of talks.”"
    )
    assert (s.kind, s.speaker.name, s.speaker.actor) == ("direct", "Hakan Fidan", "TUR")
    assert s.text == "Ankara is ready to host the next round of talks."


@BOTH
def test_inverted_said_with_appositive(both, which):
    (s,) = _run(
        both[which],
        '"The New START treaty is effectively dead and we see no reason to revive it," said Sergei Ryabkov, '
        "Russia's deputy foreign minister.",
    )
    assert (s.speaker.name, s.speaker.role, s.speaker.actor) == ("Sergei Ryabkov", "deputy foreign minister", "RUS")


@BOTH
def test_appositive_before_verb(both, which):
    (s,) = _run(
        both[which], "Sergei Ryabkov, Russia's deputy foreign minister, said that Moscow would not resume inspections."
    )
    assert (s.kind, s.speaker.name, s.speaker.actor) == ("indirect", "Sergei Ryabkov", "RUS")
    assert s.text.rstrip(".") == "Moscow would not resume inspections"


def test_name_in_apposition_to_title(parsed):
    (s,) = _run(
        parsed, "Its foreign minister, Peter Szijjarto, told the state news agency MTI that the plan was unfair."
    )
    assert (s.speaker.name, s.speaker.actor, s.channel) == ("Peter Szijjarto", "HUN", "MTI")
    assert s.text == "the plan was unfair"


@BOTH
def test_trailing_attribution_indirect(both, which):
    (s,) = _run(both[which], "Kyiv will need air defence systems before winter, the Ukrainian foreign ministry said.")
    assert (s.kind, s.speaker.actor, s.speaker.organisation) == ("indirect", "UKR", "foreign ministry")
    assert s.text == "Kyiv will need air defence systems before winter"


def test_trailing_attribution_with_more_after(parsed):
    (s,) = _run(
        parsed,
        "The European Union is preparing countermeasures against US tariffs, EU trade commissioner Maros Sefcovic "
        "said on Tuesday, after talks in Washington ended without a deal.",
    )
    assert (s.speaker.name, s.speaker.actor) == ("Maros Sefcovic", "EU")
    assert s.text == "The European Union is preparing countermeasures against US tariffs"


@BOTH
def test_according_to_person_and_channel(both, which):
    (s,) = _run(
        both[which], "According to Polish Prime Minister Donald Tusk, the eastern border will be closed to all trade."
    )
    assert (s.speaker.name, s.speaker.actor, s.verb) == ("Donald Tusk", "POL", "according to")
    assert s.text.startswith("the eastern border will be closed")
    assert _run(both[which], "According to Reuters, the summit will be held in Geneva next month.") == []


@BOTH
def test_channel_is_never_speaker(both, which):
    statements = _run(
        both[which],
        "Hungary will not block the package, Foreign Minister Peter Szijjarto told the PAP news agency. "
        "Reuters reported that the vote was delayed.",
    )
    assert [s.speaker.name for s in statements] == ["Peter Szijjarto"]
    assert statements[0].channel == "PAP"


@BOTH
def test_anonymous_source(both, which):
    (s,) = _run(both[which], "The talks could resume next week, diplomats said.")
    assert (s.speaker.name, s.speaker.actor) == ("diplomats", None)
    (s,) = _run(both[which], "People familiar with the matter said the deal was close.")
    assert s.speaker.actor is None


@BOTH
def test_pronoun_resolution_by_gender(both, which):
    statements = _run(
        both[which],
        "German Chancellor Friedrich Merz met EU foreign policy chief Kaja Kallas in Berlin. "
        "She said that Europe would keep up the pressure on Moscow. "
        "He added that Germany would send more air defence systems.",
    )
    assert [(s.speaker.name, s.speaker.actor) for s in statements] == [("Kaja Kallas", "EU"), ("Friedrich Merz", "DEU")]


@BOTH
def test_unresolvable_pronoun_gives_nothing(both, which):
    assert _run(both[which], "She said that the border would stay closed for months.") == []


@BOTH
def test_bare_surname_inherits_role_and_actor(both, which):
    (s,) = _run(
        both[which],
        "Kremlin spokesman Dmitry Peskov met reporters on Monday. Peskov said the proposal was not serious.",
    )
    assert (s.speaker.name, s.speaker.role, s.speaker.actor) == ("Dmitry Peskov", "spokesman", "RUS")


@BOTH
def test_institutional_speakers(both, which):
    statements = _run(
        both[which],
        "The Kremlin said that the proposal was a provocation. Turkey states it will not join the sanctions.",
    )
    assert [(s.speaker.name, s.speaker.actor) for s in statements] == [("Kremlin", "RUS"), ("Turkey", "TUR")]


@BOTH
def test_speech_verb_inside_quote_is_not_an_attribution(both, which):
    statements = _run(
        both[which],
        '"Some said we would fail, others claimed we would give up, but we delivered," '
        "Ukrainian President Volodymyr Zelenskyy said.",
    )
    assert len(statements) == 1
    assert statements[0].speaker.name == "Volodymyr Zelenskyy"
    assert statements[0].text.startswith("Some said we would fail")


def test_participle_takes_the_clause_speaker(parsed):
    statements = _run(
        parsed,
        "Germany would decide on its contribution only when the conditions were clear, German Chancellor Friedrich "
        "Merz told reporters, adding that Berlin's focus would be on training Ukraine's army.",
    )
    assert [(s.speaker.name, s.speaker.actor) for s in statements] == [("Friedrich Merz", "DEU")] * 2
    assert statements[1].text == "Berlin's focus would be on training Ukraine's army"


@BOTH
def test_passive_attribution(both, which):
    statements = _run(
        both[which],
        "Russia will not discuss the deployment of foreign troops in Ukraine. This was stated by Russian foreign "
        "ministry spokeswoman Maria Zakharova, according to TASS.",
    )
    (s,) = statements
    assert (s.speaker.name, s.speaker.actor, s.channel) == ("Maria Zakharova", "RUS", "TASS")
    assert s.text.startswith("Russia will not discuss")


@BOTH
def test_multi_paragraph_quote(both, which):
    body = (
        "European Commission President Ursula von der Leyen said: "
        '"We will present the 19th package next week.\n'
        '"It will target the shadow fleet and the banks that finance the war," she added.'
    )
    statements = _run(both[which], body)
    assert len(statements) == 1
    assert statements[0].speaker.actor == "EU"
    assert "19th package" in statements[0].text and "shadow fleet" in statements[0].text


@BOTH
def test_unattributed_quote_paragraph_inherits_previous_speaker(both, which):
    body = (
        '"Energy security is national security," Slovak Prime Minister Robert Fico said.\n'
        '"We will not let Brussels decide where our gas comes from."'
    )
    statements = _run(both[which], body)
    assert [s.speaker.name for s in statements] == ["Robert Fico", "Robert Fico"]


@BOTH
def test_headline_via(both, which):
    (s,) = _run(both[which], "", headline="No talks on foreign troop presence in Ukraine, Russia states via Lavrov")
    assert (s.field, s.speaker.name, s.speaker.actor, s.speaker.role) == ("headline", "Russia", "RUS", "via Lavrov")
    assert s.text == "No talks on foreign troop presence in Ukraine"


@BOTH
def test_headline_attribution_forms(both, which):
    (s,) = _run(both[which], "", headline="Hungary will veto new sanctions package, Orban says")
    assert (s.field, s.speaker.name, s.speaker.actor) == ("headline", "Viktor Orban", "HUN")
    assert s.text == "Hungary will veto new sanctions package"


def test_headline_is_parsed_apart_from_body(parsed):
    statements = _run(
        parsed,
        "Trade minister Piyush Goyal said India would protect its farmers.",
        headline="India not ready to cut farm tariffs, minister says",
    )
    head = [s for s in statements if s.field == "headline"]
    assert [(s.speaker.name, s.speaker.actor) for s in head] == [("Piyush Goyal", "IND")]


@BOTH
def test_no_statement_article(both, which):
    body = (
        "European gas prices fell on Wednesday as storage levels rose above 90 percent. "
        "The benchmark Dutch contract traded at 31 euros per megawatt hour."
    )
    assert _run(both[which], body, headline="Gas prices ease as storage fills") == []


@pytest.mark.parametrize(
    "body",
    ["", "   \n\n", '"', '"""', "“”“", "\u200b\u200b said said", "x" * 5000, "Said.", '" said " said "', "é" * 10],
)
def test_never_raises_on_odd_text(parsed, body):
    assert isinstance(_run(parsed, body, headline=body[:50]), list)


def test_extract_many_matches_extract(parsed, sample_article):
    articles = [sample_article, make_article("The talks could resume next week, diplomats said.", article_id="x")]
    many = parsed.extract_many(articles)
    assert [[s.id for s in ss] for ss in many] == [[s.id for s in parsed.extract(a)] for a in articles]


# -- the shared sample -------------------------------------------------------------------------------


def test_sample_gold_statements(parsed, sample_article):
    statements = parsed.extract(sample_article)
    assert_spans(sample_article, statements)
    by = {(s.speaker.name, s.kind, s.verb): s for s in statements}
    assert {s.speaker.name for s in statements} == {
        "Russia",
        "Maria Zakharova",
        "Emmanuel Macron",
        "Volodymyr Zelenskyy",
    }
    zak_direct = [s for s in statements if s.speaker.name == "Maria Zakharova" and s.kind == "direct"]
    assert len(zak_direct) == 1 and zak_direct[0].text.startswith("Russia is not going to discuss")
    assert "guarantees of insecurity" in by[("Maria Zakharova", "indirect", "claimed")].text
    assert by[("Maria Zakharova", "indirect", "argued")].text.startswith("such a decision allegedly contradicts")
    macron = [s for s in statements if s.speaker.name == "Emmanuel Macron" and s.kind == "direct"]
    assert len(macron) == 1 and macron[0].text.startswith("We Europeans are ready to provide guarantees")
    (zel,) = [s for s in statements if s.speaker.name == "Volodymyr Zelenskyy"]
    assert zel.verb == "outlined" and "three key blocks of security guarantees" in zel.text
    (head,) = [s for s in statements if s.field == "headline"]
    assert (head.speaker.name, head.speaker.role, head.text) == (
        "Russia",
        "via Lavrov",
        "No talks on foreign troop presence in Ukraine",
    )
    actors = {s.speaker.name: s.speaker.actor for s in statements}
    assert actors == {"Russia": "RUS", "Maria Zakharova": "RUS", "Emmanuel Macron": "FRA", "Volodymyr Zelenskyy": "UKR"}
    (lead,) = [s for s in statements if s.text.startswith("Russia will not discuss ideas")]
    assert (lead.speaker.name, lead.channel) == ("Maria Zakharova", "TASS")


def test_sample_required_stances(parsed, sample_article, taxonomy):
    events = [e for s in parsed.extract(sample_article) for e in detect_stances(s, taxonomy)]
    pairs = {(e.actor, e.topic, e.stance) for e in events}
    assert ("RUS", "foreign-troops-ukraine", "oppose") in pairs
    assert ("FRA", "security-guarantees-ukraine", "support") in pairs
    assert not any(e.actor == "RUS" and e.stance == "support" for e in events)


# -- the evaluation set (tests/data/eval) -------------------------------------------------------------


@pytest.fixture(scope="module")
def parsed_eval(parsed):  # noqa: ANN201
    from streams.core.evaluation import DEFAULT_SET, evaluate, load_eval_set

    return evaluate(load_eval_set(DEFAULT_SET), parsed)


def test_parsed_statement_target(parsed_eval):
    # Floors just below what parsed reaches on articles.jsonl (its gold counts object content since
    # 2026-12-02, as the world files do): P 0.966, R 0.954, F1 0.960, actor 0.978, kind 0.996.
    assert parsed_eval.dead_letters == 0
    assert not parsed_eval.shortfalls(statement_f1=0.95, statement_precision=0.95, statement_recall=0.94)
    assert not parsed_eval.shortfalls(actor_accuracy=0.97, kind_accuracy=0.99)


def test_parsed_whole_eval_folder_floors(parsed):
    """All of tests/data/eval (152 articles): floors just below what parsed reaches (P 0.914, R 0.898,
    F1 0.906 after issue 12's fifth attribution round; actor 0.962; on 2026-12-02), below issue 12's
    statement target (F1 0.93), not targets."""
    from streams.core.evaluation import DEFAULT_SET, evaluate, load_eval_set

    result = evaluate(load_eval_set(DEFAULT_SET.parent), parsed)
    assert result.articles >= 150 and result.dead_letters == 0
    assert not result.shortfalls(statement_precision=0.905, statement_recall=0.89, statement_f1=0.90)
    assert not result.shortfalls(actor_accuracy=0.955)


def test_parsed_actor_and_stance_targets(parsed_eval):
    # 0.821 before open topics; the first set annotates only the first fourteen taxonomy topics, so
    # the stances on other subjects that the stance step now reads there (open topics, the newer
    # taxonomy topics) all count as false positives: 0.794 with them, 0.803 with issue 13's stance
    # cues. A floor, not a target.
    assert not parsed_eval.shortfalls(actor_accuracy=0.95, stance_f1=0.80)
