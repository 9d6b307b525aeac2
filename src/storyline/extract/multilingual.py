"""The `storyline_multilingual` component: extraction for languages other than English.

One component per non-English pipeline (nlp.load_nlp_for). It reads everything
language-specific from the document's language pack, so adding a language adds data, not
code:

    entities   the knowledge base's names (its English names and, through `KB.names_in`,
               its names in the document's language: lang/<code>/actors.names.json), matched on
               the text: from a word start in scripts with spaces (with the inflected
               endings of Cyrillic nouns: "Ким Чен Ыном"), anywhere in CJK text; in a
               pipeline with a statistical NER (French), its people, places and
               organisations the KB does not know are kept too
    times      extract/mltimes.py
    quotes     text inside the pack's quotation marks (`quote_marks.json`), attributed to
               the person named nearest to it in its paragraph, after a speech verb of
               the pack (`speech_verbs.json`) when there is one; reported speech without
               quotation marks ("заявил, что ...", "...라고 말했다") by the pack's
               `reported_speech.json` (extract/mlreported.py), as indirect quotes
    events     extract/mlevents.py
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..lang import LanguagePack, get_pack
from ..records import Entity, Mention, Quote
from . import doc_text, register_extensions
from .kb import KB, load_kb, slugify
from .mlevents import find_events
from .mlreported import find_reported
from .mltimes import find_times

register_extensions()

__all__ = ["MultilingualComponent", "find_entities", "find_quotes", "speaker_mentions"]

_KINDS = {"name", "alias", "official", "metonym", "demonym", "people", "abbrev"}
_CYRL_END = "аяоеиыуюьйіїєё"
_SPACED = ("Latn", "Cyrl", "Grek", "Zyyy")
_NER_TYPES = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "GPE", "GPE": "GPE", "ORG": "ORG"}


def _language_names(pack: LanguagePack, kb: KB) -> dict[str, str]:
    """surface -> KB key for the names of the KB's actors in this language
    (`KB.names_in`, from lang/<code>/actors.names.json)."""
    out: dict[str, str] = {}
    for key, names in kb.names_in(pack.code).items():
        for n in names:
            if n.strip():
                out.setdefault(n.strip(), key)
    return out


def _word_pattern(word: str, script: str) -> str:
    """A word of a name; in Cyrillic its case endings too ("Путин" -> "Путина")."""
    if script == "Cyrl" and len(word) >= 4 and word[-1].isalpha():
        stem = word.rstrip(_CYRL_END) if len(word.rstrip(_CYRL_END)) >= 3 else word
        stem = stem if len(word) - len(stem) <= 2 else word[:-2]
        return re.escape(stem) + r"\w{0,3}"
    return re.escape(word)


def _initial(pattern: str, word: str) -> str:
    """A word's pattern that also takes its capitalised form when it is written in lower
    case ("лидер КНДР" opening a sentence: "Лидер КНДР")."""
    if word[:1].islower() and word[:1].upper() != word[:1]:
        return "[" + re.escape(word[0]) + re.escape(word[0].upper()) + "]" + \
            pattern[len(re.escape(word[0])):]
    return pattern


def _name_rx(names: list[str], script: str) -> re.Pattern[str] | None:
    """One regex of these names, longest first, with the script's word boundaries."""
    spaced = script in _SPACED or script == "Cyrl"
    alts = []
    for surface in sorted(names, key=len, reverse=True):
        words = surface.split()
        if spaced:
            body = r"\s+".join(_word_pattern(w, script) for w in words)
            alts.append(_initial(body, words[0]))
        else:
            alts.append(r"\s*".join(re.escape(w) for w in words))
    if not alts:
        return None
    if spaced:
        rx = r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])"
    elif script == "Hang":
        rx = r"(?<![\uac00-\ud7af])(?:" + "|".join(alts) + ")"
    else:
        rx = "(?:" + "|".join(alts) + ")"
    return re.compile(rx)


