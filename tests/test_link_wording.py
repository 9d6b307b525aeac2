"""A statement's words read in its document's language (link/wording.py).

Every sentence here is invented for these tests.
"""

from __future__ import annotations

import pytest
from link_support import add_article, cluster_of

from storyline.link import HashEmbedder, update_links
from storyline.link.contradictions import _words as denial_words
from storyline.link.events import said_text, said_words, same_words
from storyline.store import Store


@pytest.fixture()
def store(db_path):
    with Store.open(db_path) as s:
        yield s


def link(store: Store, ids: list[str]):
    return update_links(store, ids, embedder=HashEmbedder())


# --- words ---------------------------------------------------------------------------------

def test_english_words_leave_out_stop_words_names_and_reporting_verbs():
    said = "Seoul had warned Pyongyang it would not let them fly drones over the harbour"
    assert said_words(said, "en") == {"let", "fly", "drone", "harbour"}
    # forms the suffix rules do not reach come from the pack (cue_forms: said, told)
    assert said_words("officials said and told the crowd of the warnings", "en") == {
        "official", "crowd"}
    # the act itself is what is said: a demand stays
    assert "demand" in said_words("an EU demand to recognise the ferry port", "en")


def test_russian_words_are_read_in_russian():
    said = "Сеул предупредил Пхеньян, что не допустит запуска спутника, сообщил министр"
    words = said_words(said, "ru")
    assert {"допустит", "запуска", "спутника", "министр"} <= words
    assert "сообщил" not in words  # a reporting verb (speech_verbs.json)
    assert "что" not in words and "не" not in words  # stop words
    assert "сеул" not in words and "пхеньян" not in words  # names


def test_german_nouns_count_but_names_do_not():
    words = said_words("Südkorea warnte Nordkorea vor dem Start einer Trägerrakete", "de")
    assert {"start", "trägerrakete"} <= words
    assert "warnte" not in words  # a reporting verb
    assert "südkorea" not in words and "nordkorea" not in words  # names the KB knows
    assert "dem" not in words and "einer" not in words


def test_chinese_and_korean_statements_are_compared_by_character_pairs():
    a = "朝鲜警告美国停止在半岛附近举行联合军演"
    b = "朝鲜外务省警告美方立即停止半岛附近的联合军演"
    c = "朝鲜谴责美国对其卫星发射实施制裁"
    assert same_words(a, b, "zh", "zh")
    assert not same_words(a, c, "zh", "zh")
    k1 = "북한은 미국에 연합훈련을 즉각 중단하라고 경고했다"
    k2 = "북한이 미국에게 연합훈련 즉각 중단을 요구하며 경고했다"
    k3 = "북한은 위성 발사에 대한 제재를 규탄했다"
    assert same_words(k1, k2, "ko", "ko")
    assert not same_words(k1, k3, "ko", "ko")


def test_a_clause_of_chinese_ends_at_its_full_stop():
    text = "朝鲜警告美国停止联合军演。韩国表示将继续训练。"
    assert said_text(text, {"start": 0, "end": 4}) == "朝鲜警告美国停止联合军演"


def test_a_denial_leaves_out_what_it_calls_the_claim():
    denial = denial_words("Москва опровергла сообщения о поставках снарядов", "ru")
    assert "опровергла" not in denial and {"поставках", "снарядов"} <= denial
    english = denial_words("Moscow denied the reports as baseless fabrications", "en")
    assert english == {"moscow"}


# --- linking -------------------------------------------------------------------------------

RU_1 = ("Сеул предупредил Пхеньян, что не допустит запуска спутника над спорными островами, "
        "сообщил министр обороны. Южная Корея также потребовала вернуть задержанных рыбаков.")
RU_2 = ("Южная Корея заявила КНДР, что не допустит запуска спутника над спорными островами. "
        "Сеул также призвал Пхеньян открыть железную дорогу.")


DE_1 = ("Südkorea warnte Nordkorea vor dem Start einer Trägerrakete über dem Gelben Meer. "
        "Seoul verlangte die Freilassung der festgehaltenen Fischer und eine rasche Antwort.")
DE_2 = ("Seoul hat Pjöngjang vor dem Start der Trägerrakete über dem Gelben Meer gewarnt. "
        "Südkorea forderte die Öffnung der Bahnlinie bis zum Winter und eine klare Zusage.")


def _report(store, text: str, outlet: str, language: str, warned: str, demanded: str) -> str:
    """An article with South Korea's warning to North Korea (e1) and a demand (e2)."""
    return add_article(store, text, outlet=outlet, published="2024-03-23", language=language,
                       entities=["KOR", "PRK"], events=[
                           {"type": "THREATEN", "subtype": "warning", "actor": "KOR",
                            "target": "PRK", "evidence": warned},
                           {"type": "DEMAND", "subtype": "demand", "actor": "KOR",
                            "target": "PRK", "evidence": demanded}])


@pytest.mark.parametrize("language,first,second", [
    # Russian: one warning in two wordings, two different demands
    ("ru", (RU_1, "Вестник Приморья", "Сеул предупредил Пхеньян", "Южная Корея также потребовала"),
     (RU_2, "Северная газета", "Южная Корея заявила КНДР", "Сеул также призвал Пхеньян")),
    # German: two demands that share only articles and conjunctions ("die", "der", "und", "eine")
    ("de", (DE_1, "Hafenblatt", "Südkorea warnte Nordkorea", "Seoul verlangte"),
     (DE_2, "Grenzbote", "Seoul hat Pjöngjang", "Südkorea forderte")),
])
def test_two_reports_of_one_statement_join_and_two_statements_do_not(store, language, first,
                                                                    second):
    a = _report(store, *first[:2], language, *first[2:])
    b = _report(store, *second[:2], language, *second[2:])
    link(store, [a, b])
    same = cluster_of(store, a, "e1")
    assert same is not None and cluster_of(store, b, "e1") == same  # the same words
    assert cluster_of(store, a, "e2") != cluster_of(store, b, "e2")  # two demands
