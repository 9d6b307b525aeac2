// The document view: the text with every extracted fact highlighted; clicking a fact
// shows its evidence (type, attributes, source, status, the exact span) and the other
// reports of the same merged event.
import { api, badge, clear, docHref, el, enc, link, mount, shown, whenText } from "./dom.js";
import { documentEditor } from "./edit.js";

const KINDS = ["event", "quote", "entity", "time"];
const PLURAL = { event: "Events", quote: "Quotes", entity: "Entities", time: "Times" };

// Cut the text at every fact boundary; each piece knows the facts that cover it.
function segments(text, facts, extra) {
  const cuts = new Set([0, text.length]);
  for (const f of facts) { cuts.add(f.start); cuts.add(f.end); }
  if (extra) { cuts.add(extra.start); cuts.add(extra.end); }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i], e = points[i + 1];
    const covering = facts.filter((f) => f.start <= s && f.end >= e && f.end > f.start);
    out.push({ start: s, end: e, facts: covering });
  }
  return out;
}

// The English canonical names of the entities whose mention ends with this piece, where
// the original text names them otherwise ("Poutine" [Vladimir Putin]).
function glosses(seg, facts) {
  const out = [];
  const seen = new Set();
  for (const f of facts) {
    if (f.kind !== "entity" || f.end !== seg.end || seen.has(f.label)) continue;
    if (f.text.trim().toLowerCase() === String(f.label).toLowerCase()) continue;
    seen.add(f.label);
    out.push(el("span", { class: "gloss", lang: "en", dataset: { fact: f.id } }, f.label));
  }
  return out;
}

function attrList(attrs) {
  const dl = el("dl", { class: "attrs" });
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || (Array.isArray(v) && !v.length) || v === "") continue;
    const text = k === "when" || k === "value" ? whenText(v)
      : Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v);
    dl.append(el("dt", {}, k.replace(/_/g, " ")), el("dd", {}, text));
  }
  return dl;
}

function otherMentions(title, others) {
  if (!others || !others.length) return el("p", { class: "muted" }, "No other report of it.");
  return el("ul", { class: "plain other-mentions" }, others.map((o) =>
    el("li", {}, link(docHref(o.doc_id, o.start, o.end), shown(o)),
      ": “", o.evidence || o.text || "", "”")));
}

function evidencePanel(view, fact) {
  const a = fact.attrs || {};
  const box = el("div", {},
    el("h3", {}, el("span", { class: "kind" }, fact.kind), fact.label),
    el("p", {}, `Characters ${fact.start}–${fact.end} of document ${view.document.id}`),
    el("blockquote", { class: "span-text" }, fact.text));
  if (fact.kind === "event") {
    box.append(el("p", {}, "Status: ", badge(a.status), a.cue ? ` (cue: “${a.cue}”)` : "",
      " · Source: ", a.source || "not stated", a.source_is_outlet ? " (the outlet itself)" : "",
      a.source_text ? `, citing unnamed “${a.source_text}”` : ""));
    if (a.denied_by && a.denied_by.length) box.append(el("p", {}, "Denied by: ", a.denied_by.join(", ")));
  }
  if (fact.kind === "quote") box.append(el("p", {}, "Speaker: ", a.speaker || "unattributed",
    !a.speaker && a.source_text ? ` (the text names nobody: “${a.source_text}”)` : ""));
  if (fact.kind === "entity" && a.key) box.append(el("p", {}, link(`/entities/${enc(a.key)}`, `All about ${a.name}`)));
  box.append(attrList(a));
  const ev = fact.kind === "event" && view.event_links ? view.event_links[fact.id] : null;
  if (ev) {
    box.append(el("h4", {}, "Merged event: ", link(`/stories/${ev.story_id}#cluster-${ev.cluster_id}`, ev.title)),
      el("p", {}, badge(ev.status), ` ${ev.n_independent} independent source(s)`,
        ev.denials.length ? ` · denied by ${ev.denials.map((d) => d.by || "?").join(", ")}` : ""),
      el("h4", {}, ev.role === "denial" ? "Reports of what this denies" : "Other mentions of the same event"),
      otherMentions(ev.title, ev.others));
  }
  const q = fact.kind === "quote" && view.quote_links ? view.quote_links[fact.id] : null;
  if (q) box.append(el("h4", {}, "The same statement elsewhere"), otherMentions("", q.others));
  return box;
}

function parseHash() {
  const m = /^#(\d+)-(\d+)$/.exec(location.hash || "");
  return m ? { start: +m[1], end: +m[2] } : null;
}

