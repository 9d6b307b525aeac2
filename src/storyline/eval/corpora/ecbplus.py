"""ECB+ cross-document event coreference, with GOLD event mentions.

    python -m storyline.eval.corpora.ecbplus PATH --topics 2,5,12,18,21,23,34,35 [--json]
        [--predicted] [--parts]

PATH is the ECB+ folder (the one holding `ECB+/` and `ECBplus_coreference_sentences.csv`).
The standard setup (Cybulska & Vossen 2015; Barhom et al. 2019): event mentions are the
gold ACTION_* and NEG_* markables of the validated sentences; the gold cluster of a mention
is its CROSS_DOC_COREF instance, else its INTRA_DOC_COREF chain, else itself (singletons
kept); both sub-topics of a topic (the `ecb` and the `ecbplus` files) are clustered
together; scores are MUC, B3, CEAF-e and CoNLL F1 over all topics.

The system: documents are first grouped by average link over the TF-IDF cosines of their
names (0.7) and of all their words (0.3); then every pair of mentions of a topic is scored by the
trained pairwise model (`storyline.link.pairwise`, weights in
`storyline/data/event_coref.json`, written by `scripts/train_coref.py` from the train
topics alone): trigger lemma, stem and word-vector similarity, how often the two head
lemmas were one event in training, the arguments around the trigger, the names of its
sentence that place, time and count it, the sentence and document similarity, and the
document group; mentions are clustered by average link over those probabilities. The
thresholds of both steps were chosen by cross-validation on the train topics, never on
these. Reported beside it: same lemma within the same document groups (the cluster+lemma
baseline), the untrained linker within them, same lemma within a topic, and, as a
reference, same lemma within the gold sub-topic. With `--parts`, each step alone: the
document groups scored against the gold sub-topics (documents as mentions), and both
linkers within the gold sub-topics. With `--predicted`, the mentions are those Storyline's
own extractor finds (what users get), scored against all gold mentions.
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
from storyline.link.embed import get_embedder
from storyline.link.pairwise import PairModel, average_link, load_model

DEV_TOPICS = (2, 5, 12, 18, 21, 23, 34, 35)
DOC_THRESHOLD = 0.04
W_NAMES = 0.7
MENTION_THRESHOLD = 0.55
W_LEMMA, W_ARGS, W_SENTENCE = 0.6, 0.2, 0.2
_ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "obj", "iobj", "agent", "attr", "dative", "pobj",
             "poss", "compound", "npadvmod"}
_NAME_TYPES = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART",
               "DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "ORDINAL"}
# the named entities of a mention's sentence that place it, time it, count it, or take part
_ROLE_TYPES = {"places": {"GPE", "LOC", "FAC"}, "times": {"DATE", "TIME"},
               "numbers": {"CARDINAL", "MONEY", "QUANTITY"},
               "people": {"PERSON", "ORG", "NORP"}}


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
    pos: str = ""
    vector: Any = None  # the head word's static vector, unit length (None: no vector)
    places: set[str] = field(default_factory=set)
    times: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)


@dataclass
class EcbDoc:
    name: str
    topic: int
    words: dict[int, tuple[int, str]]  # t_id -> (sentence, word)
    sentences: dict[int, list[int]]  # sentence -> t_ids in order
    names: Counter = field(default_factory=Counter)
    terms: Counter = field(default_factory=Counter)  # content words of the whole text


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
_WORD = re.compile(r"[a-z][a-z'-]+")


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
        doc.terms.update(content_words(doc, nlp.Defaults.stop_words))
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
            m.pos = head.pos_
            if head.has_vector and head.vector_norm > 0:
                m.vector = head.vector / head.vector_norm
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
                for kind, labels in _ROLE_TYPES.items():
                    if ent.label_ in labels:
                        getattr(m, kind).add(ent.text.lower())
            m.args = args


def _embed_texts(docs: list[EcbDoc], mentions: list[Mention], embedder: Any
                 ) -> dict[str, np.ndarray]:
    """The embedding of each mention's sentence (each sentence embedded once)."""
    index = {d.name: d for d in docs}
    keys = sorted({(m.doc, m.sentence) for m in mentions})
    texts = [_sentence_text(index[d], s) for d, s in keys]
    rows = embedder.embed(texts) if texts else np.zeros((0, 1))
    by_sentence = dict(zip(keys, rows))
    return {m.id: by_sentence[(m.doc, m.sentence)] for m in mentions}


