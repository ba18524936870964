"""Region tagger: gazetteer data, case rules, disambiguation, salience, macro-regions."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedtool.tagging.base import RegionTag, TagText
from feedtool.tagging.gazetteer import CITY_FILE_SPLIT, MacroRegion, load_gazetteer
from feedtool.tagging.regions import ExtraPlace, RegionSettings, RegionTagger

SEED = Path(__file__).resolve().parent.parent / "seeds" / "iran-russia-security-council-talks.txt"


@pytest.fixture(scope="module")
def tagger() -> RegionTagger:
    return RegionTagger()


def tag(
    tagger: RegionTagger, body: str, title: str = "", dateline: str | None = None
) -> dict[str, RegionTag]:
    return {
        t.id: t for t in tagger.tag(TagText(title=title, dateline=dateline, lead="", body=body))
    }


def countries(tagger: RegionTagger, body: str, **kw: str) -> set[str]:
    return {k for k, t in tag(tagger, body, **kw).items() if t.type == "country"}


def seed_text() -> TagText:
    raw = SEED.read_text(encoding="utf-8").split("All Content by")[0]
    paras = [p.strip() for p in re.split(r"\s{2,}", raw) if p.strip()]
    lead = paras[0].split("–", 1)[1].strip()
    return TagText(
        title=lead.split(". ")[0], dateline="TEHRAN", lead=lead, body="\n\n".join(paras[1:])
    )


# ---------------------------------------------------------------- the seed


def test_seed_iran_and_russia_primary_armenia_mentioned(tagger: RegionTagger) -> None:
    tags = {t.id: t for t in tagger.tag(seed_text())}
    assert tags["IR"].primary and tags["RU"].primary
    assert "AM" in tags and not tags["AM"].primary
    assert "south-caucasus" in tags and tags["south-caucasus"].type == "region"
    assert {k for k, t in tags.items() if t.type == "country"} == {"IR", "RU", "AM"}
    assert tags["IR"].evidence[0].rule == "dateline"


def test_without_explain_the_tags_are_the_same_without_evidence(tagger: RegionTagger) -> None:
    texts = [
        seed_text(),
        TagText("Talks in Yerevan", None, "Armenia, Azerbaijan and Georgia met.", "In Baku."),
        TagText("Floods", "PARIS", "Rain hit Lyon, France, and Kent.", "Officials in Ohio said."),
    ]
    for text in texts:
        full = tagger.tag(text)
        bare = tagger.tag(text, explain=False)
        assert full and all(t.evidence for t in full)
        assert bare == tuple(dataclasses.replace(t, evidence=()) for t in full)


def test_tags_sorted_by_score_then_id(tagger: RegionTagger) -> None:
    tags = tagger.tag(seed_text())
    assert list(tags) == sorted(tags, key=lambda t: (-t.score, t.id))


# ---------------------------------------------------------------- data files


def test_gazetteer_has_every_iso_country_and_cities() -> None:
    gaz = load_gazetteer()
    assert len(gaz.countries) >= 249
    assert gaz.countries["TR"].label == "Turkey"
    assert gaz.countries["CI"].label == "Ivory Coast"
    assert len(gaz.states) == 51
    assert any(c.name == "Tehran" and c.capital for _, c in gaz.cities())


def test_gazetteer_cities_above_a_population_keep_file_order() -> None:
    gaz = load_gazetteer()
    every, big = gaz.cities(), gaz.cities(50_000)
    assert len(big) < len(every)
    assert all(c.population >= 50_000 for _, c in big)
    assert list(big) == [(n, c) for n, c in every if c.population >= 50_000]
    assert gaz.cities(50_000) is big  # parsed once
    # the two files (split at CITY_FILE_SPLIT) merge back into the generator's order
    assert (
        min(c.population for _, c in every) < CITY_FILE_SPLIT <= min(c.population for _, c in big)
    )
    keys = [(c.name, -c.population) for _, c in every]
    assert keys == sorted(keys)


def test_demonyms_file_covers_the_usual_names() -> None:
    gaz = load_gazetteer()
    by_form = {f: cc for cc, forms in gaz.demonyms.items() for f in forms}
    for form, cc in {
        "Iranian": "IR", "Iranians": "IR", "British": "GB", "Emirati": "AE", "Saudi": "SA",
        "Chinese": "CN", "Dutch": "NL", "Filipino": "PH", "Nigerien": "NE", "Nigerian": "NG",
    }.items():  # fmt: skip
        assert by_form[form] == cc
    assert set(gaz.demonyms) <= set(gaz.countries)


def test_macro_members_are_countries() -> None:
    gaz = load_gazetteer()
    for macro in gaz.macro_regions.values():
        assert set(macro.members) <= set(gaz.countries)


# ---------------------------------------------------------------- matching rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Officials discussed Tehran-Moscow relations.", {"IR", "RU"}),
        ("The Iran-Armenia border stays open.", {"IR", "AM"}),
        ("Russia’s council met.", {"RU"}),
        ("Oil flows through the Niger Delta.", {"NG"}),
        ("Saudi Arabia said so.", {"SA"}),
        ("Türkiye and Turkey are one country.", {"TR"}),
        ("Tehrān is big.", {"IR"}),
        ("The Islamic Republic of Iran said.", {"IR"}),
        ("Talks in Côte d'Ivoire and the Ivory Coast.", {"CI"}),
    ],
)
def test_boundaries_and_leftmost_longest(
    tagger: RegionTagger, text: str, expected: set[str]
) -> None:
    assert countries(tagger, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We ate turkey and it was nice.",
        "Reading the report, I felt we should chad the ballots.",
        "He told us the us in the talk.",
    ],
)
def test_case_rule_lower_case_is_not_a_place(tagger: RegionTagger, text: str) -> None:
    assert countries(tagger, text) == set()


def test_all_caps_dateline_is_a_place(tagger: RegionTagger) -> None:
    assert countries(tagger, "Talks went on.", dateline="TEHRAN") == {"IR"}
    assert countries(tagger, "Talks went on.", dateline="NICE") == {"FR"}


def test_acronyms_match_exactly(tagger: RegionTagger) -> None:
    assert countries(tagger, "The U.S. and the UAE and the UK met.") == {"US", "AE", "GB"}


# ---------------------------------------------------------------- disambiguation


def test_georgia_country_in_a_caucasus_story(tagger: RegionTagger) -> None:
    assert countries(tagger, "Georgia and Armenia signed a deal with Russia.") == {"GE", "AM", "RU"}


def test_georgia_us_state_with_us_places(tagger: RegionTagger) -> None:
    found = tag(
        tagger, "Voters in Georgia, Florida and Alabama went to the polls.", dateline="ATLANTA"
    )
    assert set(found) & {"GE", "US"} == {"US"}
    assert any("US state" in e.rule for e in found["US"].evidence)


def test_city_region_pairs_fix_each_other(tagger: RegionTagger) -> None:
    assert countries(tagger, "He lives in Atlanta, Georgia.") == {"US"}
    assert countries(tagger, "He lives in Tbilisi, Georgia.") == {"GE"}
    assert countries(tagger, "A fair in Paris, Texas.") == {"US"}
    found = tag(tagger, "Michael Jordan visited Amman, Jordan.")
    assert {k for k, t in found.items() if t.type == "country"} == {"JO"}
    assert any(e.rule.startswith("pair:") for e in found["JO"].evidence)


def test_jordan_the_person_is_not_the_country(tagger: RegionTagger) -> None:
    assert countries(tagger, "Jordan Henderson scored twice.") == set()
    assert countries(tagger, "Fans cheered for Michael Jordan on Sunday.") == set()
    assert countries(tagger, "Jordan said it would close the border.") == {"JO"}


def test_chad_the_person_and_the_country(tagger: RegionTagger) -> None:
    assert countries(tagger, "Chad Smith played drums.") == set()
    assert countries(tagger, "Troops left N'Djamena, Chad, on Monday.") == {"TD"}


def test_niger_and_nigeria(tagger: RegionTagger) -> None:
    found = countries(tagger, "Niger Delta militants; Nigerian forces; Niger's junta in Niamey.")
    assert found == {"NG", "NE"}


def test_washington_is_the_us(tagger: RegionTagger) -> None:
    assert countries(tagger, "Washington imposed sanctions.") == {"US"}
    assert countries(tagger, "Voters in Washington state and Oregon.") == {"US"}


def test_st_petersburg_follows_the_story(tagger: RegionTagger) -> None:
    assert countries(tagger, "Putin met Russian officials in St. Petersburg.") == {"RU"}
    found = countries(tagger, "Storms hit St. Petersburg and Tampa in Florida.")
    assert found == {"US"}


def test_vladimir_putin_is_a_person_and_surnames_are_not_places(tagger: RegionTagger) -> None:
    assert countries(tagger, "Russian President Vladimir Putin spoke.") == {"RU"}
    assert countries(tagger, "Ambassador Kazem Jalali met Alexander Venediktov.") == set()


def test_small_city_needs_its_country_elsewhere(tagger: RegionTagger) -> None:
    assert countries(tagger, "The mayor of Abadan spoke.") == set()
    assert countries(tagger, "The mayor of Abadan spoke about Iran.") == {"IR"}


def test_organisation_names_that_name_a_place(tagger: RegionTagger) -> None:
    assert countries(tagger, "The United States Geological Survey reported a quake.") == {"US"}
    assert countries(tagger, "A study by the University of Copenhagen.") == {"DK"}
    assert countries(tagger, "Cyclones over the Indian Ocean.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "A missile fell into the Sea of Japan.",
        "Ships patrol the South China Sea.",
        "An oil spill in the Gulf of Mexico.",
        "Pirates attacked a tanker in the Gulf of Aden.",
        "Cases of German measles and of Spanish flu.",
        "A Mexican wave went round the stadium.",
    ],
)
def test_seas_and_set_phrases_named_after_a_country_are_not_places(
    tagger: RegionTagger, text: str
) -> None:
    assert {t.id for t in tagger.tag(TagText("", None, "", text))} == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Accra Comprehensive Peace Agreement ended the war in Liberia.", {"LR"}),
        ("Russia backs the Astana peace process.", {"RU"}),
        ("The Minsk agreements were never carried out.", set()),
        ("Leaders met in Minsk.", {"BY"}),
        ("Under the Kyoto Protocol, emissions were to fall.", set()),
    ],
)
def test_a_city_naming_an_agreement_or_process_is_not_where_it_happens(
    tagger: RegionTagger, text: str, expected: set[str]
) -> None:
    assert countries(tagger, text) == expected


def test_language_editions_are_languages(tagger: RegionTagger) -> None:
    text = "The German Wikinews has 6,383 articles and the Polish Wikinews 5,211."
    assert countries(tagger, text) == set()
    assert countries(tagger, "German troops and Polish farmers.") == {"DE", "PL"}


def test_new_england_is_in_the_united_states(tagger: RegionTagger) -> None:
    assert countries(tagger, "Snow fell across New England.") == {"US"}
    assert countries(tagger, "The Bosnian Serb leader spoke.") == {"BA"}
    assert countries(tagger, "Lake Urmia lies between East and West Azerbaijan.") <= {"IR"}
    assert countries(tagger, "Tabriz is the capital of East Azerbaijan province.") == {"IR"}


# ---------------------------------------------------------------- salience


def test_passing_mention_is_tagged_but_not_listed(tagger: RegionTagger) -> None:
    body = (
        "Iran and Iraq signed a deal. Iran will build a pipeline to Iraq. Iranian and Iraqi "
        "officials met in Baghdad. The U.S. was not consulted."
    )
    found = tag(tagger, body, title="Iran and Iraq sign pipeline deal")
    assert found["IR"].primary and found["IQ"].primary
    assert not found["US"].primary and not found["US"].listed


def test_primary_is_at_most_three(tagger: RegionTagger) -> None:
    body = "France, Germany, Italy, Spain and Poland met. " * 3
    found = tag(tagger, body)
    assert sum(t.primary for t in found.values() if t.type == "country") <= 3


# ---------------------------------------------------------------- macro-regions


def test_macro_region_named(tagger: RegionTagger) -> None:
    found = tag(tagger, "Elections in Central Asia. Unrest in the Sahel.")
    assert {"central-asia", "sahel"} <= set(found)


def test_macro_region_inferred_from_members(tagger: RegionTagger) -> None:
    found = tag(
        tagger, "Armenia and Azerbaijan signed a deal.", title="Armenia and Azerbaijan sign"
    )
    assert found["south-caucasus"].listed
    assert any(e.rule.startswith("members listed") for e in found["south-caucasus"].evidence)


def test_macro_region_without_feed(tagger: RegionTagger) -> None:
    found = tag(tagger, "Western countries imposed sanctions.")
    assert "the-west" in found
    assert tagger.terms()["the-west"].feed is False


# ---------------------------------------------------------------- terms, resolve, settings


def test_terms_and_resolve(tagger: RegionTagger) -> None:
    terms = tagger.terms()
    assert terms["IR"].label == "Iran" and terms["RU"].label == "Russia"
    assert terms["south-caucasus"].members == ("AM", "AZ", "GE")
    for value in ("AM", "am", "Armenia", "south-caucasus", "South Caucasus"):
        assert tagger.resolve(value) in {"AM", "south-caucasus"}
    assert tagger.resolve("Armenia") == "AM"
    assert tagger.resolve("South Caucasus") == "south-caucasus"
    assert tagger.resolve("Atlantis") is None


def test_settings_are_hashable_and_configurable() -> None:
    s = RegionSettings(
        aliases={"IR": ("Eran",)},
        stopwords=("Armenia",),
        places={"Hormozgan": ExtraPlace(country="IR")},
        macro_regions={
            "caspian": MacroRegion(
                label="Caspian", members=("AZ", "IR", "KZ", "RU", "TM"), aliases=("Caspian",)
            )
        },
    )
    assert hash(s) == hash(RegionSettings(**{f: getattr(s, f) for f in s.__dataclass_fields__}))
    t = RegionTagger(s)
    found = {
        x.id for x in t.tag(TagText("", None, "", "Eran, Armenia and Hormozgan by the Caspian."))
    }
    assert found >= {"IR", "caspian"} and "AM" not in found
    with pytest.raises(ValueError, match="XX"):
        RegionTagger(RegionSettings(aliases={"XX": ("Nowhere",)}))


# ---------------------------------------------------------------- determinism

_SHARED = RegionTagger()
_SECOND = RegionTagger()
WORDS = ["Iran", "Russia", "Georgia", "Atlanta", "Jordan", "Chad", "the", "talks", "in",
         "Paris", "Texas", "Michael", "Niger", "Delta", ",", "Moscow", "Tehran", "EU"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=25), min_size=1, max_size=5))
def test_tagging_is_deterministic_and_order_independent(docs: list[list[str]]) -> None:
    t = _SHARED
    texts = [TagText("", None, "", " ".join(words)) for words in docs]
    first = [t.tag(x) for x in texts]
    second = [t.tag(x) for x in reversed(texts)][::-1]
    assert first == second
    assert first == [_SECOND.tag(x) for x in texts]


def test_memoised_spellings_still_follow_their_context(tagger: RegionTagger) -> None:
    """Facts are remembered per spelling; the guards still look at each mention's words."""
    person = TagText("", None, "Michael Jordan played in Chicago.", "")
    country = TagText("", None, "The king of Jordan met ministers in Amman.", "")
    first = tagger.tag(person)
    assert "JO" not in {t.id for t in first}
    assert "JO" in {t.id for t in tagger.tag(country)}
    assert tagger.tag(person) == first
    assert tagger.tag(country) == RegionTagger().tag(country)


