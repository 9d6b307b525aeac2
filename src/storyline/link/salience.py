"""The dates that matter: the days of a story (or of the whole store) ranked by how much the
coverage says happened on them.

A day gathers, from the stored analysis (never from the text again):

- references: the documents whose normalised time expressions point at exactly that day
  (each document counts once, however often it names the day; more mentions add a little);
- back-references: those of them published `LATER_DAYS` or more after the day, an article
  that looks back at the day because it mattered;
- publications: the documents published on the day, and the day before the publication
  of each (a report of today usually tells what happened yesterday);
- merged events dated to the day, by the documents that report them;
- typed happenings dated to the day (general events beside PLOVER: a death, an arrest, a
  quake; `Analysis.happenings`, extract/happenings.py), by the documents that report them
  (an untyped one only repeats the time expression that dated it, counted already);
- a little of each wider time value of a month or less ("last week", "in March"), shared
  among the days it covers (what an article says happened at some time in that span);

combined by the weights of `Weights` (the ranking's knobs, all in one place; tuned on part
of timeline17-dev by `scripts/eval_t17.py --tune`, the other topics reported apart). Each
ranked day carries its evidence: the documents and character spans of the time expressions
that point at it, the documents published on it, the merged events and the happenings dated to it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import NotFound
from ..store import Store
from .common import interval, parse_day

__all__ = ["WEIGHTS", "DayFeatures", "Weights", "day_features", "rank_dates", "score_day",
           "story_happenings"]


@dataclass(frozen=True)
class Weights:
    """The ranking's knobs (see the module docstring for what each counts). The values are
    those `scripts/eval_t17.py --tune egypt,finan,h1n1` chose on timeline17-dev (40
    articles a topic; iraq kept apart as the check): the best mean Date-F1, then the best
    precision of the first ten days. Back-references and repeated mentions tuned to 0 there
    (they did not help on those topics); they stay as knobs."""

    refs: float = 1.0  # documents pointing at the day
    mentions: float = 0.0  # log(1 + further mentions) beyond one per document
    back_refs: float = 0.0  # of those, the documents published `later_days` or more after
    published: float = 0.25  # documents published on the day
    day_before: float = 0.5  # documents published the next day
    events: float = 0.5  # documents reporting merged events dated to the day
    # documents reporting typed happenings dated to the day: 0 (on timeline17-dev it moved
    # no Date-F1 and, at 0.5 or more, lowered the top ten; docs/EVALUATION.md, Happenings)
    happenings: float = 0.0
    later_days: int = 2
    spread: float = 0.25  # a time value covering up to spread_days days, shared among them
    spread_days: int = 31


WEIGHTS = Weights()
SPREAD_MAX = 31  # the widest value kept (a month); Weights.spread_days picks among them


@dataclass
class DayFeatures:
    """What the coverage says about one day, with the evidence."""

    day: str
    ref_docs: set[str] = field(default_factory=set)
    n_mentions: int = 0
    lags: dict[str, int] = field(default_factory=dict)  # referring doc -> days it came after
    published_docs: set[str] = field(default_factory=set)
    next_day_docs: set[str] = field(default_factory=set)
    event_docs: set[str] = field(default_factory=set)  # documents reporting dated events
    happening_docs: set[str] = field(default_factory=set)  # ... dated happenings
    spread: dict[int, float] = field(default_factory=dict)  # width -> share of wider values
    spans: list[dict[str, Any]] = field(default_factory=list)  # time expressions
    events: list[dict[str, Any]] = field(default_factory=list)  # merged events
    happenings: list[dict[str, Any]] = field(default_factory=list)  # their spans


def _documents(store: Store, story_id: int | None) -> dict[str, str | None]:
    """doc id -> its publication day (stated, else inferred) for the story or the store."""
    if story_id is None:
        rows = store.conn.execute("SELECT id, published, published_inferred FROM documents "
                                  "WHERE analysed_at IS NOT NULL").fetchall()
    else:
        if store.conn.execute("SELECT 1 FROM stories WHERE id=?", (story_id,)).fetchone() is None:
            raise NotFound(f"no story {story_id}", source=str(story_id))
        rows = store.conn.execute(
            "SELECT d.id, d.published, d.published_inferred FROM story_documents sd "
            "JOIN documents d ON d.id = sd.doc_id WHERE sd.story_id=?", (story_id,)).fetchall()
    out = {}
    for r in rows:
        d = parse_day(r["published"] or r["published_inferred"])
        out[r["id"]] = d.isoformat() if d else None
    return out


def _single_day(value: Any) -> dt.date | None:
    iv = interval(value)
    return iv[0] if iv is not None and iv[0] == iv[1] else None


def day_features(store: Store, story_id: int | None = None) -> dict[str, DayFeatures]:
    """Every day that the coverage points at, publishes on, or dates an event to."""
    docs = _documents(store, story_id)
    days: dict[str, DayFeatures] = {}

    def at(day: str) -> DayFeatures:
        if day not in days:
            days[day] = DayFeatures(day)
        return days[day]

    for doc_id, pub in docs.items():
        if pub:
            at(pub).published_docs.add(doc_id)
            prev = (dt.date.fromisoformat(pub) - dt.timedelta(days=1)).isoformat()
            at(prev).next_day_docs.add(doc_id)
    ids = list(docs)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store.conn.execute(
                "SELECT doc_id, text, start, end, value_json FROM times WHERE doc_id IN "
                f"({','.join('?' * len(chunk))}) ORDER BY doc_id, start", chunk).fetchall():
            value = json.loads(r["value_json"]) if r["value_json"] else None
            day = _single_day(value)
            if day is None:
                _spread(value, at)
                continue
            f = at(day.isoformat())
            f.ref_docs.add(r["doc_id"])
            f.n_mentions += 1
            pub = docs[r["doc_id"]]
            if pub:
                f.lags[r["doc_id"]] = (dt.date.fromisoformat(pub) - day).days
            f.spans.append({"doc_id": r["doc_id"], "start": r["start"], "end": r["end"],
                            "text": r["text"]})
    _add_events(store, story_id, set(docs), at)
    _add_happenings(store, ids, at)
    return days


def _spread(value: Any, at: Any) -> None:
    """A week or a few days ("last week", "March 3-5") shared among the days it covers."""
    iv = interval(value)
    if iv is None:
        return
    n = (iv[1] - iv[0]).days + 1
    if n > SPREAD_MAX:
        return
    for k in range(n):
        f = at((iv[0] + dt.timedelta(days=k)).isoformat())
        f.spread[n] = f.spread.get(n, 0.0) + 1.0 / n


def _add_events(store: Store, story_id: int | None, doc_ids: set[str], at: Any) -> None:
    if story_id is None:
        rows = store.conn.execute("SELECT id, json FROM clusters WHERE kind='event' AND "
                                  "when_start IS NOT NULL AND when_start = when_end").fetchall()
    else:
        rows = store.conn.execute(
            "SELECT DISTINCT c.id, c.json FROM story_documents sd JOIN cluster_members cm "
            "ON cm.doc_id = sd.doc_id JOIN clusters c ON c.id = cm.cluster_id WHERE "
            "sd.story_id=? AND c.kind='event' AND c.when_start IS NOT NULL AND "
            "c.when_start = c.when_end", (story_id,)).fetchall()
    for r in rows:
        data = json.loads(r["json"] or "{}")
        day = _single_day(data.get("when"))
        mentions = [m for m in data.get("mentions", []) if m.get("doc_id") in doc_ids]
        if day is None or not mentions:
            continue
        f = at(day.isoformat())
        n = max(1, int(data.get("n_independent") or 0))
        f.event_docs |= {m["doc_id"] for m in mentions}
        f.events.append({"cluster_id": r["id"], "title": data.get("title"),
                         "n_independent": n,
                         "mentions": [{"doc_id": m["doc_id"], "start": m.get("start"),
                                       "end": m.get("end")} for m in mentions]})


def _happenings(store: Store, ids: list[str]) -> Any:
    """(doc id, happening dict) of the documents' stored analyses: the typed ones that are
    not denied."""
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store.conn.execute(
                "SELECT id, json_extract(analysis_json, '$.happenings') AS h FROM documents "
                f"WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY id", chunk).fetchall():
            for h in json.loads(r["h"] or "[]"):
                if h.get("subtype") and h.get("status") != "denied":
                    yield r["id"], h


def _add_happenings(store: Store, ids: list[str], at: Any) -> None:
    """The happenings of the documents dated to one day."""
    for doc_id, h in _happenings(store, ids):
        day = _single_day(h.get("when"))
        if day is None:
            continue
        f = at(day.isoformat())
        f.happening_docs.add(doc_id)
        f.happenings.append({"doc_id": doc_id, "start": h.get("start"), "end": h.get("end"),
                             "subtype": h.get("subtype"), "trigger": h.get("trigger")})


def story_happenings(store: Store, story_id: int | None = None) -> list[dict[str, Any]]:
    """The dated happenings of a story (or of the store), one row per (time, subtype), in
    time order, each with the documents that report it and their spans: what the timeline
    shows beside the merged PLOVER events."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for doc_id, h in _happenings(store, list(_documents(store, story_id))):
        iv = interval(h.get("when"))
        if iv is None:
            continue
        key = (json.dumps(h["when"]), h["subtype"])
        row = groups.setdefault(key, {"when": h["when"], "subtype": h["subtype"],
                                      "start_day": iv[0].isoformat(), "documents": set(),
                                      "mentions": []})
        row["documents"].add(doc_id)
        row["mentions"].append({"doc_id": doc_id, "start": h.get("start"), "end": h.get("end"),
                                "evidence": h.get("evidence"), "actor": h.get("actor"),
                                "target": h.get("target"), "where": h.get("where")})
    out = sorted(groups.values(), key=lambda r: (r["start_day"], -len(r["documents"])))
    for row in out:
        row["n_documents"] = len(row.pop("documents"))
        del row["start_day"]
    return out