def content_words(doc: EcbDoc, stop_words: set[str]) -> Counter:
    """The words of a whole document (lowercased, alphabetic, no stop words): what it is
    about, beyond its names."""
    out: Counter = Counter()
    for s, tids in doc.sentences.items():
        if s == 0 and doc.name.endswith("ecbplus"):
            continue
        for t in tids:
            w = doc.words[t][1].lower()
            if len(w) > 2 and _WORD.fullmatch(w) and w not in stop_words:
                out[w] += 1
    return out


def tfidf_cosines(counts: list[Counter]) -> np.ndarray:
    """Cosines of sublinear TF-IDF vectors (IDF over these documents)."""
    df = Counter(k for c in counts for k in c)
    n = len(counts)
    col = {k: i for i, k in enumerate(sorted(df))}
    mat = np.zeros((n, max(1, len(col))))
    for i, c in enumerate(counts):
        for k, v in c.items():
            mat[i, col[k]] = (1 + math.log(v)) * math.log((n + 1) / df[k])
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit = mat / norms
    return unit @ unit.T


def document_similarities(docs: list[EcbDoc], embedder: Any = None) -> np.ndarray:
    """How alike two documents of a topic are: W_NAMES x the TF-IDF cosine of their names
    (named entities, capitalised words, numbers) + the rest x that of all their words.
    (The embedding of their openings, which stories also read, grouped worse on train.)"""
    out = W_NAMES * tfidf_cosines([d.names for d in docs]) + \
        (1 - W_NAMES) * tfidf_cosines([d.terms for d in docs])
    np.fill_diagonal(out, 0.0)
    return out


def cluster_documents(docs: list[EcbDoc], embedder: Any, threshold: float) -> dict[str, int]:
    """Group a topic's documents by shared names (IDF-weighted) and text, like stories."""
    groups = average_link([d.name for d in docs], document_similarities(docs, embedder),
                          threshold)
    return {name: gi for gi, g in enumerate(groups) for name in g}


FEATURES = ("same_head", "lemma_overlap", "head_cosine", "sentence", "arguments",
            "people_shared", "place_shared", "place_conflict", "time_shared", "time_conflict",
            "number_conflict", "same_document", "same_sentence", "document", "same_group",
            "same_pos", "same_stem", "head_close", "head_very_close", "pair_rate",
            "pair_seen",
            "same_head_x_document", "head_cosine_x_document", "head_cosine_x_sentence",
            "same_head_x_same_group", "same_stem_x_same_group", "head_cosine_x_same_group",
            "head_close_x_same_group", "lemma_overlap_x_same_group",
            "arguments_x_same_group", "sentence_x_same_group", "head_cosine_x_same_document",
            "pair_rate_x_same_group", "pair_seen_x_same_group")
# products of two features (the model is linear): what counts within a document group
_PRODUCTS = {name: tuple(name.split("_x_")) for name in FEATURES if "_x_" in name}


def same_stem(a: str, b: str) -> bool:
    """One word a form of the other ("check"/"checks", "shoot"/"shooting"): the shorter
    (3 letters or more) begins the longer, or they share their first five letters."""
    if not a or not b or a == b:
        return a == b and bool(a)
    short, long_ = sorted((a, b), key=len)
    return (len(short) >= 3 and long_.startswith(short)) or \
        (len(short) >= 5 and short[:5] == long_[:5])


