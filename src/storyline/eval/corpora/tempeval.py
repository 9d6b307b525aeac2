"""Scoring `storyline_times` on TempEval-3 TimeML files (TimeBank, AQUAINT, platinum).

    python -m storyline.eval.corpora.tempeval PATH [--limit N] [--json] [--errors N]

PATH is a .tml file or a folder searched recursively. Each document is run with its
creation time (the TIMEX3 with functionInDocument="CREATION_TIME") as the publication
date. A gold TIMEX3 is detected when a predicted mention overlaps it (the one with the
largest overlap is compared). Values are compared after mapping TimeML to our format:

- "1998-01-08", "1998-01", "1998", "1998-W05" compare as they are; a time of day is cut
  ("1998-01-08TEV" -> "1998-01-08"), since our values stop at the day.
- "1998-Q3" -> ["1998-07", "1998-09"], "1990-H1" -> ["1990-01", "1990-06"],
  "199" (a decade) -> ["1990", "1999"], "19" -> ["1900", "1999"],
  "1998-W05-WE" (a weekend) -> [Saturday, Sunday] of that week.
- Values our format cannot state are "undetermined": PRESENT_REF, PAST_REF, FUTURE_REF,
  seasons ("1998-SU"), durations ("P1D") and anything with an X ("XXXX-XX-XX",
  "1998-WXX"). Our None is correct for them; so is a value that fits the pattern
  ("1998-W03" for "1998-WXX") and a season's month pair ("1998-SU" -> ["1998-06",
  "1998-08"]; "1998-WI" fits the winter that ends in 1998 and the one that begins in it).

Scores: DATE timexes are the headline (value accuracy over all gold DATE, a missed one
counting as wrong, and over the detected ones); TIME is reported the same way; DURATION
and SET are reported for detection only (we do not emit them, so they are excluded from
value accuracy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TmlDoc:
    name: str
    dct: str | None
    text: str
    timexes: list[Timex] = field(default_factory=list)


def parse_tml(path: Path) -> TmlDoc:
    """The <TEXT> of a TimeML file as plain text, with its TIMEX3 spans and the DCT."""
    raw = path.read_text(encoding="utf-8")
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(_ATTR.findall(m[1]))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = attrs.get("value", "")[:10] or None
            break
    body = raw.split("<TEXT>", 1)[-1].split("</TEXT>", 1)[0]
    parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[Timex] = []
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m[2] != "TIMEX3":
            continue
        if not m[1]:
            open_timex = (length, dict(_ATTR.findall(m[3])))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(parts)[start:length]
            timexes.append(Timex(start, length, text, attrs.get("type", ""), attrs.get("value", "")))
            open_timex = None
    parts.append(html.unescape(body[pos:]))
    return TmlDoc(path.name, dct, "".join(parts), timexes)


def _weekend(value: str) -> list[str] | None:
    m = re.fullmatch(r"(\d{4})-W(\d{2})-WE", value)
    if not m:
        return None
    sat = dt.date.fromisocalendar(int(m[1]), int(m[2]), 6)
    return [sat.isoformat(), (sat + dt.timedelta(days=1)).isoformat()]


def gold_value(value: str) -> tuple[str, Any]:
    """("exact", our value) or ("undetermined", the TimeML value) for a TIMEX3 value."""
    v = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", v):
        return "exact", v[:10]
    if re.fullmatch(r"\d{4}(-\d{2})?", v):
        return "exact", v
    m = re.fullmatch(r"(\d{4})-W(\d{1,2})", v)  # some files write "2000-W7"
    if m:
        return "exact", f"{m[1]}-W{int(m[2]):02d}"
    m = re.fullmatch(r"(\d{4})-([QH])([1-4])", v)
    if m:
        size = 3 if m[2] == "Q" else 6
        n, y = int(m[3]), int(m[1])
        return "exact", [f"{y}-{size * n - size + 1:02d}", f"{y}-{size * n:02d}"]
    if re.fullmatch(r"\d{3}", v):
        return "exact", [v + "0", v + "9"]
    if re.fullmatch(r"\d{2}", v):
        return "exact", [v + "00", v + "99"]
    we = _weekend(v)
    if we:
        return "exact", we
    return "undetermined", v


# First month of each TimeML season (northern-hemisphere meteorological seasons).
_SEASONS = {"SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12}


def season_pairs(value: str) -> list[list[str]]:
    """The month pairs our format gives a TimeML season ("1998-SU"); two for a winter,
    since TimeML does not say whether "1998-WI" begins or ends in 1998."""
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", value.strip())
    if not m:
        return []
    y, first = int(m[1]), _SEASONS[m[2]]
    if first == 12:
        return [[f"{y}-12", f"{y + 1}-02"], [f"{y - 1}-12", f"{y}-02"]]
    return [[f"{y}-{first:02d}", f"{y}-{first + 2:02d}"]]


def value_correct(pred: Any, gold: str, *, part: bool = False) -> bool:
    """Whether our value `pred` is right for the TimeML value `gold` (see module doc).

    `part`: the gold timex is only a part of the predicted mention ("1994" in "between 1994
    and 1997"); a pair is then right when one of its ends is the gold value.
    """
    kind, want = gold_value(gold)
    if kind == "exact":
        if part and isinstance(pred, list) and not isinstance(want, list):
            return want in pred
        return pred == want
    if pred is None:
        return True
    if isinstance(pred, list) and season_pairs(gold):
        return pred in season_pairs(gold)
    if isinstance(pred, str) and "X" in gold:
        # "1949-XX" is "some month of 1949": "1949" fits, and so does "1949-05"
        stem = re.sub(r"(-X+)+$", "", gold.split("T")[0])
        pattern = re.escape(stem).replace("X", r"\d")
        return re.fullmatch(pattern + r"(-.*)?", pred) is not None
    return False


def _docs(path: Path, limit: int | None) -> list[Path]:
    files = [path] if path.is_file() else sorted(path.rglob("*.tml"))
    return files[:limit] if limit else files


def evaluate_tempeval(path: str | Path, *, limit: int | None = None,
                      errors: int = 0) -> dict[str, Any]:
    """Run the times component over TimeML files and score detection and values."""
    from ...nlp import load_nlp, make_doc

    files = _docs(Path(path), limit)
    tml = [parse_tml(f) for f in files]
    nlp = load_nlp("auto", ("storyline_times",))
    docs = nlp.pipe((make_doc(nlp, d.text, published=d.dct, doc_id=d.name) for d in tml),
                    batch_size=16)
    stats: dict[str, dict[str, int]] = {}
    wrong: list[dict[str, Any]] = []
    n_pred = n_pred_matched = 0
    determined = {"gold": 0, "correct": 0}  # DATE timexes whose value our format can state
    for d, doc in zip(tml, docs):
        preds = doc._.sl_times or []
        n_pred += len(preds)
        n_pred_matched += sum(any(p.start < g.end and g.start < p.end for g in d.timexes)
                              for p in preds)
        for g in d.timexes:
            s = stats.setdefault(g.type, {"gold": 0, "detected": 0, "correct": 0,
                                          "undetermined": 0})
            s["gold"] += 1
            s["undetermined"] += gold_value(g.value)[0] == "undetermined"
            determined["gold"] += g.type == "DATE" and gold_value(g.value)[0] == "exact"
            over = [p for p in preds if p.start < g.end and g.start < p.end]
            if not over:
                if g.type in ("DATE", "TIME") and len(wrong) < errors:
                    wrong.append({"doc": d.name, "text": g.text, "gold": g.value, "pred": "MISSED"})
                continue
            s["detected"] += 1
            best = max(over, key=lambda p: min(p.end, g.end) - max(p.start, g.start))
            part = (best.start, best.end) != (g.start, g.end) and len(g.text) < len(best.text) \
                and sum(best.start < o.end and o.start < best.end for o in d.timexes) > 1
            ok = value_correct(best.value, g.value, part=part)
            if g.type == "DATE" and gold_value(g.value)[0] == "exact":
                determined["correct"] += ok
            s["correct"] += ok
            if not ok and g.type in ("DATE", "TIME") and len(wrong) < errors:
                wrong.append({"doc": d.name, "text": g.text, "gold": g.value, "pred": best.value,
                              "pred_text": best.text, "note": best.note})
    by_type = {}
    for typ, s in sorted(stats.items()):
        row: dict[str, Any] = dict(s)
        row["detection_recall"] = round(s["detected"] / s["gold"], 4) if s["gold"] else None
        if typ in ("DATE", "TIME"):
            row["value_accuracy_all"] = round(s["correct"] / s["gold"], 4) if s["gold"] else None
            row["value_accuracy_detected"] = (round(s["correct"] / s["detected"], 4)
                                              if s["detected"] else None)
        by_type[typ] = row
    out: dict[str, Any] = {
        "documents": len(tml), "predicted": n_pred,
        "predicted_overlapping_gold": n_pred_matched,
        "precision_overlap": round(n_pred_matched / n_pred, 4) if n_pred else None,
        "by_type": by_type,
        "date_determined": {**determined, "value_accuracy_all": round(
            determined["correct"] / determined["gold"], 4) if determined["gold"] else None},
    }
    if errors:
        out["errors"] = wrong
    return out


def _print(res: dict[str, Any]) -> None:
    print(f"documents {res['documents']}, predicted mentions {res['predicted']} "
          f"({res['precision_overlap']} overlap a gold TIMEX3)")
    for typ, r in res["by_type"].items():
        line = (f"{typ:9} gold {r['gold']:5}  detected {r['detected']:5} "
                f"(recall {r['detection_recall']})  undetermined gold {r['undetermined']}")
        if "value_accuracy_all" in r:
            line += (f"\n          value accuracy: all {r['value_accuracy_all']} (missed = wrong),"
                     f" detected {r['value_accuracy_detected']}")
        print(line)
    dd = res["date_determined"]
    print(f"DATE with a value our format states (no REF/X/season): gold {dd['gold']}, "
          f"value accuracy (missed = wrong) {dd['value_accuracy_all']}")
    for e in res.get("errors", []):
        print("  ", json.dumps(e, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N files")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--errors", type=int, default=0, help="list up to N wrong DATE/TIME values")
    args = ap.parse_args(argv)
    if not Path(args.path).exists():
        print(f"no such file or folder: {args.path}", file=sys.stderr)
        return 2
    res = evaluate_tempeval(args.path, limit=args.limit, errors=args.errors)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        _print(res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
