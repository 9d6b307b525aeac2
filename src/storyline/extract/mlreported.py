"""Reported speech in languages without a parser: "Путин заявил, что ...", "...라고 말했다",
"...と述べた", "普京表示，...", "sagte, dass ...", "dijo que ...".

Everything language-specific is data in the pack (`lang/<code>/reported_speech.json`, the
speech verbs of `speech_verbs.json`); a pack without the file reports none (French keeps
what its own pipeline finds). Four shapes, each giving a `Quote(direct=False)`:

    complementiser   a speech verb, up to a few words, a complementiser ("что", "dass",
                     "que", "，"), then the content to the end of the sentence; the speaker
                     is the person named before the verb in its sentence
    quotative        (subject-object-verb languages) the content, a quotative ("라고", "고",
                     "と") and the speech verb; the content starts after the subject named
                     before it (은/는, は/が), else at the sentence start
    trailing         the content, a comma, then a short tail holding a speech verb and the
                     speaker ("..., sagte Putin.", "..., — заявил Путин.")
    act              a speech act whose object is what was said ("поблагодарил", "dankte",
                     "感谢"): the clause holding the verb (from its subject, when the subject
                     opens the clause)

A content that lies mostly inside quotation marks is left to the direct quote; a statement
with no person named for it is left out (an indirect statement nobody makes links nothing).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..lang import LanguagePack, get_pack
from ..records import Entity, Quote
from .mlevents import sentences

__all__ = ["find_reported"]

_SPACED = ("Latn", "Cyrl", "Grek")
_GAP_WORDS = 3  # words allowed between a speech verb and its complementiser ("заявил журналистам, что")
_TAIL_WORDS = 10  # words of a trailing attribution (", hatte Putin zum Auftakt ... gesagt")
_MIN_CHARS = 8  # a shorter content is no statement
_QUOTED_SHARE = 0.5  # a content this much inside quotation marks belongs to the direct quote
_CLAUSE = re.compile(r"[,，;；、]")
_SPEAKER_GAP = 12  # characters between a speaker named after the quotative and the verb


@functools.lru_cache(maxsize=32)
def _rules(code: str) -> dict[str, Any] | None:
    """The compiled patterns of a pack, or None when it reports no speech."""
    pack = get_pack(code)
    data = pack.data("reported_speech", None)
    if not data:
        return None
    verbs = sorted(pack.words("speech_verbs") | {w.lower() for w in data.get("verbs", ())},
                   key=len, reverse=True)
    b = r"(?<![\w])" if pack.script in _SPACED else ""
    tail = r"\w*" if pack.script in _SPACED else ""

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    out: dict[str, Any] = {"verb": None, "comp": None, "quot": None, "act": None}
    if verbs:
        out["verb"] = re.compile(b + "(?:" + alt(verbs) + ")" + tail, re.IGNORECASE)
    comps = data.get("complementisers") or []
    if comps and verbs:
        gap = rf"(?:\s+[\w-]+){{0,{_GAP_WORDS}}}" if pack.script in _SPACED else ""
        empty = "" in comps
        # a complementiser ends at a word's end, or at its elided vowel ("qu'il")
        ends = r"(?![\w])" if pack.script in _SPACED else ""
        body = "|".join(re.escape(c) + ("" if c[-1] in "'’" else ends)
                        for c in sorted((c for c in comps if c), key=len, reverse=True))
        group = "(?:" + body + ")"
        out["comp"] = re.compile(gap + r"\s*[,:：，]?\s*" + ("(?:" + group + ")?" if empty
                                                             else group), re.IGNORECASE)
    if data.get("quotatives"):
        out["quot"] = re.compile("(?:" + alt(data["quotatives"]) + r")\s*$")
        out["quot_end"] = re.compile("(?:" + alt(data["quotatives"]) + r")\s*[,、，]?\s*$")
        out["quot_any"] = re.compile("(?:" + alt(data["quotatives"]) + ")")
    if data.get("acts"):
        out["act"] = re.compile(b + "(?:" + alt(data["acts"]) + ")" + tail, re.IGNORECASE)
    out["trailing"] = bool(data.get("trailing"))
    out["bare"] = "" in comps  # the content may follow the verb at once ("表示现在是...")
    titles = "|".join(re.escape(t) for t in sorted(pack.words("titles"), key=len, reverse=True))
    markers = "|".join(re.escape(m) for m in pack.settings.get("subject_markers", ()))
    # what follows a subject's name before the content: a title, a particle ("대통령은 ")
    out["subject"] = re.compile(r"\s*" + (r"(?:(?:" + titles + r")\s*)?" if titles else "") +
                                (r"(?:" + markers + r")?" if markers else "") + r"[\s,、，]*")
    return out


def _quoted(s: int, e: int, quotes: list[Quote]) -> bool:
    """Whether [s, e) lies mostly inside the quotes already found (or is one of them)."""
    inside = sum(max(0, min(e, q.end) - max(s, q.start)) for q in quotes)
    return inside > _QUOTED_SHARE * max(1, e - s)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",:，：、—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:!?。，；！？、"):
        e -= 1
    return s, e


def _before(text: str, people: list[tuple[int, int, Entity]], s: int, at: int,
            pack: LanguagePack, subject_of: Any) -> tuple[int, int, Entity] | None:
    """The speaker of a verb at `at` in a sentence starting at `s`: in a language whose
    subject comes first (pack `speaker_before_quote`) the subject marked before it, else
    the person named last in the verb's clause, else the first person of the sentence;
    elsewhere the person named nearest before it."""
    cands = [p for p in people if s <= p[0] and p[1] <= at]
    if pack.settings.get("speaker_before_quote") and pack.settings.get("topic_markers"):
        # a body or a state speaks only as the topic ("국정원은 ...", "外務省は ..."): one
        # marked as a subject ("북한이 ... 보냈다고") is the subject of what is reported
        topic = _topic_test(pack.code)
        cands = [p for p in cands if p[2].type == "PERSON" or topic(text, p[1])]
    if not cands:
        return None
    if pack.settings.get("speaker_before_quote"):
        marked = [p for p in cands if subject_of is not None and subject_of(p[1])]
        if marked:
            return marked[-1]
        clause = [p for p in cands if not _CLAUSE.search(text, p[1], at)]
        return clause[-1] if clause else cands[0]  # "金正恩也表示": the subject of its clause
    return cands[-1]


@functools.lru_cache(maxsize=32)
def _topic_test(code: str) -> Any:
    """A test of a name ending at a position: is it followed by a topic marker of the pack
    (`topic_markers`: 은/는, は), after a title if any?"""
    pack = get_pack(code)
    markers = tuple(pack.settings.get("topic_markers", ()))
    titles = sorted(pack.words("titles"), key=len, reverse=True)
    rx = re.compile(r"\s*(?:(?:" + "|".join(re.escape(t) for t in titles) + r")\s*)?"
                    if titles else r"\s*")

    def test(text: str, end: int) -> bool:
        m = rx.match(text, end)
        return bool(markers) and text.startswith(markers, m.end() if m else end)

    return test


def _after_quotative(text: str, vs: int, at: int, rules: dict[str, Any],
                     people: list[tuple[int, int, Entity]]
                     ) -> tuple[int, tuple[int, int, Entity]] | None:
    """"CONTENT-quotative SPEAKER VERB" ("...보냈다고 국정원이 화요일 밝혔다", "...と、外務省が
    明らかにした"): (where the content ends, the speaker) when the party named right after a
    quotative is followed by the verb at `at` within a few characters (a subject marker, a
    day), else None."""
    for p in reversed([p for p in people if vs < p[0] and p[1] <= at]):
        gap = text[p[1]:at]
        if len(gap.strip()) > _SPEAKER_GAP or _CLAUSE.search(gap) or rules["quot_any"].search(gap):
            continue
        q = rules["quot_end"].search(text, vs, p[0])
        if q is not None:
            return q.start(), p
    return None


def _quote(text: str, s: int, e: int, who: tuple[int, int, Entity], cue: str) -> Quote:
    return Quote(text=text[s:e], start=s, end=e, speaker=who[2].name, speaker_key=who[2].key,
                 speaker_start=who[0], speaker_end=who[1], cue=cue.strip(), direct=False)


def find_reported(text: str, pack: LanguagePack, people: list[tuple[int, int, Entity]],
                  quotes: list[Quote], subject_of: Any = None) -> list[Quote]:
    """Indirect statements of the document, in text order (see the module docstring).
    `people`: (start, end, person) of the mentions that can name a speaker, in text order
    (`multilingual.speaker_mentions`)."""
    rules = _rules(pack.code)
    if rules is None or rules["verb"] is None:
        return []
    if not people:
        return []
    out: list[Quote] = []

    def add(s: int, e: int, who: tuple[int, int, Entity] | None, cue: str) -> None:
        s, e = _trim(text, s, e)
        if who is None or e - s < _MIN_CHARS or _quoted(s, e, quotes):
            return
        if any(s < q.end and q.start < e for q in out):
            return
        if who[0] < e and s < who[1] and who[0] != s:
            return  # the speaker's own name inside what he says: a wrong cut
        out.append(_quote(text, s, e, who, cue))

    for ss, se in sentences(text):
        _sentence(text, ss, se, rules, people, pack, subject_of, add)
    out.sort(key=lambda q: q.start)
    return out


def _sentence(text: str, ss: int, se: int, rules: dict[str, Any],
              people: list[tuple[int, int, Entity]], pack: LanguagePack, subject_of: Any,
              add: Any) -> None:
    """The reported statements of one sentence [ss, se)."""
    verbs = list(rules["verb"].finditer(text, ss, se))
    for v in verbs:
        # a semicolon parts two statements as a full stop does: the speaker is after it
        vs = max(ss, text.rfind(";", ss, v.start()) + 1, text.rfind("；", ss, v.start()) + 1)
        if rules["comp"] is not None:
            c = rules["comp"].match(text, v.end(), se)
            if c is not None and (c.end() > v.end() or rules["bare"]):
                end = _next_statement(text, c.end(), se, verbs, people)
                who = _before(text, people, vs, v.start(), pack, subject_of)
                add(c.end(), end, who, v.group(0))
                continue
        if rules["quot"] is not None:
            q = rules["quot"].search(text, vs, v.start())
            late = None if q is not None else _after_quotative(text, vs, v.start(), rules,
                                                               people)
            if late is not None:
                add(vs, late[0], late[1], v.group(0))
                continue
            if q is not None:
                who = _before(text, people, vs, q.start(), pack, subject_of)
                start = vs if who is None or who[1] > q.start() else \
                    rules["subject"].match(text, who[1]).end()
                add(start, q.start(), who, v.group(0))
                continue
        if rules["trailing"]:
            comma = text.rfind(",", vs, v.start())
            tail = text[comma + 1:v.start()] if comma >= 0 else ""
            if comma > vs and len(tail.split()) <= _TAIL_WORDS:
                who = next((p for p in people if comma < p[0] and p[1] <= se), None)
                # inverted ("sagte Putin"), or a participle closing the sentence ("hatte
                # Putin ... gesagt"): a subject before an ordinary verb opens a new clause
                if who is not None and (who[0] >= v.end() or
                                        not text[v.end():se].strip(" .!?")):
                    add(vs, comma, who, v.group(0))
    if rules["act"] is not None:
        for a in rules["act"].finditer(text, ss, se):
            cs = max([ss] + [m.end() for m in _CLAUSE.finditer(text, ss, a.start())])
            ends = [m.start() for m in _CLAUSE.finditer(text, a.end(), se)]
            ce = ends[0] if ends else se
            who = _before(text, people, ss, a.start(), pack, subject_of)
            if who is not None and who[0] >= cs and not text[who[1]:a.start()].strip():
                cs = who[0]  # the clause opens with its subject: "Ким Чен Ын поблагодарил ..."
            add(cs, ce, who, a.group(0))


def _next_statement(text: str, start: int, se: int, verbs: list[re.Match[str]],
                    people: list[tuple[int, int, Entity]]) -> int:
    """Where a content starting at `start` ends: the sentence end, or the clause break
    before the next statement in it (a person named, then a speech verb: "..., 金正恩也表示")."""
    for v in verbs:
        if v.start() <= start:
            continue
        cut = max([-1] + [m.start() for m in _CLAUSE.finditer(text, start, v.start())])
        if cut > start and any(cut < p[0] and p[1] <= v.start() for p in people):
            return cut
    return se