@functools.lru_cache(maxsize=32)
def _gazetteer(code: str, kb_id: int) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One regex of every name for this language, and surface -> key."""
    pack = get_pack(code)
    kb = _KB[kb_id]
    names: dict[str, str] = {}
    for surface, key, kind in kb.surfaces():
        if kind in _KINDS and len(surface) >= 2 and not surface.isdigit():
            names.setdefault(surface, key)
    names.update(_language_names(pack, kb))
    return _name_rx(list(names), pack.script), names


@functools.lru_cache(maxsize=32)
def _countries(code: str, kb_id: int) -> re.Pattern[str] | None:
    """The regex of the names of countries alone (`_inner_countries`)."""
    _, names = _gazetteer(code, kb_id)
    return _name_rx([n for n, k in names.items() if k.startswith("country:")],
                    get_pack(code).script)


_KB: dict[int, KB] = {}


def _key_of(found: str, names: dict[str, str], script: str) -> str | None:
    said = " ".join(found.split())
    key = names.get(found) or names.get(said) or names.get(said[:1].lower() + said[1:])
    if key or script != "Cyrl":
        return key
    # an inflected Cyrillic form: the name whose pattern matches it
    for surface, k in names.items():
        if surface[:3].lower() == found[:3].lower() and re.fullmatch(
                r"\s+".join(_word_pattern(w, script) for w in surface.split()), found,
                re.IGNORECASE):
            return k
    return None


def find_entities(doc: Doc, pack: LanguagePack, kb: KB) -> list[Entity]:
    """The KB actors (and, with a statistical NER, other names) the text mentions."""
    text = doc_text(doc)
    _KB[id(kb)] = kb
    rx, names = _gazetteer(pack.code, id(kb))
    mentions: dict[str, list[Mention]] = defaultdict(list)
    taken: list[tuple[int, int]] = []
    if rx is not None:
        for m in rx.finditer(text):
            key = _key_of(m.group(0), names, pack.script)
            if key is None or kb.get(key) is None:
                continue
            mentions[key].append(Mention(text=m.group(0), start=m.start(), end=m.end()))
            taken.append((m.start(), m.end()))
            if kb.get(key).type == "PERSON":
                _inner_countries(text, m.start(), m.end(), _countries(pack.code, id(kb)),
                                 names, pack, kb, mentions)
    taken += _bodies(text, pack, kb, mentions, taken)
    extra: dict[str, tuple[str, str]] = {}
    for ent in doc.ents:
        label = _NER_TYPES.get(ent.label_)
        if label is None or any(ent.start_char < e and s < ent.end_char for s, e in taken):
            continue
        surface = ent.text.strip()
        if len(surface) < 3 or not surface[:1].isupper() or "\n" in surface:
            continue
        if " " not in surface and len(surface) <= _SHORT_NER and not surface.isupper():
            continue  # "Etat", "Nord": a short capitalised word alone is rarely a name
        key = f"{label.lower()}:{slugify(surface)}"
        extra.setdefault(key, (surface, label))
        mentions[key].append(Mention(text=ent.text, start=ent.start_char, end=ent.end_char))
    _merge_people(mentions, extra, kb, pack)
    _merge_prefixes(mentions, extra)
    _titled_surnames(text, mentions, kb, pack)
    out = []
    for key, ms in mentions.items():
        actor = kb.get(key) or kb.body(key)
        name, etype = (actor.name, actor.type) if actor else extra[key]
        if actor is None and etype == "PERSON":
            name = " ".join(_person_words(name, pack.words("honorifics"))) or name
        ms.sort(key=lambda x: x.start)
        aliases = sorted({x.text for x in ms} - {name})
        out.append(Entity(key=key, name=name, type=etype, code=getattr(actor, "code", None),
                          aliases=aliases, mentions=ms))
    out.sort(key=lambda e: e.mentions[0].start)
    return out


_SHORT_NER = 4  # letters of a lone NER word too short to keep unless it is an acronym
_BODY_GAP = 3  # characters between a country's name and its body's ("러시아 외무부")


@functools.lru_cache(maxsize=32)
def _body_rules(code: str) -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str] | None,
                                    re.Pattern[str] | None, dict[str, str]]:
    """The pack's body names as patterns (generic id, regex), its linkers after a body
    ("de la"), before it ("의"), and its short country forms (`bodies.json`)."""
    pack = get_pack(code)
    data = pack.data("bodies", {}) or {}
    spaced = pack.script in _SPACED
    out = []
    for gid, names in (data.get("bodies") or {}).items():
        for name in names:
            words = name.split()
            parts = [r"[\w-]+" if w == "*" else re.escape(w) + (r"\w*" if spaced else "")
                     for w in words]
            rx = (r"\s+" if spaced else r"\s*").join(parts)
            out.append((gid, re.compile((r"(?<![\w])" if spaced else "") + rx +
                                        (r"(?![\w])" if spaced else ""), re.IGNORECASE)))
    links = sorted(data.get("linkers") or [], key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in links)
    after = re.compile(r"\s*(?:(?:" + alt + r")\s*)?", re.IGNORECASE) if links else \
        re.compile(r"\s*")
    before = re.compile(r"\s*(?:" + alt + r")?\s*$", re.IGNORECASE) if links else \
        re.compile(r"\s*$")
    return out, after, before, dict(data.get("country_short") or {})


def _bodies(text: str, pack: LanguagePack, kb: KB, mentions: dict[str, list[Mention]],
            taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The bodies every state has, named in the pack's words with their country ("러시아
    외무부", "МИД России", "le ministère russe des Affaires étrangères", "미 국방부"): each
    joins `mentions` under the key the English text gives it (`KB.generic_actor`), with the
    country's name inside its span. A body whose country is not named there is left out
    (never guessed). Returns the spans added."""
    rules, after, before, short = _body_rules(pack.code)
    if not rules:
        return []
    countries = sorted((m.start, m.end, k) for k, ms in mentions.items()
                       if k.startswith("country:") for m in ms)
    added: list[tuple[int, int]] = []
    bare: list[tuple[str, int, int]] = []  # bodies named without their country
    known: dict[str, str] = {}  # generic id -> the country it was named with
    home = get_pack(pack.code).data("bodies", {}).get("home") or {}
    for gid, rx in rules:
        if gid not in kb.generic:
            continue
        for m in rx.finditer(text):
            bs, be = m.start(), m.end()
            if any(bs < e and s < be and not _is_country(s, e, countries)
                   for s, e in taken + added):
                continue  # a name the KB knows ("국정원") or another body
            found = _body_country(text, bs, be, countries, after, before, short)
            if found is None:
                bare.append((gid, bs, be))
                continue
            iso, s, e = found
            if _add_body(kb, gid, iso, text, s, e, mentions):
                known.setdefault(gid, iso)
                added.append((s, e))
    # "러시아 외무부는 ... 외무부는": the body named with its country elsewhere (by the
    # rules above, or by its own name in the KB's names of the language); a body the
    # language names for its own state alone (`home`: 합참 in Korean) is that state's
    for gid in dict.fromkeys(g for g, _, _ in bare):
        if gid not in known:
            iso = _named_body_state(kb, gid, mentions)
            if iso:
                known[gid] = iso
    for gid, bs, be in bare:
        iso = known.get(gid) or home.get(gid)
        if iso and not any(bs < e and s < be for s, e in added) and \
                _add_body(kb, gid, iso, text, bs, be, mentions):
            added.append((bs, be))
    return added


