"""Score the system's predictions against an answer key (shared/gold/README.md).

Every rule is strict: a lenient match is a defect, so nothing counts unless the key's
item is found as the key states it. Common to all rules: a file the system could not
read (None, or absent from the predictions) has everything in it counted as missed or
wrong; precision with nothing predicted, or recall with nothing in the key, is 0 when the
other side is not empty and null when both are empty; an accuracy over no items is null.
One-to-one alignments maximise the number of pairs first, then the total overlap (solved
exactly, text/assign). Micro averages: counts are summed over documents, then divided.

boilerplate   The system's removed lines, except reasons "metadata" (fields moved out of the
              text, not noise) and "glued" (words split in place, nothing cut), against the key's `boilerplate` lines, as per-document
              sets of lines in NFKC with whitespace collapsed and ends stripped; equal
              strings only (case kept), after dropping leading list markers ("• ", "- "),
              which are layout. Every removed line counts: one not in the key is a
              false positive even when the cleaned text still holds the same words (a
              dropped second copy of a caption is a cut the key does not ask for; a
              substring test would also excuse a page number "3" because "13" is in
              the article). keep_recall: share of `keep` strings found, same normal
              form, as substrings of the cleaned text.
published     meta.published (its date part) equals the key's `published`; null equals
              only null, so a date where the key has null is wrong. n = all documents.
published_inferred  Over documents with a `published_true`: document.published_inferred,
              the date the system inferred, must equal it. A stated date (meta.published)
              is not an inference and earns nothing here (the key's `published` is null
              for these documents, so `published` already scores it).
entities      A predicted entity matches a key entity when one of its forms (canonical
              name, aliases, mention texts) equals the key name or an alias, after NFKC,
              whitespace collapsing, quote folding and case folding. One-to-one maximum
              matching per document; every predicted entity counts, whatever its type.
times         Each key time's text is located in the cleaned text (whole words, quotes and
              whitespace normalised, exact case preferred; longer texts claim first and
              an occurrence is never reused by a time of the same text). Predictions whose
              span overlaps it correspond. Correct: key value non-null, some corresponding
              prediction has that value and none has another non-null value; key value
              null, no corresponding prediction has a value. A key time not found in the
              text is wrong, unless its value is null. accuracy = correct / key times.
quotes        Key quote texts are located as times are. A predicted quote matches when its span covers at least
              half the key text's length; one-to-one. speaker_accuracy over matched pairs:
              the predicted speaker is the key speaker by the entity rule below.
events        A predicted event matches a key event when the subtype is equal and actor
              and target are the same entity (null only with null). For a denial the
              target is the id of the denied event: right when the predicted target is
              the predicted event aligned to that key event (denials align second; a
              denial whose key target lies in another document cannot match).
              Among candidates, the larger overlap of the evidence span with the key's
              located `evidence` wins. Attributes over matched pairs: when (values equal,
              pairs as lists, null only with null), quantity (numbers equal, absent ==
              None), source (entity rule), status (strings equal).
links         Pairwise over members, kind-qualified, each pair once. Key pairs: all pairs
              within each link. Predicted pairs: all pairs within each cluster, members
              mapped to key identities: an event through the event alignment; a quote to
              the same_quote member whose verbatim part it covers by at least half (or
              through its aligned key quote overlapping that part); a file is itself.
              An unaligned member keeps its own identity, so its pairs are false.

Entity rule (speakers, actors, targets, sources): a key name resolves to the key entity
with that name (else that alias); a predicted name to the predicted entity with that key
or canonical name. If the predicted entity is aligned to a key entity, that alignment
decides; otherwise the forms of the two must share one (the key name itself when it is
no entity of the document, e.g. an outlet; the predicted name itself likewise).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from storyline.eval.keyfile import load_key, validate_key
from storyline.eval.links import score_links
from storyline.eval.matching import DocAlignment, align_document
from storyline.eval.metrics import prf, ratio
from storyline.eval.report import render_table
from storyline.eval.text import norm_line, norm_removed_line, overlap
from storyline.eval.types import CorpusPrediction

# load_key and render_table are re-exported: callers import them from here too.
__all__ = ["STAGES", "infer_built", "load_key", "prf", "render_table", "score",
           "validate_key"]

STAGES = ("boilerplate", "published", "published_inferred", "entities", "times", "quotes",
          "events", "links")
# Records of cleaning that cut no noise: fields moved to metadata, words split in place.
_NOT_CUTS = frozenset({"metadata", "glued"})
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def infer_built(preds: CorpusPrediction) -> set[str]:
    """The stages with any prediction in any file (used when the caller does not say)."""
    docs = [fp for fp in preds.files.values() if fp is not None]
    built = {"boilerplate", "published", "published_inferred"} if docs else set()
    for stage in ("entities", "times", "quotes", "events"):
        if any(fp.analysis is not None and getattr(fp.analysis, stage) for fp in docs):
            built.add(stage)
    if preds.links.any():
        built.add("links")
    return built


def score(key: dict[str, Any], preds: CorpusPrediction,
          built: Iterable[str] | None = None) -> dict[str, Any]:
    """Score `preds` against `key`; a stage not in `built` (default: inferred) is null.

    Returns the keys of STAGES plus "details" (per-file missed and spurious items,
    counts, link pairs) for debugging.
    """
    validate_key(key)
    stages = set(built) if built is not None else infer_built(preds)
    unknown = stages - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stages: {sorted(unknown)}")
    aligns: list[DocAlignment] = []
    for doc in key["documents"]:
        fp = preds.files.get(doc["file"])
        aligns.append(align_document(doc["file"], doc, fp.document if fp else None,
                                     fp.analysis if fp else None))
    details: dict[str, Any] = {
        "files": {al.file: {} for al in aligns},
        "counts": {},
        "unscored_files": sorted(set(preds.files) - {al.file for al in aligns}),
    }
    scorers = {"boilerplate": _boilerplate, "published": _published,
               "published_inferred": _published_inferred, "entities": _entities,
               "times": _times, "quotes": _quotes, "events": _events}
    out: dict[str, Any] = {}
    for stage, fn in scorers.items():
        out[stage] = fn(aligns, details) if stage in stages else None
    out["links"] = (score_links(key, aligns, preds.links, details)
                    if "links" in stages else None)
    out["details"] = details
    return out


def _file(details: dict[str, Any], al: DocAlignment, stage: str) -> dict[str, Any]:
    return details["files"][al.file].setdefault(stage, {})


def _boilerplate(aligns: list[DocAlignment], details: dict[str, Any]) -> dict[str, Any]:
    tp = n_pred = n_gold = kept = n_keep = 0
    for al in aligns:
        gold = {norm_removed_line(line) for line in al.gold["boilerplate"]} - {""}
        pred: set[str] = set()
        text = None
        if al.document is not None:
            text = norm_line(al.document.text)
            pred = {norm_removed_line(r.text) for r in al.document.removed
                    if r.reason not in _NOT_CUTS} - {""}
        keep = [k for k in al.gold["keep"] if norm_line(k)]
        lost = [k for k in keep if text is None or norm_line(k) not in text]
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
        n_keep += len(keep)
        kept += len(keep) - len(lost)
        d = _file(details, al, "boilerplate")
        d.update(missed=sorted(gold - pred), spurious=sorted(pred - gold), keep_missed=lost)
    details["counts"]["boilerplate"] = {"tp": tp, "predicted": n_pred, "gold": n_gold,
                                        "kept": kept, "keep": n_keep}
    return {**prf(tp, n_pred, n_gold), "keep_recall": ratio(kept, n_keep)}


def _day(value: str | None) -> str | None:
    """The date part of an ISO date or datetime; other strings as they are."""
    if isinstance(value, str) and _ISO_DAY.match(value):
        return value[:10]
    return value


def _published(aligns: list[DocAlignment], details: dict[str, Any]) -> dict[str, Any]:
    correct = 0
    for al in aligns:
        gold = al.gold["published"]
        pred = _day(al.document.meta.published) if al.document is not None else None
        ok = al.document is not None and pred == gold
        correct += ok
        if not ok:
            _file(details, al, "published").update(
                gold=gold, predicted=pred, read=al.document is not None)
    details["counts"]["published"] = {"correct": correct, "n": len(aligns)}
    return {"accuracy": ratio(correct, len(aligns)), "n": len(aligns)}


def _published_inferred(aligns: list[DocAlignment], details: dict[str, Any]) -> dict[str, Any]:
    correct = n = 0
    for al in aligns:
        gold = al.gold.get("published_true")
        if gold is None:
            continue
        n += 1
        pred = None
        if al.document is not None:
            pred = _day(al.document.published_inferred)
        ok = pred == gold
        correct += ok
        if not ok:
            _file(details, al, "published_inferred").update(gold=gold, predicted=pred)
    details["counts"]["published_inferred"] = {"correct": correct, "n": n}
    return {"accuracy": ratio(correct, n), "n": n}


def _entities(aligns: list[DocAlignment], details: dict[str, Any]) -> dict[str, Any]:
    tp = n_pred = n_gold = 0
    for al in aligns:
        gold = al.gold["entities"]
        pred = al.analysis.entities if al.document is not None else []
        matched_gold = set(al.entity_map.values())
        tp += len(al.entity_map)
        n_pred += len(pred)
        n_gold += len(gold)
        _file(details, al, "entities").update(
            missed=[g["name"] for i, g in enumerate(gold) if i not in matched_gold],
            spurious=[p.name for j, p in enumerate(pred) if j not in al.entity_map])
    details["counts"]["entities"] = {"tp": tp, "predicted": n_pred, "gold": n_gold}
    return prf(tp, n_pred, n_gold)


def time_value(value: Any) -> Any:
    """Comparable form of a time value: a pair as a list of two strings."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return value


