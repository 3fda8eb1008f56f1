"""Stance cues, negation scope, topic fallback and event fields."""

from __future__ import annotations

import hashlib

import pytest

from schemas import Statement
from streams.nlp.stance import cue_hits, detect_stances, stance_of
from tests.nlp.conftest import make_statement


def _statement(text: str, actor: str | None = "TUR", context: str = "", confidence: float = 0.9) -> Statement:
    return make_statement(text, "Hakan Fidan", actor, context, confidence)


def _one(text: str, taxonomy, topic: str, **kw):
    events = [e for e in detect_stances(_statement(text, **kw), taxonomy) if e.topic == topic]
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ankara is ready to contribute peacekeepers once a ceasefire holds.", "support"),
        ("Turkey supports the deployment of foreign troops in Ukraine.", "support"),
        ("Turkey rejects any deployment of foreign troops in Ukraine.", "oppose"),
        ("Ankara is not going to discuss the deployment of foreign troops.", "oppose"),
        ("Turkey will not support the deployment of foreign troops.", "oppose"),
        ("Ankara is not ready to send peacekeepers.", "oppose"),
        ("Foreign troops in Ukraine are unacceptable.", "oppose"),
        ("Sending foreign troops is not on the table.", "oppose"),
    ],
)
def test_polarity(taxonomy, text, expected):
    assert _one(text, taxonomy, "foreign-troops-ukraine").stance == expected


@pytest.mark.parametrize(
    "text", ["Hungary will not oppose the new sanctions package.", "Hungary does not oppose new sanctions."]
)
def test_negated_opposition_is_not_opposition(taxonomy, text):
    e = _one(text, taxonomy, "sanctions-russia", actor="HUN")
    assert e.stance != "oppose"
    assert 0 < e.score < 0.5


def test_negation_scope_stops_at_clause(taxonomy):
    e = _one(
        "Turkey did not attend the meeting, but it supports the deployment of foreign troops.",
        taxonomy,
        "foreign-troops-ukraine",
    )
    assert e.stance == "support"


def test_negation_scope_is_limited_in_tokens(extractor):
    (hit,) = [h for h in cue_hits("It is not the case that the long and winding summit will support it") if h.text]
    assert hit.negated is False


def test_no_actor_no_stance(taxonomy):
    assert detect_stances(_statement("Diplomats support the peace talks.", actor=None), taxonomy) == []


def test_topic_without_cue_gives_no_event(taxonomy):
    assert detect_stances(_statement("The peace talks took place in Istanbul."), taxonomy) == []


def test_context_fallback_is_weaker(taxonomy):
    direct = _one("Ankara firmly rejects the deployment of foreign troops.", taxonomy, "foreign-troops-ukraine")
    fallback = _one(
        "Ankara firmly rejects this idea.",
        taxonomy,
        "foreign-troops-ukraine",
        context="Europe debates foreign troops for Ukraine. Turkey speaks.",
    )
    assert fallback.stance == direct.stance == "oppose"
    assert abs(fallback.score) < abs(direct.score)


def test_topic_keywords_are_not_cues(taxonomy):
    e = _one("Kyiv outlined its plan: sanctions against Russia.", taxonomy, "sanctions-russia", actor="UKR")
    assert e.stance == "support"


def test_event_fields(taxonomy):
    s = _statement("Turkey backs the peace talks in Istanbul.")
    (e,) = detect_stances(s, taxonomy)
    assert e.id == hashlib.sha1(b"s1|peace-talks").hexdigest()[:20]
    assert (e.actor, e.topic, e.topic_label) == ("TUR", "peace-talks", "Peace talks and ceasefire")
    assert (e.speaker, e.url, e.statement_id, e.article_id) == ("Hakan Fidan", s.url, "s1", "a1")
    assert e.evidence == s.text
    assert e.key == "TUR|peace-talks"
    assert -1 <= e.score <= 1


def test_thresholds():
    assert (stance_of(0.2), stance_of(0.19), stance_of(-0.2), stance_of(-0.19)) == (
        "support",
        "neutral",
        "oppose",
        "neutral",
    )
