"""Topic taxonomy: topics with keyword phrases, matched case-insensitively with simple inflection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from streams.nlp._text import (
    DATA_DIR,
    FirstWords,
    LazyPatterns,
    matches_at_first_words,
    phrases_pattern,
    read_yaml,
)
from streams.nlp.open_topics import gazetteer

__all__ = ["Taxonomy", "TaxonomyError", "Topic", "TopicMatch"]


class TaxonomyError(ValueError):
    """A taxonomy file is not valid; the message names the bad entry."""


class Topic(BaseModel):
    """One topic: a kebab-case id, a label for people, and keyword phrases.

    `restriction` marks topics that are themselves a restriction (sanctions, tariffs, quotas, border
    defence): a "ban on" such a topic's keywords is still the topic, while a "ban on Russian gas" turns a
    flow topic (supplies, membership, inspections) around.

    `against` lists phrases that name the topic's harm or negation ("torture" for human rights,
    "censorship" for press freedom): a mention of the topic read turned around, so condemning torture
    supports human rights, and so does a "ban on torture" (an against phrase is a flow, whatever the topic).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    label: str = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    against: list[str] = Field(default_factory=list)
    restriction: bool = False
    # The IPTC Media Topic this topic files under ("medtop:11000000"), for desks that join it to theirs.
    iptc: str | None = Field(default=None, pattern=r"^medtop:\d{8}$")
    # Phrases in which a keyword means something else ("electricity tariffs" are a utility price, to
    # "lodge a protest" is diplomacy): a keyword hit inside one is no mention of the topic.
    not_in: list[str] = Field(default_factory=list)
    # The one country the topic is about (an actor id: "RUS" for sanctions on Russia): a keyword aimed
    # at another country ("new sanctions on Caracas", "military aid to Israel") is not this topic.
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2,6}$")
    # The topic is named for a harm (terrorism, interference, displacement, discrimination): its keywords
    # name the harm, its `against` phrases the remedy. Nobody's support for the harm itself is read from
    # a cue whose object only mentions it ("ready to support any state facing terrorist attacks").
    harm: bool = False
    # The topic names an arena (a sea, a canal, a war, a region's conflict), not a thing one can be for
    # or against: no stance is read on it ("lodged a protest over dangerous manoeuvres" near the Spratlys
    # opposes the manoeuvres, not "the South China Sea"); the cue reads its own object or another topic.
    arena: bool = False

    @field_validator("keywords", "against", "not_in")
    @classmethod
    def _non_blank(cls, value: list[str]) -> list[str]:
        if any(not str(k).strip() for k in value):
            raise ValueError("keywords must not be blank")
        return value

    @model_validator(mode="after")
    def _against_is_no_keyword(self) -> Topic:
        both = sorted({k.lower() for k in self.keywords} & {k.lower() for k in self.against})
        if both:  # a phrase cannot name the topic both ways
            raise ValueError(f"in both keywords and against: {', '.join(both)}")
        return self


@dataclass(frozen=True)
class TopicMatch:
    """A keyword hit: which topic, the character span of the matched words, and whether they name the
    topic's harm (one of its `against` phrases: a stance on them is turned toward the topic)."""

    topic: str
    label: str
    start: int
    end: int
    text: str
    against: bool = False


_TOPICS = TypeAdapter(list[Topic])
# The preposition (and article) after a keyword that names whom it is aimed at: sanctions on, aid to.
_AIMED_AT = re.compile(r"\s+(?:on|against|targeting|to|for)\s+(?:the\s+)?", re.IGNORECASE)
# How far past the preposition a country's name is looked for ("the Democratic Republic of the Congo").
_NAME_REACH = 48


def _aimed_at_another_country(topic: Topic, text: str, end: int) -> bool:
    """Whether the keyword ending at `end` is aimed at a country other than the topic's own."""
    aimed = _AIMED_AT.match(text, end)
    if topic.country is None or aimed is None:
        return False
    terms = gazetteer().terms_in(text[aimed.end() : aimed.end() + _NAME_REACH])
    return bool(terms) and terms[0][0] == 0 and terms[0][2].actor != topic.country