def _named_body_state(kb: KB, gid: str, mentions: dict[str, list[Mention]]) -> str | None:
    """The state whose body `gid` the document names first under the KB's own key for it
    ("러시아 외무부" in lang/ko/actors.names.json), or None."""
    g = kb.generic[gid]
    firsts = sorted((ms[0].start, k) for k, ms in mentions.items() if ms)
    for _, key in firsts:
        actor = kb.get(key)
        iso = getattr(actor, "country", None)
        if iso and kb.generic_actor(g, iso).key == key:
            return str(iso)
    return None


def _add_body(kb: KB, gid: str, iso: str, text: str, s: int, e: int,
              mentions: dict[str, list[Mention]]) -> bool:
    """Add a mention of state `iso`'s body `gid` at [s, e) (not of a body only some states
    have, `known_only`, for another one)."""
    g = kb.generic[gid]
    if g.known_only and iso not in g.overrides:
        return False
    actor = kb.generic_actor(g, iso)
    mentions[actor.key].append(Mention(text=text[s:e], start=s, end=e))
    return True


def _is_country(s: int, e: int, countries: list[tuple[int, int, str]]) -> bool:
    return any(s == a and e == b for a, b, _ in countries)


def _body_country(text: str, bs: int, be: int, countries: list[tuple[int, int, str]],
                  after: re.Pattern[str], before: re.Pattern[str], short: dict[str, str]
                  ) -> tuple[str, int, int] | None:
    """(ISO3, span start, span end) of a body at [bs, be): its country named inside it,
    right before it, or right after it, or a short form right before it; else None."""
    for a, b, key in countries:
        if bs <= a and b <= be:
            return key[8:], bs, be
    for a, b, key in reversed(countries):
        if b <= bs and bs - b <= _BODY_GAP + 3 and before.fullmatch(text, b, bs) is not None:
            return key[8:], a, be
    for a, b, key in countries:
        if a >= be:
            gap = after.match(text, be)
            if gap is not None and gap.end() == a:
                return key[8:], bs, b
            break
    head = text[max(0, bs - 4):bs].rstrip()
    for form, iso in sorted(short.items(), key=lambda kv: -len(kv[0])):
        if head.endswith(form) and (len(head) == len(form) or not head[-len(form) - 1].isalnum()):
            return iso, bs - (len(text[max(0, bs - 4):bs]) - len(head)) - len(form), be
    return None


