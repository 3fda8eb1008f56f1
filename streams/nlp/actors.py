"""Actor gazetteer: countries (ISO 3166-1 alpha-3), organisations, offices, title cues and news channels.

Two files make it: `data/countries.generated.json` (every ISO 3166 country and territory, written by
`python -m streams.nlp.build_actors` from data packages) and the hand-kept `data/actors.yaml` (adjectives,
demonyms, seats of government, organisations, offices, channels, titles). The curated file wins: its
terms are taken first, and its `not_terms` drop generated terms that are mostly names or words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from streams.nlp._text import DATA_DIR, governed_pattern, packaged_yaml, read_yaml, straight_apostrophes, trie_pattern

__all__ = ["ActorEntry", "Gazetteer", "GazetteerError", "Office", "Person", "packaged_gazetteer"]

TermKind = Literal["name", "adjective", "demonym", "metonym", "institution"]

GENERATED_FILE = "countries.generated.json"


class GazetteerError(ValueError):
    """The actors file is not valid; the message names the bad entry."""


class _Actor(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=2, max_length=8)
    names: list[str] = Field(default_factory=list)
    adjectives: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    metonyms: list[str] = Field(default_factory=list)
    institutions: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)


class Person(BaseModel):
    """A well-known office holder, used only when the text itself names no actor for them."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    aliases: list[str] = Field(default_factory=list)
    actor: str
    role: str | None = None
    gender: Literal["f", "m"] | None = None


