// DOM helpers. Article text and every value from the API are untrusted: nodes are built
// with createElement and textContent only, never by parsing HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function fill(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.setAttribute("class", Array.isArray(v) ? v.filter(Boolean).join(" ") : v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "href") node.setAttribute("href", safeHref(v));
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function el(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

// Only our own paths and http(s) links: never javascript: or data: URLs from the data.
export function safeHref(value) {
  const s = String(value);
  if (s.startsWith("/") && !s.startsWith("//")) return s;
  if (s.startsWith("#")) return s;
  try {
    const u = new URL(s);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch (_) { /* not a URL */ }
  return "#";
}

export function link(path, ...children) {
  return el("a", { href: path, "data-nav": "" }, ...children);
}

export const enc = encodeURIComponent;

export function docHref(docId, start, end) {
  const base = `/documents/${enc(docId)}`;
  return start === undefined || start === null ? base : `${base}#${start}-${end}`;
}

export function badge(status) {
  return el("span", { class: ["badge", status || "unknown"] }, status || "unknown");
}

export function whenText(value) {
  if (value === null || value === undefined) return "unresolved";
  return Array.isArray(value) ? value.join(" – ") : String(value);
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(`[${e.code || status}] ${e.message || "request failed"}`);
    this.status = status;
    this.error = e;
  }
}

export async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await res.json(); } catch (_) { body = null; }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// Each cell carries its column's name (data-label): on a narrow screen a row is shown as a
// card, each cell under its name, so a table never makes the page scroll sideways.
export function tableRows(headers, rows) {
  return rows.map((cells) => el("tr", {}, cells.map((c, i) => el("td", { "data-label": headers[i] }, c))));
}

export function table(headers, rows, attrs) {
  const a = { ...(attrs || {}) };
  a.class = ["stack", a.class];
  return el("table", a,
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, tableRows(headers, rows)));
}

// How a document's outlet and date are shown, the same in every view: the API's `display`
// ("AFP, ~2023-11-09": the outlet or wire, the stated or inferred date, marked "~").
export function shown(row) {
  if (row && row.display && row.display.text) return row.display.text;
  return `${(row && (row.outlet || row.wire)) || "?"}, ${(row && row.published) || "undated"}`;
}

// Every page of a list route, following next_cursor (for lists a view shows whole).
export async function allPages(path, key) {
  const sep = path.includes("?") ? "&" : "?";
  let body = await api(`${path}${sep}limit=5000`);
  const items = [...body[key]];
  while (body.next_cursor) {
    body = await api(`${path}${sep}limit=5000&cursor=${encodeURIComponent(body.next_cursor)}`);
    items.push(...body[key]);
  }
  return items;
}

// A "Show more" button under a paged list: fetches the next page and hands its items to
// `append`; says how many are left, and goes away on the last page.
export function moreButton(path, key, page, append) {
  if (!page.next_cursor) return null;
  const sep = path.includes("?") ? "&" : "?";
  let cursor = page.next_cursor;
  const button = el("button", { type: "button", class: "more" }, `Show more (${page.remaining} left)`);
  button.addEventListener("click", async () => {
    button.disabled = true;
    const next = await api(`${path}${sep}limit=${page.limit}&cursor=${encodeURIComponent(cursor)}`);
    append(next[key]);
    cursor = next.next_cursor;
    if (!cursor) button.remove();
    else { button.textContent = `Show more (${next.remaining} left)`; button.disabled = false; }
  });
  return button;
}

// Replace a node's content (null and false children are left out).
export function mount(node, ...children) {
  clear(node);
  return fill(node, {}, children);
}