def _inner_countries(text: str, start: int, end: int, rx: re.Pattern[str] | None,
                     names: dict[str, str], pack: LanguagePack, kb: KB,
                     mentions: dict[str, list[Mention]]) -> None:
    """A person named by a title holding a country's name ("le dirigeant nord-coréen",
    "лидер КНДР", "北韩领导人"): that country is mentioned there too."""
    if rx is None:
        return
    for m in rx.finditer(text, start, end):
        key = _key_of(m.group(0), names, pack.script)
        if any(kind == "metonym" for _, kind in kb.entries(m.group(0))):
            continue  # "chef du Kremlin": the seat names the person's office, not a place
        if key is not None and kb.get(key) is not None:
            mentions[key].append(Mention(text=m.group(0), start=m.start(), end=m.end()))


def _merge_prefixes(mentions: dict[str, list[Mention]], extra: dict[str, tuple[str, str]]
                    ) -> None:
    """A place or body the NER found under a shorter name ("Corée") joins the entity one of
    whose mentions begins with it ("Corée du Nord")."""
    for key in [k for k, (_, t) in extra.items() if t != "PERSON" and k in mentions]:
        name = extra[key][0]
        into = next((k for k, ms in mentions.items() if k != key and any(
            m.text.startswith(name + " ") for m in ms)), None)
        if into is not None:
            mentions[into].extend(mentions.pop(key))


def _person_words(name: str, honorifics: frozenset[str]) -> list[str]:
    words = [w for w in name.replace("’", "'").split() if w.lower() not in honorifics]
    return words


