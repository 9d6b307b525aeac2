#!/usr/bin/env python3
"""Threads against ECB+ sub-topics: does threading a topic's articles find its branches?

    .venv/bin/python scripts/eval_threads.py [--ecb ../shared/corpora/ecbplus] [--db PATH]
        [--thresholds 0.1,0.15,...] [--json]

Each ECB+ topic holds two sub-topics: articles on two different happenings of one kind
(two rehab entries, two earthquakes). Every article of topics 1-35 is ingested into one
store as a user would (`process_inputs`, so names, vectors and merged events are the
product's own); then each topic's articles are threaded together (`thread_documents`) and
the threads are scored against the sub-topics by B3 over articles (an article in no thread
counts alone), averaged over topics, next to two baselines: one group per topic, and every
article alone. The threshold is chosen on the train topics (every topic but the dev ones
of `storyline.eval.corpora.ecbplus.DEV_TOPICS`) and reported on the dev topics; never
chosen on them. The store is kept at --db and reused when it exists (ingest is the slow
part).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.eval.corpora.ecbplus import DEV_TOPICS, read_topics
from storyline.link.threads import THRESHOLD, thread_documents
from storyline.pipeline import process_inputs
from storyline.settings import Settings
from storyline.store.db import Store


def subtopic(name: str) -> str:
    """'12_3ecbplus' -> 'ecbplus'; '12_3ecb' -> 'ecb'."""
    return "ecbplus" if name.endswith("ecbplus") else "ecb"


def doc_text(doc) -> str:  # type: ignore[no-untyped-def]
    lines = []
    for sent, tids in sorted(doc.sentences.items()):
        if sent == 0 and doc.name.endswith("ecbplus"):
            continue  # the source URL
        lines.append(" ".join(doc.words[t][1] for t in tids))
    return "\n\n".join(lines) + "\n"


def build(ecb: Path, db: Path, topics: list[int]) -> dict[str, tuple[int, str, str]]:
    """Ingest every article (once); file stem -> (topic, sub-topic, stored document id)."""
    docs, _ = read_topics(ecb, topics)
    folder = Path(tempfile.mkdtemp(prefix="ecb-threads-"))
    paths = []
    for doc in docs:
        path = folder / f"{doc.name}.txt"
        path.write_text(doc_text(doc), encoding="utf-8")
        paths.append(path)
    if not db.exists():
        with Store.open(str(db)) as store:
            process_inputs([str(p) for p in paths], store, Settings(db=str(db)))
    out = {}
    with Store.open(str(db)) as store:
        for row in store.conn.execute("SELECT id, source FROM documents"):
            stem = Path(row["source"]).stem
            doc = next((d for d in docs if d.name == stem), None)
            if doc is not None:
                out[stem] = (doc.topic, subtopic(stem), row["id"])
    return out


def b3(groups: list[list[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    of = {d: i for i, g in enumerate(groups) for d in g}
    p = r = 0.0
    items = list(gold)
    for d in items:
        mine = {x for x in groups[of[d]]}
        same = {x for x in items if gold[x] == gold[d]}
        inter = len(mine & same)
        p += inter / len(mine)
        r += inter / len(same)
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(store: Store, index: dict[str, tuple[int, str, str]], topics: list[int],
          threshold: float) -> dict[str, float]:
    rows = {"threads": [], "one_group": [], "alone": [], "n_threads": []}
    for topic in topics:
        members = {stem: v for stem, v in index.items() if v[0] == topic}
        if len(members) < 2:
            continue
        gold = {v[2]: v[1] for v in members.values()}
        threads, alone = thread_documents(store, list(gold), threshold)
        groups = [t.documents for t in threads] + [[d] for d in alone]
        rows["threads"].append(b3(groups, gold)[2])
        rows["one_group"].append(b3([list(gold)], gold)[2])
        rows["alone"].append(b3([[d] for d in gold], gold)[2])
        rows["n_threads"].append(len(threads))
    return {k: round(sum(v) / max(1, len(v)), 3) for k, v in rows.items()} | {
        "topics": len(rows["threads"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ecb", default=str(ROOT.parent / "shared" / "corpora" / "ecbplus"))
    ap.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "ecb-threads.db"))
    ap.add_argument("--thresholds", default="0.1,0.15,0.2,0.25,0.3,0.35,0.4")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    topics = list(range(1, 36))
    index = build(Path(args.ecb), Path(args.db), topics)
    train = [t for t in topics if t not in DEV_TOPICS]
    out: dict[str, object] = {"default_threshold": THRESHOLD, "train": {}, "dev": {}}
    with Store.open(args.db, readonly=True) as store:
        for th in [float(x) for x in args.thresholds.split(",")] + [THRESHOLD]:
            out["train"][str(th)] = score(store, index, train, th)  # type: ignore[index]
        best = max(out["train"].items(), key=lambda kv: kv[1]["threads"])  # type: ignore
        out["chosen_on_train"] = float(best[0])
        out["dev"] = score(store, index, list(DEV_TOPICS), THRESHOLD)
    print(json.dumps(out, indent=None if args.json else 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
