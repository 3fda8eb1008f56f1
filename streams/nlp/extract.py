"""Rule-based ("fast") statement extraction: who said what, with character spans.

The extractor reads one `RawArticle` and returns `Statement`s for direct quotes and indirect speech.
It never raises on odd text: every step degrades to "no statement" rather than failing. Word lists
(speech verbs, titles, anonymous-source nouns, ...) live in `data/`, loaded once per process.

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
from typing import Literal, Protocol, runtime_checkable

from schemas import RawArticle, Statement
from streams.nlp.speakers import (
    _CONTENT_STARTERS_NOT,
    _WORD,
    SpeakerReader,
    _confidence,
    _Doc,
    _Found,
    _Sentence,
    _Who,
    build_statements,
    statement_id,
)

__all__ = ["Extractor", "FastExtractor", "statement_id"]


@runtime_checkable
class Extractor(Protocol):
    """Anything that turns an article into statements (the fast rules, later a spaCy model)."""

    name: str

    def extract(self, article: RawArticle) -> list[Statement]: ...


# -- the extractor ---------------------------------------------------------------------------------


class FastExtractor(SpeakerReader):
    """Regex and word-list rules; ~1–2 ms per 500-word article on one core."""

    name = "fast"

    # public ---------------------------------------------------------------------------------------
    def extract(self, article: RawArticle) -> list[Statement]:
        try:
            return self._extract(article)
        except Exception:  # pragma: no cover - a rule bug must cost statements, never the article
            return []

    def _extract(self, article: RawArticle) -> list[Statement]:
        doc = _Doc()
        headline, body = article.headline or "", article.body or ""
        body_base = len(headline) + 1
        doc.home = self._home(headline, body.lstrip().split("\n", 1)[0])
        self._survey(doc, headline, body, body_base)
        found_h = self._read_field(doc, headline, 0, headline=True)
        found_b = self._read_field(doc, body, body_base, headline=False)
        lead = body[doc.lead[0] : doc.lead[1]].strip() if doc.lead else ""
        context = f"{headline.strip()} {lead}".strip()
        return build_statements(article, [("headline", headline, found_h), ("body", body, found_b)], context)

    # reading one field ----------------------------------------------------------------------------
    def _read_field(self, doc: _Doc, text: str, base: int, *, headline: bool) -> list[_Found]:
        if not text.strip():
            return []
        quotes = self._quotes(text)
        masked, real = self._mask(text, quotes)
        sents = [_Sentence(0, len(text))] if headline else self._sentences(masked)
        if not headline and sents:
            doc.lead = (sents[0].start, sents[0].end)
        found: list[_Found] = []
        colon_who: _Who | None = None
        for idx, sent in enumerate(sents):
            s, e = sent.start, sent.end
            ms = masked[s:e]
            self._register_mentions(doc, ms, base + s)
            channel = self._channel(ms)
            got: list[_Found] = []
            # 1. direct quotes in this sentence
            for o, c in real:
                if not s <= o < e:
                    continue
                f = self._attribute_quote(doc, masked, s, e, o, c, base, channel)
                if f is None and colon_who is not None:
                    f = _Found(o + 1, c, colon_who, "direct", None, channel, 0.8)
                if f is None and found and idx > 0 and sents[idx - 1].found and (c - o) > 0.6 * (e - s):
                    last = found[-1]
                    f = _Found(o + 1, c, last.who, "direct", None, channel or last.channel, 0.6)
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
                f = self._according_to(doc, ms, s, base) or self._by_verb(doc, ms, s, base, headline)
                if f and f.start == f.end:  # "Macron told reporters:" introduces the next quote
                    colon_who = f.who
                    f = None
                if f:
                    f.channel = f.channel or channel
                    got.append(f)
            if got:
                sent.found = True
                found.extend(got)
            self._touch(doc, ms, base + s)
        return found

    # attribution rules ----------------------------------------------------------------------------
    def _attribute_quote(
        self, doc: _Doc, masked: str, s: int, e: int, o: int, c: int, base: int, channel: str | None
    ) -> _Found | None:
        lex = self.lex
        # After the quote: `"...," Zakharova said.` / `"...," said X, Y's minister.`
        tail_start = c + 1
        tail = masked[tail_start:e]
        vm = lex.verb_re.search(tail)
        if vm and not re.search(r"[.!?\"“”]", tail[: vm.start()]):
            who = None
            left = tail[: vm.start()]
            if left.strip(" ,"):
                who = self._subject_before(doc, left, base + tail_start)
                if who and left[: who.start].strip(" ,—–-"):
                    who = None  # something other than the speaker sits between quote and verb
            else:
                who = self._subject_after(doc, tail, vm.end(), base + tail_start)
            if who:
                return _Found(o + 1, c, who, "direct", vm.group(), channel, _confidence("direct", who))
        # Before the quote: `Macron said: "..."` / `Macron said the plan was "..."`.
        prefix = masked[s:o]
        best: _Found | None = None
        for vm in lex.verb_re.finditer(prefix):
            who = self._subject_before(doc, prefix[: vm.start()], base + s)
            if who:
                best = _Found(o + 1, c, who, "direct", vm.group(), channel, _confidence("direct", who))
        return best

    def _passive(
        self,
        doc: _Doc,
        masked: str,
        ms: str,
        s: int,
        base: int,
        idx: int,
        sents: list[_Sentence],
        real: list[tuple[int, int]],
        channel: str | None,
    ) -> _Found | None:
        """ "This was stated by X": X said the previous sentence."""
        m = self.lex.passive_re.match(ms)
        if not m or idx == 0:
            return None
        who = self._subject_after(doc, ms, m.end(), base + s)
        if who is None:
            return None
        prev = sents[idx - 1]
        for o, c in real:
            if prev.start <= o < prev.end and (c - o) > 0.6 * (prev.end - prev.start):
                return _Found(o + 1, c, who, "direct", m.group().split()[-2], channel, _confidence("direct", who))
        verb = m.group().split()[-2]
        conf = _confidence("indirect", who) - 0.05
        return _Found(prev.start, prev.end, who, "indirect", verb, channel, conf)

    def _according_to(self, doc: _Doc, ms: str, s: int, base: int) -> _Found | None:
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
        if len(_WORD.findall(ms[start - s : end - s])) < 3:
            return None
        return _Found(start, end, who, "indirect", "according to", None, _confidence("indirect", who))

    _THAT = re.compile(
        r"^(?:\s*,?\s*(?:(?:on|in|at|during|after|before|to|via|late|earlier|last|this|yesterday|today|"
        r"over|through|while|citing)\b[^.:;\"“]{0,70}?|\s+(?:reporters|journalists|lawmakers|legislators|parliament|"
        r"(?:the\s+|a\s+)?(?:[A-Z][\w\-]*\s+){0,3}(?:news\s+agency|newspaper|broadcaster|television|radio|"
        r"conference|briefing)|[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2}))\s*,?)??\s*(?:\bthat\b|:)"
    )

    def _by_verb(self, doc: _Doc, ms: str, s: int, base: int, headline: bool) -> _Found | None:
        lex = self.lex
        verb_re = lex.headline_verb_re if headline else lex.verb_re
        terms = self.gaz.terms_in(ms) if headline else []
        vms = [vm for vm in verb_re.finditer(ms) if not any(a <= vm.start() < b for a, b, _ in terms)]
        if len(vms) > 1:
            # "X denied Y, the ministry said.": the final trailing attribution names the speaker.
            last = self._by_verb_at(doc, ms, s, base, headline, vms[-1], trailing_only=True)
            if last:
                return last
        for vm in vms:
            f = self._by_verb_at(doc, ms, s, base, headline, vm, trailing_only=False)
            if f is False:
                continue
            return f
        return self._headline_colon(doc, ms, base) if headline else None

    def _by_verb_at(
        self, doc: _Doc, ms: str, s: int, base: int, headline: bool, vm: re.Match[str], *, trailing_only: bool
    ) -> _Found | None | Literal[False]:
        """One verb's attribution; None stops the search, False means "try the next verb"."""
        lex = self.lex
        verb = vm.group()
        is_object = lex.verbs.get(re.sub(r"\s+", " ", verb.lower()), False)
        right = ms[vm.end() :]
        who = self._subject_before(doc, ms[: vm.start()], base + s)
        if who is None:
            # Inverted trailing attribution: "..., said the minister."
            before = ms[: vm.start()].rstrip()
            if before.endswith(",") and len(_WORD.findall(before)) >= 3:
                who = self._subject_after(doc, ms, vm.end(), base + s)
                if who and not ms[who.end :].strip(" .!?"):
                    return _Found(s, s + len(before) - 1, who, "indirect", verb, None, _confidence("indirect", who))
            return False
        if who.how == "channel":
            cited = re.search(r"\bciting\s+", ms, re.IGNORECASE)
            if not cited:
                return False
            pe = self._scan_forward(ms, cited.end())
            who = self._parse(doc, ms[cited.end() : pe], None, base + s + cited.end(), cited.end(), pe)
            if who is None or who.how == "channel":
                return False
        conf = _confidence("indirect", who) - (0.1 if headline else 0.0)
        # Trailing attribution: "CONTENT, X said (on Tuesday | via Y)."
        lead = ms[: who.start].rstrip()
        words_after = _WORD.findall(right)
        if (
            lead.endswith(",")
            and len(_WORD.findall(lead)) >= 3
            and len(words_after) <= 8
            and not re.search(r"\bthat\b|:", right)
        ):
            role = None
            via = re.match(r"\s+via\s+([^,.;]+)", right)
            if via:
                role = "via " + via.group(1).strip()
            return _Found(s, s + len(lead) - 1, who, "indirect", verb, None, conf, role)
        if trailing_only:
            return None
        # Front attribution: "X said (that) CONTENT" / "X rejected CONTENT".
        m = self._THAT.match(right)
        if m:
            start = vm.end() + m.end()
            if not right[m.end() :].strip():
                return _Found(s + start, s + start, who, "indirect", verb, None, conf)  # a colon lead-in
        elif is_object:
            start = vm.start()
            if len(words_after) < 2:
                return False
        else:
            first = words_after[0].lower() if words_after else ""
            if len(words_after) < 3 or first in _CONTENT_STARTERS_NOT:
                return False
            start = vm.end()
        if len(_WORD.findall(ms[start:])) < 2:
            return False
        return _Found(s + start, s + len(ms), who, "indirect", verb, None, conf)
        return False

    def _headline_colon(self, doc: _Doc, ms: str, base: int) -> _Found | None:
        """Headline colon form: "Lavrov: Russia will not discuss troops"."""
        m = re.match(r"^\s*([^:]{2,60}):\s+(\S.{8,})$", ms)
        if m:
            who = self._parse(doc, m.group(1).strip(), None, base, 0, m.end(1))
            if who and who.how in ("named", "resolved", "institution"):
                return _Found(m.start(2), len(ms), who, "indirect", None, None, 0.55)
        return None