def _merge_people(mentions: dict[str, list[Mention]], extra: dict[str, tuple[str, str]],
                  kb: KB, pack: LanguagePack) -> None:
    """One person, one entity: a name the NER found ("Poutine", "M. Poutine") joins the
    person of the document whose name ends with it or begins with it ("Kim" -> "Kim
    Jong-un"), a KB person first, else the longest name found."""
    honorifics = pack.words("honorifics")
    people: list[tuple[str, list[str]]] = []  # (key, forms as word lists)
    for key in mentions:
        actor = kb.get(key)
        if actor is not None and actor.type == "PERSON":
            people.append((key, _person_words(actor.name, honorifics)))
    found = sorted((k for k, (_, t) in extra.items() if t == "PERSON" and k in mentions),
                   key=lambda k: -len(_person_words(extra[k][0], honorifics)))
    for key in found:
        words = _person_words(extra[key][0], honorifics)
        if not words:
            continue
        into = next((k for k, w in people if k != key and (
            w[-1] == words[-1] or (len(words) == 1 and words[0] in (w[0], w[-1])))), None)
        if into is None:
            people.append((key, words))
            continue
        mentions[into].extend(mentions.pop(key))


_CJK_SCRIPTS = ("Hang", "Hani", "Jpan")


def _titled_surnames(text: str, mentions: dict[str, list[Mention]], kb: KB,
                     pack: LanguagePack) -> None:
    """'김 위원장', '金委員長': a family name and a title name the person of the document with
    that family name; when two share it, the one the title follows elsewhere in the text."""
    titles = sorted(pack.words("titles"), key=len, reverse=True)
    if pack.script not in _CJK_SCRIPTS or not titles:
        return
    people: dict[str, list[str]] = {}  # family name -> person keys
    for key, ms in mentions.items():
        actor = kb.get(key)
        if actor is None or actor.type != "PERSON":
            continue
        for m in ms:
            if len(m.text) >= 2:
                bucket = people.setdefault(m.text[0], [])
                if key not in bucket:
                    bucket.append(key)
    if not people:
        return
    taken = [(m.start, m.end) for ms in mentions.values() for m in ms]
    rx = re.compile("(" + "|".join(re.escape(s) for s in people) + r")\s?(" +
                    "|".join(re.escape(t) for t in titles) + ")")
    for hit in rx.finditer(text):
        if any(hit.start() < e and s < hit.end() for s, e in taken):
            continue
        keys = people[hit.group(1)]
        if len(keys) > 1:  # the one whose full name the same title follows
            keys = [k for k in keys if any(
                hit.group(2) in text[x.end:x.end + 15] for x in mentions[k])]
        if len(keys) == 1:
            mentions[keys[0]].append(Mention(text=hit.group(0), start=hit.start(),
                                             end=hit.end()))


# -- quotes -----------------------------------------------------------------------------------

_DEFAULT_MARKS = [["\u201c", "\u201d"], ["\u00ab", "\u00bb"], ["\u201e", "\u201c"],
                  ["\u300c", "\u300d"], ["\u300e", "\u300f"], ["\"", "\""],
                  ["\u2033", "\u2033"]]
_WINDOW = 160  # characters either side of a quote where its speaker is looked for
_BACK = 600  # how far back the person last named may be, when none is named around it


@functools.lru_cache(maxsize=32)
def _quote_rx(code: str) -> re.Pattern[str]:
    marks = get_pack(code).data("quote_marks", None) or _DEFAULT_MARKS
    alts = [re.escape(o) + r"([^\n" + re.escape(o + c) + r"]{4,600}?)" + re.escape(c)
            for o, c in marks]
    return re.compile("|".join(alts))


@functools.lru_cache(maxsize=32)
def _speech_rx(code: str) -> re.Pattern[str] | None:
    pack = get_pack(code)
    verbs = sorted(pack.words("speech_verbs"), key=len, reverse=True)
    if not verbs:
        return None
    b = r"(?<![\w])" if pack.script in _SPACED else ""
    return re.compile(b + "(?:" + "|".join(re.escape(v) for v in verbs) + ")", re.IGNORECASE)


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, len(text) if b < 0 else b


