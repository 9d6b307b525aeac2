"""An analyst briefing of one story, every sentence cited to its evidence.

Sentences are built from the merged events with templates by subtype and status, never
from free generation: what the store does not say is not written. Each merged event is
worded from one report of it (its lead mention: a report whose slots its own words bear
out, with the most cautious status that the reports give it), so that a hedge stays a
hedge ("appears to have"), a plan stays in the future ("is set to"), a quantity keeps its
words ("more than 1,000 containers of ..."), and the claim names its original source and
the outlets that carry it. When a slot the template needs is empty or not borne out by
the report's words, the sentence quotes the report instead; a report in another language
is quoted in its own words with the English names of who and what it mentions beside it.
`brief_check.unsupported` tests every claim against its cited evidence.

Sections keep apart what independent sources corroborate, what one source alone says, what
is denied or disputed, the key statements and the dates that matter (`storyline dates`).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from ..extract.quantities import parse_quantity
from ..lang import get_pack
from ..link import queries as lq
from ..records import display
from ..store import Store
from .brief_check import unsupported
from .shapes import cluster_id, pick_story, story_events

# subtype -> (base form, past participle, object template). Slots: "{qty item}" the
# quantity as the report words it with its item ("over 1 million artillery shells"), else
# the item; "{item}", "{target}" must be known; "{ to target}", "{ in where}", "{ of item}"
# add their words only when the field is known.
VERBS: dict[str, tuple[str, str, str]] = {
    "arms_transfer": ("transfer", "transferred", "{qty item}{ to target}"),
    "technology_transfer": ("transfer", "transferred", "{qty item}{ to target}"),
    "troop_deployment": ("deploy", "deployed", "{qty item}{ to target}"),
    "labor_supply": ("supply", "supplied", "{qty item}{ to target}"),
    "meeting": ("meet", "met", "{target}{ in where}"),
    "visit": ("visit", "visited", "{target}{ in where}"),
    "summit": ("hold", "held", "a summit{ with target}{ in where}"),
    "agreement": ("reach", "reached", "an agreement{ with target}"),
    "satellite_launch": ("launch", "launched", "{qty item}"),
    "weapons_test": ("test", "tested", "{qty item}"),
    "military_deployment": ("deploy", "deployed", "{qty item}{ to target}"),
    "military_exercise": ("hold", "held", "military exercises{ with target}"),
    "sanctions_designation": ("impose", "imposed", "sanctions{ on target}"),
    "sanctions_enforcement": ("enforce", "enforced", "sanctions{ against target}"),
    "export_restriction": ("restrict", "restricted", "exports{ of item}{ to target}"),
    "trade": ("trade", "traded", "{qty item}{ with target}"),
    "ship_to_ship_transfer": ("carry out", "carried out",
                              "a ship-to-ship transfer{ of item}{ with target}"),
    "port_call": ("make", "made", "a port call{ in where}"),
    "cyber_operation": ("conduct", "conducted", "a cyber operation{ against target}"),
    "warning": ("warn", "warned", "{target}"),
    "accusation": ("accuse", "accused", "{target}"),
}
# How cautious a status is: the sentence takes the most cautious one its reports give.
UNNAMED = "unnamed outlet"  # how the link stage names an outlet it does not know
CAUTION = {"asserted": 0, "planned": 0, "hedged": 1, "hypothetical": 2}
VERDICTS = ("confirmed", "rejected")
SLOTS = ("actor", "target", "item", "quantity", "where", "status", "cue")


class Line(NamedTuple):
    """One bullet: its sentence, its footnote numbers, and the claim (the words of the
    sentence that state what the sources say, which `unsupported` checks)."""

    text: str
    cites: list[int]
    claim: str = ""


@functools.lru_cache(maxsize=1)
def _words() -> tuple[dict[str, Any], dict[str, Any]]:
    pack = get_pack("en")
    return pack.data("brief", {}), pack.data("hedges", {})


def _lemma(cue: str, table: dict[str, str]) -> str | None:
    word = cue.lower()
    for suffix in [""] + list(_words()[0].get("cue_suffixes", [])):
        stem = word[:-len(suffix)] if suffix and word.endswith(suffix) else word
        if (not suffix or word.endswith(suffix)) and stem in table:
            return stem
    return None


def hedged_words(cue: str | None) -> str:
    """What keeps a hedge before a past participle: 'appears to have', 'reportedly'."""
    brief, hedges = _words()
    word = (cue or "").lower()
    if word in hedges.get("hedge_adverbs", []):
        return word
    if word in hedges.get("hedge_modals", []):
        return f"{word} have"
    table = brief.get("hedge_wording", {})
    lemma = _lemma(word, table) if word else None
    return table[lemma] if lemma else brief.get("hedge_default", "reportedly")


def planned_words(cue: str | None) -> str:
    """What keeps a plan in the future before a base form: 'will', 'is set to'."""
    brief, _ = _words()
    table = brief.get("planned_wording", {})
    lemma = _lemma(cue or "", table) if cue else None
    return table[lemma] if lemma else brief.get("planned_default", "is expected to")


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _join(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C" ("" for none)."""
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


