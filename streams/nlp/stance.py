"""Stance detection: an actor's support for or opposition to the topics a statement names.

Everything language-specific is data (`data/cues.yaml`, `data/taxonomy.yaml`); this module applies it:

- **Cues** give polarity: support ("ready to provide", "welcome", "back", "call for"), opposition
  ("reject", "veto", "unacceptable", "not on the table") or an explicit non-committal position
  ("would decide only when", "take note", "does not oppose").
- **Negation** reverses the first cue within a short scope after it, inside the same clause: "will not
  support" opposes, "not going to discuss" opposes, "does not oppose" is a neutral position.
- **Cue chains**: a cue governing another cue right after it sets that cue's direction ("reject calls
  for a ceasefire" opposes the ceasefire, "warn against blocking sanctions" supports them).
- **Topic polarity**: words that end or restrict a topic turn the stance on it around. Ending words
  ("lift", "suspend", "phase out", "an end to") apply to every topic; restrictions ("ban on",
  "embargo on", "Russian gas ban") apply to topics that are not themselves restrictions, so supporting
  a "ban on Russian gas" opposes energy supplies, while an "import ban" is the import-quota topic itself.
  An ending verb with no other cue is a cue of its own: "Iran will suspend its cooperation with the
  IAEA" opposes inspections.
- **Attachment**: each cue belongs to one topic, the first named after it in its clause, else the last
  named before it in its clause; a sentence that names no topic speaks about the statement's nearest
  topic; a statement that names none speaks about the topic its article's headline or lead names first.
- Statements whose speaker has no actor (anonymous sources), or with no cue for a topic, give no event:
  a topic merely mentioned is not a stance. Every event carries the sentence it was read from.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from schemas import StanceEvent, Statement
from streams.nlp._text import (
    DATA_DIR,
    NO_DEADLINE,
    BudgetExceeded,
    Deadline,
    FirstWords,
    LazyPatterns,
    Marks,
    Spans,
    WordIndex,
    ends_with,
    matches_at_first_words,
    packaged_yaml,
    phrase_pattern,
    phrases_pattern,
    read_yaml,
)
from streams.nlp.actors import Gazetteer
from streams.nlp.open_topics import OpenWords, head_lemma, open_key
from streams.nlp.open_topics import gazetteer as open_gazetteer
from streams.nlp.taxonomy import Taxonomy, TopicMatch

if TYPE_CHECKING:
    from streams.nlp.targets import Target

__all__ = [
    "BudgetExceeded",
    "CueHit",
    "Cues",
    "Reading",
    "accused_of",
    "cue_hits",
    "detect_stances",
    "event_id",
    "joint_actors",
    "preceding_words",
    "read_stances",
    "resolve_pronoun_object",
    "sentence_spans",
    "stance_of",
]

SUPPORT_AT = 0.2
OPPOSE_AT = -0.2
# Topics found only in the headline/lead (not in the statement itself) count for less.
CONTEXT_FACTOR = 0.5
# A cue in a sentence of the statement that names no topic, read as about the statement's topic.
OTHER_SENTENCE_FACTOR = 0.7
# Opposite polarity this strong outweighs an explicit non-committal cue in the same statement.
NEUTRAL_UNLESS = 0.6


@dataclass(frozen=True)
class CueHit:
    start: int
    end: int
    text: str
    weight: float  # signed: > 0 support, < 0 opposition, after negation and chaining
    negated: bool
    neutral: bool = False  # an explicit non-committal position ("take note", "does not oppose")


@dataclass(frozen=True)
class Cues:
    patterns: LazyPatterns  # one a cue phrase, compiled on first use
    weights: tuple[tuple[float, bool], ...]  # each pattern's (signed base weight, neutral)
    first_words: FirstWords  # which patterns can match a text
    negator_re: re.Pattern[str]
    break_re: re.Pattern[str]
    strong_break_re: re.Pattern[str]
    scope: int
    negated_support: float
    negated_oppose: float
    chain_gap: int
    chain_head_re: re.Pattern[str]  # cues that govern the cue after them ("reject calls for")
    ending_re: re.Pattern[str]  # words that end any topic ("lift", "an end to")
    ending_weight: float
    substitution_re: re.Pattern[str]  # endings that replace the thing after them ("an alternative to")
    hostility_after_re: re.Pattern[str]  # a hostility just after an ending ("an end to the shelling")
    restriction_re: re.Pattern[str]  # restrictions before a flow topic ("ban on")
    restriction_after_re: re.Pattern[str]  # restrictions after it ("Russian gas ban")
    reverse_scope: int
    condition_re: re.Pattern[str]  # a condition clause up to its comma ("If the tariffs stay,")
    narration_re: re.Pattern[str]  # a time clause's opening and its subject ("after the alliance ")
    denial_re: re.Pattern[str]  # cues that deny an act when a gerund follows ("denied ramming")
    past_act_re: re.Pattern[str]  # acts whose negated past denies them ("has never provided")
    harm_re: re.Pattern[str]  # cues that harm their object: the speaker values it ("violate the ceasefire")
    particle_re: re.Pattern[str]  # phrasal verbs whose particle is no cue ("held back", "bring them back")
    act_re: re.Pattern[str]  # subject cues an actor does ("Washington threatened tariffs"): its position
    position_re: re.Pattern[str]  # verbs reporting the position of the actor before them ("X argued")
    naming_re: re.Pattern[str]  # a verb naming a pronoun object ("described it as"): group 1 is the pronoun
    noun_cues: frozenset[str]  # verb cues that are also nouns ("the damage", "trade disputes")
    # a counter-measure vowed ("resolute measures", "corresponding measures"), a quote mark allowed before it:
    # an answer to another's act, opening a cue or its chain
    counter_re: re.Pattern[str]
    verb_before_re: re.Pattern[str]  # the word before such a cue that makes it a verb ("would damage")
    decision_object_re: re.Pattern[str]  # a direct object after "would decide" ("decide matters of war")
    passive_before_re: re.Pattern[str]  # "be" right before a cue: the speaker suffers it ("will not be blackmailed")
    without_re: re.Pattern[str]  # a condition after a refusal ("not ready to back the plan without guarantees")
    # cue-less constructions (`constructions`, stance29): a contrast of two predicates ("is a right, not a
    # reward": groups a and b) and a time or amount set apart in one ("a week away, not a month": no judgement)
    contrast_re: re.Pattern[str]
    contrast_measure_re: re.Pattern[str]
    contrast_weight: float
    circumstance_re: re.Pattern[str]  # an adjunct of circumstance opening ("citing", "amid")
    # an accused act with no cue word (`accused_acts`: "accused New Delhi of profiteering from ..."), group "act"
    accused_act_re: re.Pattern[str]
    accused_act_weight: float
    happening_re: re.Pattern[str]  # a thing's own progress after it ("take effect", "pass"): "as tariffs take effect"

    @classmethod
    def load(cls, path: Path | None = None) -> Cues:
        return _load_cues(str(path or DATA_DIR / "cues.yaml"))


def _particle_re(phrasal_verbs: dict[str, list[str]]) -> re.Pattern[str]:
    """The phrasal verbs of `phrasal_verbs` (particle: its verbs), a pronoun object allowed between
    verb and particle ("send them back")."""
    alternatives = [
        r"(?:" + phrases_pattern(verbs) + r")(?:\s+(?:it|them|him|her|us|me))?\s+" + phrase_pattern(particle)
        for particle, verbs in phrasal_verbs.items()
        if verbs
    ]
    return re.compile("|".join(alternatives) or r"(?!)", re.IGNORECASE)


@cache
def _load_cues(path: str) -> Cues:
    raw = read_yaml(Path(path))
    constructions = raw.get("constructions") or {}
    sources: list[str] = []
    weights: list[tuple[float, bool]] = []
    phrases: list[str] = []
    # counter-measures are opposition cues of one weight, listed apart because they are chain heads too
    counter = raw.get("counter_measures") or {}
    counter_phrases = [str(phrase) for phrase in counter.get("phrases") or []]
    sections = {section: raw.get(section) or {} for section in ("support", "oppose", "neutral")}
    sections["counter_measures"] = dict.fromkeys(counter_phrases, counter.get("weight", 0.6))
    for sign, section in ((1.0, "support"), (-1.0, "oppose"), (0.0, "neutral"), (-1.0, "counter_measures")):
        for phrase, weight in sections[section].items():
            w = float(weight)
            if not 0.0 < w <= 1.0:
                raise ValueError(f"{path}: cue {phrase!r} in {section}: weight must be in (0, 1]")
            sources.append(phrase_pattern(str(phrase), quotes=True))
            weights.append((sign * w, section == "neutral"))
            phrases.append(str(phrase))
    harms = [str(harm) for harm in raw.get("harms") or ["undermine"]]
    known = {" ".join(phrase.lower().split()) for phrase in phrases}
    for harm in harms:
        # A harm that is no cue phrase loses to the shorter cue it starts with, so it is never read as one.
        if " ".join(harm.lower().split()) not in known:
            raise ValueError(f"{path}: harm {harm!r} must also be a cue phrase (support, oppose or neutral)")
    negators = sorted(raw.get("negators", []), key=len, reverse=True)
    # "n't" hangs off its verb ("won't"), so it gets its own pattern without a word boundary.
    neg_alts = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in negators if not n.startswith("n'"))
    negator_re = re.compile(r"(?:(?<![\w])(?:" + neg_alts + r")(?![\w]))|n['’]t\b", re.IGNORECASE)
    # A period ends a clause unless it closes an initial or an abbreviation ("the U.S. arms sales",
    # "after U.S. President Donald Trump threatened ..."). The lookbehinds follow the period, so they
    # run only where there is one.
    not_abbreviation = "".join(
        rf"(?<!\b{re.escape(word)}\.)" for word in packaged_yaml("lexicon.yaml").get("abbreviations") or []
    )
    period = r"\.(?<!\b[A-Za-z]\.)" + not_abbreviation + r"(?=\s)"
    breaks = "|".join(map(re.escape, raw.get("clause_breaks", [])))
    break_re = re.compile(r"[,;:!?()—–]|" + period + r"|\b(?:" + breaks + r")\b", re.IGNORECASE)
    strong = "|".join(map(re.escape, raw.get("strong_clause_breaks", [])))
    strong_break_re = re.compile(r"[;!?—–]|" + period + r"|\b(?:" + strong + r")\b", re.IGNORECASE)
    rev = raw.get("reversers") or {}
    ending = rev.get("ending") or ["end"]
    restriction = rev.get("restriction") or ["ban"]
    after = rev.get("restriction_after") or ["ban"]
    noun_cues = raw.get("noun_cues") or {}
    accused = raw.get("accused_acts") or {}
    return Cues(
        patterns=LazyPatterns(sources, re.IGNORECASE),
        weights=tuple(weights),
        first_words=FirstWords(phrases),
        negator_re=negator_re,
        break_re=break_re,
        strong_break_re=strong_break_re,
        scope=int(raw.get("negation_scope", 4)),
        negated_support=float(raw.get("negated_support_factor", 1.0)),
        negated_oppose=float(raw.get("negated_oppose_factor", 0.4)),
        chain_gap=int(raw.get("chain_gap", 3)),
        chain_head_re=re.compile(
            phrases_pattern((raw.get("chain_heads") or ["reject"]) + counter_phrases), re.IGNORECASE
        ),
        ending_re=re.compile(phrases_pattern(ending), re.IGNORECASE),
        ending_weight=float(rev.get("ending_weight", 0.6)),
        substitution_re=re.compile(phrases_pattern(rev.get("substitution") or ["instead of"]), re.IGNORECASE),
        hostility_after_re=re.compile(
            r"\s+(?:[\w’'-]+\s+){0,2}?(?:" + phrases_pattern(rev.get("hostilities") or ["war"]) + r")", re.IGNORECASE
        ),
        restriction_re=re.compile(phrases_pattern(restriction), re.IGNORECASE),
        restriction_after_re=re.compile(r"[\s\-]*(?:" + phrases_pattern(after) + r")", re.IGNORECASE),
        reverse_scope=int(rev.get("scope", 4)),
        condition_re=re.compile(
            r"(?<![\w])(?:"
            + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in raw.get("conditions", ["if"]))
            + r")(?![\w])[^,;.:!?]*",
            re.IGNORECASE,
        ),
        narration_re=re.compile(
            # the subject's words: a period only inside a word or after an initial ("U.S."), never one
            # that ends a sentence; "after we ...", "since our ..." are the speaker's own acts
            r"(?<![\w])(?:" + phrases_pattern(raw.get("narrations") or ["after"]) + r")\s+(?!(?:we|i|us|our|my)\b)"
            r"(?:(?:[\w’'()-]|\.(?=\w)|(?<=\b[A-Z])\.)+\s+){1,12}?$",
            re.IGNORECASE,
        ),
        denial_re=re.compile(phrases_pattern(raw.get("denials") or ["deny"]), re.IGNORECASE),
        past_act_re=re.compile(phrases_pattern(raw.get("past_acts") or ["provide"]), re.IGNORECASE),
        harm_re=re.compile(phrases_pattern(harms), re.IGNORECASE),
        particle_re=_particle_re(raw.get("phrasal_verbs") or {}),
        act_re=re.compile(phrases_pattern(raw.get("acts") or ["threaten"]), re.IGNORECASE),
        position_re=re.compile(phrases_pattern(raw.get("position_verbs") or ["argue"]), re.IGNORECASE),
        naming_re=re.compile(
            r"(?:" + phrases_pattern(raw.get("naming_verbs") or ["describe"]) + r")\s+(it|them)\b", re.IGNORECASE
        ),
        noun_cues=frozenset(str(w).lower() for w in noun_cues.get("words") or []),
        counter_re=re.compile(
            r"[\"“”‘’]?(?:" + (phrases_pattern(counter_phrases) if counter_phrases else r"(?!)") + r")", re.IGNORECASE
        ),
        verb_before_re=re.compile(
            r"(?:(?<![\w’'])(?:" + phrases_pattern(noun_cues.get("verb_after") or ["to"]) + r")|n['’]t)\s*$",
            re.IGNORECASE,
        ),
        decision_object_re=re.compile(
            r"\s+(?:" + phrases_pattern(raw.get("decision_objects") or ["the"]) + r")", re.IGNORECASE
        ),
        passive_before_re=re.compile(r"\b(?:be|been|being)\s+$", re.IGNORECASE),
        without_re=re.compile(phrases_pattern(raw.get("conditional_refusals") or ["without"]), re.IGNORECASE),
        contrast_re=_contrast_re(constructions),
        contrast_measure_re=re.compile(
            r"(?<![\w’'-])(?:" + phrases_pattern(constructions.get("contrast_measures") or ["week"]) + r")(?![\w’'-])",
            re.IGNORECASE,
        ),
        contrast_weight=float(constructions.get("weight", 0.6)),
        accused_act_re=re.compile(
            _ACCUSATION + r"(?:[a-z]+ly\s+)?[\"“‘']?(?P<act>" + phrases_pattern(accused.get("acts") or ["fund"]) + ")",
            re.IGNORECASE,
        ),
        accused_act_weight=float(accused.get("weight", 0.5)),
        circumstance_re=re.compile(
            r"(?<![\w’'-])(?:" + phrases_pattern(raw.get("circumstances") or ["citing", "amid"]) + r")\s+",
            re.IGNORECASE,
        ),
        happening_re=re.compile(
            r"\s+(?:[\w’'.,-]+\s+){0,2}?(?:"
            + phrases_pattern(raw.get("happenings") or ["take effect"])
            + r")(?![\w’'-])",
            re.IGNORECASE,
        ),
    )


_WORDS = re.compile(r"\w+")
_COORDINATION = re.compile(r"\s(?:and|or)\s", re.IGNORECASE)
# An auxiliary of the past and a negator right before a verb ("has never ", "did not ", "hadn't ").
_PAST_NEGATED_BEFORE = re.compile(
    r"\b(?:has|have|had|did)(?:\s+(?:not|never)|n['’]t)\s+(?:\w+ly\s+)?(?:ever\s+)?$", re.IGNORECASE
)
_THAT_AFTER = re.compile(r"\s+that\b", re.IGNORECASE)
# A negated report and its clause up to the cue ("has not said it would", "did not say whether it will"): the
# negation is the report's, which tells no position of the speaker's on what would follow.
_REPORT_NEGATED_BEFORE = re.compile(
    r"(?:\bnot|\bnever|n['’]t)\s+(?:yet\s+)?(?:said|say|says|indicated|indicate|announced|signalled|signaled|"
    r"stated|confirmed)\s+(?:(?:that|whether|if)\s+)?(?:it|they|he|she|we)\s+(?:would|will|could|might|may)\s+$",
    re.IGNORECASE,
)
# An indefinite pronoun and the subject of a relative clause with no "that" ("anything it needs", "everything
# we wanted"): the cue after them is that clause's verb, describing the pronoun. Not "all" nor "something":
# "all we want is peace", "the deal is something we support" state the speaker's position.
_RELATIVE_BEFORE = re.compile(
    r"\b(?:anything|everything|nothing|whatever)\s+(?:it|we|they|he|she|you|i)\s+"
    r"(?:(?:would|will|could|might|may|can|did|does|do|had|has|have|really|still)\s+)?$",
    re.IGNORECASE,
)
# A claim's clause with no "that": a subject pronoun and its verb ("denied it was involved").
_CLAUSE_AFTER = re.compile(
    r"\s+(?:it|they|he|she|we)\s+(?:was|were|is|are|had|has|have|would|will|did|could)\b", re.IGNORECASE
)
_GERUND_AFTER = re.compile(r"\s+(?:\w+ly\s+)?(?:ever\s+)?\w{3,}ing\b", re.IGNORECASE)
_BY_AFTER = re.compile(r"\s+by\b", re.IGNORECASE)
# A determiner or "other" right before a word makes it a noun ("a trap", "other priorities").
_NOUN_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|this|that|any|such|other|another)\s+$", re.IGNORECASE)
# A first-person pronoun right after a cue, its object ("to blackmail us", "threatened me").
_FIRST_PERSON_AFTER = re.compile(r"\s+(?:us|me)\b", re.IGNORECASE)
# "No sanctions on Moscow", "no more weapons": a topic refused outright, with no other cue.
_NO_BEFORE = re.compile(r"(?<![\w])(?:no|never)\s+(?:(?:new|more|further|additional)\s+)?$", re.IGNORECASE)
REFUSAL_WEIGHT = 0.6
# A sentence that names no topic is about the statement's topic only when it points back to it.
_ANAPHOR = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|such)\b", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|in|on|with|against|from|at|for|of|over|by|about|toward|towards)\s+(?:the\s+)?$"
)
# An obligation put on the actor just named ("Israel must", "the U.S. side should immediately").
_OBLIGED_AFTER = re.compile(
    r"(?:\s+side)?\s+(?:\w+ly\s+)?(?:must|should|has to|have to|had to|ought to)\b", re.IGNORECASE
)
# "accused Rwanda of ...", "blamed Kyiv for ...": the cue after it is the act the speaker blames someone
# for; an adverb, a quote mark and up to two modifiers may stand before it ("of “repeated violations”").
_ACCUSATION = (
    r"\b(?:accus(?:e|es|ed|ing)\s+(?:[\w.'’-]+\s+){1,6}?of|blam(?:e|es|ed|ing)\s+(?:[\w.'’-]+\s+){1,6}?for)\s+"
)
# the modifiers: no determiner (the act's own object), no "to" or gerund ("of refusing to honour")
_MODIFIER = r"(?!(?:the|a|an|its|their|his|her|to)\s|[a-z]+ing\s)[a-z][\w-]*\s+"
_ACCUSED_OF = re.compile(
    _ACCUSATION + r"(?:not\s+|never\s+)?(?:[a-z]+ly\s+)?[\"“‘']?(?:" + _MODIFIER + r"){0,2}$", re.IGNORECASE
)


def accused_of(text: str, start: int) -> bool:
    """Whether the cue at `start` is what the speaker accuses someone of ("accused Rwanda of stalling
    the peace deal"): the speaker stands against that act, so the cue counts turned around."""
    return _ACCUSED_OF.search(text, max(0, start - 80), start) is not None


# How far into its clause a named actor still reads as the clause's subject ("Every day Russia says no").
SUBJECT_WORDS = 3
# How many words before a cue a possessive or subject actor still governs it.
SUBJECT_REACH = 16
# How many words (a determiner, a modifier) may stand between a harm and the topic it harms.
HARM_REACH = 2


@cache
def _gazetteer() -> Gazetteer:
    return open_gazetteer()  # one gazetteer for stance and open-topic keys, loaded once


class _TextIndex:
    """One scan of a statement's text for everything the per-cue and per-topic checks look up.

    Each check used to re-run a pattern over a prefix or a gap of the text, so a long statement full
    of cues cost the square (or cube) of its length; here every pattern runs once and the checks
    bisect the sorted matches.
    """

    def __init__(self, text: str, cues: Cues) -> None:
        self.text = text
        self.words = WordIndex(text)
        self.breaks = Marks(cues.break_re, text)
        self.strong_breaks = Marks(cues.strong_break_re, text)
        self.negators = Marks(cues.negator_re, text)
        # condition clauses ("If the tariffs stay, ..."): their cues and endings take no position
        self.conditions = Spans([match.span() for match in cues.condition_re.finditer(text)])
        self.sentences = sentence_spans(text)
        self._sentence_starts = [start for start, _end in self.sentences]
        self._anaphoric: dict[tuple[int, int], bool] = {}
        self._tokens: tuple[list[tuple[int, int, str]], list[int]] | None = None

    def tokens(self) -> tuple[list[tuple[int, int, str]], list[int]]:
        """The text's target tokens and their starts (`streams/nlp/targets.py`), made once, on first use."""
        if self._tokens is None:
            from streams.nlp.targets import tokens  # noqa: PLC0415 (targets imports this module's types)

            toks = tokens(self.text)
            self._tokens = (toks, [t[0] for t in toks])
        return self._tokens

    def sentence_at(self, pos: int) -> tuple[int, int] | None:
        """The sentence span holding `pos` (spans may leave gaps: leading punctuation)."""
        index = bisect_right(self._sentence_starts, pos) - 1
        if index >= 0 and pos < self.sentences[index][1]:
            return self.sentences[index]
        return None

    def anaphoric(self, span: tuple[int, int]) -> bool:
        known = self._anaphoric.get(span)
        if known is None:
            known = self._anaphoric[span] = _ANAPHOR.search(self.text, *span) is not None
        return known


def _someone_elses(text: str, hit: CueHit, actor: str | None, cues: Cues, index: _TextIndex | None = None) -> bool:
    """Whether the cue `hit` states another actor's position, not the speaker's.

    "Every day Russia says no to a ceasefire" (a Ukrainian speaking), "the decision reflected Russia's
    refusal", "urged Iran to allow inspectors": the clause's subject, or a possessive right before the
    cue, names an actor other than the speaker's. A cue that judges the subject before it ("the US
    accusations are groundless", "the Commission's step was excellent news") is the speaker's own
    judgement of that subject, whoever the subject belongs to.
    """
    if actor is None:
        return False
    from streams.nlp.targets import is_subject_cue  # noqa: PLC0415 (targets imports this module's types)

    subject_cue = is_subject_cue(hit.text) and not cues.act_re.fullmatch(hit.text.strip('"“”‘’'))
    if subject_cue or accused_of(text, hit.start):
        return False
    start = hit.start
    index = index or _TextIndex(text, cues)
    clause = max(index.breaks.last_end(start), index.strong_breaks.last_end(start))
    if _subject_right_before(text, hit, max(clause, start - 80)):
        return True
    if index.words.count(clause, start) > SUBJECT_REACH:
        return False
    prefix = text[clause:start]
    for a, b, entry in _gazetteer().terms_in(prefix):
        if _PREPOSITION_BEFORE.search(prefix[:a]):
            continue
        if entry.actor == actor:
            return False
        possessive = prefix[b : b + 2] in ("'s", "’s")
        if not possessive and _OBLIGED_AFTER.match(prefix, b):
            return False  # "Israel must allow aid in": the speaker's demand on another actor
        if possessive or _n_words(prefix[:a]) < SUBJECT_WORDS:
            return True
        if _VERB_RIGHT_AFTER.fullmatch(prefix, b):
            return True  # "proposes a pool as Poland and Hungary refuse relocations": the cue is their verb
    return _referenced_subject(prefix, actor)


# Auxiliaries, negators and adverbs between a subject and its verb ("had not", "would never").
_AUXILIARIES_PATTERN = r"(?:(?:had|have|has|would|will|did|do|does|could|should|may|might|not|never|also|\w+ly)\s+)*"
_AUXILIARIES = _AUXILIARIES_PATTERN + "$"
# Only auxiliaries, negators and adverbs between a named actor and the cue: the actor is the cue's subject.
_VERB_RIGHT_AFTER = re.compile(r"\s+" + _AUXILIARIES_PATTERN)
# "a tractor", "an army convoy": an indefinite noun phrase of one or two lower-case words.
_INDEFINITE_SUBJECT = re.compile(r"(?<![\w’'-])(?:a|an)\s+[a-z][\w-]*\s+(?:[a-z][\w-]*\s+)?" + _AUXILIARIES)


@cache
def _group_subject() -> re.Pattern[str]:
    """An unnamed group of people (`anonymous_heads` of `data/lexicon.yaml`: diplomats, critics, rights
    groups) right before the cue, only auxiliaries, negators and adverbs between: the cue is its verb."""
    heads = packaged_yaml("lexicon.yaml").get("anonymous_heads") or ["critics"]
    return re.compile(
        r"\b(?:" + "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True)) + r")\s+" + _AUXILIARIES,
        re.IGNORECASE,
    )


