"""Events in languages without a parser: a trigger of the pack in a sentence, and the
sentence's entities in the roles of the subtype's frame.

The triggers are data per language (`lang/<code>/events.triggers.json`: subtype -> word
beginnings); the frames are shared (`lang/xx/events.frames.json`: subtype -> PLOVER type
and the kind of entity each role takes). STATE is a country named in the sentence or the
country of a person named there (a treaty Putin and Kim sign is Russia's and North
Korea's); in a frame marked `visitor` the actor is the one who is not at home in the place
the sentence names (a leader received in Pyongyang is the guest of North Korea). One event
per subtype, actor and target in a document: a later sentence about the same thing adds
nothing. Canonical names are the knowledge base's, so the same event reads the same in
every language.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..clean.outlets import lookup as outlet_lookup
from ..lang import get_pack
from ..records import Entity, Event, Quote, TimeMention
from .kb import KB
from .mlnumbers import find_numbers

__all__ = ["find_events", "sentences", "speaking_parties"]

_BACK = 400  # how far before its sentence a target the sentence does not name may be
# A sentence ends at . ! ? (and their CJK forms) or a line break, but not at the dot of a
# number ("13.000") or of an initial or a title ("M. Poutine").
_SENT = re.compile(r"(?:[^\n.!?。！？]|(?<=\d)\.(?=\d)|(?<=(?<![\w])\w)\.(?=\s))+"
                   r"(?:[.!?。！？]+|$)")
_SPACED = ("Latn", "Cyrl")
_GAP = r"[^.!?。！？\n]{0,12}?"  # what '*' in a trigger stands for


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split at sentence punctuation and line breaks."""
    out = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if e - s >= 4:
            out.append((s, e))
    return out


@dataclass(frozen=True)
class _Frame:
    subtype: str
    type: str
    actor: str
    target: str | None  # None: the frame has no target (a missile test)
    visitor: bool
    actor_near: bool = False
    target_after: bool = False
    forums: frozenset[str] = frozenset()
    counted: bool = False


@functools.lru_cache(maxsize=32)
def _triggers(code: str) -> tuple[list[tuple[str, re.Pattern[str]]], dict[str, _Frame]]:
    pack = get_pack(code)
    frames_raw = (get_pack("xx").data("events.frames", {}) or {}).get("frames", {})
    frames = {k: _Frame(k, v["type"], v["actor"], v.get("target"), bool(v.get("visitor")),
                        bool(v.get("actor_near")), bool(v.get("target_after")),
                        frozenset(v.get("forums", ())), bool(v.get("counted")))
              for k, v in frames_raw.items()}
    table = (pack.data("events.triggers", {}) or {}).get("triggers", {})
    b = r"(?<![\w])" if pack.script in _SPACED else ""
    out = []
    for subtype, words in table.items():
        if subtype not in frames or not words:
            continue
        # "미사일*발사": '*' stands for a few characters of the same sentence ("미사일 1발을 발사")
        alt = "|".join(_GAP.join(re.escape(p) for p in w.split("*"))
                       for w in sorted(words, key=len, reverse=True))
        out.append((subtype, re.compile(b + "(?:" + alt + ")", re.IGNORECASE)))
    return out, frames


@dataclass
class _Named:
    start: int
    entity: Entity
    country: str | None  # ISO3 of the country it is, belongs to or stands for
    is_state: bool
    is_place: bool  # a place that is not the whole country (a city, a spaceport)
    end: int = 0
    in_name: bool = False  # a country named inside another name ("러시아 외무부", "МИД России")


