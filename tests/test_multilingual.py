"""Non-English documents: language packs, times, header lines, quotes, the per-language
pipeline. Every text here is written by us for the test."""

from __future__ import annotations

import pytest

from storyline.clean.header import scan_header
from storyline.clean.outlets import lookup
from storyline.extract.mltimes import find_times, month_context
from storyline.lang import available, get_pack


def _times(code: str, text: str, anchor: str | None) -> list[tuple[str, object]]:
    return [(t.text, t.value) for t in find_times(text, code, anchor)]


def test_every_language_of_the_issue_has_a_pack_with_date_words() -> None:
    for code in ("fr", "ru", "ko", "ja", "zh", "de", "es", "uk"):
        assert code in available()
        pack = get_pack(code)
        assert pack.data("dates")["months"], code
        assert pack.words("speech_verbs"), code
    assert get_pack("fr").has_parser and not get_pack("ru").has_parser


@pytest.mark.parametrize(("code", "text", "anchor", "want"), [
    ("ru", "Договор вступит в силу 30 апреля следующего года, сообщили в четверг.",
     "2024-03-28", [("30 апреля следующего года", "2025-04-30"), ("в четверг", "2024-03-28")]),
    ("ru", "Саммит прошёл 13 сентября 2023 года.", None,
     [("13 сентября 2023 года", "2023-09-13")]),
    ("uk", "Спостерігачі працювали з 2006 року.", None, [("з 2006 року", "2006")]),
    ("fr", "Le texte, voté hier, expire le 30 avril ; il existe depuis 2009.", "2024-03-29",
     [("hier", "2024-03-28"), ("30 avril", "2024-04-30"), ("depuis 2009", "2009")]),
    ("fr", "Les dirigeants se sont vus cet après-midi vers 15h.", "2023-09-13",
     [("cet après-midi", "2023-09-13"), ("vers 15h", "2023-09-13")]),
    ("de", "Am Dienstag traf er ein; im vergangenen Jahr war es anders.", "2024-06-19",
     [("Am Dienstag", "2024-06-18"), ("im vergangenen Jahr", "2023")]),
    ("es", "El acuerdo se firmó el jueves, 14 de marzo de 2024.", "2024-03-15",
     [("el jueves", "2024-03-14")]),
    ("ko", "회담은 2023년 9월 13일 열렸다. 이날 오후 3시쯤 끝났고 다음달 30일 다시 만난다.",
     "2023-09-13", [("2023년 9월 13일", "2023-09-13"), ("이날 오후 3시쯤", "2023-09-13"),
                    ("다음달 30일", "2023-10-30")]),
    ("ko", "지난 22일과 지난해 9월에 이어 어제 발표했다.", "2024-03-05",
     [("지난 22일", "2024-02-22"), ("지난해 9월", "2023-09"), ("어제", "2024-03-04")]),
    ("ja", "両首脳は6月19日に会談し、1961年の条約に触れた。", "2024-06-20",
     [("6月19日", "2024-06-19"), ("1961年", "1961")]),
    ("zh", "2024/06/19 双方今天签署协议。", "2024-06-19",
     [("2024/06/19", "2024-06-19"), ("今天", "2024-06-19")]),
])
def test_times_in_other_languages(code: str, text: str, anchor: str | None,
                                  want: list[tuple[str, object]]) -> None:
    got = _times(code, text, anchor)
    for item in want:
        assert item in got, (item, got)


def test_a_bare_day_takes_the_page_month_when_there_is_no_date() -> None:
    text = " date 2024-06 (stamp)\n両首脳は19日に会談した。"
    assert month_context(text) == (2024, 6)
    assert ("19日", "2024-06-19") in _times("ja", text, None)
    # with neither a date nor a page month, a relative day stays unresolved
    assert ("19日", None) in _times("ja", "両首脳は19日に会談した。", None)


def test_durations_are_not_times() -> None:
    assert _times("ru", "Переговоры шли последние четыре месяца.", "2024-03-28") == []