def _speaker(text: str, qs: int, qe: int, people: list[tuple[int, int, Entity]],
             speech: re.Pattern[str] | None, subject_of: Any = None,
             outside: list[tuple[int, int, Entity]] | None = None
             ) -> tuple[Entity, int, int, str | None] | None:
    """The person named nearest the quote in its paragraph (nearest a speech verb first).
    `subject_of(end)` (subject-object-verb languages: is the name ending there marked as
    the subject?): the subject named before the quote in its sentence speaks, else the
    first person named in it; with nobody named before it there, the running topic among
    the people named `outside` any quotation (`_running_topic`)."""
    pa, pb = _paragraph(text, qs, qe)
    if subject_of is not None:
        start = max(pa, max(text.rfind(c, 0, qs) for c in ".。!?！？") + 1)
        before = [(s, e, ent) for s, e, ent in people if start <= s and e <= qs]
        if before:
            marked = [x for x in before if subject_of(x[1])]
            s, e, ent = marked[-1] if marked else before[0]
            return ent, s, e, None
        topic = _running_topic(text, qs, qe, pb, people if outside is None else outside,
                               subject_of)
        if topic is not None:
            return (*topic, None)
    lo, hi = max(pa, qs - _WINDOW), min(pb, qe + _WINDOW)
    near = [(s, e, ent) for s, e, ent in people if lo <= s and e <= hi and (e <= qs or s >= qe)]
    if not near:
        # nobody named around it: the person named last before it, the running subject
        before = [(s, e, ent) for s, e, ent in people if qs - _BACK <= s and e <= qs]
        if not before:
            return None
        s, e, ent = before[-1]
        return ent, s, e, None
    cue = None
    if speech is not None:
        verbs = [m for m in speech.finditer(text, lo, hi) if m.end() <= qs or m.start() >= qe]
        if verbs:
            v = min(verbs, key=lambda m: min(abs(m.start() - qe), abs(qs - m.end())))
            cue = v.group(0)
            s, e, ent = min(near, key=lambda x: min(abs(x[0] - v.end()), abs(v.start() - x[1])))
            return ent, s, e, cue
    s, e, ent = min(near, key=lambda x: x[0] - qe if x[0] >= qe else (qs - x[1]) + 20)
    return ent, s, e, cue


def _running_topic(text: str, qs: int, qe: int, pb: int,
                   people: list[tuple[int, int, Entity]], subject_of: Any
                   ) -> tuple[Entity, int, int] | None:
    """For a quote with nobody named before it in its sentence: the subject named after it
    in its sentence ("″...″라고 푸틴 대통령이 말했다"), else the subject last marked before
    it (the running topic: "プーチン氏は…招待。「…」と述べた")."""
    stops = [i for i in (text.find(c, qe) for c in ".。!?！？") if i >= 0]
    end = min([pb] + stops)
    after = [x for x in people if qe <= x[0] and x[1] <= end and subject_of(x[1])]
    if after:
        return after[0][2], after[0][0], after[0][1]
    marked = [x for x in people if qs - _BACK <= x[0] and x[1] <= qs and subject_of(x[1])]
    if marked:
        return marked[-1][2], marked[-1][0], marked[-1][1]
    return None


def _is_title(inner: str) -> bool:
    """A name in quotation marks, not a quotation: a few words, each capitalised or a
    number («Ангара», «Союз-2», «Дума ТВ»), in a script that has capitals."""
    words = inner.split()
    return len(words) <= 3 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


_CJK_TERM = 10  # a short run of CJK characters in 「」 with no punctuation names a thing
_CJK_PUNCT = re.compile(r"[，,。、！？!?；;：:]")


def _is_term(text: str, qs: int, qe: int, inner: str, speech: re.Pattern[str] | None) -> bool:
    """In Chinese, quotation marks also set off a term or a name
    (「全面战略伙伴关系条约」): a short unpunctuated span with no speech verb beside it."""
    if len(inner) > _CJK_TERM or _CJK_PUNCT.search(inner):
        return False
    before = re.split(r"[。！？\n]", text[max(0, qs - 12):qs])[-1]
    after = re.split(r"[。！？\n]", text[qe:qe + 12])[0]
    near = before + " " + after  # in its own sentence
    return speech is None or speech.search(near) is None


