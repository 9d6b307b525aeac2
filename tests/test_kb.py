"""The knowledge base of actors: shipped data, lookups, dated roles, user extensions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import MalformedInput
from storyline.extract.kb import load_kb, role_category


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_every_country_is_there_with_unique_codes(kb):
    countries = [a for a in kb.actors.values() if a.key.startswith("country:")]
    assert len(countries) >= 195
    iso3 = [a.key[8:] for a in countries]
    iso2 = [a.iso2 for a in countries]
    assert len(set(iso3)) == len(iso3) and len(set(iso2)) == len(iso2)
    for code in ("TWN", "PSE", "XKX", "PRK", "KOR", "USA", "RUS", "CHN", "UKR"):
        assert f"country:{code}" in kb
    assert all(a.type == "GPE" and a.code == a.key[8:] for a in countries)


@pytest.mark.parametrize("form, key", [
    ("North Korean", "country:PRK"), ("South Korean", "country:KOR"), ("American", "country:USA"),
    ("Chinese", "country:CHN"), ("Russians", "country:RUS"), ("Pyongyang", "country:PRK"),
    ("the Kremlin", "country:RUS"), ("Kyiv", "country:UKR"), ("DPRK", "country:PRK"),
    ("ROK", "country:KOR"), ("PRC", "country:CHN"), ("U.S.", "country:USA"), ("UK", "country:GBR"),
    ("Republic of Korea", "country:KOR"), ("Democratic People's Republic of Korea", "country:PRK"),
])
def test_country_forms(kb, form, key):
    assert kb.lookup(form)[0].key == key


def test_abbreviations_are_case_sensitive(kb):
    assert kb.lookup("US")[0].key == "country:USA"
    assert kb.lookup("us") == []
    assert kb.lookup("un") == []
    assert kb.lookup("UN")[0].key == "org:united-nations"


def test_white_house_is_an_organisation_not_the_country(kb):
    (actor,) = kb.lookup("White House")
    assert actor.type == "ORG" and actor.country == "USA" and actor.code == "USAGOV"


@pytest.mark.parametrize("form, key, code", [
    ("NIS", "org:kor-nis", "KORINT"),
    ("State Department", "org:us-department-of-state", "USAGOV"),
    ("Pentagon", "org:us-department-of-defense", "USAMIL"),
    ("U.N. Security Council", "org:un-security-council", None),
    ("Group of Seven", "org:g7", None),
    ("APEC", "org:apec", None),
    ("KCNA", "org:kcna", "PRKMED"),
])
def test_bodies_and_agencies(kb, form, key, code):
    actor = kb.lookup(form)[0]
    assert actor.key == key
    if code:
        assert actor.code == code
    else:
        assert actor.sector == "IGO"


def test_dated_roles_give_the_office_holder_of_the_day(kb):
    assert [a.key for a in kb.holders("foreign_minister", "KOR", "2023-11-09")] == \
        ["person:park-jin"]
    assert [a.key for a in kb.holders("foreign_minister", "KOR", "2024-06-01")] == \
        ["person:cho-tae-yul"]
    assert [a.key for a in kb.holders("defense_minister", "USA", "2022-03-01")] == \
        ["person:lloyd-austin"]
    assert [a.key for a in kb.holders("leader", "PRK", "2024-01-01")] == ["person:kim-jong-un"]
    # No date, no holder: never a guess.
    assert kb.holders("foreign_minister", "KOR", None) == []
    blinken = kb.get("person:antony-blinken")
    assert blinken.role_at("2023-11-09").title == "Secretary of State"
    assert blinken.role_at("2025-06-01") is None
    assert blinken.role_at(None) is None


def test_surnames_put_korean_family_names_first(kb):
    kims = {a.key for a in kb.by_surname("Kim")}
    assert {"person:kim-jong-un", "person:kim-yong-hyun"} <= kims
    assert [a.key for a in kb.by_surname("Blinken")] == ["person:antony-blinken"]


@pytest.mark.parametrize("title, category", [
    ("Secretary of State", "foreign_minister"), ("Foreign Minister", "foreign_minister"),
    ("Minister of Foreign Affairs", "foreign_minister"), ("foreign secretary", "foreign_minister"),
    ("Secretary of Defense", "defense_minister"), ("Defence Minister", "defense_minister"),
    ("Minister of National Defense", "defense_minister"), ("Prime Minister", "head_of_government"),
    ("President", "head_of_state"), ("Supreme Leader", "leader"),
    ("National Security Adviser", "national_security_adviser"),
    ("State Department spokesperson", "spokesperson"),
    ("Deputy Secretary of State", None), ("former Foreign Minister", None), ("Minister", None),
])
def test_role_category(title, category):
    assert role_category(title) == category


def test_generic_bodies_take_the_country_or_its_own_name(kb):
    g = kb.generic_org("foreign ministry")
    kor = kb.generic_actor(g, "KOR")
    assert (kor.key, kor.name, kor.code) == ("org:kor-foreign-ministry",
                                             "Ministry of Foreign Affairs (South Korea)", "KORGOV")
    assert kb.generic_actor(g, "USA").key == "org:us-department-of-state"
    assert kb.get("org:jpn-defense-ministry").name == "Ministry of Defense (Japan)"
    assert kb.generic_actor(g, None).key == "org:ministry-of-foreign-affairs"


def test_a_known_only_body_exists_only_where_the_kb_names_it(kb):
    g = kb.generic_org("intelligence service")
    assert g.known_only and kb.generic_org("spy agency") is g
    assert kb.generic_actor(g, "KOR").key == "org:kor-nis"
    treasury = kb.generic_org("Treasury")
    assert kb.generic_actor(treasury, "GBR").name == "HM Treasury"
    assert kb.generic_actor(treasury, "USA").key == "org:us-department-of-the-treasury"


@pytest.mark.parametrize("form, key", [("S Korea", "country:KOR"), ("N Korea", "country:PRK")])
def test_short_korea_forms_without_a_full_stop(kb, form, key):
    assert [a.key for a in kb.lookup(form)] == [key]


def test_load_kb_is_cached():
    assert load_kb() is load_kb()


def _write(path: Path, data: dict) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_extra_files_add_actors_and_merge_aliases(tmp_path):
    extra = _write(tmp_path / "mine.json", {
        "actors": [
            {"key": "org:harbour-watch", "name": "Harbour Watch Collective", "type": "ORG",
             "aliases": ["Harbour Watch"], "abbrevs": ["HWC"], "country": "NOR", "sector": "NGO"},
            {"key": "person:antony-blinken", "aliases": ["A. Blinken"]},
        ],
        "countries": [{"iso3": "PRK", "aliases": ["the Hermit Kingdom"]}],
    })
    kb = load_kb([extra])
    actor = kb.lookup("HWC")[0]
    assert (actor.key, actor.code) == ("org:harbour-watch", "NORNGO")
    assert kb.lookup("the Hermit Kingdom")[0].key == "country:PRK"
    assert kb.lookup("DPRK")[0].key == "country:PRK"  # merged, not replaced
    blinken = kb.get("person:antony-blinken")
    assert "A. Blinken" in blinken.aliases and blinken.roles  # roles kept
    assert "org:harbour-watch" not in load_kb()  # the default is untouched


def test_environment_variable_adds_files(tmp_path, monkeypatch):
    a = _write(tmp_path / "a.json", {"actors": [{"key": "org:alpha-lab", "name": "Alpha Lab",
                                                 "type": "ORG"}]})
    b = _write(tmp_path / "b.json", {"actors": [{"key": "org:alpha-lab", "name": "Alpha Laboratory",
                                                 "aliases": ["Alpha Lab"]}]})
    monkeypatch.setenv("STORYLINE_KB", f"{a}:{b}")
    kb = load_kb()
    assert kb.get("org:alpha-lab").name == "Alpha Laboratory"  # later files win
    assert kb.lookup("Alpha Lab")[0].key == "org:alpha-lab"


def test_bad_files_raise_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(MalformedInput) as err:
        load_kb([str(bad)])
    assert "bad.json" in str(err.value)
    no_name = _write(tmp_path / "noname.json", {"actors": [{"key": "org:nameless"}]})
    with pytest.raises(MalformedInput):
        load_kb([no_name])
    with pytest.raises(MalformedInput):
        load_kb([str(tmp_path / "missing.json")])


# ---- the generated layer (Phoenix dictionaries), names by language, places ------------------

def test_generated_lexicon_carries_its_source_and_licence():
    from storyline.lang import ROOT

    raw = json.loads((ROOT / "en" / "actors.phoenix.json").read_text(encoding="utf-8"))
    assert raw["_generated_by"].startswith("scripts/gen_actors.py")
    assert "MIT" in raw["_license"] and "Open Event Data Alliance" in raw["_license"]
    assert len(raw["actors"]) > 10_000 and len(raw["countries"]) > 150
    agents = json.loads((ROOT / "en" / "agents.phoenix.json").read_text(encoding="utf-8"))
    assert agents["words"]["president"] == "GOV" and agents["words"]["senator"] == "LEG"
    notice = (Path(__file__).resolve().parents[1] / "NOTICE").read_text(encoding="utf-8")
    assert "actors.phoenix.json" in notice and "Copyright (c) 2014 Open Event Data Alliance" in notice


def test_a_leader_known_only_to_the_dictionaries_resolves_with_dated_roles(kb):
    kerry = kb.lookup("John Kerry")
    assert [a.key for a in kerry] == ["person:john-kerry"]
    assert kerry[0].code.startswith("USA") and kerry[0].country == "USA"
    assert [a.key for a in kb.holders("foreign_minister", "USA", "2013-06-01")] == \
        ["person:john-kerry"]
    # an open end is known only up to the dictionary's date: no guess in 2023
    assert kb.holders("foreign_minister", "USA", "2023-06-01") == [kb.get("person:antony-blinken")]
    assert kb.get("person:john-kerry").role_at("2023-06-01") is None


def test_the_projects_own_entry_wins_and_gains_the_dictionarys_spellings(kb):
    putin = kb.lookup("Vladimir Vladimirovich Putin")
    assert [a.key for a in putin] == ["person:vladimir-putin"]
    assert putin[0].role_at("2023-09-13").title == "President"  # the project's roles
    assert kb.lookup("Russland")[0].key == "country:RUS"  # a spelling of the dictionaries


@pytest.mark.parametrize("form", ["Ban Ki-moon", "BAN KI MOON", "Ban Ki Moon", "ban ki-moon"])
def test_compound_names_fold_case_and_hyphens(kb, form):
    assert [a.key for a in kb.lookup(form)] == ["person:ban-ki-moon"]


def test_bodies_and_armed_groups_from_the_dictionaries(kb):
    hamas = kb.lookup("Hamas")[0]
    assert hamas.key == "org:hamas"  # the project's entry wins over the dictionary's
    [body] = kb.weak_lookup("Abu Nidal Organization")
    assert body.type == "ORG" and body.code.startswith("IMG")


@pytest.mark.parametrize("lang, name, key", [
    ("ru", "Путин", "person:vladimir-putin"), ("ko", "푸틴", "person:vladimir-putin"),
    ("zh", "普京", "person:vladimir-putin"), ("fr", "Poutine", "person:vladimir-putin"),
    ("ru", "Пхеньян", "country:PRK"), ("ko", "북한", "country:PRK"), ("zh", "朝鲜", "country:PRK"),
    ("de", "Nordkorea", "country:PRK"), ("fr", "Corée du Nord", "country:PRK"),
    ("ja", "北朝鮮", "country:PRK"), ("fr", "Moscou", "country:RUS"), ("fr", "Séoul", "country:KOR"),
    ("fr", "seoul", "country:KOR"), ("es", "Corea del Norte", "country:PRK"),
    ("uk", "Росія", "country:RUS"), ("ru", "Совбез ООН", "org:un-security-council"),
    ("ko", "조선중앙통신", "org:kcna"), ("ja", "ボストーチヌイ宇宙基地", "fac:vostochny-cosmodrome"),
])
def test_names_in_other_languages_and_scripts(kb, lang, name, key):
    assert kb.lookup(name, lang)[0].key == key
    assert not kb.entries(name)  # not an English name: found through its language


G20 = ["ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR",
       "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"]


@pytest.mark.parametrize("lang", ["fr", "ru", "ko", "ja", "zh", "de", "es"])
def test_every_language_names_the_g20_and_the_un(kb, lang):
    names = kb.names_in(lang)
    missing = [c for c in G20 if f"country:{c}" not in names]
    assert not missing, missing
    assert names["org:united-nations"] and names["org:un-security-council"]
    assert names["person:vladimir-putin"] and names["person:kim-jong-un"]


def test_every_name_file_points_at_known_actors(kb):
    from storyline.lang import ROOT

    for path in ROOT.glob("*/actors.names.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        unknown = [k for k in data if not k.startswith("_") and kb.get(k) is None]
        assert not unknown, (path.parent.name, unknown)


@pytest.mark.parametrize("outer, inner", [
    ("South Korea", "Seoul"), ("North Korea", "Pyongyang"), ("Russia", "Vladivostok"),
    ("Russian Far East", "Vladivostok"), ("Russia", "Vostochny Cosmodrome"),
    ("Amur Oblast", "Vostochny Cosmodrome"), ("country:RUS", "gpe:amur-oblast"),
    ("Russia", "Omsk"), ("Russia", "Russia"), ("Ukraine", "Bakhmut"),
])
def test_places_contain_the_places_in_them(kb, outer, inner):
    assert kb.contains(outer, inner)


@pytest.mark.parametrize("outer, inner", [
    ("Vladivostok", "Russia"), ("Russia", "Seoul"), ("South Korea", "Pyongyang"),
    ("Amur Oblast", "Vladivostok"), ("Atlantis", "Seoul"), ("Russia", "Atlantis"),
])
def test_places_do_not_contain_what_is_elsewhere_or_unknown(kb, outer, inner):
    assert not kb.contains(outer, inner)


def test_containment_is_no_disagreement_on_where():
    from storyline.link.contradictions import disagreements

    def where(*places):
        return [{"where": p, "doc_id": f"d{i}", "source": None, "outlet": None}
                for i, p in enumerate(places)]
    assert disagreements(None, where("Seoul", "South Korea")) == []
    assert disagreements(None, where("Vladivostok", "the Russian Far East", "Russia")) == []
    [row] = disagreements(None, where("Seoul", "Pyongyang"))
    assert row["field"] == "where"


def test_the_generated_layer_is_read_only_when_asked_for():
    from importlib import resources

    from storyline.extract import kb as kbmod

    base = resources.files("storyline") / "data"
    fresh = kbmod._load_files([(base / "countries.json", "countries.json"),
                               (base / "actors.json", "actors.json")], layered=True)
    assert fresh._weak is None and "person:john-kerry" not in fresh.actors
    assert fresh.lookup("Vladimir Putin")[0].key == "person:vladimir-putin"
    assert fresh._weak is None  # a name the project knows never reads the generated layer
    assert fresh.get("person:john-kerry").name == "John Kerry"
    assert fresh._weak  # read now, once


@pytest.mark.parametrize("phrase, sector", [
    ("troops", "MIL"), ("foreign minister", "GOV"), ("Senator", "LEG"), ("rebels", "REB"),
    ("police", "COP"), ("banana", None),
])
def test_agent_words_give_sectors(phrase, sector):
    from storyline.extract.kb import agent_sector

    assert agent_sector(phrase) == sector


def test_full_stops_do_not_part_a_name(kb):
    assert [a.key for a in kb.lookup("George W Bush")] == [a.key for a in kb.lookup("George W. Bush")]
    assert kb.lookup("George W Bush")[0].country == "USA"


def test_a_name_with_the_article_is_found_without_it(kb):
    """Text names "The Guardian" as "the Guardian's photographer" (the parser leaves the
    article out of the name): one actor, not two keys for one newspaper."""
    with_article = [a.key for a in kb.lookup("The Guardian")]
    assert with_article and [a.key for a in kb.lookup("Guardian")] == with_article[:1]
    assert [a.key for a in kb.lookup("Hague")] == [a.key for a in kb.lookup("The Hague")][:1]


def test_a_name_as_written_wins_over_an_article_dropped(kb):
    """A dictionary entry named "Security Council" keeps that form; another entry's "The
    Security Council" does not take it over by dropping its article."""
    assert [a.key for a in kb.lookup("Security Council")] == ["org:un-security-council"]


def test_a_context_alias_keeps_its_article(kb):
    """"the South" names South Korea only where the text is about Korea (a context alias);
    "South" alone (of "South Africa", a wind, a region) never becomes a country by the
    article being dropped."""
    assert "country:KOR" not in [a.key for a in kb.lookup("South")]


def test_the_panel_of_experts_needs_north_korea_in_the_document():
    from storyline.extract.kb import load_kb

    kb = load_kb()
    hits = kb.entries("panel of experts")
    assert any(a.key == "org:un-panel-of-experts" and kind == "context" for a, kind in hits)
