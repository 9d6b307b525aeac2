"""ECB+ cross-document event coreference, with GOLD event mentions.

    python -m storyline.eval.corpora.ecbplus PATH --topics 2,5,12,18,21,23,34,35 [--json]

PATH is the ECB+ folder (the one holding `ECB+/` and `ECBplus_coreference_sentences.csv`).
The standard setup (Cybulska & Vossen 2015; Barhom et al. 2019): event mentions are the
gold ACTION_* and NEG_* markables of the validated sentences; the gold cluster of a mention
is its CROSS_DOC_COREF instance, else its INTRA_DOC_COREF chain, else itself (singletons
kept); both sub-topics of a topic (the `ecb` and the `ecbplus` files) are clustered
together; scores are MUC, B3, CEAF-e and CoNLL F1 over all topics.

The system mirrors the linking layer: documents are first grouped as stories are (shared
names weighted by IDF, and the embedding of their text), then mentions within a group are
merged as events are, on the trigger lemma, the arguments around the trigger (subject,
object, names and numbers of its sentence) and the embedding of the mention's sentence.
Two baselines are reported beside it: same lemma within a topic, and same lemma within a
document group. Thresholds were chosen on the training topics, never on these.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from storyline.eval.corpora.coref_metrics import conll
from storyline.link.embed import get_embedder, relatedness

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
DOC_THRESHOLD = 0.35
MENTION_THRESHOLD = 0.55
W_LEMMA, W_ARGS, W_SENTENCE = 0.6, 0.2, 0.2
_ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "iobj", "agent", "attr", "dative", "pobj",
             "poss", "compound", "npadvmod"}
_NAME_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART",
               "DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "ORDINAL"}


@dataclass
class Mention:
    """One gold event mention: where it is and which gold cluster it belongs to."""

    id: str  # "<doc>#<m_id>"
    doc: str
    topic: int
    sentence: int
    token_ids: list[int]
    text: str
    gold: str
    lemmas: list[str] = field(default_factory=list)
    head: str = ""
    args: set[str] = field(default_factory=set)


@dataclass
class EcbDoc:
    name: str
    topic: int
    words: dict[int, tuple[int, str]]  # t_id -> (sentence, word)
    sentences: dict[int, list[int]]  # sentence -> t_ids in order
    names: Counter = field(default_factory=Counter)
    vec: Any = None


def selected_sentences(path: Path) -> set[tuple[int, str, int]]:
    """(topic, file stem such as '10ecbplus', sentence) of the validated sentences."""
    out = set()
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.add((int(row["Topic"]), row["File"].strip(), int(row["Sentence Number"])))
    return out


def read_document(path: Path, topic: int, selected: set[tuple[int, str, int]]
                  ) -> tuple[EcbDoc, list[Mention]]:
    """The tokens and the gold event mentions (in validated sentences) of one file."""
    root = ET.parse(path).getroot()
    name = path.name[:-4]
    stem = name.split("_", 1)[1]
    words: dict[int, tuple[int, str]] = {}
    sentences: dict[int, list[int]] = defaultdict(list)
    for tok in root.iter("token"):
        tid, sent = int(tok.get("t_id")), int(tok.get("sentence"))
        words[tid] = (sent, tok.text or "")
        sentences[sent].append(tid)
    markables = root.find("Markables")
    events: dict[str, list[int]] = {}
    for m in list(markables) if markables is not None else []:
        anchors = [int(a.get("t_id")) for a in m.findall("token_anchor")]
        if anchors and (m.tag.startswith("ACTION_") or m.tag.startswith("NEG_")):
            events[m.get("m_id")] = sorted(anchors)
    gold: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in list(relations) if relations is not None else []:
        target = rel.find("target")
        if target is None:
            continue
        if rel.tag == "CROSS_DOC_COREF":
            cid = rel.get("note") or f"{name}:{target.get('m_id')}"
        elif rel.tag == "INTRA_DOC_COREF":
            cid = f"{name}:intra:{target.get('m_id')}"
        else:
            continue
        for src in rel.findall("source"):
            gold.setdefault(src.get("m_id"), cid)
    mentions = []
    for mid, tids in events.items():
        sent = words[tids[0]][0]
        if (topic, stem, sent) not in selected:
            continue
        mentions.append(Mention(id=f"{name}#{mid}", doc=name, topic=topic, sentence=sent,
                                token_ids=tids, text=" ".join(words[t][1] for t in tids),
                                gold=gold.get(mid, f"{name}#{mid}:singleton")))
    return EcbDoc(name, topic, words, dict(sentences)), mentions


def read_topics(root: Path, topics: list[int]) -> tuple[list[EcbDoc], list[Mention]]:
    selected = selected_sentences(root / "ECBplus_coreference_sentences.csv")
    docs: list[EcbDoc] = []
    mentions: list[Mention] = []
    for topic in topics:
        folder = root / "ECB+" / str(topic)
        for path in sorted(folder.glob("*.xml")):
            doc, ms = read_document(path, topic, selected)
            docs.append(doc)
            mentions.extend(ms)
    return docs, mentions


_NUMBER = re.compile(r"\d[\d,.]*")


def surface_names(doc: EcbDoc) -> Counter:
    """Capitalised words inside sentences and numbers, over the whole document: the
    names, places and figures that tell one incident from another of the same kind."""
    out: Counter = Counter()
    for s, tids in doc.sentences.items():
        if s == 0 and doc.name.endswith("ecbplus"):
            continue  # sentence 0 of an ecbplus file is its source URL
        for i, t in enumerate(tids):
            w = doc.words[t][1]
            if (i > 0 and w[:1].isupper() and w.isalpha() and len(w) > 2) or \
                    (len(w) >= 2 and _NUMBER.fullmatch(w)):
                out[w.lower()] += 1
    return out


def _sentence_text(doc: EcbDoc, sent: int) -> str:
    return " ".join(doc.words[t][1] for t in doc.sentences.get(sent, []))


def annotate(docs: list[EcbDoc], mentions: list[Mention], nlp: Any) -> None:
    """Lemmas, heads and arguments of each mention (spaCy); names of each document (named
    entities of the parsed sentences, capitalised words and numbers of all of them)."""
    from spacy.tokens import Doc

    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc].append(m)
    jobs = []
    for doc in docs:
        sents = sorted({m.sentence for m in by_doc.get(doc.name, [])} |
                       {s for s in doc.sentences if s in (0, 1, 2) and s in doc.sentences})
        for s in sents:
            tids = doc.sentences.get(s, [])
            if tids:
                jobs.append((doc, s, tids))
    docs_in = [Doc(nlp.vocab, words=[d.words[t][1] for t in tids]) for d, _, tids in jobs]
    for doc in docs:
        doc.names.update(surface_names(doc))
    for (doc, s, tids), sdoc in zip(jobs, nlp.pipe(docs_in, batch_size=64)):
        pos = {t: i for i, t in enumerate(tids)}
        for ent in sdoc.ents:
            if ent.label_ in _NAME_TYPES:
                doc.names[ent.text.lower()] += 1
        for m in by_doc.get(doc.name, []):
            if m.sentence != s:
                continue
            toks = [sdoc[pos[t]] for t in m.token_ids if t in pos]
            if not toks:
                continue
            m.lemmas = [t.lemma_.lower() for t in toks if not t.is_stop] or \
                [t.lemma_.lower() for t in toks]
            span_ids = {t.i for t in toks}
            head = next((t for t in toks if t.head.i not in span_ids or t.head == t), toks[0])
            m.head = head.lemma_.lower()
            args: set[str] = set()
            for child in head.children:
                if child.dep_ in _ARG_DEPS or child.dep_ == "prep":
                    for t in child.subtree:
                        if t.ent_type_ or t.pos_ in ("PROPN", "NUM") or \
                                (t.pos_ == "NOUN" and t.dep_ in _ARG_DEPS):
                            args.add(t.lemma_.lower())
            for ent in sdoc.ents:
                if ent.label_ in _NAME_TYPES:
                    args.add(ent.text.lower())
            m.args = args


def _embed_texts(docs: list[EcbDoc], mentions: list[Mention], embedder: Any
                 ) -> dict[str, np.ndarray]:
    sent_texts = {m.id: _sentence_text(next(d for d in docs if d.name == m.doc), m.sentence)
                  for m in mentions} if len(docs) < 50 else None
    if sent_texts is None:
        index = {d.name: d for d in docs}
        sent_texts = {m.id: _sentence_text(index[m.doc], m.sentence) for m in mentions}
    ids = list(sent_texts)
    vecs = embedder.embed([sent_texts[i] for i in ids]) if ids else np.zeros((0, 1))
    for doc in docs:
        text = " ".join(_sentence_text(doc, s) for s in sorted(doc.sentences)[1:6])
        doc.vec = embedder.embed([text])[0]
    return dict(zip(ids, vecs))


def _average_link(items: list[str], sims: np.ndarray, threshold: float) -> list[list[str]]:
    """Agglomerative clustering, average link, until no two clusters reach `threshold`.

    Keeps the sums of pairwise similarities between clusters and updates them on each
    merge (Lance-Williams), so a merge costs O(n) rather than a recount.
    """
    n = len(items)
    if n == 0:
        return []
    total = sims.astype(np.float64).copy()
    np.fill_diagonal(total, 0.0)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    members = [[i] for i in range(n)]
    while alive.sum() > 1:
        avg = total / np.outer(size, size)
        mask = np.outer(alive, alive)
        np.fill_diagonal(mask, False)
        avg[~mask] = -np.inf
        flat = int(np.argmax(avg))
        i, j = divmod(flat, n)
        if avg[i, j] < threshold:
            break
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        total[i, i] = 0.0
        size[i] += size[j]
        alive[j] = False
        members[i] += members[j]
        members[j] = []
    return [[items[k] for k in members[i]] for i in range(n) if alive[i]]


def cluster_documents(docs: list[EcbDoc], embedder: Any, threshold: float) -> dict[str, int]:
    """Group a topic's documents by shared names (IDF-weighted) and text, like stories."""
    df = Counter(n for d in docs for n in d.names)
    n = len(docs)

    def vec(d: EcbDoc) -> dict[str, float]:
        return {k: (1 + math.log(c)) * math.log((n + 1) / df[k]) for k, c in d.names.items()}

    vecs = {d.name: vec(d) for d in docs}
    by_name = {d.name: d for d in docs}

    def sim(a: str, b: str) -> float:
        va, vb = vecs[a], vecs[b]
        dot = sum(w * vb.get(k, 0.0) for k, w in va.items())
        na = math.sqrt(sum(w * w for w in va.values()))
        nb = math.sqrt(sum(w * w for w in vb.values()))
        names = dot / (na * nb) if na and nb else 0.0
        text = relatedness(embedder, float(np.dot(by_name[a].vec, by_name[b].vec)))
        return 0.6 * names + 0.4 * text

    names = [d.name for d in docs]
    mat = np.array([[sim(a, b) if a != b else 0.0 for b in names] for a in names])
    groups = _average_link(names, mat, threshold)
    return {name: gi for gi, g in enumerate(groups) for name in g}


