"""The annotated evaluation set, the scorer, and regression floors for the fast extractor."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from schemas import RawArticle
from streams.core.evaluation import (
    DEFAULT_SET,
    EvalItem,
    EvalSetError,
    ExtractorUnavailable,
    Gold,
    GoldStance,
    GoldStatement,
    Predicted,
    Predictions,
    evaluate_named,
    gold_changes,
    load_eval_set,
    load_extractor,
    match_statements,
    score,
    speaker_matches,
    text_overlap,
)
from streams.nlp.actors import Gazetteer
from streams.nlp.taxonomy import Taxonomy

SAMPLE_ID = "ukraine-troops-2025-09-04"


@pytest.fixture(scope="module")
def items() -> list[EvalItem]:
    return load_eval_set()


# -- the set ---------------------------------------------------------------------------------------


def test_set_size_and_sample(items: list[EvalItem]) -> None:
    ids = [i.article.id for i in items]
    assert len(ids) == len(set(ids))
    assert len([i for i in ids if i != SAMPLE_ID]) >= 40
    sample = next(i for i in items if i.article.id == SAMPLE_ID)
    assert sample.article.published_at == datetime(2025, 9, 4, 9, 0, tzinfo=UTC)


def test_sample_line_is_the_shared_sample(items: list[EvalItem], sample_article_path: Path) -> None:
    headline, _, body = sample_article_path.read_text("utf-8").partition("\n")
    sample = next(i for i in items if i.article.id == SAMPLE_ID)
    assert sample.article.headline == headline.strip()
    assert sample.article.body == body.strip("\n")


def test_articles_are_wire_sized_and_dated_2025(items: list[EvalItem]) -> None:
    for item in items:
        words = len((item.article.headline + " " + item.article.body).split())
        assert 140 <= words <= 460, (item.article.id, words)
        assert item.article.published_at.year == 2025
    assert {i.desk for i in items} >= {"diplomacy", "conflict", "trade", "energy"}


def test_gold_texts_are_substrings(items: list[EvalItem]) -> None:
    for item in items:
        for s in item.gold.statements:
            assert s.text in getattr(item.article, s.field), (item.article.id, s.text)


def test_topics_exist_in_taxonomy(items: list[EvalItem]) -> None:
    taxonomy = Taxonomy.load()
    topics = {st.topic for i in items for st in i.gold.stances}
    assert topics and all(t in taxonomy for t in topics), sorted(t for t in topics if t not in taxonomy)


def test_actors_exist_in_gazetteer(items: list[EvalItem]) -> None:
    known = set(Gazetteer.load().names)
    actors = {s.actor for i in items for s in i.gold.statements if s.actor} | {
        st.actor for i in items for st in i.gold.stances
    }
    assert actors and actors <= known, sorted(actors - known)


def test_articles_without_statements(items: list[EvalItem]) -> None:
    empty = [i for i in items if not i.gold.statements]
    assert len(empty) >= 4
    assert all(not i.gold.stances for i in empty)


def test_gold_reversals(items: list[EvalItem]) -> None:
    reversals = [c for c in gold_changes(items) if c.kind == "reversal"]
    assert len({c.actor for c in reversals}) >= 2
    assert ("HUN", "sanctions-russia", "dip-hungary-sanctions-0922") in {
        (c.actor, c.topic, c.article_id) for c in reversals
    }


def test_every_pattern_is_covered(items: list[EvalItem]) -> None:
    tags = {t for i in items for s in i.gold.statements for t in s.tags}
    wanted = {
        "quote-said-after", "quote-said-before", "quote-said-inverted", "quote-continued", "multi-paragraph",
        "curly", "straight", "indirect-that", "indirect-comma", "according-to", "told", "verb", "passive",
        "participle", "pronoun", "surname", "apposition", "title", "institution", "channel", "anonymous",
        "headline", "headline-colon", "verb-in-quote", "negation", "role-noun",
    }  # fmt: skip
    assert wanted <= tags, sorted(wanted - tags)
    anonymous = [s for i in items for s in i.gold.statements if "anonymous" in s.tags]
    assert anonymous and all(s.actor is None for s in anonymous)


def _line(**gold: object) -> dict:
    article = {
        "id": "x",
        "headline": "H",
        "body": "Paris said it agreed.",
        "source": "t",
        "published_at": "2025-09-01T00:00:00Z",
    }
    return {"article": article, "gold": gold}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"{not json", ":2: not JSON"),
        (
            orjson.dumps(_line(statements=[{"speaker": "P", "actor": "FRA", "kind": "direct", "text": "nope"}])),
            ":2: Value error, gold.statements[0].text is not a substring",
        ),
        (orjson.dumps(_line(stances=[{"actor": "FRA", "topic": "t", "stance": "maybe"}])), ":2: gold.stances.0.stance"),
        (orjson.dumps({**_line(), "extra": 1}), ":2: extra"),
    ],
)
def test_bad_lines_are_named(tmp_path: Path, line: bytes, message: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_bytes(orjson.dumps(_line()) + b"\n" + line + b"\n")
    with pytest.raises(EvalSetError, match=re.escape(message)):
        load_eval_set(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_bytes(orjson.dumps(_line()) + b"\n" + orjson.dumps(_line()) + b"\n")
    with pytest.raises(EvalSetError, match=":2: duplicate article id"):
        load_eval_set(path)


# -- the scorer ------------------------------------------------------------------------------------


def _item(aid: str, statements: list[GoldStatement], stances: list[GoldStance] = (), day: int = 1) -> EvalItem:
    body = " ".join(s.text for s in statements) or "Nothing was said."
    article = RawArticle(id=aid, headline="", body=body, source="t", published_at=datetime(2025, 9, day, tzinfo=UTC))
    return EvalItem(article=article, gold=Gold(statements=statements, stances=list(stances)))


ZAK = GoldStatement(
    speaker="Maria Zakharova", actor="RUS", kind="direct", text="Russia is not going to discuss foreign troops"
)
MACRON = GoldStatement(
    speaker="Emmanuel Macron", actor="FRA", kind="indirect", text="Europe is ready to provide guarantees"
)


def test_speaker_matching() -> None:
    assert speaker_matches("Zakharova", "Maria Zakharova")
    assert speaker_matches("maria zakharova", "Maria Zakharova")
    assert speaker_matches("the Kremlin", "Kremlin")
    assert speaker_matches("EU diplomats", "diplomats")
    assert speaker_matches("Péter Szijjártó", "Peter Szijjarto")
    assert speaker_matches("Lavrov", ["Russia", "Sergei Lavrov"])
    assert not speaker_matches("Macron", "Maria Zakharova")
    assert not speaker_matches("ministry", "Russia’s foreign ministry")  # generic words alone name nobody
    assert not speaker_matches("TASS", "Maria Zakharova")


def test_text_overlap() -> None:
    assert text_overlap("a b c d", "a b c d") == 1.0
    assert text_overlap("a b", "a b c d e f") == 1.0  # share of the shorter text
    assert text_overlap("a b c d", "a x y z") == 0.25
    assert text_overlap("", "a") == 0.0


def test_perfect_prediction_scores_one() -> None:
    items = [_item("a", [ZAK, MACRON], [GoldStance(actor="RUS", topic="foreign-troops-ukraine", stance="oppose")])]
    preds = Predictions()
    preds.statements["a"] = [Predicted(g.speaker, g.actor, g.kind, g.text) for g in (MACRON, ZAK)]
    preds.stances["a"] = {("RUS", "foreign-troops-ukraine", "oppose")}
    preds.changes = [("RUS", "foreign-troops-ukraine", "new", "a")]
    r = score(items, preds)
    assert r.figures()["statement_f1"] == r.figures()["stance_f1"] == r.actor_accuracy.value == 1.0
    assert not r.statement_misses and not r.statement_false_positives and not r.shortfalls(statement_f1=1.0)


def test_wrong_speaker_is_a_miss_and_a_false_positive() -> None:
    r = score([_item("a", [ZAK])], Predictions(statements={"a": [Predicted("TASS", None, "direct", ZAK.text)]}))
    assert (r.statements.tp, r.statements.fp, r.statements.fn) == (0, 1, 1)
    assert r.statement_misses[0].category == "wrong speaker"
    assert r.statement_false_positives[0].category == "wrong speaker"
    assert r.actor_accuracy.total == 0  # unmatched statements do not count for actor accuracy


def test_surname_and_partial_span_match() -> None:
    pred = Predicted("Zakharova", "RUS", "direct", "Russia is not going to discuss")
    assert match_statements([pred], [ZAK]) == [(0, 0)]
    assert match_statements([Predicted("Zakharova", "RUS", "direct", "troops")], [ZAK]) == [(0, 0)]
    assert (
        match_statements([Predicted("Zakharova", "RUS", "direct", "Russia will never agree to anything")], [ZAK]) == []
    )
    headline = Predicted("Zakharova", "RUS", "direct", ZAK.text, field="headline")
    assert match_statements([headline], [ZAK]) == []


def test_matching_is_one_to_one_best_overlap_first() -> None:
    short = Predicted("Zakharova", "RUS", "direct", "Russia is not going")
    full = Predicted("Zakharova", "RUS", "direct", ZAK.text)
    assert match_statements([short, full], [ZAK]) == [(1, 0)]
    r = score([_item("a", [ZAK])], Predictions(statements={"a": [short, full]}))
    assert (r.statements.tp, r.statements.fp, r.statements.fn) == (1, 1, 0)


def test_actor_accuracy_counts_matched_statements_only() -> None:
    preds = [
        Predicted("Maria Zakharova", None, "direct", ZAK.text),  # matched, wrong actor
        Predicted("Macron", "FRA", "indirect", MACRON.text),  # matched, right actor
        Predicted("Nobody", "USA", "direct", "something else entirely"),  # unmatched: not counted
    ]
    r = score([_item("a", [ZAK, MACRON])], Predictions(statements={"a": preds}))
    assert (r.actor_accuracy.correct, r.actor_accuracy.total) == (1, 2)
    assert r.actor_errors[0].category == "RUS read as None"
    assert r.statements.fp == 1 and r.statement_false_positives[0].category == "no such statement"


def test_stances_are_deduped_and_polarity_checked() -> None:
    gold = [GoldStance(actor="RUS", topic="peace-talks", stance="oppose")]
    preds = Predictions()
    preds.stances["a"] = {("RUS", "peace-talks", "support"), ("FRA", "peace-talks", "support")}
    r = score([_item("a", [ZAK], gold)], preds)
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (0, 2, 1)
    assert r.stance_misses[0].category == "read as support"
    assert {f.category for f in r.stance_false_positives} == {"wrong polarity (gold oppose)", "not in gold"}


def test_an_unfound_stance_says_where_it_was_lost() -> None:
    gold = [
        GoldStance(actor="RUS", topic="peace-talks", stance="oppose"),  # RUS has an event, on another topic
        GoldStance(actor="FRA", topic="peace-talks", stance="support"),  # FRA speaks, but gives no event
        GoldStance(actor="UKR", topic="peace-talks", stance="support"),  # UKR says nothing the extractor finds
    ]
    preds = Predictions(statements={"a": [Predicted("Macron", "FRA", "indirect", MACRON.text)]})
    preds.stances["a"] = {("RUS", "sanctions-russia", "oppose")}
    r = score([_item("a", [ZAK, MACRON], gold)], preds)
    assert {f.what.split()[0]: f.category for f in r.stance_misses} == {
        "RUS": "not found: the actor's events are on other topics",
        "FRA": "not found: the actor's statements give no event",
        "UKR": "not found: no statement of the actor",
    }


def test_gold_changes_and_reversal_scoring() -> None:
    items = [
        _item("late", [ZAK], [GoldStance(actor="RUS", topic="peace-talks", stance="support")], day=9),
        _item("early", [ZAK], [GoldStance(actor="RUS", topic="peace-talks", stance="oppose")], day=1),
        _item("mid", [ZAK], [GoldStance(actor="RUS", topic="peace-talks", stance="neutral")], day=5),
    ]
    kinds = [(c.kind, c.article_id) for c in gold_changes(items)]
    assert kinds == [("new", "early")]  # oppose → neutral → support never flips support ↔ oppose directly
    items[2] = _item("mid", [ZAK], [GoldStance(actor="RUS", topic="peace-talks", stance="support")], day=5)
    assert [(c.kind, c.article_id) for c in gold_changes(items)] == [("new", "early"), ("reversal", "mid")]
    preds = Predictions(changes=[("RUS", "peace-talks", "reversal", "late"), ("RUS", "peace-talks", "shift", "mid")])
    r = score(items, preds)
    assert (r.changes.tp, r.changes.fp, r.changes.fn) == (0, 1, 1)
    assert r.change_misses[0].article_id == "mid" and r.predicted_change_kinds == {"reversal": 1, "shift": 1}


def test_empty_article_scores_clean() -> None:
    r = score([_item("a", [])], Predictions())
    assert r.statements.f1 == 1.0
    r = score([_item("a", [])], Predictions(statements={"a": [Predicted("X", None, "direct", "words")]}))
    assert r.statements.precision == 0.0
    assert r.statement_false_positives[0].category == "in an article without statements"


def test_shortfalls_name_the_figure() -> None:
    r = score([_item("a", [ZAK])], Predictions())
    assert r.shortfalls(statement_recall=0.5) == ["?: statement_recall 0.000 < 0.500"]
    with pytest.raises(KeyError):
        r.shortfalls(statement_f2=0.5)


def test_unknown_and_unavailable_extractors() -> None:
    with pytest.raises(ValueError, match="unknown extractor"):
        load_extractor("regex")
    assert load_extractor("fast").name == "fast"
    try:
        load_extractor("parsed")
    except ExtractorUnavailable as exc:
        assert "parsed" in str(exc)


# -- regression floors -----------------------------------------------------------------------------


def test_fast_extractor_floors() -> None:
    """What FastExtractor reaches, minus a small margin (P 0.902, R 0.688, F1 0.780 on 2026-12-02,
    issue 12's third round; actor 0.976 after the second actor round): floors, not targets. Stance
    precision 0.72: 0.750 before issue 13's fourth round, 0.727 after it, two false positives more that
    this set cannot credit (it annotates the first fourteen topics only): a claim read on its own key
    where the statement also names a topic, and a denied intent ("no plans to hit sites in Poland")
    read on the headline's."""
    result = evaluate_named("fast", DEFAULT_SET)
    assert result.articles >= 41 and result.dead_letters == 0
    assert not result.shortfalls(
        statement_precision=0.89,
        statement_recall=0.68,
        statement_f1=0.77,
        actor_accuracy=0.97,
        stance_precision=0.72,
        stance_recall=0.67,
        stance_f1=0.70,
        change_recall=0.6,
    )


def test_fast_extractor_whole_folder_actor_floor() -> None:
    """All of tests/data/eval: FastExtractor's actor accuracy (0.896 on 2026-12-02, the second actor
    round) minus a margin."""
    result = evaluate_named("fast", DEFAULT_SET.parent)
    assert result.articles >= 150 and result.dead_letters == 0
    assert not result.shortfalls(actor_accuracy=0.89)


# -- the command -----------------------------------------------------------------------------------


def test_cli_eval_json_and_unavailable_parsed() -> None:
    from typer.testing import CliRunner

    from streams.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["eval", str(DEFAULT_SET), "--extractor", "fast", "--json"])
    assert res.exit_code == 0, res.output
    (fast,) = orjson.loads(res.stdout)["results"]
    assert fast["extractor"] == "fast" and fast["statements"]["tp"] > 0
    res = runner.invoke(app, ["eval", str(DEFAULT_SET), "--extractor", "parsed", "--show-misses", "0"])
    try:
        load_extractor("parsed")
    except ExtractorUnavailable:
        assert res.exit_code == 2  # asked for explicitly and missing: a failure, not a silent skip
    else:
        assert res.exit_code == 0
    res = runner.invoke(app, ["eval", str(DEFAULT_SET), "--extractor", "regex"])
    assert res.exit_code == 2