def _subject_right_before(text: str, hit: CueHit, floor: int) -> bool:
    """Whether the verb cue `hit` has a subject of its own right before it that is never the speaker: an
    unnamed group ("some Western diplomats had not condemned the riots") or, for a cue inflected as a verb
    (-s, -ed), an indefinite noun phrase ("every time a tractor blocks a road", "an army convoy
    violated ..."): someone else's act, however far the clause runs back. "a blanket ban" is no verb."""
    if _group_subject().search(text, floor, hit.start) is not None:
        return True
    verb = hit.text.split()[0].lower().strip('"“”‘’') if hit.text.strip() else ""
    return verb.endswith(("s", "ed")) and _INDEFINITE_SUBJECT.search(text, floor, hit.start) is not None


# A common noun that stands for an organisation ("the alliance", "the bloc's"), opening a clause.
_REFERENCE_SUBJECT = re.compile(r"\s*(?:the\s+)([\w-]+?)(?:['’]s)?\s", re.IGNORECASE)


def _referenced_subject(prefix: str, actor: str) -> bool:
    """Whether the clause before a cue opens with a noun that stands for an organisation ("The alliance
    approved the deployment") and a country speaks: that body's act or position, reported, not the
    country's. An organisation's own speaker ("the bloc took note", said for ASEAN) may mean itself."""
    match = _REFERENCE_SUBJECT.match(prefix)
    if match is None:
        return False
    gazetteer = _gazetteer()
    referenced = gazetteer.referenced(match.group(1))
    return bool(referenced) and actor in gazetteer.country_ids