export async function renderDocument(main, docId, rerender) {
  const view = await api(`/api/documents/${enc(docId)}`);
  const d = view.document;
  const target = parseHash();
  const facts = view.facts;
  const byId = new Map(facts.map((f) => [f.id, f]));
  const textBox = el("div", { class: "doc-text", id: "doc-text", lang: d.language || "" });
  // a document in another language keeps its original text; each entity named in it gets
  // its English canonical name beside it
  const foreign = Boolean(d.language) && !/^en\b/i.test(d.language);
  const panel = el("aside", { class: "panel evidence", id: "evidence", "aria-live": "polite" },
    el("p", { class: "muted" }, "Select a highlighted fact to see its evidence."));
  const factList = el("div", { class: "facts", id: "fact-list" });
  const segNodes = [];
  let selected = null;

  function select(fact, updateHash = true) {
    selected = fact;
    for (const { node, seg } of segNodes) {
      node.classList.toggle("selected", seg.facts.includes(fact));
    }
    for (const b of factList.querySelectorAll("button")) b.classList.toggle("selected", b.dataset.fact === fact.id);
    clear(panel).append(evidencePanel(view, fact));
    if (updateHash) history.replaceState(null, "", `#${fact.start}-${fact.end}`);
  }

  for (const seg of segments(view.text, facts, target)) {
    const piece = view.text.slice(seg.start, seg.end);
    const inTarget = target && seg.start >= target.start && seg.end <= target.end;
    if (!seg.facts.length && !inTarget) { textBox.append(document.createTextNode(piece)); continue; }
    const kinds = new Set(seg.facts.map((f) => f.kind));
    const node = el("span", {
      class: ["seg", ...KINDS.filter((k) => kinds.has(k)).map((k) => `hl-${k}`), inTarget && "hl-target"],
      dataset: { facts: seg.facts.map((f) => f.id).join(" "), start: String(seg.start) },
    }, piece);
    // smallest fact first; clicking again on the same place steps out to the larger ones
    const order = [...seg.facts].sort((a, b) => (a.end - a.start) - (b.end - b.start));
    node.addEventListener("click", () => {
      if (!order.length) return;
      const i = order.indexOf(selected);
      select(order[(i + 1) % order.length]);
    });
    segNodes.push({ node, seg });
    textBox.append(node);
    if (foreign) for (const g of glosses(seg, facts)) textBox.append(g);
  }
  for (const kind of KINDS) {
    const mine = facts.filter((f) => f.kind === kind);
    if (!mine.length) continue;
    factList.append(el("h4", {}, `${PLURAL[kind]} (${mine.length})`));
    for (const f of mine) {
      factList.append(el("button", { type: "button", dataset: { fact: f.id }, onclick: () => select(f) },
        el("span", { class: "kind" }, f.kind), `${f.label} — “${f.text.length > 60 ? f.text.slice(0, 59) + "…" : f.text}”`));
    }
  }
  const date = d.published || (d.published_inferred
    ? `${d.published_inferred} (inferred: ${d.published_inferred_reason || "from other articles"})` : "undated");
  mount(main,
    el("h1", { id: "doc-title" }, d.title || d.source),
    el("p", { class: "muted" }, `${d.outlet || d.wire || "unknown outlet"} · ${date} · ${d.id}`,
      d.url ? [" · ", el("a", { href: d.url, rel: "noopener noreferrer nofollow" }, "original")] : null,
      view.story_id ? [" · ", link(`/stories/${view.story_id}`, "story")] : null),
    view.analysed ? null : el("p", { class: "error" }, "This document has not been analysed yet."),
    documentEditor(d, () => (rerender ? rerender() : renderDocument(main, docId))),
    el("div", { class: "legend" }, el("span", { class: "seg hl-event" }, "event"),
      el("span", { class: "seg hl-quote" }, "quote"), el("span", { class: "seg hl-entity" }, "entity"),
      el("span", { class: "seg hl-time" }, "time")),
    el("div", { class: "doc-layout" }, textBox, el("div", {}, panel, el("div", { class: "panel" },
      el("h3", {}, `Extracted facts (${facts.length})`), factList))));
  if (target) {
    const match = KINDS.map((k) => facts.find((f) => f.kind === k && f.start === target.start && f.end === target.end))
      .find(Boolean);
    if (match) select(match, false);
    const first = textBox.querySelector(".hl-target");
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
  }
  return byId;
}
