"""Page debris in other languages: the words of each pack's `boilerplate.json`.

The articles are written for these tests (none comes from ../shared). Each mixes article
text, which must all survive, with the debris a news page in that language leaves.
"""

from __future__ import annotations

import pytest

from storyline.clean import clean_document
from storyline.clean.debris import debris_for, is_menu
from storyline.lang import available
from storyline.records import DocMeta, RawDocument


def clean(text: str, language: str | None):
    return clean_document(RawDocument(source="t.txt", text=text,
                                      meta=DocMeta(language=language)))


def reasons(doc) -> dict[str, str]:
    return {r.text: r.reason for r in doc.removed}


FR = """Le port de Brest rouvre après trois jours de grève

Photo : Agence Ouest
Partager cet article
Les dockers ont repris le travail mercredi matin après un accord sur les salaires.
ANNONCE
Le syndicat a salué « un accord équitable » et appelé à la reprise immédiate.
Photo de famille des négociateurs à la sortie de la préfecture
Lire aussi : Les ports bretons face à la concurrence
© Journal de l'Ouest, 12/05/2025 09:14
Tous droits réservés"""


def test_french_debris_goes_and_article_lines_stay() -> None:
    doc = clean(FR, "fr")
    got = reasons(doc)
    assert got["Photo : Agence Ouest"] == "credit"
    assert got["Partager cet article"] == "share"
    assert got["ANNONCE"] == "ad"
    assert got["Lire aussi : Les ports bretons face à la concurrence"] == "promo"
    assert got["Tous droits réservés"] == "footer"
    # article text, a caption that is not a credit, and a wire's dated stamp stay
    for kept in ("Les dockers ont repris le travail", "un accord équitable",
                 "Photo de famille des négociateurs", "© Journal de l'Ouest, 12/05/2025 09:14"):
        assert kept in doc.text


RU = """Новости 12 мая 2025, 09:14
Главные события
Докеры порта вернулись к работе после трёхдневной забастовки.
© Иван Петров/ Агентство
Фото: Пётр Иванов
Профсоюз назвал соглашение «справедливым».
Читайте также: Порты севера ждут новых судов
123456, Россия, Москва, улица Портовая 7
Почта: redaktsiya@example.ru"""


def test_russian_credits_contacts_and_labels() -> None:
    doc = clean(RU, "ru")
    got = reasons(doc)
    assert got["Главные события"] == "promo"
    assert got["© Иван Петров/ Агентство"] == "credit"
    assert got["Фото: Пётр Иванов"] == "credit"
    assert got["Читайте также: Порты севера ждут новых судов"] == "promo"
    assert got["123456, Россия, Москва, улица Портовая 7"] == "footer"
    assert got["Почта: redaktsiya@example.ru"] == "footer"
    assert "Докеры порта вернулись" in doc.text and "«справедливым»" in doc.text


def test_korean_share_widget_and_a_label_glued_to_the_byline() -> None:
    text = ("부산항 노조가 사흘 만에 파업을 끝냈다.\n- + 인쇄\n"
            "노조는 합의가 공정하다고 말했다.\n김민수 기자 minsu@example.kr 기사모아보기")
    doc = clean(text, "ko")
    got = reasons(doc)
    assert got["- + 인쇄"] == "share"
    assert got["기사모아보기"] == "promo"
    assert "김민수 기자 minsu@example.kr" in doc.text
    assert "기사모아보기" not in doc.text


def test_chinese_menu_promo_and_editor_credit() -> None:
    text = ("即時 熱門 政治 社會 生活 國際 財經\n港口工人週三復工，結束了三天的罷工。\n"
            "王小明/責任編輯\n點我下載APP 看更多新聞\n工會表示協議公平。")
    doc = clean(text, "zh")
    got = reasons(doc)
    assert got["即時 熱門 政治 社會 生活 國際 財經"] == "menu"
    assert got["王小明/責任編輯"] == "credit"
    assert got["點我下載APP 看更多新聞"] == "promo"
    assert "港口工人週三復工" in doc.text and "工會表示協議公平" in doc.text


def test_german_sign_off_is_cut_from_the_last_paragraph() -> None:
    text = ("Die Hafenarbeiter nahmen am Mittwoch die Arbeit wieder auf.\n"
            "Die Gewerkschaft sprach von einem fairen Abschluss./abc/DP/xy")
    doc = clean(text, "de")
    assert reasons(doc)["/abc/DP/xy"] == "promo"
    assert doc.text.endswith("fairen Abschluss.")


def test_debris_after_a_page_stamp_is_cut_and_the_stamp_stays() -> None:
    doc = clean("date 2025-05 Photo : Agence Ouest\n\nLes dockers ont repris le travail "
                "mercredi matin après un accord sur les salaires.", "fr")
    assert reasons(doc)["Photo : Agence Ouest"] == "credit"
    assert doc.text.startswith("date 2025-05")


def test_the_language_is_detected_when_not_given() -> None:
    doc = clean("Les dockers ont repris le travail mercredi matin après un accord sur les "
                "salaires, a indiqué le syndicat dans un communiqué.\nANNONCE\nLe port "
                "rouvrira jeudi à tous les navires, selon la capitainerie.", None)
    assert reasons(doc).get("ANNONCE") == "ad"


def test_english_pages_get_no_foreign_debris_words() -> None:
    # "Photo: AP" alone is an English caption credit, which the English rules keep
    doc = clean("Dockworkers returned to work on Wednesday after a pay deal.\nPhoto: AP\n"
                "The union called the deal fair.", "en")
    assert "Photo: AP" in doc.text
    assert debris_for("en") is None


def test_a_sentence_in_an_unspaced_script_is_no_menu() -> None:
    assert not is_menu("港口工人週三復工，結束了三天的罷工。")
    assert not is_menu("Dockworkers returned to work on Wednesday after the deal")


@pytest.mark.parametrize("code", [c for c in available() if c != "en"])
def test_every_other_pack_has_debris_words(code: str) -> None:
    debris = debris_for(code)
    assert debris is not None and debris.promo and debris.share