def _times(aligns: list[DocAlignment], details: dict[str, Any]) -> dict[str, Any]:
    correct = n = 0
    for al in aligns:
        gold = al.gold["times"]
        n += len(gold)
        spans = (al.locator.locate_all([t["text"] for t in gold]) if al.locator
                 else [None] * len(gold))
        wrong = []
        for t, span in zip(gold, spans):
            want = time_value(t["value"])
            values: list[Any] = []
            if al.document is None:
                ok = False
            elif span is None:
                ok = want is None  # nothing can have been resolved where the text is not
            else:
                values = [time_value(p.value) for p in al.analysis.times
                          if overlap(span, (p.start, p.end)) and p.value is not None]
                ok = (not values) if want is None else (
                    bool(values) and all(v == want for v in values))
            correct += ok
            if not ok:
                wrong.append({"text": t["text"], "gold": want, "predicted": values,
                              "found": span is not None})
        _file(details, al, "times").update(wrong=wrong)
    details["counts"]["times"] = {"correct": correct, "n": n}
    return {"accuracy": ratio(correct, n), "n": n}


def _quotes(aligns: list[DocAlignment], details: dict[str, Any]) -> dict[str, Any]:
    tp = n_pred = n_gold = right_speaker = 0
    for al in aligns:
        gold = al.gold["quotes"]
        pred = al.analysis.quotes if al.document is not None else []
        tp += len(al.quote_map)
        n_pred += len(pred)
        n_gold += len(gold)
        wrong = []
        for i, j in sorted(al.quote_map.items()):
            g, p = gold[i], pred[j]
            if al.same_entity(g["speaker"], p.speaker, p.speaker_key):
                right_speaker += 1
            else:
                wrong.append({"text": g["text"], "gold": g["speaker"], "predicted": p.speaker})
        used = set(al.quote_map.values())
        _file(details, al, "quotes").update(
            missed=[{"text": g["text"], "found": al.quote_spans[i] is not None}
                    for i, g in enumerate(gold) if i not in al.quote_map],
            spurious=[p.text for j, p in enumerate(pred) if j not in used],
            wrong_speaker=wrong)
    details["counts"]["quotes"] = {"tp": tp, "predicted": n_pred, "gold": n_gold,
                                   "right_speaker": right_speaker}
    return {**prf(tp, n_pred, n_gold), "speaker_accuracy": ratio(right_speaker, tp)}


