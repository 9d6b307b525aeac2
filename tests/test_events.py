"""storyline_events: triggers, arguments, subtypes, merging, on sentences written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.extract.cameo import load_cameo
from storyline.extract.events import extract_events
from storyline.extract.lexicon import DEFAULT_PATH, load_lexicon
from storyline.nlp import make_doc
from storyline.records import Event

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, published: str = "2024-03-12", outlet: str = "Test Wire") -> list[Event]:
        doc = nlp(make_doc(nlp, text, published=published, outlet=outlet))
        return doc._.sl_events

    return _run


def one(events: list[Event]) -> Event:
    assert len(events) == 1, [(e.subtype, e.actor, e.target) for e in events]
    return events[0]


@pytest.mark.parametrize("text, subtype, actor, target", [
    # transfers: the item decides the subtype
    ("Iran has shipped drones to Russia, officials in Kyiv said.", "arms_transfer", "Iran", "Russia"),
    ("Belarus supplied Russia with artillery rounds.", "arms_transfer", "Belarus", "Russia"),
    ("Ammunition was delivered to Armenia by France.", "arms_transfer", "France", "Armenia"),
    ("Iran's transfer of ballistic missiles to Russia has worried Poland.", "arms_transfer", "Iran",
     "Russia"),
    ("Laos will send 3,000 workers to Qatar.", "labor_supply", "Laos", "Qatar"),
    ("Egypt plans to supply laborers to Libya.", "labor_supply", "Egypt", "Libya"),
    ("Russia deployed about 2,000 soldiers to Belarus.", "troop_deployment", "Russia", "Belarus"),
    ("The deployment of Belarusian troops to Russia worried Poland.", "troop_deployment",
     "Belarus", "Russia"),
    ("Iran received missile know-how from Russia.", "technology_transfer", "Russia", "Iran"),
    ("Cuba obtained technical assistance from China.", "technology_transfer", "China", "Cuba"),
    ("The United States deployed an aircraft carrier to the Mediterranean.",
     "military_deployment", "United States", "Mediterranean"),
    # consultations
    ("Olaf Scholz met with Annalena Baerbock in Berlin.", "meeting", "Olaf Scholz",
     "Annalena Baerbock"),
    ("Diplomats from Japan and Australia held talks in Canberra.", "meeting", "Japan",
     "Australia"),
    ("German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris.", "summit",
     "Olaf Scholz", "Emmanuel Macron"),
    (("A summit between Chinese President Xi Jinping and Brazilian President Lula da Silva "
     "opened on Monday."), "summit", "Xi Jinping", "Luiz Inacio Lula da Silva"),
    ("Indian Prime Minister Narendra Modi arrived in Moscow on Monday.", "visit",
     "Narendra Modi", "Russia"),
    ("Indian Prime Minister Narendra Modi will travel to Kyiv next week.", "visit",
     "Narendra Modi", "Ukraine"),
    ("Emmanuel Macron began a three-day visit to Vietnam.", "visit", "Emmanuel Macron", "Vietnam"),
    # sanctions and restrictions
    ("The European Union imposed sanctions on Belarus.", "sanctions_designation",
     "European Union", "Belarus"),
    ("Japan restricted exports of chip equipment to China.", "export_restriction", "Japan",
     "China"),
    ("Canada moved to curb shipments of drones to Iran.", "export_restriction", "Canada", "Iran"),
    # statements
    ("Poland warned Belarus against further provocations.", "warning", "Poland", "Belarus"),
    ("Turkey vowed to retaliate against Syria.", "warning", "Turkey", "Syria"),
    ("Ukraine accused Russia of shelling the plant.", "accusation", "Ukraine", "Russia"),
])
def test_subtype_actor_target(run, text: str, subtype: str, actor: str, target: str) -> None:
    ev = one(run(text))
    assert (ev.subtype, ev.actor, ev.target) == (subtype, actor, target)
    cameo = load_cameo("en")
    # the kind's own type, or the one the CAMEO coder read and the naming table allows
    assert ev.type == cameo.rename(load_lexicon().type_of(subtype)) or (
        ev.cameo and ev.type in cameo.naming["subtype_types"][subtype])
    assert ev.id == "e1" and ev.evidence == text[ev.start:ev.end]


@pytest.mark.parametrize("text, subtype, actor", [
    ("Iran launched a satellite into orbit on Thursday.", "satellite_launch", "Iran"),
    ("Japan put a spy satellite into orbit.", "satellite_launch", "Japan"),
    ("Pakistan test-fired a cruise missile on Friday.", "weapons_test", "Pakistan"),
    ("India fired two ballistic missiles into the sea.", "weapons_test", "India"),
])
def test_monadic_events(run, text: str, subtype: str, actor: str) -> None:
    ev = one(run(text))
    assert (ev.subtype, ev.actor, ev.target) == (subtype, actor, None)


def test_attempts_count_as_launches(run) -> None:
    ev = one(run("Iran is trying to put a satellite into orbit, but three attempts to do so "
                 "have failed this year."))
    assert ev.subtype == "satellite_launch" and ev.actor == "Iran"
    assert ev.quantity == 3 and ev.when == "2024"


def test_quantity_item_place_time(run) -> None:
    ev = one(run("Egypt dispatched about 500 soldiers to Somalia in February."))
    assert ev.item == "soldiers"
    assert (ev.quantity, ev.quantity_qualifier) == (500, "about")
    assert ev.when == "2024-02" and ev.when_text
    ev = one(run("Ministers from Chile and Peru will meet in Lima on Friday."))
    assert (ev.subtype, ev.actor, ev.target, ev.where) == ("meeting", "Chile", "Peru", "Lima")
    assert ev.when == "2024-03-15"


def test_container_counts_and_measure_nouns(run) -> None:
    ev = one(run("Iran had sent more than 300 containers of shells and rockets to Russia."))
    assert ev.subtype == "arms_transfer"
    assert (ev.quantity, ev.quantity_qualifier) == (300, "more than")
    ev = one(run("Iran has shipped thousands of drones to Russia."))
    assert ev.item == "drones" and ev.quantity == 1000 and ev.quantity_qualifier == "at least"


def test_since_gives_a_range(run) -> None:
    ev = one(run("Iran has exported 200 missiles to Russia since early January."))
    assert ev.when == ["2024-01", "2024-03"]
    ev = one(run("Iran shipped drones to Russia following a summit between the two sides in "
                 "January, Israel said."))
    assert ev.when == ["2024-01", "2024-03"]


def test_the_date_of_the_report_does_not_date_the_event(run) -> None:
    ev = one(run("Israel said on Monday that Iran had sent drones to Russia."))
    assert ev.when is None


def test_exchange_implies_a_transfer_back(run) -> None:
    events = run("Russia sold fighter jets to Iran in exchange for drones.")
    assert [(e.actor, e.target, e.subtype) for e in events] == [
        ("Russia", "Iran", "arms_transfer"), ("Iran", "Russia", "arms_transfer")]


def test_trip_to_meet_is_one_meeting(run) -> None:
    ev = one(run("Turkish President Recep Tayyip Erdogan traveled to Sochi in March, where he "
                 "met Russian President Vladimir Putin."))
    assert (ev.subtype, ev.actor, ev.target) == ("summit", "Recep Tayyip Erdogan",
                                                 "Vladimir Putin")
    assert ev.where == "Sochi" and ev.when == "2024-03"


def test_repeated_mentions_merge(run) -> None:
    events = run("Iran sent drones to Russia in May. The drones that Iran sent to Russia were "
                 "used in Ukraine. Israel says Iran's shipment of drones to Russia continues.")
    assert [(e.subtype, e.actor, e.target) for e in events] == [
        ("arms_transfer", "Iran", "Russia")]


def test_distinct_counts_stay_distinct(run) -> None:
    events = run("Israel said Iran had sent 200 missiles to Russia. Ukraine said Iran had "
                 "sent 400 missiles to Russia.")
    assert [e.quantity for e in events] == [200, 400]
    assert [e.id for e in events] == ["e1", "e2"]


@pytest.mark.parametrize("text", [
    "Japan did not send troops to Ukraine.",
    "Japan has never sent weapons to Ukraine.",
    "No meeting between Olaf Scholz and Emmanuel Macron took place.",
    "Will China send weapons to Russia?",
    "If Iran ships missiles to Russia, Britain will respond.",
    "The talks were described as useful.",
    "Egypt failed to send troops to Somalia.",
    "The firm said its launch in Berlin went well.",
])
def test_no_event(run, text: str) -> None:
    assert run(text) == []


@pytest.mark.parametrize("text", [
    "Seoul refused to supply weapons to Kyiv.",  # a refusal (REJECT), not a transfer
    "Leaders met in Brussels on Monday.",
    "The factory met Russia's demand for shells.",
    "The company launched a new phone in May.",
    "Kim Jong-un visited the new steel plant.",
])
def test_no_event_of_a_finer_kind(run, text: str) -> None:
    assert [e for e in run(text) if e.subtype is not None] == []


@pytest.mark.parametrize("text, type_, actor, target", [
    # every PLOVER type from the CAMEO dictionary, not only the arms-transfer family
    ("The Kremlin rejected the proposal from Tokyo.", "REJECT", "Russia", None),
    ("Seoul refused to supply weapons to Kyiv.", "REJECT", "South Korea", "Ukraine"),
    ("Chile demanded that Peru withdraw its ambassador.", "DEMAND", "Chile", "Peru"),
    ("Norway and Sweden agreed to hold joint naval drills.", "AGREE", "Norway", None),
    ("Finland threatened to impose sanctions on Belarus.", "THREATEN", "Finland", None),
    ("Russia shelled Ukraine on Sunday.", "FIGHT", "Russia", "Ukraine"),
    ("Bolivia staged protests against Peru.", "PROTEST", "Bolivia", "Peru"),
    ("Greece held talks with Turkey in Geneva.", "CONSULT", "Greece", "Turkey"),
    ("Ecuador praised Colombia for its help.", "SUPPORT", "Ecuador", "Colombia"),
    ("Brazil will provide food aid to Haiti.", "AGREE", "Brazil", "Haiti"),
    # intent reaches the act through a verb that governs no clause ("will begin shelling")
    ("Serbia will begin shelling Kosovo.", "THREATEN", "Serbia", "Kosovo"),
    # a demand by modal is the speaker's, of the clause's subject
    ("Argentina must release the detained sailors, Britain said.", "DEMAND", "United Kingdom",
     "Argentina"),
])
def test_general_types(run, text: str, type_: str, actor: str | None,
                       target: str | None) -> None:
    events = run(text)
    hits = [e for e in events if e.type == type_]
    assert hits, [(e.type, e.cameo, e.trigger, e.actor) for e in events]
    ev = hits[0]
    assert ev.cameo and load_cameo("en").type_of(ev.cameo) == type_
    if actor is not None:
        assert ev.actor == actor
    if target is not None:
        assert ev.target == target


def test_compound_actors_give_both(run) -> None:
    ev = next(e for e in run("Norway and Sweden agreed to hold joint naval drills.")
              if e.type == "AGREE")
    assert ev.actor == "Norway" and ev.participants == ["Norway", "Sweden"]


def test_passive_agent_is_the_actor(run) -> None:
    ev = next(e for e in run("Ukraine was attacked by Russia on Monday.") if e.type == "FIGHT")
    assert ev.actor == "Russia" and ev.target == "Ukraine"


@pytest.mark.parametrize("text", [
    # a general event is kept between parties the entity layer knows (the keys' events)
    "Police arrested twelve protesters in Lagos.",
    "Government troops shelled the town of Gao on Sunday.",
    "The two ministers held talks in Geneva.",
])
def test_general_events_need_named_parties(run, text: str) -> None:
    # (past the lead: a lead is held to parties, named or not; test_general_coder.py)
    assert run("The report came out on Monday. " + text) == []


def test_a_reporting_verb_is_no_event_what_it_reports_is(run) -> None:
    events = run("Officials said that Mali had expelled France's ambassador.")
    assert [e.type for e in events] == ["COERCE"]
    assert events[0].trigger == "expelled" and events[0].actor == "Mali"
    # a speech act that is an act of its own is coded
    assert [e.type for e in run("Moscow warned Tokyo against the deployment.")] == ["THREATEN"]


def test_events_carry_cameo_code_and_mode(run) -> None:
    ev = one([e for e in run("Kim Jong Un received a Russian military delegation.")
              if e.cameo])
    assert (ev.type, ev.cameo, ev.mode) == ("CONSULT", "043", "visit")
    # CAMEO codes the host (043, host a visit); the finer kind names the visitor first, as
    # every visit of the keys does: the delegation's country visits Kim
    assert (ev.subtype, ev.actor_key, ev.target_key) == ("visit", "country:RUS", ev.target_key)
    assert ev.target_key and "kim" in ev.target_key.lower()


def test_a_delegation_led_by_someone_is_theirs(run) -> None:
    ev = one([e for e in run("Kim Jong Un received a military delegation led by Russian "
                             "Deputy Defence Minister Alexei Krivoruchko.") if e.cameo])
    assert (ev.subtype, ev.actor, ev.target) == ("visit", "Alexei Krivoruchko", "Kim Jong-un")
    # a clause that only describes the thing names no owner of it
    assert [e.target for e in run("North Korea dismissed allegations that its weapons were "
                                  "used by Hamas.")] in ([], [None])


def test_demands_and_state_voices(run) -> None:
    ev = one(run("Seoul demanded that Pyongyang stop the launches."))
    assert (ev.type, ev.actor, ev.target) == ("DEMAND", "South Korea", "North Korea")
    # a state body acts for its state; a condemnation is an accusation
    ev = one(run("The DPRK Foreign Ministry bitterly condemns the provocative attempts of "
                 "Japan."))
    assert (ev.type, ev.subtype, ev.actor, ev.target) == (
        "DISAPPROVE", "accusation", "North Korea", "Japan")
    # "I" and "we" in a statement announced as such are its issuer's, and an official
    # warns for the state
    text = ("Pyongyang, June 10 (KCNA) -- Kim Yo Jong, vice department director of the "
            "Central Committee of the Workers' Party of Korea, issued the following press "
            "statement on Sunday. We strongly denounce the childish behavior of the ROK. "
            "I sternly warn Seoul to halt the reckless drills immediately.")
    got = [(e.subtype, e.actor, e.target, e.source) for e in run(text)]
    assert ("accusation", "North Korea", "South Korea", "Kim Yo-jong") in got
    assert ("warning", "North Korea", "South Korea", "Kim Yo-jong") in got
    # without the announcement, "I" names nobody
    assert run("I sternly warn Seoul to halt the reckless drills immediately.") == []


def test_headline_lines_are_not_claims(run) -> None:
    text = "Iran ships drones to Russia\nThe weather was mild in Tehran on Monday."
    assert run(text) == []


def test_lexicon_is_extendable(nlp, tmp_path: Path) -> None:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    # (a verb neither lexicon knows: "airlifted rifles" is FLY's "* &WEAPON" [072] in the
    # CAMEO dictionary, read by the general coder since FLY's "* (TO)" is held to "fly")
    data["verbs"]["ferry"] = {"frame": "transfer"}
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    doc = nlp(make_doc(nlp, "Egypt ferried rifles to Sudan.", outlet="Test Wire"))
    assert [e for e in doc._.sl_events if e.subtype] == []
    events = extract_events(doc, load_lexicon(str(path)))
    assert [(e.subtype, e.actor, e.target) for e in events] == [
        ("arms_transfer", "Egypt", "Sudan")]


def test_launch_with_a_named_payload(run) -> None:
    ev = one(run("Japan announced the launch of a weather satellite."))
    assert (ev.subtype, ev.actor) == ("satellite_launch", "Japan")


def test_sentence_initial_pronoun_continues_the_topic(run) -> None:
    ev = one(run("Egypt has rebuilt its army. It sent 400 troops to Somalia in May."))
    assert (ev.subtype, ev.actor, ev.target, ev.quantity) == (
        "troop_deployment", "Egypt", "Somalia", 400)


def test_parse_across_a_title_line(run) -> None:
    text = "Talks in Cairo\n\nJordanian Foreign Minister Ayman Safadi is in Cairo on Monday."
    ev = one(run(text))
    assert (ev.subtype, ev.actor, ev.target) == ("visit", "Ayman Safadi", "Egypt")


@pytest.mark.parametrize("text, subtype, actor, target", [
    # one collective noun, two countries: "X and Y officials"
    ("Japanese and Australian officials met in Canberra on Monday.", "meeting", "Japan",
     "Australia"),
    ("Egyptian and Sudanese diplomats held talks in Cairo.", "meeting", "Egypt", "Sudan"),
    # agreeing to something (not agreeing that something is so)
    ("Chile and Peru agreed on Tuesday to reopen the border.", "agreement", "Chile", "Peru"),
    ("Japan agreed with Australia on a new radar network.", "agreement", "Japan", "Australia"),
    ("Japan is consulting closely with Australia.", "meeting", "Japan", "Australia"),
    ("Iran traded oil with China.", "trade", "Iran", "China"),
    ("Iran moved 300 containers of rockets to Syria.", "arms_transfer", "Iran", "Syria"),
    # the giver named by the item's modifier
    ("Iran is receiving Russian technical assistance for its drone program.",
     "technology_transfer", "Russia", "Iran"),
    # a participle with its own subject is active: "reports that X has shipped ..."
    ("Poland is concerned by reports that Belarus has shipped tanks to Russia.",
     "arms_transfer", "Belarus", "Russia"),
    # the object gap of a relative clause: "the sanctions [that] X imposed on Y"
    ("Ministers discussed the sanctions the European Union imposed on Belarus.",
     "sanctions_designation", "European Union", "Belarus"),
    ("Olaf Scholz will travel on to Tokyo after the summit.", "visit", "Olaf Scholz", "Japan"),
    # a ship at a port: the country the port's modifier names
    ("An Iranian warship arrived at the Russian port of Novorossiysk on Friday.", "port_call",
     "Iran", "Russia"),
    ("An Iranian frigate has docked at the Russian port of Novorossiysk.", "port_call", "Iran",
     "Russia"),
])
def test_more_wordings(run, text: str, subtype: str, actor: str, target: str) -> None:
    ev = one(run(text))
    assert (ev.subtype, ev.actor, ev.target) == (subtype, actor, target)
    assert ev.evidence == text[ev.start:ev.end]


def test_meeting_and_agreement_of_coordinated_sides(run) -> None:
    events = run("Japanese and Australian officials met in Canberra and agreed to share radar "
                 "data.")
    assert [(e.subtype, e.actor, e.target) for e in events] == [
        ("meeting", "Japan", "Australia"), ("agreement", "Japan", "Australia")]
    assert events[0].where == "Canberra"


def test_the_two_sides_are_the_pair_named_before(run) -> None:
    events = run("Egyptian and Sudanese officials held talks in Cairo. The two sides agreed to "
                 "resume flights.")
    assert [(e.subtype, e.actor, e.target) for e in events] == [
        ("meeting", "Egypt", "Sudan"), ("agreement", "Egypt", "Sudan")]


def test_capital_of_a_party_is_the_place(run) -> None:
    ev = one(run("Officials from Chile and Peru met in Lima on Friday."))
    assert (ev.actor, ev.target, ev.where) == ("Chile", "Peru", "Lima")


def test_time_of_the_agreement(run) -> None:
    ev = one(run("Chile and Peru agreed on Tuesday to reopen the border."))
    assert ev.when_text == "Tuesday" and ev.when is not None


@pytest.mark.parametrize("text", [
    "Chile and Peru agreed that the talks were useful.",
    "Olaf Scholz returned to Berlin.",
    "Cuba and Syria are both subject to sweeping trade sanctions.",
    "The company moved its headquarters to Dubai.",
    "Egypt moved to calm the markets.",
])
def test_no_event_in_other_wordings(run, text: str) -> None:
    assert run(text) == []


def test_trading_as_a_modifier_is_no_trade(run) -> None:
    ev = one(run("Egypt and Jordan signed a trading agreement."))
    assert (ev.subtype, ev.actor, ev.target) == ("agreement", "Egypt", "Jordan")


@pytest.mark.slow
def test_meeting_a_demand_is_no_meeting(nlp):
    from storyline.nlp import make_doc

    doc = nlp(make_doc(nlp, "Japan is running its factories at full capacity to meet China's "
                            "demand, officials said.", published="2024-03-01"))
    assert not [e for e in doc._.sl_events if e.type == "CONSULT"]


def test_a_meeting_is_written_guest_first_where_its_place_says_who_hosts(run) -> None:
    ev = one(run("President Vladimir Putin met North Korea's Kim Jong Un at the Vostochny "
                 "Cosmodrome in Russia's Far East on Wednesday."))
    assert (ev.subtype, ev.actor, ev.target) == ("summit", "Kim Jong-un", "Vladimir Putin")
    # a fixed phrase names its own kind over its head's; Pyongyang hosts
    ev = one(run("Vladimir Putin and Kim Jong Un held summit talks in Pyongyang on Wednesday."))
    assert (ev.subtype, ev.actor, ev.target) == ("summit", "Vladimir Putin", "Kim Jong-un")
    # no place: the text's order stays
    ev = one(run("Vladimir Putin met Kim Jong Un on Wednesday."))
    assert (ev.actor, ev.target) == ("Vladimir Putin", "Kim Jong-un")
    # a meeting of officials keeps the text's order wherever it is held
    ev = one(run("U.S. and South Korean defense officials are set to convene in Washington "
                 "this Thursday."))
    assert (ev.subtype, ev.actor, ev.target) == ("meeting", "United States", "South Korea")


def test_a_dateline_place_is_no_party() -> None:
    from storyline.clean.header import dateline_end

    assert dateline_end("Seoul, June 19 (IANS) Russian President Vladimir Putin said") == 22
    assert dateline_end("PYONGYANG, June 10 (KCNA) -- Kim Yo Jong") == 29
    assert dateline_end("Putin (left) and Kim met on Wednesday.") is None
    assert dateline_end("Moscow (Russia) is cold.") is None


def test_a_dateline_never_acts(run) -> None:
    ev = one(run("Seoul, June 19 (IANS) Russian President Vladimir Putin and North Korean "
                 "leader Kim Jong-un signed a strategic partnership treaty in Pyongyang."))
    # (a signed treaty binds the states its signatories lead: docs/EVALUATION.md)
    assert (ev.subtype, ev.actor, ev.target) == ("agreement", "Russia", "North Korea")
    # a place that only names what a site is for names no event ("a launch site")
    assert [e.subtype for e in run("Russian President Vladimir Putin met North Korean leader "
                                   "Kim Jong Un at the rocket launch site.")] == ["summit"]


def test_an_official_named_by_title_accuses_for_the_state(run) -> None:
    ev = one(run("U.S. deputy ambassador Robert Wood accused Russia of attempting to silence "
                 "independent investigations."))
    assert (ev.subtype, ev.actor, ev.target, ev.source) == (
        "accusation", "United States", "Russia", "Robert Wood")


def test_a_joint_exercise_has_the_other_side_as_target(run) -> None:
    ev = one(run("The United States and South Korea held joint military drills."))
    assert (ev.subtype, ev.actor, ev.target) == ("military_exercise", "United States",
                                                "South Korea")
    ev = one(run("The U.S. is planning to stage nuclear operation exercises with the ROK."))
    assert (ev.subtype, ev.actor, ev.target, ev.status) == (
        "military_exercise", "United States", "South Korea", "planned")
    ev = one(run("South Korea staged the largest-ever drill."))
    assert (ev.actor, ev.target) == ("South Korea", None)