# ---------------------------------------------------------------- primary countries

FILLER = "The statement gave no further details and officials declined to comment. "


def primary(tagger: RegionTagger, **parts: str) -> set[str]:
    """The primary countries of an article made of ``parts`` (title, dateline, lead, body)."""
    text = TagText(
        title=parts.get("title", ""),
        dateline=parts.get("dateline"),
        lead=parts.get("lead", ""),
        body=parts.get("body", ""),
    )
    return {t.id for t in tagger.tag(text) if t.type == "country" and t.primary}


def test_dateline_country_named_in_the_text_is_primary(tagger: RegionTagger) -> None:
    lead = "Russia fired missiles overnight, Russia's defence ministry said. Russia said more."
    body = (
        "Russian officials said Russia hit targets. Russia and Russia's allies agreed. "
        "Russia said it would go on. Ukraine's air force said so."
    )
    assert primary(tagger, lead=lead, body=body) == {"RU"}  # Ukraine: one body mention
    assert primary(tagger, dateline="KYIV", lead=lead, body=body) == {"RU", "UA"}


def test_dateline_only_country_is_not_primary_when_the_lead_names_another(
    tagger: RegionTagger,
) -> None:
    lead = "Pilgrims are walking to the shrine in Iraq's Karbala."
    assert primary(tagger, dateline="TEHRAN", lead=lead) == {"IQ"}
    tags = {t.id for t in tagger.tag(TagText("", "TEHRAN", lead, ""))}
    assert "IR" in tags  # still a country of the story, just not its subject
    assert primary(tagger, dateline="TEHRAN", lead="Pilgrims are walking to the shrine.") == {"IR"}


