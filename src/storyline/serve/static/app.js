// Storyline's web UI: a small single-page app over the JSON API. No framework, no CDN.
import { allPages, api, badge, clear, docHref, el, enc, link, moreButton, mount, shown, table, tableRows,
  whenText } from "./dom.js";
import { drawGraph, drawTimeline } from "./charts.js";
import { renderDocument } from "./docview.js";
import { claimReview, mergeForm, renderReview } from "./edit.js";
import { renderBrief } from "./brief.js";

const main = () => document.getElementById("main");

function navigate(path) {
  history.pushState(null, "", path);
  route();
}

function joinNames(list) { return (list || []).filter(Boolean).join(", ") || "—"; }

async function renderStories(root) {
  const every = await api("/api/stories?all=true");
  mount(root, el("h1", {}, "Stories"));
  if (!every.length) {
    root.append(el("p", { class: "muted" }, "No stories yet: ingest some articles (storyline ingest …)."));
    return;
  }
  // stories in which no event was found are folded away until asked for
  const empty = every.filter((s) => !s.n_events).length;
  const headers = ["Story", "Period", "Documents", "Merged events"];
  const rows = (list) => list.map((s) => [
    link(`/stories/${s.id}`, s.title || `Story ${s.id}`),
    `${s.first_date || "?"} – ${s.last_date || "?"}`, String(s.n_documents ?? ""), String(s.n_events ?? ""),
  ]);
  const list = table(headers, rows(every.filter((s) => s.n_events)), { id: "story-list" });
  root.append(list);
  if (empty) {
    const toggle = el("button", { type: "button", id: "show-empty-stories", class: "more" },
      `Show ${empty} ${empty === 1 ? "story" : "stories"} with no events`);
    let open = false;
    toggle.addEventListener("click", () => {
      open = !open;
      clear(list.tBodies[0]).append(...tableRows(headers, rows(open ? every : every.filter((s) => s.n_events))));
      toggle.textContent = open ? "Hide the stories with no events"
        : `Show ${empty} ${empty === 1 ? "story" : "stories"} with no events`;
    });
    root.append(toggle);
  }
}

function eventDetail(ev) {
  return el("div", { class: "panel event-detail", id: "event-detail" },
    el("h3", {}, ev.title),
    el("p", {}, badge(ev.status), ` ${ev.n_independent} independent source(s) · ${ev.n_documents} document(s) · when: ${whenText(ev.when)}`),
    el("p", {}, "Sources: ", joinNames(ev.original_sources), " · reported by: ", joinNames(ev.reporting_outlets)),
    ev.review ? el("p", { class: "verdict" }, "Analyst: ", el("span", { class: ["badge", `verdict-${ev.review.verdict}`] }, ev.review.verdict),
      ` (${ev.review.author || "?"})`, ev.review.note ? `: ${ev.review.note}` : "") : null,
    ev.denials.length ? el("div", {}, el("h4", {}, "Denials"), el("ul", { class: "plain" }, ev.denials.map((d) =>
      el("li", {}, `${d.by || "?"}: “${d.evidence || ""}” `, d.doc_id ? link(docHref(d.doc_id, d.start, d.end), "evidence") : null)))) : null,
    ev.disagreements.length ? el("div", {}, el("h4", {}, "Sources disagree"), el("ul", { class: "plain" }, ev.disagreements.map((g) =>
      el("li", {}, `${g.field}: `, (g.values || []).map((v) => `${whenText(v.value)} (${v.source || v.outlet || "?"})`).join(" vs "))))) : null,
    el("h4", {}, "Mentions"),
    el("ul", { class: "plain mentions" }, ev.mentions.map((m) => el("li", {},
      link(docHref(m.doc_id, m.start, m.end), shown(m)),
      `: “${m.evidence || ""}” — `, badge(m.status), m.source ? ` source: ${m.source}` : ""))));
}

