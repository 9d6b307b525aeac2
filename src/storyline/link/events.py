"""Same event across documents: when two event mentions report one happening.

A mention joins a merged event (a cluster) when nothing in them disagrees and enough
agrees: the same subtype (or a compatible one), the same actor and target keys (or one side
unnamed while time, quantity or item agree), compatible times (values overlap, allowing a
day or two for events that last), compatible quantities ("a million" and "over 1 million"
agree; ten times apart do not), compatible items (shells, munitions and weapons are all
arms). Places may differ: they are recorded as disagreements, not used to split.

Candidates come from the cluster indexes on (subtype, actor_key[, target_key]) and the end of
the cluster's time span (`common.latest_clusters`): the latest 50 whose span meets the
mention's time, so finding them costs the same however large the corpus is.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from ..extract.cameo import load_cameo
from .common import LinkContext, gap_days, interval, latest_clusters, width
from .wording import fold, language_of, statement_words

# Subtypes one happening can be reported under: a "meeting" of two leaders is the "summit".
COMPATIBLE_SUBTYPES: dict[str, set[str]] = {
    "meeting": {"summit"},
    "summit": {"meeting"},
}
# Subtypes whose two parties can be named in either order ("A met B" = "B met A").
SYMMETRIC_SUBTYPES = {"meeting", "summit", "agreement", "military_exercise", "trade"}
# Happenings that last: reports of one visit may name its first or its second day.
DURATIVE_SUBTYPES = {"visit", "summit", "meeting", "military_exercise", "military_deployment",
                     "troop_deployment", "port_call"}
STATUS_RANK = {"asserted": 4, "hedged": 3, "planned": 2, "hypothetical": 1, "denied": 0}
# Acts that are a party's own statement: the party that says them is their actor ("Iran
# warned the United States"), so what it says in its own voice is no claim it denies.
STATEMENT_SUBTYPES = {"accusation", "warning"}
STATEMENT_TYPES = {"ACCUSE", "THREATEN", "DEMAND", "DISAPPROVE"}
# Communicative acts: two reports of one are one event only when they are one statement
# (the same words, the same item, or a time that ties them), not because one party spoke to
# another twice. A stance (DISAPPROVE: "despite US objections") lasts, and two reports of
# one party's objection to one measure are one stance: it is not among them.
SAYING_SUBTYPES = STATEMENT_SUBTYPES | {"demand", "threat", "appeal", "statement"}
SAYING_TYPES = {"ACCUSE", "THREATEN", "DEMAND", "APPEAL"}
# Words a statement's clause shares with another report of it: at least this many, and
# this share of the shorter clause's words.
SAME_WORDS_MIN = 2
SAME_WORDS_SHARE = 0.3
_SAID_WORDS = 30
# A time is precise enough to tie a prediction to a later report when it spans a season.
STRONG_TIME_DAYS = 92

_FALLBACK_CLASSES = {
    "arms": ["arm", "arms", "weapon", "shell", "munition", "ammunition", "missile", "rocket",
             "artillery", "gun", "rifle", "tank", "drone", "bomb", "mortar", "grenade"],
    "troops": ["troop", "soldier", "force", "personnel", "army", "unit", "battalion"],
    "workers": ["worker", "labor", "labour", "laborer", "labourer", "manpower"],
    "technology": ["technology", "know-how", "expertise", "advice", "assistance", "help"],
    "goods": ["oil", "coal", "fuel", "petroleum", "grain", "food", "goods", "cargo"],
}
_GENERIC_GOODS = {"good", "goods", "cargo", "commodity", "product", "material", "export",
                  "import", "supply", "shipment"}
_STOP = {"the", "a", "an", "of", "and", "or", "for", "to", "in", "on", "its", "their", "with",
         "large", "amount", "number", "some", "several", "more", "than", "about", "over"}
_WORD = re.compile(r"[a-z][a-z\-]+")


@functools.lru_cache(maxsize=1)
def item_classes() -> dict[str, frozenset[str]]:
    """Item word -> classes, from the event lexicon the extractor uses (else a fallback)."""
    from ..extract.lexicon import load_lexicon  # the one loader of the event lexicon

    try:
        classes = {k: sorted(v) for k, v in load_lexicon().item_classes.items()
                   if k != "leader_titles"}
    except (OSError, ValueError, KeyError):
        classes = {}
    classes = classes or _FALLBACK_CLASSES
    out: dict[str, set[str]] = {}
    for cls, words in classes.items():
        for w in words:
            out.setdefault(w.lower(), set()).add(cls)
    return {w: frozenset(c) for w, c in out.items()}


def item_words(item: str | None) -> set[str]:
    """Content words of an item, singular: "artillery shells" -> {"artillery", "shell"}."""
    if not item:
        return set()
    return {fold(w) for w in _WORD.findall(item.lower()) if w not in _STOP}


def item_class_set(item: str | None) -> set[str]:
    table = item_classes()
    out: set[str] = set()
    for w in item_words(item):
        out |= table.get(w, frozenset()) | table.get(w + "s", frozenset())
    return out


def items_agree(a: str | None, b: str | None) -> bool | None:
    """True: same kind of thing; False: clearly different things; None: cannot tell."""
    wa, wb = item_words(a), item_words(b)
    if not wa or not wb:
        return None
    if wa & wb:
        return True
    ca, cb = item_class_set(a), item_class_set(b)
    if ca and cb:
        shared = ca & cb
        if shared == {"goods"}:
            # commodities are not interchangeable: wheat is not oil, unless one side is
            # the generic word ("goods", "cargo")
            return bool((wa | wb) & _GENERIC_GOODS)
        return bool(shared)
    return None


def quantities_agree(a: float | None, b: float | None) -> bool | None:
    """True within 1.5x ("a million" vs "over 1 million"), False beyond 3x, else None."""
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    ratio = max(a, b) / min(a, b)
    if ratio <= 1.5:
        return True
    if ratio > 3:
        return False
    return None


_YEAR_IN_TEXT = re.compile(r"\b(1[89]|20)\d{2}\b|'\d{2}\b")


def usable_when(ev: dict[str, Any], anchored: bool) -> Any:
    """The event's time value, unless its own words cannot give it: in an article with no
    date (stated or inferred), a relative expression ("Thursday", "last month") resolves
    to nothing, so a value beside such an expression was attached from elsewhere."""
    when = ev.get("when")
    text = ev.get("when_text")
    if when is not None and not anchored and text and not _YEAR_IN_TEXT.search(text):
        return None
    return when


def is_saying(ev: dict[str, Any]) -> bool:
    """Whether the event is a party's communicative act (a warning, a demand, an
    accusation...), whose identity is what was said, not who spoke to whom."""
    sub = ev.get("subtype")
    return sub in SAYING_SUBTYPES or (sub is None and ev.get("type") in SAYING_TYPES)


# A clause ends at a full stop, a semicolon, a question or exclamation mark before a space,
# at a full-width one (Chinese, Japanese: no space follows), or at a line's end.
_CLAUSE_END = re.compile(r"[.;!?](?=\s|$)|[。．；！？]|\n")


def said_text(text: str, ev: dict[str, Any]) -> str:
    """The words of a statement as its document gives them: from the event's start to the
    end of its clause, at most a few dozen words."""
    start = ev.get("start")
    if not text or not isinstance(start, int) or start < 0 or start >= len(text):
        return ev.get("evidence") or ""
    end = ev.get("end")
    stop = _CLAUSE_END.search(text, max(end, start) if isinstance(end, int) else start)
    # a full stop after an abbreviation ("U.S.") ends no clause: go on past short tokens
    while stop is not None and stop.group() == "." and \
            re.search(r"(?:^|[\s.])[A-Z][a-z]?\.$", text[max(0, stop.start() - 3):stop.end()]):
        stop = _CLAUSE_END.search(text, stop.end())
    piece = text[start:stop.start() if stop else len(text)]
    return " ".join(piece.split()[:_SAID_WORDS])


def said_words(said: str | None, language: str | None = None) -> set[str]:
    """Content words of a statement in its document's language, names set aside (a name
    is a party or a place, which the actor and target keys already compare), without the
    words that name the act of saying (`wording.statement_words`)."""
    return statement_words(said, language)


def same_words(a: str | None, b: str | None, language_a: str | None = None,
               language_b: str | None = None) -> bool:
    """Whether two statements' clauses say the same thing in the same words, each read in
    its own language."""
    wa, wb = said_words(a, language_a), said_words(b, language_b)
    if not wa or not wb:
        return False
    shared = len(wa & wb)
    return shared >= SAME_WORDS_MIN and shared >= SAME_WORDS_SHARE * min(len(wa), len(wb))


def mention_of(ev: dict[str, Any], doc_id: str, anchored: bool = True) -> dict[str, Any]:
    """The fields of an event that matching compares, as one flat dict."""
    return {"doc_id": doc_id, "event_id": ev.get("id"), "type": ev.get("type"),
            "subtype": ev.get("subtype"), "actor_key": ev.get("actor_key"),
            "target_key": ev.get("target_key"), "item": ev.get("item"),
            "quantity": ev.get("quantity"), "when": usable_when(ev, anchored),
            "status": ev.get("status") or "asserted"}


@dataclass
class Match:
    """A candidate merged event for one mention, with the evidence for the merge."""

    cluster_id: int
    score: float
    strong_time: bool  # both sides have a precise time and they agree
    status_gap: bool  # a plan against reports of the happening (or the reverse)
    stories: set[int]
    size: int


def _key_agree(ctx: LinkContext, a: str | None, b: str | None) -> float | None:
    """1 same key, 0.5 one is the other's country, 0.4 two organs of one state, None one
    side unknown, -1 conflict (two people are never one another)."""
    if not a or not b:
        return None
    if a == b:
        return 1.0
    ca, cb = ctx.country_of(a), ctx.country_of(b)
    if (ca and ca == b) or (cb and cb == a):
        return 0.5  # a state and its official or agency ("Seoul" and "the NIS")
    ea, eb = ctx.entity(a), ctx.entity(b)
    if ea and eb and ea.type == eb.type == "ORG" and ctx.state_of(a) and \
            ctx.state_of(a) == ctx.state_of(b):
        return 0.4  # two organs of one state acting for it ("Treasury" and "OFAC")
    return -1.0


def _time_tolerance(subtype: str | None) -> int:
    return 2 if subtype in DURATIVE_SUBTYPES else 1


def head_match(ctx: LinkContext, m: dict[str, Any], row: dict[str, Any]
               ) -> tuple[float, float | None, float | None, int] | None:
    """Subtype and parties of a mention against a cluster's row (no members needed):
    (subtype score, actor agreement, target agreement, sides missing), or None."""
    sub, csub = m.get("subtype"), row.get("subtype")
    if sub and csub:
        if sub == csub:
            s_sub = 1.0
        elif csub in COMPATIBLE_SUBTYPES.get(sub, set()):
            s_sub = 0.6
        else:
            return None
    elif m.get("type") and m.get("type") == row.get("type") and not sub and not csub:
        s_sub = 0.4
    elif not sub and not csub and load_cameo().same_act(m.get("type"), row.get("type")):
        s_sub = 0.3  # one use of force coded two ways; a precise time must tie them (compare)
    else:
        return None

    def keys(swap: bool) -> tuple[float | None, float | None]:
        a, t = (m.get("target_key"), m.get("actor_key")) if swap else \
            (m.get("actor_key"), m.get("target_key"))
        return _key_agree(ctx, a, row.get("actor_key")), _key_agree(ctx, t, row.get("target_key"))

    options = [keys(False)]
    if sub in SYMMETRIC_SUBTYPES or csub in SYMMETRIC_SUBTYPES:
        options.append(keys(True))
    best: tuple[float | None, float | None] | None = None
    for ka, kt in options:
        if (ka is not None and ka < 0) or (kt is not None and kt < 0):
            continue
        if best is None or (ka or 0) + (kt or 0) > (best[0] or 0) + (best[1] or 0):
            best = (ka, kt)
    if best is None:
        return None
    ka, kt = best
    # a side is missing when one report names it and the other does not; an event with no
    # target on either side (a launch, a test) is not missing anything
    missing = sum(1 for k, mine, theirs in ((ka, m.get("actor_key"), row.get("actor_key")),
                                            (kt, m.get("target_key"), row.get("target_key")))
                  if k is None and (mine or theirs))
    # a dyadic event needs at least one named party in common
    if ka is None and kt is None and (m.get("actor_key") or m.get("target_key")):
        return None
    return s_sub, ka, kt, missing


def compare(ctx: LinkContext, m: dict[str, Any], row: dict[str, Any],
            members: list[dict[str, Any]]) -> tuple[float, bool, bool] | None:
    """Score a mention against a merged event, or None if they differ:
    (score, strong_time, status_gap: a plan against a report or the reverse).

    `row` holds the cluster's representative subtype/type/keys; `members` its mentions.
    """
    head = head_match(ctx, m, row)
    if head is None:
        return None
    s_sub, ka, kt, missing = head
    sub, csub = m.get("subtype"), row.get("subtype")

    # time: against every member with a resolved value
    tol = _time_tolerance(sub or csub)
    iv = interval(m.get("when"))
    agree = disagree = 0
    strong = False
    if iv is not None:
        for other in members:
            jv = interval(other.get("when"))
            if jv is None:
                continue
            if gap_days(iv, jv) <= tol:
                agree += 1
                if width(iv) <= STRONG_TIME_DAYS and width(jv) <= STRONG_TIME_DAYS:
                    strong = True
            else:
                disagree += 1
    if disagree > agree or (disagree and is_saying(m)):
        return None  # (a statement is made at one time: any report of another day differs)
    if not strong and not sub and not csub and m.get("type") != row.get("type"):
        return None  # types coded apart are one happening only on one precise day

    q_agree = False
    q_vals = [o.get("quantity") for o in members if o.get("quantity")]
    if m.get("quantity") and q_vals:
        verdicts = [quantities_agree(m["quantity"], q) for q in q_vals]
        if verdicts.count(False) > verdicts.count(True):
            return None
        q_agree = True in verdicts

    i_agree = False
    items = [o.get("item") for o in members if o.get("item")]
    if m.get("item") and items:
        verdicts_i = [items_agree(m["item"], it) for it in items]
        if False in verdicts_i and True not in verdicts_i:
            return None
        i_agree = True in verdicts_i

    # status: a prediction or a hypothesis is one happening with a report only when a
    # precise time ties them ("will meet this month" + "met in September")
    status = m.get("status") or "asserted"
    statuses = {o.get("status") or "asserted" for o in members}
    if status == "hypothetical" and statuses - {"hypothetical"}:
        return None
    if status != "hypothetical" and statuses == {"hypothetical"}:
        return None
    # a plan and a report of the same happening: tied by a precise time, or by the story
    # (checked in `choose`, once the document's story is known)
    real = {"asserted", "hedged", "denied"}
    status_gap = (status in real) != bool(statuses & real)

    if missing and not (agree or q_agree):
        return None
    # a statement: one party speaking to another twice is two acts; without a time that
    # ties the reports, they are one only when they say the same thing: about the same
    # item (an objection to one measure), or in the same words
    if is_saying(m) and not agree and not i_agree and not any(
            same_words(m.get("said"), o.get("said") or o.get("evidence"),
                       language_of(ctx, m.get("doc_id")), language_of(ctx, o.get("doc_id")))
            for o in members):
        return None
    score = s_sub + (ka or 0.0) + (kt or 0.0) + 0.5 * bool(agree) + 0.5 * q_agree \
        + 0.3 * i_agree + 0.05 * math.log1p(len(members))
    return score, strong, status_gap


def _candidate_rows(ctx: LinkContext, m: dict[str, Any]) -> list[dict[str, Any]]:
    """Clusters worth comparing: the latest of each actor and target key (and subtype)
    whose time span meets the mention's (`common.latest_clusters`)."""
    sub = m.get("subtype")
    subs: list[str | None] = [sub] + sorted(COMPATIBLE_SUBTYPES.get(sub or "", set()))
    a, t = m.get("actor_key"), m.get("target_key")
    pairs: set[tuple[str | None, str | None, bool]] = set()  # (actor, target, target is any)
    for x, y in [(a, t)] + ([(t, a)] if sub in SYMMETRIC_SUBTYPES else []):
        pairs.add((x, y, False))
        if x and y:
            pairs.add((x, None, False))
            pairs.add((None, y, False))
        if x and not y:
            pairs.add((x, None, True))
        for cx in {ctx.country_of(x)} - {None, x}:
            pairs.add((cx, y, False))
        for cy in {ctx.country_of(y)} - {None, y}:
            pairs.add((x, cy, False))
    iv = interval(m.get("when"))
    tol = _time_tolerance(sub)
    rows: dict[int, dict[str, Any]] = {}
    for s in subs:
        for x, y, any_target in pairs:
            if x is None and y is None:
                continue
            if x is None:
                # an unnamed actor: the index would only narrow by subtype, a range that
                # grows with the corpus; such reports are found among the story's events
                continue
            where = "kind='event' AND " + ("subtype=?" if s is not None else "subtype IS NULL")
            args: list[Any] = [s] if s is not None else []
            where += " AND actor_key=?"
            args.append(x)
            if not any_target:
                where += " AND target_key=?" if y is not None else " AND target_key IS NULL"
                if y is not None:
                    args.append(y)
            span = None if iv is None else ((iv[0] - dt.timedelta(days=tol)).isoformat(),
                                            (iv[1] + dt.timedelta(days=tol)).isoformat())
            for r in latest_clusters(
                    ctx, "SELECT id, type, subtype, actor_key, target_key, when_start, "
                         "when_end, json FROM clusters", where, args, span,
                    by_target=not any_target):
                rows.setdefault(r["id"], dict(r))
    return list(rows.values())