def test_title_country_is_primary(tagger: RegionTagger) -> None:
    lead = "Argentina's president said Argentina would sign. Argentine officials agreed."
    body = "Argentina and Argentina's neighbours met in Buenos Aires. " * 2
    assert primary(tagger, lead=lead, body=body) == {"AR"}
    assert primary(tagger, title="Talks with Chile resume", lead=lead, body=body) == {"AR", "CL"}


def test_country_named_once_late_in_the_body_is_not_primary(tagger: RegionTagger) -> None:
    lead = "People live longer than they did, but not always in better health, a study found."
    late = FILLER * 6 + "The study was led by a team in North Carolina."
    early = "The study was led by a team in North Carolina. " + FILLER * 6
    assert primary(tagger, lead=lead, body=late) == set()
    assert "US" in countries(tagger, late)  # named all the same
    assert primary(tagger, lead=lead, body=early) == {"US"}
    often = late + " North Carolina's team and a North Carolina hospital took part."
    assert primary(tagger, lead=lead, body=often) == {"US"}  # named three times: a subject


def test_demonyms_count_less_for_being_the_subject(tagger: RegionTagger) -> None:
    title = "Gabon mourns its president"
    lead = "French officials and French diplomats joined Gabon's mourners, French media said."
    body = (
        "Gabon declared a month of mourning. "
        + FILLER
        + "French troops stayed in Gabon. French aid and French schools closed."
    )
    assert primary(tagger, title=title, lead=lead, body=body) == {"GA"}
    named = lead.replace("French officials", "France").replace("French media", "France")
    assert primary(tagger, title=title, lead=named, body=body) == {"FR", "GA"}


