"""Rule-based ("fast") statement extraction: who said what, with character spans.

The extractor reads one `RawArticle` and returns `Statement`s for direct quotes and indirect speech.
Odd text gives no statement; a bug raises for that article (the pipeline dead-letters it) rather
than silently costing its statements. Work is linear in the article's length: every pattern runs
once per sentence and the per-verb and per-quote checks bisect its sorted matches. Past the
extractor's `budget_seconds` an article raises `BudgetExceeded`. Word lists (speech verbs, titles,
anonymous-source nouns, ...) live in `data/`, loaded once per process.

Conventions worth knowing downstream:
- Headline attributions ("X, Russia states via Lavrov") are `field="headline"` statements; an
  intermediary named with "via" goes to the speaker's `role` as "via Lavrov" (the speaker stays
  the institution that spoke).
- A quote's text is the span inside the quote marks; a quote that runs over paragraphs is one
  statement whose span includes the paragraph break and the re-opening quote mark.
- Channels (TASS, Reuters, "Russian media") go to `channel`; a channel alone is never a speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from schemas import RawArticle, Statement
from streams.nlp._text import NO_DEADLINE, BudgetExceeded, Deadline, Marks, Spans, WordIndex
from streams.nlp.speakers import (
    CONTENT_STARTERS_NOT,
    WORD,
    ArticleState,
    Attribution,
    Sentence,
    SpeakerReader,
    SpeakerRef,
    build_statements,
    confidence_of,
    statement_id,
)

__all__ = ["BudgetExceeded", "Extractor", "FastExtractor", "statement_id"]

# Per-article time budget of a new extractor, in seconds (None: no budget); the pipeline sets its own.
DEFAULT_BUDGET_SECONDS: float | None = None
# How far past a speech verb a speaker phrase after it ("..., said Sergei Ryabkov, Russia's deputy
# foreign minister") is read: ten tokens and an appositive fit many times over; reading the rest of
# a long sentence for every quote is what made quote-dense sentences quadratic.
_RIGHT_REACH = 2048
_QUOTE_OR_END = re.compile(r"[.!?\"“”]")
_NOT_LEAD_IN = re.compile(r"[^ ,]")
_NOT_SEPARATOR = re.compile(r"[^ ,—–-]")
_NOT_END_PUNCT = re.compile(r"[^ .!?]")
_NON_SPACE = re.compile(r"\S")
_THAT_OR_COLON = re.compile(r"\bthat\b|:")
_VIA = re.compile(r"\s+via\s+([^,.;]+)")
_CITING = re.compile(r"\bciting\s+", re.IGNORECASE)


@dataclass
class _SentenceScan:
    """One sentence's speech verbs and marks, found once, for the per-quote and per-verb rules."""

    verbs: list[re.Match[str]]
    verb_starts: list[int]
    end_marks: Marks  # ". ! ? and quote marks": a quote's tail attribution stops at one
    deadline: Deadline
    next_prefix_verb: int = 0  # verbs before a quote, read once each, in order
    best_before: tuple[SpeakerRef, str] | None = None
    extras: dict[str, object] = field(default_factory=dict)

    def first_verb_from(self, pos: int) -> re.Match[str] | None:
        at = bisect_left(self.verb_starts, pos)
        return self.verbs[at] if at < len(self.verbs) else None