@dataclass
class _Docs:
    """What the briefing reads of the documents it cites (text, language, analysis), each
    read once; without a store it reads nothing and every lookup is empty."""

    store: Store | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def _get(self, doc_id: str | None) -> Any:
        if self.store is None or not doc_id:
            return None
        if doc_id not in self.cache:
            row = self.store.conn.execute("SELECT text, language FROM documents WHERE id=?",
                                          (doc_id,)).fetchone()
            self.cache[doc_id] = None if row is None else (
                row["text"], row["language"] or "en", self.store.get_analysis(doc_id))
        return self.cache[doc_id]

    def language(self, doc_id: str | None) -> str:
        got = self._get(doc_id)
        return str(got[1]).lower() if got else "en"

    def sentence(self, doc_id: str | None, start: int | None,
                 end: int | None) -> tuple[int, int, str] | None:
        """The sentence (as the parse cut it) that holds a span, else None."""
        got = self._get(doc_id)
        if not got or got[2] is None or start is None or end is None:
            return None
        spans = {(c.sent_start, c.sent_end) for c in got[2].clauses
                 if c.sent_start <= start and end <= c.sent_end}
        if not spans:
            return None
        s, e = min(spans, key=lambda se: se[1] - se[0])
        return s, e, got[0][s:e].strip()

    def names(self, doc_id: str | None, start: int | None, end: int | None) -> list[str]:
        """Canonical names of the entities mentioned inside a span."""
        got = self._get(doc_id)
        if not got or got[2] is None or start is None or end is None:
            return []
        return [e.name for e in got[2].entities
                if any(start <= m.start and m.end <= end for m in e.mentions)]


def is_english(language: str | None) -> bool:
    return not language or language.lower().startswith("en")


def _named(value: str | None, evidence: str, names: list[str]) -> bool:
    """A name or place that the report's words bear out (itself, or an entity found in
    them under that canonical name)."""
    return bool(value) and not unsupported(str(value), [evidence], names)


def _item(m: dict[str, Any], evidence: str) -> str | None:
    """The report's item when its words hold it and it names a thing, not an act."""
    item = (m.get("item") or "").strip()
    if not item or item.lower() not in evidence.lower():
        return None
    head = item.split()[-1].lower()
    acts = set(_words()[0].get("act_nouns", []))
    if head in acts or head.removesuffix("s") in acts or head.removesuffix("es") in acts:
        return None
    return item


def quantity_words(evidence: str, value: float, item: str | None) -> str | None:
    """The quantity as the report writes it, with what it counts: "more than 1,000
    containers of military equipment" for 1000 and the item "military equipment" (None
    when the words of the report do not give that number)."""
    words = list(re.finditer(r"\S+", evidence))
    best: tuple[int, int] | None = None
    for i in range(len(words)):
        for j in range(i + 1, min(i + 6, len(words)) + 1):
            text = evidence[words[i].start():words[j - 1].end()].rstrip(",.;:)")
            q = parse_quantity(text)
            if q is not None and q.value == value and (
                    best is None or len(text) > best[1] - best[0]):
                best = (words[i].start(), words[i].start() + len(text))
    if best is None:
        return None
    start, end = best
    if item:
        at = evidence.lower().find(item.lower(), end)
        if at < 0 or at - end > 40:
            return None
        return evidence[start:at + len(item)]
    unit = re.match(r"\s+([\w-]+)", evidence[end:])  # what the number counts
    return evidence[start:end + unit.end()] if unit else None