def test_countries_listed_once_each_are_a_round_up(tagger: RegionTagger) -> None:
    roundup = "Teachers went on strike in Bahrain, Chile, Greece and Peru this month."
    assert primary(tagger, lead=roundup) == set()
    three = "Teachers in Chile, Greece and Peru went on strike."
    assert primary(tagger, lead=three) == {"CL", "GR", "PE"}


def test_many_countries_named_only_below_the_lead_are_a_round_up(tagger: RegionTagger) -> None:
    title, lead = "Forests are shrinking", "A new report says the world is losing its forests."
    body = (
        "Russia has the most forest, and Russia's forests burn. "
        "Brazil, Indonesia and Canada lost forest too."
    )
    assert primary(tagger, title=title, lead=lead, body=body) == set()
    assert {"BR", "CA", "ID", "RU"} <= countries(tagger, body)
    off = RegionTagger(RegionSettings(roundup_min_countries=99))
    assert primary(off, title=title, lead=lead, body=body) == {"RU"}
    # The same story about one country (most of the scores) has its subject.
    one = body.replace("Brazil, Indonesia and Canada lost", "Brazil lost")
    assert primary(tagger, title=title, lead=lead, body=one) == {"RU"}
    # ...and so does a story naming its main country in the first paragraph.
    assert "RU" in primary(tagger, title=title, lead=lead + " Russia leads.", body=body)