def cluster_stories(ctx: LinkContext, cluster_id: int) -> set[int]:
    """The stories whose documents report this merged event."""
    rows = ctx.conn.execute(
        "SELECT DISTINCT sd.story_id FROM cluster_members cm "
        "JOIN story_documents sd ON sd.doc_id = cm.doc_id WHERE cm.cluster_id=?",
        (cluster_id,)).fetchall()
    return {r[0] for r in rows}


def _story_rows(ctx: LinkContext, m: dict[str, Any], stories: set[int]
                ) -> list[dict[str, Any]]:
    """Merged events of the candidate stories with a compatible subtype and time: where a
    report names a state and another its official, or names no actor, the key index
    cannot find them (clusters_story_event reads only the stories' events of those
    subtypes, not their statement groups)."""
    sub = m.get("subtype")
    if not stories or not sub:
        return []
    subs = [sub] + sorted(COMPATIBLE_SUBTYPES.get(sub, set()))
    sql = ("SELECT id, type, subtype, actor_key, target_key, when_start, when_end "
           "FROM clusters INDEXED BY clusters_story_event "
           f"WHERE story_id IN ({','.join('?' * len(stories))}) AND "
           f"kind='event' AND subtype IN ({','.join('?' * len(subs))})")
    args: list[Any] = [*sorted(stories), *subs]
    iv = interval(m.get("when"))
    if iv is not None:
        tol = _time_tolerance(sub)
        sql += " AND (when_start IS NULL OR when_start <= ?) AND (when_end IS NULL OR " \
               "when_end >= ?)"
        args += [(iv[1] + dt.timedelta(days=tol)).isoformat(),
                 (iv[0] - dt.timedelta(days=tol)).isoformat()]
    rows = ctx.conn.execute(sql + " ORDER BY id DESC LIMIT 200", args).fetchall()
    return [dict(r) for r in rows]


