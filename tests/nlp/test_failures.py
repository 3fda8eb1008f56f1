"""A failure inside an extractor is that article's alone, and surfaces; a budget stops one article.

Each case used to be swallowed: the article came out with no statements and no dead letter (and a
parser batch failure emptied every article of the batch).
"""

from __future__ import annotations

import time

import pytest

from schemas import encode
from streams.core.pipeline import OVER_BUDGET, Origin, Pipeline
from streams.nlp._text import BudgetExceeded
from streams.nlp.adversarial import COUNTRY_HEADLINE, article_of, statement_of
from streams.nlp.extract import FastExtractor
from streams.nlp.stance import detect_stances
from streams.settings import Settings
from tests.nlp.conftest import make_article

ATTRIBUTED = make_article(
    "Russian Foreign Minister Sergei Lavrov said on Tuesday that Moscow would never accept European troops in "
    "Ukraine. The Kremlin rejected the plan, spokesman Dmitry Peskov told reporters.",
    headline="Russia rejects troops plan",
    article_id="good",
)


def _record(article, offset: int = 0):  # noqa: ANN001, ANN202 - a raw record as the pipeline consumes it
    return encode(article), Origin(topic="news.raw", partition=0, offset=offset, key=article.id.encode())


# -- the fast extractor ----------------------------------------------------------------------------


def test_upper_case_symbol_before_a_speech_verb_gives_no_statement_and_no_error(extractor):
    article = make_article("Ⓐ said the talks would resume. Ⓑ told reporters nothing.", article_id="circled")
    assert extractor.extract(article) == []
    assert extractor._scan_back("officials from Ⓐ") is None  # noqa: SLF001 - the rule that raised