def _object(template: str, m: dict[str, Any], evidence: str, names: list[str]) -> str | None:
    """The template's object filled from one report, or None when a slot it needs is
    empty or not borne out by the report's words."""
    out, rest = "", template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        slot, _, rest = tail.partition("}")
        out += head
        if slot == "qty item":
            item = _item(m, evidence)
            if m.get("item") and item is None:  # an item the words do not bear out
                return None
            words = (quantity_words(evidence, m["quantity"], item)
                     if m.get("quantity") is not None else item)
            if not words:
                return None
            out += words
            continue
        optional = slot.startswith(" ")
        *lead, name = slot.strip().split(" ")
        value = m.get(name)
        if isinstance(value, list):
            value = next((v for v in value if _named(v, evidence, names)), value[0] if value
                         else None)
        if not value:
            if optional:
                continue
            return None
        value = _item(m, evidence) if name == "item" else (
            value if _named(value, evidence, names) else None)
        if value is None or (name == "where" and value == m.get("target")):
            if name == "where":  # a place the words do not hold, or the target again
                continue
            return None
        out += (" " + " ".join(lead + [value])) if optional else value
    return out + rest


def attribution(ev: dict[str, Any]) -> str:
    """ "according to National Intelligence Service (South Korea), as reported by AFP and
    Yonhap": the original sources (with who spoke for them) and the outlets that carry them."""
    names: list[str] = []
    said: set[str] = set()
    for src in ev.get("sources") or []:
        orig = src.get("original")
        via = [v for v in dict.fromkeys(src.get("via") or []) if v and v != orig]
        if not orig and not via:
            continue
        shown = _join(via)
        name = f"{shown} ({orig})" if via and orig and orig not in shown else str(shown or orig)
        if name not in names:
            names.append(name)
        said |= {orig, *via}
    if not names:
        names = [n for n in ev.get("original_sources") or [] if n]
        said = set(names)
    outlets = [o for o in dict.fromkeys(UNNAMED if o.startswith(UNNAMED) else o
                                        for o in ev.get("reporting_outlets") or [] if o)
               if o not in said]
    parts = []
    if names:
        parts.append("according to " + _join(names))
    if outlets:
        parts.append("as reported by " + _join(outlets))
    return ", ".join(parts)


class Worded(NamedTuple):
    """How one merged event is said: the sentence, its claim, the report it is worded
    from, and the sentence quoted from that report (doc, start, end, words) or None."""

    text: str
    claim: str
    lead: dict[str, Any]
    quoted: tuple[str, int, int, str] | None


def sentence_status(ev: dict[str, Any]) -> str:
    """The merged status, made as cautious as the most cautious report when it says the
    event happened (a hedge in any report is kept)."""
    status = ev.get("status") or "asserted"
    if status != "asserted":
        return status
    reported = [m.get("status") for m in ev.get("mentions") or [] if m.get("status") in CAUTION]
    return max([status] + reported, key=lambda s: CAUTION[s])  # ties: the merged status


def _lead_rank(ev: dict[str, Any], status: str, docs: _Docs, template: str | None) -> Any:
    """The order in which reports are tried as the lead: the sentence's status, slots the
    words bear out, English, from the original source, earliest."""
    originals = set(ev.get("original_sources") or [])
    for src in ev.get("sources") or []:
        originals |= set(src.get("via") or [])

    def rank(m: dict[str, Any]) -> tuple[Any, ...]:
        obj = None
        if template is not None:
            names = docs.names(m.get("doc_id"), m.get("start"), m.get("end"))
            evidence = m.get("evidence") or ""
            if _named(m.get("actor"), evidence, names):
                obj = _object(template, m, evidence, names)
        return (status != "denied" and m.get("status") != status, obj is None,
                not is_english(docs.language(m.get("doc_id"))),
                m.get("source") not in originals, str(m.get("published") or "")), obj
    return rank


def worded(ev: dict[str, Any], docs: _Docs | None = None) -> Worded:
    """How the briefing says one merged event (see the module's docstring)."""
    docs = docs or _Docs()
    status = sentence_status(ev)
    verb = VERBS.get(ev.get("subtype") or "")
    # a report's slots; the merged event's where the report does not record them (the
    # store contract does not promise them on mentions)
    merged = {k: ev.get(k) for k in SLOTS}
    differ = any(d.get("field") == "quantity" for d in ev.get("disagreements") or [])
    if differ:  # sources give different numbers: state none (they are listed apart)
        merged["quantity"] = None
    mentions = [{k: v for k, v in m.items() if not (differ and k == "quantity")}
                for m in ev.get("mentions") or []] or [merged]
    rank = _lead_rank(ev, status, docs, verb[2] if verb else None)
    ranked = sorted(((*rank({**merged, **m}), i, m) for i, m in enumerate(mentions)),
                    key=lambda t: (t[0], t[2]))
    _, obj, _, lead = ranked[0]
    slots = {**merged, **lead}
    lead = next((m for m in ev.get("mentions") or [] if m.get("doc_id") == lead.get("doc_id")
                 and m.get("event_id") == lead.get("event_id")), lead)
    said = attribution(ev)
    if verb and obj is not None and is_english(docs.language(lead.get("doc_id"))):
        base, past, _ = verb
        actor = slots["actor"]
        cue = slots.get("cue") if slots.get("status") == status else None
        claim = {"planned": f"{actor} {planned_words(cue)} {base} {obj}",
                 "hedged": f"{actor} {hedged_words(cue)} {past} {obj}",
                 "hypothetical": f"{actor} could {base} {obj}"}.get(status, f"{actor} {past} {obj}")
        text = f"Reports that {claim} are denied" if status == "denied" else claim
        if differ:
            text += " (sources differ on the number)"
        if status == "hypothetical":
            text += ", under conditions that sources set out"
        return Worded(text + (f", {said}" if said else "") + ".", claim, lead, None)
    return _quoting(lead, said, docs)