def test_where_an_event_took_place_is_not_what_the_story_is_about(
    tagger: RegionTagger,
) -> None:
    title = "Iranian fighters defend their world title"
    lead = (
        "Iranian athletes won eight gold medals at the world championships, which ended "
        "in Shanghai, China on Wednesday. Iran's sports minister praised the team."
    )
    assert primary(tagger, title=title, lead=lead) == {"IR"}
    assert "CN" in countries(tagger, lead)  # named all the same
    # A country named in its own right, not only as the venue, can still be a subject.
    named = lead + " China's team came second; Chinese officials congratulated Iran."
    assert "CN" in primary(tagger, title=title, lead=named)
    # The venue is the subject when nothing outweighs it.
    protest = "Thousands protested in Moscow on Sunday; police in Moscow detained 300."
    assert primary(tagger, title="Protests in Moscow", lead=protest) == {"RU"}


def test_abbreviated_dr_congo_is_one_country(tagger: RegionTagger) -> None:
    assert countries(tagger, "Dem. Republic of Congo prepares to confront Rwanda") == {
        "CD",
        "RW",
    }


def test_a_sentence_end_before_a_place_is_not_a_name(tagger: RegionTagger) -> None:
    text = "The team met in North Carolina. North Carolina's governor spoke."
    (us,) = (t for t in tagger.tag(TagText("", None, "", text)) if t.id == "US")
    assert len(us.evidence) == 2
    assert "JO" not in countries(tagger, "The talks ended. Gen. Jordan spoke to reporters.")
    assert "JO" not in countries(tagger, "The talks ended. Michael B. Jordan spoke.")