@pytest.mark.parametrize(("text", "published", "wire"), [
    (("Publié le 13 septembre 2023\nPar AFP\n\nLe texte de l'article commence ici, avec une "
     "phrase complète."), "2023-09-13", "AFP"),
    (("Новости 13 сентября 2023, 10:29\n\nПрезидент провёл встречу на космодроме, сообщили "
     "в Кремле."), "2023-09-13", None),
    ("2023년 9월 13일 연합뉴스\n\n두 정상은 오늘 회담을 열었다고 밝혔다.", "2023-09-13", "Yonhap"),
    ("입력 | 2024-03-28 23:56   수정 | 2024-03-29 07:13\n\n본문이 여기에 있다.", "2024-03-28",
     None),
    ("2024年6月19日 17:20\n\n両首脳が会談した。", "2024-06-19", None),
])
def test_header_lines_in_other_languages(text: str, published: str, wire: str | None) -> None:
    scan = scan_header(text)
    assert scan.meta.published == published
    assert scan.meta.wire == wire


def test_a_closing_credit_in_cyrillic_names_the_wire() -> None:
    scan = scan_header("Президент заявил об этом журналистам в среду. — ТАСС")
    assert scan.meta.wire == "TASS"
    assert lookup("연합뉴스").name == "Yonhap" and lookup("Chine Nouvelle").name == "Xinhua"


def test_an_english_header_is_read_as_before() -> None:
    scan = scan_header("Published : Mar. 3, 2026 - 09:10\nBy Meridian News Agency\n\nBody text "
                       "of the story goes on here.")
    assert scan.meta.published == "2026-03-03"


@pytest.mark.slow
def test_documents_go_through_their_language_pipeline() -> None:
    from storyline.nlp import load_nlp_for, make_doc, uses_english
    from storyline.pipeline import analysis_of

    assert uses_english("en") and uses_english(None) and not uses_english("de")
    nlp = load_nlp_for("de")
    assert "storyline_multilingual" in nlp.pipe_names
    text = "„Wir werden helfen“, sagte Vladimir Putin am Mittwoch in Moskau."
    doc = nlp(make_doc(nlp, text, published="2024-06-19", language="de"))
    a = analysis_of(doc)
    names = {e.name for e in a.entities}
    assert "Vladimir Putin" in names
    assert [(q.text, q.speaker) for q in a.quotes] == [("Wir werden helfen", "Vladimir Putin")]
    assert ("am Mittwoch", "2024-06-19") in [(t.text, t.value) for t in a.times]


@pytest.mark.slow
def test_french_uses_its_spacy_model() -> None:
    pytest.importorskip("fr_core_news_md")
    from storyline.nlp import load_nlp_for, make_doc

    nlp = load_nlp_for("fr")
    assert "ner" in nlp.pipe_names and nlp.lang == "fr"
    text = "« Nous aiderons », a déclaré jeudi le président Vladimir Putin à Pyongyang."
    doc = nlp(make_doc(nlp, text, published="2024-06-20", language="fr"))
    assert [q.speaker for q in doc._.sl_quotes] == ["Vladimir Putin"]
    assert ("jeudi", "2024-06-20") in [(t.text, t.value) for t in doc._.sl_times]


def test_a_relative_day_with_its_date_in_brackets_takes_that_date() -> None:
    assert _times("ko", "어제(28일) 회의에서 결정했다.", "2024-03-29") == [
        ("어제(28일)", "2024-03-28")]


def test_the_normaliser_reads_expressions_of_other_languages() -> None:
    from storyline.extract.timenorm import normalise

    assert normalise("19日", "2024-06-20")[0] == "2024-06-19"
    assert normalise("hier", "2024-03-29")[0] == "2024-03-28"
    assert normalise("13 сентября 2023", None)[0] == "2023-09-13"
    assert normalise("yesterday", "2024-03-29")[0] == "2024-03-28"  # English first


def _ml_doc(code: str, text: str, published: str | None = None):
    from storyline.nlp import load_nlp_for, make_doc

    nlp = load_nlp_for(code)
    return nlp(make_doc(nlp, text, published=published, language=code))


@pytest.mark.slow
def test_names_in_quotation_marks_are_not_quotes() -> None:
    doc = _ml_doc("ru", "Ракета «Ангара» стартовала с космодрома «Восточный». "
                        "«Мы довольны запуском», — сказал Владимир Путин.")
    assert [(q.text, q.speaker) for q in doc._.sl_quotes] == [
        ("Мы довольны запуском", "Vladimir Putin")]


