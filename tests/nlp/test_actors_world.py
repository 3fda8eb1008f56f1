"""The actor gazetteer covers the world: generated ISO 3166 countries, curated adjectives and seats of
government, intergovernmental organisations, offices; and the curated file is validated entry by entry."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from streams.nlp import build_actors
from streams.nlp.actors import Gazetteer, GazetteerError


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_generated_file_is_what_the_generator_writes():
    missing = [name for name in build_actors.SOURCE_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"generator packages not installed: {', '.join(missing)} (pip install -e '.[test]')")
    expected = build_actors.render(build_actors.build())
    current = build_actors.GENERATED_PATH.read_text(encoding="utf-8")
    assert current == expected, "countries.generated.json is out of date: run python -m streams.nlp.build_actors"


def test_every_iso_country_and_territory_is_an_actor(gazetteer):
    assert len(gazetteer.country_ids) >= 249
    assert {"GRL", "PSE", "TWN", "HKG", "PRI", "XKX", "DNK", "COM", "GHA", "COL", "PHL"} <= gazetteer.country_ids
    with_terms = {entry.actor for entry in gazetteer.entries.values() if entry.is_country}
    # Antarctica and a few uninhabited territories have no usable name in running text beyond their own.
    assert len(with_terms) >= 240


@pytest.mark.parametrize(
    ("term", "actor"),
    [
        ("Philippines", "PHL"),
        ("the Philippines", "PHL"),
        ("Philippine", "PHL"),
        ("Filipino", "PHL"),
        ("Manila", "PHL"),
        ("Malacanang", "PHL"),
        ("Portuguese", "PRT"),
        ("Lisbon", "PRT"),
        ("Colombian", "COL"),
        ("Bogota", "COL"),
        ("Bogotá", "COL"),
        ("Ghanaian", "GHA"),
        ("Accra", "GHA"),
        ("Comorian", "COM"),
        ("Greenland", "GRL"),
        ("Greenlandic", "GRL"),
        ("Greenlander", "GRL"),
        ("Nuuk", "GRL"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Türkiye", "TUR"),
        ("Czechia", "CZE"),
        ("DR Congo", "COD"),
        ("Democratic Republic of the Congo", "COD"),
        ("DRC", "COD"),
        ("North Korea", "PRK"),
        ("DPRK", "PRK"),
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Blue House", "KOR"),
        ("Myanmar", "MMR"),
        ("Burma", "MMR"),
        ("Kosovo", "XKX"),
        ("Puerto Rico", "PRI"),
        ("Hong Kong", "HKG"),
        ("Taiwan", "TWN"),
        ("Kremlin", "RUS"),
        ("Downing Street", "GBR"),
        ("Elysee", "FRA"),
        ("Zhongnanhai", "CHN"),
        ("Knesset", "ISR"),
        ("Chinese", "CHN"),
        ("American", "USA"),
        ("French", "FRA"),
        ("Brussels", "EU"),
    ],
)
def test_country_terms(gazetteer, term, actor):
    entry = gazetteer.lookup(term)
    assert entry is not None and entry.actor == actor, (term, entry)


@pytest.mark.parametrize(
    ("phrase", "actor"),
    [
        ("UN refugee agency UNHCR", "UN"),
        ("UNICEF", "UN"),
        ("the World Food Programme", "UN"),
        ("OCHA", "UN"),
        ("UNRWA", "UN"),
        ("the UN Security Council", "UN"),
        ("the General Assembly", "UN"),
        ("the World Health Organization", "WHO"),
        ("the World Health Organisation", "WHO"),
        ("the IAEA", "IAEA"),
        ("the International Monetary Fund", "IMF"),
        ("the World Bank", "WBG"),
        ("the WTO", "WTO"),
        ("the International Criminal Court", "ICC"),
        ("the ICC", "ICC"),
        ("the International Court of Justice", "ICJ"),
        ("the European Commission", "EU"),
        ("the EEAS", "EU"),
        ("the European Central Bank", "ECB"),
        ("NATO", "NATO"),
        ("the African Union", "AU"),
        ("ASEAN", "ASEAN"),
        ("OPEC+", "OPEC"),
        ("the G7", "G7"),
        ("the G20", "G20"),
        ("the Arab League", "LAS"),
        ("the Gulf Cooperation Council", "GCC"),
        ("ECOWAS", "ECOWAS"),
        ("the OSCE", "OSCE"),
        ("the Council of Europe", "COE"),
        ("the Organization of American States", "OAS"),
        ("the Shanghai Cooperation Organisation", "SCO"),
        ("BRICS", "BRICS"),
        ("the OECD", "OECD"),
        ("the International Energy Agency", "IEA"),
        ("Mercosur", "MERCOSUR"),
        ("CARICOM", "CARICOM"),
        ("the Pacific Islands Forum", "PIF"),
    ],
)
def test_organisations(gazetteer, phrase, actor):
    assert gazetteer.actor_in(phrase) == actor


@pytest.mark.parametrize(
    ("phrase", "actor"),
    [
        ("the Home Secretary", "GBR"),
        ("Foreign Secretary", "GBR"),
        ("the Chancellor of the Exchequer", "GBR"),
        ("Taoiseach", "IRL"),
        ("the Tanaiste", "IRL"),
    ],
)
def test_offices_that_name_their_country(gazetteer, phrase, actor):
    office = gazetteer.office_in(phrase)
    assert office is not None and office.actor == actor
    assert gazetteer.title_in(phrase)  # an office is a title cue too


def test_people_names_and_other_places_are_not_countries(gazetteer):
    # Capitals that are mostly people's names or other places are kept out of the generated terms.
    for word in ("Victoria", "Douglas", "Stanley", "Hamilton", "Male", "Jersey", "Island"):
        assert gazetteer.lookup(word) is None, word
    assert gazetteer.actor_in("New Jersey officials") is None
    # A term the packages give to two countries says neither unless curated ("Congolese").
    assert gazetteer.lookup("Congolese") is None


def _curated_copy(tmp_path: Path, replace: tuple[str, str]) -> Path:
    from streams.nlp._text import DATA_DIR

    text = (DATA_DIR / "actors.yaml").read_text(encoding="utf-8")
    old, new = replace
    assert old in text
    path = tmp_path / "actors.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_country_id_names_the_entry(tmp_path):
    path = _curated_copy(tmp_path, ("- {id: GRL,", "- {id: GRX,"))
    with pytest.raises(GazetteerError, match=r"countries\.\d+ \(entry 'GRX'\).*ISO 3166"):
        Gazetteer.load(path)


def test_office_with_unknown_actor_names_the_entry(tmp_path):
    path = _curated_copy(tmp_path, ("{office: Taoiseach, actor: IRL}", "{office: Taoiseach, actor: IRX}"))
    with pytest.raises(GazetteerError, match=r"offices\.\d+ \(entry 'Taoiseach'\).*'IRX'"):
        Gazetteer.load(path)


def test_office_missing_actor_names_the_entry(tmp_path):
    path = _curated_copy(tmp_path, ("{office: Taoiseach, actor: IRL}", "{office: Taoiseach}"))
    with pytest.raises(GazetteerError, match=r"offices\.\d+.*'Taoiseach'"):
        Gazetteer.load(path)


def test_organisation_with_a_country_id_names_the_entry(tmp_path):
    path = _curated_copy(tmp_path, ("- {id: ECOWAS,", "- {id: GHA,"))
    with pytest.raises(GazetteerError, match=r"organisations\.\d+ \(entry 'GHA'\)"):
        Gazetteer.load(path)