# -- the whole folder: the first set and the world sets --------------------------------------------


def test_the_folder_loads_as_one_set_with_open_topic_stances() -> None:
    items = load_eval_set(DEFAULT_SET.parent)
    assert len(items) >= 150
    open_stances = [(i, s) for i in items for s in i.gold.stances if s.open_topic]
    assert len(open_stances) >= 100
    for item, stance in open_stances:
        assert stance.topic == f"open:{stance.open_topic}"
        assert stance.target in item.article.headline or stance.target in item.article.body, (item.article.id, stance)
    reversals = {
        (c.actor, c.topic) for c in gold_changes(items) if c.kind == "reversal" and c.topic.startswith("open:")
    }
    assert len(reversals) >= 3


def test_covered_by_names_a_taxonomy_topic_the_set_does_not_annotate_and_is_one_per_slug() -> None:
    items = load_eval_set(DEFAULT_SET.parent)
    known = {topic.id for topic in Taxonomy.load().topics}
    direct = {s.topic for i in items for s in i.gold.stances if not s.open_topic}
    by_slug: dict[str, set[str | None]] = {}
    for item in items:
        for stance in item.gold.stances:
            if stance.open_topic:
                by_slug.setdefault(stance.open_topic, set()).add(stance.covered_by)
    covered = {slug: ids for slug, ids in by_slug.items() if ids != {None}}
    assert len(covered) >= 50
    for slug, ids in covered.items():
        assert len(ids) == 1, (slug, ids)  # every stance of a slug says the same
        (topic,) = ids
        assert topic in known and topic not in direct, (slug, topic)