async function renderStory(root, id) {
  const [story, events, graph, claims, quotes, days, happened, threads] = await Promise.all([
    api(`/api/stories/${id}`), api(`/api/stories/${id}/timeline`), api(`/api/stories/${id}/graph`),
    allPages(`/api/claims?story=${id}`, "claims"), api(`/api/quotes?story=${id}&limit=1`),
    api(`/api/dates?story=${id}&top=5`), api(`/api/stories/${id}/happenings`),
    api(`/api/stories/${id}/threads`)]);
  const docsById = new Map(story.documents.map((d) => [d.id, d]));
  const detail = el("div", { id: "event-slot" });
  let active = null;
  const show = (ev, node) => {
    if (active) active.classList.remove("active");
    active = node || document.querySelector(`.tl-event[data-cluster="${ev.cluster_id}"]`);
    if (active) active.classList.add("active");
    clear(detail).append(eventDetail(ev));
  };
  const byId = new Map(events.map((e) => [e.cluster_id, e]));
  mount(root, 
    el("h1", {}, story.title),
    el("p", { class: "muted" }, `${story.first_date || "?"} – ${story.last_date || "?"} · ${story.documents.length} documents · ${events.length} merged events · `,
      link(`/stories/${id}/brief`, "briefing"), " · ",
      el("a", { href: `/api/stories/${id}/brief?format=md` }, "briefing (Markdown)")),
    el("div", { class: "legend" }, ["asserted", "hedged", "planned", "hypothetical", "denied"].map(badge)),
    el("h2", {}, "Timeline"), el("div", { class: "chart-wrap" }, drawTimeline(events, show, days)), detail,
    days.length ? el("p", { id: "top-dates" }, "The dates that matter: ", days.map((d, i) => [i ? " · " : "",
      el("strong", {}, `${i + 1}. ${d.date}`), ` (${d.n_documents} documents)`])) : null,
    happened.length ? [el("h2", {}, "What happened"), el("ul", { class: "plain", id: "happenings" }, happened.map((h) => el("li", {},
      el("strong", {}, whenText(h.when)), ` ${h.subtype}: `, link(docHref(h.mentions[0].doc_id, h.mentions[0].start, h.mentions[0].end),
        `“${h.mentions[0].evidence || ""}”`), ` — ${h.n_documents} report(s)`)))] : null,
    el("h2", {}, "Actors"), graph.nodes.length ? el("div", { class: "chart-wrap" }, drawGraph(graph, (n) => {
      if (!n.id.startsWith("name:")) navigate(`/entities/${enc(n.id)}`);
    })) : el("p", { class: "muted" }, "No actor relations recorded."),
    el("h2", {}, "Claims"),
    table(["Claim", "Original sources", "Reporting outlets", "Status", "Independent sources", "Denials", "First reported", "Review"],
      claims.map((c) => [
        el("a", { href: `#cluster-${c.cluster_id}`, onclick: (e) => { e.preventDefault(); const ev = byId.get(c.cluster_id); if (ev) show(ev); detail.scrollIntoView(); } }, c.claim),
        joinNames(c.original_sources), joinNames(c.reporting_outlets), badge(c.status),
        String(c.n_independent), c.denied_by.length ? el("span", { class: "badge denied" }, `denied by ${c.denied_by.join(", ")}`) : "—",
        c.first_reported || "?", claimReview(c, () => route())]), { id: "claims" }),
    el("h2", {}, "Key statements"),
    quotes.groups.length ? el("ul", { class: "plain", id: "statements" }, quotes.groups.map((g) => el("li", {},
      el("strong", {}, g.speaker || "unattributed"), `: “${g.text || ""}” — `,
      (g.members || []).map((m, i) => [i ? "; " : "", link(docHref(m.doc_id, m.start, m.end), shown(m))]))))
      : el("p", { class: "muted" }, "No statement reported by more than one document."),
    threads.threads.length > 1 ? [el("h2", {}, "Threads"), el("ul", { class: "plain", id: "threads" }, threads.threads.map((t) => el("li", {},
      el("strong", {}, t.label), ` (${t.first_date || "?"} – ${t.last_date || "?"}, ${t.n_documents} articles): `,
      t.documents.map((d, i) => [i ? "; " : "", link(`/documents/${enc(d)}`, (docsById.get(d) || {}).title || d)])))),
      threads.unthreaded.length ? el("p", { class: "muted" }, `${threads.unthreaded.length} more articles follow no thread with another.`) : null]
      : null,
    el("h2", {}, "Documents"),
    table(["Outlet, date", "Title"], story.documents.map((d) => [
      shown(d), link(`/documents/${enc(d.id)}`, d.title || d.id)])));
  const m = /^#cluster-(\d+)$/.exec(location.hash);
  if (m && byId.has(+m[1])) show(byId.get(+m[1]));
}

function eventRows(list) {
  return table(["When", "Event", "Actor → target", "Status", "Source", "Evidence"], list.map((e) => [
    whenText(e.when), `${e.type}/${e.subtype || "-"}`, `${e.actor || "?"} → ${e.target || "?"}`, badge(e.status),
    e.source || "—", link(docHref(e.doc_id, e.start, e.end), `“${e.evidence || ""}” (${shown(e)})`)]));
}

