"""Event times and names in languages without a parser: a deadline is not the time of what
happens, a month without its year in a sentence about the past is last year's, German
genitive names. Sentences written for these tests."""

from __future__ import annotations

import pytest

from storyline.extract.mltimes import find_times


def _doc(code: str, text: str, published: str = "2024-03-28"):
    from storyline.nlp import load_nlp_for, make_doc

    nlp = load_nlp_for(code)
    return nlp(make_doc(nlp, text, published=published, language=code))


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text"), [
    ("ru", ("Россия заблокировала резолюцию о продлении мандата группы экспертов ООН "
            "до 30 апреля 2025 года.")),
    ("de", ("Russland blockierte mit einem Veto die Verlängerung des UN-Expertengremiums "
            "bis zum 30. April 2025.")),
    ("ko", "러시아는 전문가 패널의 임기를 2025년 4월 30일까지 연장하는 결의안에 거부권을 행사했다."),
])
def test_a_deadline_is_not_the_time_of_the_event(code: str, text: str) -> None:
    events = [e for e in _doc(code, text)._.sl_events if e.subtype == "sanctions_enforcement"]
    assert events and all(e.when != "2025-04-30" for e in events), events


@pytest.mark.slow
def test_the_time_of_the_event_is_kept_beside_a_deadline() -> None:
    doc = _doc("ru", "28 марта 2024 года Россия заблокировала резолюцию о продлении мандата "
                     "группы экспертов ООН до 30 апреля 2025 года.")
    events = [e for e in doc._.sl_events if e.subtype == "sanctions_enforcement"]
    assert [e.when for e in events] == ["2024-03-28"]


@pytest.mark.parametrize(("code", "text", "want"), [
    # later in the year than the anchor, in a sentence about the past: the year before
    ("de", "Die beiden hatten sich im September zuletzt in Wladiwostok getroffen.", "2023-09"),
    ("fr", "Les deux dirigeants s'étaient déjà rencontrés en septembre.", "2023-09"),
    ("es", "Los dos líderes ya se habían reunido en septiembre.", "2023-09"),
    # no past cue, or a month already past this year: the anchor's year
    ("de", "Im September soll ein neues Treffen stattfinden.", "2024-09"),
    ("de", "Die beiden hatten sich im Februar getroffen.", "2024-02"),
])
def test_a_month_without_its_year(code: str, text: str, want: str) -> None:
    assert [t.value for t in find_times(text, code, "2024-06-19")] == [want]


@pytest.mark.slow
def test_german_genitive_names_are_the_actors() -> None:
    doc = _doc("de", "Es geht um Waffenlieferungen Nordkoreas für Moskaus Krieg.", "2024-06-19")
    names = {e.name for e in doc._.sl_entities}
    assert {"North Korea", "Russia"} <= names
    arms = [(e.actor, e.target) for e in doc._.sl_events if e.subtype == "arms_transfer"]
    assert arms == [("North Korea", "Russia")]


@pytest.mark.slow
def test_a_french_groupe_d_experts_is_the_un_panel() -> None:
    doc = _doc("fr", "La Russie a opposé son veto au renouvellement du Groupe d'experts.")
    events = [(e.actor, e.target) for e in doc._.sl_events
              if e.subtype == "sanctions_enforcement"]
    assert events == [("Russia", "UN Panel of Experts")]


@pytest.mark.slow
def test_a_starting_point_is_not_the_time_of_the_event() -> None:
    doc = _doc("fr", "Vladimir Poutine est arrivé en Corée du Nord pour sa première visite "
                     "depuis 2000.", "2024-06-19")
    visits = [e for e in doc._.sl_events if e.subtype == "visit"]
    assert visits and all(e.when != "2000" for e in visits), visits


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text"), [
    ("zh", "北韩领导人金正恩和俄罗斯总统普京今天在平壤签署条约。"),
    ("de", "Nordkorea und Russland unterzeichneten in Pjöngjang einen Vertrag."),
])
def test_an_agreement_signed_on_a_visit_has_the_guest_as_its_actor(code: str, text: str) -> None:
    # as a summit does: whoever is named first, the guest (not at home in the place named)
    got = [(e.actor, e.target) for e in _doc(code, text, "2024-06-19")._.sl_events
           if e.subtype == "agreement"]
    assert got == [("Russia", "North Korea")]


@pytest.mark.slow
def test_a_place_that_is_no_party_does_not_host() -> None:
    # "the war in Ukraine": Ukraine is named as a place, but it is no party to the treaty
    doc = _doc("zh", "普京感谢金正恩支持俄罗斯在乌克兰的战争，并称新条约是两国关系的基础。",
               "2024-06-19")
    got = [(e.actor, e.target) for e in doc._.sl_events if e.subtype == "agreement"]
    assert got == [("Russia", "North Korea")]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text"), [
    ("fr", "Le président russe Vladimir Poutine a invité Kim Jong-un à se rendre à Moscou."),
    ("ja", "プーチン大統領は金正恩氏をモスクワに招待した。"),
])
def test_an_invitation_is_a_planned_visit_of_the_guest(code: str, text: str) -> None:
    got = [(e.actor, e.target, e.status) for e in _doc(code, text, "2024-06-19")._.sl_events
           if e.subtype == "visit"]
    assert got == [("Kim Jong-un", "Russia", "planned")]


@pytest.mark.slow
@pytest.mark.parametrize(("code", "text"), [
    ("ru", "Владимир Путин заявил, что Россия и КНДР подписали договор."),
    ("fr", "« La Russie et la Corée du Nord ont signé un traité », a déclaré Vladimir Poutine."),
])
def test_an_event_told_in_a_statement_is_its_speakers_claim(code: str, text: str) -> None:
    doc = _doc(code, text, "2024-06-19")
    got = [(e.subtype, e.source, e.source_is_outlet) for e in doc._.sl_events]
    assert got == [("agreement", "Vladimir Putin", False)]


@pytest.mark.slow
def test_an_event_in_the_outlets_own_words_is_the_outlets() -> None:
    doc = _doc("ru", "Россия и КНДР подписали договор.", "2024-06-19")
    assert [e.source_is_outlet for e in doc._.sl_events] == [True]
