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
    assert with_terms == gazetteer.country_ids  # every one can be found in text


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


# -- who a speaker speaks for, in our own example sentences -------------------------------------------

RESOLUTION_CASES = [
    pytest.param(
        "Manila protests water cannon attack",
        "Chinese coast guard ships fired water cannon at a supply boat on Sunday. The boat was damaged, the "
        "Philippine foreign ministry said.",
        "Philippine foreign ministry",
        "PHL",
        id="philippine-not-china",
    ),
    pytest.param(
        "Lisbon to recognise Palestinian state",
        "Palestinian leaders welcomed the move. Portuguese Foreign Minister Paulo Rangel said recognition was a "
        "step towards peace.",
        "Paulo Rangel",
        "PRT",
        id="portuguese-not-palestinian",
    ),
    pytest.param(
        "Trump renews Greenland push",
        "US President Donald Trump said on Monday that Washington needed the island. Greenlandic Premier "
        "Jens-Frederik Nielsen said the island was not for sale.",
        "Jens-Frederik Nielsen",
        "GRL",
        id="greenland-not-usa",
    ),
    pytest.param(
        "Bogota halts coal sales",
        "Colombian President Gustavo Petro said the ban would stay in place until the war ended.",
        "Gustavo Petro",
        "COL",
        id="colombia",
    ),
    pytest.param(
        "Cocoa prices soar",
        "Prices rose for a third week, the Ghanaian finance ministry said.",
        "Ghanaian finance ministry",
        "GHA",
        id="ghana",
    ),
    pytest.param(
        "Cyclone hits islands",
        "The Comoros government said that twelve people had died in the storm.",
        "Comoros government",
        "COM",
        id="comoros",
    ),
    pytest.param(
        "Court issues warrants",
        "The International Criminal Court said on Thursday that it had issued two arrest warrants.",
        "International Criminal Court",
        "ICC",
        id="icc",
    ),
    pytest.param(
        "Steel duties proposed",
        "The European Union will propose new duties on steel imports. EU Trade Commissioner Jan Marek said the "
        "measures were proportionate.",
        "Jan Marek",
        "EU",
        id="eu-commissioner",
    ),
    pytest.param(
        "Channel crossings rise",
        "The Home Secretary said the government would not tolerate the crossings.",
        "Home Secretary",
        "GBR",
        id="home-secretary",
    ),
    pytest.param(
        "Channel crossings rise",
        "Home Secretary Clara Winfield said the government would not tolerate the crossings.",
        "Clara Winfield",
        "GBR",
        id="home-secretary-named",
    ),
    pytest.param(
        "Budget protects jobs",
        "The Taoiseach said the budget would protect jobs in rural areas.",
        "Taoiseach",
        "IRL",
        id="taoiseach",
    ),
    pytest.param(
        "Outbreak spreads",
        "The World Health Organisation said the outbreak had spread to three provinces.",
        "World Health Organisation",
        "WHO",
        id="who-british-spelling",
    ),
    pytest.param(
        "US tightens chip curbs",
        "The United States announced new export controls on Tuesday. The measures harm supply chains, Chinese "
        "foreign ministry spokesman Zhao Wenli said on Wednesday.",
        "Zhao Wenli",
        "CHN",
        id="chinese-spokesman-not-usa",
    ),
    pytest.param(
        "Drones hit Kyiv",
        "Russia launched 400 drones overnight. Ukraine's defence minister Taras Bondar said air defences shot "
        "down most of them.",
        "Taras Bondar",
        "UKR",
        id="ukraine-defence-minister-not-russia",
    ),
    pytest.param(
        "Beijing urges talks",
        "China on Monday urged both sides to return to talks. Asked about Ukraine's request for help, foreign "
        "ministry spokesman Li Wenhao said Beijing would keep playing a constructive role.",
        "Li Wenhao",
        "CHN",
        id="spokesman-not-the-country-asked-about",
    ),
    pytest.param(
        "NATO raises spending goal",
        "NATO Secretary-General Mark Rutte said allies would raise spending.",
        "Mark Rutte",
        "NATO",
        id="nato-secretary-general",
    ),
    pytest.param(
        "Famine warning",
        "The United Nations warned of famine in three regions. The secretary-general said donors had to act now.",
        "secretary-general",
        "UN",
        id="secretary-general-of-the-organisation-named",
    ),
    pytest.param(
        "Sanctions agreed",
        "The European Union agreed a new sanctions package. The commissioner said it would take effect on Friday.",
        "commissioner",
        "EU",
        id="the-commissioner-when-the-eu-is-named",
    ),
    pytest.param(
        "Summit opens",
        "UN Secretary-General Antonio Guterres said the world was at a crossroads.",
        "Antonio Guterres",
        "UN",
        id="un-secretary-general",
    ),
    pytest.param(
        "Border posts stay shut",
        "Pakistan and Afghanistan traded fire overnight. The crossings will stay closed, the Foreign Office said.",
        "Foreign Office",
        "PAK",
        id="shared-body-the-one-holder-named",
    ),
    pytest.param(
        "Envoy summoned",
        "Britain summoned the Iranian ambassador on Monday, the Foreign Office said.",
        "Foreign Office",
        "GBR",
        id="shared-body-its-usual-holder",
    ),
    pytest.param(
        "Iran urged to return to talks",
        "Britain and Germany urged Iran to return to talks on Monday, the Foreign Office said.",
        "Foreign Office",
        "GBR",
        id="shared-body-not-germanys",
    ),
    pytest.param(
        "Ministers agree review",
        "Ministers of the Council of Europe agreed to review the convention. Secretary General Paul Brandt said "
        "the debate was legitimate.",
        "Paul Brandt",
        "COE",
        id="secretary-general-in-two-words",
    ),
    pytest.param(
        "Displacement at record",
        "The UN refugee agency said 120 million people had fled their homes. High Commissioner Marta Vale said "
        "funding had fallen.",
        "Marta Vale",
        "UN",
        id="high-commissioner-of-the-un-agency-named",
    ),
    pytest.param(
        "Crossings rise",
        "Shadow Home Secretary Tom Hale said the border was out of control.",
        "Tom Hale",
        None,
        id="shadow-office-is-the-opposition",
    ),
    pytest.param(
        "Trade deal welcomed",
        "Scotland's First Minister Ian Reid said the deal fell short of what was needed.",
        "Ian Reid",
        "GBR",
        id="scotland-is-part-of-the-uk",
    ),
    pytest.param(
        "Farmers block roads",
        "Belgian police said seven officers were hurt in the clashes.",
        "Belgian police",
        "BEL",
        id="national-police",
    ),
    pytest.param(
        "Beijing condemns arms sale",
        "The Taiwan Affairs Office said the arms sales harmed peace across the strait.",
        "Taiwan Affairs Office",
        "CHN",
        id="chinese-body-named-for-taiwan",
    ),
    pytest.param(
        "Court issues warrants",
        "Taliban administration spokesman Abdul Karim said the warrants were an insult.",
        "Abdul Karim",
        "AFG",
        id="de-facto-government",
    ),
    pytest.param(
        "Protests turn deadly",
        "Amnesty International Indonesia said the response to the protests had been excessive.",
        "Amnesty International Indonesia",
        None,
        id="campaign-group-named-for-a-country",
    ),
    pytest.param(
        "Crossings rise",
        "Reform UK leader Jim Pratt said the plan was a gimmick.",
        "Jim Pratt",
        None,
        id="party-named-with-a-country-term",
    ),
    pytest.param(
        "Doha reviews mediation",
        "Qatar condemned the strike on Tuesday. Foreign ministry spokesman Salem al-Kuwari said no warning had "
        "been given.",
        "Salem al-Kuwari",
        "QAT",
        id="surname-with-a-joined-particle",
    ),
    pytest.param(
        "US leaves health agency",
        "The United States left the World Health Organization on Monday.\n“We hope the United States will "
        "reconsider,” WHO spokesman Tomas Berg told reporters in Geneva.",
        "Tomas Berg",
        "WHO",
        id="acronym-that-is-also-a-pronoun",
    ),
    pytest.param(
        "Tax dropped to restart talks",
        "The two sides will resume talks, Prime Minister Mark Carney's office said in a statement.",
        "Prime Minister Mark Carney's office",
        "CAN",
        id="office-of-a-well-known-person",
    ),
    pytest.param(
        "Mali reopens roads",
        "BAMAKO, May 2 (Agency) - Fuel convoys reached the capital on Sunday. The national gendarmerie said "
        "security had been reinforced along the main roads.",
        "national gendarmerie",
        "MLI",
        id="gendarmerie-is-a-state-body",
    ),
    pytest.param(
        "Kenya defends loan swap",
        "NAIROBI — Kenya converted part of its railway debt into yuan. The National Treasury said the loans "
        "carried a lower interest rate.",
        "National Treasury",
        "KEN",
        id="treasury-is-a-state-body",
    ),
    pytest.param(
        "Rates held",
        "The European Central Bank left rates unchanged on Thursday. ECB President Anna Roth spoke to reporters. "
        "The bank said inflation would stay close to its target.",
        "European Central Bank",
        "ECB",
        id="the-bank-by-its-fullest-name",
    ),
    pytest.param(
        "Summit adopts declaration",
        "The United States boycotted the summit.\nPresident Cyril Ramaphosa said the declaration showed that "
        "the talks had worked.",
        "Cyril Ramaphosa",
        "ZAF",
        id="a-g20-leader-is-well-known",
    ),
    pytest.param(
        "Outlook cut",
        "IMF chief economist Paul Lenz said tariffs had hurt trade.",
        "Paul Lenz",
        "IMF",
        id="an-organisations-own-economist",
    ),
    pytest.param(
        "Portugal votes",
        "Portugal voted on Sunday. Prime Minister Ana Jordan said the result was a clear mandate.",
        "Ana Jordan",
        "PRT",
        id="surname-that-is-a-country",
    ),
    pytest.param(
        "Ethiopia opens dam",
        "Ethiopia opened the dam on Tuesday despite objections from Egypt and Sudan. Prime Minister Abel Tekle "
        "said the dam would harm no one.",
        "Abel Tekle",
        "ETH",
        id="coordinated-countries-after-a-preposition",
    ),
    # A story about Chile: the paragraph before names Chile and Argentina, the minister's own opens with
    # his title alone. He follows the story, not the sentence before.
    pytest.param(
        "Chile defends border checks on lithium",
        "Argentina accused Chile on Monday of blocking lithium exports at the Paso de Jama crossing.\n"
        "Mining Minister Aurelio Fuentes said the checks were routine and would end within a week.",
        "Aurelio Fuentes",
        "CHL",
        id="new-paragraph-after-two-countries-follows-the-headline-country",
    ),
    # The same without a headline country: the lead opens with Argentina, but names Chile too. Null.
    pytest.param(
        "Lithium trucks stranded in the Andes",
        "Argentina accused Chile on Monday of blocking lithium exports at the Paso de Jama crossing.\n"
        "Mining Minister Aurelio Fuentes said the checks were routine and would end within a week.",
        "Aurelio Fuentes",
        None,
        id="new-paragraph-after-two-countries-without-a-headline-country",
    ),
    # "The ministry" is the ministry named before, whatever other country that paragraph names.
    pytest.param(
        "Tokyo and Seoul trade protests over islets",
        "Japan's foreign ministry said on Tuesday that South Korea's survey of the waters near the islets "
        "broke international law.\nThe ministry said it had told the embassy that the survey was unacceptable.",
        "ministry",
        "JPN",
        id="the-ministry-is-the-one-named-before",
    ),
    # A section header in capitals names whose side the next paragraph gives.
    pytest.param(
        "Finland closes last border crossing",
        "Finland will close its last open border crossing on Friday, the government said.\nWHAT MOSCOW SAYS\n"
        "Foreign ministry spokeswoman Irina Volkova said the closure was a hostile act.",
        "Irina Volkova",
        "RUS",
        id="section-header-in-capitals-names-the-country",
    ),
    # Unnamed officials of a named state body count as that body; of a country alone they stay anonymous.
    pytest.param(
        "Migrant boat reaches Canaries",
        "Spanish interior ministry officials said 40 people had been rescued off El Hierro overnight.",
        "Spanish interior ministry officials",
        "ESP",
        id="unnamed-officials-of-a-state-body",
    ),
    pytest.param(
        "Migrant boat reaches Canaries",
        "Spanish officials said 40 people had been rescued off El Hierro overnight.",
        "Spanish officials",
        None,
        id="unnamed-officials-of-a-country",
    ),
]