def test_a_prediction_on_the_covering_topic_is_credited_to_the_open_stance() -> None:
    gold = [GoldStance(actor="SAU", open_topic="opec-output-increase", target="the extra barrels",
                       covered_by="opec-oil-output", stance="support")]  # fmt: skip
    preds = Predictions()
    preds.stances["a"] = {("SAU", "opec-oil-output", "support")}
    r = score([_item("a", [ZAK], gold)], preds, taxonomy=Taxonomy.load())
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (1, 0, 0)
    assert (r.open_stances.tp, r.open_stances.fn) == (1, 0)
    preds.stances["a"] = {("SAU", "opec-oil-output", "oppose")}
    r = score([_item("a", [ZAK], gold)], preds, taxonomy=Taxonomy.load())
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (0, 1, 1)


def test_covered_by_belongs_to_an_open_stance() -> None:
    with pytest.raises(ValueError, match="covered_by"):
        GoldStance(actor="SAU", topic="trade-tariffs", covered_by="opec-oil-output", stance="support")


def test_an_open_stance_needs_its_slug_and_target(tmp_path: Path) -> None:
    line = orjson.loads(DEFAULT_SET.read_bytes().splitlines()[0])
    line["gold"]["stances"] = [{"actor": "RUS", "topic": None, "open_topic": "grain-deal", "stance": "oppose"}]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(orjson.dumps(line))
    with pytest.raises(EvalSetError, match="open_topic"):
        load_eval_set(bad)