# The one urged, and "to", between a cue and the verb it calls for ("urged the U.S. side to immediately ").
_ADDRESSEE_TO = re.compile(r"\s+(?:[\w.'’-]+\s+){1,4}to\s+(?:\w+ly\s+)?", re.IGNORECASE)
_TO_VERB = re.compile(r"\s*(?:to\s+)?(?:\w+ly\s+)?", re.IGNORECASE)  # "pledged to swiftly ", "agreed to "
# A bare ending verb after a determiner or a quantifier is a noun ("at the end of", "ports at both ends
# of the canal"), not an action on the topic.
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|its|their|this|that|both|either|each|opposite|far)\s+$", re.IGNORECASE)
# A cue in "-ing" form opening its clause is the subject, not the speaker's position ("Supplying
# Tomahawks would mark an escalation").
_CLAUSE_OPENING = re.compile(r"(?:^|[.;:!?,—–(]|\b(?:that|and|but|because|while|if|whether))\s*$", re.IGNORECASE)


# The word right after a phrase, past a closing quote mark ("‘genocide’ claims").
_WORD_AFTER = re.compile(r"[’'\"”]?\s*([A-Za-z]+)")


# A place preposition and at most two words (a determiner, a modifier) before a topic.
_PLACE_BEFORE = re.compile(
    r"\b(?:in|along|near|around|across|over|at|off|into|inside|outside|within|through)(?:\s+[\w’'-]+){0,2}\s+$",
    re.IGNORECASE,
)


# Before a position verb: an apposition between commas ("Saudi Arabia, the group's de facto leader,")
# and up to two words ("has long", "also").
_REPORTED_GAP = re.compile(r"(?:\s*,[^,;:.!?]{1,60},)?(?:\s+[\w’'-]+){0,2}?\s+$")


def reported_actor(text: str, cues: Cues | None = None) -> str | None:
    """The actor whose own position a statement reports: the one that opens it as the subject of a
    position verb ("Saudi Arabia, the group's de facto leader, argued that further increases should
    wait", a nested report credited to the delegates who relay it). None when the text opens otherwise."""
    cues = cues or Cues.load()
    terms = _gazetteer().terms_in(text[:120])
    if not terms or text[: terms[0][0]].strip().lower() not in ("", "the"):
        return None
    _, end, entry = terms[0]
    for verb in cues.position_re.finditer(text, end, min(len(text), end + 90)):
        if _REPORTED_GAP.fullmatch(text, end, verb.start()):
            return entry.actor
    return None


# Between two actors of a coordinated subject: a comma, "and" or both, and a determiner ("Iran and the
# IAEA", "Britain, France and Germany").
_COORDINATED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?", re.IGNORECASE)
# What may follow a coordinated subject: a word that is no possessive mark ("Pakistan and Afghanistan have
# agreed", not "Pakistan and Afghanistan's talks").
_SUBJECT_ENDS = re.compile(r"\s+[\w“\"]", re.IGNORECASE)


def joint_actors(text: str, actor: str | None) -> list[str]:
    """The actors of a coordinated subject opening `text` that holds `actor` ("Pakistan and Afghanistan
    have agreed to a ceasefire", said by Pakistan's foreign office; "Iran and IAEA agree framework"):
    the speaker vouches for an act its own side did jointly, so each of them takes its stance. Empty
    when the statement opens otherwise, or the speaker's actor is not among them (a third party's
    report stays the speaker's, `_someone_elses`). The first is the one after the subject's last comma:
    the clause the cue is read in opens there, with it as its subject."""
    if actor is None:
        return []
    terms = _gazetteer().terms_in(text[:160])
    if not terms or text[: terms[0][0]].strip().lower() not in ("", "the"):
        return []
    subject = [terms[0]]
    for term in terms[1:]:
        if not _COORDINATED.fullmatch(text, subject[-1][1], term[0]):
            break
        subject.append(term)
    actors = list(dict.fromkeys(entry.actor for _start, _end, entry in subject))
    if len(actors) < 2 or actor not in actors or not _SUBJECT_ENDS.match(text, subject[-1][1]):
        return []
    comma = text.rfind(",", subject[0][0], subject[-1][0])
    last_clause = next(entry.actor for start, _end, entry in subject if start > comma)
    return [last_clause] + [a for a in actors if a != last_clause]


def _n_words(text: str) -> int:
    return len(_WORDS.findall(text))


def _negated(start: int, index: _TextIndex, cues: Cues, floor: int) -> bool:
    """Whether a negator in `text[floor:start]` reaches the word at `start` (same clause, in scope).

    Only the nearest negator before `start` can: any earlier one has a longer gap, with at least as
    many words and every clause break of the nearer one's gap.
    """
    nearest = index.negators.last_before(start)
    if nearest is None or index.negators.starts[nearest] < floor:
        return False
    gap_start = index.negators.ends[nearest]
    return index.words.count(gap_start, start) <= cues.scope and not index.breaks.any_within(gap_start, start)


def _as_noun(text: str, match: re.Match[str], cues: Cues) -> bool:
    """Whether a cue that is also a noun ("damage", "dispute") stands as the noun here: in its base or
    plural form, after a word that is neither a subject nor an auxiliary ("serious damage", "the
    damage"); "would damage", "Russia disputes", "they dispute" stay verbs. A plural common noun as
    subject ("the unions demand") reads as a noun phrase too: the base form misses that verb."""
    word = match.group().lower()
    if word.endswith(("ed", "ing")) or word.rstrip("s") not in cues.noun_cues and word not in cues.noun_cues:
        return False
    before = text[max(0, match.start() - 40) : match.start()]
    previous = re.search(r"([\w’'-]+)\s*$", before)
    if previous is None or previous.group(1)[:1].isupper():
        return False  # a statement opening with the cue, or a named subject ("Russia disputes")
    return cues.verb_before_re.search(before) is None


def _decides_a_thing(text: str, match: re.Match[str], cues: Cues) -> bool:
    """Whether a deferral cue ending in "decide" takes a direct object ("the state alone would decide
    matters of war and peace", "Greenlanders will decide their own future"): it says who decides, no
    position short of one ("would decide on its contribution only when", "will decide meeting by meeting")."""
    decides = match.group().lower().endswith(("decide", "decides"))
    return decides and cues.decision_object_re.match(text, match.end()) is not None


def _narrated(text: str, match: re.Match[str], cues: Cues) -> bool:
    """Whether a cue in the past tense is the verb of a time clause with a subject of its own ("after the
    alliance approved the deployment", "since Washington imposed the tariffs"): the clause tells what
    happened, the speaker's position is in the main clause. "After we rejected ..." is the speaker's own act."""
    if not match.group().lower().endswith("ed"):
        return False
    return cues.narration_re.search(text, max(0, match.start() - 90), match.start()) is not None


def _opens_clause(text: str, start: int) -> bool:
    """`_CLAUSE_OPENING.search(text[:start])`, looking only past the whitespace before `start`."""
    word_end = start
    while word_end > 0 and text[word_end - 1].isspace():
        word_end -= 1
    if word_end == 0:
        return True
    return ends_with(_CLAUSE_OPENING, text, start, reach=start - word_end + len("because") + 1) is not None


def _contrast_re(constructions: dict) -> re.Pattern[str]:
    """A contrast of two predicates (`constructions` of `data/cues.yaml`, stance29): a copula, a predicate
    opening with "a"/"an" (group a), ", not" and a second one (group b)."""
    copulas = phrases_pattern(constructions.get("contrast_copulas") or ["is"])
    word = r"[\w’'-]+"
    return re.compile(
        r"(?<![\w’'-])(?:" + copulas + r")\s+[\"“‘]?"
        r"(?P<a>(?:a|an)\s+" + word + r"(?:\s+" + word + r"){0,5}?),\s+not\s+"
        r"(?P<b>(?:(?:a|an|the)\s+)?" + word + r"(?:\s+" + word + r"){0,2}?)[\"”’]?(?=\s*(?:[.,;:!?\"”’]|$))",
        re.IGNORECASE,
    )


def _construction_hits(
    text: str, raw: list[tuple[int, int, float, bool]], cues: Cues
) -> list[tuple[int, int, float, bool]]:
    """Stance-bearing constructions with no cue word (`constructions` in `data/cues.yaml`), as raw cue hits.

    A contrast of two predicates ("statehood was a right, not a reward", "described the dam as an
    opportunity, not a threat") is a subject cue spanning both (`streams/nlp/targets.py` reads it back to its
    subject): support, unless a cue inside the first predicate sets the direction ("a trap, not a
    peace") or one inside the second does, turned ("a pause, not a solution").
    """
    out: list[tuple[int, int, float, bool]] = []
    for m in cues.contrast_re.finditer(text):
        if cues.contrast_measure_re.search(text, m.start("a"), m.end("b")):
            continue  # "the summit is a week away, not a month": a fact corrected, not a thing judged
        inside_a = [w for a, b, w, neutral in raw if not neutral and m.start("a") <= a and b <= m.end("a")]
        inside_b = [w for a, b, w, neutral in raw if not neutral and m.start("b") <= a and b <= m.end("b")]
        sign = 1.0
        if inside_a:
            sign = 1.0 if sum(inside_a) > 0 else -1.0
        elif inside_b:
            sign = -1.0 if sum(inside_b) > 0 else 1.0
        out.append((m.start("a"), m.end("b"), sign * cues.contrast_weight, False))
    return out