def test_a_rule_bug_raises_for_its_article_instead_of_returning_nothing(monkeypatch):
    fast = FastExtractor()

    def broken(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("a bug in a rule")

    monkeypatch.setattr(fast, "_by_verb", broken)
    with pytest.raises(RuntimeError, match="a bug in a rule"):
        fast.extract(ATTRIBUTED)


def test_pipeline_dead_letters_only_the_article_a_rule_bug_breaks(monkeypatch):
    fast = FastExtractor()
    original = fast._read_field  # noqa: SLF001

    def broken_for_one(doc, text, base, **kwargs):  # noqa: ANN001, ANN003, ANN202
        if "poison" in text:
            raise RuntimeError("a bug in a rule")
        return original(doc, text, base, **kwargs)

    monkeypatch.setattr(fast, "_read_field", broken_for_one)
    pipeline = Pipeline(Settings(extractor="fast"), extractor=fast)
    poisoned = make_article("A poison sentence, the minister said.", article_id="bad")
    outcomes = pipeline.extract_batch([_record(ATTRIBUTED, 0), _record(poisoned, 1)])
    assert outcomes[0].dead_letter is None and outcomes[0].statements
    assert outcomes[1].dead_letter is not None
    assert outcomes[1].dead_letter.reason == "processing_error"
    assert "a bug in a rule" in outcomes[1].dead_letter.error


# -- budgets ---------------------------------------------------------------------------------------


def test_fast_extractor_stops_past_its_budget():
    fast = FastExtractor(budget_seconds=1e-6)
    with pytest.raises(BudgetExceeded, match="over its budget"):
        fast.extract(article_of("wire", 50_000, headline=COUNTRY_HEADLINE))


def test_pipeline_dead_letters_an_article_over_budget_and_goes_on():
    settings = Settings(extractor="fast", extract_budget=1e-6)
    pipeline = Pipeline(settings, extractor=FastExtractor(budget_seconds=settings.extract_budget))
    outcome = pipeline.extract(*_record(article_of("wire", 50_000, headline=COUNTRY_HEADLINE)))
    assert outcome.dead_letter is not None
    assert outcome.dead_letter.reason == (OVER_BUDGET or "processing_error")
    assert outcome.dead_letter.error.startswith("over_budget:")


def test_an_article_over_budget_in_a_fast_batch_costs_one_budget_and_no_article_runs_twice():
    calls: list[str] = []

    class Counting(FastExtractor):
        def extract(self, article):  # noqa: ANN001, ANN202
            calls.append(article.id)
            if article.id == "slow":
                raise BudgetExceeded("extraction of article slow", 5.0, 5.01)
            return super().extract(article)

    pipeline = Pipeline(Settings(extractor="fast"), extractor=Counting())
    slow = make_article("Nothing to see here, officials said.", article_id="slow")
    later = ATTRIBUTED.model_copy(update={"id": "later"})
    outcomes = pipeline.extract_batch([_record(ATTRIBUTED, 0), _record(slow, 1), _record(later, 2)])
    assert sorted(calls) == ["good", "later", "slow"]  # each once: no retry of the batch, no second budget
    assert outcomes[1].dead_letter is not None and outcomes[1].dead_letter.error.startswith("over_budget:")
    assert outcomes[0].statements and outcomes[2].statements
    assert outcomes[0].dead_letter is None and outcomes[2].dead_letter is None


def test_loaded_extractor_gets_the_configured_budget():
    pipeline = Pipeline(Settings(extractor="fast", extract_budget=1.5))
    assert pipeline.extractor.budget_seconds == 1.5  # type: ignore[attr-defined]


def test_budgets_are_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("STANCEWIRE_EXTRACT_BUDGET", "2.5")
    monkeypatch.setenv("STANCEWIRE_STANCE_BUDGET", "0.75")
    settings = Settings()
    assert (settings.extract_budget, settings.stance_budget) == (2.5, 0.75)
    assert Settings.model_fields["extract_budget"].default > 0


def test_stance_step_stops_past_its_budget(taxonomy):
    statement = statement_of(article_of("stance_topics", 50_000).body)
    assert detect_stances(statement, taxonomy)  # within no budget it reads stances
    with pytest.raises(BudgetExceeded):
        detect_stances(statement, taxonomy, budget_seconds=1e-6)


# -- the parsed extractor --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parsed():  # noqa: ANN201 - ParsedExtractor, when spaCy and a model are installed
    from streams.nlp.parsed import ModelUnavailable, ParsedExtractor

    try:
        return ParsedExtractor()
    except ModelUnavailable as exc:
        pytest.skip(str(exc))


def test_according_to_followed_only_by_punctuation(parsed):
    article = make_article(
        "The deal would be signed next week, he said, according to ####. according to ***, the talks said.",
        article_id="according",
    )
    (result,) = parsed.extract_each([article])
    assert not isinstance(result, Exception), result


def test_a_sentence_over_the_limit_empties_no_other_article(parsed):
    from streams.nlp.parsed import MAX_PARSED_SENTENCE_CHARS

    alone = parsed.extract(ATTRIBUTED)
    assert alone
    huge = make_article("the minister said " * (MAX_PARSED_SENTENCE_CHARS // 10), article_id="huge")
    results = parsed.extract_each([huge, ATTRIBUTED])
    assert results[0] == []
    assert results[1] == alone


def test_a_rule_bug_in_one_article_leaves_the_batch_its_statements(parsed, monkeypatch):
    original = parsed._read_body  # noqa: SLF001

    def broken_for_one(doc, body, base, plan, deadline):  # noqa: ANN001, ANN202
        if "poison" in body:
            raise RuntimeError("a bug in a rule")
        return original(doc, body, base, plan, deadline)

    monkeypatch.setattr(parsed, "_read_body", broken_for_one)
    poisoned = make_article("A poison sentence, the minister said.", article_id="bad")
    results = parsed.extract_each([poisoned, ATTRIBUTED])
    assert isinstance(results[0], RuntimeError)
    assert results[1] and not isinstance(results[1], Exception)
    with pytest.raises(RuntimeError):
        parsed.extract_many([poisoned, ATTRIBUTED])


def test_a_parser_failure_costs_only_the_article_that_causes_it(parsed, monkeypatch):
    real_pipe = parsed.nlp.pipe

    def pipe(texts, **kwargs):  # noqa: ANN001, ANN003, ANN202
        texts = list(texts)
        if any("Boom" in t for t in texts):
            raise ValueError("the parser broke")
        return real_pipe(texts, **kwargs)

    monkeypatch.setattr(parsed.nlp, "pipe", pipe)
    breaking = make_article("Officials said Boom would come, the minister said.", article_id="boom")
    results = parsed.extract_each([breaking, ATTRIBUTED])
    assert isinstance(results[0], ValueError)
    assert results[1] and not isinstance(results[1], Exception)


def test_parsed_budget_stops_one_article_and_not_the_others(monkeypatch):
    from streams.nlp.parsed import ModelUnavailable, ParsedExtractor

    try:
        slow_parser = ParsedExtractor(budget_seconds=0.2)
    except ModelUnavailable as exc:
        pytest.skip(str(exc))
    original = slow_parser._read_body  # noqa: SLF001

    def slow_for_one(doc, body, base, plan, deadline):  # noqa: ANN001, ANN202
        if "slowly" in body:
            time.sleep(0.3)  # stands for an article whose reading takes too long
        return original(doc, body, base, plan, deadline)

    monkeypatch.setattr(slow_parser, "_read_body", slow_for_one)
    slow = make_article("The minister said slowly that talks would go on. He said more.", article_id="slow")
    results = slow_parser.extract_each([slow, ATTRIBUTED])
    assert isinstance(results[0], BudgetExceeded)
    assert results[1] and not isinstance(results[1], Exception)


def test_pipeline_stance_step_uses_the_stance_budget():
    pipeline = Pipeline(Settings(extractor="fast", stance_budget=1e-6))
    with pytest.raises(BudgetExceeded, match="stance detection"):
        pipeline.stances(statement_of(article_of("stance_topics", 50_000).body))