def mention_similarities(ms: list[Mention], vecs: np.ndarray, embedder: Any) -> np.ndarray:
    """Pairwise: how likely two mentions are one event (trigger, arguments, sentence)."""
    n = len(ms)
    lemma = np.zeros((n, n))
    args = np.zeros((n, n))
    for i in range(n):
        li = set(ms[i].lemmas)
        for j in range(i + 1, n):
            if (ms[i].head and ms[i].head == ms[j].head) or (li & set(ms[j].lemmas)):
                lemma[i, j] = lemma[j, i] = 1.0
            a, b = ms[i].args, ms[j].args
            if a and b:
                args[i, j] = args[j, i] = len(a & b) / len(a | b)
    cos = vecs @ vecs.T if n else np.zeros((0, 0))
    span = embedder.related_ceiling - embedder.related_floor
    sent = np.clip((cos - embedder.related_floor) / span, 0.0, 1.0)
    return W_LEMMA * lemma + W_ARGS * args + W_SENTENCE * sent


def predict(docs: list[EcbDoc], mentions: list[Mention], embedder: Any,
            doc_threshold: float = DOC_THRESHOLD,
            mention_threshold: float = MENTION_THRESHOLD) -> dict[str, list[list[str]]]:
    """System clusters and the two lemma baselines, per mention id."""
    vecs = _embed_texts(docs, mentions, embedder)
    out: dict[str, list[list[str]]] = {"system": [], "lemma": [], "cluster_lemma": []}
    for topic in sorted({d.topic for d in docs}):
        tdocs = [d for d in docs if d.topic == topic]
        tments = [m for m in mentions if m.topic == topic]
        groups = cluster_documents(tdocs, embedder, doc_threshold)
        lemma_key: dict[Any, list[str]] = defaultdict(list)
        cl_key: dict[Any, list[str]] = defaultdict(list)
        for m in tments:
            lemma_key[m.head or m.text.lower()].append(m.id)
            cl_key[(groups[m.doc], m.head or m.text.lower())].append(m.id)
        out["lemma"] += list(lemma_key.values())
        out["cluster_lemma"] += list(cl_key.values())
        for g in sorted(set(groups.values())):
            ms = [m for m in tments if groups[m.doc] == g]
            mat = mention_similarities(ms, np.array([vecs[m.id] for m in ms]), embedder)
            out["system"] += _average_link([m.id for m in ms], mat, mention_threshold)
    return out