def propose(ctx: LinkContext, doc_id: str, events: list[dict[str, Any]],
            stories: set[int] | None = None) -> dict[str, list[Match]]:
    """For each claim event of a document, the merged events it could join, best first
    (found through the key index, and among the events of `stories`)."""
    out: dict[str, list[Match]] = {}
    for ev in events:
        if is_denial(ev):
            continue
        m = mention_of(ev, doc_id, anchored=ctx.doc(doc_id).date is not None)
        if is_saying(ev):
            m["said"] = said_text(ctx.text(doc_id), ev)
        matches: list[Match] = []
        rows = {r["id"]: r for r in _candidate_rows(ctx, m)}
        for r in _story_rows(ctx, m, stories or set()):
            rows.setdefault(r["id"], r)
        for row in rows.values():
            if head_match(ctx, m, row) is None:
                continue  # settled on the row's columns, without reading its reports
            if "json" not in row:
                row["json"] = ctx.conn.execute("SELECT json FROM clusters WHERE id=?",
                                               (row["id"],)).fetchone()[0]
            data = json.loads(row["json"] or "{}")
            members = [x for x in data.get("mentions", []) if x.get("doc_id") != doc_id]
            if not members:
                continue
            verdict = compare(ctx, m, row, members)
            if verdict is None:
                continue
            matches.append(Match(row["id"], verdict[0], verdict[1], verdict[2],
                                 cluster_stories(ctx, row["id"]), len(members)))
        matches.sort(key=lambda x: (-x.score, x.cluster_id))
        out[ev["id"]] = matches
    return out