@pytest.mark.slow
def test_events_from_a_trigger_and_the_named_actors() -> None:
    # the meeting is in the host's capital: the guest is the actor
    doc = _ml_doc("de", "Vladimir Putin und Kim Jong Un trafen sich am Mittwoch in Moskau. "
                        "Russland und Nordkorea unterzeichneten einen Vertrag.", "2024-06-19")
    got = {(e.subtype, e.actor, e.target) for e in doc._.sl_events}
    assert ("summit", "Kim Jong-un", "Vladimir Putin") in got
    assert ("agreement", "Russia", "North Korea") in got
    summit = next(e for e in doc._.sl_events if e.subtype == "summit")
    assert summit.type == "CONSULT" and summit.when == "2024-06-19"


@pytest.mark.slow
def test_a_chinese_term_in_corner_brackets_is_not_a_quote() -> None:
    doc = _ml_doc("zh", "双方签署「友好合作条约」。普京表示：「我们将共同努力，加强合作。」")
    assert [q.text for q in doc._.sl_quotes] == ["我们将共同努力，加强合作。"]


@pytest.mark.slow
def test_korean_family_name_and_title_and_the_subject_speaks() -> None:
    text = ("김정은 국무위원장과 블라디미르 푸틴 대통령이 만났다. "
            "푸틴 대통령은 김 위원장에게 \"다시 만나서 정말 기쁘다\"고 말했다.")
    doc = _ml_doc("ko", text, "2024-06-19")
    kim = next(e for e in doc._.sl_entities if e.name == "Kim Jong-un")
    assert "김 위원장" in {m.text for m in kim.mentions}
    assert [(q.text, q.speaker) for q in doc._.sl_quotes] == [
        ("다시 만나서 정말 기쁘다", "Vladimir Putin")]


@pytest.mark.slow
def test_a_hedge_in_the_sentence_sets_the_status() -> None:
    doc = _ml_doc("fr", "La Russie n'exclut pas une coopération militaro-technique avec la "
                        "Corée du Nord.", "2024-06-19")
    assert [(e.subtype, e.actor, e.target, e.status) for e in doc._.sl_events] == [
        ("technology_transfer", "Russia", "North Korea", "hedged")]


@pytest.mark.slow
def test_a_quote_whose_closing_mark_is_missing_ends_at_the_dash_before_the_verb() -> None:
    doc = _ml_doc("uk", "«Це було рішення всієї ради, - сказав Володимир Зеленський журналістам.")
    assert [q.text for q in doc._.sl_quotes] == ["Це було рішення всієї ради"]


@pytest.mark.slow
def test_ingest_runs_each_document_through_its_language(tmp_path) -> None:
    from storyline.pipeline import process_inputs
    from storyline.settings import Settings
    from storyline.store import Store

    (tmp_path / "ru.txt").write_text(
        "Президент Владимир Путин встретился с Ким Чен Ыном в среду, 13 сентября 2023 года. "
        "«Мы рады вас видеть», — сказал Владимир Путин.", encoding="utf-8")
    (tmp_path / "en.txt").write_text(
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un on Wednesday, "
        "officials said in a statement released later that day.", encoding="utf-8")
    settings = Settings.load()
    settings.db = str(tmp_path / "x.db")
    with Store.open(settings.db) as store:
        report = process_inputs([str(tmp_path / "ru.txt"), str(tmp_path / "en.txt")], store,
                                settings)
        assert not report.errors and len(report.analysed) == 2
        rows = {src.rsplit("/", 1)[-1]: (lang, model) for src, lang, model in
                store.conn.execute("SELECT source, language, model FROM documents")}
        assert rows["ru.txt"][0] == "ru" and rows["ru.txt"][1].startswith("ru_")
        assert rows["en.txt"][0] == "en" and rows["en.txt"][1].startswith("en_")
        doc_id = next(d for d, s in store.conn.execute("SELECT id, source FROM documents")
                      if s.endswith("ru.txt"))
        analysis = store.get_analysis(doc_id)
        assert ("13 сентября 2023 года", "2023-09-13") in [(t.text, t.value)
                                                          for t in analysis.times]
        assert [(q.text, q.speaker) for q in analysis.quotes] == [
            ("Мы рады вас видеть", "Vladimir Putin")]