# -- open topics -----------------------------------------------------------------------------------


def _open(actor: str, slug: str, target: str, stance: str = "oppose") -> GoldStance:
    return GoldStance(actor=actor, topic=None, open_topic=slug, target=target, stance=stance)


def test_an_open_prediction_matches_when_its_key_is_the_gold_targets_key() -> None:
    gold = [_open("CHN", "taiwan-arms-sales", "the U.S. arms sales to China's Taiwan region")]
    preds = Predictions()
    preds.stances["a"] = {("CHN", "~arms-sale@TWN-USA", "oppose")}
    r = score([_item("a", [ZAK], gold)], preds)
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (1, 0, 0)
    assert (r.open_stances.tp, r.open_stances.fp, r.open_stances.fn) == (1, 0, 0)


def test_any_gold_target_of_the_same_slug_names_the_subject() -> None:
    items = [
        _item("a", [ZAK], [_open("CHN", "taiwan-arms-sales", "US arms sales to Taipei")], day=1),
        _item("b", [ZAK], [_open("TWN", "taiwan-arms-sales", "the sale", "support")], day=2),
    ]
    preds = Predictions()
    preds.stances["b"] = {("TWN", "~arms-sale@TWN-USA", "support")}
    r = score(items, preds)
    assert r.stances.tp == 1 and r.stances.fp == 0