def _quoting(lead: dict[str, Any], said: str, docs: _Docs) -> Worded:
    """The report's own sentence in quotation marks; in another language, with its
    language and the English names of what it mentions."""
    doc = str(lead.get("doc_id") or "")
    found = docs.sentence(doc, lead.get("start"), lead.get("end"))
    start, end, words = found or (lead.get("start"), lead.get("end"), lead.get("evidence") or "")
    head = (said[0].upper() + said[1:]) if said else "A report says"
    if is_english(docs.language(doc)):
        text = f"{head}: “{words}”" + ("" if words[-1:] in ".!?…\"”" else ".")
    else:
        text = f"{head},{_in_language(docs, doc)}: “{words}”" \
            + _english_names(docs, doc, start, end) + "."
    quoted = (doc, int(start), int(end), words) if start is not None and end is not None \
        else None
    return Worded(text, words, lead, quoted)


def claim_sentence(ev: dict[str, Any]) -> str:
    """One sentence for a merged event, worded by its status, from its reports' words."""
    return worded(ev).text


@dataclass
class _Notes:
    """Footnotes: one per piece of evidence (document + span), numbered in order of use,
    each with the canonical names the extraction found inside its span."""

    link_base: str = ""
    docs: _Docs = field(default_factory=_Docs)
    items: list[dict[str, Any]] = field(default_factory=list)
    index: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def cite(self, doc_id: str, start: int | None, end: int | None, outlet: str | None,
             published: str | None, evidence: str | None, source: str | None = None,
             unnamed: str | None = None) -> int:
        spanned = start is not None and end is not None
        key = (doc_id, int(start or 0) if spanned else -1, int(end or 0) if spanned else -1)
        if key not in self.index:
            href = f"{self.link_base}/documents/{doc_id}" + (f"#{start}-{end}" if spanned else "")
            self.items.append({"doc_id": doc_id, "start": start, "end": end,
                               "outlet": outlet or "unknown outlet",
                               "published": published or "undated", "evidence": evidence or "",
                               "href": href, "language": self.docs.language(doc_id),
                               "names": self.docs.names(doc_id, start, end), "sources": [],
                               "unnamed": []})
            self.index[key] = len(self.items)
        note = self.items[self.index[key] - 1]
        if unnamed and unnamed not in note["unnamed"]:
            note["unnamed"].append(unnamed)  # "officials said": whom the outlet cites
        if source and source not in note["sources"]:
            note["sources"].append(source)
        return self.index[key]


def _doc_meta(store: Store, doc_ids: set[str]) -> dict[str, dict[str, Any]]:
    if not doc_ids:
        return {}
    marks = ",".join("?" * len(doc_ids))
    rows = store.conn.execute(f"SELECT id, outlet, wire, published, published_inferred "
                              f"FROM documents WHERE id IN ({marks})", list(doc_ids)).fetchall()
    return {r["id"]: dict(r) for r in rows}


def _cite_mentions(notes: _Notes, meta: dict[str, dict[str, Any]],
                   mentions: list[dict[str, Any]]) -> list[int]:
    out = []
    for m in mentions:
        if not m.get("doc_id"):
            continue
        d = meta.get(str(m.get("doc_id")), {})
        shown = display(d) if d else {}  # as every other view shows the document
        when = shown.get("date") and ("~" if shown.get("inferred") else "") + shown["date"]
        n = notes.cite(m["doc_id"], m.get("start"), m.get("end"),
                       shown.get("outlet") or m.get("outlet") or m.get("wire"),
                       when or m.get("published"), m.get("evidence") or m.get("text"),
                       m.get("source") or m.get("speaker") or m.get("by"),
                       unnamed=m.get("source_text"))
        for other in (m.get("wire"), d.get("wire"), d.get("outlet")):
            if other and other not in notes.items[n - 1]["sources"]:
                notes.items[n - 1]["sources"].append(other)
        if n not in out:
            out.append(n)
    return out


