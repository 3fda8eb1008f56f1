"""Speaker phrases shared by the extractors: lexicon, per-article entities, quotes, sentences.

`SpeakerReader` turns the words around an attribution into a speaker (person, institution, anonymous
source or channel) with role, organisation and actor from the gazetteer, and keeps the article's
entities so pronouns, bare surnames and role nouns ("the minister") resolve to the person named
earlier. Both the rule-based `FastExtractor` and the spaCy `ParsedExtractor` build on it, so the two
read a speaker phrase the same way and differ only in how they find attributions.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from schemas import RawArticle, Speaker, Statement
from streams.nlp._text import DATA_DIR, governed_pattern, packaged_yaml, trie_pattern
from streams.nlp.actors import Gazetteer, Person, packaged_gazetteer

__all__ = [
    "ACTOR_STEPS",
    "ArticleState",
    "Attribution",
    "Entity",
    "Sentence",
    "SpeakerReader",
    "SpeakerRef",
    "SpeakerTrace",
    "build_statements",
    "confidence_of",
    "statement_id",
    "strip_determiner",
]


def statement_id(article_id: str, field: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{article_id}|{field}|{start}|{end}".encode()).hexdigest()[:20]


# -- lexicon ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_](?:[\w'’\-]|\.(?=\w))*|[^\w\s]")
POSSESSIVE = re.compile(r"['’]s?$")
_QUOTE_MARK = re.compile(r"[\"“”«»]")
_OPENERS = "“«"
_CLOSERS = "”»"
WORD = re.compile(r"\w+")
# A country governed by a preposition is what a sentence is about, not who speaks ("talks with Russia",
# "asked about Ukraine's request").
_MENTION_PREPOSITIONS = frozenset(packaged_yaml("lexicon.yaml")["governing_prepositions"]["mention"])
_GOVERNED_BEFORE = governed_pattern(sorted(_MENTION_PREPOSITIONS), packaged_yaml("lexicon.yaml")["place_modifiers"])
# The steps whose actor an office named without a name hands to the person the story then names bare:
# what the phrase itself says, never a country merely named nearby.
_STORY_ROLE_STEPS = frozenset({"phrase", "organisation-reference", "office"})
# The capitalised words that end a text ("... Reform UK").
_CAPITALISED_RUN = re.compile(r"(?:[A-ZÀ-ÖØ-Þ][\w'’\-]*\s+)*[A-ZÀ-ÖØ-Þ][\w'’\-]*$")
# "its" in a speaker's description ("its leader"), and what a sentence opens with: "The Bangladesh
# Nationalist Party", "Hezbollah's".
_ITS = re.compile(r"\b[Ii]ts\b")
# A paragraph in capitals only ("WHAT WASHINGTON SAYS"), and a word of it.
_SECTION_HEADER = re.compile(r"^[^\n\w]*[A-Z][^\na-z]*$", re.MULTILINE)
_CAPITALS_WORD = re.compile(r"[A-Z][A-Z'’\-]*")
_RELATIVE_CLAUSE = re.compile(r"[\s,]+(?:which|who|that)\s")  # where an apposition's relative clause starts
_SENTENCE_BREAK = re.compile(r"(?<=[.!?:;])\s+|\n+")
_OPENING_REFERENCE = re.compile(r"\s*The\s+([a-z][\w\-]*)\b")
_OPENING_BODY = re.compile(r"\s*(?:The\s+)?(?P<body>[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’\-]*)*)")
# A capitalised word right after a title: the title is a named person's ("Foreign Minister Jane Doe").
_NAME_AFTER_TITLE = re.compile(r"\s+[A-ZÀ-ÖØ-Þ]")
# A coordination right before a term: ", ", " and ", ", and the " ("from Egypt and Sudan"), followed
# back over at most this many terms.
_MAX_COORDINATED = 8
_COORDINATED_BEFORE = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:the\s+)?$")
# How far back (in characters, inside one paragraph) a country named as an actor can give an office holder
# with no country of their own their actor ("Beijing rejected the talks. ... spokeswoman Mao Ning said").
_NEAR_WINDOW = 400
# How far back (characters) a person who spoke or was a sentence's subject outranks a later mention for
# "he" and "she" (`ArticleState.recent`): about two wire sentences.
_SALIENT_WINDOW = 600
# The longest speaker phrase `_scan_back` reads is ten tokens: it never needs more text than this.
_SCAN_BACK_WINDOW = 400
_LOWER_NEXT = re.compile(r"\s+[a-z]")
_OWNER = re.compile(r"(?<![\w])([A-ZÀ-ÖØ-Þ][\w\-]+)['’]s\b")
_ANON_HINT = re.compile(r"\b(?:familiar|close|briefed)\b", re.IGNORECASE)
_PRONOUN_END = re.compile(r"(?:^|[\s,;:(—–-])(she|he|it)$", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’\-]+")
# A character no token runs across: tokenising from just after one gives the same tokens as
# tokenising the whole text (tokens hold only word characters, apostrophes, hyphens and inner dots).
_TOKEN_BREAK = re.compile(r"[^\w'’\-.]")
# Speaker phrases are read from at most this many tokens before their verb (a phrase is at most ten
# tokens, plus an appositive of up to eight words and the adverbs between subject and verb), so the
# work per speech verb is bounded instead of growing with the sentence before it.
_LEFT_CONTEXT_TOKENS = 32
_SPACES = re.compile(r"\s*")
_PRONOUN_START = re.compile(r"(she|he|it)\b", re.IGNORECASE)
# An agency dateline opening the body: "MANILA, March 12 (Agency) - ", "BAMAKO, 25 September (Official
# News Agency) -- ", "GUBA, Ethiopia, Sept 9 (Agency) - ", "BOGOTÁ — ", "ISLAMABAD, Oct 16: ".
DATELINE = re.compile(
    r"(?:[A-ZÀ-Ý][A-ZÀ-Ý .'’\-/]+)(?:,\s*[A-Z][a-z]+)?"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"
    r"\s*(?:\([^)]{1,40}\)\s*)?(?:--|-|—|–|:)\s+"
)
# A live blog's time stamp opening a paragraph: "08:40 GMT — ".
_TIME_STAMP = re.compile(
    r"^[ \t]*\d{1,2}[:.]\d{2}(?:\s*(?:GMT|UTC|BST|CET|CEST|EST|EDT|ET|PT))?\s*(?:--|-|—|–)\s+", re.M
)
# "Officer Anna Tusk of the Walrus Police Department", "Dr. Amina Diallo from the Pasteur Institute":
# a named person, then the body they belong to.
_PERSON_OF_BODY = re.compile(
    r"(?P<person>(?:[\w.'’\-]+\s+){0,4}?[A-ZÀ-Þ][\w'’\-]+)\s+(?:of|from|at)\s+"
    r"(?P<body>(?:the\s+)?[A-ZÀ-Þ][\w'’\-]+(?:\s+(?:[A-ZÀ-Þ&][\w'’\-]*|of|for|and|on))*)$"
)
_OF_AFTER_NAME = re.compile(r"\s+(?:of|from)\s+((?:the\s+)?[A-ZÀ-Þ][\w'’\-]+(?:\s+[A-ZÀ-Þ][\w'’\-]+){0,5})")
# A sentence that opens with a bare name and a verb ("Mark Carney has ...", "Lee Jae-myung won ...").
_SUBJECT_NAME = re.compile(
    r"\s*(?:\d{1,2}:\d{2}\s+GMT\s+)?"
    # "Her rival, Fine Gael's Jane Doe, conceded": the name in apposition to a short description
    # ... or to an office ("Pakistan's prime minister, Shehbaz Sharif, struck a conciliatory note")
    r"(?P<lead>(?:His|Her|Their|The|[A-Z][\w\-]*['’]s)\s+[a-z\-]+(?:\s+[a-z\-]+){0,2},\s+"
    r"(?:(?:[A-Z][\w\-]*\s+){0,2}[A-Z][\w\-]*['’]s\s+)?)?"
    r"(?P<honorific>(?:Mr|Ms|Mrs|Dr)\.?\s+)?"  # "Mr. Petro, a former guerrilla ..., was defiant"
    r"(?P<name>[A-ZÀ-Ö][a-zà-ÿ][\w'’\-]*(?:\s+[A-ZÀ-Ö][\w'’\-]+){0,2}),?"
    # "Ana Ruiz, Chile's long-serving trade minister, was sworn in": an apposition naming an office
    r"(?:\s*(?P<appos>[^,.;:]{3,80}),)?"
    r"\s+(?P<verb>[a-z]+)\b"
)
# A verb's form after a name with nothing between ("Mark Carney has just finished"); after an apposition
# or a lead, any word ("..., struck a very different tone").
_SUBJECT_VERB = re.compile(r"has|have|had|was|is|will|would|[a-z]+ed|[a-z]+s")
_APPOSITIVE = re.compile(r",\s*([^,.;:]{3,80})")
# A definite speaker phrase: "the diplomat", or one with a possessor ("Russia's top diplomat"; see
# `SpeakerReader.definite`).
DEFINITE = re.compile(r"the\s|[\w.\-]+(?:\s[\w.\-]+)?['’]s\s", re.IGNORECASE)
_AGED = re.compile(r"\b\d{1,3}-year-old\b", re.IGNORECASE)  # "the 42-year-old former commentator"
# "the leader of the Alliance for ...", "the Head of Government", "a spokesman for China's Ministry of
# Commerce": the head word of a phrase that governs a body with "of", "for" or "at"
_OF_HEAD = re.compile(r"(?:the|an?)\s+(?:[\w\-]+\s+){0,2}?([\w\-]+)\s+(?:of|for|at)\s", re.IGNORECASE)
_PARTICLES = frozenset(packaged_yaml("lexicon.yaml")["name_particles"])
_JOINED_PARTICLE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, _PARTICLES), key=len, reverse=True)) + r")-[A-ZÀ-ÖØ-Þ]"
)
CONTENT_STARTERS_NOT = frozenset(packaged_yaml("lexicon.yaml")["content_starters_not"])
_OWN_STAFF_HEADS = frozenset(packaged_yaml("lexicon.yaml")["own_staff_heads"])


@dataclass(frozen=True)
class _Lexicon:
    gazetteer: Gazetteer
    verbs: dict[str, bool]  # every inflected form -> takes an object ("rejected the plan")
    verb_lemmas: dict[str, bool]  # lemma ("reject", "point out") -> takes an object
    verb_re: re.Pattern[str]
    headline_verb_re: re.Pattern[str]
    passive_re: re.Pattern[str]
    title_mention_re: re.Pattern[str]
    anon_tail_re: re.Pattern[str]
    stop_caps: frozenset[str]
    between: frozenset[str]
    anon_heads: frozenset[str]
    org_heads: frozenset[str]
    state_heads: frozenset[str]
    mission_heads: frozenset[str]
    phrase_words: frozenset[str]
    title_words: frozenset[str]
    pronouns: dict[str, str]
    female_names: frozenset[str]
    male_names: frozenset[str]
    female_endings: tuple[str, ...]
    kin_genders: dict[str, str]  # "sister" -> "f", "son" -> "m"
    abbreviations: frozenset[str]
    person_descriptors: frozenset[str]
    lead_in: LeadInPatterns
    colon_labels: frozenset[str]  # "Live:", "Explainer:": no speaker before a headline's colon
    private_heads: frozenset[str]
    organisation_references: frozenset[str]
    non_state_re: re.Pattern[str]  # a word of `non_state_roles` in a speaker's description
    body_head_re: re.Pattern[str]  # "<Capitalised> leader": group 1 is the word naming the body
    story_role_words: frozenset[str]  # "new", "incoming": words before an office that opens a story
    organisation_staff: frozenset[str]  # non-state roles that an organisation's staff hold too


def load_verb_lemmas() -> dict[str, bool]:
    """The attribution verbs of `data/speech_verbs.txt`: lemma ("say", "point out") -> takes an object."""
    verbs: dict[str, bool] = {}
    for line in (DATA_DIR / "speech_verbs.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = re.split(r"\s{2,}|\t", line)
        head, _, rest = parts[0].partition(" ")
        verbs[f"{head.lower()} {rest}".strip()] = len(parts) > 1 and parts[1].strip() == "object"
    return verbs


INFLECTIONS_FILE = "speech_verbs.generated.json"  # written by `python -m streams.nlp.build_inflections`


@cache
def _generated_inflections() -> dict[str, list[str]]:
    path = DATA_DIR / INFLECTIONS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def inflections(lemma: str) -> set[str]:
    """Every inflected form of a verb lemma, the first word inflected ("point out" → "pointed out").

    Read from the generated file when the lemma is there: lemminflect imports spaCy and loads its
    tables (~2 s of every extractor's start); a lemma not yet in the file is inflected here."""
    generated = _generated_inflections().get(lemma)
    return set(generated) if generated is not None else inflect(lemma)


def inflect(lemma: str) -> set[str]:
    """`inflections`, computed with lemminflect (what the generated file holds)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    head, _, rest = lemma.partition(" ")
    forms = {head}
    table = getAllInflections(head, upos="VERB") or getAllInflectionsOOV(head, upos="VERB")
    for words in table.values():
        forms.update(words)
    return {f"{form} {rest}".strip() for form in forms}


def _load_verbs(lemmas: dict[str, bool]) -> dict[str, bool]:
    """Every inflected form of the attribution verbs -> takes an object."""
    verbs: dict[str, bool] = {}
    for lemma, takes_object in lemmas.items():
        for form in inflections(lemma):
            verbs[form] = verbs.get(form, False) or takes_object
    return verbs


@dataclass(frozen=True)
class LeadInPatterns:
    """What a dash or colon lead-in looks like before its mark (each searched in at most
    `MAX_LEAD_IN_CHARS` characters, one pass each: no pattern nests open-ended repeats)."""

    owned_noun: re.Pattern[str]  # "Lula's reply", "His answer", "Her first promise"
    noun_from: re.Pattern[str]  # "The message from"
    copula: re.Pattern[str]  # "was", "is"
    adjective_end: re.Pattern[str]  # "... was blunt", "... were unequivocal"
    set_out: re.Pattern[str]  # "set out its position in a statement"
    had_noun: re.Pattern[str]  # "... had a blunt assessment of both sides", "gave a terse reply"


MAX_LEAD_IN_CHARS = 200
# "Speaker: what they said" in a headline; the speaker may also follow a clause ("...: spokesperson").
_HEADLINE_COLON = re.compile(r"^\s*([^:]{2,80}?)\s*:\s+(\S.*?)\s*$")
_HEADLINE_DASH = re.compile(r"^\s*(\S.{10,}?)\s+[-–—]\s*([^\s\-–—][^-–—]{1,40}?)\s*$")
_COLON_PLACE = re.compile(r"\s+(?:at|in)\s+\S.*$")
_MAX_TRAILING_COLON_WORDS = 4
_MAX_COLON_SPEAKER_WORDS = 6
_LEAD_IN_MARK = re.compile(r"\s(?:—|–)\s+|:\s+")


def _lead_in_patterns(nouns: list[str], adjectives: list[str]) -> LeadInPatterns:
    noun = "(?:" + "|".join(sorted(map(re.escape, nouns), key=len, reverse=True)) + ")"
    adjective = "(?:" + "|".join(sorted(map(re.escape, adjectives), key=len, reverse=True)) + ")"
    flags = re.IGNORECASE
    return LeadInPatterns(
        owned_noun=re.compile(
            r"(?:['’]s|\b(?P<possessive>his|her|its|their))\s+(?:\w+\s+){0,2}?" + noun + r"\b", flags
        ),
        noun_from=re.compile(r"^(?:the\s+)?" + noun + r"\s+from\s+", flags),
        copula=re.compile(r"\s(?:was|is)\b", flags),
        adjective_end=re.compile(r",?\s+(?:was|were|is)\s+(?:\w+\s+)?" + adjective + r"\s*$", flags),
        set_out=re.compile(r"\s+set\s+out\s+(?:its|his|her|their)\s+" + noun + r"\b", flags),
        had_noun=re.compile(
            r",?\s+(?:had|gave|offered|delivered|issued)\s+(?:a|an|his|her|its|their)\s+(?:\w+\s+){0,2}?"
            + noun
            + r"\b",
            flags,
        ),
    )


@cache
def _lexicon() -> _Lexicon:
    lex = packaged_yaml("lexicon.yaml")
    gaz = packaged_gazetteer()  # the one every step shares
    verb_lemmas = load_verb_lemmas()
    verbs = _load_verbs(verb_lemmas)
    # Body text uses lower-case verbs only ("the United States will" is no attribution); headlines
    # may be title- or upper-case. Explicit forms instead of IGNORECASE keep the trie fast.
    alternation = trie_pattern(set(verbs))
    # A headline's "-ing" word is a noun more often than a verb ("Famine warning"): finite forms only there.
    finite = {v for v in verbs if not v.split()[0].endswith("ing")}
    headline_alt = trie_pattern({f for v in finite for f in (v, v[:1].upper() + v[1:], v.title(), v.upper())})
    verb_re = re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-])")
    headline_verb_re = re.compile(r"(?<![\w-])(?:" + headline_alt + r")(?![\w-])")
    passive_re = re.compile(
        r"^\s*(?:this|that|it|these|those|such\s+(?:a\s+)?\w+|the\s+(?:statement|remarks?|comments?|words|"
        r"announcement|position|warning|assessment))\s+(?:was|were|has\s+been|had\s+been|is)\s+"
        r"(?:(?:" + headline_alt + r")|made|voiced|expressed|said)\s+by\s+",
        re.IGNORECASE,
    )
    name_tok = r"[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃŠŽČŘ][\w'’\-]*"
    title_mention_re = re.compile(
        gaz.title_pattern
        + r"\s+(?P<name>"
        + name_tok
        + r"(?:\s+(?:(?:von|van|der|de|da|al|bin)\s+)*"
        + name_tok
        + r"){0,3})"
    )
    anon = "|".join(sorted(lex["anonymous_heads"], key=len, reverse=True))
    anon_tail_re = re.compile(
        r"(?:(?<=\s)|^)(?:[\w'’\-]+\s+){0,2}(?:" + anon + r")\s+(?:familiar|close|briefed)\s+(?:with|to|on)\s+"
        r"(?:the\s+)?[\w'’\-]+(?:\s+[\w'’\-]+){0,2}\s*$",
        re.IGNORECASE,
    )
    title_words = frozenset(w for t in gaz.titles for w in re.split(r"[\s]+", t))
    return _Lexicon(
        gazetteer=gaz,
        verbs=verbs,
        verb_lemmas=verb_lemmas,
        verb_re=verb_re,
        headline_verb_re=headline_verb_re,
        passive_re=passive_re,
        title_mention_re=title_mention_re,
        anon_tail_re=anon_tail_re,
        stop_caps=frozenset(lex["stop_capitals"]),
        between=frozenset(lex["between_subject_and_verb"]),
        anon_heads=frozenset(lex["anonymous_heads"]),
        org_heads=frozenset(lex["organisation_heads"]),
        state_heads=frozenset(lex.get("state_heads", [])),
        mission_heads=frozenset(lex.get("mission_heads", [])),
        phrase_words=frozenset(lex["phrase_words"]),
        title_words=title_words,
        pronouns=dict(lex["pronouns"]),
        female_names=frozenset(lex["female_first_names"]),
        male_names=frozenset(lex["male_first_names"]),
        female_endings=tuple(lex["female_surname_endings"]),
        kin_genders={noun: "f" for noun in lex["female_kin_nouns"]} | {noun: "m" for noun in lex["male_kin_nouns"]},
        abbreviations=frozenset(lex["abbreviations"]),
        person_descriptors=frozenset(lex["person_descriptors"]),
        lead_in=_lead_in_patterns(lex["lead_in_nouns"], lex["lead_in_adjectives"]),
        colon_labels=frozenset(lex["colon_labels"]),
        private_heads=frozenset(lex["private_organisation_heads"]),
        organisation_references=frozenset(lex["organisation_references"]),
        non_state_re=re.compile(
            r"(?<![\w\-])(?:" + trie_pattern(lex["non_state_roles"]) + r")(?![\w\-])", re.IGNORECASE
        ),
        body_head_re=re.compile(
            r"(?<![\w\-])([A-ZÀ-ÖØ-Þ][\w\-]*)\s+(?:" + trie_pattern(lex["body_heads"]) + r")(?![\w\-])", re.IGNORECASE
        ),
        story_role_words=frozenset(lex["story_role_words"]),
        organisation_staff=frozenset(lex["organisation_staff_roles"]),
    )


_MAX_TOKEN_CHARS = 64  # longest token worth reading back over, on average, when looking for a speaker


def _left_window(text: str, end: int, tokens: int = _LEFT_CONTEXT_TOKENS, start: int = 0) -> int:
    """The start of the last `tokens` tokens of `text[start:end]` (or `start` when it has fewer).

    Tokenising from there gives exactly the text's last tokens: the search window begins just after
    a token break, and a token start reached from there is where the full tokenisation reaches too.
    The window widens geometrically, so the cost is proportional to the tokens read, not to `end`,
    and stops at `_MAX_TOKEN_CHARS` a token: no speaker is named in longer runs without a break, and a
    100 KB run before each of many speech verbs must not be rescanned for each (that was quadratic).
    """
    width = 8 * tokens
    while True:
        low = end - width
        if low <= start or width > tokens * _MAX_TOKEN_CHARS:
            return max(start, low)
        found = _TOKEN_BREAK.search(text, low, end)
        if found is not None:
            starts = [token.start() for token in _TOKEN.finditer(text, found.start() + 1, end)]
            if len(starts) >= tokens:
                return starts[-tokens]
        width *= 4


# -- per-article state -----------------------------------------------------------------------------


@dataclass
class Entity:
    """A person, institution or anonymous source an article names, as known so far in that article."""

    name: str
    role: str | None
    organisation: str | None
    actor: str | None
    kind: str  # person | institution | anonymous
    gender: str | None
    last: int  # global position of the latest mention, for pronoun and surname resolution
    # Which step of `SpeakerReader.explain_actor` gave `actor` (ACTOR_STEPS); internal, not in the record.
    actor_step: str = "none"
    # Global position of the latest sentence the entity spoke in or was the subject of (-1: never):
    # "he" and "she" prefer such a person to one merely mentioned since ("... sworn in by President X").
    salient: int = -1

    def speaker(self, role: str | None = None) -> Speaker:
        return Speaker(name=self.name, role=role or self.role, organisation=self.organisation, actor=self.actor)


@dataclass
class SpeakerRef:
    """A speaker phrase read as an `Entity`, and how it reached it (`how`)."""

    entity: Entity
    how: str  # named | resolved | pronoun | institution | anonymous | role
    start: int  # phrase span, relative to the text searched
    end: int


@dataclass
class Attribution:
    """What an extractor found: the words said (`start`:`end` of the field text), who said them,
    direct or indirect, the verb, the channel, a confidence, and a role that overrides the entity's."""

    start: int  # absolute offsets into the field text
    end: int
    who: SpeakerRef
    kind: str
    verb: str | None
    channel: str | None
    confidence: float
    role: str | None = None  # overrides the entity role ("via Lavrov")


@dataclass
class Sentence:
    """A sentence span of a field, and whether an attribution was found in it."""

    start: int
    end: int
    found: bool = False


class ArticleState:
    """Mutable state while reading one article: known entities and the statements so far."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.lead: tuple[int, int] | None = None
        self.by_key: dict[str, Entity] = {}
        # The country the story is about (the one country its headline names as an actor, else its lead's):
        # an office holder introduced by title alone ("Interior Minister Mari Rantanen") in a story about
        # Finland speaks for it.
        self.home: str | None = None
        # Countries named as actors (not governed by a preposition, not quoted, not adjectives), by global
        # position, sorted; organisations named, by actor; every country the article names in any way.
        self.countries: list[tuple[int, str]] = []
        self.country_positions: list[int] = []
        self.org_positions: dict[str, list[int]] = {}
        self.org_terms: dict[str, list[str]] = {}  # the words each of those was named by, in the same order
        self.countries_named: set[str] = set()
        self.paragraph_starts: list[int] = [0]  # global positions, sorted
        # Global position where the body starts: the headline is read after the body, so a phrase in it
        # ("Russia's top diplomat") may stand for a person the body names later.
        self.body_start = 0
        self.survey: Callable[[], None] | None = None  # fills the lists above on first need
        # Offices named without a name, with their actor, by global position: the headline's or lead's
        # subject ("Ghana's finance minister says ...", "Home Secretary vows ...") and role speakers
        # ("..., the Taoiseach said"). The first person then named bare ("Shabana Mahmood, appointed on
        # Friday, told ...") in that paragraph or the next is that office holder (`story_role`).
        self.story_roles: list[tuple[int, str, str]] = []
        self.text = ""  # headline, newline, body: global positions index it
        self.story_role_taken = False

    def _surveyed(self) -> None:
        if self.survey is not None:
            survey, self.survey = self.survey, None
            survey()

    def country_near(self, pos: int) -> str | None:
        """The country an office holder with no country of their own speaks for, or None when unsure.

        The one country named as an actor before `pos` in the same paragraph, within `_NEAR_WINDOW`
        characters ("Beijing rejected the talks. ... spokeswoman Mao Ning said"); when none is, the one
        named in the paragraph before; when none is either, the story's own country. Two different
        countries named in the paragraph that decides make it ambiguous: None; but for the paragraph
        before, the story's own country when it is one of them and the only one its headline names
        ("India says ..." over "Washington accused New Delhi of ...", then a new paragraph "Commerce
        Minister Piyush Goyal said ..."): a paragraph that opens with an office holder follows the story,
        not the sentence before. A home read from a lead that names both is no such evidence.
        """
        self._surveyed()
        paragraph = bisect_right(self.paragraph_starts, pos) - 1
        paragraph_start = self.paragraph_starts[paragraph]
        previous_start = self.paragraph_starts[paragraph - 1] if paragraph > 0 else paragraph_start
        for window_start, window_end, home_breaks_tie in (
            (max(paragraph_start, pos - _NEAR_WINDOW), pos, False),
            (max(previous_start, paragraph_start - _NEAR_WINDOW), paragraph_start, True),
        ):
            first = bisect_left(self.country_positions, window_start)
            last = bisect_left(self.country_positions, window_end)
            named = {actor for _position, actor in self.countries[first:last]}
            if len(named) == 1:
                return named.pop()
            if named:
                breaks = self._headline_home() or self._leads_with_home(self.countries[first][0])
                return self.home if home_breaks_tie and self.home in named and breaks else None
        return self.home

    def _leads_with_home(self, first_named: int) -> bool:
        """Whether the story's own country is the first country (as an actor) both the headline and the
        paragraph before name ("DR Congo accuses Rwanda ..." over "Congo has accused Rwanda ..."): the
        accuser, whose office holder the next paragraph then quotes, not the accused."""
        in_headline = [actor for position, actor in self.countries if position < self.body_start]
        first = bisect_left(self.country_positions, first_named)
        return bool(in_headline) and in_headline[0] == self.home and self.countries[first][1] == self.home

    def _headline_home(self) -> bool:
        """Whether the headline names the story's own country as its only country (as an actor)."""
        in_headline = {actor for position, actor in self.countries if position < self.body_start}
        return in_headline == {self.home}

    def story_role(self, pos: int) -> tuple[str, str] | None:
        """The (role, actor) of the office named without a name just before `pos` (`story_roles`), for
        the first person named bare after it; None when there is none, or two with different actors."""
        self._surveyed()
        if self.story_role_taken:
            return None
        paragraph = bisect_right(self.paragraph_starts, pos) - 1
        # Sorted by position: only those of this paragraph and the one before are read (and the
        # headline's, which is read after the body, for the lead's paragraph and the next).
        first = self.paragraph_starts[max(paragraph - 1, 1)]
        near = self.story_roles[bisect_left(self.story_roles, (first,)) : bisect_left(self.story_roles, (pos,))]
        if paragraph <= 2:
            near += self.story_roles[: bisect_left(self.story_roles, (self.body_start,))]
        found = {(role, actor) for _position, role, actor in near}
        if len({actor for _role, actor in found}) != 1:
            return None
        self.story_role_taken = True
        return min(found)

    def org_named(self, actors: tuple[str, ...], pos: int) -> str | None:
        """Of `actors`, the organisation named nearest before `pos` (else first named after it)."""
        self._surveyed()
        nearest_before: tuple[int, str] | None = None
        first_after: tuple[int, str] | None = None
        for actor in actors:
            positions = self.org_positions.get(actor)
            if not positions:
                continue
            index = bisect_left(positions, pos)
            if index and (nearest_before is None or positions[index - 1] > nearest_before[0]):
                nearest_before = (positions[index - 1], actor)
            if index < len(positions) and (first_after is None or positions[index] < first_after[0]):
                first_after = (positions[index], actor)
        found = nearest_before or first_after
        return found[1] if found else None

    def org_term(self, actor: str, pos: int) -> str | None:
        """The fullest words the article named organisation `actor` by before `pos` (else the first
        after): "European Central Bank" rather than "ECB" in "ECB President"."""
        self._surveyed()
        positions = self.org_positions.get(actor)
        if not positions:
            return None
        index = bisect_left(positions, pos)
        return max(self.org_terms[actor][:index] or self.org_terms[actor][:1], key=len)

    def add(self, entity: Entity) -> Entity:
        key = entity.name.lower()
        known = self.by_key.get(key)
        if known:
            known.role = known.role or entity.role
            known.organisation = known.organisation or entity.organisation
            if known.actor is None and entity.actor is not None:
                known.actor, known.actor_step = entity.actor, entity.actor_step
            known.gender = known.gender or entity.gender
            known.last = max(known.last, entity.last)
            known.salient = max(known.salient, entity.salient)
            return known
        self.entities.append(entity)
        self.by_key[key] = entity
        if entity.kind == "person":
            # Any part of a full name may come back alone ("Zakharova", "Lula"); first one wins.
            for part in entity.name.split()[1:] + entity.name.split()[:1]:
                if part.lower() not in _PARTICLES and len(entity.name.split()) > 1:
                    self.by_key.setdefault(part.lower(), entity)
        return entity

    def recent(self, pos: int, kind: str, gender: str | None = None) -> Entity | None:
        """The latest entity of `kind` before `pos`; for "he"/"she", the latest of that gender, else
        the latest whose gender is unknown (never one of the other gender). A person who spoke or was a
        sentence's subject within `_SALIENT_WINDOW` characters comes before one merely mentioned since."""
        same: Entity | None = None
        unknown: Entity | None = None
        salient: Entity | None = None
        for e in self.entities:
            if e.kind != kind or e.last >= pos:
                continue
            if gender and e.gender and e.gender != gender:
                continue
            recent_subject = gender and 0 <= e.salient < pos and pos - e.salient <= _SALIENT_WINDOW
            if recent_subject and (salient is None or e.salient > salient.salient):
                salient = e
            if gender and e.gender is None:
                if unknown is None or e.last > unknown.last:
                    unknown = e
            elif same is None or e.last > same.last:
                same = e
        chosen = same or unknown
        if (
            salient is not None
            and chosen is not None
            and chosen.salient < salient.salient
            # a known gender still comes first, unless that person was last named before the salient one's
            # sentence: "he" after a new speaker whose gender the names do not tell is that speaker ("...
            # Shigeru Ishiba's cabinet. Defence Minister Gen Nakatani told ... he said"; "Opposition leader
            # Sajith Premadasa said ... “...?” he asked"), not "X met Ngozi Okonjo-Iweala. She told him"
            and (salient.gender is not None or chosen.gender is None or chosen.last < salient.salient)
        ):
            return salient
        return chosen

    @staticmethod
    def spoke(entity: Entity, position: int) -> None:
        """Note that `entity` spoke (or was the subject) in the sentence at global `position`."""
        entity.salient = max(entity.salient, position)


# -- speaker phrases -------------------------------------------------------------------------------


class SpeakerReader:
    """Quotes, sentences and speaker phrases; the extractors add how attributions are found."""

    def __init__(self) -> None:
        self.lex = _lexicon()
        self.gaz = self.lex.gazetteer
        # How each statement of the latest extraction call found its speaker and actor, by statement id
        # (`SpeakerTrace`): evaluation reports actor accuracy per step. Cleared at each call.
        self.traces: dict[str, SpeakerTrace] = {}
        _given_names()  # read once per process, not inside the first article

    # quotes and sentences -------------------------------------------------------------------------
    def _quotes(self, text: str) -> list[tuple[int, int]]:
        """(open, close) indexes of quote marks, pairing curly and straight quotes.

        An unclosed quote continues when the next paragraph opens with a quote mark (wire style);
        otherwise it is dropped, as are stray closing marks, so odd counts never break the rest.
        """
        spans: list[tuple[int, int]] = []
        open_at: int | None = None
        last_mark = 0
        n = len(text)
        for m in _QUOTE_MARK.finditer(text):
            i = m.start()
            ch = text[i]
            prev = text[i - 1] if i else "\n"
            nxt = text[i + 1] if i + 1 < n else "\n"
            if ch in _OPENERS:
                role = "open"
            elif ch in _CLOSERS:
                role = "close"
            else:
                opens = prev.isspace() or prev in "([{—–-/"
                closes = not prev.isspace() and (nxt.isspace() or nxt in ",.;:!?)]}—–-")
                role = (
                    "open"
                    if opens and not closes
                    else "close"
                    if closes and not opens
                    else ("close" if open_at is not None else "open")
                )
            if open_at is not None and "\n" in text[last_mark:i]:
                para_start = text.rfind("\n", 0, i) + 1
                if role == "open" and not text[para_start:i].strip():
                    last_mark = i  # the quote continues in this paragraph
                    continue
                open_at = None  # never closed in its paragraph: a stray mark
            if role == "open":
                open_at, last_mark = i, i
            elif open_at is not None:
                spans.append((open_at, i))
                open_at = None
        return spans

    def _mask(self, text: str, quotes: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
        """Blank out real quotes (`is_real_quote`) so their words neither split sentences nor attribute."""
        real = [(o, c) for o, c in quotes if is_real_quote(text, o, c)]
        dateline = DATELINE.match(text)
        if dateline is not None:  # "MANILA, March 12 (Agency) -" names a place and an agency, no speaker
            text = " " * dateline.end() + text[dateline.end() :]
        # A live blog's time stamps ("08:40 GMT — ") open paragraphs; they are no speaker either.
        text = _TIME_STAMP.sub(lambda m: " " * len(m.group()), text)
        if not real:
            return text, real
        parts: list[str] = []
        pos = 0
        for o, c in real:
            parts.append(text[pos : o + 1])
            inner = text[o + 1 : c]
            tail = inner[-1] if inner and inner[-1] in ".!?," else ""
            parts.append("_" * (len(inner) - len(tail)) + tail)
            pos = c
        parts.append(text[pos:])
        return "".join(parts), real

    _BOUNDARY = re.compile(r"[.!?]+[\"”»’)\]]*(?=\s)|\n+")

    def _sentences(self, masked: str) -> list[Sentence]:
        out: list[Sentence] = []
        start = 0
        for m in self._BOUNDARY.finditer(masked):
            if m.group()[0] != "\n":
                if m.group() == "." and self._is_abbreviation(masked, m.start()):
                    continue
                if m.group()[0] in "?!" and self._attribution_follows(masked, m.end()):
                    continue  # “Who can stop us now?” Mr Simion asked: one sentence
                end = m.end()
            else:
                end = m.start()
            self._add_sentence(out, masked, start, end)
            start = m.end()
        self._add_sentence(out, masked, start, len(masked))
        return out

    def _attribution_follows(self, text: str, at: int) -> bool:
        """After a quote that ends in ? or !: a speaker phrase (capitalised words, a pronoun, or "the"
        and up to two words) and then a speech verb ("Mr Simion asked", "the Alaska Republican asked",
        "asked Farooq Ahmad", "she asked")."""
        if at == 0 or text[at - 1] not in '”"»':
            return False
        window = text[at : at + 80]
        verb = self.lex.verb_re.search(window)
        if verb is None:
            return False
        between = window[: verb.start()].split()
        if len(between) == 1 and between[0].lower() in self.lex.pronouns:
            return True  # "“Do they think we are afraid?” he wrote"
        if between and between[0].lower() in ("the", "a", "an") and len(between) <= 3:
            return True  # "the libertarian president wrote"
        return len(between) <= 4 and all(w[:1].isupper() or w.lower() in ("the", "a", "an") for w in between)

    def _is_abbreviation(self, text: str, dot: int) -> bool:
        m = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
        return bool(m) and (m.group(1).lower() in self.lex.abbreviations or len(m.group(1)) == 1)

    @staticmethod
    def _add_sentence(out: list[Sentence], text: str, start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(start, end))

    # speaker phrases ------------------------------------------------------------------------------
    def _acceptable(self, tok: str) -> bool:
        lex = self.lex
        low = POSSESSIVE.sub("", tok.lower())
        if low in lex.phrase_words or low in lex.title_words or low in lex.org_heads or low in lex.anon_heads:
            return True
        if low in _PARTICLES or self._is_descriptor_word(low):  # "Juan de la Fuente", "the 66-year-old"
            return True
        if tok.isupper() and self.gaz.lookup(tok) is not None:
            return True  # "WHO spokesman": an acronym of the gazetteer, not the pronoun
        return (tok[0].isupper() or _JOINED_PARTICLE.match(tok) is not None) and low not in lex.stop_caps

    def _is_head(self, tok: str) -> bool:
        lex = self.lex
        low = POSSESSIVE.sub("", tok.lower())
        if low in lex.title_words or low in lex.org_heads or low in lex.anon_heads or self._is_descriptor_word(low):
            return True
        capitalised = tok[0].isupper() or _JOINED_PARTICLE.match(tok) is not None  # "al-Ansari"
        return capitalised and low not in lex.stop_caps and low not in lex.phrase_words

    def _is_descriptor_word(self, low: str) -> bool:
        return low.endswith("year-old") or low in self.lex.person_descriptors

    def _scan_back(self, text: str) -> int | None:
        """Start of the speaker phrase that ends `text`, or None.

        Only the last dozen tokens can be part of it, so only a window at the end is tokenised.
        """
        toks = list(_TOKEN.finditer(text, _left_window(text, len(text), tokens=12)))
        if not toks or not self._is_head(toks[-1].group()):
            return None
        i = len(toks) - 1
        while i >= 0 and (
            (toks[i].group()[0].isalnum() and self._acceptable(toks[i].group())) or _abbreviation_dot(toks, i)
        ):
            i -= 1
            if len(toks) - 1 - i > 9:
                return None
        i += 1
        if i == len(toks):
            return None  # the last token is no word ("Ⓐ" is upper-case but not alphanumeric)
        while i < len(toks) - 1 and toks[i].group().lower() in ("of", "for", "to"):
            i += 1
        return toks[i].start()

    def _scan_forward(self, text: str, start: int) -> int:
        """End of the speaker phrase starting at `start` (with an appositive after a comma)."""
        end = start
        for count, t in enumerate(_TOKEN.finditer(text, start)):
            tok = t.group()
            if not tok[0].isalnum() or not self._acceptable(tok) or count > 9:
                break
            end = t.end()
        # Appositive: "Sergei Ryabkov, Russia's deputy foreign minister, ..."
        m = _APPOSITIVE.match(text, end)
        if m and end > start and self.gaz.title_in(m.group(1)):
            app_start = m.start(1)
            app_end = app_start
            for t in _TOKEN.finditer(text, app_start, m.end(1)):
                if not t.group()[0].isalnum() or not self._acceptable(t.group()):
                    break
                app_end = t.end()
            if app_end > app_start and self.gaz.title_in(text[app_start:app_end]):
                return app_end
        return end

    def _subject_ending_at(
        self, doc: ArticleState, text: str, end: int, abs_base: int, start: int = 0
    ) -> SpeakerRef | None:
        """`_subject_before(doc, text[start:end], abs_base)`, reading only the tokens a phrase can span.

        The phrase's span is relative to `start`, as if `text[start:end]` had been passed.
        """
        low = _left_window(text, end, start=start)
        shift = low - start
        who = self._subject_in_window(doc, text[low:end], abs_base + shift)
        if who is not None and shift:
            who.start += shift
            who.end += shift
        return who

    def _subject_before(self, doc: ArticleState, left: str, abs_base: int) -> SpeakerRef | None:
        """The speaker phrase that ends `left` (the words before a speech verb)."""
        return self._subject_ending_at(doc, left, len(left), abs_base)

    def _subject_in_window(self, doc: ArticleState, left: str, abs_base: int) -> SpeakerRef | None:
        lex = self.lex
        end = len(left)
        while True:  # drop "also", "has", "later" ... between subject and verb
            stripped = left[:end].rstrip()
            cut = max(stripped.rfind(" "), stripped.rfind("\n")) + 1
            w = stripped[cut:]
            if w and (w.lower() in lex.between or (w.islower() and w.endswith("ly") and len(w) > 4)):
                end = cut
                continue
            break
        text = left[:end].rstrip()
        if not text:
            return None
        pm = _PRONOUN_END.search(text[-4:]) and _PRONOUN_END.search(text)
        if pm:
            return self._pronoun(doc, pm.group(1).lower(), abs_base + pm.start(1), pm.start(1), pm.end(1))
        # The anonymous-source pattern is costly; only try it when its keyword is there.
        am = lex.anon_tail_re.search(text) if _ANON_HINT.search(text) else None
        if am:
            phrase = am.group().strip()
            ent = Entity(strip_determiner(phrase), None, None, None, "anonymous", None, abs_base + am.start())
            return SpeakerRef(ent, "anonymous", am.start(), len(text))
        if text.endswith(","):  # "Sergei Ryabkov, Russia's deputy foreign minister, said"
            inner = text[:-1]
            cut = inner.rfind(",")
            if cut <= 0:
                return None
            appos = inner[cut + 1 :].strip()
            if not self.gaz.title_in(appos) or len(appos.split()) > 8:
                return None
            if self._scan_back(appos) != 0 and self._scan_back(" " + appos) != 1:
                return None
            ps = self._scan_back(inner[:cut])
            if ps is None:
                return None
            return self._parse(doc, inner[ps:cut], appos, abs_base + ps, ps, len(text))
        ps = self._scan_back(text)
        if ps is None or re.search(r"\b(?:and|or|&)\s*$", text[:ps]):
            return None  # joint subjects ("France, Germany and Britain said") are not one speaker
        return self._parse(doc, text[ps:], None, abs_base + ps, ps, len(text))

    def _subject_after(self, doc: ArticleState, text: str, start: int, abs_base: int) -> SpeakerRef | None:
        spaces = _SPACES.match(text, start)
        start = spaces.end() if spaces else start
        pm = _PRONOUN_START.match(text, start)
        if pm:
            return self._pronoun(doc, pm.group(1).lower(), abs_base + start, start, pm.end())
        end = self._scan_forward(text, start)
        if end <= start:
            return None
        main_end = end
        comma = text.find(",", start, end)
        appos = None
        if comma > 0:
            appos, main_end = text[comma + 1 : end].strip(), comma
        phrase = text[start:main_end]
        if not phrase or not self._is_head(_TOKEN.findall(phrase)[-1]):
            return None
        return self._parse(doc, phrase, appos, abs_base + start, start, end)

    def _pronoun(self, doc: ArticleState, word: str, pos: int, start: int, end: int) -> SpeakerRef | None:
        gender = self.lex.pronouns.get(word)
        kind = "institution" if gender == "institution" else "person"
        ent = doc.recent(pos, kind, None if kind == "institution" else gender)
        return SpeakerRef(ent, "pronoun", start, end) if ent else None

    def _parse(
        self, doc: ArticleState, phrase: str, appos: str | None, pos: int, start: int, end: int
    ) -> SpeakerRef | None:
        """Turn a speaker phrase into an entity: a person, an institution, an anonymous source."""
        lex, gaz = self.lex, self.gaz
        # "... Ministry of Commerce (MOFCOM": the bracketed acronym repeats the body's name
        bracketed = re.search(r"\s*\(([A-Z][\w\-]*)\)?$", phrase.strip())
        phrase = phrase.strip()[: bracketed.start()] if bracketed else phrase.strip()
        if not phrase:
            return None
        words = phrase.lower().split()
        if words[0] == "our" and any(word in _OWN_STAFF_HEADS for word in words[1:4]):
            return None  # "Our correspondent in Ottawa writes:": the outlet's own reporting, not a source
        named = self._named_institution(phrase)
        if named is not None:
            # "India's Ministry of External Affairs", "the Norwegian Environment Agency": a body's proper name
            named_body, head_word = named
            actor, step = self._phrase_actor_step(doc, phrase, pos)
            if actor is None and (head_word in lex.state_heads or gaz.office_in(phrase)):
                # "the Government of the Transition" in Mali, "the Foreign Office" in Pakistan
                actor, step = self.explain_actor(doc, descriptor=phrase, position=pos, speaks_for_state=True)
            ent = Entity(named_body, None, named_body, actor, "institution", None, pos, step if actor else "none")
            return SpeakerRef(doc.add(ent), "institution", start, end)
        of_body = _PERSON_OF_BODY.match(phrase)
        if of_body is not None and not gaz.lookup(strip_determiner(phrase)):  # "the International Court of Justice"
            last = of_body.group("person").split()[-1]
            if (
                last.lower() not in lex.title_words
                and POSSESSIVE.sub("", last.lower()) not in lex.org_heads  # "a spokesman for X's Ministry of Commerce"
                and not gaz.lookup(last)
                and not gaz.title_in(last)
            ):
                # "Officer Anna Tusk of the Walrus Police Department": the person, described by the body
                body = of_body.group("body")
                phrase, appos = of_body.group("person"), f"{appos} {body}" if appos else body
        toks = list(_TOKEN.finditer(phrase))
        if len(toks) > 1 and _abbreviation_dot(toks, len(toks) - 1, self.lex.abbreviations):
            toks.pop()  # "President Ferdinand Marcos Jr.": the dot ends the abbreviation, not the name
        if not toks:
            return None
        gaz_spans = [(a, b) for a, b, _ in gaz.terms_in(phrase)]
        title_spans = gaz.title_spans(phrase)

        def covered(t: re.Match[str]) -> bool:
            return any(a <= t.start() < b for a, b in gaz_spans + title_spans)

        # "Prime Minister Luis Montenegro": a country's name after a title and a given name is a surname
        surname = (
            toks[-1]
            if len(toks) >= 3
            and covered(toks[-1])
            and toks[-2].group()[0].isupper()
            and not covered(toks[-2])
            and toks[-2].group().lower() not in lex.stop_caps
            and any(a <= toks[-3].start() < b for a, b in title_spans)
            else None
        )
        name_toks: list[re.Match[str]] = []
        for t in reversed(toks):
            w = t.group()
            low = POSSESSIVE.sub("", w.lower())
            # "Majed al-Ansari", "Abdel Fattah al-Sisi": a particle joined to a capitalised surname
            capitalised = w[0].isupper() or _JOINED_PARTICLE.match(w) is not None
            is_name = t is surname or (capitalised and not covered(t) and low not in lex.stop_caps)
            if (is_name and low not in lex.phrase_words) or (low in _PARTICLES and name_toks):
                name_toks.insert(0, t)
            else:
                break
        while name_toks and name_toks[0].group().lower() in _PARTICLES:
            name_toks.pop(0)
        before_name = toks[toks.index(name_toks[0]) - 1].group() if name_toks and name_toks[0] is not toks[0] else ""
        if before_name in ("of", "for", "at", "from", "("):
            # "a spokesman for China's Ministry of Commerce (MOFCOM": the body governed, not a name
            name_toks = []
        capitalised_reference = len(toks) == 2 and toks[0].group().lower() == "the" and gaz.referenced(toks[1].group())
        if capitalised_reference and len(name_toks) == 1:
            name_toks = []  # "the Fund", "the Court": a capitalised reference to an organisation named before
        if gaz.is_channel(phrase) and (not name_toks or gaz.channel_in(phrase)):
            ent = Entity(phrase, None, None, None, "channel", None, pos)
            return SpeakerRef(ent, "channel", start, end)
        desc = phrase[: name_toks[0].start()] if name_toks else phrase
        if appos:
            desc = f"{desc} {appos}".strip()
        role = gaz.title_in(desc)
        org = self._organisation(desc)
        actor, step = (None, "non-state") if self._non_state(desc) else self._phrase_actor_step(doc, desc, pos)
        of_head = _OF_HEAD.match(phrase)
        governing = of_head.group(1).lower() if of_head and not name_toks else ""
        if governing and self.definite(doc, phrase, pos) and self._is_descriptor_word(governing):
            # "The leader of the Alliance for the Union of Romanians said", "the Head of Government noted":
            # a definite description of the latest person named, like "the Reform UK leader"
            linked = self._described(doc, pos, actor, role, governing, gaz.country_ids)
            if linked is not None:
                return SpeakerRef(linked, "resolved", start, end)
        if (
            name_toks
            and re.match(r"the\s", phrase, re.IGNORECASE)
            and self._is_descriptor_word(POSSESSIVE.sub("", name_toks[-1].group().lower()))
        ):
            name_toks = []  # "the Alaska Republican", "the Tory Leader": a description, not a name
        if self._private_organisation(toks, appos):
            # "The Australian Industry Group", "Christian Association of Nigeria", "Rosatom, the Russian
            # state nuclear company": a company, party or lobby speaks for no government.
            name = strip_determiner(POSSESSIVE.sub("", phrase))
            ent = doc.add(Entity(name, None, name, None, "institution", None, pos, "none"))
            return SpeakerRef(ent, "institution", start, end)
        last_name_word = POSSESSIVE.sub("", name_toks[-1].group().lower()) if name_toks else ""
        if last_name_word in lex.org_heads or last_name_word in lex.organisation_references:
            # "the World Meteorological Organization", "the Rapid Support Forces": a body, never a person
            name = strip_determiner(POSSESSIVE.sub("", phrase[: name_toks[-1].end()]))
            actor, step = self._phrase_actor_step(doc, phrase, pos)
            ent = Entity(name, None, name, actor, "institution", None, pos, step if actor else "none")
            return SpeakerRef(doc.add(ent), "institution", start, end)
        acronym = POSSESSIVE.sub("", name_toks[0].group()) if len(name_toks) == 1 else ""
        if len(acronym) >= 3 and acronym.isupper() and acronym.isalpha() and gaz.person(acronym) is None:
            # "COGAT, the Israeli defence ministry body, denied": an acronym names a body, not a person
            ent = Entity(acronym, None, acronym, actor, "institution", None, pos, step if actor else "none")
            return SpeakerRef(doc.add(ent), "institution", start, end)
        if name_toks:
            name = POSSESSIVE.sub("", phrase[name_toks[0].start() : name_toks[-1].end()])
            known = doc.by_key.get(name.lower()) or doc.by_key.get(name.split()[-1].lower())
            if known and not _same_person_named(name, known.name):
                known = None  # "Kim Yo Jong, the sister of Kim Jong Un": a relative, not the man named before
            if known and known.kind == "person" and (actor is None or known.actor in (None, actor)):
                if len(name.split()) >= len(known.name.split()):
                    known.name = name if len(name) > len(known.name) else known.name
                known_person = gaz.person(known.name) if actor is None and known.actor is None else None
                if known_person is not None and known_person.actor is not None:
                    # "Mr Merz" after a bare mention of Friedrich Merz that gave no actor
                    actor, step = known_person.actor, "well-known-person"
                elif known.actor is None and step == "none" and role is None and known.role is None:
                    role, actor, step = self._story_role(doc, pos)  # first met as a bare sentence subject
                ent = doc.add(Entity(known.name, role, org, actor, "person", None, pos, step))
                return SpeakerRef(ent, "resolved" if name != known.name else "named", start, end)
            person = gaz.person(name)
            if person:
                full = person.name if len(name.split()) == 1 else name
                role = role or person.role
                gender = person.gender
            else:
                full, gender = name, None
            gender = gender or self._kin_gender(desc) or self._gender(full, role)
            actor, step = self.explain_actor(
                doc, descriptor=desc, position=pos, person=person, speaks_for_state=bool(role or org)
            )
            if step == "none" and role is None and person is None:
                role, actor, step = self._story_role(doc, pos)
            ent = doc.add(Entity(full, role, org, actor, "person", gender, pos, step))
            return SpeakerRef(ent, "named", start, end)
        head = POSSESSIVE.sub("", toks[-1].group().lower())
        clean = strip_determiner(POSSESSIVE.sub("", phrase) if phrase.endswith(("'s", "’s")) else phrase)
        definite = self.definite(doc, phrase, pos)
        if definite and self._describes_person(head, role, phrase):
            linked = self._described(doc, pos, actor, role, head, gaz.country_ids)
            if linked is not None:  # "the 62-year-old", "the diplomat", "the Reform UK leader"
                return SpeakerRef(linked, "resolved", start, end)
        if head in lex.anon_heads:
            return SpeakerRef(self.anonymous(doc, phrase, clean, pos, role=role), "anonymous", start, end)
        plain_reference = len(toks) == 2 or (len(toks) == 3 and toks[1].group().lower().endswith("-based"))
        if definite and plain_reference and head in lex.organisation_references and step != "organisation-reference":
            linked_org = self._latest_organisation(doc, pos)
            if linked_org is not None:  # "the group said", "the agency rejected": the one named before
                return SpeakerRef(linked_org, "resolved", start, end)  # also "the Paris-based agency"
        if governing in lex.title_words and governing in (role or ""):
            head, org = governing, None  # "a spokesman for China's Ministry of Commerce": a person, by role
        # "The group's oceans director": an office of a body the gazetteer does not know, no one named before
        unknown_owner = actor is None and re.match(r"(?:the\s+)?[\w\-]+['’]s\s", phrase, re.IGNORECASE) is not None
        if role and head in lex.title_words and not org:
            # "the minister said": the latest person with that role (and the same actor, if named)
            for e in [] if unknown_owner else sorted(doc.entities, key=lambda e: -e.last):
                if e.kind == "person" and e.role and head in e.role and (actor is None or e.actor == actor):
                    e.last = max(e.last, pos)
                    return SpeakerRef(e, "resolved", start, end)
            if actor is not None and head in ("leader", "head", "chief"):
                # "the Hungarian leader said": the latest person named for that actor
                for e in sorted(doc.entities, key=lambda e: -e.last):
                    if e.kind == "person" and e.actor == actor and e.name[:1].isupper():
                        e.last = max(e.last, pos)
                        return SpeakerRef(e, "resolved", start, end)
            if actor is None:  # "the Taoiseach said"
                actor, step = self.explain_actor(doc, descriptor=desc, position=pos)
            if actor is not None and step in _STORY_ROLE_STEPS and pos >= doc.body_start:
                insort(doc.story_roles, (pos, role, actor))  # "..., the Taoiseach said. Micheál Martin told ..."
            ent = doc.add(Entity(clean, role, None, actor, "person", self._gender("", role), pos, step))
            if bracketed:  # the headline's "MOFCOM:" is the spokesperson "for ... (MOFCOM)"
                doc.by_key.setdefault(bracketed.group(1).lower(), ent)
            return SpeakerRef(ent, "role", start, end)
        if actor is None and org is not None:
            actor, step = self._owner_actor(doc, desc) or (None, step)  # "Prime Minister Mark Carney's office"
        if actor is None and org is not None and head in lex.state_heads and definite and plain_reference:
            # "China's commerce ministry warned ... The ministry said": the body named before by that noun
            actor, step = self._named_state_body(doc, head, pos) or (None, step)
        if actor is None and org is not None and head in lex.state_heads:
            # "the government said" in a story about Finland
            actor, step = self.explain_actor(doc, descriptor=desc, position=pos, speaks_for_state=True)
        owner = self._its_owner(doc, desc, pos) if actor is None and step != "non-state" else None
        if owner is not None and owner[0] is not None:
            # "Hungary went further. Its government spokesman said": the body the sentence before opens
            # with owns the office, and names the speaker as the reader would ("Hungary's government spokesman")
            actor, step = owner
            clean = _ITS.sub(f"{gaz.actor_name(actor)}'s", clean, count=1)
        named_group = step == "non-state" and len(toks) > 1 and all(t.group()[:1].isupper() for t in toks)
        if actor is None and org is None and not named_group:  # "WWF Norway" is a speaker, of no state
            return None
        # Office holders in the plural ("EU commissioners", "Russian lawmakers") speak for their actor.
        office_holders = head.endswith("s") and head[:-1] in lex.title_words
        if step == "organisation-reference" and definite and len(toks) == 2:
            # "the fund said", "the group said": the organisation the article named before, by its name
            clean = doc.org_term(actor, pos) or clean
        elif org is None and toks[-1].group().islower() and not gaz.lookup(toks[-1].group()) and not office_holders:
            actor, step = None, "none"  # "Japanese farm groups", "French wine exporters" speak for no government
        step = step if actor or step == "non-state" else "none"
        ent = doc.add(Entity(clean, None, org, actor, "institution", None, pos, step))
        return SpeakerRef(ent, "institution", start, end)

    @staticmethod
    def name_role_speakers(previous: list[Attribution], current: list[Attribution], text: str, start: int) -> None:
        """Wire stories give the role first and the name in the next sentence ("Ghana's finance minister
        says ... / Cassiel Ato Forson told parliament ..."): a role speaker of the sentence before (the
        attributions `previous`) is the person the sentence at `start` of `text` opens with and names
        for the first time, when they speak in it (`current`) and have no role of their own.

        Kept apart from `ArticleState.story_role` (the same idea for the actor): this one re-points the
        role's attributions of the sentence before, so it needs them and runs where both extractors hold
        them; `story_role` gives only role and actor, inside `_parse`, also from headline and lead
        subjects that never spoke (docs/extraction.md, fifth round)."""
        person = next(
            (
                f.who
                for f in current
                if f.who.how == "named"
                and f.who.entity.kind == "person"
                and (not f.who.entity.role or f.who.entity.actor_step == "story-role")  # its role from the office
            ),
            None,
        )
        if person is None:
            return
        ent = person.entity
        parts = [p for p in ent.name.split() if p[:1].isupper() and len(p) > 2]
        at = text.find(parts[0], start) if parts else -1
        if at < 0 or len(text[start:at].split()) > 1:  # the sentence opens with the name (an honorific may come first)
            return
        if any(re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text[:start]) for p in parts):
            return  # named before: not introduced here
        for f in previous:
            role = f.who.entity
            if f.who.how != "role" or role.kind != "person" or (role.actor and ent.actor and role.actor != ent.actor):
                continue
            ent.role = ent.role or role.role
            if ent.actor is None:  # what the article said of the person: the role's country
                ent.actor, ent.actor_step = role.actor, role.actor_step
            f.who = SpeakerRef(ent, "resolved", f.who.start, f.who.end)

    def headline_colon(self, doc: ArticleState, text: str, offset: int, base: int = 0) -> Attribution | None:
        """A headline's colon form, `text` starting at `offset` of its field (`base`: the field's global
        position): "Peskov: Moscow open to talks", "Pacific leaders at COP30: ...", and the speaker after a
        clause: "China opposes the arms sales: FM spokesperson", also after a dash ("... won't default
        -finance minister"); also a live blog's entry header ("15:30 GMT — Von der Leyen: ‘Europe must
        deliver’", `live_entry_header`). Labels and events ("Live:", "Explainer:", "COP30:") are no speakers."""
        m = _HEADLINE_COLON.match(text)
        dash = m is None and (m := _HEADLINE_DASH.match(text)) is not None  # "... won't default -minister"
        if not m:
            return None
        left, right = m.group(1), m.group(2)
        who: SpeakerRef | None = None
        said = 2  # the group holding what was said
        if len(right.split()) <= _MAX_TRAILING_COLON_WORDS < len(left.split()):
            who, said = self._colon_speaker(doc, right, base + offset + m.start(2)), 1
        if who is None and len(right) >= 9 and not dash:
            who, said = self._colon_speaker(doc, left, base + offset + m.start(1)), 2
        if who is None:
            return None
        return Attribution(
            start=offset + m.start(said),
            end=offset + m.end(said),
            who=who,
            kind="indirect",
            verb=None,
            channel=None,
            confidence=0.55,
        )

    def _colon_speaker(self, doc: ArticleState, phrase: str, start: int) -> SpeakerRef | None:
        # a place or an occasion after the speaker is no part of it ("Lavrov in Beijing", "... at COP30")
        phrase = _COLON_PLACE.sub("", phrase)
        words = phrase.lower().split()
        if not words or len(words) > _MAX_COLON_SPEAKER_WORDS or "and" in words or "&" in words:
            return None  # a clause ("UK and EU seal reset"), or joint speakers
        labels = self.lex.colon_labels
        if words[0] in labels or words[-1] in labels or any(ch.isdigit() for ch in words[-1]):
            return None  # "Live:", "Romania election:", "COP30:", "G20:"
        who = self._parse(doc, phrase, None, start, start, start + len(phrase))
        holders = words[-1][:-1] if words[-1].endswith("s") else ""
        if (
            who is None
            and len(words) == 2
            and phrase[:1].isupper()
            and (holders in self.lex.person_descriptors or holders in self.lex.title_words)
        ):
            # "Pacific leaders at COP30: ...": a group of office holders, named like the body's
            # "Pacific leaders said" (speaking for no one state unless the phrase names it)
            actor, step = self._phrase_actor_step(doc, phrase, start)
            ent = doc.add(Entity(phrase.strip(), None, None, actor, "institution", None, start, step))
            return SpeakerRef(ent, "institution", start, start + len(phrase))
        return who if who is not None and who.how in ("named", "resolved", "institution") else None

    def lead_in(self, doc: ArticleState, masked: str, start: int, end: int, base: int) -> Attribution | None:
        """A dash or colon lead-in in the sentence masked[start:end] ("X's reply was brief — ...",
        "The message from X was blunt: ...", "X was unequivocal — ...", "A police spokesman said: ...",
        "India set out its position in a statement — ..."): the words after the mark, credited to X."""
        mark = _LEAD_IN_MARK.search(masked, start, min(end, start + MAX_LEAD_IN_CHARS))
        if mark is None or end - mark.end() < 12 or masked[mark.end()] in '“"«':
            return None
        lead = masked[start : mark.start()]
        if not lead.strip():
            return None
        pats = self.lex.lead_in
        phrase_end: int | None = None
        pronoun: str | None = None
        owned = pats.owned_noun.search(lead)
        from_ = pats.noun_from.match(lead.lstrip())
        if owned is not None and (pats.copula.search(lead, owned.end()) or not lead[owned.end() :].strip()):
            # "X's reply was brief — ...", and "X's verdict — that ... — was echoed" (the noun at the mark)
            phrase_end = owned.start()
            if owned.group("possessive"):
                pronoun = {"his": "he", "her": "she", "its": "it", "their": "they"}[owned.group("possessive").lower()]
        elif from_ is not None:
            offset = len(lead) - len(lead.lstrip())
            copulas = list(pats.copula.finditer(lead, offset + from_.end()))
            if copulas:
                lead = lead[: copulas[-1].start()]
                phrase_start = offset + from_.end()
                return self._lead_in_found(doc, masked, start, end, base, mark.end(), lead, phrase_start, None)
        elif (adjective := pats.adjective_end.search(lead)) is not None:
            phrase_end = adjective.start()
        elif (set_out := pats.set_out.search(lead)) is not None:
            phrase_end = set_out.start()
        elif (had := pats.had_noun.search(lead)) is not None:
            phrase_end = had.start()
        else:
            verbs = [v for v in self.lex.verb_re.finditer(lead) if len(lead) - v.end() <= 60]
            if verbs and not any(q in lead[verbs[0].end() :] for q in '“"'):
                phrase_end = verbs[0].start()
        if phrase_end is None:
            return None
        return self._lead_in_found(doc, masked, start, end, base, mark.end(), lead[:phrase_end], 0, pronoun)

    def _lead_in_found(
        self,
        doc: ArticleState,
        masked: str,
        start: int,
        end: int,
        base: int,
        content_start: int,
        lead: str,
        phrase_start: int,
        pronoun: str | None,
    ) -> Attribution | None:
        phrase = lead[phrase_start:].strip(" ,")
        at = base + start + phrase_start
        low = phrase.lower()
        if pronoun is not None or low in self.lex.pronouns:
            who = self._pronoun(doc, pronoun or low, at, phrase_start, phrase_start + len(phrase))
        else:
            appos = None
            parts = [p.strip() for p in phrase.split(",") if p.strip()]
            if len(parts) >= 2 and parts[1][:1].isupper():
                phrase, appos = parts[1], parts[0]  # "the Arab League's secretary-general, Ahmed Aboul Gheit"
            elif len(parts) >= 2:
                phrase = parts[0]  # "India, which has resisted limits ..."
            phrase = re.sub(r"^(?:a\s+reminder\s+of\s+)?what\s+", "", phrase, flags=re.IGNORECASE)
            if phrase and phrase.split()[0].lower() in _MENTION_PREPOSITIONS:
                return None  # "For South African officials, the calculation was simple: ...": a summary, no speaker
            who = self._parse(doc, phrase, appos, at, phrase_start, phrase_start + len(phrase)) if phrase else None
        if who is None or who.how == "channel":
            return None
        content_end = end
        that = re.compile(r"that\s+").match(masked, content_start)
        if that is not None:  # "X's verdict — that the US was ..."
            content_start = that.end()
        dash = re.compile(r"\s[—–]\s").search(masked, content_start, end)  # "— that the US was ... — was echoed"
        if dash is not None:
            content_end = dash.start()
        confidence = confidence_of("indirect", who) - 0.05
        return Attribution(
            start=content_start,
            end=content_end,
            who=who,
            kind="indirect",
            verb=None,
            channel=None,
            confidence=confidence,
        )

    @staticmethod
    def _latest_organisation(doc: ArticleState, pos: int) -> Entity | None:
        """The institution last named before `pos` by a proper name ("COGAT", "the Rapid Support Forces")."""
        named = [
            e
            for e in doc.entities
            if e.kind == "institution" and e.last < pos and any(w[:1].isupper() for w in e.name.split())
        ]
        if not named:
            # no institution has spoken or been introduced yet: the one organisation the body named
            # before ("OPEC+ agreed ... The group said"), by the words it was named by
            doc._surveyed()
            before = [
                a for a, ps in doc.org_positions.items() if bisect_left(ps, pos) > bisect_left(ps, doc.body_start)
            ]
            if len(before) != 1:
                return None
            actor = before[0]
            name = doc.org_term(actor, pos) or actor
            return doc.add(Entity(name, None, name, actor, "institution", None, pos, "organisation-reference"))
        chosen = max(named, key=lambda e: e.last)
        chosen.last = max(chosen.last, pos)
        return chosen

    @staticmethod
    def _named_state_body(doc: ArticleState, head: str, pos: int) -> tuple[str, str] | None:
        """The actor of the state body last named before `pos` with the noun `head` ("China's commerce
        ministry" for "the ministry") and the step that gave it; None when none was."""
        named = [e for e in doc.entities if e.kind == "institution" and e.last < pos and e.actor is not None]
        same_head = [e for e in named if POSSESSIVE.sub("", e.name.split()[-1].lower()) == head]
        if not same_head:
            return None
        latest = max(same_head, key=lambda e: e.last)
        return latest.actor, latest.actor_step

    def anonymous(self, doc: ArticleState, phrase: str, name: str, pos: int, *, role: str | None = None) -> Entity:
        """An anonymous speaker ("diplomats", "Afghan officials"): no actor, unless the phrase names a state
        body they work for ("French interior ministry officials"), which unnamed officials count as."""
        toks = _TOKEN.findall(phrase)
        of_state_body = len(toks) > 2 and POSSESSIVE.sub("", toks[-2].lower()) in self.lex.state_heads
        actor, step = self._phrase_actor_step(doc, phrase, pos) if of_state_body else (None, "none")
        if actor is None:
            actor, step = self._mission_of(toks)
        return Entity(name, role, None, actor, "anonymous", None, pos, step)

    def _mission_of(self, toks: list[str]) -> tuple[str | None, str]:
        """The organisation whose mission an anonymous group is ("UN experts", "Observers from the OSCE"):
        a mission head (`mission_heads`) first or last, and the one organisation (not a country) the
        phrase names; they report in its name. Else (None, "none")."""
        if not toks or not {toks[0].lower(), toks[-1].lower()} & self.lex.mission_heads:
            return None, "none"
        orgs = {entry.actor for _s, _e, entry in self.gaz.terms_in(" ".join(toks)) if not entry.is_country}
        return (orgs.pop(), "phrase") if len(orgs) == 1 else (None, "none")

    @staticmethod
    def definite(doc: ArticleState, phrase: str, pos: int) -> bool:
        """ "the diplomat"; in the headline also a possessor's ("Russia's top diplomat"), which stands
        for the person the body names (in the body it is more often someone not named yet)."""
        match = DEFINITE.match(phrase)
        return match is not None and (match.group().lower().startswith("the") or pos < doc.body_start)

    def _named_institution(self, phrase: str) -> tuple[str, str] | None:
        """The proper name of a state body the phrase is and its head word, or None: a capitalised
        organisation head ("Ministry", "Agency", "Office") with only a country, a possessor country or
        phrase words ("Foreign", "Environment") before it and only a capitalised name after it ("of the
        State Council"). Private organisations are read by `_private_organisation`."""
        lex = self.lex
        toks = list(_TOKEN.finditer(phrase))
        heads = [
            i
            for i, t in enumerate(toks)
            if t.group()[:1].isupper()
            and t.group().lower() in lex.org_heads
            and t.group().lower() not in lex.private_heads
        ]
        if not heads:
            return None
        country_spans = [(a, b) for a, b, entry in self.gaz.terms_in(phrase) if entry.is_country]
        for tok in toks[: heads[0]]:
            in_country = any(a <= tok.start() < b for a, b in country_spans)
            if not (
                in_country
                or POSSESSIVE.sub("", tok.group().lower()) in lex.phrase_words
                or POSSESSIVE.fullmatch(tok.group())
            ):
                return None
        joiners = ("of", "for", "on", "and", "the")
        tail = toks[heads[0] + 1 :]
        if not all(t.group()[:1].isupper() or t.group() in joiners for t in tail) or (
            tail and tail[-1].group() in joiners
        ):
            return None
        return strip_determiner(phrase[: toks[-1].end()]), toks[heads[0]].group().lower()

    def _private_organisation(self, toks: list[re.Match[str]], appos: str | None) -> bool:
        """A named organisation headed by a word of `private_organisation_heads` (capitalised in the
        phrase: "Industry Group", "Nationalist Party"), or an apposition ending in one ("the Russian
        state nuclear company"), unless the gazetteer knows the whole phrase as an actor."""
        heads = self.lex.private_heads
        if toks[-1].group().islower() and self._is_descriptor_word(toks[-1].group()):
            return False  # "The Democratic Party leader": a person described by the party
        if any(t.group()[:1].isupper() and t.group().lower() in heads for t in toks[1:]):
            phrase = " ".join(t.group() for t in toks)
            # "African Union Commission", "Union of South American Nations": an organisation the gazetteer knows
            return not any(not entry.is_country for _a, _b, entry in self.gaz.terms_in(phrase))
        if appos:
            # the head of the apposition comes before a relative clause ("the Russian state nuclear
            # company which runs the plant")
            words = _TOKEN.findall(_RELATIVE_CLAUSE.split(appos, maxsplit=1)[0])
            return bool(words) and words[-1].lower() in heads and words[-1].islower()
        return False

    def _describes_person(self, head: str, role: str | None, phrase: str = "") -> bool:
        """Whether a phrase describes a person by its head noun ("the diplomat", "the Slovak": a
        nationality), or by an age anywhere in it ("the 42-year-old former football commentator")."""
        if head.endswith("year-old") or head in self.lex.person_descriptors or _AGED.search(phrase):
            return True
        entry = self.gaz.lookup(head.capitalize())
        if entry is not None and entry.kind == "adjective" and entry.is_country:
            return True
        return role is not None and head in self.lex.title_words

    @staticmethod
    def _described(
        doc: ArticleState, pos: int, actor: str | None, role: str | None, head: str, countries: frozenset[str]
    ) -> Entity | None:
        """The person a definite descriptor stands for: the latest one named before `pos` with that role
        (when the phrase has one), else the latest one; of the phrase's actor when it names one."""
        if pos >= doc.body_start:
            people = sorted((e for e in doc.entities if e.kind == "person" and e.last < pos), key=lambda e: -e.last)
        else:  # the headline's phrase: the people the body names for that actor, the first named first
            people = [e for e in doc.entities if e.kind == "person" and (actor is None or e.actor == actor)]
        people = [e for e in people if e.name[:1].isupper()]
        # "the Djiboutian diplomat", "the former Swiss president": a nationality describes a person who
        # may speak for an organisation ("the Italian diplomat" after the UN refugee chief), never for
        # another country.
        people = [
            e
            for e in people
            if actor is None or e.actor in (None, actor) or (actor in countries and e.actor not in countries)
        ]
        with_role = [e for e in people if role and e.role and head in e.role]
        chosen = (with_role or people)[:1]
        if not chosen:
            return None
        chosen[0].last = max(chosen[0].last, pos)
        if chosen[0].actor is None and actor is not None and actor not in countries:
            # "Executive Vice-President X ... the commissioner said": the descriptor names the
            # organisation X speaks for (a country-less title said nothing of it)
            chosen[0].actor, chosen[0].actor_step = actor, "organisation-reference"
        return chosen[0]

    def _survey(self, doc: ArticleState, headline: str, body: str, body_base: int) -> None:
        """Note where the article names countries and organisations (global positions), when first needed."""
        doc.body_start = body_base
        doc.text = f"{headline:<{body_base - 1}}\n{body}"
        doc.survey = lambda: self._survey_now(doc, headline, body, body_base)

    def _survey_now(self, doc: ArticleState, headline: str, body: str, body_base: int) -> None:
        """One pass over each field: terms in order, quotes and paragraph starts looked up by bisection."""
        doc.paragraph_starts = [0, body_base] + [body_base + match.end() for match in re.finditer(r"\n+", body)]
        for base, text in ((0, headline), (body_base, _SECTION_HEADER.sub(self._header_as_text, body))):
            quotes = self._quotes(text) if base else []
            quote_opens = [open_at for open_at, _close in quotes]
            for start, end, entry in self.gaz.terms_in(text):
                if not entry.is_country:
                    doc.org_positions.setdefault(entry.actor, []).append(base + start)
                    doc.org_terms.setdefault(entry.actor, []).append(text[start:end])
                    continue
                doc.countries_named.add(entry.actor)
                if entry.kind not in ("name", "metonym", "institution"):
                    continue  # "Russian glide bombs" are no speaker's country
                if self._governed(text, start) or _inside(quotes, quote_opens, start):
                    continue  # "talks with Russia", or words inside a quote
                if entry.term in self.gaz.adjectival and _LOWER_NEXT.match(text, end):
                    continue  # "US rice imports"
                doc.countries.append((base + start, entry.actor))
                doc.country_positions.append(base + start)
        lead_at = len(body) - len(body.lstrip())
        dateline = DATELINE.match(body, lead_at)
        lead_at = dateline.end() if dateline else lead_at
        for base, text in ((0, headline), (body_base + lead_at, body[lead_at : lead_at + _SCAN_BACK_WINDOW])):
            opening = self._opening_role(doc, text, base)
            if opening is not None:
                insort(doc.story_roles, (base, *opening))

    def _header_as_text(self, header: re.Match[str]) -> str:
        """A capitals-only section header written as running text, of the same length ("WHAT WASHINGTON
        SAYS" as "What Washington Says", "THE RESPONSE FROM CARACAS" as "the Response from Caracas"), so
        the countries it names are found, and governed as in running text; terms the gazetteer knows in
        capitals ("US", "NATO") stay."""

        def word_as_text(word: re.Match[str]) -> str:
            text = word.group()
            if self.gaz.lookup(text) is not None:
                return text
            low = text.lower()
            written = low if low in _MENTION_PREPOSITIONS or low == "the" else text.title()
            return written if len(written) == len(text) else text

        return _CAPITALS_WORD.sub(word_as_text, header.group())

    @staticmethod
    def _story_role(doc: ArticleState, pos: int) -> tuple[str | None, str | None, str]:
        """(role, actor, step) for a person named bare at `pos`: the office the story named just before
        without a name (`ArticleState.story_role`), else nothing."""
        linked = doc.story_role(pos)
        return (linked[0], linked[1], "story-role") if linked else (None, None, "none")

    def _opening_role(self, doc: ArticleState, text: str, base: int) -> tuple[str, str] | None:
        """The office a text opens with as its subject, without a name, and its actor ("South Korea's
        new president offers ...", "The new Home Secretary has promised ...", "Ghana's finance minister
        says ..."): (role, actor), or None."""
        spans = self.gaz.title_spans(text)
        if not spans:
            return None
        start, end = spans[0]
        if _NAME_AFTER_TITLE.match(text, end):
            return None  # "Foreign Minister Jane Doe": a named person, read by the mentions
        terms = [(a, b) for a, b, _entry in self.gaz.terms_in(text[:start])]
        for word in _TOKEN.finditer(text[:start]):
            low = POSSESSIVE.sub("", word.group().lower())
            if not (
                any(a <= word.start() < b for a, b in terms)
                or low in self.lex.phrase_words
                or low in self.lex.story_role_words
                or POSSESSIVE.fullmatch(word.group())
            ):
                return None  # "The minister's critics ...", "Protesters and the president ...": not its subject
        phrase = text[:end]
        role = self.gaz.title_in(phrase)
        actor, step = self.explain_actor(doc, descriptor=phrase, position=base)
        return (role, actor) if role and actor and step in _STORY_ROLE_STEPS else None

    def _governed(self, text: str, start: int) -> bool:
        """Whether the term at `start` follows a preposition (looking back a few characters only), or
        is coordinated with a country term that does ("objections from Egypt and Sudan")."""
        for _step in range(_MAX_COORDINATED):  # a few terms back at most: a long list costs no more
            if _GOVERNED_BEFORE.search(text, max(0, start - 40), start):
                return True
            joint = _COORDINATED_BEFORE.search(text, max(0, start - 12), start)
            if joint is None:
                return False
            window = max(0, joint.start() - 60)
            before = [
                window + term_start
                for term_start, term_end, entry in self.gaz.terms_in(text[window : joint.start()])
                if window + term_end == joint.start() and entry.is_country
            ]
            if not before:
                return False
            start = before[0]
        return False

    def _referenced(self, doc: ArticleState, desc: str, pos: int) -> str | None:
        """An organisation a common noun stands for, when the article names it ("the alliance" → NATO);
        two words first ("Secretary General" as "secretary-general", "High Commissioner")."""
        toks = _TOKEN.findall(desc)
        pairs = [f"{a}{joint}{b}" for a, b in zip(toks, toks[1:], strict=False) for joint in ("-", " ")]
        for tok in (*pairs, *toks):
            refs = self.gaz.referenced(tok)
            if refs:
                found = doc.org_named(refs, pos)
                if found:
                    return found
        return None

    def _owned(self, desc: str) -> bool:
        """Whether a speaker phrase belongs to a named non-state body ("Orlen's chief executive")."""
        for m in _OWNER.finditer(desc):
            word = m.group(1)
            if not self.gaz.lookup(word) and not self.gaz.referenced(word) and word.lower() not in self.lex.stop_caps:
                return True
        return False

    def _non_state(self, desc: str, owner: str | None = None) -> bool:
        """Whether a speaker's description marks someone who speaks for no government: an opposition
        figure, legislator, lawyer, executive, analyst or former office holder ("Opposition leader",
        "Senator", "an Estonian MEP"), or the head of a body the gazetteer does not know, which is a
        party or company ("KMT chairman", "Sinn Fein leader")."""
        words = {m.group().lower() for m in self.lex.non_state_re.finditer(desc)}
        if words and not (words <= self.lex.organisation_staff and self._names_organisation(desc, owner)):
            return True  # "an economist at a Cairo bank"; not "IMF chief economist", nor "its" for the fund
        titles = self.gaz.title_spans(desc)
        known = titles + [(a, b) for a, b, _entry in self.gaz.terms_in(desc)]
        for m in self.lex.body_head_re.finditer(desc):
            if m.group(1)[:1].islower() or any(a <= m.start(1) < b for a, b in titles):
                continue  # "the party leader" is caught above; "Supreme Leader" is a title
            # The capitalised words before the head ("Reform UK leader", "Sinn Fein leader"): one the
            # gazetteer does not know makes the body a party or company.
            run = _CAPITALISED_RUN.search(desc, 0, m.end(1))
            for word in _TOKEN.finditer(desc, run.start() if run else m.start(1), m.end(1)):
                text = word.group()
                if any(a <= word.start() < b for a, b in known) or text.lower() in ("the", *self.lex.stop_caps):
                    continue
                if not self.gaz.lookup(text) and not self.gaz.referenced(text):
                    return True
        return False

    def _names_organisation(self, desc: str, owner: str | None = None) -> bool:
        """Whether a description names an organisation of the gazetteer as its speaker's ("IMF chief
        economist"), or its "its" stands for one (`owner`)."""
        actor = self.gaz.actor_in(desc) or owner
        return actor is not None and actor not in self.gaz.country_ids

    def decide_actor(
        self,
        doc: ArticleState,
        *,
        descriptor: str,
        position: int,
        person: Person | None = None,
        speaks_for_state: bool = False,
    ) -> str | None:
        """The actor a speaker speaks for (`explain_actor` without the step that decided it)."""
        actor, _step = self.explain_actor(
            doc, descriptor=descriptor, position=position, person=person, speaks_for_state=speaks_for_state
        )
        return actor

    def explain_actor(
        self,
        doc: ArticleState,
        *,
        descriptor: str,
        position: int,
        person: Person | None = None,
        speaks_for_state: bool = False,
    ) -> tuple[str | None, str]:
        """The actor a speaker speaks for and the step (of `ACTOR_STEPS`) that gave it: the first of
        these steps that gives one, else (None, "none").

        1. The speaker phrase itself, with its apposition: a country or organisation it names, not governed
           by a preposition ("Chinese foreign ministry spokesman", "Lin Jian, a spokesman for the Chinese
           foreign ministry", "NATO Secretary-General", "Greenland's premier").
        2. A common noun in it that stands for an organisation the article names ("the alliance" → NATO,
           "the bloc's enlargement commissioner" → EU, "the secretary-general" after "the UN").
        3. (Callers, before this) what the article already said about the person: a title or apposition
           met earlier ("Ukraine's defence minister Denys Shmyhal ... Shmyhal said").
        4. The gazetteer's well-known office holders (`person`).
        5. An office that names its actor ("the Home Secretary" → GBR, "the Taoiseach" → IRL), unless the
           article also names a country with an office of that name ("the Foreign Secretary" and India);
           then the one holder the article names ("the Foreign Office" and Pakistan, Afghanistan), or
           the story's own country when it names several.
        6. Only for an office holder or state body (`speaks_for_state`) not owned by a named company: the one
           country named as an actor shortly before in the same paragraph, else in the paragraph before,
           else the story's own country (`ArticleState.country_near`, `_home`). Two different countries named in
           the paragraph that decides, or in the headline, make it ambiguous.

        0. A description that marks someone who speaks for no government (`_non_state`) gives None,
           step "non-state", before any of these.

        When unsure the actor is None: a country that merely appears nearby is no evidence.
        """
        owner = self._its_owner(doc, descriptor, position)
        if self._non_state(descriptor, owner[0] if owner else None):
            return None, "non-state"
        actor, step = self._phrase_actor_step(doc, descriptor, position)
        if actor is not None:
            return actor, step
        if owner is not None:
            return owner
        if person is not None and person.actor is not None:
            return person.actor, "well-known-person"
        office = self.gaz.office_in(descriptor)
        if office is not None:
            doc._surveyed()
            named = office.holders.intersection(doc.countries_named)
            if named <= {office.actor}:
                return office.actor, "office"
            if len(named) == 1:  # "the Foreign Office" in a story naming Pakistan and Afghanistan
                return next(iter(named)), "office"
            if doc.home in named:  # several holders named: the story's own country
                return doc.home, "office"
        if speaks_for_state and not self._owned(descriptor):
            actor = doc.country_near(position)
            if actor is not None:
                return actor, "country-near"
        return None, "none"

    def _owner_actor(self, doc: ArticleState, desc: str) -> tuple[str, str] | None:
        """The actor of the person who owns a body in `desc` ("Mark Carney's office", "Netanyahu's
        office"): a person the article gave an actor, else a well-known one; None otherwise."""
        for match in _OWNER.finditer(desc):
            name = match.group(1)
            known = doc.by_key.get(name.lower())
            if known is not None and known.kind == "person" and known.actor is not None:
                return known.actor, known.actor_step
            person = self.gaz.person(name)
            if person is not None and person.actor is not None:
                return person.actor, "well-known-person"
        return None

    def _its_owner(self, doc: ArticleState, descriptor: str, position: int) -> tuple[str | None, str] | None:
        """Whom "its" in a descriptor stands for: the body that opens the sentence ("Hezbollah's response
        came within hours: its leader ..."), or the sentence before when the descriptor opens its own
        ("The Bangladesh Nationalist Party welcomed the timetable. Its secretary-general, ..."). A
        country or organisation of the gazetteer gives its actor; a party, company or other body the
        gazetteer does not know gives none (step non-state); anything else, or nothing found, None."""
        if not _ITS.search(descriptor) or position <= 0:
            return None
        before = doc.text[max(0, position - _SCAN_BACK_WINDOW) : position]
        sentences = [part for part in _SENTENCE_BREAK.split(before) if part.strip()]
        if not sentences:
            return None
        current = sentences[-1]
        opening = current if not _ITS.match(current.strip()) else None
        if opening is None or not (_OPENING_BODY.match(opening) or _OPENING_REFERENCE.match(opening)):
            opening = sentences[-2] if len(sentences) > 1 else None
        reference = _OPENING_REFERENCE.match(opening) if opening else None
        if reference is not None:  # "The fund raised its forecast. Its chief economist, ..."
            actor = self._referenced(doc, reference.group(1), position)
            return (actor, "organisation-reference") if actor else None
        match = _OPENING_BODY.match(opening) if opening else None
        if match is None:
            return None
        body = POSSESSIVE.sub("", match.group("body").strip())
        words = body.split()
        entry = self.gaz.lookup(body)
        if entry is not None:
            return entry.actor, "phrase" if entry.is_country else "organisation-reference"
        known = doc.by_key.get(body.lower())
        if known is not None and known.kind == "person":
            return None
        lex = self.lex
        if words[-1].lower() in lex.private_heads or not any(
            self.gaz.lookup(w) or w.lower() in lex.stop_caps or self.gaz.title_in(w) for w in words
        ):
            return None, "non-state"  # a party, company or movement the gazetteer does not know
        return None

    def _phrase_actor(self, doc: ArticleState, descriptor: str, position: int) -> str | None:
        """Steps 1 and 2 of `explain_actor`: the actor the speaker phrase itself names."""
        return self._phrase_actor_step(doc, descriptor, position)[0]

    def _phrase_actor_step(self, doc: ArticleState, descriptor: str, position: int) -> tuple[str | None, str]:
        actor = self.gaz.actor_in(descriptor)
        if actor is not None:
            return actor, "phrase"
        actor = self._referenced(doc, descriptor, position)
        return (actor, "organisation-reference") if actor is not None else (None, "none")

    def _home(self, headline: str, lead: str, *, dateline: str = "") -> str | None:
        """The country the story is about: the one the headline names as an actor (else the lead's, else
        the country of the dateline that opens `dateline`, the body's first line).

        A headline that names two different countries as actors ("China warns Manila") has no single
        home (None), unless the dateline names one of them or the lead opens with one of them. One pass
        over each text; a name governed by a preposition ("talks with Russia") or used as an adjective
        does not count.
        """
        for text in (headline, lead):
            named = [
                (start, entry.actor)
                for start, end, entry in self.gaz.terms_in(text)
                if entry.is_country
                and entry.kind in ("name", "metonym", "institution")
                and not self._governed(text, start)
                and not (entry.term in self.gaz.adjectival and _LOWER_NEXT.match(text, end))  # "U.S. tariffs"
            ]
            if not named:
                continue
            actors = {actor for _start, actor in named}
            if len(actors) == 1:
                return actors.pop()
            # "Ethiopia inaugurates dam; Egypt calls it a threat" datelined "GUBA, Ethiopia": the
            # dateline says which of the headline's countries the story is written from; without one,
            # the lead's subject does ("Tokyo says ...; Beijing hits back" over "Japan has released ...")
            from_dateline = self._dateline_country(dateline)
            if from_dateline in actors:
                return from_dateline
            opener = self._opening_country(lead)
            return opener if opener in actors else None
        return self._dateline_country(dateline)

    def _opening_country(self, lead: str) -> str | None:
        """The country a lead opens with as its subject, after any dateline ("Japan has released ...",
        "The Democratic Republic of Congo's foreign minister ..."), or None."""
        dateline = DATELINE.match(lead)
        text = lead[dateline.end() :] if dateline else lead
        for start, _end, entry in self.gaz.terms_in(text[:80]):
            opens = text[:start].strip() in ("", "The", "the")
            return entry.actor if opens and entry.is_country and entry.kind in ("name", "metonym") else None
        return None

    def _dateline_country(self, lead: str) -> str | None:
        """The country of the lead's dateline ("TOKYO — ", "GUBA, Ethiopia, Sept 9 (Agency) - "): its
        named country, else the country whose capital or seat it is; None for two ("THE HAGUE/KABUL")."""
        dateline = DATELINE.match(lead)
        if dateline is None:
            return None
        place = re.split(r"\s*(?:\(|--|-\s|—|–|:|\d)", dateline.group())[0]
        parts = [p.strip() for p in place.split(",") if p.strip()]
        if not parts or "/" in parts[0]:
            return None
        for part in reversed(parts):
            entry = self.gaz.lookup(part) or self.gaz.lookup(part.title())
            if entry is not None and entry.is_country and entry.kind in ("name", "metonym"):
                return entry.actor
        return None

    def _organisation(self, desc: str) -> str | None:
        for _a, _b, entry in self.gaz.terms_in(desc):
            if entry.kind == "institution":
                return entry.term
        toks = _TOKEN.findall(desc)
        for i, tok in enumerate(toks):
            if tok.lower() in self.lex.org_heads:
                j = i
                while (
                    j > 0
                    and toks[j - 1].lower() in self.lex.phrase_words
                    and toks[j - 1].lower() not in ("the", "a", "an", "of", "for", "to", "its", "his", "her", "their")
                ):
                    j -= 1
                return " ".join(toks[j : i + 1])
        return None

    def _kin_gender(self, description: str) -> str | None:
        """The gender a kinship noun in a person's description tells ("the powerful sister of ...")."""
        for word in re.findall(r"[\w-]+", description.lower()):
            if word in self.lex.kin_genders:
                return self.lex.kin_genders[word]
        return None

    def _gender(self, name: str, role: str | None) -> str | None:
        lex = self.lex
        if role:
            if any(t in role for t in self.gaz.female_titles):
                return "f"
            if any(t in role for t in self.gaz.male_titles):
                return "m"
        parts = name.lower().split()
        if not parts:
            return None
        if parts[0] in lex.female_names:
            return "f"
        if parts[0] in lex.male_names:
            return "m"
        if len(parts) > 1 and parts[-1].endswith(lex.female_endings):
            return "f"
        return _given_name_gender(parts[0].split("-")[0]) if len(parts) > 1 else None

    # mentions -------------------------------------------------------------------------------------
    def _register_mentions(self, doc: ArticleState, sentence: str, sentence_start: int) -> None:
        """Learn people named with a title ("Ukrainian president Volodymyr Zelenskyy").

        `sentence_start` is the sentence's global position; the actor comes from `decide_actor`.
        """
        self._register_subject_name(doc, sentence, sentence_start)
        for mention in self.lex.title_mention_re.finditer(sentence):
            name = POSSESSIVE.sub("", mention.group("name"))
            words = name.split()
            while words and (self.gaz.lookup(words[-1]) or words[-1].lower() in self.lex.stop_caps):
                words.pop()
            while len(words) > 1 and words[0].lower() in self.lex.stop_caps:
                words.pop(0)  # "Prime Minister Sir Keir Starmer": the honorific is no part of the name
            if not words or self.gaz.lookup(words[0]):
                continue
            # Only the few words before the title can be its phrase: read a bounded window, so a long
            # sentence costs one pass, not one pass per title in it.
            title_start = mention.start()
            window_start = max(0, title_start - _SCAN_BACK_WINDOW)
            first_word = mention.group().split()[0]
            phrase_start = self._scan_back(sentence[window_start:title_start] + first_word) if title_start else 0
            descriptor_start = window_start + phrase_start if phrase_start is not None else title_start
            descriptor = sentence[descriptor_start : mention.start("name")]
            of_body = _OF_AFTER_NAME.match(sentence, mention.end())
            if of_body is not None:  # "Foreign Minister Ilse Varga of Hungary"
                descriptor = f"{descriptor} {of_body.group(1)}"
            name = " ".join(words)
            if name.lower() in self.lex.stop_caps:
                continue
            role = self.gaz.title_in(descriptor)
            position = sentence_start + mention.start("name")
            subject = not sentence[:descriptor_start].strip()  # the sentence opens with the person
            known = doc.by_key.get(name.lower()) or doc.by_key.get(words[-1].lower())
            if known and known.kind == "person":
                known.last = max(known.last, position)
                if subject:
                    doc.spoke(known, position)
                continue
            person = self.gaz.person(name)
            actor, step = self.explain_actor(
                doc, descriptor=descriptor, position=position, person=person, speaks_for_state=bool(role)
            )
            gender = (person.gender if person else None) or self._gender(name, role)
            doc.add(
                Entity(
                    name=name,
                    role=role,
                    organisation=self._organisation(descriptor),
                    actor=actor,
                    kind="person",
                    gender=gender,
                    last=position,
                    actor_step=step if actor is not None else "none",
                    salient=position if subject else -1,
                )
            )

    def _register_subject_name(self, doc: ArticleState, sentence: str, sentence_start: int) -> None:
        """A person named without a title as a sentence's subject ("Mark Carney has just finished his
        speech"), when the first name gives a gender: so a later "he" or "she" finds them."""
        match = _SUBJECT_NAME.match(sentence)
        if match is None:
            return
        name, honorific = match.group("name"), match.group("honorific")
        words = name.split()
        introduced = match.group("lead") or match.group("appos")
        if (len(words) < 2 and not honorific) or not (introduced or _SUBJECT_VERB.fullmatch(match.group("verb"))):
            return
        if any(self.gaz.lookup(w) or w.lower() in self.lex.stop_caps for w in words) or self.gaz.title_in(words[0]):
            return  # "Senator Chuck Schumer, the minority leader, ...": a titled name, read by the mentions
        gender = self._gender(name, None)
        # "Her rival, X, conceded", "X, Chile's trade minister, was sworn in": a person, whatever the name
        appos = match.group("appos")
        if appos and not honorific and not self.gaz.title_in(appos):
            return
        named_person = match.group("lead") is not None or appos is not None or honorific is not None
        if not named_person and (gender is None or words[0].lower() not in self.lex.female_names | self.lex.male_names):
            return
        position = sentence_start + match.start("name")
        known = doc.by_key.get(name.lower()) or doc.by_key.get(words[-1].lower())
        if known is not None and known.kind == "person":
            known.last = max(known.last, position)
            doc.spoke(known, position)
            return
        role, actor, step = None, None, "none"
        lead = match.group("lead")
        office = appos or (lead if lead and self.gaz.title_in(lead) else None)
        if office:  # the office the apposition or the lead names gives the person's actor, as a title would
            role = self.gaz.title_in(office)
            actor, step = self.explain_actor(doc, descriptor=office, position=position, speaks_for_state=True)
        doc.add(
            Entity(
                name=name,
                role=role,
                organisation=None,
                actor=actor,
                kind="person",
                gender=gender,
                last=position,
                actor_step=step,
                salient=position,
            )
        )

    def _touch(self, doc: ArticleState, ms: str, abs_start: int) -> None:
        """Bump the recency of people mentioned by name in this sentence."""
        by_key = doc.by_key
        if not by_key:
            return
        for m in _CAPITALISED.finditer(ms):
            ent = by_key.get(POSSESSIVE.sub("", m.group()).lower())
            if ent is not None and ent.kind == "person":
                ent.last = max(ent.last, abs_start + m.start())

    def _channel(self, ms: str) -> str | None:
        ch = self.gaz.channel_in(ms)
        if ch:
            return ch
        m = re.search(
            r"\baccording to\s+((?:[\w\-]+\s+){0,4}?(?:media|press|reports?|newspapers?|state television))\b",
            ms,
            re.IGNORECASE,
        )
        return m.group(1) if m else None


GIVEN_NAMES_FILE = "given_names.generated.tsv"  # written by `python -m streams.nlp.build_given_names`


@cache
def _given_names() -> dict[str, str]:
    """Clearly female ("f") or male ("m") given names, lower case: gender-guesser's list, generated."""
    lines = (DATA_DIR / GIVEN_NAMES_FILE).read_text(encoding="utf-8").splitlines()
    return {name: gender for name, gender in (line.split("\t") for line in lines)}


def _given_name_gender(given: str) -> str | None:
    """The gender a given name indicates in gender-guesser's international name list, when it is clear."""
    if len(given) < 2 or not given.isalpha():
        return None
    # The list spells most names without accents ("Yván" is there as "Yvan").
    plain = "".join(c for c in unicodedata.normalize("NFKD", given) if not unicodedata.combining(c))
    return _given_names().get(plain.lower())


def _same_person_named(name: str, known: str) -> bool:
    """Whether `name` can stand for the person first named `known`: a part of the name ("Zakharova",
    "Lula da Silva") can; a full name with another given name ("Sara Duterte" after "Rodrigo Duterte")
    is someone else."""
    known_words = set(known.lower().split())
    return all(word in known_words for word in name.lower().split())


def live_entry_header(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole paragraph after a live blog's time stamp ("15:52 GMT — ..."):
    an entry's header, written like a headline."""
    paragraph = text.rfind("\n", 0, start) + 1
    stamp = _TIME_STAMP.match(text, paragraph)
    return stamp is not None and stamp.end() == start and text.find("\n", end) in (end, -1)


def is_real_quote(text: str, open_at: int, close_at: int) -> bool:
    """A quotation, not a quoted term: four words or more, or a question or exclamation of two
    ("Why now?", "Who can stop us now?"); "the so-called 'reset'" is a term."""
    words = len(WORD.findall(text, open_at + 1, close_at))
    if words > 3:
        return True
    return words >= 2 and text[open_at + 1 : close_at].rstrip()[-1:] in ("?", "!")


def confidence_of(kind: str, who: SpeakerRef) -> float:
    how = who.how
    has_actor = who.entity.actor is not None
    if kind == "direct":
        base = {"named": 0.9, "resolved": 0.88, "pronoun": 0.8, "institution": 0.82, "role": 0.75}.get(how, 0.6)
    else:
        base = {"named": 0.78, "resolved": 0.75, "pronoun": 0.7, "institution": 0.72, "role": 0.65}.get(how, 0.5)
    return min(1.0, base + (0.07 if has_actor and how != "anonymous" else 0.0))


def _inside(quotes: list[tuple[int, int]], quote_opens: list[int], position: int) -> bool:
    """Whether `position` is inside one of `quotes` (sorted, not nested; `quote_opens` their starts)."""
    index = bisect_left(quote_opens, position) - 1
    return index >= 0 and quotes[index][0] < position < quotes[index][1]


def _abbreviation_dot(toks: list[re.Match[str]], i: int, abbreviations: frozenset[str] = frozenset()) -> bool:
    """Whether token `i` is the final dot of an abbreviation: a dotted one ("U.S." reads as "U.S" and
    "."), or one of `abbreviations` ("Jr.")."""
    if toks[i].group() != "." or i == 0 or toks[i - 1].end() != toks[i].start():
        return False
    before = toks[i - 1].group()
    return "." in before or before.lower() in abbreviations


def strip_determiner(phrase: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past whitespace, quote marks and trailing commas/colons."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and (text[start].isspace() or text[start] in '"“”«»,:;—–-'):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in '"“”«»,:;—–-'):
        end -= 1
    return start, end


# The context every statement carries (headline and lead sentence, read by the stance step when the
# statement names no topic) is cut to this many characters: each statement holds its own copy, so a
# one-sentence body of many quotes made memory and the stance step grow as statements × body length.
MAX_CONTEXT_CHARS = 1000


def _bounded_context(context: str) -> str:
    if len(context) <= MAX_CONTEXT_CHARS:
        return context
    cut = context.rfind(" ", 0, MAX_CONTEXT_CHARS + 1)
    return context[: cut if cut > MAX_CONTEXT_CHARS // 2 else MAX_CONTEXT_CHARS].rstrip()


# The steps `SpeakerReader.explain_actor` decides an actor by, in its order, and "none" (no actor).
ACTOR_STEPS = (
    "non-state",
    "phrase",
    "organisation-reference",
    "well-known-person",
    "office",
    "story-role",
    "country-near",
    "none",
)


@dataclass(frozen=True)
class SpeakerTrace:
    """How a statement's speaker and actor were found (for evaluation; not part of the record).

    `link`: how the speaker phrase reached the person or body ("named", "resolved" for a surname,
    role noun or descriptor met earlier, "pronoun", "institution", "role", "anonymous");
    `actor_step`: the step of `SpeakerReader.explain_actor` that gave the actor (`ACTOR_STEPS`).
    """

    link: str
    actor_step: str


def build_statements(
    article: RawArticle,
    fields: list[tuple[str, str, list[Attribution]]],
    context: str,
    traces: dict[str, SpeakerTrace] | None = None,
) -> list[Statement]:
    """Statements of the found attributions: spans trimmed, duplicates of one span dropped.

    `traces`, when given, receives each statement's `SpeakerTrace` by statement id."""
    context = _bounded_context(context)
    out: list[Statement] = []
    seen: set[tuple[str, int, int]] = set()
    for field, text, found in fields:
        for f in found:
            start, end = _trim(text, f.start, f.end)
            if end - start < 2 or (field, start, end) in seen:
                continue
            seen.add((field, start, end))
            out.append(
                Statement(
                    id=statement_id(article.id, field, start, end),
                    article_id=article.id,
                    published_at=article.published_at,
                    source=article.source,
                    url=article.url,
                    speaker=f.who.entity.speaker(f.role),
                    text=text[start:end],
                    kind=f.kind,  # type: ignore[arg-type]
                    verb=f.verb,
                    field=field,  # type: ignore[arg-type]
                    start=start,
                    end=end,
                    channel=f.channel,
                    confidence=round(f.confidence, 3),
                    context=context,
                )
            )
            if traces is not None:
                entity = f.who.entity
                traces[out[-1].id] = SpeakerTrace(
                    link=f.who.how,
                    actor_step=entity.actor_step if entity.actor or entity.actor_step == "non-state" else "none",
                )
    return out
