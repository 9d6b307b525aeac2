"""Timeline17 runner: the dates that matter (Date-F1, news-tls protocol) next to two
baselines, story cohesion, and speed on long articles, per topic.

For each topic: write its articles as JSON Lines with ../shared/tools/t17_make_jsonl.py
(`--cap`), ingest them into a fresh store with `storyline ingest`, rank the days with
`storyline dates --top 0 --json`, and score against the journalists' timelines with
t17_data.py. Baselines in the same run: the days with the most articles, and the system's
own normalised time expressions counted per day. Cohesion: the number of stories and the
share of the topic's articles in its 3 largest.

    .venv/bin/python scripts/eval_t17.py --work /tmp/t17 [--cap 40] [--topics a,b]
        [--reuse]            keep stores already ingested in --work
        [--relink]           link the stored analyses again (story code changed)
        [--tune a,b,c]       grid-search the ranking's knobs on these topics, report all
        [--knob NAME=v1,v2]  Date-F1 of every topic for each value of one knob, the others
                             as they are (e.g. happenings=0,0.5,1)
        [--mix a,b]          also ingest these topics into one store: cohesion and purity
        [--json FILE]

Text from the corpus stays in --work (outside the repository).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
T17_ROOT = Path(os.environ.get("T17_ROOT", ROOT.parent / "shared/corpora/timeline17-dev"))
TOOLS = ROOT.parent / "shared/tools"
sys.path.insert(0, str(TOOLS))
os.environ.setdefault("T17_ROOT", str(T17_ROOT))

import t17_data

BIN = str(Path(sys.executable).parent / "storyline")


def protocol_f1(ranked: list[str], topic: str) -> float:
    """news-tls: per gold timeline of N dates, the first N ranked dates within its span."""
    scores = []
    for tl in t17_data.gold_timelines(topic):
        lo, hi = tl[0], tl[-1]
        picked = [d for d in ranked if lo <= d <= hi][:len(tl)]
        scores.append(t17_data.date_f1(picked, tl)[2])
    return sum(scores) / len(scores) if scores else 0.0


def by_count(counts: Counter) -> list[str]:
    return [d for d, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def make_jsonl(work: Path, cap: int, topics: list[str]) -> None:
    subprocess.run([sys.executable, str(TOOLS / "t17_make_jsonl.py"), str(work / "jsonl"),
                    "--cap", str(cap), "--topics", ",".join(topics)], check=True,
                   env={**os.environ, "T17_ROOT": str(T17_ROOT)})


def ingest(work: Path, topic: str) -> float:
    db = work / f"{topic}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    subprocess.run([BIN, "ingest", str(work / "jsonl" / f"{topic}.jsonl"), "--db", str(db),
                    "--json"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def relink(db: Path) -> float:
    """Drop the cross-document layer and link every stored analysis again."""
    from storyline.link import update_links
    from storyline.store import Store

    t0 = time.perf_counter()
    with Store.open(db) as store:
        with store.write():
            for table in ("cluster_members", "clusters", "story_documents", "stories"):
                store.conn.execute(f"DELETE FROM {table}")
        update_links(store)
    return time.perf_counter() - t0


def store_facts(db: Path) -> dict:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pub = Counter(r[0][:10] for r in conn.execute(
        "SELECT published FROM documents WHERE published IS NOT NULL"))
    times: Counter = Counter()
    for (v,) in conn.execute("SELECT value_json FROM times WHERE value_json IS NOT NULL"):
        value = json.loads(v)
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            times[value] += 1
    sizes = sorted((n for (n,) in conn.execute(
        "SELECT count(*) FROM story_documents GROUP BY story_id")), reverse=True)
    words = sum(len(t.split()) for (t,) in conn.execute("SELECT text FROM documents"))
    n_docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    return {"pub": pub, "times": times, "sizes": sizes, "words": words, "n_docs": n_docs}


def ours(db: Path) -> list[str]:
    out = subprocess.run([BIN, "dates", "--db", str(db), "--top", "0", "--json"], check=True,
                         capture_output=True, text=True).stdout
    return [d["date"] for d in json.loads(out)]


GRID = {"refs": [1.0], "mentions": [0.0, 0.25], "back_refs": [0.0, 0.5, 1.0],
        "published": [0.0, 0.25, 0.5, 1.0], "day_before": [0.0, 0.25, 0.5],
        "events": [0.0, 0.25, 0.5], "later_days": [2, 7], "spread": [0.0, 0.25, 0.5, 1.0, 2.0],
        "spread_days": [7, 31]}


def ranked_days(feats: list, w) -> list[str]:
    """The days of `feats` (salience.DayFeatures) by their score under `w`, as rank_dates."""
    from storyline.link import salience

    scored = [(salience.score_day(f, w), f.day) for f in feats]
    return [d for sc, d in sorted(scored, key=lambda x: (-x[0], x[1])) if sc > 0]


def tune(work: Path, tune_topics: list[str], all_topics: list[str]) -> dict:
    """Grid-search the knobs of `Weights` (GRID) for the best mean Date-F1 on tune_topics;
    every topic is scored with the best knobs and with the current ones."""
    from storyline.link import salience
    from storyline.store import Store

    feats = {}
    for t in all_topics:
        with Store.open(work / f"{t}.db", readonly=True) as store:
            feats[t] = sorted(salience.day_features(store).values(), key=lambda f: f.day)

    gold = {t: set(t17_data.gold_dates(t)) for t in all_topics}

    def f1s(w: salience.Weights) -> dict[str, tuple[float, float]]:
        """topic -> (Date-F1, precision of the first 10 days against all its gold dates)."""
        out = {}
        for t, fs in feats.items():
            ranked = ranked_days(fs, w)
            out[t] = (protocol_f1(ranked, t), sum(d in gold[t] for d in ranked[:10]) / 10)
        return out

    def mean(s: dict[str, tuple[float, float]], i: int) -> float:
        return sum(s[t][i] for t in tune_topics) / len(tune_topics)

    # the best mean Date-F1; among equal ones (with 40 articles a topic's range holds few
    # candidate days, so many knobs tie) the best top 10, what `storyline dates` shows
    best = None
    for values in itertools.product(*GRID.values()):
        w = replace(salience.WEIGHTS, **dict(zip(GRID, values)))
        s = f1s(w)
        key = (round(mean(s, 0), 6), round(mean(s, 1), 6))
        if best is None or key > best[0]:
            best = (key, w, s)
    assert best is not None

    def table(s: dict[str, tuple[float, float]]) -> dict[str, dict[str, float]]:
        return {t: {"date_f1": round(v[0], 4), "p_at_10": round(v[1], 3)} for t, v in s.items()}

    return {"tuned_on": tune_topics, "mean_f1_tuned": best[0][0], "mean_p10_tuned": best[0][1],
            "weights": salience.weights_dict(best[1]), "per_topic": table(best[2]),
            "current": table(f1s(salience.WEIGHTS))}


def sweep(work: Path, knob: str, topics: list[str]) -> dict:
    """Date-F1 of each topic for each value of one knob of `Weights`, the others unchanged."""
    from storyline.link import salience
    from storyline.store import Store

    name, _, values = knob.partition("=")
    out: dict = {"knob": name}
    feats = {}
    for t in topics:
        with Store.open(work / f"{t}.db", readonly=True) as store:
            feats[t] = list(salience.day_features(store).values())
    for v in values.split(","):
        w = replace(salience.WEIGHTS, **{name: type(getattr(salience.WEIGHTS, name))(v)})
        row = {}
        for t, fs in feats.items():
            row[t] = round(protocol_f1(ranked_days(fs, w), t), 4)
        row["mean"] = round(sum(row.values()) / len(topics), 4)
        out[v] = row
    return out


def mixed_store(work: Path, topics: list[str], reuse: bool, again: bool) -> dict:
    """The topics' articles in one store: does each topic hold together without its stories
    taking in another topic's articles (purity: the share of articles in a story whose
    majority topic is theirs)?"""
    import sqlite3

    name = "mix-" + "-".join(topics)
    db = work / f"{name}.db"
    lines: list[str] = []
    for t in topics:
        lines += (work / "jsonl" / f"{t}.jsonl").read_text(encoding="utf-8").splitlines()
    if not (reuse and db.exists()):
        (work / "jsonl" / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        ingest(work, name)
    if again:
        relink(db)
    bounds, start = [], 0
    for t in topics:
        n = len((work / "jsonl" / f"{t}.jsonl").read_text(encoding="utf-8").splitlines())
        bounds.append((start + 1, start + n, t))
        start += n
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    comp: dict[int, Counter] = {}
    for source, sid in conn.execute("SELECT d.source, sd.story_id FROM documents d "
                                    "JOIN story_documents sd ON sd.doc_id = d.id"):
        line = int(source.rsplit("#", 1)[1])
        topic = next(t for lo, hi, t in bounds if lo <= line <= hi)
        comp.setdefault(sid, Counter())[topic] += 1
    n = sum(sum(c.values()) for c in comp.values())
    out: dict = {"topics": topics, "stories": len(comp),
                 "purity": round(sum(max(c.values()) for c in comp.values()) / max(1, n), 3),
                 "mixed": [dict(c) for c in comp.values() if len(c) > 1]}
    for t in topics:
        sizes = sorted((c[t] for c in comp.values() if c[t]), reverse=True)
        out[t] = {"stories": len(sizes), "top3_share": round(sum(sizes[:3]) / sum(sizes), 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--cap", type=int, default=40)
    ap.add_argument("--topics", default=",".join(t17_data.TOPICS))
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--relink", action="store_true")
    ap.add_argument("--tune", default="")
    ap.add_argument("--mix", default="", help="topics to ingest together (purity check)")
    ap.add_argument("--knob", default="", help="NAME=v1,v2: Date-F1 for each value")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    topics = args.topics.split(",")
    args.work.mkdir(parents=True, exist_ok=True)
    if not args.reuse:
        make_jsonl(args.work, args.cap, topics)
    rows = []
    for t in topics:
        db = args.work / f"{t}.db"
        seconds = None if args.reuse and db.exists() else ingest(args.work, t)
        link_s = relink(db) if args.relink else None
        facts = store_facts(db)
        sizes = facts["sizes"]
        row = {
            "topic": t, "articles": facts["n_docs"], "words": facts["words"],
            "ingest_s": round(seconds, 1) if seconds else None,
            "words_per_s": round(facts["words"] / seconds) if seconds else None,
            "relink_s": round(link_s, 1) if link_s else None,
            "f1_ours": round(protocol_f1(ours(db), t), 4),
            "f1_articles": round(protocol_f1(by_count(facts["pub"]), t), 4),
            "f1_times": round(protocol_f1(by_count(facts["times"]), t), 4),
            "stories": len(sizes),
            "top3_share": round(sum(sizes[:3]) / max(1, sum(sizes)), 3),
            "largest": sizes[:5],
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    mean = {k: round(sum(r[k] for r in rows) / len(rows), 4)
            for k in ("f1_ours", "f1_articles", "f1_times", "top3_share")}
    print("mean", json.dumps(mean))
    result: dict = {"cap": args.cap, "topics": rows, "mean": mean}
    if args.mix:
        result["mix"] = mixed_store(args.work, args.mix.split(","), args.reuse, args.relink)
        print("mix", json.dumps(result["mix"]))
    if args.tune:
        result["tune"] = tune(args.work, args.tune.split(","), topics)
        print("tune", json.dumps(result["tune"]))
    if args.knob:
        result["knob"] = sweep(args.work, args.knob, topics)
        print("knob", json.dumps(result["knob"]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