def evaluate_ecbplus(path: str | Path, topics: list[int] | tuple[int, ...] = DEV_TOPICS, *,
                     embedder: str = "hash", model: str = "auto") -> dict[str, Any]:
    """Score cross-document event coreference with gold mentions on the given topics."""
    from storyline.nlp import load_nlp

    start = time.time()
    root = Path(path)
    docs, mentions = read_topics(root, list(topics))
    nlp = load_nlp(model, ())
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in (
            "tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")]):
        annotate(docs, mentions, nlp)
    emb = get_embedder(embedder)
    preds = predict(docs, mentions, emb)
    gold: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        gold[m.gold].append(m.id)
    key = list(gold.values())
    result: dict[str, Any] = {
        "corpus": "ECB+", "topics": list(topics), "setting": "gold event mentions, "
        "validated sentences, singletons kept, sub-topics clustered together",
        "embedder": emb.name, "documents": len(docs), "mentions": len(mentions),
        "gold_clusters": len(key)}
    for name, clusters in preds.items():
        s = conll(key, clusters)
        result[name] = {"conll_f1": round(100 * s["conll_f1"], 2),
                        **{k: {m: round(100 * v, 2) for m, v in s[k].items()}
                           for k in ("muc", "b3", "ceaf_e")},
                        "clusters": len(clusters)}
    result["seconds"] = round(time.time() - start, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="the ECB+ folder (holding ECB+/ and the sentence list)")
    ap.add_argument("--topics", default=",".join(map(str, DEV_TOPICS)))
    ap.add_argument("--embedder", default="hash", choices=("hash", "e5"))
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    topics = [int(t) for t in re.split(r"[,\s]+", args.topics.strip()) if t]
    res = evaluate_ecbplus(args.path, topics, embedder=args.embedder)
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"ECB+ topics {topics}: {res['documents']} documents, {res['mentions']} gold event "
          f"mentions, {res['gold_clusters']} gold clusters ({res['setting']}; "
          f"embedder {res['embedder']}; {res['seconds']} s)")
    print(f"{'':16s}{'MUC F1':>8s}{'B3 F1':>8s}{'CEAF-e F1':>10s}{'CoNLL F1':>10s}")
    for name in ("system", "cluster_lemma", "lemma"):
        r = res[name]
        print(f"{name:16s}{r['muc']['f1']:8.2f}{r['b3']['f1']:8.2f}{r['ceaf_e']['f1']:10.2f}"
              f"{r['conll_f1']:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
