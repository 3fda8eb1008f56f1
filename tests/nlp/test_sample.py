"""Acceptance on the bundled sample article and its gold reading."""

from __future__ import annotations

from streams.nlp.stance import detect_stances


def _by(statements, name):
    return [s for s in statements if s.speaker.name == name]


def test_sample_spans_and_ids(sample_article, extractor, check_spans):
    statements = extractor.extract(sample_article)
    assert statements
    check_spans(sample_article, statements)
    again = extractor.extract(sample_article)
    assert [s.id for s in statements] == [s.id for s in again]
    assert len({s.id for s in statements}) == len(statements)


def test_gold_statement_1_zakharova_direct(sample_article, extractor):
    direct = [s for s in _by(extractor.extract(sample_article), "Maria Zakharova") if s.kind == "direct"]
    assert len(direct) == 1
    s = direct[0]
    assert s.text.startswith("Russia is not going to discuss a fundamentally unacceptable foreign intervention")
    assert s.text.endswith("Russia’s position")
    assert s.speaker.actor == "RUS"
    assert s.speaker.role == "spokeswoman"
    assert s.speaker.organisation == "foreign ministry"
    assert s.confidence >= 0.9


def test_gold_statements_2_3_pronoun_she(sample_article, extractor):
    zak = _by(extractor.extract(sample_article), "Maria Zakharova")
    verbs = {s.verb: s for s in zak if s.kind == "indirect"}
    assert "guarantees of insecurity" in verbs["claimed"].text
    assert verbs["argued"].text.startswith("such a decision allegedly contradicts")
    assert all(s.speaker.actor == "RUS" for s in zak)


def test_gold_statement_4_macron_direct(sample_article, extractor):
    direct = [s for s in _by(extractor.extract(sample_article), "Emmanuel Macron") if s.kind == "direct"]
    assert len(direct) == 1
    assert direct[0].text.startswith("We Europeans are ready to provide guarantees to Ukraine")
    assert direct[0].speaker.actor == "FRA"
    assert direct[0].speaker.role == "president"


def test_gold_statement_5_zelenskyy_outlined(sample_article, extractor):
    (s,) = _by(extractor.extract(sample_article), "Volodymyr Zelenskyy")
    assert s.speaker.actor == "UKR"
    assert s.verb == "outlined"
    assert "three key blocks of security guarantees" in s.text


def test_gold_statement_6_headline(sample_article, extractor):
    (s,) = [s for s in extractor.extract(sample_article) if s.field == "headline"]
    assert s.speaker.name == "Russia"
    assert s.speaker.actor == "RUS"
    assert s.speaker.role == "via Lavrov"
    assert s.text == "No talks on foreign troop presence in Ukraine"


def test_passive_attribution_and_channel(sample_article, extractor):
    lead = [s for s in extractor.extract(sample_article) if s.text.startswith("Russia will not discuss ideas")]
    assert len(lead) == 1
    assert lead[0].speaker.name == "Maria Zakharova"
    assert lead[0].channel == "TASS"
    assert all(s.speaker.name != "TASS" for s in extractor.extract(sample_article))


def test_no_invented_speakers_for_reporting(sample_article, extractor):
    statements = extractor.extract(sample_article)
    speakers = {s.speaker.name for s in statements}
    assert speakers == {"Russia", "Maria Zakharova", "Emmanuel Macron", "Volodymyr Zelenskyy"}
    assert not any("began discussing" in s.text or "still ongoing" in s.text for s in statements)


def test_sample_context(sample_article, extractor):
    s = extractor.extract(sample_article)[0]
    assert s.context.startswith("No talks on foreign troop presence in Ukraine, Russia states via Lavrov Russia will")
    assert s.published_at == sample_article.published_at


def test_required_stances(sample_article, extractor, taxonomy):
    events = [e for s in extractor.extract(sample_article) for e in detect_stances(s, taxonomy)]
    pairs = {(e.actor, e.topic, e.stance) for e in events}
    assert ("RUS", "foreign-troops-ukraine", "oppose") in pairs
    assert ("FRA", "security-guarantees-ukraine", "support") in pairs
    assert ("UKR", "security-guarantees-ukraine", "support") in pairs
    assert not any(e.actor == "RUS" and e.stance == "support" for e in events)
    assert not any(e.actor == "FRA" and e.stance == "oppose" for e in events)