class Taxonomy:
    """A set of topics with precompiled keyword patterns."""

    def __init__(self, topics: list[Topic]) -> None:
        ids = [t.id for t in topics]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise TaxonomyError(f"duplicate topic id(s): {', '.join(dupes)}")
        self.topics = tuple(topics)
        self._by_id = {t.id: t for t in topics}
        # One pattern per topic, longest phrase first so the span covers the fullest phrase.
        self._patterns = LazyPatterns([phrases_pattern(t.keywords + t.against) for t in topics], re.IGNORECASE)
        # Per topic with `against` phrases, the one pattern that tells such a hit from a keyword's.
        self._against = {
            i: re.compile(phrases_pattern(t.against), re.IGNORECASE) for i, t in enumerate(topics) if t.against
        }
        self._not_in = {
            i: re.compile(phrases_pattern(t.not_in), re.IGNORECASE) for i, t in enumerate(topics) if t.not_in
        }
        # Which topics can match at all, from one scan of their keywords' first words.
        owners = [i for i, t in enumerate(topics) for _k in t.keywords + t.against]
        self._first = FirstWords([k for t in topics for k in t.keywords + t.against])
        self._owner = owners

    @classmethod
    def load(cls, path: Path | str | None = None) -> Taxonomy:
        """The packaged default taxonomy, or a user YAML file (a list of {id, label, keywords})."""
        path = Path(path) if path else DATA_DIR / "taxonomy.yaml"
        try:
            raw = read_yaml(path)
        except OSError as exc:
            raise TaxonomyError(f"{path}: cannot read taxonomy: {exc}") from exc
        except yaml.YAMLError as exc:
            raise TaxonomyError(f"{path}: not valid YAML: {exc}") from exc
        return cls.from_data(raw, source=str(path))

    @classmethod
    def from_data(cls, raw: object, source: str = "taxonomy") -> Taxonomy:
        if not isinstance(raw, list):
            raise TaxonomyError(f"{source}: expected a list of topics, got {type(raw).__name__}")
        try:
            topics = _TOPICS.validate_python(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            index = err["loc"][0]
            entry = raw[index] if isinstance(index, int) else None
            name = entry.get("id") if isinstance(entry, dict) else None
            field = ".".join(str(p) for p in err["loc"][1:]) or "entry"
            raise TaxonomyError(f"{source}: topic #{index} ({name or 'no id'}): {field}: {err['msg']}") from exc
        return cls(topics)

    def __len__(self) -> int:
        return len(self.topics)

    def __contains__(self, topic_id: object) -> bool:
        return topic_id in self._by_id

    def get(self, topic_id: str) -> Topic | None:
        return self._by_id.get(topic_id)

    def label(self, topic_id: str) -> str:
        return self._by_id[topic_id].label

    def is_restriction(self, topic_id: str) -> bool:
        topic = self._by_id.get(topic_id)
        return bool(topic and topic.restriction)

    def is_arena(self, topic_id: str) -> bool:
        """Whether the topic names an arena no stance is read on (`Topic.arena`)."""
        topic = self._by_id.get(topic_id)
        return bool(topic and topic.arena)

    def names_a_harm(self, topic_match: TopicMatch) -> bool:
        """Whether a keyword hit names a harm: a keyword of a `harm` topic, or another topic's `against`
        phrase ("coup", "crackdown")."""
        topic = self._by_id.get(topic_match.topic)
        return bool(topic and topic.harm) != topic_match.against

    def match(self, text: str) -> list[TopicMatch]:
        """Every keyword hit in `text`, ordered by position."""
        found = matches_at_first_words(self._first.positions(text), self._owner, self._patterns, text)
        excluded: dict[int, list[tuple[int, int]]] = {}  # per topic, its other-sense phrases in `text`
        for owner in {owner for owner, _match in found if owner in self._not_in}:
            excluded[owner] = [other.span() for other in self._not_in[owner].finditer(text)]
        out = [
            TopicMatch(
                self.topics[owner].id,
                self.topics[owner].label,
                match.start(),
                match.end(),
                match.group(),
                owner in self._against and self._against[owner].fullmatch(text, match.start(), match.end()) is not None,
            )
            for owner, match in found
            if not any(start <= match.start() and match.end() <= end for start, end in excluded.get(owner, ()))
            and not _aimed_at_another_country(self.topics[owner], text, match.end())
        ]
        out.sort(key=lambda topic_match: (topic_match.start, -topic_match.end))
        return out

    def topics_in(self, text: str) -> list[str]:
        """Distinct topic ids named in `text`, in order of first mention."""
        seen: dict[str, None] = {}
        for m in self.match(text):
            seen.setdefault(m.topic, None)
        return list(seen)