@pytest.fixture(scope="module")
def extractors():  # noqa: ANN201
    from streams.nlp.extract import FastExtractor
    from streams.nlp.parsed import ParsedExtractor

    return {"fast": FastExtractor(), "parsed": ParsedExtractor()}


def _speakers(extractor, body: str, headline: str) -> dict[str, str | None]:
    from tests.nlp.conftest import make_article

    return {s.speaker.name: s.speaker.actor for s in extractor.extract(make_article(body, headline))}


@pytest.mark.parametrize("which", ["fast", "parsed"])
@pytest.mark.parametrize(("headline", "body", "speaker", "actor"), RESOLUTION_CASES)
def test_speaker_actor(extractors, which, headline, body, speaker, actor):
    got = _speakers(extractors[which], body, headline)
    assert got.get(speaker, "not found") == actor, got


@pytest.mark.parametrize("which", ["parsed"])  # the fast rules do not take a plural head as a speaker yet
def test_office_holders_in_the_plural_speak_for_their_actor(extractors, which):
    got = _speakers(extractors[which], "EU commissioners said the plan would be ready in May.", "Plan due")
    assert got == {"EU commissioners": "EU"}
    got = _speakers(extractors[which], "Japanese farm groups said the quota was too high.", "Rice quota")
    assert "JPN" not in got.values()