PairTable = dict[tuple[str, str], tuple[int, int]]
PAIR_PRIOR = 2.0  # pseudo-pairs at the base rate when a lemma pair is rare in training


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def lemma_pair_counts(mentions: list[Mention]) -> dict[int, PairTable]:
    """Per topic: for each pair of head lemmas, (coreferent pairs, pairs) among the mentions
    of one gold sub-topic (the `ecb` or the `ecbplus` files): which triggers name one
    happening ("kill" and "murder", "earthquake" and "quake")."""
    by_topic: dict[tuple[int, bool], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.head:
            by_topic[(m.topic, m.doc.endswith("plus"))].append(m)
    out: dict[int, dict[tuple[str, str], list[int]]] = defaultdict(dict)
    for (topic, _), ms in by_topic.items():
        table = out[topic]
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                cell = table.setdefault(pair_key(a.head, b.head), [0, 0])
                cell[0] += a.gold == b.gold
                cell[1] += 1
    return {t: {k: (v[0], v[1]) for k, v in table.items()} for t, table in out.items()}


def merge_tables(tables: list[PairTable]) -> PairTable:
    out: dict[tuple[str, str], list[int]] = {}
    for table in tables:
        for k, (pos, n) in table.items():
            cell = out.setdefault(k, [0, 0])
            cell[0] += pos
            cell[1] += n
    return {k: (v[0], v[1]) for k, v in out.items()}


def _pair_rate(table: PairTable, a: str, b: str, base: float) -> tuple[float, float]:
    """(smoothed share of coreferent pairs, seen coreferent at least twice)."""
    pos, n = table.get(pair_key(a, b), (0, 0))
    return (pos + PAIR_PRIOR * base) / (n + PAIR_PRIOR), float(pos >= 2)


def _share(a: set[str], b: set[str]) -> tuple[float, float]:
    """(both name something in common, both name something and nothing in common)."""
    if not a or not b:
        return 0.0, 0.0
    return (1.0, 0.0) if a & b else (0.0, 1.0)


def pair_features(ms: list[Mention], vecs: np.ndarray, embedder: Any, doc_sims: np.ndarray,
                  doc_pos: dict[str, int], groups: dict[str, int],
                  pairs: PairTable | None = None, base_rate: float = 0.05) -> np.ndarray:
    """(n, n, len(FEATURES)): what two mentions of a topic share, column by FEATURES;
    `pairs` counts how often two head lemmas were one event in training."""
    pairs = pairs or {}
    n = len(ms)
    out = np.zeros((n, n, len(FEATURES)))
    if n == 0:
        return out
    f = {name: i for i, name in enumerate(FEATURES)}
    span = embedder.related_ceiling - embedder.related_floor
    out[:, :, f["sentence"]] = np.clip((vecs @ vecs.T - embedder.related_floor) / span, 0, 1)
    dim = next((len(m.vector) for m in ms if m.vector is not None), 1)
    hv = np.array([m.vector if m.vector is not None else np.zeros(dim) for m in ms])
    out[:, :, f["head_cosine"]] = np.clip(hv @ hv.T, 0.0, 1.0)
    di = np.array([doc_pos[m.doc] for m in ms])
    out[:, :, f["document"]] = doc_sims[np.ix_(di, di)]
    out[:, :, f["same_document"]] = di[:, None] == di[None, :]
    gi = np.array([groups[m.doc] for m in ms])
    out[:, :, f["same_group"]] = gi[:, None] == gi[None, :]
    lemma_sets = [set(m.lemmas) for m in ms]
    for i in range(n):
        a = ms[i]
        for j in range(i + 1, n):
            b = ms[j]
            row = out[i, j]
            row[f["same_head"]] = float(bool(a.head) and a.head == b.head)
            union = lemma_sets[i] | lemma_sets[j]
            row[f["lemma_overlap"]] = len(lemma_sets[i] & lemma_sets[j]) / len(union) \
                if union else 0.0
            if a.args and b.args:
                row[f["arguments"]] = len(a.args & b.args) / len(a.args | b.args)
            row[f["people_shared"]] = _share(a.people, b.people)[0]
            row[f["place_shared"]], row[f["place_conflict"]] = _share(a.places, b.places)
            row[f["time_shared"]], row[f["time_conflict"]] = _share(a.times, b.times)
            row[f["number_conflict"]] = _share(a.numbers, b.numbers)[1]
            row[f["same_sentence"]] = float(a.doc == b.doc and a.sentence == b.sentence)
            row[f["same_pos"]] = float(a.pos == b.pos)
            row[f["same_stem"]] = float(same_stem(a.head, b.head))
            row[f["pair_rate"]], row[f["pair_seen"]] = _pair_rate(pairs, a.head, b.head,
                                                                  base_rate)
    for name in ("same_head", "lemma_overlap", "arguments", "people_shared", "place_shared",
                 "place_conflict", "time_shared", "time_conflict", "number_conflict",
                 "same_sentence", "same_pos", "same_stem", "pair_rate", "pair_seen"):
        k = f[name]
        out[:, :, k] += out[:, :, k].T
    hc = out[:, :, f["head_cosine"]]
    out[:, :, f["head_close"]] = np.maximum(hc > 0.5, out[:, :, f["same_stem"]])
    out[:, :, f["head_very_close"]] = np.maximum(hc > 0.7, out[:, :, f["same_stem"]])
    for name, (a_name, b_name) in _PRODUCTS.items():
        out[:, :, f[name]] = out[:, :, f[a_name]] * out[:, :, f[b_name]]
    return out


@dataclass
class TopicData:
    """One topic's mentions, its document groups and the features of every mention pair."""

    topic: int
    mentions: list[Mention]
    groups: dict[str, int]
    features: np.ndarray
    doc_names: list[str] = field(default_factory=list)
    doc_sims: Any = None

    def regroup(self, doc_threshold: float) -> None:
        """Group the documents again at another threshold; the columns that read the
        groups follow."""
        self.set_groups({name: gi for gi, g in enumerate(average_link(
            self.doc_names, self.doc_sims, doc_threshold)) for name in g})

    def set_groups(self, groups: dict[str, int]) -> None:
        """Take these document groups; the columns that read the groups follow."""
        self.groups = groups
        gi = np.array([self.groups[m.doc] for m in self.mentions])
        f = {name: i for i, name in enumerate(FEATURES)}
        self.features[:, :, f["same_group"]] = gi[:, None] == gi[None, :]
        for name, (a, b) in _PRODUCTS.items():
            if "same_group" in (a, b):
                self.features[:, :, f[name]] = self.features[:, :, f[a]] * \
                    self.features[:, :, f[b]]


def topic_data(docs: list[EcbDoc], mentions: list[Mention], embedder: Any,
               doc_threshold: float = DOC_THRESHOLD, pairs: PairTable | None = None,
               base_rate: float = 0.05, held_out: dict[int, PairTable] | None = None
               ) -> list[TopicData]:
    """Document groups and pair features, topic by topic. With `held_out` (the lemma-pair
    counts of each topic, in training), a topic's own pairs are left out of `pairs`."""
    vecs = _embed_texts(docs, mentions, embedder)
    out = []
    for topic in sorted({d.topic for d in docs}):
        tdocs = [d for d in docs if d.topic == topic]
        ms = [m for m in mentions if m.topic == topic]
        sims = document_similarities(tdocs, embedder)
        groups = {name: gi for gi, g in enumerate(average_link(
            [d.name for d in tdocs], sims, doc_threshold)) for name in g}
        mv = np.array([vecs[m.id] for m in ms]) if ms else np.zeros((0, 1))
        table = pairs or {}
        if held_out and topic in held_out:
            own = held_out[topic]
            table = {k: (pos - own.get(k, (0, 0))[0], n - own.get(k, (0, 0))[1])
                     for k, (pos, n) in table.items()}
        feats = pair_features(ms, mv, embedder, sims, {d.name: i for i, d in enumerate(tdocs)},
                              groups, table, base_rate)
        out.append(TopicData(topic, ms, groups, feats, [d.name for d in tdocs], sims))
    return out


def cluster_topic(td: TopicData, model: PairModel, threshold: float | None = None
                  ) -> list[list[str]]:
    """Average-link clusters of a topic's mentions over the model's probabilities."""
    probs = model.probability(td.features)
    return average_link([m.id for m in td.mentions], probs,
                        model.threshold if threshold is None else threshold)


def lemma_clusters(td: TopicData, by_group: bool) -> list[list[str]]:
    """The baselines: the same head lemma, within the topic or within a document group."""
    key: dict[Any, list[str]] = defaultdict(list)
    for m in td.mentions:
        lemma = m.head or m.text.lower()
        key[(td.groups[m.doc], lemma) if by_group else lemma].append(m.id)
    return list(key.values())


def heuristic_clusters(td: TopicData, threshold: float = MENTION_THRESHOLD
                       ) -> list[list[str]]:
    """The untrained linker: within each document group, average link over 0.6 x (same head
    or a shared lemma) + 0.2 x argument overlap + 0.2 x sentence similarity."""
    f = {name: i for i, name in enumerate(FEATURES)}
    x = td.features
    lemma = np.maximum(x[:, :, f["same_head"]], x[:, :, f["lemma_overlap"]] > 0)
    sims = W_LEMMA * lemma + W_ARGS * x[:, :, f["arguments"]] + \
        W_SENTENCE * x[:, :, f["sentence"]]
    out: list[list[str]] = []
    for g in sorted(set(td.groups.values())):
        idx = [i for i, m in enumerate(td.mentions) if td.groups[m.doc] == g]
        out += average_link([td.mentions[i].id for i in idx], sims[np.ix_(idx, idx)],
                            threshold)
    return out


def subtopic_groups(names: list[str]) -> dict[str, int]:
    """The gold sub-topic of each document (its `ecb` or `ecbplus` half): a reference for
    measuring the parts, never an input of the system."""
    return {name: int(name.endswith("plus")) for name in names}


def predict(docs: list[EcbDoc], mentions: list[Mention], embedder: Any,
            doc_threshold: float | None = None, model: PairModel | None = None,
            parts: bool = False) -> dict[str, list[list[str]]]:
    """Per mention id, over document groups at `doc_threshold` (default: the model's, chosen
    on train): the trained pairwise model ("system"), the cluster+lemma baseline, the
    untrained linker, and same lemma within a topic. With `parts`, also the document groups
    themselves ("documents", document names) and both linkers within the gold sub-topics
    (`*_subtopics`), to tell which step loses what."""
    model = model or load_model()
    if doc_threshold is None:
        doc_threshold = float(model.meta.get("doc_threshold", DOC_THRESHOLD))
    pairs = {pair_key(a, b): (int(pos), int(n))
             for a, b, pos, n in model.meta.get("lemma_pairs", [])}
    base_rate = float(model.meta.get("base_rate", 0.05))
    names = ("system", "cluster_lemma", "untrained", "lemma") + \
        (("documents", "system_subtopics", "untrained_subtopics") if parts else ())
    out: dict[str, list[list[str]]] = {name: [] for name in names}
    for td in topic_data(docs, mentions, embedder, doc_threshold, pairs, base_rate):
        out["system"] += cluster_topic(td, model)
        out["cluster_lemma"] += lemma_clusters(td, by_group=True)
        out["untrained"] += heuristic_clusters(td)
        out["lemma"] += lemma_clusters(td, by_group=False)
        if parts:
            out["documents"] += _members(td.groups)
            td.set_groups(subtopic_groups(td.doc_names))
            out["system_subtopics"] += cluster_topic(td, model)
            out["untrained_subtopics"] += heuristic_clusters(td)
    return out


def _members(groups: dict[str, int]) -> list[list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for name, gi in groups.items():
        out[gi].append(name)
    return list(out.values())


def _document_text(doc: EcbDoc, sentences: list[int]) -> tuple[str, dict[int, int]]:
    """The validated sentences of a document as text (one a line, tokens spaced), and the
    token id at each character where a token begins or continues."""
    parts: list[str] = []
    where: dict[int, int] = {}
    pos = 0
    for s in sentences:
        for t in doc.sentences.get(s, []):
            word = doc.words[t][1]
            for k in range(len(word)):
                where[pos + k] = t
            parts.append(word + " ")
            pos += len(word) + 1
        parts.append("\n")
        pos += 1
    return "".join(parts), where


def predicted_mentions(docs: list[EcbDoc], mentions: list[Mention], model: str = "auto"
                       ) -> list[Mention]:
    """The event mentions Storyline's own extractor finds in the validated sentences (its
    PLOVER events and its general happenings): each event's trigger word, found in its
    evidence span, mapped to the corpus's tokens. A mention whose trigger token lies inside
    a gold mention takes that mention's id and gold cluster (one predicted mention per gold
    mention); the others keep ids of their own."""
    from storyline.pipeline import extract_analyses
    from storyline.records import DocMeta, Document
    from storyline.settings import Settings

    gold_at = {(m.doc, t): m for m in mentions for t in m.token_ids}
    sents: dict[str, list[int]] = defaultdict(list)
    for m in mentions:
        if m.sentence not in sents[m.doc]:
            sents[m.doc].append(m.sentence)
    texts = {d.name: _document_text(d, sorted(sents[d.name])) for d in docs if sents[d.name]}
    items = [Document(id=name, source=name, text=text, meta=DocMeta(language="en"))
             for name, (text, _) in texts.items()]
    by_name = {d.name: d for d in docs}
    out: list[Mention] = []
    taken: set[str] = set()
    for name, analysis in extract_analyses(items, Settings(model=model), n_process=1):
        text, where = texts[name]
        for ev in [*analysis.events, *analysis.happenings]:
            if not ev.trigger or ev.subtype == "denial":
                continue
            at = text.lower().find(ev.trigger.lower(), ev.start, max(ev.end, ev.start + 1))
            tid = where.get(at if at >= 0 else ev.start)
            if tid is None:
                continue
            g = gold_at.get((name, tid))
            mid = g.id if g is not None else f"{name}#pred{tid}"
            if mid in taken:
                continue
            taken.add(mid)
            doc = by_name[name]
            out.append(Mention(id=mid, doc=name, topic=doc.topic, sentence=doc.words[tid][0],
                               token_ids=[tid], text=doc.words[tid][1],
                               gold=g.gold if g is not None else f"{mid}:spurious"))
    return out


def _scores(key: list[list[str]], clusters: list[list[str]]) -> dict[str, Any]:
    s = conll(key, clusters)
    return {"conll_f1": round(100 * s["conll_f1"], 2),
            **{k: {m: round(100 * v, 2) for m, v in s[k].items()}
               for k in ("muc", "b3", "ceaf_e")},
            "clusters": len(clusters)}


def subtopic_lemma(mentions: list[Mention]) -> list[list[str]]:
    """Reference, not a system: the same head lemma within the gold sub-topic (the `ecb`
    or the `ecbplus` files of a topic), the baseline with perfect document grouping."""
    key: dict[Any, list[str]] = defaultdict(list)
    for m in mentions:
        key[(m.topic, m.doc.endswith("plus"), m.head or m.text.lower())].append(m.id)
    return list(key.values())


def evaluate_ecbplus(path: str | Path, topics: list[int] | tuple[int, ...] = DEV_TOPICS, *,
                     embedder: str = "hash", model: str = "auto",
                     predicted: bool = False, parts: bool = False) -> dict[str, Any]:
    """Score cross-document event coreference with gold mentions on the given topics (and,
    with `predicted`, with the mentions Storyline's own extractor finds)."""
    from storyline.nlp import load_nlp

    start = time.time()
    root = Path(path)
    docs, mentions = read_topics(root, list(topics))
    nlp = load_nlp(model, ())
    emb = get_embedder(embedder)
    parse = [p for p in nlp.pipe_names if p in (
        "tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")]
    with nlp.select_pipes(enable=parse):
        annotate(docs, mentions, nlp)
    preds = predict(docs, mentions, emb, parts=parts)
    preds["subtopic_lemma"] = subtopic_lemma(mentions)
    doc_groups = {k: preds.pop(k) for k in ("documents",) if k in preds}
    gold: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        gold[m.gold].append(m.id)
    key = list(gold.values())
    result: dict[str, Any] = {
        "corpus": "ECB+", "topics": list(topics), "setting": "gold event mentions, "
        "validated sentences, singletons kept, sub-topics clustered together",
        "embedder": emb.name, "documents": len(docs), "mentions": len(mentions),
        "gold_clusters": len(key), "model": {k: v for k, v in load_model().meta.items()
                                              if k != "lemma_pairs"}}
    for name, clusters in preds.items():
        result[name] = _scores(key, clusters)
    if parts:
        doc_key: dict[tuple[int, bool], list[str]] = defaultdict(list)
        for d in docs:
            doc_key[(d.topic, d.name.endswith("plus"))].append(d.name)
        result["document_groups"] = {
            "key": f"{len(doc_key)} gold sub-topics of {len(docs)} documents",
            **{name: _scores(list(doc_key.values()), g) for name, g in doc_groups.items()}}
    if predicted:
        found = predicted_mentions(docs, mentions, model)
        with nlp.select_pipes(enable=parse):
            annotate(docs, found, nlp)
        pp = predict(docs, found, emb)
        matched = sum(1 for m in found if not m.gold.endswith(":spurious"))
        result["predicted"] = {
            "setting": "Storyline's own event mentions (trigger token inside a gold mention "
                       "counts as that mention); key: all gold mentions",
            "mentions": len(found), "matched": matched,
            "mention_recall": round(matched / max(1, len(mentions)), 4),
            "mention_precision": round(matched / max(1, len(found)), 4),
            **{name: _scores(key, pp[name]) for name in ("system", "untrained", "cluster_lemma")}}
    result["seconds"] = round(time.time() - start, 1)
    return result


ROWS = (("system", "trained pairwise model within its document groups (the default)"),
        ("cluster_lemma", "baseline: same lemma within the same document groups"),
        ("untrained", "untrained linker (lemma, arguments, sentence) within those groups"),
        ("lemma", "baseline: same lemma within a topic"),
        ("subtopic_lemma", "reference: same lemma within the gold sub-topic"))
PART_ROWS = (("system_subtopics", "reference: the trained model within the gold sub-topics"),
             ("untrained_subtopics", "reference: the untrained linker within gold sub-topics"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="the ECB+ folder (holding ECB+/ and the sentence list)")
    ap.add_argument("--topics", default=",".join(map(str, DEV_TOPICS)))
    ap.add_argument("--embedder", default="hash", choices=("hash", "e5"))
    ap.add_argument("--predicted", action="store_true",
                    help="also score the mentions Storyline's own extractor finds")
    ap.add_argument("--parts", action="store_true",
                    help="also score the document groups against the gold sub-topics, and "
                         "the linkers within the gold sub-topics")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    topics = [int(t) for t in re.split(r"[,\s]+", args.topics.strip()) if t]
    res = evaluate_ecbplus(args.path, topics, embedder=args.embedder, predicted=args.predicted,
                           parts=args.parts)
    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print(f"ECB+ topics {topics}: {res['documents']} documents, {res['mentions']} gold event "
          f"mentions, {res['gold_clusters']} gold clusters ({res['setting']}; "
          f"embedder {res['embedder']}; {res['seconds']} s)")
    print(f"{'':22s}{'MUC F1':>8s}{'B3 F1':>8s}{'CEAF-e F1':>10s}{'CoNLL F1':>10s}")
    for name, what in ROWS + (PART_ROWS if args.parts else ()):
        r = res[name]
        print(f"{name:22s}{r['muc']['f1']:8.2f}{r['b3']['f1']:8.2f}{r['ceaf_e']['f1']:10.2f}"
              f"{r['conll_f1']:10.2f}  {what}")
    if "document_groups" in res:
        g = res["document_groups"]
        print(f"document groups against the {g['key']}:")
        for name in ("documents",):
            r = g[name]
            print(f"{name:22s}{r['muc']['f1']:8.2f}{r['b3']['f1']:8.2f}"
                  f"{r['ceaf_e']['f1']:10.2f}{r['conll_f1']:10.2f}  {r['clusters']} groups")
    if "predicted" in res:
        p = res["predicted"]
        print(f"predicted mentions: {p['mentions']} found, {p['matched']} inside gold mentions "
              f"(mention recall {p['mention_recall']}, precision {p['mention_precision']})")
        for name in ("system", "untrained", "cluster_lemma"):
            r = p[name]
            print(f"{name:22s}{r['muc']['f1']:8.2f}{r['b3']['f1']:8.2f}"
                  f"{r['ceaf_e']['f1']:10.2f}{r['conll_f1']:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