def _event_line(notes: _Notes, meta: dict[str, dict[str, Any]], ev: dict[str, Any],
                said: Worded, extra: str = "") -> Line:
    """The event's sentence, citing the report it is worded from first (the quoted
    sentence when it quotes), then the other reports."""
    first = dict(said.lead)
    if said.quoted:
        doc, start, end, words = said.quoted
        first.update(doc_id=doc, start=start, end=end, evidence=words)
    cites = _cite_mentions(notes, meta, [first] + [m for m in ev["mentions"]
                                                    if m is not said.lead])
    return Line(said.text + extra, cites, said.claim)


def _denial_line(notes: _Notes, meta: dict[str, dict[str, Any]], den: dict[str, Any],
                 ev: dict[str, Any]) -> Line:
    """A denial with its evidence: its own span, else the report it came with."""
    evidence = den
    if den.get("start") is None and den.get("reported_with"):
        evidence = next((m for m in ev["mentions"] if m.get("doc_id") == den.get("doc_id")
                         and m.get("event_id") == den["reported_with"]), den)
    words = evidence.get("evidence")
    said = f"Denied by {den.get('by') or 'an unnamed party'}"
    if words:  # the denial's own words, or those of the report that carries it
        said += f": “{words}”." if evidence is den else f", in the report that says: “{words}”."
    else:
        said += "."
    return Line(said, _cite_mentions(notes, meta, [evidence]), words or "")


def _denied(ev: dict[str, Any]) -> str:
    names = sorted({d.get("by") or "an unnamed party" for d in ev["denials"]})
    return f" Denied by {', '.join(names)}." if names else ""


def verdict(ev: dict[str, Any]) -> str | None:
    """The analyst's verdict on the claim ("confirmed", "rejected"; store/corrections.py),
    None when there is none."""
    review = ev.get("review")
    value = review.get("verdict") if isinstance(review, dict) else ev.get("verdict")
    return value if value in VERDICTS else None


def _reviewed(ev: dict[str, Any]) -> str:
    """ " Rejected by the analyst (ana): not borne out.": the verdict after the sentence."""
    if verdict(ev) is None:
        return ""
    review = ev.get("review") if isinstance(ev.get("review"), dict) else {}
    who = f" ({review['author']})" if review.get("author") else ""
    note = f": {review['note']}" if review.get("note") else ""
    return f" {str(verdict(ev)).capitalize()} by the analyst{who}{note}."


def _disagreement(notes: _Notes, meta: dict[str, dict[str, Any]], ev: dict[str, Any],
                  dis: dict[str, Any], said: Worded) -> Line:
    parts, said_values = [], []
    cites: list[int] = []
    merged = {k: ev.get(k) for k in SLOTS}
    for v in dis.get("values") or []:
        reports = [m for m in ev["mentions"] if m.get("doc_id") == v.get("doc_id")]
        value = _number(v.get("value"))
        if dis.get("field") == "quantity":  # as each report words it
            value = next((w for m in reports if (w := quantity_words(
                m.get("evidence") or "", v.get("value"), {**merged, **m}.get("item")))
                          is not None), value)
            said_values.append(value)
        who = ", ".join(dict.fromkeys(x for x in (v.get("source"), v.get("outlet")) if x))
        parts.append(f"{value} ({who})" if who else value)
        cites += _cite_mentions(notes, meta, reports)
    about = said.claim if not said.quoted else said.lead.get("evidence") or ""
    return Line(f"Sources disagree on the {dis.get('field')} of “{about}”: "
                + " vs ".join(parts) + ".", sorted(set(cites)), " vs ".join(said_values))


def _in_language(docs: _Docs, doc_id: str | None) -> str:
    """ " in French (fr)": the language of a report in another language ("" for English)."""
    language = docs.language(doc_id)
    if is_english(language):
        return ""
    return f" in {get_pack(language).name} ({language})"


def _english_names(docs: _Docs, doc_id: str | None, start: int | None,
                   end: int | None) -> str:
    """ " (English names: Norway, Chile)": the canonical names of what a span of a report in
    another language mentions ("" for English)."""
    if is_english(docs.language(doc_id)):
        return ""
    names = list(dict.fromkeys(docs.names(doc_id, start, end)))
    return f" (English names: {', '.join(names)})" if names else ""