@pytest.mark.parametrize("which", ["fast", "parsed"])
def test_two_countries_nearby_leave_an_office_holder_null(extractors, which):
    # Nothing says whose spokesman this is: three countries were just named. Null, never a guess.
    body = (
        "Ukraine asked Beijing on Monday to press Moscow for a ceasefire. Foreign ministry spokesman Li Wenhao "
        "said all sides should show restraint."
    )
    assert _speakers(extractors[which], body, "Ukraine seeks help")["Li Wenhao"] is None


@pytest.mark.parametrize("which", ["fast", "parsed"])
def test_a_headline_naming_two_countries_is_no_home(extractors, which):
    body = (
        "Coast guard ships used water cannon near the shoal on Sunday.\n"
        "A foreign ministry spokesman, Guo Ming, said the ships had acted lawfully."
    )
    assert _speakers(extractors[which], body, "China warns Manila over shoal").get("Guo Ming") is None


@pytest.mark.parametrize("which", ["fast", "parsed"])
def test_an_office_holder_speaks_for_the_one_story_country(extractors, which):
    body = (
        "Coast guard ships used water cannon near the shoal on Sunday.\n"
        "Foreign ministry spokesman Guo Ming said the ships had acted lawfully."
    )
    assert _speakers(extractors[which], body, "China defends coast guard").get("Guo Ming") == "CHN"