def is_denial(ev: dict[str, Any]) -> bool:
    return ev.get("subtype") == "denial"


def same_in_document(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two events of one document that repeat one happening (the extractor saw it twice)."""
    if a.get("subtype") != b.get("subtype") or not a.get("actor_key"):
        return False
    if (a.get("actor_key"), a.get("target_key")) != (b.get("actor_key"), b.get("target_key")):
        return False
    ia, ib = interval(a.get("when")), interval(b.get("when"))
    if ia is None or ib is None or gap_days(ia, ib) > 0:
        return False
    if quantities_agree(a.get("quantity"), b.get("quantity")) is False:
        return False
    return items_agree(a.get("item"), b.get("item")) is not False


def choose(ctx: LinkContext, doc_id: str, events: list[dict[str, Any]],
           proposals: dict[str, list[Match]], story_id: int | None) -> dict[str, int | None]:
    """Pick one merged event per mention (None: a new one), honouring two rules:

    - a merged event outside the document's story is joined only on a precise, agreeing time
      (without a story in common and without a date, "X supplies arms to Y" is too generic);
      so is a plan joined to reports of the happening across stories ("will meet this
      month" in September and "met in September" two months later);
    - two mentions of one document go to one merged event only when they repeat each other.
    """
    chosen: dict[str, int | None] = {}
    taken: dict[int, dict[str, Any]] = {}
    by_id = {ev["id"]: ev for ev in events}
    for ev_id, matches in sorted(proposals.items(),
                                 key=lambda kv: -(kv[1][0].score if kv[1] else 0)):
        pick = None
        for match in matches:
            in_story = story_id is not None and story_id in match.stories
            if not in_story and not match.strong_time:
                continue
            other = taken.get(match.cluster_id)
            if other is not None and not same_in_document(other, by_id[ev_id]):
                continue
            pick = match.cluster_id
            break
        chosen[ev_id] = pick
        if pick is not None:
            taken.setdefault(pick, by_id[ev_id])
    return chosen
