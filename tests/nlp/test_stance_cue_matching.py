"""Issue 13, reading defects in cue matching: which phrase a cue is, whom a predicative noun judges,
inflected cues inside a phrase, and a body named inside a longer name. One test per construction, on
our own sentences in the styles of wire reporting."""

from __future__ import annotations

import pytest

from streams.nlp.actors import Gazetteer
from streams.nlp.extract import FastExtractor
from streams.nlp.parsed import ParsedExtractor
from streams.nlp.stance import Cues, detect_stances
from streams.nlp.targets import is_subject_cue
from tests.nlp.conftest import make_article, make_statement

# -- a body's name inside a longer name names that other body -----------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        ("the National Security Council said", []),
        ("a Regional Security Council statement", []),
        ("the Security Council met on Friday", ["UN"]),
        ("Security Council members voted", ["UN"]),
        ("the UN Security Council said", ["UN"]),
        ("Russia's Security Council said", ["RUS", "UN"]),
        ("On Friday Security Council envoys met", ["UN"]),
    ],
)
def test_a_body_named_inside_a_longer_name_is_no_mention_of_it(gazetteer, text, actors) -> None:  # noqa: ANN001
    assert [entry.actor for _start, _end, entry in gazetteer.terms_in(text)] == actors


@pytest.mark.parametrize("extractor", [FastExtractor, ParsedExtractor])
def test_a_state_body_with_no_country_in_its_name_follows_the_office_holder_rules(extractor) -> None:  # noqa: ANN001
    body = (
        "WASHINGTON — The White House said on Tuesday that the Egyptian plan for Gaza fell short.\n"
        "National Security Council spokeswoman Dana Lowell said the proposal left the core questions open."
    )
    statements = extractor().extract(make_article(body, "White House cool on Gaza plan"))
    assert {s.speaker.name: s.speaker.actor for s in statements}["Dana Lowell"] == "USA"


# -- a multi-word cue is inflected on every word, not only its last -----------------------------------


def open_events(text: str, taxonomy, actor: str = "ISR") -> dict[str, str]:  # noqa: ANN001
    events = detect_stances(make_statement(text, "Spokesperson", actor), taxonomy)
    return {e.topic: e.stance for e in events if e.topic_source == "open"}


@pytest.mark.parametrize("verb", ["fail", "fails", "failed", "failing"])
def test_an_inflected_verb_inside_a_subject_cue_still_judges_the_subject(taxonomy, verb) -> None:  # noqa: ANN001
    text = f"the reconstruction blueprint {verb} to address the security of the border towns"
    assert open_events(text, taxonomy) == {"~blueprint-reconstruction": "oppose"}


@pytest.mark.parametrize("phrase", ["step forward", "steps forward"])
def test_a_subject_cue_whose_first_word_is_inflected_is_one(phrase) -> None:  # noqa: ANN001
    assert is_subject_cue(phrase)


# -- a predicative noun cue is linked to the phrase before it only by a copula ------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the ministry made a clear mistake",
        "the ministry made a mistake",
        "the army staged a deliberate provocation",
        "the envoy said the ministry made a costly mistake",
    ],
)
def test_a_noun_cue_after_another_verb_judges_no_phrase_before_it(taxonomy, text) -> None:  # noqa: ANN001
    assert open_events(text, taxonomy, actor="FRA") == {}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("the expansion of the coal mine was a clear mistake", "~coal-expansion-mine"),
        ("the blockade of the port constitutes a flagrant violation", "~blockade-port"),
        ("the blockade of the port became a grave provocation", "~blockade-port"),
        ("Paris called the blockade of the port a provocation", "~blockade-port"),
    ],
)
def test_a_noun_cue_after_a_copula_or_a_verb_of_calling_judges_that_phrase(taxonomy, text, key) -> None:  # noqa: ANN001
    assert open_events(text, taxonomy, actor="FRA") == {key: "oppose"}


# -- a harm is a cue phrase, so the longest one ("violation of") is the hit ---------------------------


def all_events(text: str, taxonomy, actor: str = "QAT") -> set[tuple[str, str]]:  # noqa: ANN001
    return {(e.topic, e.stance) for e in detect_stances(make_statement(text, "Spokesperson", actor), taxonomy)}


@pytest.mark.parametrize(
    "text",
    [
        "the overnight raid was a violation of the truce",
        "the shelling of the town was a clear violation of the ceasefire",
        "Doha said the strikes were violations of the truce",
        "the raid was in breach of the ceasefire",
    ],
)
def test_a_violation_of_a_topic_backs_the_topic(taxonomy, text) -> None:  # noqa: ANN001
    assert all_events(text, taxonomy) == {("peace-talks", "support")}


@pytest.mark.parametrize("harm", ["a violation of", "in breach of"])
def test_a_harm_with_no_taxonomy_topic_judges_its_subject(taxonomy, harm) -> None:  # noqa: ANN001
    text = f"the seizure of the tanker was {harm} the maritime convention"
    assert open_events(text, taxonomy, actor="QAT") == {"~seizure-tanker": "oppose"}


def test_a_harm_that_is_no_cue_phrase_is_refused(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "cues.yaml"
    path.write_text("support: {back: 0.5}\noppose: {violation: 0.6}\nharms: [violation of]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="violation of"):
        Cues.load(path)


@pytest.mark.parametrize(
    "text",
    [
        # the harm is the object of "verify", not of "agreed to": both back the ceasefire
        "the two sides agreed to set up a joint commission to verify any violations of the ceasefire",
        # after a verb of calling the cue still governs the harm
        "Doha condemned what it called a flagrant violation of the ceasefire",
    ],
)
def test_a_cue_governs_a_noun_harm_only_over_a_copula(taxonomy, text) -> None:  # noqa: ANN001
    assert all_events(text, taxonomy) == {("peace-talks", "support")}