@pytest.mark.parametrize("which", ["fast", "parsed"])
def test_shared_office_says_nothing_when_another_holder_is_named(extractors, which):
    # India has a Foreign Secretary too: in a story about India the office alone is no evidence of Britain.
    body = "India and Nepal agreed to reopen the border crossing. The Foreign Secretary said trade would resume."
    assert _speakers(extractors[which], body, "India, Nepal reopen border").get("Foreign Secretary") != "GBR"


@pytest.mark.parametrize("which", ["fast", "parsed"])
def test_anonymous_officials_stay_anonymous(extractors, which):
    body = "Chinese ships fired water cannon on Sunday. Philippine officials said two crew members were hurt."
    got = _speakers(extractors[which], body, "China warns Manila")
    assert got.get("Philippine officials") is None  # anonymous sources carry no actor, never CHN


def _seconds(extractor, body: str) -> float:
    import time

    from tests.nlp.conftest import make_article

    article = make_article(body, headline="NATO ministers meet")
    best = float("inf")
    for _attempt in range(5):  # the best of five: the machine is shared
        started = time.perf_counter()
        extractor.extract(article)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("unit", ["NATO ", "to Russia ", "Home Secretary Jane Doe said "])
def test_actor_resolution_is_linear_in_text_length(extractors, unit):
    # One pass per text: 10 times the text may take about 10 times as long, never 100 times (a per-match
    # rescan took 20 s for 100 KB of "NATO "). Times under 5 ms are timer and scheduling noise.
    small = _seconds(extractors["fast"], unit * (10_000 // len(unit)))
    large = _seconds(extractors["fast"], unit * (100_000 // len(unit)))
    assert large < 40 * max(small, 0.02), (unit, small, large)  # linear 10×, quadratic 100×


@pytest.mark.parametrize("which", ["fast", "parsed"])
def test_a_long_coordinated_list_after_a_preposition_is_read(extractors, which):
    # Coordinated countries are followed back a few terms only: 5,000 of them once overflowed the stack.
    body = "Aid came from " + "Chad, " * 5000 + "and Peru.\nForeign Minister Jane Doe said the aid was welcome."
    assert _speakers(extractors[which], body, "Aid arrives") == {"Jane Doe": None}