def _rstrip_end(text: str, end: int, start: int = 0) -> int:
    """`start + len(text[start:end].rstrip())` without copying the prefix."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


@runtime_checkable
class Extractor(Protocol):
    """Anything that turns an article into statements (the fast rules, later a spaCy model)."""

    name: str

    def extract(self, article: RawArticle) -> list[Statement]: ...


# -- the extractor ---------------------------------------------------------------------------------


class FastExtractor(SpeakerReader):
    """Regex and word-list rules; ~1–2 ms per 500-word article on one core."""

    name = "fast"

    def __init__(self, *, budget_seconds: float | None = DEFAULT_BUDGET_SECONDS) -> None:
        super().__init__()
        self.budget_seconds = budget_seconds

    # public ---------------------------------------------------------------------------------------
    def extract(self, article: RawArticle) -> list[Statement]:
        """Statements of one article. A rule bug raises (for this article only); so does an article
        that takes longer than `budget_seconds` (`BudgetExceeded`)."""
        self.traces = {}
        return self._extract(article)

    def _extract(self, article: RawArticle) -> list[Statement]:
        deadline = Deadline(self.budget_seconds, step=f"extraction of article {article.id}")
        doc = ArticleState()
        headline, body = article.headline or "", article.body or ""
        body_base = len(headline) + 1
        lead = body.lstrip().split("\n", 1)[0]
        doc.home = self._home(headline, lead, dateline=lead)
        self._survey(doc, headline, body, body_base)
        found_h = self._read_field(doc, headline, 0, headline=True, deadline=deadline)
        found_b = self._read_field(doc, body, body_base, headline=False, deadline=deadline)
        lead = body[doc.lead[0] : doc.lead[1]].strip() if doc.lead else ""
        context = f"{headline.strip()} {lead}".strip()
        return build_statements(
            article, [("headline", headline, found_h), ("body", body, found_b)], context, self.traces
        )

    # reading one field ----------------------------------------------------------------------------
    def _read_field(
        self, doc: ArticleState, text: str, base: int, *, headline: bool, deadline: Deadline = NO_DEADLINE
    ) -> list[Attribution]:
        if not text.strip():
            return []
        quotes = self._quotes(text)
        masked, real = self._mask(text, quotes)
        sents = [Sentence(0, len(text))] if headline else self._sentences(masked)
        if not headline and sents:
            doc.lead = (sents[0].start, sents[0].end)
        quote_opens = [o for o, _c in real]  # `real` is in text order
        found: list[Attribution] = []
        colon_who: SpeakerRef | None = None
        previous: list[Attribution] = []  # the attributions of the sentence before
        for idx, sent in enumerate(sents):
            deadline.check()
            s, e = sent.start, sent.end
            ms = masked[s:e]
            before, previous = previous, []
            self._register_mentions(doc, ms, base + s)
            channel = self._channel(ms)
            got: list[Attribution] = []
            # 1. direct quotes in this sentence
            first_quote, past_quotes = bisect_left(quote_opens, s), bisect_left(quote_opens, e)
            scan = self._scan_sentence(masked, s, e, deadline) if first_quote < past_quotes else None
            for o, c in real[first_quote:past_quotes]:
                assert scan is not None
                deadline.check()
                f = self._attribute_quote(
                    doc,
                    masked,
                    sentence_start=s,
                    sentence_end=e,
                    quote_open=o,
                    quote_close=c,
                    base=base,
                    channel=channel,
                    scan=scan,
                )
                if f is None and colon_who is not None:
                    f = Attribution(
                        start=o + 1, end=c, who=colon_who, kind="direct", verb=None, channel=channel, confidence=0.8
                    )
                if f is None and found and idx > 0 and sents[idx - 1].found and (c - o) > 0.6 * (e - s):
                    last = found[-1]
                    f = Attribution(
                        start=o + 1,
                        end=c,
                        who=last.who,
                        kind="direct",
                        verb=None,
                        channel=channel or last.channel,
                        confidence=0.6,
                    )
                if f:
                    got.append(f)
            colon_who = None
            # 2. indirect speech, only where no quote was attributed
            if not got:
                f = self._passive(doc, masked, ms, s, base, idx, sents, real, channel)
                if f:
                    if f.kind == "direct" or not sents[idx - 1].found:
                        found.append(f)
                        sents[idx - 1].found = True
                    sent.found = True
                    self._touch(doc, ms, base + s)
                    continue
                f = self._according_to(doc, ms, s, base) or self._by_verb(doc, ms, s, base, headline, deadline)
                if f and f.start == f.end:  # "Macron told reporters:" introduces the next quote
                    colon_who = f.who
                    f = None
                if f is None and not headline and first_quote == past_quotes:
                    f = self.lead_in(doc, masked, s, e, base)
                if f:
                    f.channel = f.channel or channel
                    got.append(f)
            if got:
                if not headline:
                    self.name_role_speakers(before, got, text, s)
                sent.found = True
                found.extend(got)
                for f in got:
                    doc.spoke(f.who.entity, base + s)
            previous = got
            self._touch(doc, ms, base + s)
        return found

    # attribution rules ----------------------------------------------------------------------------
    def _scan_sentence(self, masked: str, start: int, end: int, deadline: Deadline) -> _SentenceScan:
        verbs = list(self.lex.verb_re.finditer(masked, start, end))
        return _SentenceScan(
            verbs=verbs,
            verb_starts=[vm.start() for vm in verbs],
            end_marks=Marks(_QUOTE_OR_END, masked, start, end),
            deadline=deadline,
        )

    def _attribute_quote(
        self,
        doc: ArticleState,
        masked: str,
        sentence_start: int,
        sentence_end: int,
        quote_open: int,
        quote_close: int,
        base: int,
        channel: str | None,
        scan: _SentenceScan,
    ) -> Attribution | None:
        # After the quote: `"...," Zakharova said.` / `"...," said X, Y's minister.`
        tail_start = quote_close + 1
        verb_match = scan.first_verb_from(tail_start)
        if verb_match and not scan.end_marks.any_within(tail_start, verb_match.start()):
            who = None
            if _NOT_LEAD_IN.search(masked, tail_start, verb_match.start()):
                who = self._subject_ending_at(doc, masked, verb_match.start(), base + tail_start, start=tail_start)
                if who and _NOT_SEPARATOR.search(masked, tail_start, tail_start + who.start):
                    who = None  # something other than the speaker sits between quote and verb
            else:
                tail = masked[tail_start : min(sentence_end, verb_match.end() + _RIGHT_REACH)]
                who = self._subject_after(doc, tail, verb_match.end() - tail_start, base + tail_start)
            if who:
                return Attribution(
                    start=quote_open + 1,
                    end=quote_close,
                    who=who,
                    kind="direct",
                    verb=verb_match.group(),
                    channel=channel,
                    confidence=confidence_of("direct", who),
                )
        # Before the quote: `Macron said: "..."` / `Macron said the plan was "..."`: the last verb
        # before the quote (in its sentence) with a subject. Each verb is read once per sentence.
        verbs = scan.verbs
        while scan.next_prefix_verb < len(verbs) and verbs[scan.next_prefix_verb].end() <= quote_open:
            scan.deadline.check()
            verb_match = verbs[scan.next_prefix_verb]
            scan.next_prefix_verb += 1
            who = self._subject_ending_at(doc, masked, verb_match.start(), base + sentence_start, start=sentence_start)
            if who:
                scan.best_before = (who, verb_match.group())
        if scan.best_before is None:
            return None
        who, verb = scan.best_before
        return Attribution(
            start=quote_open + 1,
            end=quote_close,
            who=who,
            kind="direct",
            verb=verb,
            channel=channel,
            confidence=confidence_of("direct", who),
        )

    def _passive(
        self,
        doc: ArticleState,
        masked: str,
        ms: str,
        s: int,
        base: int,
        idx: int,
        sents: list[Sentence],
        real: list[tuple[int, int]],
        channel: str | None,
    ) -> Attribution | None:
        """ "This was stated by X": X said the previous sentence."""
        m = self.lex.passive_re.match(ms)
        if not m or idx == 0:
            return None
        who = self._subject_after(doc, ms, m.end(), base + s)
        if who is None:
            return None
        prev = sents[idx - 1]
        for o, c in real[bisect_left(real, (prev.start, -1)) :]:  # `real` is sorted: from prev's first quote
            if o >= prev.end:
                break
            if (c - o) > 0.6 * (prev.end - prev.start):
                return Attribution(
                    start=o + 1,
                    end=c,
                    who=who,
                    kind="direct",
                    verb=m.group().split()[-2],
                    channel=channel,
                    confidence=confidence_of("direct", who),
                )
        verb = m.group().split()[-2]
        conf = confidence_of("indirect", who) - 0.05
        return Attribution(
            start=prev.start, end=prev.end, who=who, kind="indirect", verb=verb, channel=channel, confidence=conf
        )

    def _according_to(self, doc: ArticleState, ms: str, s: int, base: int) -> Attribution | None:
        m = re.search(r"\baccording to\s+", ms, re.IGNORECASE)
        if not m:
            return None
        pe = self._scan_forward(ms, m.end())
        phrase = ms[m.end() : pe]
        if not phrase or self.gaz.is_channel(phrase):
            return None
        who = self._parse(doc, phrase, None, base + s + m.end(), m.end(), pe)
        if who is None:
            return None
        if not ms[: m.start()].strip():
            comma = ms.find(",", pe)
            if comma < 0:
                return None
            start, end = s + comma + 1, s + len(ms)
        else:
            start, end = s, s + len(ms[: m.start()].rstrip(" ,"))
        if len(WORD.findall(ms[start - s : end - s])) < 3:
            return None
        return Attribution(
            start=start,
            end=end,
            who=who,
            kind="indirect",
            verb="according to",
            channel=None,
            confidence=confidence_of("indirect", who),
        )

    _THAT = re.compile(
        r"^(?:\s*,?\s*(?:(?:on|in|at|during|after|before|to|via|late|earlier|last|this|yesterday|today|"
        r"over|through|while|citing)\b[^.:;\"“]{0,70}?|\s+(?:reporters|journalists|lawmakers|legislators|parliament|"
        r"(?:the\s+|a\s+)?(?:[A-Z][\w\-]*\s+){0,3}(?:news\s+agency|newspaper|broadcaster|television|radio|"
        r"conference|briefing)|[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2}))\s*,?)??\s*(?:\bthat\b|:)"
    )
    # The same, matched at a verb's end inside the sentence (`^` would only match at its start).
    _THAT_AT = re.compile(_THAT.pattern.removeprefix("^"))

    def _by_verb(
        self,
        doc: ArticleState,
        sentence: str,
        sentence_start: int,
        base: int,
        headline: bool,
        deadline: Deadline = NO_DEADLINE,
    ) -> Attribution | None:
        lex = self.lex
        verb_re = lex.headline_verb_re if headline else lex.verb_re
        terms = Spans([(a, b) for a, b, _ in self.gaz.terms_in(sentence)] if headline else [])
        verb_matches = [verb_match for verb_match in verb_re.finditer(sentence) if not terms.holds(verb_match.start())]
        if not verb_matches:
            return self.headline_colon(doc, sentence, base) if headline else None
        words = WordIndex(sentence)
        that_marks = Marks(_THAT_OR_COLON, sentence)
        cited: dict[str, re.Match[str] | None] = {}
        if len(verb_matches) > 1:
            # "X denied Y, the ministry said.": the final trailing attribution names the speaker.
            last = self._by_verb_at(
                doc,
                sentence,
                sentence_start=sentence_start,
                base=base,
                headline=headline,
                verb_match=verb_matches[-1],
                words=words,
                that_marks=that_marks,
                cited_cache=cited,
                trailing_only=True,
            )
            if last:
                return last
        for verb_match in verb_matches:
            deadline.check()
            found = self._by_verb_at(
                doc,
                sentence,
                sentence_start=sentence_start,
                base=base,
                headline=headline,
                verb_match=verb_match,
                words=words,
                that_marks=that_marks,
                cited_cache=cited,
                trailing_only=False,
            )
            if found is False:
                continue
            return found
        return self.headline_colon(doc, sentence, base) if headline else None

    def _by_verb_at(
        self,
        doc: ArticleState,
        sentence: str,
        sentence_start: int,
        base: int,
        headline: bool,
        verb_match: re.Match[str],
        words: WordIndex,
        that_marks: Marks,
        cited_cache: dict[str, re.Match[str] | None],
        *,
        trailing_only: bool,
    ) -> Attribution | None | Literal[False]:
        """One verb's attribution; None stops the search, False means "try the next verb".

        `words` and `that_marks` index `sentence` once, so each verb costs the same however long `sentence` is.
        """
        lex = self.lex
        verb = verb_match.group()
        is_object = lex.verbs.get(re.sub(r"\s+", " ", verb.lower()), False)
        who = self._subject_ending_at(doc, sentence, verb_match.start(), base + sentence_start)
        if who is None:
            # Inverted trailing attribution: "..., said the minister."
            before_end = _rstrip_end(sentence, verb_match.start())
            if before_end and sentence[before_end - 1] == "," and words.count(0, before_end) >= 3:
                who = self._subject_after(doc, sentence, verb_match.end(), base + sentence_start)
                if who and not _NOT_END_PUNCT.search(sentence, who.end):
                    return Attribution(
                        start=sentence_start,
                        end=sentence_start + before_end - 1,
                        who=who,
                        kind="indirect",
                        verb=verb,
                        channel=None,
                        confidence=confidence_of("indirect", who),
                    )
            return False
        if who.how == "channel":
            if "citing" not in cited_cache:
                cited_cache["citing"] = _CITING.search(sentence)
            cited = cited_cache["citing"]
            if not cited:
                return False
            pe = self._scan_forward(sentence, cited.end())
            who = self._parse(
                doc, sentence[cited.end() : pe], None, base + sentence_start + cited.end(), cited.end(), pe
            )
            if who is None or who.how == "channel":
                return False
        conf = confidence_of("indirect", who) - (0.1 if headline else 0.0)
        # Trailing attribution: "CONTENT, X said (on Tuesday | via Y)."
        lead_end = _rstrip_end(sentence, who.start)
        words_after = words.count(verb_match.end(), len(sentence))
        if (
            lead_end
            and sentence[lead_end - 1] == ","
            and words.count(0, lead_end) >= 3
            and words_after <= 8
            and that_marks.first_from(verb_match.end()) is None
        ):
            role = None
            via = _VIA.match(sentence, verb_match.end())
            if via:
                role = "via " + via.group(1).strip()
            return Attribution(
                start=sentence_start,
                end=sentence_start + lead_end - 1,
                who=who,
                kind="indirect",
                verb=verb,
                channel=None,
                confidence=conf,
                role=role,
            )
        if trailing_only:
            return None
        # Front attribution: "X said (that) CONTENT" / "X rejected CONTENT".
        that_match = self._THAT_AT.match(sentence, verb_match.end())
        if that_match:
            start = that_match.end()
            if not _NON_SPACE.search(sentence, that_match.end()):
                return Attribution(
                    start=sentence_start + start,
                    end=sentence_start + start,
                    who=who,
                    kind="indirect",
                    verb=verb,
                    channel=None,
                    confidence=conf,
                )  # a colon lead-in
        elif is_object:
            start = verb_match.start()
            if words_after < 2:
                return False
        else:
            first_word = words.first_in(verb_match.end(), len(sentence))
            first = sentence[first_word[0] : first_word[1]].lower() if first_word else ""
            if words_after < 3 or first in CONTENT_STARTERS_NOT:
                return False
            start = verb_match.end()
        if words.count(start, len(sentence)) < 2:
            return False
        return Attribution(
            start=sentence_start + start,
            end=sentence_start + len(sentence),
            who=who,
            kind="indirect",
            verb=verb,
            channel=None,
            confidence=conf,
        )
