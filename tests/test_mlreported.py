"""Reported speech without quotation marks in the languages that have no parser here
(extract/mlreported.py, each pack's reported_speech.json). Sentences written for these tests."""

from __future__ import annotations

import pytest

from storyline.lang import get_pack

pytestmark = pytest.mark.slow


def _doc(code: str, text: str):
    from storyline.nlp import load_nlp_for, make_doc

    nlp = load_nlp_for(code)
    return nlp(make_doc(nlp, text, published="2024-06-19", language=code))


def _reported(code: str, text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in _doc(code, text)._.sl_quotes if not q.direct]


@pytest.mark.parametrize(("code", "text", "want"), [
    # a speech verb, a complementiser, the content
    ("ru", "Владимир Путин заявил журналистам, что переговоры прошли успешно.",
     [("переговоры прошли успешно", "Vladimir Putin")]),
    ("uk", "Володимир Зеленський повідомив, що делегація повернулася до Києва.",
     [("делегація повернулася до Києва", "Volodymyr Zelensky")]),
    ("de", "Olaf Scholz sagte am Abend, dass die Gespräche fortgesetzt werden.",
     [("die Gespräche fortgesetzt werden", "Olaf Scholz")]),
    ("es", "Vladimir Putin dijo que el acuerdo abre una nueva etapa.",
     [("el acuerdo abre una nueva etapa", "Vladimir Putin")]),
    # French, with its parser: a complementiser, also elided ("qu'il")
    ("fr", "Vladimir Poutine a déclaré jeudi que la Russie aiderait la Corée du Nord.",
     [("la Russie aiderait la Corée du Nord", "Vladimir Putin")]),
    ("fr", "Le président russe Vladimir Poutine a affirmé qu'il n'y avait aucune limite.",
     [("il n'y avait aucune limite", "Vladimir Putin")]),
    ("fr", "La coopération militaire se renforcera, a déclaré Kim Jong-un à Vostochny.",
     [("La coopération militaire se renforcera", "Kim Jong-un")]),
    ("zh", "普京在会谈后表示，双方将扩大经济合作。",
     [("双方将扩大经济合作", "Vladimir Putin")]),
    # subject-object-verb: the content, a quotative, the verb; the subject speaks
    ("ko", "푸틴 대통령은 양국 관계가 새로운 단계에 들어섰다고 말했다.",
     [("양국 관계가 새로운 단계에 들어섰다", "Vladimir Putin")]),
    ("ja", "プーチン大統領は、両国の協力を拡大すると述べた。",
     [("両国の協力を拡大する", "Vladimir Putin")]),
    # the content first, then the verb and its speaker
    ("de", "Die Verhandlungen seien schwierig gewesen, sagte Olaf Scholz.",
     [("Die Verhandlungen seien schwierig gewesen", "Olaf Scholz")]),
    ("ru", "Переговоры продолжатся завтра, сообщил Сергей Лавров.",
     [("Переговоры продолжатся завтра", "Sergei Lavrov")]),
    # a speech act: its clause is the statement
    ("ru", "Ким Чен Ын поблагодарил за теплый прием.",
     [("Ким Чен Ын поблагодарил за теплый прием", "Kim Jong-un")]),
    ("de", "Kim Jong Un, der am Morgen eingetroffen war, dankte den Gastgebern für den Empfang.",
     [("dankte den Gastgebern für den Empfang", "Kim Jong-un")]),
])
def test_reported_speech_with_its_speaker(code: str, text: str,
                                          want: list[tuple[str, str]]) -> None:
    assert _reported(code, text) == want


def test_a_chinese_statement_ends_where_the_next_speaker_begins() -> None:
    got = _reported("zh", "普京表示现在是加强合作的时候,金正恩也表示,两国友谊更加深厚。")
    assert got == [("现在是加强合作的时候", "Vladimir Putin"),
                   ("两国友谊更加深厚", "Kim Jong-un")]


def test_a_content_inside_quotation_marks_stays_a_direct_quote() -> None:
    doc = _doc("ru", "Путин заявил, что «переговоры прошли очень успешно».")
    assert [(q.text, q.direct) for q in doc._.sl_quotes] == [
        ("переговоры прошли очень успешно", True)]


def test_nobody_named_no_reported_statement() -> None:
    assert _reported("ru", "В Кремле заявили, что переговоры прошли успешно.") == []


def test_a_subject_before_an_ordinary_verb_is_no_trailing_attribution() -> None:
    # "..., Kim Jong Un expresó su apoyo": Kim is the subject of the clause, it reports
    # nothing said before the comma; the act is the clause itself
    got = _reported("es", "En Vostochny, Kim Jong Un expresó su apoyo a Rusia.")
    assert got == [("Kim Jong Un expresó su apoyo a Rusia", "Kim Jong-un")]


def test_english_has_no_pattern_pack() -> None:
    # English indirect speech is its parser's (extract/indirect.py): the patterns leave it
    # alone; French goes through the pack's component, whose quotes are marks and patterns
    assert get_pack("en").data("reported_speech") is None
    assert get_pack("fr").data("reported_speech") is not None


def test_a_name_in_an_oblique_case_does_not_speak() -> None:
    # "с Ким Чен Ыном" (with Kim): the speaker is the leader named before, in the nominative
    doc = _doc("ru", "Владимир Путин провел переговоры в Пхеньяне.\n«Это прорывной документ», "
                     "- сказал российский лидер по итогам переговоров с Ким Чен Ыном.")
    assert [(q.text, q.speaker) for q in doc._.sl_quotes] == [
        ("Это прорывной документ", "Vladimir Putin")]


def test_a_name_after_a_speech_cue_speaks_in_any_case() -> None:
    doc = _doc("ru", "Сергей Лавров приехал в Пхеньян. «Переговоры прошли успешно», "
                     "- по словам Путина.")
    assert [(q.text, q.speaker) for q in doc._.sl_quotes] == [
        ("Переговоры прошли успешно", "Vladimir Putin")]


@pytest.mark.parametrize(("code", "text", "person", "country"), [
    ("fr", "Le dirigeant nord-coréen est arrivé.", "Kim Jong-un", "North Korea"),
    ("ru", "Лидер КНДР прибыл на космодром.", "Kim Jong-un", "North Korea"),
    ("zh", "北韩领导人抵达平壤。", "Kim Jong-un", "North Korea"),
])
def test_a_title_names_its_holder_and_its_country(code: str, text: str, person: str,
                                                  country: str) -> None:
    # a title opening a sentence is capitalised; the country it holds is mentioned too
    names = {e.name for e in _doc(code, text)._.sl_entities}
    assert {person, country} <= names


def test_a_title_speaks_and_in_an_oblique_case_does_not() -> None:
    got = _reported("ru", "Лидер КНДР сообщил, что переговоры прошли успешно.")
    assert got == [("переговоры прошли успешно", "Kim Jong-un")]
    doc = _doc("ru", "Владимир Путин провел переговоры.\n«Это прорывной документ», - сказал "
                     "президент после встречи с лидером КНДР.")
    assert [(q.text, q.speaker) for q in doc._.sl_quotes] == [
        ("Это прорывной документ", "Vladimir Putin")]