@pytest.mark.parametrize(("code", "text", "want"), [
    ("ko", "컨테이너 1만3000개와 병력 3천 명", [13000.0, 3000.0]),
    ("ja", "コンテナ1万3000個", [13000.0]),
    ("zh", "1万3千个集装箱", [13000.0]),
    ("ru", "13 тысяч контейнеров и 1,5 млн снарядов", [13000.0, 1500000.0]),
    ("de", "13.000 Container und 1,5 Millionen Granaten", [13000.0, 1500000.0]),
    ("fr", "13 000 conteneurs", [13000.0]),
])
def test_numbers_with_the_packs_multipliers(code: str, text: str, want: list[float]) -> None:
    from storyline.extract.mlnumbers import find_numbers

    assert [v for _, _, v in find_numbers(text, code)] == want


def test_a_number_or_an_initial_does_not_end_a_sentence() -> None:
    from storyline.extract.mlevents import sentences

    text = "M. Dupont a compté 13.000 conteneurs. Ensuite, rien."
    assert [text[a:b] for a, b in sentences(text)] == [
        "M. Dupont a compté 13.000 conteneurs.", "Ensuite, rien."]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text", "want"), [
    ("ko", "북한이 러시아에 컨테이너 1만3000개 분량의 무기를 보냈다.",
     ("arms_transfer", "North Korea", "Russia", 13000.0)),
    ("de", "Nordkorea hat Russland 13.000 Container mit Munition geliefert.",
     ("arms_transfer", "North Korea", "Russia", 13000.0)),
    ("ja", "北朝鮮はロシアに兵士1万2000人を派兵した。",
     ("troop_deployment", "North Korea", "Russia", 12000.0)),
])
def test_counted_events_take_the_number_by_their_trigger(code: str, text: str,
                                                         want: tuple) -> None:
    doc = _ml_doc(code, text, "2024-08-20")
    assert [(e.subtype, e.actor, e.target, e.quantity) for e in doc._.sl_events] == [want]


@pytest.mark.parametrize(("code", "text", "expected"), [
    # "die", "mit" (the, with) and "серед" (among) are abbreviations of weekday names
    ("de", "Die Minister trafen sich mit den Gesandten am Mittwoch.", [("am Mittwoch",
                                                                       "2024-06-19")]),
    ("uk", "Серед інших делегацій посли прибули у середу.", [("у середу", "2024-06-19")]),
    ("fr", "Les ministres se sont vus mer. et la mer était calme.", [("mer.", "2024-06-19")]),
])
def test_a_weekday_abbreviation_needs_its_full_stop(code: str, text: str,
                                                    expected: list) -> None:
    assert [(t.text, t.value) for t in find_times(text, code, "2024-06-21")] == expected


def test_a_month_alone_in_cjk_text_is_a_time() -> None:
    assert _times("ko", "북한은 8월 이후 3개월 동안", "2024-11-10") == [("8월", "2024-08")]
    assert _times("ja", "8月以降、3か月", "2024-11-10") == [("8月", "2024-08")]
    assert _times("zh", "自8月以来，3个月", "2024-11-10") == [("8月", "2024-08")]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text", "key", "surface"), [
    ("ko", "러시아 외무부는 보도를 부인했다.", "org:rus-foreign-ministry", "러시아 외무부"),
    ("ko", "미 국방부는 이를 확인했다.", "org:us-department-of-defense", "미 국방부"),
    ("ja", "ロシア外務省は報道を否定した。", "org:rus-foreign-ministry", "ロシア外務省"),
    ("zh", "俄罗斯外交部否认了这一报道。", "org:rus-foreign-ministry", "俄罗斯外交部"),
    ("ru", "МИД России опроверг это сообщение.", "org:rus-foreign-ministry", "МИД России"),
    ("ru", "Представитель Министерства обороны России заявил об этом.",
     "org:rus-defense-ministry", "Министерства обороны России"),
    ("fr", "Le ministère russe des Affaires étrangères a démenti l'information.",
     "org:rus-foreign-ministry", "ministère russe des Affaires étrangères"),
])
def test_a_states_body_is_named_with_its_country_in_every_language(
        code: str, text: str, key: str, surface: str) -> None:
    doc = _ml_doc(code, text, "2024-11-10")
    bodies = {(e.key, m.text) for e in doc._.sl_entities for m in e.mentions
              if e.type == "ORG"}
    assert (key, surface) in bodies