def _accused_acts(
    text: str, raw: list[tuple[int, int, float, bool]], excluded: Spans, cues: Cues, index: _TextIndex
) -> list[tuple[int, int, float, bool]]:
    """The act an accusation or a blame names when it is no cue itself ("accused New Delhi of profiteering
    from discounted Russian crude", "of mortgaging the country's future to the Fund"; `accused_acts` of
    `data/cues.yaml`), as raw cue hits: doing a thing to an object engages with it, like "buying Russian
    oil", so the hit is a support cue, turned like every accused cue (`accused_of`): the speaker stands
    against the act's object. Only an act with an object of its own: one with none has no topic to read."""
    from streams.nlp.targets import object_after  # noqa: PLC0415 (targets imports this module's types)

    out: list[tuple[int, int, float, bool]] = []
    for m in cues.accused_act_re.finditer(text):
        start, end = m.span("act")
        if not text[start:end].split()[0].lower().endswith("ing") or excluded.overlaps(start, end):
            continue  # the act itself, a gerund ("of funding"), not a noun ("of arms sales", "of profits")
        if any(a < end and start < b for a, b, _w, _n in raw):
            continue  # a cue of its own ("of stalling the deal", "of buying Russian oil") reads the act
        toks, starts = index.tokens()
        if object_after(text, end, toks, starts) is None:
            continue
        out.append((start, end, cues.accused_act_weight, False))
    return out


def cue_hits(
    text: str,
    cues: Cues | None = None,
    exclude: list[tuple[int, int]] | None = None,
    *,
    deadline: Deadline = NO_DEADLINE,
    index: _TextIndex | None = None,
) -> list[CueHit]:
    """Cue phrases in `text` with negation and chaining applied; spans in `exclude` (topic keywords) are skipped."""
    cues = cues or Cues.load()
    index = index or _TextIndex(text, cues)
    topics = Spans(exclude or [])
    # "sanctions against Russia" names a topic; "held back by" is a phrasal verb: no cue inside either
    excluded = Spans((exclude or []) + [match.span() for match in cues.particle_re.finditer(text)])
    conditions = index.conditions
    raw: list[tuple[int, int, float, bool]] = []
    for pattern_index, match in matches_at_first_words(cues.first_words.positions(text), None, cues.patterns, text):
        deadline.check()
        weight, neutral = cues.weights[pattern_index]
        if excluded.overlaps(match.start(), match.end()):
            continue
        if conditions.holds(match.start()):
            continue  # "If the tariffs stay, we will respond": a condition, not a position
        if _narrated(text, match, cues):
            continue  # "after the alliance approved the deployment": another's act told, no position
        if match.group().lower().endswith("ing") and _opens_clause(text, match.start()):
            continue  # a gerund subject ("Sending troops would ...") is the topic, not a position
        if match.group().lower().endswith("ed") and _BY_AFTER.match(text, match.end()):
            continue  # a passive modifier ("guarantees backed by European troops") describes, not supports
        if _as_noun(text, match, cues):
            continue  # "the extent of the damage", "trade disputes": a thing named, not a position taken
        if _RELATIVE_BEFORE.search(text, max(0, match.start() - 40), match.start()):
            continue  # "had not given up anything it needs": the pronoun described, no position taken
        if neutral and _decides_a_thing(text, match, cues):
            continue  # "the state alone would decide matters of war and peace": who decides, not a deferral
        raw.append((match.start(), match.end(), weight, neutral))
    raw += [
        hit
        for hit in _construction_hits(text, raw, cues)
        if not conditions.holds(hit[0])  # a contrast may hold a topic's words ("a partner, not a rival")
    ]
    raw += [hit for hit in _accused_acts(text, raw, excluded, cues, index) if not conditions.holds(hit[0])]
    deadline.check()
    # Longest match wins where cues overlap ("will not discuss" over "discuss").
    raw.sort(key=lambda hit: (-(hit[1] - hit[0]), hit[0]))
    kept: list[tuple[int, int, float, bool]] = []
    taken = bytearray(len(text))  # characters of the cues kept so far: an overlap is one taken character
    for hit in raw:
        if taken.find(1, hit[0], hit[1]) >= 0:
            continue
        taken[hit[0] : hit[1]] = b"\x01" * (hit[1] - hit[0])
        kept.append(hit)
    kept.sort()
    deadline.check()
    hits: list[CueHit] = []
    previous_end = 0
    denied_until = -1  # the words a denial of an act governs, to its clause's end, take no position either
    for start, end, weight, neutral in kept:
        if start < denied_until:
            continue
        if _denies_an_act(text, start, end, cues):
            denied_until = _governed_until(text, end, index)
            continue
        phrase = text[start:end]
        # A negator reaches only the first cue after it ("will not support calls for" negates "support").
        negated = not cues.negator_re.search(phrase) and _negated(start, index, cues, previous_end)
        if negated and _REPORT_NEGATED_BEFORE.search(text, max(0, start - 60), start):
            previous_end = end
            continue  # "has not said it would veto the measures": no report made, so no position
        previous_end = end
        if negated and weight < 0 and ends_with(cues.passive_before_re, text, start, reach=12):
            continue  # "we will not be blackmailed": the speaker refuses to suffer an act, opposes no topic
        if negated and not neutral:
            if weight > 0:
                weight = -weight * cues.negated_support
            else:  # "does not oppose" is an explicit position short of support
                weight, neutral = -weight * cues.negated_oppose, True
        if accused_of(text, start) and not neutral:
            weight = -weight  # blaming someone for stalling a deal (or not honouring it) is backing the deal
        hits.append(CueHit(start, end, phrase, weight, negated, neutral))
    return _chain(text, hits, cues, topics)


_JUDGED_AS = re.compile(r"\S\s+as\s*[\"\u201c\u2018']?\s*$", re.IGNORECASE)


def _judged_as(gap: str) -> bool:
    """A gap that names an object and ends in "as" ("rejected the warrants as an insult to Islam",
    "condemned the plan as a blow to farmers"): the second cue is what the first cue's object is judged
    to be, no object the first cue governs, so the two add up on that object (stance31)."""
    return _n_words(gap) > 1 and _JUDGED_AS.search(gap) is not None


def _chain(text: str, hits: list[CueHit], cues: Cues, topics: Spans | None = None) -> list[CueHit]:
    """A cue right before another governs it: "reject calls for" opposes what is called for.

    A merged cue still holds its chain head, so the head pattern runs once per cue, and a merged
    cue's text is cut from `text` once its chain ends (re-reading and re-copying the growing chain at
    every link made a sentence of cues quadratic).
    """
    out: list[CueHit] = []
    last_governs = False  # whether out[-1] holds a chain head
    merged: set[int] = set()  # indexes of `out` whose text is cut at the end
    for hit in hits:
        if out:
            prev = out[-1]
            gap = text[prev.end : hit.start]
            if (
                not prev.neutral
                and not hit.neutral
                and prev.weight
                and last_governs
                and _n_words(gap) <= cues.chain_gap
                and not cues.break_re.search(gap)
                and hit.text.lower() not in OpenWords.load().modifier_cues  # "reject illegal manoeuvres": both oppose
                and not _judged_as(gap)  # "rejected the warrants as an insult to Islam": both judge the warrants
                # a topic between the two is what the first governs ("allow inspections to resume")
                and not (topics is not None and topics.overlaps(prev.end, hit.start))
            ):
                sign = (1.0 if prev.weight > 0 else -1.0) * (1.0 if hit.weight > 0 else -1.0)
                weight = sign * max(abs(prev.weight), abs(hit.weight))
                # "did not want to block help": a negated wish to oppose is "does not oppose", a position
                # short of support (a harm still backs what it harms: "do not want to undermine the talks")
                neutral = prev.negated and prev.weight < 0 < weight and not _is_harm(hit, cues)
                if neutral:
                    weight *= cues.negated_oppose
                out[-1] = CueHit(prev.start, hit.end, "", weight, prev.negated or hit.negated, neutral)
                merged.add(len(out) - 1)
                continue
        out.append(hit)
        last_governs = cues.chain_head_re.search(hit.text) is not None
    for index in merged:
        chain = out[index]
        out[index] = CueHit(
            chain.start, chain.end, text[chain.start : chain.end], chain.weight, chain.negated, chain.neutral
        )
    return out


def polar_score(polar: float, strength: float) -> float:
    """The signed score of a summed polar weight at the statement's `strength`: at least `SUPPORT_AT`
    away from zero, so a position read stays one (`stance_of`)."""
    magnitude = max(SUPPORT_AT, min(1.0, abs(polar)) * strength)
    return round(magnitude if polar > 0 else -magnitude, 3)


def stance_of(score: float) -> str:
    if score >= SUPPORT_AT:
        return "support"
    if score <= OPPOSE_AT:
        return "oppose"
    return "neutral"


_SENTENCE_END = re.compile(r"[.!?;]+")


@cache
def _abbreviation_before() -> re.Pattern[str]:
    """The word before a period that does not end a sentence: an initial ("U.S.", "J. D.") or an
    abbreviation of `abbreviations` in `data/lexicon.yaml` ("Mr.", "Gen.", "Sept.")."""
    words = packaged_yaml("lexicon.yaml").get("abbreviations") or []
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?:(?<![\w.])[A-Za-z](?:\.[A-Za-z])*|\b(?:" + alternatives + r"))$", re.IGNORECASE)


def _abbreviation_dot(text: str, dot: int) -> bool:
    """Whether the period at `dot` closes an abbreviation rather than a sentence."""
    return _abbreviation_before().search(text, max(0, dot - 12), dot) is not None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences (and semicolon clauses) of `text`; "the U.S. arms sales" and "Mr. Wang" are one sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if end.group() == "." and end.end() < len(text) and _abbreviation_dot(text, end.start()):
            continue
        if text[start : end.start()].strip():
            spans.append((start, end.end()))
        start = end.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _topics(text: str, taxonomy: Taxonomy) -> list[TopicMatch]:
    """Topic mentions left to right; where two overlap, the earlier (then longer) one names the topic."""
    out: list[TopicMatch] = []
    for m in taxonomy.match(text):
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _stance_topics(text: str, taxonomy: Taxonomy) -> list[TopicMatch]:
    """`_topics` a stance can be on (`_mentions`)."""
    return _mentions(text, taxonomy)[0]


def _mentions(text: str, taxonomy: Taxonomy) -> tuple[list[TopicMatch], Spans, bool]:
    """`_topics` a stance can be on, the spans of those that are judgements (`_names_a_judgement`), and
    whether an arena (`Topic.arena`: a sea, a canal, a war) is named, from one taxonomy match. A stance
    is on no mention that only modifies a claim noun ("rejects US ‘genocide’ claims"), whose subject is the
    claim (`_modifies_a_claim`), nor on a judgement, nor on an arena."""
    topics: list[TopicMatch] = []
    judging: list[tuple[int, int]] = []
    names_an_arena = False
    background = _background_spans(text)
    for m in _topics(text, taxonomy):
        if taxonomy.is_arena(m.topic):
            names_an_arena = True
            continue
        if background.overlaps(m.start, m.end):  # "a compound where officials met to discuss a ceasefire"
            continue
        if _names_a_judgement(text, m):
            judging.append((m.start, m.end))
        elif not _modifies_a_claim(text, m):
            topics.append(m)
    return topics, Spans(judging), names_an_arena


# Right before a predicate: a copula or "as" ("was", "is not", "denounced the trial as"), or a naming verb and
# its object ("called the trial a"), then an article and at most two modifiers ("a political", "a blatant").
_PREDICATE_BEFORE = re.compile(
    r"(?:\b(?:is|are|was|were|be|been|being|as)(?:\s+not|n[’']t)?|"
    r"\b(?:called|calls|call|branded|brands|brand|labell?ed|labels?|termed|terms|dubbed|dubs)\s+[^,.;:!?]{1,60}?)"
    r"\s+[\"“‘]?(?:(?:a|an)\s+)?[\"“‘]?((?:[a-z][\w-]*\s+){0,2})[\"“‘]?$",
    re.IGNORECASE,
)


def _names_a_judgement(text: str, topic_match: TopicMatch) -> bool:
    """Whether a taxonomy mention that is itself an evaluative word (a subject cue, alone or with the
    modifiers before it: "persecution", "lifeline", "state terrorism") stands as the predicate of a
    judgement ("the verdict was a political persecution", "This is not persecution", "denounced the trial as
    persecution", "called it state terrorism", "the vote was a lifeline"): the speaker judges the subject with
    the word, which names no topic of the statement; the cue reads the subject. A harm as the object ("the
    persecution of journalists must end") stays a mention."""
    from streams.nlp.targets import is_subject_cue  # noqa: PLC0415 (targets imports this module's types)

    predicate = _PREDICATE_BEFORE.search(text, max(0, topic_match.start - 100), topic_match.start)
    if predicate is None:
        return False
    modifiers = predicate.group(1).split()
    return any(is_subject_cue(" ".join([*modifiers[i:], topic_match.text])) for i in range(len(modifiers) + 1))