def _statement(notes: _Notes, meta: dict[str, dict[str, Any]], group: dict[str, Any]) -> Line:
    """A statement reported by several documents: its speaker, its words (a report in
    another language in its own words, with the language and the English names of what it
    mentions), and who reported it."""
    members = group.get("members") or []
    speaker = group.get("speaker") or "An unattributed speaker"
    outlets = sorted({m.get("outlet") or meta.get(str(m.get("doc_id")), {}).get("outlet")
                      or meta.get(str(m.get("doc_id")), {}).get("wire") or "unknown outlet"
                      for m in members})
    text = group.get("text") or (members[0].get("text") if members else "")
    first = next((m for m in members if m.get("text") == text), {})
    where = (first.get("doc_id"), first.get("start"), first.get("end"))
    said = f"{speaker}:{_in_language(notes.docs, where[0])} “{text}”" \
        + _english_names(notes.docs, *where)
    for m in members:  # every other language it was reported in, in its own words
        where = (m.get("doc_id"), m.get("start"), m.get("end"))
        if m is first or not m.get("text") or is_english(notes.docs.language(m.get("doc_id"))):
            continue
        said += f";{_in_language(notes.docs, where[0])}: “{m['text']}”" \
            + _english_names(notes.docs, *where)
    return Line(f"{said} (reported by {', '.join(outlets)}).",
                _cite_mentions(notes, meta, members), "")


def _collect(store: Store, story_id: int, notes: _Notes) -> dict[str, Any]:
    """The briefing as data: sections of lines (sentence, citation numbers, claim)."""
    notes.docs = _Docs(store)
    story = lq.get_story(store, story_id)
    events = story_events(store, story_id)
    quotes = lq.quote_groups(store, story_id)
    doc_ids = {m.get("doc_id") for ev in events for m in ev["mentions"]}
    doc_ids |= {d.get("doc_id") for ev in events for d in ev["denials"]}
    doc_ids |= {m.get("doc_id") for q in quotes for m in q.get("members") or []}
    meta = _doc_meta(store, {d for d in doc_ids if d})
    said = {id(ev): worded(ev, notes.docs) for ev in events}
    kept = [ev for ev in events if verdict(ev) != "rejected"]
    ranked = sorted(kept, key=lambda e: (-e["n_independent"], -e["n_documents"],
                                         str(e.get("first_reported") or "")))
    # numbered first, so the footnotes follow the order of reading
    key = [_event_line(notes, meta, e, said[id(e)], _denied(e) + _reviewed(e))
           for e in ranked[:3]]
    sections: dict[str, list[Line]] = {
        "corroborated": [], "single": [], "disputed": [], "statements": [], "rejected": []}
    for ev in events:
        line = _event_line(notes, meta, ev, said[id(ev)], _reviewed(ev))
        if verdict(ev) == "rejected":
            sections["rejected"].append(line)
            continue
        if ev["denials"]:
            sections["disputed"].append(line)
            for den in ev["denials"]:
                sections["disputed"].append(_denial_line(notes, meta, den, ev))
        else:
            sections["corroborated" if ev["n_independent"] >= 2 else "single"].append(line)
        for dis in ev["disagreements"]:
            sections["disputed"].append(_disagreement(notes, meta, ev, dis, said[id(ev)]))
    sections["statements"] = [_statement(notes, meta, g) for g in quotes]
    sections["dates"] = _key_dates(store, story_id, notes)
    sections["threads"] = _threads(store, story_id, notes)
    outlets = sorted({d.get("outlet") or d.get("wire") or "unknown outlet"
                      for d in story.get("documents") or []})
    return {"story": story, "key": key, "sections": sections, "outlets": outlets,
            "n_events": len(events), "events": [cluster_id(e) for e in events]}


TITLES = [("corroborated", "Corroborated by independent sources"),
          ("single", "Single-source claims"), ("disputed", "Denied or disputed"),
          ("statements", "Key statements"), ("dates", "Key dates"),
          ("threads", "Where the story branches"),
          ("rejected", "Rejected by the analyst")]  # a rejected claim is no report
OPTIONAL = {"threads", "rejected"}  # sections shown only when they hold a line
KEY_DATES = 5