class Office(BaseModel):
    """An office that names whom its holder speaks for ("Home Secretary" → GBR, "Taoiseach" → IRL)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    office: str = Field(min_length=2)
    actor: str
    # Others with an office of the same name: when the article names one of them, the office alone says
    # nothing; the one holder the article names, or the story's own country among them, decides.
    shared_with: tuple[str, ...] = ()
    # A body ("Foreign Office") rather than a person's office: no title cue for its holder.
    body: bool = False

    @property
    def holders(self) -> frozenset[str]:
        return frozenset((self.actor, *self.shared_with))


class _GeneratedCountry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=3, max_length=3)
    alpha_2: str | None = None
    names: list[str]
    adjectives: list[str]
    metonyms: list[str]


class _GeneratedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    generated_by: str
    sources: dict[str, str]
    countries: list[_GeneratedCountry]
    ambiguous: dict[str, list[str]]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    countries: list[_Actor]
    not_terms: list[str] = Field(default_factory=list)
    offices: list[Office] = Field(default_factory=list)
    organisations: list[_Actor] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    female_titles: list[str] = Field(default_factory=list)
    male_titles: list[str] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)


@dataclass(frozen=True)
class ActorEntry:
    """One gazetteer term and what it stands for."""

    term: str
    actor: str
    kind: TermKind
    is_country: bool


# Prepositions before a place name mean the phrase is about that place, not its speaker
# ("Turkey's ambassador to Russia" speaks for TUR).
_GOVERNED = governed_pattern(packaged_yaml("lexicon.yaml")["governing_prepositions"]["speaker_phrase"])


# A capitalised word right before a term, and how far back it is looked for (characters).
_NAME_WORD_BEFORE = re.compile(r"(?<![\w'’-])([A-Z][\w'’-]*)\s+$")
_NAME_WORD_REACH = 32
# Capitalised words that are no part of a body's name: sentence adverbs, dates, determiners.
_NOT_NAME_WORDS = frozenset(packaged_yaml("lexicon.yaml")["stop_capitals"]) | {"the"}


@dataclass
class Gazetteer:
    """Lookups over the actors file; build with `Gazetteer.load()`."""

    entries: dict[str, ActorEntry]
    channels: frozenset[str]
    titles: tuple[str, ...]
    female_titles: frozenset[str]
    male_titles: frozenset[str]
    people: dict[str, Person]
    names: dict[str, str] = field(default_factory=dict)
    # Common nouns that stand for an organisation the article names ("alliance" → NATO), lower case.
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Terms that are also adjectives ("US", "UK", "EU"): "US rice" names no speaker country.
    adjectival: frozenset[str] = frozenset()
    # Offices that name their actor, by the forms they are written in ("Home Secretary", "home secretary").
    offices: dict[str, Office] = field(default_factory=dict)
    # Ids of countries and territories (ISO 3166-1 alpha-3, XKX), as opposed to organisations.
    country_ids: frozenset[str] = frozenset()
    _term_re: re.Pattern[str] = field(init=False, repr=False)
    # The entries by their terms with apostrophes written straight: the key a matched "People’s" finds.
    _by_straight_term: dict[str, ActorEntry] = field(init=False, repr=False)
    _channel_re: re.Pattern[str] = field(init=False, repr=False)
    _title_re: re.Pattern[str] = field(init=False, repr=False)
    _office_re: re.Pattern[str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_straight_term = {}
        for term, entry in self.entries.items():
            self._by_straight_term.setdefault(straight_apostrophes(term), entry)
        # Trie-shaped alternations: greedy, so the longest term at a position wins.
        self._term_re = re.compile(r"(?<![\w.])(?:" + trie_pattern(self.entries, spaces=False) + r")(?![\w+])")
        self._channel_re = re.compile(r"(?<![\w])(?:" + trie_pattern(self.channels, spaces=False) + r")(?![\w])")
        cased = {form for title in self.titles for form in (title, title.title(), title.capitalize(), title.upper())}
        # "Vice-President", "Prime-Minister": a two-word title is also written with a hyphen.
        cased.update(form.replace(" ", "-") for form in list(cased) if form.count(" ") == 1)
        cased.update(office.office for office in self.offices.values() if not office.body)
        self._title_re = re.compile(r"(?<![\w-])(?:" + trie_pattern(cased) + r")(?![\w-])")
        self._office_re = (
            re.compile(r"(?<![\w-])(?:" + trie_pattern(set(self.offices)) + r")(?![\w-])") if self.offices else None
        )

    @classmethod
    def load(cls, path: Path | None = None, *, generated_path: Path | None = None) -> Gazetteer:
        """Load the packaged gazetteer, or a curated file of the same shape (always over the generated countries)."""
        path = path or DATA_DIR / "actors.yaml"
        generated_path = generated_path or DATA_DIR / GENERATED_FILE
        raw = read_yaml(path)
        try:
            data = _File.model_validate(raw)
        except ValidationError as exc:
            raise GazetteerError(f"{path}: {_describe(exc, raw)}") from exc
        try:
            generated = _GeneratedFile.model_validate(json.loads(generated_path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise GazetteerError(f"{generated_path}: {exc} (regenerate: python -m streams.nlp.build_actors)") from exc
        country_ids = frozenset(country.id for country in generated.countries)
        _check_ids(path, data, country_ids)
        not_terms = frozenset(data.not_terms)
        entries: dict[str, ActorEntry] = {}
        names: dict[str, str] = {}
        references: dict[str, tuple[str, ...]] = {}
        adjectival: set[str] = set()
        generated_actors = [
            _Actor(
                id=country.id,
                names=[term for term in country.names if term not in not_terms],
                adjectives=[term for term in country.adjectives if term not in not_terms],
                metonyms=[term for term in country.metonyms if term not in not_terms],
            )
            for country in generated.countries
        ]
        # The curated file first: its terms win over generated ones (first writer wins).
        for group, is_country in ((data.countries, True), (data.organisations, False), (generated_actors, True)):
            for actor in group:
                if actor.names:
                    names.setdefault(actor.id, actor.names[0])
                adjectival.update(actor.adjectives)
                for ref in actor.references:
                    references[ref.lower()] = (*references.get(ref.lower(), ()), actor.id)
                kinds: tuple[tuple[TermKind, list[str]], ...] = (
                    ("name", actor.names),
                    ("adjective", actor.adjectives),
                    ("demonym", actor.demonyms),
                    ("metonym", actor.metonyms),
                    ("institution", actor.institutions),
                )
                for kind, terms in kinds:
                    for term in terms:
                        # First writer wins: "US" is both the name and adjective of USA.
                        entries.setdefault(term, ActorEntry(term, actor.id, kind, is_country))
        people: dict[str, Person] = {}
        for person in data.people:
            for alias in (person.name, *person.aliases):
                people[alias.lower()] = person
            people.setdefault(person.name.split()[-1].lower(), person)
        offices: dict[str, Office] = {}
        office_titles: list[str] = []
        for office in data.offices:
            for form in (office.office, office.office.lower(), office.office.title()):
                offices.setdefault(form, office)
            # An office that names its actor's own term ("EU Commissioner") is read through that term;
            # the others ("Home Secretary", "Taoiseach") are title cues as well.
            if not office.body and not any(word in entries for word in office.office.split()):
                office_titles.append(office.office.lower())
        return cls(
            entries=entries,
            channels=frozenset(data.channels),
            titles=tuple(dict.fromkeys([t.lower() for t in data.titles] + office_titles)),
            female_titles=frozenset(t.lower() for t in data.female_titles),
            male_titles=frozenset(t.lower() for t in data.male_titles),
            people=people,
            names=names,
            references=references,
            adjectival=frozenset(adjectival),
            offices=offices,
            country_ids=country_ids,
        )

    # -- actors -------------------------------------------------------------------------------
    def lookup(self, term: str) -> ActorEntry | None:
        """The entry for exactly this term (possessive 's ignored)."""
        return self._by_straight_term.get(straight_apostrophes(_strip_possessive(term.strip())))

    def terms_in(self, text: str) -> list[tuple[int, int, ActorEntry]]:
        """Every gazetteer term in `text` as (start, end, entry), left to right.

        A body's name that ends a longer name ("Security Council" in "National Security Council") names
        that other body, not the one the gazetteer knows by it: it is no term there.
        """
        found = []
        for match in self._term_re.finditer(text):
            entry = self._by_straight_term[straight_apostrophes(match.group())]
            if entry.kind == "institution" and self._ends_a_longer_name(text, match.start()):
                continue
            found.append((match.start(), match.end(), entry))
        return found

    def _ends_a_longer_name(self, text: str, start: int) -> bool:
        """Whether a capitalised word of a name (no gazetteer term, no sentence adverb or determiner)
        stands right before `start`."""
        before = _NAME_WORD_BEFORE.search(text, max(0, start - _NAME_WORD_REACH), start)
        if before is None:
            return False
        word = before.group(1)
        return word.lower() not in _NOT_NAME_WORDS and self.lookup(word) is None

    def actor_in(self, text: str) -> str | None:
        """The actor a speaker phrase speaks for ("Russia's deputy foreign minister" → RUS).

        The first term wins, except terms governed by a preposition ("ambassador to Russia"), which
        count only when nothing else is named.
        """
        fallback: str | None = None
        for start, _end, entry in self.terms_in(text):
            if _GOVERNED.search(text[:start]):
                fallback = fallback or entry.actor
                continue
            return entry.actor
        return fallback

    def office_in(self, text: str) -> Office | None:
        """The longest office in `text` that names whom its holder speaks for ("the Home Secretary")."""
        if self._office_re is None:
            return None
        found = max((match.group() for match in self._office_re.finditer(text)), key=len, default=None)
        return self.offices.get(re.sub(r"\s+", " ", found)) if found else None

    def referenced(self, word: str) -> tuple[str, ...]:
        """The organisations a common noun can stand for ("alliance" → NATO), possessive ignored."""
        return self.references.get(_strip_possessive(word.strip()).lower(), ())

    def actor_name(self, actor: str) -> str:
        return self.names.get(actor, actor)

    # -- channels -----------------------------------------------------------------------------
    def is_channel(self, name: str) -> bool:
        """Whether `name` is a news agency or outlet ("TASS", "the PAP news agency", "Russian media")."""
        stripped = re.sub(r"^(?:the|pro-\w+)\s+", "", name.strip(), flags=re.IGNORECASE)
        if stripped in self.channels:
            return True
        return bool(
            self._channel_re.search(name)
            or re.search(r"\b(?:media|news agency|agency reports?|newspaper|broadcaster|outlet|press)\s*$", name)
        )

    def channel_in(self, text: str) -> str | None:
        """The first channel named in `text`, as written in the gazetteer."""
        m = self._channel_re.search(text)
        return m.group() if m else None

    # -- titles and people --------------------------------------------------------------------
    def title_in(self, text: str) -> str | None:
        """The longest title cue in `text`, lower-cased ("deputy foreign minister")."""
        best = max((m.group() for m in self._title_re.finditer(text)), key=len, default=None)
        if best is None:
            return None
        title = re.sub(r"\s+", " ", best.lower())
        spaced = title.replace("-", " ")
        return spaced if title not in self.titles and spaced in self.titles else title

    def title_spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self._title_re.finditer(text)]

    @property
    def title_pattern(self) -> str:
        return self._title_re.pattern

    def person(self, name: str) -> Person | None:
        return self.people.get(name.lower())


