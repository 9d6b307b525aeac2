// The briefing of a story inside the app: its sections, each sentence with its numbered
// citations, and the numbered sources linking to the exact words in each document.
import { api, docHref, el, link } from "./dom.js";

function cites(numbers, jump) {
  return numbers.map((n) => el("sup", {}, el("a", {
    href: `#source-${n}`, class: "cite",
    onclick: (e) => { e.preventDefault(); jump(n); },
  }, `[${n}]`)));
}

export async function renderBrief(root, id) {
  const brief = await api(`/api/stories/${id}/brief?format=json`);
  const jump = (n) => {
    const node = document.getElementById(`source-${n}`);
    if (!node) return;
    root.querySelectorAll(".sources li.active").forEach((li) => li.classList.remove("active"));
    node.classList.add("active");
    node.scrollIntoView({ block: "center" });
  };
  const title = brief.story.title || `Story ${id}`;
  root.replaceChildren(el("article", { class: "brief", id: "brief" },
    el("p", { class: "crumbs" }, link(`/stories/${id}`, `← ${title}`)),
    el("h1", {}, `Briefing: ${title}`),
    el("p", { class: "muted" }, brief.summary, " · export: ",
      el("a", { href: `/api/stories/${id}/brief?format=md`, download: `brief-${id}.md` }, "Markdown"), " · ",
      el("a", { href: `/api/stories/${id}/brief?format=html`, download: `brief-${id}.html` }, "HTML")),
    brief.sections.map((s) => el("section", { class: ["brief-section", s.key], "data-section": s.key },
      el("h2", {}, s.title),
      s.lines.length
        ? el("ul", { class: "plain" }, s.lines.map((ln) => el("li", {}, ln.text, " ", cites(ln.cites, jump))))
        : el("p", { class: "muted" }, "None."))),
    el("h2", {}, "Sources"),
    el("ol", { class: "sources" }, brief.sources.map((n) => el("li", { id: `source-${n.n}` },
      link(docHref(n.doc_id, n.start, n.end), `${n.outlet}, ${n.published}`),
      n.start === null || n.start === undefined
        ? " (no exact span recorded)"
        : [` (chars ${n.start}–${n.end}${n.language && !n.language.startsWith("en") ? `, ${n.language}` : ""}): `,
          el("q", {}, n.evidence)])))));
}
