"""CoNLL-2003 English NER scored through Storyline's entities (PER / ORG / LOC / MISC F1).

    python scripts/eval_conll.py [--split val] [--limit N] [--only entities] [--json]

Reads ../shared/corpora/ner/conll2003-en/<split>.conllu (token, BIO tag; `-DOCSTART-`
between documents; research-only text, never copied here), rebuilds each document's text
(tokens joined by spaces, one sentence a line), runs the English pipeline up to the
`storyline_entities` component (the other components are not loaded) and maps every mention of every entity to a CoNLL type:
PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC, and a country named by its demonym or its
people ("North Korean", "Russians") -> MISC, as CoNLL tags nationalities. Scores are exact
span matches (the conlleval convention), per type and micro-averaged over all four types.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "corpora" / "ner" / "conll2003-en"
TYPES = ("PER", "ORG", "LOC", "MISC")
# NORP: a country named only by nationality words; its demonyms are MISC below, as they were
# when it was a GPE ("Sino-" stays LOC)
_LABEL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "LOC"}


def read_documents(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, tag)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split("\t")
        if len(parts) < 3:
            if sent:
                if sent[0][0] == "-DOCSTART-":
                    docs.append([])
                elif docs:
                    docs[-1].append(sent)
                else:
                    docs.append([sent])
            sent = []
            continue
        sent.append((parts[1], parts[2]))
    return [d for d in docs if d]


def gold_spans(sentences: list[list[tuple[str, str]]]) -> tuple[str, set[tuple[int, int, str]]]:
    """The document's text and its gold (start, end, type) character spans."""
    lines: list[str] = []
    spans: set[tuple[int, int, str]] = set()
    offset = 0
    for sent in sentences:
        pos, open_span = offset, None
        for tok, tag in sent:
            if open_span and not (tag.startswith("I-") and tag[2:] == open_span[2]):
                spans.add(open_span)
                open_span = None
            if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                open_span = (pos, pos + len(tok), tag[2:])
            elif tag.startswith("I-") and open_span:
                open_span = (open_span[0], pos + len(tok), open_span[2])
            pos += len(tok) + 1
        if open_span:
            spans.add(open_span)
        line = " ".join(t for t, _ in sent)
        lines.append(line)
        offset += len(line) + 1
    return "\n".join(lines), spans


def predicted_spans(doc, kb) -> set[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    out = set()
    for ent in doc._.sl_entities or []:
        label = _LABEL.get(ent.type)
        if label is None:
            continue
        for m in ent.mentions:
            typ = label
            if ent.key.startswith("country:") and any(
                    kind in ("demonym", "people") for _, kind in kb.entries(m.text)):
                typ = "MISC"
            out.add((m.start, m.end, typ))
    return out


def score(gold: list[set], pred: list[set]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for typ in (*TYPES, "all"):
        tp = fp = fn = 0
        for g, p in zip(gold, pred):
            gs = {s for s in g if typ in ("all", s[2])}
            ps = {s for s in p if typ in ("all", s[2])}
            tp += len(gs & ps)
            fp += len(ps - gs)
            fn += len(gs - ps)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[typ] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                    "gold": tp + fn}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="val", help="val (CoNLL dev = eng.testa) or train")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from storyline.extract.kb import load_kb
    from storyline.nlp import load_nlp, make_doc
    from storyline.settings import Settings

    path = DATA / f"{args.split}.conllu"
    if not path.is_file():
        print(f"no {path}", file=sys.stderr)
        return 2
    docs = read_documents(path)[: args.limit or None]
    nlp = load_nlp(Settings.load().model, ("storyline_entities",))
    kb = load_kb()
    gold, pred = [], []
    for sentences in docs:
        text, spans = gold_spans(sentences)
        doc = nlp(make_doc(nlp, text))
        gold.append(spans)
        pred.append(predicted_spans(doc, kb))
    scores = {"split": args.split, "documents": len(docs), "scores": score(gold, pred)}
    if args.json:
        print(json.dumps(scores))
    else:
        for typ, s in scores["scores"].items():
            print(f"{typ:5s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
                  f"(gold {s['gold']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