@cache
def packaged_gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once per process and shared by the speaker step, the stance step,
    open-topic keys and the taxonomy (building its patterns is a quarter second of a process's start)."""
    return Gazetteer.load()


def _strip_possessive(term: str) -> str:
    return re.sub(r"['’]s?$", "", term)


def _describe(exc: ValidationError, raw: object) -> str:
    """Name the entry a validation error is about: its section, index and id."""
    err = exc.errors()[0]
    loc = err["loc"]
    where = ".".join(str(p) for p in loc)
    if len(loc) >= 2 and isinstance(raw, dict) and isinstance(loc[1], int):
        try:
            entry = raw[loc[0]][loc[1]]
            ident = (entry.get("id") or entry.get("name") or entry.get("office")) if isinstance(entry, dict) else entry
            where += f" (entry {ident!r})"
        except (KeyError, IndexError, TypeError):
            pass
    return f"invalid entry at {where}: {err['msg']}"


def _check_ids(path: Path, data: _File, country_ids: frozenset[str]) -> None:
    """Curated entries must name actors that exist; the message names the bad entry."""
    for index, country in enumerate(data.countries):
        if country.id not in country_ids:
            raise GazetteerError(
                f"{path}: invalid entry at countries.{index} (entry {country.id!r}): not an ISO 3166 id of "
                f"{GENERATED_FILE}; add new countries to the generator, not here"
            )
    organisation_ids = {organisation.id for organisation in data.organisations}
    for index, organisation in enumerate(data.organisations):
        if organisation.id in country_ids:
            raise GazetteerError(
                f"{path}: invalid entry at organisations.{index} (entry {organisation.id!r}): "
                "the id is a country's; organisations need ids of their own"
            )
    known = country_ids | organisation_ids
    for index, office in enumerate(data.offices):
        for actor in (office.actor, *office.shared_with):
            if actor not in known:
                raise GazetteerError(
                    f"{path}: invalid entry at offices.{index} (entry {office.office!r}): unknown actor {actor!r}"
                )