def _reversal(
    text: str,
    topic_match: TopicMatch,
    topics: list[TopicMatch],
    taxonomy: Taxonomy,
    cues: Cues,
    *,
    position: int | None = None,
    index: _TextIndex | None = None,
) -> tuple[int, CueHit | None]:
    """(+1 or -1, the ending cue nearest the topic) for the words that end or restrict topic `topic_match`.

    `position` is the index of `topic_match` in `topics` (sorted, non-overlapping), when the caller knows it.
    """
    index = index or _TextIndex(text, cues)
    # A phrase naming the topic's harm ("torture") starts turned, and a ban on it is a ban on the harm.
    flow = topic_match.against or not taxonomy.is_restriction(topic_match.topic)
    sign = -1 if topic_match.against else 1
    nearest: CueHit | None = None
    if flow and cues.restriction_after_re.match(text, topic_match.end):
        sign = -sign  # "Russian gas ban", "oil embargo"
    if position is None:
        limit = max((t.end for t in topics if t.end <= topic_match.start), default=0)
    else:  # never reach past another topic
        limit = topics[position - 1].end if position > 0 else 0
    # Every ending and restriction word between the previous topic and this one, found once; each step
    # of the chain below looks back from `pos` only as far as the scope reaches.
    candidates: list[tuple[re.Match[str], bool]] = []
    for pattern, ending in ((cues.ending_re, True), (cues.restriction_re, False)):
        if ending or flow:
            candidates.extend((candidate, ending) for candidate in pattern.finditer(text, limit, topic_match.start))
    # By end; on equal ends the ending word wins (it is looked at first, from the back), as before.
    candidates.sort(key=lambda candidate: (candidate[0].end(), candidate[1]))
    candidate_ends = [candidate.end() for candidate, _ending in candidates]
    pos = topic_match.start
    while True:
        best: tuple[re.Match[str], bool] | None = None
        for at in range(bisect_right(candidate_ends, pos) - 1, -1, -1):
            candidate, ending = candidates[at]
            if candidate.start() >= pos:
                continue  # overlaps the word the chain reached
            if index.words.count(candidate.end(), pos) > cues.reverse_scope or index.breaks.any_within(
                candidate.end(), pos
            ):
                break  # earlier words are further away still
            one_word = " " not in candidate.group().strip()
            if (
                ending
                and one_word
                # a past tense is a verb even after "that" ("any step that removed armed groups")
                and not candidate.group().lower().endswith("ed")
                and _DETERMINER_BEFORE.search(text, max(0, candidate.start() - 64), candidate.start())
            ):
                continue  # "at the end of the talks"
            best = (candidate, ending)
            break
        if best is None:
            return sign, nearest
        candidate, ending = best
        sign = -sign
        if ending and nearest is None:
            negated = _negated(candidate.start(), index, cues, limit)
            weight = cues.ending_weight * (-1.0 if negated else 1.0)
            nearest = CueHit(candidate.start(), candidate.end(), candidate.group(), weight, negated)
        pos = candidate.start()


def _cue_object(text: str, hit: CueHit, index: _TextIndex) -> Target | None:
    """The phrase the cue governs (`targets.find_target`), on the index's tokens."""
    from streams.nlp.targets import find_target  # noqa: PLC0415 (targets imports this module's types)

    toks, starts = index.tokens()
    return find_target(text, hit.start, hit.end, hit.text, toks, starts)


