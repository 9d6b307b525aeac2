"""The knowledge base's names in other languages (lang/<code>/actors.names.json): every
name points at a known actor, no name of a language stands for two actors, and the people
and bodies of the news are found by those names. Every text here is written by us."""

from __future__ import annotations

import json

import pytest
import spacy

from storyline.extract.kb import _fold, load_kb
from storyline.extract.multilingual import find_entities
from storyline.lang import ROOT, get_pack

FILES = sorted(ROOT.glob("*/actors.names.json"))


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _names(path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def test_there_are_name_files_for_the_languages_of_the_packs() -> None:
    assert {p.parent.name for p in FILES} >= {"de", "es", "fr", "ja", "ko", "ru", "uk", "zh"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_every_key_is_an_actor_of_the_knowledge_base(kb, path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data.get("_doc"), str) and data["_doc"]
    unknown = [k for k in _names(path) if kb.get(k) is None]
    assert not unknown, unknown
    empty = [k for k, v in _names(path).items()
             if not v or not all(isinstance(n, str) and n.strip() == n and n for n in v)]
    assert not empty, empty


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_no_name_stands_for_two_actors_in_a_language(path) -> None:
    owner: dict[str, str] = {}
    clashes = []
    for key, names in _names(path).items():
        for name in names:
            folded = _fold(name)  # as KB.lookup(name, lang) reads it
            if owner.setdefault(folded, key) != key:
                clashes.append((name, owner[folded], key))
    assert not clashes, clashes


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_no_name_is_the_english_name_of_another_actor(kb, path) -> None:
    # the matcher reads the English names in every language: a name of the language that is
    # another actor's English name would take that name from it
    wrong = [(name, key, sorted({a.key for a, _ in kb.entries(name)}))
             for key, names in _names(path).items() for name in names
             if kb.entries(name) and key not in {a.key for a, _ in kb.entries(name)}]
    assert not wrong, wrong


def _found(kb, code: str, text: str) -> dict[str, list[str]]:
    doc = spacy.blank("xx")(text)
    return {e.key: [m.text for m in e.mentions]
            for e in find_entities(doc, get_pack(code), kb)}


@pytest.mark.parametrize("code, text, want", [
    ("ko", "신원식 국방장관과 조태용 국정원장은 합참의 보고를 받았다. 커비 조정관도 말했다.",
     {"person:shin-won-sik": ["신원식"], "person:cho-tae-yong": ["조태용"],
      "org:kor-nis": ["국정원"], "org:kor-jcs": ["합참"], "person:john-kirby": ["커비"]}),
    ("ko", "미 국무부와 통일부는 주한미군 문제를 논의했다.",
     {"org:us-department-of-state": ["미 국무부"], "org:kor-ministry-of-unification": ["통일부"],
      "org:us-forces-korea": ["주한미군"]}),
    ("ja", "韓国の国家情報院と合同参謀本部によると、米国務省も確認した。",
     {"org:kor-nis": ["国家情報院"], "org:kor-jcs": ["合同参謀本部"],
      "org:us-department-of-state": ["米国務省"]}),
    ("zh", "韩国国家情报院和五角大楼表示，王毅与李强会面。",
     {"org:kor-nis": ["韩国国家情报院"], "org:us-department-of-defense": ["五角大楼"],
      "person:wang-yi": ["王毅"], "person:li-qiang": ["李强"]}),
    ("ru", "Об этом сообщили в Пентагоне и в МИД России, а также Эммануэль Макрон.",
     {"org:us-department-of-defense": ["Пентагоне"], "org:rus-foreign-ministry": ["МИД России"],
      "person:emmanuel-macron": ["Эммануэль Макрон"]}),
    ("uk", "Про це заявили у Держдепартаменті США та Міноборони Росії.",
     {"org:us-department-of-state": ["Держдепартаменті США"],
      "org:rus-defense-ministry": ["Міноборони Росії"]}),
    ("fr", "Le Pentagone et la Maison Blanche ont répondu à Emmanuel Macron.",
     {"org:us-department-of-defense": ["Pentagone"], "org:us-white-house": ["Maison Blanche"]}),
    ("de", "Das US-Außenministerium und das Weiße Haus widersprachen Netanjahu.",
     {"org:us-department-of-state": ["US-Außenministerium"], "org:us-white-house": ["Weiße Haus"],
      "person:benjamin-netanyahu": ["Netanjahu"]}),
    ("es", "La Casa Blanca y el Pentágono respondieron a Zajárova.",
     {"org:us-white-house": ["Casa Blanca"], "org:us-department-of-defense": ["Pentágono"],
      "person:maria-zakharova": ["Zajárova"]}),
])
def test_people_and_bodies_are_found_by_their_names_in_the_language(kb, code, text, want):
    found = _found(kb, code, text)
    for key, mentions in want.items():
        assert found.get(key, [])[:len(mentions)] == mentions, (key, found)


@pytest.mark.parametrize("code, text, absent", [
    # a ministry named by a word every state's ministry goes by is no one state's
    ("zh", "国防部发言人表示，外交部也作出回应。", ["org:chn-defense-ministry",
                                          "org:chn-foreign-ministry"]),
    ("ko", "러시아 국방부와 국방부 대변인이 밝혔다.", ["org:kor-defense-ministry"]),
    ("ru", "В МИД и в Минобороны заявили об этом.", ["org:rus-foreign-ministry",
                                                "org:rus-defense-ministry"]),
    # a Korean family name and a common name are not the person
    ("ko", "박진감 넘치는 경기였다. 조현병 치료제도 나왔다.", ["person:park-jin",
                                                "person:cho-hyun"]),
])
def test_generic_and_ambiguous_words_name_no_one(kb, code, text, absent):
    found = _found(kb, code, text)
    assert not [k for k in absent if k in found], found