def test_currency_signs_are_not_places(tagger: RegionTagger) -> None:
    assert countries(tagger, "The prize is worth US$1.4 million (HK$11 million).") == set()
    assert countries(tagger, "The US paid $1.4 million to Hong Kong.") == {"HK", "US"}


# ---------------------------------------------------------------- language names


@pytest.mark.parametrize(
    "text",
    [
        "The browser is available in Czech, Finnish, French, German, Greek, Hungarian, "
        "Italian, Japanese and Korean.",
        "Pupils at the school learn Mandarin, German and Spanish.",
        "The speech was translated into French by the ministry.",
        "She speaks fluent Russian and Polish.",
        "He grew up reading a Spanish-language newspaper.",
        "The English-language and Persian-language services were cut.",
        "The Azeri-speaking provinces welcome travellers.",
        "Russian speakers make up a third of the audience.",
        "The film was dubbed in Turkish, subtitled in Greek.",
        "Interviews were held in Russian, Ukrainian and English.",
        "She took French lessons and Italian classes.",
        "Czech, Slovak, Polish and Hungarian are all taught there.",
    ],
)
def test_language_names_are_not_countries(tagger: RegionTagger, text: str) -> None:
    assert countries(tagger, text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("French officials met Spanish police at the Russian ministry.", {"FR", "ES", "RU"}),
        ("The tanks are German-made.", {"DE"}),
        ("He was held in Russian custody for a week.", {"RU"}),
        ("She spoke to Russian officials.", {"RU"}),
        ("French, German and Italian troops crossed.", {"FR", "DE", "IT"}),
        ("He spoke in French and Germany objected.", {"DE", "FR"}),
        ("Persian leopards roam the hills.", {"IR"}),
        ("Japanese teachers went on strike.", {"JP"}),
    ],
)
def test_demonyms_outside_a_language_context_still_count(
    tagger: RegionTagger, text: str, expected: set[str]
) -> None:
    assert countries(tagger, text) == expected


def test_a_country_named_elsewhere_counts_by_those_mentions(tagger: RegionTagger) -> None:
    text = "The speech in Paris was translated into French, German and Spanish for Spain."
    tags = tag(tagger, text)
    assert countries(tagger, text) == {"FR", "ES"}
    assert [e.text for e in tags["FR"].evidence] == ["Paris"]
    assert [e.text for e in tags["ES"].evidence] == ["Spain"]


# ---------------------------------------------------------------- origins and namesakes


def test_hyphenated_origins_are_not_countries(tagger: RegionTagger) -> None:
    assert countries(tagger, "The Indian-American community in New Jersey voted.") == {"US"}
    assert countries(tagger, "An Iranian-Canadian author spoke in Toronto.") == {"CA"}
    assert countries(tagger, "Many Chinese-Americans live in California.") == {"US"}
    # relations between two countries name both
    assert countries(tagger, "Indian-American relations improved this year.") == {"IN", "US"}
    assert countries(tagger, "Iranian-Russian talks opened in Moscow.") == {"IR", "RU"}


def test_a_facility_named_after_a_person_is_not_a_foreign_city(tagger: RegionTagger) -> None:
    nasa = "NASA launched the probe from the Kennedy Space Center in Florida."
    assert countries(tagger, nasa) == {"US"}
    # the city's country named elsewhere, or no other country named: the city counts
    assert "CO" in countries(tagger, "The Kennedy Library in Bogota, Colombia reopened.")
    assert countries(tagger, "The launch at the Kennedy Space Center was delayed.") == {"CO"}
    # capitals, and facilities that name their city, are places
    tehran = "The Tehran Stadium hosted Syria's team."
    assert countries(tagger, tehran) == {"IR", "SY"}
    airport = "Flights from Manchester Airport to Tehran resumed."
    assert countries(tagger, airport) == {"GB", "IR"}