def _subject_test(text: str, pack: LanguagePack) -> Any:
    """A test of a name ending at a position: is it followed (after a title, if any) by a
    subject or topic marker of the pack (은/는/이/가, は/が)?"""
    markers = tuple(pack.settings.get("subject_markers", ()))
    titles = sorted(pack.words("titles"), key=len, reverse=True)
    rx = re.compile(r"\s*(?:(?:" + "|".join(re.escape(t) for t in titles) + r")\s*)?"
                    if titles else r"\s*")

    def test(end: int) -> bool:
        m = rx.match(text, end)
        return bool(markers) and text.startswith(markers, m.end() if m else end)

    return test


_UNCLOSED_MAX = 400  # an opening mark never closed: the quote runs at most this far


def _unclosed(text: str, pack: LanguagePack, spans: list[tuple[int, int, int, int]],
              speech: re.Pattern[str] | None) -> list[tuple[int, int, int, int]]:
    """Quotes whose closing mark is missing ("«Це можна ..., - сказав ..."): from the
    opening mark to a dash before a speech verb, else to the end of the paragraph when it
    is short. (mark start, end, quote start, quote end) like the closed ones."""
    marks = get_pack(pack.code).data("quote_marks", None) or _DEFAULT_MARKS
    openers = {o for o, c in marks if o != c}
    out = []
    for i, ch in enumerate(text):
        if ch not in openers or any(a <= i < b for a, b, _, _ in spans):
            continue
        end = text.find("\n", i)
        end = len(text) if end < 0 else end
        if any(i < a < end for a, _, _, _ in spans):
            continue  # another quote opens in the same stretch: not a lone opening mark
        body = text[i + 1:end]
        cut = None
        for d in re.finditer(r"\s[-–—]\s*", body):
            if speech is not None and speech.match(body, d.end()):
                cut = d.start()
                break
        if cut is None and len(body) > _UNCLOSED_MAX:
            continue
        qe = i + 1 + (cut if cut is not None else len(body.rstrip()))
        while qe > i + 1 and text[qe - 1] in " ,":
            qe -= 1
        out.append((i, end, i + 1, qe))
    return out


def speaker_mentions(text: str, pack: LanguagePack, entities: list[Entity],
                     kb: KB | None = None, parties: bool = False
                     ) -> list[tuple[int, int, Entity]]:
    """(start, end, entity) of the mentions that can name a speaker, in text order: persons,
    and with `parties` also bodies and states ("국정원은 ...고 밝혔다", "МИД России заявил,
    что ...", "Russia denied"), not a state named as a place ("в Пхеньяне", "평양에서") or
    inside another name ("러시아 외무부": the ministry speaks). In a Cyrillic text with the
    KB at hand, an inflected name (another name of that person plus a case ending: "Ким Чен
    Ыном" = with Kim, "Путина") is in an oblique case and speaks only after a speech cue
    ("по словам Путина")."""
    people = sorted(((m.start, m.end, ent) for ent in entities if ent.type == "PERSON"
                     for m in ent.mentions), key=lambda x: x[0])
    if parties:
        people = _with_parties(text, pack, entities, people, kb)
    if pack.script != "Cyrl" or kb is None:
        return people
    _KB[id(kb)] = kb
    _, names = _gazetteer(pack.code, id(kb))
    forms: dict[str, list[str]] = defaultdict(list)
    for surface, key in names.items():
        forms[key].append(surface)
    speech = _speech_rx(pack.code)
    out = []
    for s, e, ent in people:
        said = text[s:e].split()
        oblique = any(_inflected(said, f.split()) for f in forms.get(ent.key, ()))
        cued = speech is not None and any(
            m.end() >= s - 2 for m in speech.finditer(text, max(0, s - 30), s))
        if not oblique or cued:
            out.append((s, e, ent))
    return out


def _with_parties(text: str, pack: LanguagePack, entities: list[Entity],
                  people: list[tuple[int, int, Entity]], kb: KB | None
                  ) -> list[tuple[int, int, Entity]]:
    """`people` and the mentions of bodies and states that can speak (see
    `speaker_mentions`), in text order."""
    from .mlevents import speaking_parties

    if kb is None:
        return people
    return sorted(people + speaking_parties(text, pack.code, entities, kb), key=lambda x: x[0])