def back_refs(f: DayFeatures, w: Weights = WEIGHTS) -> int:
    """The referring documents published `later_days` or more after the day."""
    return sum(1 for lag in f.lags.values() if lag >= w.later_days)


def score_day(f: DayFeatures, w: Weights = WEIGHTS) -> float:
    """A day's weight: what the coverage says happened on it."""
    extra = max(0, f.n_mentions - len(f.ref_docs))
    return (w.refs * len(f.ref_docs) + w.mentions * math.log1p(extra)
            + w.back_refs * back_refs(f, w) + w.published * len(f.published_docs)
            + w.day_before * len(f.next_day_docs) + w.events * len(f.event_docs)
            + w.happenings * len(f.happening_docs)
            + w.spread * sum(v for n, v in f.spread.items() if n <= w.spread_days))


def rank_dates(store: Store, story_id: int | None = None, top: int | None = 10,
               weights: Weights = WEIGHTS, evidence: int = 5) -> list[dict[str, Any]]:
    """The days of a story (or of the store), highest weight first (ties: earlier day),
    each with its parts and up to `evidence` spans and events as evidence; `top` None or 0
    keeps every day."""
    feats = day_features(store, story_id)
    scored = sorted(((score_day(f, weights), f) for f in feats.values()),
                    key=lambda sf: (-sf[0], sf[1].day))
    scored = [sf for sf in scored if sf[0] > 0]
    if top:
        scored = scored[:top]
    out = []
    for score, f in scored:
        out.append({
            "date": f.day, "score": round(score, 4),
            "n_documents": len(f.ref_docs | f.published_docs | f.event_docs
                               | f.happening_docs),
            "referring_documents": len(f.ref_docs), "mentions": f.n_mentions,
            "referring_back": back_refs(f, weights), "published": len(f.published_docs),
            "published_next_day": len(f.next_day_docs),
            "event_documents": len(f.event_docs),
            "happening_documents": len(f.happening_docs),
            "evidence": {"spans": f.spans[:evidence],
                         "published": sorted(f.published_docs)[:evidence],
                         "events": sorted(f.events, key=lambda e: -e["n_independent"])
                         [:evidence],
                         "happenings": f.happenings[:evidence]},
        })
    return out


def weights_dict(w: Weights = WEIGHTS) -> dict[str, Any]:
    """The knobs as a plain dict (reports print them next to the scores)."""
    return asdict(w)