def _same_quantity(gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return math.isclose(float(gold), float(pred), rel_tol=1e-9, abs_tol=1e-9)


def _events(aligns: list[DocAlignment], details: dict[str, Any]) -> dict[str, Any]:
    tp = n_pred = n_gold = 0
    right = {"when": 0, "quantity": 0, "source": 0, "status": 0}
    for al in aligns:
        gold = al.gold["events"]
        pred = al.analysis.events if al.document is not None else []
        tp += len(al.event_map)
        n_pred += len(pred)
        n_gold += len(gold)
        errors = []
        for i, j in sorted(al.event_map.items()):
            g, p = gold[i], pred[j]
            checks = {
                "when": (time_value(g["when"]) == time_value(p.when), g["when"], p.when),
                "quantity": (_same_quantity(g.get("quantity"), p.quantity),
                             g.get("quantity"), p.quantity),
                "source": (al.same_entity(g["source"], p.source, p.source_key),
                           g["source"], p.source),
                "status": (g["status"] == p.status, g["status"], p.status),
            }
            for attr, (ok, want, got) in checks.items():
                right[attr] += ok
                if not ok:
                    errors.append({"id": g["id"], "predicted_id": p.id, "attribute": attr,
                                   "gold": want, "predicted": got})
        used = set(al.event_map.values())
        _file(details, al, "events").update(
            missed=[g["id"] for i, g in enumerate(gold) if i not in al.event_map],
            spurious=[{"id": p.id, "subtype": p.subtype, "actor": p.actor, "target": p.target}
                      for j, p in enumerate(pred) if j not in used],
            attribute_errors=errors)
    details["counts"]["events"] = {"tp": tp, "predicted": n_pred, "gold": n_gold, **right}
    return {**prf(tp, n_pred, n_gold),
            "attributes": {k: ratio(v, tp) for k, v in right.items()}}
