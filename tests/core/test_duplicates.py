"""Versions and repeated stories: `fresh_stance`, the version rule in `track`, and the extract stage."""

from __future__ import annotations

import base64
from pathlib import Path

from schemas import DeadLetter, encode
from streams.core.duplicates import content_hash, fresh_stance, normalise_text
from streams.core.pipeline import Origin, Pipeline
from streams.core.tracking import track
from streams.runtime import metrics
from streams.settings import Settings
from tests import factories

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"


def test_content_hash_ignores_layout_case_punctuation_and_headline() -> None:
    one = factories.article("MANILA - Port workers\n\nended a strike, “today”.", "Strike ends")
    two = factories.article('Manila — port  workers ended a strike, "today"', "Port strike over (Wire)", id="b")
    assert content_hash(one) == content_hash(two)
    assert content_hash(one) != content_hash(factories.article("Port workers began a strike today."))
    assert normalise_text("  À\u00a0l'Élysée… ") == "à l élysée"


def marked(  # noqa: ANN201
    statement_id: str = "s1",
    article_id: str = "a1",
    version: int | None = None,
    content: str = "h1",
    actor: str = "HUN",
):
    return factories.stance_event(
        statement_id=statement_id, article_id=article_id, article_version=version, content_hash=content, actor=actor
    )


def test_a_resent_statement_another_id_for_the_same_story_and_older_versions_make_no_stances() -> None:
    seen: dict = {}
    assert fresh_stance(marked("s1"), seen) == "fresh"
    assert fresh_stance(marked("s2"), seen) == "fresh"  # another statement of the same article
    assert fresh_stance(marked("s1"), seen) == "duplicate"  # re-sent
    assert fresh_stance(marked("t1", article_id="other-format"), seen) == "duplicate_story"
    assert fresh_stance(marked("t1", article_id="other-format", actor="FRA"), seen) == "fresh"  # keyed per pair
    assert fresh_stance(factories.stance_event(statement_id="old"), seen) == "fresh"  # built before: no hash


def test_a_redelivery_after_a_crash_makes_its_stance_events_again_but_a_resend_does_not() -> None:
    seen: dict = {}
    assert fresh_stance(marked("s1"), seen, offset=41) == "fresh"
    assert fresh_stance(marked("s1"), seen, offset=41) == "fresh"  # the same record again: redelivered
    assert fresh_stance(marked("s1"), seen, offset=97) == "duplicate"  # the article fed again


def test_a_later_version_goes_on_and_an_earlier_one_is_superseded() -> None:
    seen: dict = {}
    assert fresh_stance(marked("v1", "item", 1, "first"), seen) == "fresh"
    assert fresh_stance(marked("v2", "item", 2, "corrected"), seen) == "fresh"
    assert fresh_stance(marked("v1", "item", 1, "first"), seen) == "superseded"  # late, older
    assert fresh_stance(marked("v3", "item", 3, "corrected"), seen) == "duplicate_story"  # same words


def test_an_unversioned_story_writes_one_entry_and_a_versioned_one_two() -> None:
    seen: dict = {}
    assert fresh_stance(marked("s1", "plain"), seen) == "fresh"
    assert list(seen) == [f"{marked().key}|story|h1"]  # no item entry: it could tell no version apart
    assert fresh_stance(marked("v1", "item", 1, "first"), seen) == "fresh"
    assert len(seen) == 3  # the versioned story and its item's version
    assert fresh_stance(marked("v0", "item", None, "undated"), seen) == "fresh"  # no version: not superseded
    assert seen[f"{marked().key}|item|item"] == {"version": 1}


def test_track_lets_a_later_version_replace_its_stance_without_a_change() -> None:
    first = factories.stance_event("support", 0.8, statement_id="v1", article_id="item", article_version=1)
    state = track(None, first, 0.5, factories.T0).state
    corrected = factories.stance_event("oppose", -0.8, statement_id="v2", article_id="item", article_version=2)
    result = track(state, corrected, 0.5, factories.T0)
    assert (result.outcome, result.change, result.state.stance) == ("superseded", None, "oppose")
    assert track(result.state, first, 0.5, factories.T0).outcome == "stale"  # v1 again, after v2


def test_one_record_may_hold_several_articles_and_each_bad_part_is_its_own_dead_letter() -> None:
    pipeline = Pipeline(Settings())
    message = (DATA / "newsml-message.xml").read_bytes()
    (outcome,) = pipeline.extract_batch([(message, Origin("news.raw", 0, 7, b"msg"))])
    assert len(outcome.articles) == 2 and not outcome.dead_letters
    assert {s.article_id for s in outcome.statements} <= {a.id for a in outcome.articles}
    assert all(s.content_hash and len(s.content_hash) == 32 for s in outcome.statements)

    good = factories.article('"We reject new sanctions on Russia," Hungarian prime minister Viktor Orban said.')
    two = b"[" + (DATA / "ninjs-1x.json").read_bytes() + b', {"uri": "urn:x:broken", "versioncreated": 5}]'
    letters = [
        o.dead_letters
        for o in pipeline.extract_batch([(two, Origin("news.raw", 0, 8)), (encode(good), Origin("news.raw", 0, 9))])
    ]
    assert [len(x) for x in letters] == [1, 0]
    (bad,) = letters[0]
    assert isinstance(bad, DeadLetter) and bad.reason == "invalid_record" and bad.offset == 8
    assert base64.b64decode(bad.value_b64) == two and "news.raw[0]@8" in bad.error


def test_an_article_in_another_language_is_dead_lettered_with_its_code_and_counted() -> None:
    pipeline = Pipeline(Settings())
    before = metrics.UNSUPPORTED_LANGUAGE.labels("fr")._value.get()
    (outcome,) = pipeline.extract_batch([((DATA / "french.json").read_bytes(), Origin("news.raw", 1, 3))])
    (letter,) = outcome.dead_letters
    assert letter.reason == "unsupported_language" and letter.error.startswith("unsupported_language: fr (")
    assert outcome.statements == [] and outcome.articles == []
    metrics.published(letter)
    assert metrics.UNSUPPORTED_LANGUAGE.labels("fr")._value.get() == before + 1
    assert metrics.language_label("unsupported_language: xx-nonsense (declared)") == "other"

    declared = factories.article("We reject new sanctions, Orban said.", language="de")
    (outcome,) = pipeline.extract_articles([declared], Origin("offline"))
    assert outcome.dead_letter.error.startswith("unsupported_language: de (declared")
    english = factories.article("We reject new sanctions on Russia, Orban said.", language="en-GB")
    assert pipeline.extract_articles([english], Origin("offline"))[0].dead_letters == []
    short = factories.article("Ja.", headline="Nein")  # too little text to tell: read, not refused
    assert pipeline.extract_articles([short], Origin("offline"))[0].dead_letters == []


def test_a_record_with_many_bad_items_gives_a_bounded_number_of_dead_letters() -> None:
    pipeline = Pipeline(Settings())
    items = b",".join(b'{"uri": "urn:x:%d", "versioncreated": 5}' % n for n in range(40))
    (outcome,) = pipeline.extract_batch([(b"[" + items + b"]", Origin("news.raw", 0, 1))])
    assert len(outcome.dead_letters) == 10
    assert "(and 30 more in this record: invalid_record ×31)" in outcome.dead_letters[-1].error