def _key_dates(store: Store, story_id: int, notes: _Notes) -> list[Line]:
    """The story's dates that matter, in the order of `storyline dates` (link/salience.py),
    each cited to the words of the articles that name it, else to the reports of the
    events dated to it, else to the articles published that day or the day after; a day
    with none of these (a month spread over its days) is passed over."""
    from ..link.salience import rank_dates

    documents = lq.get_story(store, story_id).get("documents") or []
    lines = []
    for d in rank_dates(store, story_id, top=None):
        noun = "document" if d["referring_documents"] == 1 else "documents"
        parts = [f"named by {d['referring_documents']} {noun}"] if d["referring_documents"] \
            else []
        if d["referring_back"]:
            parts.append(f"{d['referring_back']} of them looking back days later")
        if d["published"]:
            parts.append(f"{d['published']} published that day")
        if d["published_next_day"]:
            parts.append(f"{d['published_next_day']} published the day after")
        if d["event_documents"]:
            parts.append(f"merged events dated to it in {d['event_documents']} "
                         f"{'document' if d['event_documents'] == 1 else 'documents'}")
        evidence = d["evidence"]
        spans = evidence["spans"] or [m for ev in evidence["events"]
                                      for m in ev.get("mentions") or []][:5] \
            or [{"doc_id": doc} for doc in evidence["published"]] \
            or [{"doc_id": doc["id"]} for doc in documents
                if doc.get("published") == _next_day(d["date"])]
        if not spans:  # a day that nothing in the coverage names or dates: nothing to cite
            continue
        meta = _doc_meta(store, {s["doc_id"] for s in spans if s.get("doc_id")})
        lines.append(Line(f"{d['date']}: " + ", ".join(parts) + ".",
                          _cite_mentions(notes, meta, spans)))
        if len(lines) == KEY_DATES:
            break
    return lines


def _threads(store: Store, story_id: int, notes: _Notes) -> list[Line]:
    """The story's threads (link/threads.py) when it branches, each cited to its articles;
    nothing for a story that follows one line."""
    from ..link.threads import story_threads

    threads = story_threads(store, story_id)["threads"]
    if len(threads) < 2:
        return []
    lines = []
    for t in threads:
        meta = _doc_meta(store, set(t["documents"]))
        period = (t["first_date"] if t["first_date"] == t["last_date"]
                  else f"{t['first_date'] or '?'} – {t['last_date'] or '?'}")
        lines.append(Line(f"{t['label']} ({period}): {t['n_documents']} articles.",
                          _cite_mentions(notes, meta, [{"doc_id": d} for d in t["documents"]])))
    return lines


def _next_day(day: str) -> str | None:
    try:
        return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    except ValueError:  # a month or a year: no next day
        return None


def _period(story: dict[str, Any]) -> str:
    first, last = story.get("first_date"), story.get("last_date")
    if not first and not last:
        return "undated"
    return str(first) if first == last or not last else f"{first or '?'} – {last}"


def _summary(data: dict[str, Any]) -> str:
    story = data["story"]
    return (f"Period: {_period(story)} · {len(story.get('documents') or [])} documents from "
            f"{', '.join(data['outlets'])} · {data['n_events']} merged events")


def _note_text(n: dict[str, Any]) -> str:
    lang = "" if is_english(n["language"]) else f" ({n['language']})"
    return f"{n['outlet']}, {n['published']}, doc {n['doc_id']}, " + (
        f"chars {n['start']}–{n['end']}{lang}: “{n['evidence']}”" if n["start"] is not None
        else "no exact span recorded") + citing(n)


def citing(n: dict[str, Any]) -> str:
    """ ", citing unnamed “officials”": the sources a report names nobody for."""
    words = n.get("unnamed") or []
    return f", citing unnamed {', '.join(f'“{w}”' for w in words)}" if words else ""


def _markdown(data: dict[str, Any], notes: _Notes) -> str:
    story = data["story"]
    out = [f"# Briefing: {story.get('title')}", "", _summary(data), "",
           "## Key developments", ""]
    cite = lambda ns: "".join(f"[{n}]" for n in ns)
    out += [f"- {ln.text} {cite(ln.cites)}" for ln in data["key"]] or \
        ["- No events recorded yet."]
    for key, title in TITLES:
        if key in OPTIONAL and not data["sections"][key]:
            continue
        out += ["", f"## {title}", ""]
        out += [f"- {ln.text} {cite(ln.cites)}" for ln in data["sections"][key]] or ["- None."]
    out += ["", "## Sources", ""]
    out += [f"[{i}] " + _note_text(n) for i, n in enumerate(notes.items, 1)]
    return "\n".join(out) + "\n"


# The standalone page's own look (the app shows the brief inside its layout instead).
_STYLE = ("body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;"
          "padding:0 1rem;color:#1d2430}h1{font-size:1.6rem}h2{font-size:1.2rem;"
          "border-bottom:1px solid #d8dde6;padding-bottom:.2rem;margin-top:1.6rem}"
          "sup a{text-decoration:none}.muted{color:#5b6473}.sources{font-size:.9rem}"
          "li{margin:.3rem 0}")


