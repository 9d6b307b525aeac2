"""Cross-document links, scored pairwise over members (see scorer's docstring)."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from storyline.eval.matching import DocAlignment
from storyline.eval.metrics import prf
from storyline.eval.text import Span, overlap
from storyline.eval.types import LINK_KINDS, PredictedLinks

Pair = tuple[str, str]  # two member identities, sorted


def _pairs(members: list[str]) -> set[Pair]:
    """All unordered pairs of distinct identities (a pair once, however often it occurs)."""
    ids = sorted(set(members))
    return {(a, b) for a, b in combinations(ids, 2)}


def _quote_id(file: str, text: str) -> str:
    return f"{file}: {text}"


class _Identities:
    """Maps predicted link members to the key's identities."""

    def __init__(self, key: dict[str, Any], aligns: list[DocAlignment]) -> None:
        self.aligns = {al.file: al for al in aligns}
        # Every same_quote member of the key, located in its file's cleaned text.
        texts: dict[str, list[str]] = {}
        for link in key["links"]:
            if link["kind"] == "same_quote":
                for file, text in link["members"]:
                    if text not in texts.setdefault(file, []):
                        texts[file].append(text)
        self.members: dict[str, list[tuple[str, Span]]] = {}
        for file, items in texts.items():
            al = self.aligns.get(file)
            if al is None or al.locator is None:
                continue
            spans = al.locator.locate_all(items)
            self.members[file] = [(_quote_id(file, t), s)
                                  for t, s in zip(items, spans) if s is not None]

    def event(self, file: str, event_id: str) -> str:
        al = self.aligns.get(file)
        if al is not None:
            for i, j in al.event_map.items():
                if al.analysis.events[j].id == event_id:
                    return al.gold["events"][i]["id"]
        return f"unaligned:{file}#{event_id}"

    def quote(self, file: str, index: int) -> str:
        al = self.aligns.get(file)
        own = f"unaligned:{file}#quote[{index}]"
        if al is None or not 0 <= index < len(al.analysis.quotes):
            return own
        q = al.analysis.quotes[index]
        span = (q.start, q.end)
        members = self.members.get(file, [])
        # The member whose verbatim part the predicted quote covers by at least half.
        best = max(((overlap(s, span), ident) for ident, s in members
                    if 2 * overlap(s, span) >= s[1] - s[0] > 0), default=None)
        if best is not None:
            return best[1]
        # Otherwise through the key quote this prediction was aligned to in quote scoring.
        for i, j in al.quote_map.items():
            if j == index:
                gspan = al.quote_spans[i]
                best = max(((overlap(s, gspan), ident) for ident, s in members
                            if overlap(s, gspan) > 0), default=None)
                if best is not None:
                    return best[1]
        return own


def score_links(key: dict[str, Any], aligns: list[DocAlignment], links: PredictedLinks,
                details: dict[str, Any]) -> dict[str, Any]:
    """Pairwise precision, recall and F1 over all kinds, and by kind."""
    gold: dict[str, set[Pair]] = {k: set() for k in LINK_KINDS}
    for link in key["links"]:
        kind = link["kind"]
        if kind == "same_quote":
            ids = [_quote_id(f, t) for f, t in link["members"]]
        else:
            ids = list(link["members"])
        gold[kind] |= _pairs(ids)

    ident = _Identities(key, aligns)
    pred: dict[str, set[Pair]] = {k: set() for k in LINK_KINDS}
    for kind in ("same_event", "contradiction"):
        for cluster in getattr(links, kind):
            pred[kind] |= _pairs([ident.event(f, e) for f, e in cluster])
    for cluster in links.same_quote:
        pred["same_quote"] |= _pairs([ident.quote(f, i) for f, i in cluster])
    for cluster in links.same_story:
        pred["same_story"] |= _pairs(list(cluster))

    by_kind: dict[str, Any] = {}
    tp = n_pred = n_gold = 0
    missed: dict[str, list[list[str]]] = {}
    spurious: dict[str, list[list[str]]] = {}
    for kind in LINK_KINDS:
        hit = gold[kind] & pred[kind]
        tp += len(hit)
        n_pred += len(pred[kind])
        n_gold += len(gold[kind])
        by_kind[kind] = prf(len(hit), len(pred[kind]), len(gold[kind]))
        missed[kind] = [list(p) for p in sorted(gold[kind] - pred[kind])]
        spurious[kind] = [list(p) for p in sorted(pred[kind] - gold[kind])]
    details["links"] = {"missed": missed, "spurious": spurious}
    details["counts"]["links"] = {"tp": tp, "predicted": n_pred, "gold": n_gold}
    return {**prf(tp, n_pred, n_gold), "by_kind": by_kind}