@functools.lru_cache(maxsize=32)
def _locatives(code: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Words before (à, в, 在) and after (에서, で) a name that make it a place."""
    places = get_pack(code).data("places", {}) or {}
    spaced = get_pack(code).script in _SPACED

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    before = after = None
    if places.get("before"):
        b = r"(?<![\w])" if spaced else ""
        before = re.compile(b + "(?:" + alt(places["before"]) + r")\s*$", re.IGNORECASE)
    if places.get("after"):
        after = re.compile(r"^\s*(?:" + alt(places["after"]) + ")")
    return before, after


def _named(entities: list[Entity], kb: KB, text: str = "", code: str = "xx") -> list[_Named]:
    before, after = _locatives(code)
    out = []
    for ent in entities:
        actor = kb.get(ent.key) or kb.body(ent.key)
        country = getattr(actor, "country", None)
        is_state = ent.key.startswith("country:")
        if is_state and country is None:
            country = ent.key.split(":", 1)[1]
        is_place = ent.type in ("FAC", "LOC") or (ent.type == "GPE" and not is_state)
        for m in ent.mentions:
            placed = is_place or (is_state and any(k == "metonym"
                                                    for _, k in kb.entries(m.text)))
            if is_state and not placed and text:
                placed = bool(before and before.search(text[max(0, m.start - 12):m.start]) or
                              after and after.match(text[m.end:m.end + 8]))
            out.append(_Named(m.start, ent, country, is_state, placed, m.end))
    out.sort(key=lambda n: n.start)
    spans = [(n.start, n.end) for n in out if not n.entity.key.startswith("country:")]
    for n in out:
        if n.is_state and any(a <= n.start and n.end <= b and (a, b) != (n.start, n.end)
                              for a, b in spans):
            n.in_name = True
    return out


def speaking_parties(text: str, code: str, entities: list[Entity], kb: KB
                     ) -> list[tuple[int, int, Entity]]:
    """(start, end, entity) of the bodies and states a text names that can make a
    statement: not a place, not a country named inside another name, not a person."""
    out = []
    spaced = get_pack(code).script in _SPACED
    for n in _named(entities, kb, text, code):
        if n.entity.type == "PERSON" or n.is_place or n.in_name:
            continue
        if n.is_state and spaced and text[n.start:n.start + 1].islower():
            continue  # "russe", "американский": an adjective of nationality speaks for no one
        if n.is_state or n.entity.type == "ORG":
            out.append((n.start, n.end, n.entity))
    return out


def _state(kb: KB, iso3: str | None) -> tuple[str, str] | None:
    if not iso3:
        return None
    actor = kb.get(f"country:{iso3}")
    return (actor.key, actor.name) if actor else None


def _fillers(kind: str, named: list[_Named], kb: KB) -> list[tuple[str, str, str | None]]:
    """(key, canonical name, country) of the sentence's entities that can fill a role, in
    the order they are named (a news outlet fills none: it reports, it does not act)."""
    out: list[tuple[str, str, str | None]] = []
    for n in named:
        e = n.entity
        actor = kb.get(e.key)
        if outlet_lookup(e.name) is not None or getattr(actor, "sector", None) == "MED":
            continue
        if kind == "PERSON" and e.type == "PERSON":
            out.append((e.key, e.name, n.country))
        elif kind == "STATE" and (n.is_state or e.type == "PERSON") and not n.in_name:
            st = _state(kb, n.country) if e.type == "PERSON" else (e.key, e.name)
            if st:
                out.append((*st, n.country))
        elif kind == "BODY" and e.type == "ORG":
            out.append((e.key, e.name, n.country))
    seen: set[str] = set()
    return [f for f in out if not (f[0] in seen or seen.add(f[0]))]  # type: ignore[func-returns-value]


_Filler = tuple[str, str, "str | None"]  # (key, canonical name, country)


def _nearest_state(named: list[_Named], s: int, e: int, kb: KB, not_key: str | None
                   ) -> tuple[str, str, str | None] | None:
    """The state (or a person's or body's state) named nearest to [s, e), not `not_key`."""
    best: tuple[int, tuple[str, str, str | None]] | None = None
    for n in named:
        if n.is_place or n.in_name or n.entity.key == not_key:
            continue
        if n.is_state:
            st: tuple[str, str] | None = (n.entity.key, n.entity.name)
        elif n.entity.type in ("PERSON", "ORG") and outlet_lookup(n.entity.name) is None:
            st = _state(kb, n.country)
        else:
            st = None
        if st is None or st[0] == not_key:
            continue
        gap = s - n.end if n.end <= s else max(0, n.start - e)
        if best is None or gap < best[0]:
            best = (gap, (*st, n.country))
    return best[1] if best else None


def _place_states(named: list[_Named], kb: KB) -> list[tuple[str, str, str | None]]:
    """The countries of the places a sentence names that are not countries themselves
    ("러시아 극동 지역에", "в Приморье"): a state's role when no state is named."""
    out = []
    for n in named:
        if n.is_place and not n.is_state and n.country:
            st = _state(kb, n.country)
            if st and st[0] not in (o[0] for o in out):
                out.append((*st, n.country))
    return out


def _fitting(cands: list[_Filler], actor: _Filler, frame: _Frame) -> list[_Filler]:
    """The targets that can go with `actor`: not the actor, not a forum of the frame, not
    of the actor's own country."""
    return [t for t in cands if t[0] != actor[0] and t[0] not in frame.forums
            and (not t[2] or not actor[2] or t[2] != actor[2])]


def _host(named: list[_Named]) -> str | None:
    """The country of the first place the sentence names (a city standing for its country
    counts: "in Pyongyang") that is also a party in it (one of its people is named, or it
    is named other than as the place: "Kim ... in Pyongyang"; not "the war in Ukraine"),
    else None."""
    parties = {n.country for n in named if n.country and not n.is_place}
    return next((n.country for n in named if n.is_place and n.country in parties), None)


@functools.lru_cache(maxsize=32)
def _status_rx(code: str) -> list[tuple[str, re.Pattern[str]]]:
    cues = get_pack(code).data("status", {}) or {}
    b = r"(?<![\w])" if get_pack(code).script in _SPACED else ""
    return [(status, re.compile(b + "(?:" + "|".join(
        re.escape(w) for w in sorted(cues[status], key=len, reverse=True)) + ")",
        re.IGNORECASE)) for status in ("hedged", "planned") if cues.get(status)]


def _status(text: str, s: int, e: int, code: str) -> tuple[str, str | None]:
    """The status a cue of the pack (`status.json`) in the sentence sets, else asserted."""
    for status, rx in _status_rx(code):
        m = rx.search(text, s, e)
        if m:
            return status, m.group(0).strip()
    return "asserted", None


def _quantity(text: str, s: int, e: int, at: int, code: str,
              times: list[TimeMention]) -> float | None:
    """The number nearest the trigger at `at` in the sentence [s, e), not one of a time
    expression ("1만3000개 컨테이너", "13 тысяч контейнеров")."""
    nums = [(a, b, v) for a, b, v in find_numbers(text, code, s, e)
            if not any(a < t.end and t.start < b for t in times)]
    if not nums:
        return None
    return min(nums, key=lambda n: min(abs(n[0] - at), abs(at - n[1])))[2]


@functools.lru_cache(maxsize=32)
def _bounds(code: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Words that make a time a bound, not the time of what happens: a deadline or a
    starting point, before it ("до", "bis", "jusqu'au", "depuis") or after it ("까지",
    "まで", "以来") (`times.json`: until_before, until_after, since_before, since_after)."""
    pack = get_pack(code)
    words = pack.data("times", {}) or {}
    b = r"(?<![\w])" if pack.script in _SPACED else ""

    def alt(ws: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))

    pre = [*words.get("until_before", ()), *words.get("since_before", ())]
    post = [*words.get("until_after", ()), *words.get("since_after", ())]
    before = re.compile(b + "(?:" + alt(pre) + r")\s*$", re.IGNORECASE) if pre else None
    after = re.compile(r"\s*(?:" + alt(post) + ")") if post else None
    return before, after


def _bound(text: str, t: TimeMention, code: str) -> bool:
    """Whether a time bounds what happens rather than dates it ("продлению до 30 апреля
    2025 года", "30일까지", "la première visite depuis 2000")."""
    before, after = _bounds(code)
    head = text[max(0, t.start - 16):t.start]
    return bool(before and (before.search(head) or before.search(
        text[t.start:t.end].split(" ")[0] + " ")) or after and after.match(text, t.end))


def _speaker_of(at: int, quotes: list[Quote]) -> Quote | None:
    """The attributed statement (quoted or reported) a trigger at `at` lies in, if any."""
    return next((q for q in quotes if q.speaker_key and q.start <= at < q.end), None)


def _since(text: str, t: TimeMention, code: str) -> bool:
    """Whether a time is the start of what goes on since ("depuis août", "8월 이후",
    "自8月以来", "с августа"): `times.json` since_before / since_after."""
    pack = get_pack(code)
    words = pack.data("times", {}) or {}
    b = r"(?<![\w])" if pack.script in _SPACED else ""
    pre, post = words.get("since_before") or [], words.get("since_after") or []
    head = text[max(0, t.start - 16):t.start] + " "
    first = text[t.start:t.end].split(" ")[0] + " "
    if pre:
        rx = re.compile(b + "(?:" + "|".join(re.escape(w) for w in pre) + r")\s*$",
                        re.IGNORECASE)
        if rx.search(head[:-1]) or rx.search(first):
            return True
    return bool(post) and re.match(r"\s*(?:" + "|".join(re.escape(w) for w in post) + ")",
                                   text[t.end:t.end + 8]) is not None


def _when(text: str, times: list[TimeMention], code: str, anchor: str | None,
          ongoing: bool = False) -> tuple[object, str | None]:
    """(value, text) of the time of what a clause reports: its first time that dates it;
    for what goes on over time (`ongoing`: shipments, deployments), a start it goes on
    since ("since August") gives the range up to the anchor's month (a visit "the first
    since 2000" is not dated by it); unresolved times stand as read (the linker reads them
    again)."""
    dating = [t for t in times if not _bound(text, t, code)]
    since = [t for t in times if t.value and isinstance(t.value, str) and _since(text, t, code)]
    if ongoing and since and anchor and not any(t.value is not None for t in dating):
        start = since[0].value
        end = anchor[:len(start)] if len(start) <= 7 else anchor[:10]
        if start < end:
            return [start, end], since[0].text
        return start, since[0].text
    when = next((t for t in dating if t.value is not None), dating[0] if dating else None)
    return (when.value, when.text) if when else (None, None)


def find_events(text: str, code: str, entities: list[Entity], times: list[TimeMention],
                kb: KB, outlet: str | None, quotes: list[Quote] | None = None,
                anchor: str | None = None) -> list[Event]:
    """The events of one document (see the module docstring). An event told inside a
    statement someone makes (`quotes`: quoted or reported) is that speaker's claim, its
    parties and its time those of the statement's content (the speaker and the day he
    spoke are not parties to what he reports); any other is the outlet's. A denial
    (`denial` triggers) is its denier's, of the last event before it the denier is party to."""
    triggers, frames = _triggers(code)
    if not triggers:
        return []
    everything = _named(entities, kb, text, code)
    out: list[Event] = []
    denials: list[tuple[int, int, re.Match[str]]] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    for s, e in sentences(text):
        for subtype, rx in triggers:
            m = rx.search(text, s, e)
            if m is None:
                continue
            if subtype == "denial":
                denials.append((s, e, m))
                continue
            said = _speaker_of(m.start(), quotes or [])
            # a reported statement's parties are named in its content
            cs, ce = (said.start, said.end) if said else (s, e)
            named = [n for n in everything if cs <= n.start < ce]
            frame = frames[subtype]
            actors = _fillers(frame.actor, named, kb)
            if not actors and said:
                cs, ce = s, e
                named = [n for n in everything if s <= n.start < e]
                actors = _fillers(frame.actor, named, kb)
            if not actors:
                continue
            targets = _fillers(frame.target, named, kb) if frame.target else []
            actor = actors[0]
            if frame.actor_near:
                before = [n for n in named if n.start < m.start()]
                keys = [a[0] for a in actors]
                for n in reversed(before):
                    hit = next((a for a in actors if a[0] == n.entity.key or (
                        n.entity.type == "PERSON" and a[2] == n.country and
                        a[0] not in (x.entity.key for x in named))), None)
                    if hit is not None and hit[0] in keys:
                        actor = hit
                        break
            if frame.target is None:
                # what a state does alone (a launch): the state named nearest to it, before
                # ("북한의 미사일 발사") or after ("пуски ракет КНДР"), not whoever speaks of it
                near = _nearest_state(named, m.start(), m.end(), kb,
                                      said.speaker_key if said else None)
                actor = near or actor
            host = _host(named) if frame.visitor else None
            if host:
                guests = [a for a in actors if a[2] and a[2] != host]
                actor = guests[0] if guests else actor
            fits = _fitting(targets, actor, frame)
            if frame.target is None:
                fits = [("", "", None)]  # no target to find
            if not fits and frame.target == "BODY":  # "the panel ... Russia vetoed it"
                earlier = [n for n in everything if s - _BACK <= n.start < s]
                fits = _fitting(_fillers(frame.target, earlier, kb), actor, frame)[-1:]
            if not fits and frame.target == "STATE":  # "러시아 극동 지역에": Russia's
                fits = _fitting(_place_states(named, kb), actor, frame)
            if not fits:
                continue
            target = fits[0]
            if frame.target_after:
                after = _fitting(_fillers(frame.target, [n for n in named
                                                         if n.start >= m.end()], kb),
                                 actor, frame)
                target = after[0] if after else fits[-1]
            if host and frame.target == "STATE":  # a visit's target is the host country
                target = next((t for t in fits if t[2] == host), target)
            sig = (subtype, frozenset(k for k in (actor[0], target[0]) if k))
            if sig in seen:
                continue
            seen.add(sig)
            # the clause's time, even unresolved: the linker reads it again against the
            # dates other articles give the same event ("19日" in an undated article)
            inside = [t for t in times if cs <= t.start < ce]
            when, when_text = _when(text, inside, code, anchor, frame.counted)
            status, cue = _status(text, s, e, code)
            # no number of a time counts, a bound's included ("8월 이후": since August)
            quantity = _quantity(text, cs, ce, m.start(), code, inside) if frame.counted \
                else None
            out.append(Event(id=f"e{len(out) + 1}", type=frame.type, subtype=subtype,
                             start=s, end=e, evidence=text[s:e], actor=actor[1],
                             target=target[1] or None, actor_key=actor[0],
                             target_key=target[0] or None,
                             when=when, when_text=when_text,
                             source=said.speaker if said else outlet,
                             source_key=said.speaker_key if said else None,
                             source_is_outlet=said is None, trigger=m.group(0), status=status,
                             cue=cue, quantity=quantity))
    for s, e, m in denials:
        d = _denial(text, s, e, m, everything, out, kb, quotes or [])
        if d is not None:
            out.append(d)
    return out


def _denier(named: list[_Named], at: int, kb: KB) -> tuple[str, str, str | None] | None:
    """Who denies: the state of the party named last before the denial's verb in its
    sentence (a person or a body speaks for its country, as a state does)."""
    for n in reversed([n for n in named if n.start < at and not n.is_place and not n.in_name]):
        e = n.entity
        if outlet_lookup(e.name) is not None:
            continue
        if n.is_state:
            return e.key, e.name, n.country
        st = _state(kb, n.country)
        if st and e.type in ("PERSON", "ORG"):
            return (*st, n.country)
    return None


def _denial(text: str, s: int, e: int, m: re.Match[str], everything: list[_Named],
            events: list[Event], kb: KB, quotes: list[Quote]) -> Event | None:
    """The denial a `denial` trigger makes: its denier (`_denier`), the event it denies (the
    last one before it the denier is party to, in the denial's sentence first: "denied
    sending arms" -- an act told only inside the denial is denied, not asserted), or none
    found here (the cross-document layer links it)."""
    who = _denier([n for n in everything if s <= n.start < e], m.start(), kb)
    if who is None:
        return None
    key, name, country = who

    def party(ev: Event) -> bool:
        return key in (ev.actor_key, ev.target_key) or bool(country) and any(
            k == f"country:{country}" for k in (ev.actor_key, ev.target_key))

    deniable = [ev for ev in events if ev.subtype not in ("accusation", "denial")]
    own = [ev for ev in deniable if s <= ev.start < e and party(ev)]
    denied = own[0] if own else next((ev for ev in reversed(deniable)
                                      if ev.start < s and party(ev)), None)
    if denied is not None:
        if name not in denied.denied_by:
            denied.denied_by.append(name)
        if own:
            denied.status = "denied"
            denied.source, denied.source_key, denied.source_is_outlet = name, key, False
    frame_type = "REJECT"
    return Event(id=f"e{len(events) + 1}", type=frame_type, subtype="denial", start=s, end=e,
                 evidence=text[s:e], actor=name, actor_key=key,
                 target=denied.id if denied else None, source=name, source_key=key,
                 source_is_outlet=False, trigger=m.group(0), status="asserted")
