"""Plain-text articles: the first non-empty line is the headline, the rest the body, and the dateline
that opens the body gives the place and (when it has one) the date.

Datelines read: "MANILA, Sept 12 (Agency) -", "KYIV, Ukraine — ", "Geneva, 3 October 2025:",
"PARIS, 3 octobre (Agence) -", "BERLIN, 3. Oktober (dpa) -", "WASHINGTON, Oct. 3, 2025 --",
"LONDON, 2025-10-03 -". A dateline is a place (capitalised words, at most one comma-separated
region), an optional date, an optional "(agency)", then a dash or colon.

A dateline date has a day but no time: the article is dated at 00:00 UTC of that day (the same
story fed twice gets the same time). Without a year, the year is the one that puts the date
nearest the file's time, never more than a few days after it. Without a dateline date, the file's
modification time is used and a warning says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import PurePath

from streams.formats.base import ArticleOrError, Context, FormatError, Reader, build_article

__all__ = ["Dateline", "TextReader", "parse_dateline"]

_MONTHS = {
    # English
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
    # French
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
    # German
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "juni": 6,
    "juli": 7,
    "oktober": 10,
    "okt": 10,
    "dezember": 12,
    "dez": 12,
    # Spanish / Italian (common in wire datelines)
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    "gennaio": 1,
    "febbraio": 2,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "settembre": 9,
    "ottobre": 10,
    "dicembre": 12,
}
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_DATES = [
    re.compile(r"^(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})$"),
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$"),
    re.compile(rf"^(?P<day>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+{_MONTH}(?:\s+(?P<year>\d{{4}}))?$"),
]
# place[, region][, date] [(agency)] then a dash (-, --, –, —) or a colon, then the text.
_DATELINE = re.compile(r"^(?P<head>[^\n()]{2,100}?)\s*(?:\((?P<agency>[^()\n]{1,60})\))?\s*(?:--?|–|—|:)\s+(?=\S)")
_DAY_COMMA_YEAR = re.compile(r"(\d{1,2}),\s*(\d{4})\b")
_PLACE_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][\w'’.\-]*|d'|de|du|la|le|al|el|am|an|der|del|di|da|upon|on)$")


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    day: date | None
    agency: str | None
    end: int
    """Where the dateline ends in the body."""


def _parse_date(text: str, reference: datetime | None) -> date | None:
    text = text.strip().rstrip(".")
    for pattern in _DATES:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        if "mon" in groups:
            month = int(groups["mon"])
        else:
            month = _MONTHS.get(groups["month"].lower())
            if month is None:
                return None
        day = int(groups["day"])
        if groups.get("year"):
            years = [int(groups["year"])]
        else:
            ref = (reference or datetime.now(UTC)).date()
            years = [ref.year, ref.year - 1]  # the year that is not (much) after the reference
        for year in years:
            try:
                found = date(year, month, day)
            except ValueError:
                return None
            if groups.get("year") or found <= (reference or datetime.now(UTC)).date() + timedelta(days=3):
                return found
        return None
    return None


def _is_place(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 5 and not any(ch.isdigit() for ch in text) and all(_PLACE_WORD.match(w) for w in words)


def parse_dateline(body: str, reference: datetime | None = None) -> Dateline | None:
    """The dateline opening `body`, or None. `reference` resolves a date without a year (default: now)."""
    match = _DATELINE.match(body)
    if not match:
        return None
    head = _DAY_COMMA_YEAR.sub(r"\1 \2", match.group("head"))  # "Oct. 3, 2025": one date, not two parts
    parts = [part.strip() for part in head.split(",")]
    if not parts or not _is_place(parts[0]):
        return None
    place, day = [parts[0]], None
    for part in parts[1:]:
        parsed = _parse_date(part, reference)
        if parsed is not None and day is None:
            day = parsed
        elif day is None and len(place) < 3 and _is_place(part):
            place.append(part)
        else:
            return None
    if len(place) == 1 and day is None and match.group("agency") is None and not parts[0].isupper():
        return None  # "Analysts - ..." is not a dateline; "GENEVA -" and "Geneva (Agency) -" are
    agency = match.group("agency")
    return Dateline(
        place=", ".join(_title(p) for p in place), day=day, agency=agency.strip() if agency else None, end=match.end()
    )


def _title(place: str) -> str:
    return place.title() if place.isupper() else place


class TextReader(Reader):
    name = "text"

    def read(self, data: bytes, ctx: Context) -> Iterator[ArticleOrError]:
        where = ctx.origin
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield FormatError(where, 1, f"not UTF-8: {exc}", "invalid_utf8")
            return
        headline, _, body = text.lstrip("\ufeff").lstrip().partition("\n")
        headline, body = headline.strip(), body.strip()
        dateline = parse_dateline(body, ctx.mtime)
        if dateline is not None and dateline.day is not None:
            published = datetime(dateline.day.year, dateline.day.month, dateline.day.day, tzinfo=UTC)
        else:
            published = ctx.mtime or datetime.now(UTC)
            ctx.warn(f"{where}: no date in a dateline; dated by the file's time {published.isoformat()}")
        stem = PurePath(where).stem if where not in ("", "-", "<stdin>") else ""
        yield build_article(
            where=where,
            line=1,
            original_id=stem or None,
            headline=headline,
            body=body,
            source=ctx.source or "file",
            published_at=published,
            format="text",
            place=dateline.place if dateline else None,
            ctx=ctx,
        )