@pytest.mark.slow
def test_a_body_whose_country_is_not_named_is_not_guessed() -> None:
    doc = _ml_doc("ko", "외무부는 보도를 부인했다.", "2024-11-10")
    assert not [e for e in doc._.sl_entities if e.type == "ORG"]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text"), [
    ("ko", "국정원은 북한이 8월 이후 러시아에 포탄 컨테이너 약 3천 개를 보냈다고 밝혔다."),
    ("ko", "북한이 8월 이후 러시아에 포탄 컨테이너 약 3천 개를 보냈다고 국정원이 화요일 밝혔다."),
])
def test_a_body_reports_the_act_its_parties_time_and_number_are_the_contents(
        code: str, text: str) -> None:
    doc = _ml_doc(code, text, "2024-11-12")
    (ev,) = doc._.sl_events
    assert (ev.subtype, ev.actor, ev.target, ev.quantity) == (
        "arms_transfer", "North Korea", "Russia", 3000.0)  # not 8 of "8월"
    assert ev.source == "National Intelligence Service" and not ev.source_is_outlet
    assert ev.when == ["2024-08", "2024-11"]  # since August, not the Tuesday it was said


@pytest.mark.slow
def test_a_first_visit_since_a_year_is_not_dated_by_it() -> None:
    doc = _ml_doc("fr", "Vladimir Poutine est arrivé à Pyongyang, sa première visite "
                        "depuis 2000.", "2024-06-19")
    visits = [e for e in doc._.sl_events if e.subtype == "visit"]
    assert visits and all(e.when != ["2000", "2024"] and e.when != "2000" for e in visits)


@pytest.mark.slow
def test_a_place_stands_for_its_country_as_the_target() -> None:
    doc = _ml_doc("ko", "북한은 러시아 극동 지역에 병력 2천 명을 파견했다.", "2024-11-12")
    assert [(e.subtype, e.actor, e.target, e.quantity) for e in doc._.sl_events] == [
        ("troop_deployment", "North Korea", "Russia", 2000.0)]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text"), [
    ("ru", "Северная Корея отправила в Россию снаряды. МИД России опроверг это сообщение."),
    ("ko", "북한이 러시아에 포탄을 보냈다. 러시아 외무부는 보도를 부인했다."),
    ("zh", "朝鲜向俄罗斯运送了炮弹。俄罗斯外交部否认了这一报道。"),
])
def test_a_denial_denies_the_act_its_denier_is_party_to(code: str, text: str) -> None:
    doc = _ml_doc(code, text, "2024-11-12")
    sent = next(e for e in doc._.sl_events if e.subtype == "arms_transfer")
    denial = next(e for e in doc._.sl_events if e.subtype == "denial")
    assert (denial.type, denial.actor, denial.target, denial.source) == (
        "REJECT", "Russia", sent.id, "Russia")
    assert sent.denied_by == ["Russia"]


@pytest.mark.slow
def test_a_state_named_as_the_subject_of_the_content_does_not_speak() -> None:
    doc = _ml_doc("ko", "북한이 러시아에 포탄을 보냈다고 밝혔다.", "2024-11-12")
    assert not [q for q in doc._.sl_quotes if q.speaker == "North Korea"]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text", "want"), [
    ("ko", "합참은 북한이 동해상으로 탄도미사일 1발을 발사했다고 밝혔다.",
     ("weapons_test", "North Korea", None, "Joint Chiefs of Staff (South Korea)")),
    # the launches are North Korea's; Russia, which condemns them, says so
    ("ru", "Россия осудила пуски ракет Северной Кореей.",
     ("weapons_test", "North Korea", None, "Russia")),
    ("de", "Nordkorea hatte seine Raketentests deutlich verstärkt.",
     ("weapons_test", "North Korea", None, "Probe")),
])
def test_a_launch_has_an_actor_and_no_target(code: str, text: str, want: tuple) -> None:
    from storyline.nlp import load_nlp_for, make_doc

    nlp = load_nlp_for(code)
    doc = make_doc(nlp, text, published="2024-11-12", language=code)
    doc._.sl_outlet = "Probe"
    doc = nlp(doc)
    got = [(e.subtype, e.actor, e.target, e.source) for e in doc._.sl_events
           if e.subtype == want[0]]
    assert got == [want]


@pytest.mark.slow
def test_a_body_named_alone_is_the_one_named_with_its_country_before() -> None:
    doc = _ml_doc("ko", "러시아 외무부는 성명을 냈다. 외무부는 보도를 부인했다.", "2024-11-12")
    (body,) = [e for e in doc._.sl_entities if e.type == "ORG"]
    assert body.key == "org:rus-foreign-ministry" and len(body.mentions) == 2
