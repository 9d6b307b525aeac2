// The story's charts, drawn as SVG: a timeline of merged events and the actor graph.
import { svg } from "./dom.js";

const DAY = 86400000;

function utc(y, m, d) { return new Date(Date.UTC(y, m, d)).getTime(); }

// A time value ("2024", "2024-03", "2024-03-04", "2024-W10", or a [start, end] pair) as
// the interval it covers, or null when unresolved or unreadable.
export function parseWhen(value) {
  if (Array.isArray(value)) {
    const a = parseWhen(value[0]);
    const b = parseWhen(value[value.length - 1]);
    return a && b ? { start: a.start, end: Math.max(a.end, b.end) } : a || b;
  }
  if (typeof value !== "string") return null;
  let m = /^(\d{4})-W(\d{2})$/.exec(value);
  if (m) {
    const jan4 = utc(+m[1], 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY + (+m[2] - 1) * 7 * DAY;
    return { start: monday, end: monday + 6 * DAY };
  }
  m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
  if (!m) return null;
  const y = +m[1];
  if (m[3]) { const t = utc(y, +m[2] - 1, +m[3]); return { start: t, end: t }; }
  if (m[2]) return { start: utc(y, +m[2] - 1, 1), end: utc(y, +m[2], 0) };
  return { start: utc(y, 0, 1), end: utc(y, 11, 31) };
}

function iso(t) { return new Date(t).toISOString().slice(0, 10); }

function shorten(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// Calendar steps, finest first: days, weeks (from Mondays), months, years.
const STEPS = [["day", 1], ["day", 2], ["week", 1], ["week", 2], ["month", 1], ["month", 2],
  ["month", 3], ["month", 6], ["year", 1], ["year", 2], ["year", 5], ["year", 10], ["year", 25],
  ["year", 50], ["year", 100]];

function stepTicks(lo, hi, unit, n) {
  const out = [];
  const d = new Date(lo);
  if (unit === "day" || unit === "week") {
    let t = utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    if (t < lo) t += DAY;
    if (unit === "week") while (new Date(t).getUTCDay() !== 1) t += DAY;
    const step = (unit === "week" ? 7 : 1) * n * DAY;
    for (; t <= hi; t += step) out.push(t);
    return out;
  }
  if (unit === "month") {
    let y = d.getUTCFullYear(), m = d.getUTCMonth();
    if (utc(y, m, 1) < lo) m += 1;
    while (m % n) m += 1;
    for (let t = utc(y, m, 1); t <= hi; m += n, t = utc(y, m, 1)) out.push(t);
    return out;
  }
  let y = d.getUTCFullYear();
  if (utc(y, 0, 1) < lo) y += 1;
  while (y % n) y += 1;
  for (; utc(y, 0, 1) <= hi; y += n) out.push(utc(y, 0, 1));
  return out;
}

// Ticks at regular calendar steps (every day, Monday, first of a month, New Year...), the
// finest step that gives at most `most` ticks, each with a label of the step's precision.
export function calendarTicks(lo, hi, most) {
  for (const [unit, n] of STEPS) {
    const ts = stepTicks(lo, hi, unit, n);
    if (ts.length <= most && ts.length >= Math.min(2, most)) {
      return ts.map((t, i) => {
        const d = new Date(t), year = d.getUTCFullYear();
        const newYear = i === 0 || new Date(ts[i - 1]).getUTCFullYear() !== year;
        const label = unit === "year" ? String(year)
          : unit === "month" ? `${MONTHS[d.getUTCMonth()]}${newYear ? ` ${year}` : ""}`
            : `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${newYear ? ` ${year}` : ""}`;
        return { t, label, unit, step: n };
      });
    }
  }
  return [{ t: lo, label: iso(lo), unit: "day", step: 0 }];
}

function eventMark(ev, x, y, width, onSelect) {
  const status = ev.status || "asserted";
  const label = `${ev.title} — ${status}, ${ev.n_independent} independent source(s)` +
    (ev.denials.length ? `, denied by ${ev.denials.map((d) => d.by || "?").join(", ")}` : "");
  const g = svg("g", {
    class: ["tl-event", status], tabindex: "0", role: "button", "aria-label": label,
    dataset: { cluster: String(ev.cluster_id) },
    onclick: () => onSelect(ev, g),
    onkeydown: (e) => { if (e.key === "Enter" || e.key === " ") onSelect(ev, g); },
  }, svg("title", {}, label));
  if (width > 12) g.append(svg("rect", { class: "mark", x, y: y - 9, width, height: 18, rx: 9 }));
  else g.append(svg("circle", { class: "mark", cx: x + 6, cy: y, r: 9 }));
  g.append(svg("text", { class: "count", x: x + Math.max(width, 12) / 2, y: y + 3.5 },
    String(ev.n_independent)));
  let lx = x + Math.max(width, 12) + 4;
  if (ev.denials.length) {
    g.append(svg("text", { class: "deny", x: lx, y: y + 4 }, "✕"));
    lx += 12;
  }
  g.append(svg("text", { class: "tl-label", x: lx, y: y + 4 }, shorten(ev.title, 34)));
  return g;
}

// Greedy lanes: each event goes in the first lane whose last label ends before it starts.
function lanes(items, widthOf) {
  const ends = [];
  for (const it of items) {
    let lane = ends.findIndex((end) => end < it.x);
    if (lane < 0) { lane = ends.length; ends.push(0); }
    ends[lane] = it.x + widthOf(it);
    it.lane = lane;
  }
  return Math.max(ends.length, 1);
}

export function drawTimeline(events, onSelect, days = []) {
  const W = 1000, left = 50, right = 240, laneH = 30, top = 36;
  const dated = [], undated = [];
  for (const ev of events) {
    const span = parseWhen(ev.when);
    (span ? dated : undated).push({ ev, span });
  }
  dated.sort((a, b) => a.span.start - b.span.start);
  const marks = days.map((d) => ({ ...d, t: parseWhen(d.date)?.start })).filter((d) => d.t != null);
  let lo = Math.min(...dated.map((d) => d.span.start), ...marks.map((d) => d.t));
  let hi = Math.max(...dated.map((d) => d.span.end), ...marks.map((d) => d.t + DAY));
  if (!dated.length && !marks.length) { lo = Date.now() - 30 * DAY; hi = Date.now(); }
  if (hi - lo < 14 * DAY) { lo -= 7 * DAY; hi += 7 * DAY; }
  const scale = (t) => left + ((t - lo) / (hi - lo)) * (W - left - right);
  for (const d of dated) {
    d.x = scale(d.span.start);
    d.w = d.span.end > d.span.start ? Math.max(scale(d.span.end) - d.x, 12) : 12;
  }
  const labelW = (d) => d.w + 20 + Math.min(d.ev.title.length, 34) * 6.2;
  const n = lanes(dated, labelW);
  const axisY = top + n * laneH + 8;
  const H = axisY + 40 + (undated.length ? 30 + laneH * Math.ceil(undated.length / 3) : 0);
  const root = svg("svg", { id: "timeline", class: "chart timeline", viewBox: `0 0 ${W} ${H}`,
    role: "img", "aria-label": `Timeline of ${events.length} merged events` });
  root.append(svg("text", { x: left, y: 18, class: "muted" },
    "Merged events by date · colour = status · number = independent sources · ✕ = denied · ▼ = the dates that matter"));
  const axis = svg("g", { class: "axis" },
    svg("line", { x1: left, x2: W - right, y1: axisY, y2: axisY }));
  for (const tick of calendarTicks(lo, hi, 7)) {
    const x = scale(tick.t);
    axis.append(svg("g", { class: "tick", dataset: { t: iso(tick.t), unit: tick.unit, step: String(tick.step) } },
      svg("line", { x1: x, x2: x, y1: axisY, y2: axisY + 5 }),
      svg("text", { x, y: axisY + 18, "text-anchor": "middle" }, tick.label)));
  }
  // the dates that matter (the `storyline dates` ranking): a numbered mark on the axis
  marks.forEach((d, i) => {
    const x = scale(d.t) + 6;
    axis.append(svg("g", { class: "top-date", "data-date": d.date },
      svg("title", {}, `${i + 1}. ${d.date}: ${d.n_documents} documents`),
      svg("path", { d: `M${x - 6},${axisY - 12} L${x + 6},${axisY - 12} L${x},${axisY - 2} Z`, fill: "#c0392b" }),
      svg("text", { x, y: axisY - 15, "text-anchor": "middle", class: "top-rank" }, String(i + 1))));
  });
  root.append(axis);
  for (const d of dated) {
    root.append(svg("line", { x1: d.x + 6, x2: d.x + 6, y1: top + d.lane * laneH + 9, y2: axisY,
      stroke: "#ddd" }));
    root.append(eventMark(d.ev, d.x, top + d.lane * laneH, d.w > 12 ? d.w : 12, onSelect));
  }
  if (undated.length) {
    const y0 = axisY + 52;
    root.append(svg("text", { x: left, y: y0 - 4 }, "Date unresolved:"));
    undated.forEach((d, i) => {
      const x = left + 110 + (i % 3) * 290;
      root.append(eventMark(d.ev, x, y0 + Math.floor(i / 3) * laneH, 12, onSelect));
    });
  }
  return root;
}

// An edge label just off its curve, on the outer side, so it does not sit on the line.
function labelAt(cx, cy, nx, ny, bend) {
  const off = bend ? 10 : 0;
  return { x: cx + nx * off, y: cy + ny * off + (bend && ny > 0.3 ? 10 : -4) };
}

export function drawGraph(graph, onNode) {
  const nodes = graph.nodes, n = nodes.length, r = 20;
  // the circle grows with the number of actors, so neighbours keep room for their names
  const R = Math.max(160, n * 22), W = 2 * R + 200, H = 2 * R + 100;
  const pos = {};
  nodes.forEach((node, i) => {
    // start on the left, so two actors face each other across the width
    const a = Math.PI + (2 * Math.PI * i) / Math.max(n, 1);
    pos[node.id] = n === 1 ? { x: W / 2, y: H / 2 }
      : { x: W / 2 + R * Math.cos(a), y: H / 2 + R * Math.sin(a) };
  });
  const root = svg("svg", { id: "actor-graph", class: "chart graph", viewBox: `0 0 ${W} ${H}`,
    role: "img", "aria-label": `Actor graph: ${n} actors, ${graph.edges.length} relations` },
  svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
  svg("path", { class: "arrow", d: "M 0 0 L 10 5 L 0 10 z" }))));
  const pairs = new Set(graph.edges.map((e) => `${e.source}\u0000${e.target}`));
  for (const e of graph.edges) {
    const a = pos[e.source], b = pos[e.target];
    if (!a || !b) continue;
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len;
    // a pair linked both ways gets two curves, one on each side
    const bend = pairs.has(`${e.target}\u0000${e.source}`) ? 50 : 0;
    const mx = (a.x + b.x) / 2 - uy * bend, my = (a.y + b.y) / 2 + ux * bend;
    const sx = a.x + ux * r, sy = a.y + uy * r, tx = b.x - ux * (r + 2), ty = b.y - uy * (r + 2);
    root.append(svg("g", { class: "edge-group" },
      svg("title", {}, `${e.label} (${e.weight})`),
      svg("path", { class: "edge", d: `M ${sx} ${sy} Q ${mx} ${my} ${tx} ${ty}`,
        "marker-end": "url(#arrow)", "stroke-width": 1 + Math.min(e.weight, 6) * 0.6 }),
      svg("text", { class: "edge-label", ...labelAt((sx + 2 * mx + tx) / 4, (sy + 2 * my + ty) / 4, -uy, ux, bend) },
        shorten(e.label, 40))));
  }
  for (const node of nodes) {
    const p = pos[node.id];
    root.append(svg("g", { class: "node", tabindex: "0", role: "link", dataset: { key: node.id },
      onclick: () => onNode(node), onkeydown: (ev) => { if (ev.key === "Enter") onNode(node); } },
    svg("title", {}, `${node.label} (${node.type || "actor"})`),
    svg("circle", { cx: p.x, cy: p.y, r }),
    svg("text", { x: p.x, y: p.y + r + 14 }, shorten(node.label, 26))));
  }
  return root;
}