def test_a_word_in_common_or_the_wrong_polarity_or_actor_is_no_match() -> None:
    gold = [_open("CHN", "taiwan-arms-sales", "US arms sales to Taipei")]
    preds = Predictions()
    preds.stances["a"] = {
        ("CHN", "~arms@TWN-USA", "oppose"),
        ("CHN", "~arms-sale@TWN-USA", "support"),
        ("JPN", "~arms-sale@TWN-USA", "oppose"),
    }
    r = score([_item("a", [ZAK], gold)], preds)
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (0, 3, 1)
    assert r.stance_misses[0].category == "read as support"


def test_one_stance_counts_once_however_many_keys_stand_for_it() -> None:
    gold = [_open("CHN", "taiwan-arms-sales", "the U.S. arms sales to Taiwan")]  # names taiwan-strait too
    preds = Predictions()
    preds.stances["a"] = {("CHN", "~arms-sale@TWN-USA", "oppose"), ("CHN", "taiwan-strait", "oppose")}
    r = score([_item("a", [ZAK], gold)], preds, taxonomy=Taxonomy.load())
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (1, 0, 0)


def test_an_annotated_open_stance_is_never_credited_to_one_of_the_sets_own_taxonomy_ids() -> None:
    items = [
        _item("a", [ZAK], [_open("CHN", "taiwan-arms-sales", "the arms supplies to Taipei")]),
        _item("b", [ZAK], [GoldStance(actor="USA", topic="arms-supplies-ukraine", stance="support")]),
    ]
    preds = Predictions()
    preds.stances["a"] = {("CHN", "arms-supplies-ukraine", "oppose")}
    r = score(items, preds, taxonomy=Taxonomy.load())
    assert r.stances.tp == 0 and r.stances.fp == 1