async function renderEntity(root, key) {
  const page = await api(`/api/entities/${enc(key)}`);
  const e = page.entity;
  mount(root, 
    el("h1", {}, e.name), el("p", { class: "muted" }, [e.type, e.code, e.role, e.key].filter(Boolean).join(" · ")),
    mergeForm(e, (out) => navigate(`/entities/${enc(out.corrections[0].new_value)}`)),
    el("h2", {}, `As actor (${page.as_actor.length})`), eventRows(page.as_actor),
    el("h2", {}, `As target (${page.as_target.length})`), eventRows(page.as_target),
    el("h2", {}, `As source of claims (${page.as_source.length})`), eventRows(page.as_source),
    el("h2", {}, `Statements (${page.quotes.length})`),
    el("ul", { class: "plain" }, page.quotes.map((q) => el("li", {}, `“${q.text}” — `,
      link(docHref(q.doc_id, q.start, q.end), shown(q))))),
    el("h2", {}, `Mentioned in (${page.documents.length})`),
    table(["Document", "Outlet, date", "Mentions"], page.documents.map((d) => [
      link(`/documents/${enc(d.id)}`, d.title || d.id), shown(d),
      el("span", {}, d.mentions.map((m, i) => [i ? ", " : "", link(docHref(d.id, m.start, m.end), m.text)]))])));
}

async function renderEntities(root) {
  const page = await api("/api/entities?limit=200");
  const headers = ["Name", "Type", "Code", "Documents", "Mentions"];
  const rows = (list) => tableRows(headers, list.map((e) => [link(`/entities/${enc(e.key)}`, e.name), e.type,
    e.code || "", String(e.n_documents), String(e.n_mentions)]));
  const list = table(headers, [], { id: "entity-list" });
  list.tBodies[0].append(...rows(page.entities));
  mount(root, el("h1", {}, "Entities"), el("p", { class: "muted" }, `${page.total} entities, most cited first`), list,
    moreButton("/api/entities", "entities", page, (items) => list.tBodies[0].append(...rows(items))));
}

async function renderSearch(root, q) {
  document.getElementById("search-input").value = q;
  mount(root, el("h1", {}, `Search: ${q}`));
  if (!q.trim()) return;
  const path = `/api/search?q=${enc(q)}`;
  const res = await api(path);
  const item = (d) => el("li", {},
    link(`/documents/${enc(d.id)}`, d.title || d.id), ` — ${shown(d)}: `,
    // the snippet marks matches with [ ]: shown as text, never parsed as HTML
    el("span", { class: "muted" }, d.snippet || ""));
  const results = el("ul", { class: "plain", id: "search-results" }, res.documents.map(item));
  root.append(el("h2", {}, `Actors (${res.entities.length})`),
    el("ul", { class: "plain" }, res.entities.map((e) => el("li", {}, link(`/entities/${enc(e.key)}`, e.name), ` (${e.type})`))),
    el("h2", {}, `Articles (${res.total})`),
    res.expanded.length ? el("p", { class: "muted", id: "search-expanded" }, res.expanded.map((g) =>
      `${g[0]} also as ${g.slice(1, 5).join(", ")}${g.length > 5 ? ` and ${g.length - 5} other names` : ""}`).join("; ")) : null,
    results, moreButton(path, "documents", res, (items) => results.append(...items.map(item))));
}

async function route() {
  const root = main();
  const path = decodeURIComponent(location.pathname);
  let m;
  try {
    if (path === "/" || path === "/stories") await renderStories(root);
    else if ((m = /^\/stories\/(\d+)$/.exec(path))) await renderStory(root, m[1]);
    else if ((m = /^\/stories\/(\d+)\/brief$/.exec(path))) await renderBrief(root, m[1]);
    else if ((m = /^\/documents\/([^/]+)$/.exec(location.pathname))) await renderDocument(root, decodeURIComponent(m[1]));
    else if (path === "/entities") await renderEntities(root);
    else if ((m = /^\/entities\/(.+)$/.exec(location.pathname))) await renderEntity(root, decodeURIComponent(m[1]));
    else if (path === "/review") await renderReview(root, route);
    else if (path === "/search") await renderSearch(root, new URLSearchParams(location.search).get("q") || "");
    else mount(root, el("p", { class: "error" }, `No page at ${path}.`));
  } catch (err) {
    mount(root, el("p", { class: "error", id: "error" }, String(err.message || err)));
  }
  document.title = `Storyline · ${(root.querySelector("h1") || {}).textContent || ""}`;
}

document.addEventListener("click", (e) => {
  const a = e.target.closest && e.target.closest("a[data-nav]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  if (url.pathname === location.pathname && url.search === location.search && url.hash !== location.hash) {
    history.pushState(null, "", url.pathname + url.search + url.hash);
    route();
    return;
  }
  navigate(url.pathname + url.search + url.hash);
});
window.addEventListener("popstate", route);
document.getElementById("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  navigate(`/search?q=${enc(document.getElementById("search-input").value)}`);
});
route();
