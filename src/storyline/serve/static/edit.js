// The analyst's hand on the record: correcting a document, confirming or rejecting a
// claim, merging entities, and the review page (the review queue and every correction,
// each with its undo). Writes send the server's token when one is set (asked for once,
// kept for the browser tab only).
import { ApiError, api, badge, el, enc, link, mount, table } from "./dom.js";

const TOKEN_KEY = "storyline-token";

async function send(method, path, body) {
  const headers = { Accept: "application/json", "Content-Type": "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let out = null;
  try { out = await res.json(); } catch (_) { out = null; }
  if (res.status === 401) {
    const given = window.prompt("This server needs its token for changes:");
    if (given) { sessionStorage.setItem(TOKEN_KEY, given); return send(method, path, body); }
  }
  if (!res.ok) throw new ApiError(res.status, out);
  return out;
}

function status(node, text, cls) {
  node.textContent = text;
  node.className = ["edit-status", cls].filter(Boolean).join(" ");
}

// A form whose submit runs `work(values)`; `done` runs after it succeeds.
function form(id, fields, label, work, done) {
  const note = el("span", { class: "edit-status", role: "status" });
  const inputs = fields.map((f) => el("label", {}, f.label,
    el("input", { name: f.name, id: `${id}-${f.name}`, type: f.type || "text", value: f.value ?? "",
      placeholder: f.placeholder || "", list: f.list || null, required: f.required || null })));
  const node = el("form", { class: "edit-form", id }, inputs, el("button", { type: "submit" }, label), note);
  node.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(node).entries());
    status(note, "saving…");
    node.querySelector("button").disabled = true;
    try {
      const out = await work(values);
      status(note, "saved", "ok");
      if (done) await done(out);
    } catch (err) {
      status(note, String(err.message || err), "error");
    } finally {
      node.querySelector("button").disabled = false;
    }
  });
  return node;
}

// Document view: date, outlet, wire, title, language; the document is analysed again.
export function documentEditor(d, done) {
  const fields = [
    { name: "published", label: "Date", type: "date", value: d.published || "" },
    { name: "outlet", label: "Outlet", value: d.outlet || "" },
    { name: "wire", label: "Wire", value: d.wire || "" },
    { name: "title", label: "Title", value: d.title || "" },
    { name: "language", label: "Language", value: d.language || "" },
    { name: "reason", label: "Reason", placeholder: "why (kept with the correction)" },
  ];
  return el("details", { class: "panel edit", id: "doc-edit" }, el("summary", {}, "Correct this document"),
    form("doc-edit-form", fields, "Save correction", (v) => {
      const body = {};
      for (const k of ["published", "outlet", "wire", "title", "language"]) {
        if ((v[k] || "") !== (d[k] || "")) body[k] = v[k] || null;
      }
      if (!Object.keys(body).length) throw new Error("nothing changed");
      if (v.reason) body.reason = v.reason;
      return send("PATCH", `/api/documents/${enc(d.id)}`, body);
    }, done));
}

// Claims table: the verdict, and buttons to confirm, reject or open the claim again.
export function claimReview(claim, done) {
  const verdict = claim.verdict || "open";
  const note = el("span", { class: "edit-status", role: "status" });
  const act = (v) => el("button", { type: "button", class: `review-${v}`, "data-verdict": v,
    onclick: async () => {
      status(note, "saving…");
      try {
        await send("POST", `/api/claims/${claim.cluster_id}/review`, { verdict: v });
        await done();
      } catch (err) { status(note, String(err.message || err), "error"); }
    } }, { confirmed: "Confirm", rejected: "Reject", open: "Reopen" }[v]);
  return el("span", { class: "claim-review", "data-cluster": String(claim.cluster_id) },
    verdict === "open" ? null : el("span", { class: ["badge", `verdict-${verdict}`] }, verdict), " ",
    ["confirmed", "rejected", "open"].filter((v) => v !== verdict).map(act), note);
}

// Entity page: merge this entity into another one (key or exact name).
export function mergeForm(entity, done) {
  const listId = "merge-candidates";
  const options = el("datalist", { id: listId });
  api("/api/entities?limit=500").then((list) => {
    const rows = Array.isArray(list) ? list : (list.entities || list.items || []);
    for (const e of rows) if (e.key !== entity.key) options.append(el("option", { value: e.key }, e.name));
  }).catch(() => {});
  return el("details", { class: "panel edit", id: "entity-merge" }, el("summary", {}, "Merge into another entity"),
    form("merge-form", [
      { name: "into", label: "Into (key or name)", list: listId, required: true },
      { name: "reason", label: "Reason" },
    ], "Merge", (v) => send("POST", "/api/entities/merge", { source: entity.key, into: v.into, reason: v.reason || null }),
    done), options);
}

function value(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object") return v.name || v.verdict || JSON.stringify(v);
  return String(v);
}

function target(item) {
  if (item.href) return link(item.href, item.title);
  return item.title;
}

// The review page: what most needs an eye, then the corrections made.
export async function renderReview(root, rerender) {
  const [queue, made] = await Promise.all([api("/api/review?limit=200"), api("/api/corrections")]);
  const counts = Object.entries(queue.counts).filter(([, n]) => n).map(([k, n]) => `${k.replace(/_/g, " ")} ${n}`);
  mount(root,
    el("h1", {}, "Review"),
    el("p", { class: "muted" }, `${queue.total} item(s) to look at`, counts.length ? ` — ${counts.join(" · ")}` : ""),
    queue.items.length ? table(["#", "What", "Why", "Kind"], queue.items.map((i) => [
      String(i.rank), target(i), i.why, el("span", { class: ["badge", `review-kind`] }, i.kind.replace(/_/g, " "))]),
    { id: "review-queue" }) : el("p", { class: "muted" }, "Nothing waits for review."),
    el("h2", {}, `Corrections (${made.total})`),
    made.total ? table(["When", "Who", "What", "Field", "Was", "Now", "Reason", "State", ""], made.corrections.map((c) => [
      c.created_at.slice(0, 16).replace("T", " "), c.author || "—", `${c.kind} ${c.target}`, c.field,
      value(c.old_value), value(c.new_value), c.reason || "",
      c.state === "applied" ? badge("applied") : el("span", { class: ["badge", c.state], title: c.state_reason || "" },
        `${c.state}: ${c.state_reason || ""}`),
      el("button", { type: "button", class: "undo", "data-id": c.id, onclick: async (e) => {
        e.target.disabled = true;
        try { await send("DELETE", `/api/corrections/${enc(c.id)}`); await rerender(); }
        catch (err) { e.target.disabled = false; e.target.title = String(err.message || err); }
      } }, "Undo")]), { id: "corrections" }) : el("p", { class: "muted" }, "No corrections yet."));
}