def test_articles_with_a_gold_stance_left_without_any_are_counted() -> None:
    items = [
        _item("a", [ZAK], [GoldStance(actor="RUS", topic="peace-talks", stance="oppose")]),
        _item("b", [ZAK], [GoldStance(actor="RUS", topic="peace-talks", stance="oppose")]),
        _item("c", [ZAK]),
    ]
    preds = Predictions()
    preds.stances["a"] = {("RUS", "arms-control", "oppose")}
    r = score(items, preds)
    assert (r.articles_without_stance.correct, r.articles_without_stance.total) == (1, 2)
    assert r.figures()["articles_without_stance"] == 0.5


def test_a_reversal_on_an_open_topic_is_found_by_its_key() -> None:
    items = [
        _item("a", [ZAK], [_open("CAN", "dst", "its digital services tax", "support")], day=1),
        _item("b", [ZAK], [_open("CAN", "dst", "the digital services tax", "oppose")], day=2),
    ]
    preds = Predictions(changes=[("CAN", "~digital-service-tax", "reversal", "b")])
    r = score(items, preds)
    assert (r.changes.tp, r.changes.fp, r.changes.fn) == (1, 0, 0)


def test_a_taxonomy_topic_the_gold_target_turns_around_is_credited_turned() -> None:
    # "leave the ECHR" names `echr` turned around: supporting the convention opposes leaving it.
    gold = [_open("IRL", "echr-withdrawal", "leave the ECHR")]
    preds = Predictions()
    preds.stances["a"] = {("IRL", "echr", "support")}
    r = score([_item("a", [ZAK], gold)], preds, taxonomy=Taxonomy.load())
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (1, 0, 0)
    preds.stances["a"] = {("IRL", "echr", "oppose")}  # opposing the convention is no opposition to leaving it
    r = score([_item("a", [ZAK], gold)], preds, taxonomy=Taxonomy.load())
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (0, 1, 1)
    assert r.stance_misses[0].category == "read as support"


def test_a_taxonomy_topic_the_slugs_targets_name_both_ways_stands_for_no_direction() -> None:
    items = [
        _item("a", [ZAK], [_open("IRL", "echr-withdrawal", "leave the ECHR")], day=1),
        _item("b", [ZAK], [_open("GBR", "echr-withdrawal", "the Strasbourg court", "support")], day=2),
    ]
    preds = Predictions()
    preds.stances["a"] = {("IRL", "echr", "support")}
    preds.stances["b"] = {("GBR", "echr", "support")}
    r = score(items, preds, taxonomy=Taxonomy.load())
    assert (r.stances.tp, r.stances.fp, r.stances.fn) == (0, 2, 2)