def _html(data: dict[str, Any], notes: _Notes) -> str:
    e = html.escape
    story = data["story"]

    def cites(ns: list[int]) -> str:
        return "".join(f'<sup><a href="{e(notes.items[n - 1]["href"])}" '
                       f'title="{e(notes.items[n - 1]["outlet"])}">[{n}]</a></sup>' for n in ns)

    def items(lines: list[Line], empty: str) -> str:
        if not lines:
            return f"<ul><li>{e(empty)}</li></ul>"
        return "<ul>" + "".join(f"<li>{e(ln.text)} {cites(ln.cites)}</li>"
                                for ln in lines) + "</ul>"

    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Briefing: {e(str(story.get('title')))}</title>",
             f"<style>{_STYLE}</style></head><body>",
             f"<h1>Briefing: {e(str(story.get('title')))}</h1>",
             f'<p class="muted">{e(_summary(data))}</p>',
             "<h2>Key developments</h2>", items(data["key"], "No events recorded yet.")]
    for key, title in TITLES:
        if key in OPTIONAL and not data["sections"][key]:
            continue
        parts += [f"<h2>{e(title)}</h2>", items(data["sections"][key], "None.")]
    parts.append('<h2>Sources</h2><ol class="sources">')
    for n in notes.items:
        lang = "" if is_english(n["language"]) else f", {e(n['language'])}"
        where = (f'chars {n["start"]}–{n["end"]}{lang}): “{e(n["evidence"])}”'
                 if n["start"] is not None else "no exact span recorded)")
        parts.append(f'<li><a href="{e(n["href"])}">{e(n["outlet"])}, {e(n["published"])}'
                     f'</a> (doc {e(n["doc_id"])}, {where}{e(citing(n))}</li>')
    parts.append("</ol></body></html>")
    return "\n".join(parts) + "\n"


def brief_data(store: Store, story_id: int | None, *, link_base: str = "") -> dict[str, Any]:
    """The briefing as JSON-ready data (what the web UI draws): the story, its sections of
    lines (text, citation numbers) in order, and the numbered sources."""
    notes = _Notes(link_base=link_base.rstrip("/"))
    data = _collect(store, pick_story(store, story_id), notes)
    story = data["story"]
    lines = lambda ls: [{"text": ln.text, "cites": ln.cites} for ln in ls]
    return {
        "story": {k: story.get(k) for k in ("id", "title", "first_date", "last_date")},
        "summary": _summary(data),
        "sections": [{"key": "key", "title": "Key developments", "lines": lines(data["key"])}]
        + [{"key": k, "title": t, "lines": lines(data["sections"][k])} for k, t in TITLES
           if k not in OPTIONAL or data["sections"][k]],
        "sources": [{"n": i, **{k: n[k] for k in ("doc_id", "start", "end", "outlet",
                                                   "published", "evidence", "href", "language",
                                                   "unnamed")}}
                    for i, n in enumerate(notes.items, 1)],
    }


def write_brief(store: Store, story_id: int | None, fmt: Literal["md", "html"] = "md", *,
                link_base: str = "") -> str:
    """The briefing of a story (the largest when None) as Markdown or HTML."""
    if fmt not in ("md", "html"):
        from ..errors import UnsupportedInput

        raise UnsupportedInput(f"unknown briefing format {fmt!r} (md or html)", source=fmt)
    notes = _Notes(link_base=link_base.rstrip("/"))
    data = _collect(store, pick_story(store, story_id), notes)
    return _markdown(data, notes) if fmt == "md" else _html(data, notes)


def brief_problems(store: Store, story_id: int | None = None) -> list[dict[str, Any]]:
    """Every claim of a story's briefing (of every story when None) that states a number,
    name or place none of its cited evidence spans holds: [] when the briefing says only
    what its sources say. Each problem: the story, the sentence, what is missing, and the
    evidence it was checked against."""
    ids = [story_id] if story_id is not None else [s["id"] for s in lq.list_stories(store)]
    problems = []
    for sid in ids:
        notes = _Notes()
        data = _collect(store, sid, notes)
        lines = data["key"] + [ln for k, _ in TITLES if k != "dates"
                               for ln in data["sections"][k]]
        for ln in lines:
            cited = [notes.items[n - 1] for n in ln.cites]
            missing = unsupported(ln.claim, [c["evidence"] for c in cited],
                                  [name for c in cited for name in c["names"]])
            if ln.claim and missing:
                problems.append({"story": sid, "sentence": ln.text, "missing": missing,
                                 "evidence": [c["evidence"] for c in cited]})
    return problems
