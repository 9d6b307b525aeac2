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

export function table(headers, rows, attrs) {
  return el("table", attrs || {},
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))));
}

// Replace a node's content (null and false children are left out).
export function mount(node, ...children) {
  clear(node);
  return fill(node, {}, children);
}