def _accused_act_on_its_own_object(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether the cue is an act the speaker accuses someone of, a gerund with an object of its own
    ("accused the capitals of “sabotaging” US efforts"): the speaker backs or opposes that object, not
    the headline's topic, which a statement naming no topic is otherwise read on."""
    from streams.nlp.targets import object_after  # noqa: PLC0415 (targets imports this module's types)

    if not hit.text.strip('"“”‘’').lower().endswith("ing") or not accused_of(text, hit.start):
        return False  # a noun ("of repeated violations overnight") takes no object after it
    toks, starts = index.tokens()
    return object_after(text, hit.end, toks, starts) is not None


def _on_a_claim(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether the cue governs a claim or a criticism ("rejected accusations that ...", "dismissed the
    charge", "the allegations are groundless"): the stance is on the claim and its maker, an open
    topic, not on the subject the claim is about (the headline's topic)."""
    target = _cue_object(text, hit, index)
    key = open_key(target.text) if target is not None else None
    return key is not None and bool(set(key.words) & OpenWords.load().claim_nouns)


def _on_a_change(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether the cue's own object is a change that undoes or lowers a thing ("welcomed the reopening",
    "warned against any reversal of tax measures"; `change_heads`): read on the headline's topic, its
    direction towards that topic is unknown, so the stance is on the change's open key."""
    target = _cue_object(text, hit, index)
    return target is not None and head_lemma(target.text) in OpenWords.load().change_heads


def _modifies_a_claim(text: str, topic_match: TopicMatch) -> bool:
    """Whether the topic mention only modifies a claim noun right after it ("rejects US ‘genocide’
    claims", "dismissed spying allegations"): the headline is about the claim, not the topic."""
    after = _WORD_AFTER.match(text, topic_match.end)
    key = open_key(after.group(1)) if after else None
    return key is not None and bool(set(key.words) & OpenWords.load().claim_nouns)


def _has_own_object(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether an object cue governs a phrase of its own after it ("urged governments to settle their
    disputes", "protect the people"): then a topic named before it is no object of it. Subject cues
    ("the tariffs are unacceptable"), modals ("sanctions must stay") and cues with no object or a
    pronoun ("backed it") may still take the topic before them."""
    from streams.nlp.targets import is_subject_cue  # noqa: PLC0415 (targets imports this module's types)

    if is_subject_cue(hit.text) or " ".join(hit.text.lower().split()) in OpenWords.load().modal_cues:
        return False
    target = _cue_object(text, hit, index)
    return target is not None and open_key(target.text) is not None


def _governed_until(text: str, end: int, index: _TextIndex) -> int:
    """Where the words a cue ending at `end` governs stop: its clause's end, or an "and"/"or" before it
    ("denied X and called for Y", "rejected claims that X and backed Y")."""
    after = index.breaks.first_from(end)
    until = index.breaks.starts[after] if after is not None else len(text)
    joined = _COORDINATION.search(text, end, until)
    return joined.start() if joined else until


def _split_claims(text: str, hits: list[CueHit], index: _TextIndex) -> tuple[list[CueHit], list[CueHit]]:
    """(the speaker's positions, the cues on claims) among `hits`, in order: a cue on a claim
    (`_on_a_claim`) is read on the claim's open key, and the cues of the claim's own words, up to
    its clause's end or an "and"/"or" ("dismissed reports that it would join the sanctions"), are
    the claim's content, no position of the speaker's."""
    positions: list[CueHit] = []
    claims: list[CueHit] = []
    claimed_until = -1
    for hit in hits:
        if hit.start < claimed_until:
            continue
        if _on_a_claim(text, hit, index):
            claims.append(hit)
            claimed_until = _governed_until(text, hit.end, index)
        else:
            positions.append(hit)
    return positions, claims


def _denies_an_act(text: str, start: int, end: int, cues: Cues) -> bool:
    """Whether the cue at `text[start:end]` denies doing something ("denied ramming the boat",
    "denies backing the M23", "has never provided weapons"): the speaker answers an accusation about
    its own acts, which is no position on what those acts touch, nor on the headline's topic."""
    if cues.denial_re.fullmatch(text, start, end) is not None:
        # "denied that the Commission was bowing to Washington": the claim denied, its words no position
        # "denied it was involved": the same claim with no "that"
        return any(p.match(text, end) is not None for p in (_GERUND_AFTER, _THAT_AFTER, _CLAUSE_AFTER))
    # "has never provided weapons", "did not send troops": the act denied, in the past
    return cues.past_act_re.fullmatch(text, start, end) is not None and (
        _PAST_NEGATED_BEFORE.search(text, max(0, start - 40), start) is not None
    )


def _harms(hit: CueHit, topic_match: TopicMatch, index: _TextIndex, cues: Cues) -> bool:
    """Whether the cue harms the topic right after it, its object ("attacks that violate the ceasefire",
    "a threat to the peace talks"): what is harmed is what the speaker wants kept, so the cue supports
    it; the harm judges its subject, not its object."""
    return _is_harm(hit, cues) and index.words.count(hit.end, topic_match.start) <= HARM_REACH


def _is_harm(hit: CueHit, cues: Cues) -> bool:
    return cues.harm_re.fullmatch(hit.text.strip('"“”‘’')) is not None


def _governs_a_harm(
    hit: CueHit, topic_match: TopicMatch, harm_hits: list[CueHit], index: _TextIndex, cues: Cues
) -> bool:
    """Whether a harm to the topic stands between the cue and the topic, farther from the cue than a
    chain reaches ("firmly opposes using pressure and coercion to undermine the talks", "rejects any
    attempt by outside forces to sabotage the deal"): the cue is on the harm, so it is turned."""
    return any(
        hit.end <= harm.start
        and harm.end <= topic_match.start
        and not index.strong_breaks.any_within(hit.end, harm.start)
        and _harms(harm, topic_match, index, cues)
        and not _object_of_another_verb(index.text, hit, harm)
        for harm in harm_hits
    )


def _governs_an_ending(text: str, hit: CueHit, index: _TextIndex, cues: Cues) -> bool:
    """Whether an ending ("any reversal of", "an end to") follows the cue within a chain's gap, or after
    an addressee and "to" ("urged the U.S. side to immediately stop"), in its clause: the cue's object is
    that ending, not the thing ended."""
    # "open to talks on minimum prices as an alternative to the duties": the backed thing replaces the
    # one after a substitution, however long the cue's object runs, within its clause
    substitution = cues.substitution_re.search(text, hit.end, min(len(text), hit.end + 160))
    if substitution is not None and not index.breaks.any_within(hit.end, substitution.start()):
        return True
    ending = cues.ending_re.search(text, hit.end, min(len(text), hit.end + 80))
    if ending is None or index.breaks.any_within(hit.end, ending.start()):
        return False
    if cues.hostility_after_re.match(text, ending.end()):
        return False  # "called for an end to the shelling" is for the ceasefire the context names
    gap = text[hit.end : ending.start()]
    if _ADDRESSEE_TO.fullmatch(gap) or _TO_VERB.fullmatch(gap):
        return True  # "urged the U.S. side to immediately stop", "vowed to end"
    # one word ("stop", "paused", "end") elsewhere is as often a noun or a passive ("could be paused")
    return " " in ending.group().strip() and index.words.count(hit.end, ending.start()) <= cues.chain_gap


# A determiner and up to two modifiers, then a noun: an ending's object ("repeal the tax", "scrap its new levy").
_ENDED_OBJECT = re.compile(
    r"\s+(?:(?:the|a|an|its|their|our|this|that)\s+)?(?:[\w’'-]+\s+){0,2}?([\w’'-]+)", re.IGNORECASE
)


_PRONOUN_OBJECT = re.compile(r"\s+(?:it|them)\b", re.IGNORECASE)


def _ends_the_topic(text: str, hit: CueHit, topic_match: TopicMatch, cues: Cues) -> bool:
    """Whether the ending a cue governs (`_governs_an_ending`) ends the context's topic itself (`_ends_by_name`):
    "would introduce legislation to repeal the tax", the headline naming the digital services tax, not another
    thing ("committed to stop the flow of weapons")."""
    ending = cues.ending_re.search(text, hit.end, min(len(text), hit.end + 80))
    return ending is not None and _ends_by_name(text, ending, topic_match)


def _ends_by_name(text: str, ending: re.Match[str], topic_match: TopicMatch) -> bool:
    """Whether the object of an ending word names the context's topic: its noun is the head of the topic's
    mention ("repeal the tax" of the digital services tax), or a pronoun pointing back ("repeal it")."""
    if _PRONOUN_OBJECT.match(text, ending.end()):
        return True
    head = topic_match.text.split()[-1].lower().rstrip("s")
    obj = _ENDED_OBJECT.match(text, ending.end())
    words = re.findall(r"[\w’'-]+", text[ending.end() : obj.end()].lower()) if obj else []
    return any(word.rstrip("s") == head for word in words)


# The word before a noun phrase's determiner, at most two modifiers after it ("verify any violations of");
# before a harm that opens with its own determiner ("pose a threat to"), the word right before it.
_DETERMINER = r"(?i:a|an|any|the|all|every|such)"
_OWN_DETERMINER = re.compile(_DETERMINER + r"\s")
_VERB_BEFORE_NOUN = re.compile(r"(?<![\w’'-])([\w’'-]+)\s+" + _DETERMINER + r"\s+(?:[a-z][\w-]*\s+){0,2}$")
_WORD_BEFORE = re.compile(r"(?<![\w’'-])([\w’'-]+)\s+$")


def _object_of_another_verb(text: str, hit: CueHit, harm: CueHit) -> bool:
    """Whether a noun harm ("any violations of", "a threat to") is the object of a word after the cue that
    is no copula ("agreed to set up a mechanism to verify any violations of the ceasefire"): that verb,
    not the cue, governs the harm. After a copula or a verb of calling ("condemned what it called a
    violation of the truce", "rejects moves that pose a threat to the talks") the cue still does."""
    pattern = _WORD_BEFORE if _OWN_DETERMINER.match(harm.text) else _VERB_BEFORE_NOUN
    before = pattern.search(text, max(hit.end, harm.start - 60), harm.start)
    return before is not None and before.group(1).lower() not in OpenWords.load().copulas


# A relative clause of place ("a compound in Doha where officials had gathered to discuss a ceasefire
# proposal") tells the background of the place before it: its topics and cues are no position of the
# speaker's. Not after a verb that takes an indirect question ("asked where the money went"). Clauses of a
# person ("who", "whose") are left in: "punish those who violate the ceasefire" backs it.
_BACKGROUND_RELATIVE = re.compile(
    r"(?<=[a-z0-9’'])\s+where\s+(?!(?:is|are|was|were|will|would|could|should|can|may|might|must)\b)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:.!?—–]")
_QUESTION_VERB = re.compile(
    r"\b(?:ask|asks|asked|asking|say|says|said|saying|know|knows|knew|decide|decides|decided|explain|explains|"
    r"explained|wonder|wonders|wondered|tell|tells|told|show|shows|showed|clear|unclear|matter|about|on|of|to)$",
    re.IGNORECASE,
)


def _background_spans(text: str) -> Spans:
    """The spans of the relative clauses of place in `text` (`_BACKGROUND_RELATIVE`), each to its clause's
    end (a comma, a semicolon, a colon, a dash or the sentence's end)."""
    spans = []
    for m in _BACKGROUND_RELATIVE.finditer(text):
        if _QUESTION_VERB.search(text, max(0, m.start() - 12), m.start()):
            continue
        end = _CLAUSE_END.search(text, m.end())
        spans.append((m.start(), end.start() if end else len(text)))
    return Spans(spans)


def _in_a_circumstance(text: str, topic_match: TopicMatch, hit: CueHit, cues: Cues) -> bool:
    """Whether the topic after the cue sits in an adjunct of circumstance that opens between them ("risks had
    become more balanced, citing a trade agreement", "urged calm amid the ceasefire talks"): the topic is a
    reason or a setting of the statement, not what the cue is on."""
    if cues.circumstance_re.search(text, hit.end, topic_match.start) is not None:
        return True
    # "will protect farmers as extra tariffs take effect", "vows to restore order as crossings pass 30,000": an
    # "as" clause telling the topic's own progress is the setting the cue answers, not what it backs
    return _AS_BEFORE.search(text, hit.end, topic_match.start) is not None and (
        cues.happening_re.match(text, topic_match.end) is not None
    )


# "as" and at most three words (a determiner, modifiers) before a topic: an "as" clause opening on it.
_AS_BEFORE = re.compile(r"(?<![\w’'-])as\s+(?:[\w’'.-]+\s+){0,3}$", re.IGNORECASE)


def _placed_in(text: str, topic_match: TopicMatch, hit: CueHit) -> bool:
    """Whether a subject cue's topic before it only says where its subject is ("Russia's recklessness
    along our eastern flank is unacceptable", "the drills around Taiwan are a provocation"): the cue
    judges the noun before the place, not the topic."""
    from streams.nlp.targets import is_subject_cue  # noqa: PLC0415 (targets imports this module's types)

    place = _PLACE_BEFORE.search(text, max(0, topic_match.start - 40), topic_match.start)
    return place is not None and is_subject_cue(hit.text)


# "for" and a determiner between a judgement and a topic: the topic is whom the judged thing concerns.
_FOR_WHOM = re.compile(r"[\"“”‘’]?\s+for\s+(?:(?:the|a|an|its|their|our|this|that)\s+)?", re.IGNORECASE)


def _for_whom(text: str, hit: CueHit, topic_match: TopicMatch) -> bool:
    """Whether a subject cue's topic right after it is only whom its subject concerns ("any departure
    from the convention would be deeply concerning for the peace process"): the cue judges its subject."""
    from streams.nlp.targets import is_subject_cue  # noqa: PLC0415 (targets imports this module's types)

    return is_subject_cue(hit.text) and _FOR_WHOM.fullmatch(text, hit.end, topic_match.start) is not None


def _modifies_another(text: str, hit: CueHit, topic_match: TopicMatch, index: _TextIndex) -> bool:
    """Whether a modifier cue ("illegal", "irresponsible": `modifier_cues`) judges a noun of its own
    right after it, which ends before the topic ("had adopted an irresponsible and illegal attitude
    ... under the mining code" judges the attitude): the topic further on is no object of it."""
    if " ".join(hit.text.lower().strip('"“”‘’').split()) not in OpenWords.load().modifier_cues:
        return False
    target = _cue_object(text, hit, index)
    joined = _JOINED_MODIFIER.match(text, hit.end) if target is None else None
    if joined is not None:  # "irresponsible and illegal attitude": the noun after the last modifier
        other = CueHit(joined.start(1), joined.end(1), joined.group(1), hit.weight, False)
        target = _cue_object(text, other, index)
    return target is not None and hit.end <= target.start and target.end <= topic_match.start


# "and" or "or" and the next modifier after a modifier cue ("irresponsible and illegal").
_JOINED_MODIFIER = re.compile(r"\s+(?:and|or)\s+[\"“‘]?([\w-]+)", re.IGNORECASE)


# A form of "be" (or "remain", "seem") right before a cue, an adverb and an article allowed between: the
# cue is predicative ("is essential", "was a vital step", "are simply necessary").
_COPULA_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|remains?|remained|seems?|seemed)\s+(?:\w+ly\s+)?(?:(?:a|an)\s+)?[\"“‘]?$",
    re.IGNORECASE,
)
# "to" and a verb after a cue: a purpose or a complement clause ("essential to end", "necessary to protect");
# "to" and a determiner or a name ("vital to the talks", "good to Kyiv") opens a noun phrase instead.
_PURPOSE_AFTER = re.compile(
    r"[\"”’]?\s+(?:\w+ly\s+)?to\s+(?!(?:the|a|an|its|their|our|this|that|these|those|any|all|both|every|each)\b)"
    r"([a-z][\w-]*)\s"
)


def _judges_before_a_purpose(text: str, hit: CueHit, topic_match: TopicMatch, cues: Cues) -> bool:
    """Whether a predicative subject cue with a purpose after it ("the plant near the lake is essential to
    end the country's dependence on coal power", "new sanctions on Moscow are essential to force a
    ceasefire") judges its subject: the topic inside the "to" clause, after its verb, is what the subject
    is for, not what the cue judges. A harm still harms its object ("is a threat to stability") and a
    topic right after "to" is its complement ("vital to peace talks")."""
    from streams.nlp.targets import is_subject_cue  # noqa: PLC0415 (targets imports this module's types)

    if not is_subject_cue(hit.text) or _is_harm(hit, cues):
        return False
    purpose = _PURPOSE_AFTER.match(text, hit.end)
    return (
        purpose is not None
        and topic_match.start >= purpose.end(1)
        and _COPULA_BEFORE.search(text, max(0, hit.start - 40), hit.start) is not None
    )


def _takes_before(hit: CueHit, topics: list[TopicMatch], before: int, first_in: int, index: _TextIndex) -> bool:
    """Whether the cue reads on `topics[before]`, the last topic before it in its sentence (from
    `first_in`): in its clause, and neither a phrase of the cue's own nor a place is its object."""
    return (
        before >= first_in
        and not index.strong_breaks.any_within(topics[before].end, hit.start)
        and not _has_own_object(index.text, hit, index)
        and not _placed_in(index.text, topics[before], hit)
    )


def _on_the_speaker(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether the cue's object is the speaker itself and its agent an actor named before it in its
    sentence ("used by the Kremlin to blackmail us"): it judges that actor, and takes no position on the
    context's topic nor on an open one. With no actor named ("they are meant to threaten us", of the
    drills) the agent may be the topic itself."""
    if _FIRST_PERSON_AFTER.match(text, hit.end) is None:
        return False
    sentence_start = (index.sentence_at(hit.start) or (0, len(text)))[0]
    return bool(_gazetteer().terms_in(text[sentence_start : hit.start]))


def _asked_about(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether the cue is a noun a question asks about ("Is that a trap?", "That the world has other
    priorities?"): the judgement is put in doubt, not made. A question's verb ("Do we want a wild
    west?", "Must the world wait?") is left to read as before: such questions are mostly rhetorical,
    their answer the speaker's position."""
    a, b = index.sentence_at(hit.start) or (0, len(text))
    in_a_question = text[a:b].rstrip(" \"'”’").endswith("?")
    return in_a_question and _NOUN_DETERMINER_BEFORE.search(text, max(a, hit.start - 12), hit.start) is not None


# The means a negation is on: "simply by hoping for it", "merely by signing", "by words alone".
_MEANS_AFTER = re.compile(
    r"\b(?:(?:simply|just|merely|only|solely)\s+by|by\s+(?:[\w’'-]+\s+){1,3}?alone)\b", re.IGNORECASE
)


def _negates_a_means(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether a negated cue denies a means, not the goal it names: "we cannot protect peace simply by
    hoping for it", "a ceasefire cannot be secured merely by signing a paper", "Europe will not defend
    itself by words alone" value the peace, the ceasefire, the defence; the negation is on the way there,
    in the cue's clause after it. Such a cue takes no position on what it names."""
    if not hit.negated:
        return False
    clause_end = min(len(text), hit.end + 120)
    means = _MEANS_AFTER.search(text, hit.end, clause_end)
    return means is not None and not index.breaks.any_within(hit.end, means.start())


def _states_no_position(text: str, hit: CueHit, index: _TextIndex) -> bool:
    """Whether a cue of a statement naming no taxonomy topic takes no position at all, on the context's
    topic nor on an open one: on the speaker itself (`_on_the_speaker`), asked about (`_asked_about`) or
    denying a means (`_negates_a_means`)."""
    return _on_the_speaker(text, hit, index) or _asked_about(text, hit, index) or _negates_a_means(text, hit, index)


# A possessive and at most two words (modifiers) before a topic mention.
_POSSESSIVE_GAP = re.compile(r"['’]s(?:\s+[\w’'-]+){0,2}?\s+$")


def _owned_by(text: str, topic_match: TopicMatch, actor: str | None) -> bool:
    """Whether `actor` owns the topic mention: its possessive stands right before it ("China's rare earth
    export controls", "Canada's own digital tax")."""
    if actor is None:
        return False
    window = max(0, topic_match.start - 60)
    terms = _gazetteer().terms_in(text[window : topic_match.start])
    if not terms:
        return False
    _a, b, entry = terms[-1]
    return entry.actor == actor and _POSSESSIVE_GAP.fullmatch(text, window + b, topic_match.start) is not None


def _backs_what_its_object_faces(
    hit: CueHit, target: TopicMatch, sign: int, taxonomy: Taxonomy, index: _TextIndex, cues: Cues
) -> bool:
    """Whether a support cue would back a harm its object only mentions: "ready to support any member
    state facing terrorist attacks", "welcomed the assurances given by Kabul on militant activity",
    "welcomed the killing of the militants". A harm (`Taxonomy.names_a_harm`) farther after the cue
    than a chain's gap sits in a modifier of the cue's own object, which is what the cue backs; nobody's
    backing of the harm is read there. A harm right after the cue ("kept backing armed groups") is
    its object, and a harm turned by an ending ("welcomed the end of the crackdown") is no harm backed."""
    if hit.weight <= 0 or target.start < hit.end or not taxonomy.names_a_harm(target):
        return False
    if sign != (-1 if target.against else 1):
        return False  # turned by an ending or a restriction: the cue is on the harm's end
    return index.words.count(hit.end, target.start) > cues.chain_gap


def _on_condition(hit: CueHit, target: TopicMatch | None, index: _TextIndex, cues: Cues) -> CueHit:
    """A negated support cue with "without" after it in its clause, on a topic before the "without" (or
    on the context's topic, `target` None), as the neutral position it is: "is not ready to back the
    plan without guarantees" backs it only on a condition, like "only if". A topic after the "without"
    is what the speaker asks for, read as before ("would not accept a deal without security guarantees"
    supports the guarantees)."""
    if not hit.negated or hit.neutral or hit.weight >= 0:
        return hit
    after = index.breaks.first_from(hit.end)
    until = index.breaks.starts[after] if after is not None else len(index.text)
    without = cues.without_re.search(index.text, hit.end, until)
    if without is None or (target is not None and target.start >= without.start()):
        return hit
    return CueHit(hit.start, hit.end, hit.text, -hit.weight * cues.negated_oppose, hit.negated, True)


# An act's word right before "against" ("take concrete action against", "acts against"): the preposition of the act.
_ACTION_BEFORE = re.compile(r"\b(?:action|actions|act|acts|acted|acting)[\"”’']?\s+$", re.IGNORECASE)


def _targets_of_an_action(text: str, hit: CueHit) -> bool:
    """Whether the cue is "against" after an act ("expects Kabul to take concrete action against terrorist
    groups"): it names whom the act is aimed at, its own object, which says nothing of the context's topic
    (the talks, the ceasefire) the statement is read on."""
    return hit.text.strip('"“”‘’').lower() == "against" and (
        _ACTION_BEFORE.search(text, max(0, hit.start - 24), hit.start) is not None
    )


# A short object and "first" closing the clause ("we want peace first", "insisted on security guarantees first").
_FIRST_AFTER = re.compile(r"\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+\s+first\s*(?:[.!?;,\"”’]|$)", re.IGNORECASE)


def _puts_another_first(text: str, hit: CueHit) -> bool:
    """Whether a support cue backs a thing of its own "first" ("We want peace first", of the headline's
    vote): the context's topic is put off behind that thing, the speaker's position on it for now is
    opposition, as "should wait" is. A statement naming its topic is read on it as named."""
    return hit.weight > 0 and not hit.neutral and _FIRST_AFTER.match(text, hit.end) is not None


def _a_comparative(text: str, ending: CueHit, cues: Cues) -> bool:
    """Whether an ending word is a comparative adjective ("exporters signed contracts anticipating lower
    tariffs"): "lower" with no word before it that makes it a verb ("to", a modal, a subject pronoun:
    `verb_after`). It describes the topic, so it is no cue of its own; under a cue it still turns it
    ("would consider lower rates")."""
    if ending.text.strip().lower() != "lower":
        return False
    return cues.verb_before_re.search(text[max(0, ending.start - 40) : ending.start]) is None


def _turned(hit: CueHit, sign: int) -> CueHit:
    return hit if sign > 0 else CueHit(hit.start, hit.end, hit.text, -hit.weight, hit.negated, hit.neutral)


@dataclass
class Reading:
    """What a statement says about one topic: summed polarity, neutral cues, and where it was read."""

    topic: TopicMatch
    sign: int  # -1 when the topic is reversed ("ban on Russian gas")
    polar: float = 0.0
    lean: float = 0.0  # the direction of non-committal cues ("does not oppose" leans to support)
    neutral: bool = False
    explicit: bool = False  # some cue other than an ending word attached
    evidence: tuple[int, int] | None = None
    factor: float = 1.0

    def add(self, hit: CueHit, factor: float, span: tuple[int, int] | None) -> None:
        """Count a cue whose weight is already turned toward the topic (reversals applied)."""
        if hit.neutral:
            self.neutral = True
            self.lean += hit.weight * factor
        else:
            self.polar += hit.weight * factor
        if self.evidence is None and span is not None:
            self.evidence = span

    def stance_score(self, strength: float) -> tuple[str, float] | None:
        if self.neutral and abs(self.polar) < NEUTRAL_UNLESS:
            lean = max(-1.0, min(1.0, self.lean)) * strength * self.factor
            return "neutral", round(max(OPPOSE_AT + 0.01, min(SUPPORT_AT - 0.01, lean)), 3)
        if not self.polar:
            return None
        score = polar_score(self.polar, strength * self.factor)
        return stance_of(score), score


def read_stances(
    text: str,
    context: str,
    taxonomy: Taxonomy,
    cues: Cues | None = None,
    actor: str | None = None,
    *,
    deadline: Deadline = NO_DEADLINE,
    claims: list[CueHit] | None = None,
) -> list[Reading]:
    """Per-topic readings of `text` by a speaker for `actor`, falling back to the first topic `context` names.

    `deadline` is checked per cue and per topic; past it, `BudgetExceeded` is raised. A cue on a claim
    (`_on_a_claim`) is read on no taxonomy topic, whichever the claim names, nor is a cue read on the
    context's topic whose object is a change (`_on_a_change`), nor a predicative cue with a purpose after
    it whose subject names no topic (`_judges_before_a_purpose`): each is added to `claims`, when given,
    for its open key.
    """
    cues = cues or Cues.load()
    topics, judging, names_an_arena = _mentions(text, taxonomy)
    background = _background_spans(text)
    deadline.check()
    index = _TextIndex(text, cues)
    if not topics and names_an_arena:
        # "his priority would be the wars in Sudan and eastern Congo" speaks of the arena it names, not of
        # the headline's topic: its cues are left to the open readings of their objects
        return []
    from_context = not topics
    if from_context:
        context_topics = _stance_topics(context, taxonomy)
        if not context_topics:
            return []
        first = context_topics[0]
        sign, _ = _reversal(context, first, context_topics, taxonomy, cues, position=0)
        hits = []
        for hit in cue_hits(text, cues, deadline=deadline, index=index):
            deadline.check()
            if background.overlaps(hit.start, hit.end):
                continue
            if not _someone_elses(text, hit, actor, cues, index) and not _states_no_position(text, hit, index):
                hits.append(hit)
        if _owned_by(context, first, actor):
            # "China's export controls legitimate": counter-measures answer the other side, never the
            # speaker's own measure the headline names
            hits = [hit for hit in hits if not cues.counter_re.match(hit.text.strip('"“”‘’'))]
        hits = [hit for hit in hits if not _accused_act_on_its_own_object(text, hit, index)]
        hits, on_claims = _split_claims(text, hits, index)
        # "the verdict was a political persecution": a statement judging its subject with a harm's word names
        # that subject, so it is not read on the context's topic; the judgement reads its subject's open key
        if judging.starts:
            if claims is not None:
                claims += on_claims + [hit for hit in hits if judging.overlaps(hit.start, hit.end)]
            return []
        # A headline that turns its topic already reads the change ("Iran suspends cooperation with the
        # IAEA": "defended the suspension" opposes inspections); else a change is its own open topic,
        # unless the cue governs an ending of the context's topic (turned on it, below). A harm the
        # headline names ("warn of famine") is no change of it: only turning words count.
        turned_by_words = sign != (-1 if first.against else 1)
        on_endings = {hit for hit in hits if _governs_an_ending(text, hit, index, cues)}
        on_changes = [
            hit for hit in hits if not turned_by_words and hit not in on_endings and _on_a_change(text, hit, index)
        ]
        hits = [hit for hit in hits if hit not in on_changes and not _targets_of_an_action(text, hit)]
        if any(not hit.neutral for hit in hits):
            # "would hurt the economy, but he did not oppose talks on a waiver": the non-opposition is to the
            # talks, its own object, not to the context's topic the harm judges
            hits = [hit for hit in hits if not (hit.neutral and hit.negated and _has_own_object(text, hit, index))]
        if claims is not None:
            claims += on_claims + on_changes
        if not hits:
            return []
        reading = Reading(first, sign, factor=CONTEXT_FACTOR)
        own_sign = -1 if first.against else 1  # the topic's sign before the headline's words turn it
        for hit in hits:
            # "warned against any reversal of the measures": the cue's object, standing for the context's
            # topic, is an ending of it, so the cue is turned, as a named topic's reverser turns it; a
            # headline that turns the topic itself ("Canada drops its digital tax") tells that same ending,
            # so "would introduce legislation to repeal the tax" is turned once, not twice
            turn = sign
            if hit in on_endings:
                turn = -own_sign if _ends_the_topic(text, hit, first, cues) else -sign
            if _puts_another_first(text, hit):
                turn = -turn  # "we want peace first": the headline's vote is put off behind the peace
            hit = _on_condition(hit, None, index, cues)  # "not ready to back the plan without guarantees"
            reading.add(_turned(hit, turn), 1.0, index.sentence_at(hit.start))
            reading.explicit = True
        return [reading]
    hits = []
    for hit in cue_hits(
        text, cues, [(topic_match.start, topic_match.end) for topic_match in topics], deadline=deadline, index=index
    ):
        deadline.check()
        if background.overlaps(hit.start, hit.end):
            continue
        if not _someone_elses(text, hit, actor, cues, index) and not _negates_a_means(text, hit, index):
            hits.append(hit)
    hits, on_claims = _split_claims(text, hits, index)  # "rejected claims that China controls the canal"
    # "the vote was a lifeline for a people held hostage": a judgement with a word the taxonomy names judges
    # its subject, a topic before it ("the IMF programme was a lifeline") or else the subject's open key,
    # never a topic after it (`judging`, from `_mentions`)
    if claims is not None:
        claims += on_claims
    readings: dict[str, Reading] = {}
    endings: dict[str, tuple[CueHit, int]] = {}
    signs: dict[int, int] = {}
    for position, topic_match in enumerate(topics):
        deadline.check()
        sign, ending = _reversal(text, topic_match, topics, taxonomy, cues, position=position, index=index)
        signs[topic_match.start] = sign
        readings.setdefault(topic_match.topic, Reading(topic_match, sign))
        if ending is not None:
            # "if the EU moved to cut its own duties" is no cue, nor a comparative ("anticipating lower tariffs")
            if not index.conditions.holds(ending.start) and not _a_comparative(text, ending, cues):
                endings.setdefault(topic_match.topic, (ending, sign))
        elif _NO_BEFORE.search(text, max(0, topic_match.start - 40), topic_match.start):
            no = _NO_BEFORE.search(text, max(0, topic_match.start - 40), topic_match.start)
            assert no is not None
            refusal = CueHit(no.start(), no.end(), no.group(), -REFUSAL_WEIGHT, False)
            endings.setdefault(topic_match.topic, (refusal, sign))
    # `topics` is sorted and never overlaps, so its starts and ends are both sorted.
    topic_starts = [topic_match.start for topic_match in topics]
    topic_ends = [topic_match.end for topic_match in topics]
    strong = index.strong_breaks
    # Harm cues stay few per statement: each governs the topic right after it ("to undermine the talks").
    harm_hits = [hit for hit in hits if _is_harm(hit, cues)]
    for hit in hits:
        deadline.check()
        sentence_start, sentence_end = index.sentence_at(hit.start) or (0, len(text))
        first_in, past_last = bisect_left(topic_starts, sentence_start), bisect_left(topic_starts, sentence_end)
        target: TopicMatch | None = None
        factor = 1.0
        if judging.overlaps(hit.start, hit.end):
            if first_in < past_last:
                before = bisect_right(topic_ends, hit.start, first_in, past_last) - 1
                if _takes_before(hit, topics, before, first_in, index):
                    target = topics[before]
            if target is None:
                if claims is not None:
                    claims.append(hit)
                continue
        elif first_in < past_last:
            # The first topic after the cue in its clause, else the last one before it. Only the
            # nearest one on each side can qualify: a farther one has every break of the nearer's gap.
            after = bisect_left(topic_starts, hit.end, first_in, past_last)
            before = bisect_right(topic_ends, hit.start, first_in, past_last) - 1
            if after < past_last and _judges_before_a_purpose(text, hit, topics[after], cues):
                # "the plant is essential to end coal power": the cue judges its subject, not the purpose
                if _takes_before(hit, topics, before, first_in, index):
                    target = topics[before]
                elif claims is not None:
                    claims.append(hit)  # read on its subject's open key ("the reactor")
            elif (
                after < past_last
                and not strong.any_within(hit.end, topics[after].start)
                and not _modifies_another(text, hit, topics[after], index)
                and not _in_a_circumstance(text, topics[after], hit, cues)
            ):
                target = topics[after]
                if _for_whom(text, hit, target) and _takes_before(hit, topics, before, first_in, index):
                    # "a departure from the treaty would be concerning for the peace process" judges the departure
                    target = topics[before]
                # an accused harm ("accused Moscow of undermining the ceasefire") is already turned
                elif _harms(hit, target, index, cues) and not accused_of(text, hit.start):
                    hit = _turned(hit, -1)
                elif _governs_a_harm(hit, target, harm_hits, index, cues):
                    hit = _turned(hit, -1)  # "opposes using coercion to undermine the talks" backs the talks
            elif _takes_before(hit, topics, before, first_in, index):
                target = topics[before]
        elif index.anaphoric((sentence_start, sentence_end)):
            # A sentence naming no topic but pointing back ("They hurt Europe") is about the nearest one.
            earlier = bisect_right(topic_ends, hit.start) - 1
            target = topics[earlier] if earlier >= 0 else topics[0]
            factor = OTHER_SENTENCE_FACTOR
        if target is None or _backs_what_its_object_faces(hit, target, signs[target.start], taxonomy, index, cues):
            continue
        reading = readings[target.topic]
        hit = _on_condition(hit, target, index, cues)
        # The sign of this very mention: one topic can be named reversed and plain.
        reading.add(_turned(hit, signs[target.start]), factor, (sentence_start, sentence_end))
        reading.explicit = True
    for topic, (ending, sign) in endings.items():
        reading = readings[topic]
        if not reading.explicit:  # "Iran will suspend its cooperation with the IAEA"
            reading.add(_turned(ending, sign), 1.0, index.sentence_at(ending.start))
    return [r for r in readings.values() if r.polar or r.neutral]


def event_id(statement_id: str, topic: str, actor: str | None = None) -> str:
    """A stance event's id: its statement and topic, and the actor when a statement gives several
    actors' events (`joint_actors`)."""
    key = f"{statement_id}|{topic}" + (f"|{actor}" if actor else "")
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def stance_event(
    statement: Statement,
    actor: str,
    topic: str,
    label: str,
    source: str,
    stance: str,
    score: float,
    evidence: str,
) -> StanceEvent:
    """The event of `statement`'s actor on one topic: its id, the statement's article and version,
    and the content hash the tracker knows a repeated story by (`streams/core/duplicates.py`)."""
    return StanceEvent(
        id=event_id(statement.id, topic),
        actor=actor,
        topic=topic,
        topic_label=label,
        topic_source=source,  # type: ignore[arg-type]
        stance=stance,  # type: ignore[arg-type]
        score=score,
        statement_id=statement.id,
        article_id=statement.article_id,
        published_at=statement.published_at,
        speaker=statement.speaker.name,
        url=statement.url,
        evidence=evidence.strip() or statement.text,
        article_version=statement.article_version,
        content_hash=statement.content_hash,
    )


# How far before a statement, in characters, `preceding_words` looks for a pronoun's antecedent.
PRECEDING_REACH = 400


def preceding_words(text: str, start: int) -> str:
    """The words of a statement's field `text` before it (it opens at `start`) that a pronoun object in
    it may point back to: from the start of the sentence before the statement's own, in its paragraph,
    at most `PRECEDING_REACH` characters."""
    floor = max(text.rfind("\n", 0, start) + 1, start - PRECEDING_REACH)
    window = text[floor:start]
    if not window.strip():
        return ""
    return window[sentence_spans(window)[-2:][0][0] :].lstrip()


def _antecedent(window: str, cues: Cues, deadline: Deadline = NO_DEADLINE) -> str | None:
    """The object of the last cue of `window` that is read on an open target ("all denounced the
    attack"): what a pronoun after a naming verb points back to. None when no such cue has one."""
    from streams.nlp.targets import is_subject_cue, takes_open_target  # noqa: PLC0415 (targets imports us)

    index = _TextIndex(window, cues)
    for hit in reversed(cue_hits(window, cues, deadline=deadline, index=index)):
        if is_subject_cue(hit.text) or not takes_open_target(hit):
            continue
        target = _cue_object(window, hit, index)
        if target is not None and not target.reversed and open_key(target.text) is not None:
            return target.text
    return None


def resolve_pronoun_object(
    text: str, preceding: str = "", cues: Cues | None = None, *, deadline: Deadline = NO_DEADLINE
) -> str | None:
    """`text` with the pronoun object of a naming verb ("described it as a dangerous escalation",
    "calling them a betrayal"; `naming_verbs`) replaced by its antecedent: the object of the last cue
    before it in `text` or in `preceding` (`preceding_words`). None when there is no such pronoun or no
    antecedent to read it as."""
    cues = cues or Cues.load()
    match = cues.naming_re.search(text)
    if match is None:
        return None
    antecedent = _antecedent(f"{preceding} {text[: match.start()]}", cues, deadline)
    if antecedent is None:
        return None
    return text[: match.start(1)] + antecedent + text[match.end(1) :]


def detect_stances(
    statement: Statement,
    taxonomy: Taxonomy,
    cues: Cues | None = None,
    *,
    budget_seconds: float | None = None,
    preceding: str = "",
) -> list[StanceEvent]:
    """Stance events of the statement's actor toward each topic it names (or its context names).

    `preceding` (`preceding_words`) is the text before the statement in its field, where the antecedent
    of a pronoun object is looked for (`resolve_pronoun_object`): the statement is then read with that
    object in the pronoun's place, and not on its context's topic, since it names its object. Past
    `budget_seconds` (None: no budget) the reading stops with `BudgetExceeded`.
    """
    # Anonymous sources relaying an actor's position ("..., three delegates said") give that actor's
    # stance. Not a named speaker's report: "if the U.S. side insists ..., China will" is China's stance.
    actor = statement.speaker.actor or reported_actor(statement.text, cues)
    if not actor:
        return []  # anonymous sources, companies: no actor, no stance
    _gazetteer(), OpenWords.load()  # loaded once per process, before the statement's budget starts
    deadline = Deadline(budget_seconds, step=f"stance detection of statement {statement.id}")
    joint = joint_actors(statement.text, actor)
    reader = joint[0] if joint else actor  # the subject of the cue's clause reads it as its own
    resolved = resolve_pronoun_object(statement.text, preceding, cues, deadline=deadline)
    if resolved is not None:
        said = statement.text
        read = statement.model_copy(update={"text": resolved})
        events = [
            event.model_copy(update={"evidence": said})
            for event in _statement_stances(read, reader, taxonomy, cues, deadline, context="")
        ]
    else:
        events = _statement_stances(statement, reader, taxonomy, cues, deadline, context=statement.context)
    return _shared(events, statement, actor, joint) if joint else events


def _shared(events: list[StanceEvent], statement: Statement, actor: str, joint: list[str]) -> list[StanceEvent]:
    """The events of a statement opening with a coordinated subject (`joint_actors`): each read in its
    first sentence is every joint actor's; one read later is the speaker's own."""
    first = statement.text[slice(*sentence_spans(statement.text)[0])]
    out: list[StanceEvent] = []
    for event in events:
        owners = joint if event.evidence in first or event.evidence == statement.text else [actor]
        for owner in owners:
            update = {
                "actor": owner,
                "id": event.id if owner == actor else event_id(event.statement_id, event.topic, owner),
            }
            out.append(event.model_copy(update=update))
    return out


def _statement_stances(
    statement: Statement, actor: str, taxonomy: Taxonomy, cues: Cues | None, deadline: Deadline, *, context: str
) -> list[StanceEvent]:
    """`detect_stances` of a statement whose actor is known; `context` is the text whose first topic a
    statement naming none is read on."""
    text = statement.text
    strength = 0.5 + 0.5 * statement.confidence
    events: list[StanceEvent] = []
    claims: list[CueHit] = []
    for reading in read_stances(text, context, taxonomy, cues, actor, deadline=deadline, claims=claims):
        result = reading.stance_score(strength)
        if result is None:
            continue
        stance, score = result
        m = reading.topic
        a, b = reading.evidence or (0, len(text))
        events.append(stance_event(statement, actor, m.topic, m.label, "taxonomy", stance, score, text[a:b]))
    # A statement that speaks on a taxonomy topic is read on it alone, but for its cues on claims.
    events += open_stance_events(
        statement, taxonomy, cues, strength, deadline=deadline, claims=claims, only=bool(events), actor=actor
    )
    return events + state_stance_events(statement, actor, strength, taxonomy, {e.topic for e in events})


def state_stance_events(
    statement: Statement, actor: str, strength: float, taxonomy: Taxonomy, taken: set[str]
) -> list[StanceEvent]:
    """Stance events on a thing's opening (`streams/nlp/open_states.py`) on keys no other reading took:
    read even where a taxonomy topic is named ("keep the border crossings closed" names the border)."""
    from streams.nlp.open_states import state_readings  # noqa: PLC0415 (it imports targets, which imports this)

    events = []
    for reading in state_readings(statement.text, statement.context):
        # A closure the taxonomy names ("border closure") is its topic's, read there, not an open one.
        if reading.key.id in taken or _topics(f"{reading.head} closure", taxonomy):
            continue
        score = polar_score(reading.polar, strength)
        a, b = reading.evidence
        key = reading.key
        events.append(
            stance_event(statement, actor, key.id, key.label, "open", stance_of(score), score, statement.text[a:b])
        )
    return events


def _reaches_a_topic(hit: CueHit, topics: list[TopicMatch], index: _TextIndex) -> bool:
    """Whether a taxonomy topic of the cue's sentence is in its clause, no strong clause break between:
    such a cue is read on that topic. One behind a break ("took note of the plans but said the
    consensus remained ...") is about something else, which an open topic may name."""
    sentence = index.sentence_at(hit.start)
    if sentence is None:
        return False
    strong = index.strong_breaks
    return any(
        sentence[0] <= m.start < sentence[1]
        and not strong.any_within(*((hit.end, m.start) if m.start >= hit.end else (m.end, hit.start)))
        for m in topics
    )


def open_stance_events(
    statement: Statement,
    taxonomy: Taxonomy,
    cues: Cues | None,
    strength: float,
    *,
    deadline: Deadline = NO_DEADLINE,
    claims: list[CueHit] | None = None,
    only: bool = False,
    actor: str | None = None,
) -> list[StanceEvent]:
    """Stance events on open topics (`streams/nlp/open_topics.py`): the cues on `claims` (`read_stances`)
    and, unless `only`, every cue whose sentence names no taxonomy topic, keyed on the target each
    governs (`streams/nlp/targets.py`). `actor` (default: the speaker's) is the one whose position it is."""
    from streams.nlp.targets import open_readings  # noqa: PLC0415 (targets imports this module's types)

    cues = cues or Cues.load()
    actor = actor or statement.speaker.actor
    text = statement.text
    hits = {(h.start, h.end): h for h in claims or []}
    if not only:
        index = _TextIndex(text, cues)
        topics = _stance_topics(text, taxonomy)
        untaken = []
        background = _background_spans(text)
        for h in cue_hits(text, cues, deadline=deadline, index=index):
            if background.overlaps(h.start, h.end):
                continue
            if (
                not _reaches_a_topic(h, topics, index)
                and not _someone_elses(text, h, actor, cues, index)
                and not _states_no_position(text, h, index)
                # a counter-measure opposes the move it answers; what it defends is no open topic of its own
                and not cues.counter_re.match(h.text)
            ):
                untaken.append(h)
        positions, on_claims = _split_claims(text, untaken, index)
        for h in positions + on_claims:
            hits.setdefault((h.start, h.end), h)
    if not hits:
        return []
    events: list[StanceEvent] = []
    for reading in open_readings(
        text, sorted(hits.values(), key=lambda h: h.start), statement.context, deadline=deadline
    ):
        if reading.neutral and abs(reading.polar) < NEUTRAL_UNLESS:
            stance, score = "neutral", 0.0
        else:
            score = polar_score(reading.polar, strength)
            stance = stance_of(score)
        a, b = reading.evidence or (0, len(text))
        events.append(
            stance_event(statement, actor or "", reading.key.id, reading.key.label, "open", stance, score, text[a:b])
        )
    return events


def named_topic(
    text: str, taxonomy: Taxonomy, skip: frozenset[str] = frozenset(), cues: Cues | None = None
) -> tuple[str, int] | None:
    """The first taxonomy topic `text` names outside `skip`, and +1, or -1 when the words before or
    after it turn it around, as the stance step reads a mention ("leave the ECHR": `echr`, -1)."""
    cues = cues or Cues.load()
    topics = _topics(text, taxonomy)
    for position, topic_match in enumerate(topics):
        if topic_match.topic not in skip:
            sign, _ = _reversal(text, topic_match, topics, taxonomy, cues, position=position)
            return topic_match.topic, sign
    return None