def _inflected(said: list[str], base: list[str]) -> bool:
    """Whether the words said are the base name's words with case endings (3 letters at
    most in all): "лидера КНДР" of "лидер КНДР", "Ким Чен Ыном" of "Ким Чен Ын"."""
    if len(said) != len(base):
        return False
    extra = 0
    for w, b in zip(said, base):
        if not w.lower().startswith(b.lower()):
            return False
        extra += len(w) - len(b)
    return 0 < extra <= 3


def find_quotes(doc: Doc, pack: LanguagePack, entities: list[Entity],
                kb: KB | None = None) -> list[Quote]:
    """Direct quotations by the pack's quotation marks, each with its speaker if named."""
    text = doc_text(doc)
    people = speaker_mentions(text, pack, entities, kb)
    speech = _speech_rx(pack.code)
    subject_of = _subject_test(text, pack) if pack.settings.get("speaker_before_quote") else None
    out = []
    spans = [(m.start(), m.end(), *next(((m.start(i), m.end(i)) for i in range(
        1, (m.lastindex or 0) + 1) if m.group(i) is not None), (m.start(), m.start())))
        for m in _quote_rx(pack.code).finditer(text)]
    spans += _unclosed(text, pack, spans, speech)
    outside = [p for p in people if not any(a <= p[0] < b for a, b, _, _ in spans)]
    for ms, me, qs, qe in sorted(spans):
        if qe <= qs:
            continue
        while qs < qe and (text[qs].isspace() or text[qs] in ".,;:—–-"):
            qs += 1  # a quote resumed after a break: «. Мы ...»
        while qe > qs and text[qe - 1].isspace():
            qe -= 1
        inner = text[qs:qe]
        if len(inner) < 4 or not any(ch.isalpha() for ch in inner) or _is_title(inner):
            continue
        if pack.script == "Hani" and _is_term(text, ms, me, inner, speech):
            continue
        found = _speaker(text, ms, me, people, speech, subject_of, outside)
        if found:
            ent, s, e, cue = found
            out.append(Quote(text=inner, start=qs, end=qe, speaker=ent.name,
                             speaker_key=ent.key, speaker_start=s, speaker_end=e, cue=cue))
        else:
            out.append(Quote(text=inner, start=qs, end=qe))
    return out


# -- the component ----------------------------------------------------------------------------

class MultilingualComponent:
    """Sets sl_entities, sl_times, sl_quotes and sl_events from the pack."""

    def __init__(self, nlp: Language, language: str) -> None:
        self.language = language
        self.kb = load_kb()

    def __call__(self, doc: Doc) -> Doc:
        pack = get_pack(doc._.sl_language or self.language)
        entities = find_entities(doc, pack, self.kb)
        doc._.sl_entities = entities
        doc._.sl_times = find_times(doc_text(doc), pack, doc._.sl_published)
        quotes = find_quotes(doc, pack, entities, self.kb)
        text = doc_text(doc)
        subject_of = _subject_test(text, pack) if pack.settings.get("speaker_before_quote") \
            else None
        quotes += find_reported(text, pack, speaker_mentions(text, pack, entities, self.kb,
                                                             parties=True),
                                quotes, subject_of)
        doc._.sl_quotes = sorted(quotes, key=lambda q: q.start)
        doc._.sl_events = find_events(doc_text(doc), pack.code, entities, doc._.sl_times,
                                      self.kb, doc._.sl_outlet, doc._.sl_quotes,
                                      doc._.sl_published)
        return doc


@Language.factory("storyline_multilingual", default_config={"language": "xx"},
                  assigns=["doc._.sl_entities", "doc._.sl_times", "doc._.sl_quotes",
                           "doc._.sl_events"])
def make_multilingual(nlp: Language, name: str, language: str) -> MultilingualComponent:
    return MultilingualComponent(nlp, language)
