// derek web page.  Untrusted article text never reaches innerHTML from here: search hits,
// tables and the plot are built with textContent / createElementNS.  The one exception is
// the article view, which the server renders with every character of the text escaped
// (derek/render_html.py); the Content-Security-Policy header forbids inline scripts and
// handlers as a second line of defence.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

async function call(url, options) {
  const res = await fetch(url, options);
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const detail = body && body.detail ? body.detail : res.status + " " + res.statusText;
    throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
  }
  return body;
}

function showDocument(doc) {
  const result = $("result");
  result.replaceChildren();
  const holder = el("div", { id: "doc-view" });
  holder.innerHTML = doc.html;  // server-escaped (render_html.py)
  result.appendChild(holder);
  result.dataset.claims = String((doc.claims || []).length);
}

async function analyzeText() {
  const text = $("article").value;
  $("analyze-error").textContent = "";
  if (!text.trim()) { $("analyze-error").textContent = "Paste an article first."; return; }
  $("analyze-status").textContent = "analysing…";
  try {
    const t0 = performance.now();
    const doc = await call("/analyze?html=true", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }),
    });
    showDocument(doc);
    $("analyze-status").textContent = `done in ${Math.round(performance.now() - t0)} ms`;
  } catch (err) {
    $("analyze-error").textContent = err.message;
    $("analyze-status").textContent = "";
  }
}

async function analyzeUpload() {
  const file = $("upload").files[0];
  if (!file) return;
  $("analyze-error").textContent = "";
  $("analyze-status").textContent = "analysing " + file.name + "…";
  const form = new FormData();
  form.append("file", file);
  try {
    showDocument(await call("/analyze/file?html=true", { method: "POST", body: form }));
    $("analyze-status").textContent = "done";
  } catch (err) {
    $("analyze-error").textContent = err.message;
    $("analyze-status").textContent = "";
  }
}

async function openArticle(id) {
  try {
    showDocument(await call(`/articles/${encodeURIComponent(id)}?html=true`));
  } catch (err) {
    $("analyze-error").textContent = err.message;
  }
}

async function search() {
  const params = new URLSearchParams();
  const fields = { q: "q", entity: "f-entity", speaker: "f-speaker", indicator: "f-indicator", since: "f-since" };
  for (const [name, id] of Object.entries(fields)) {
    const v = $(id).value.trim();
    if (v) params.set(name, v);
  }
  $("search-error").textContent = "";
  const list = $("hits");
  list.replaceChildren();
  try {
    const data = await call("/search?" + params.toString());
    if (!data.results.length) list.appendChild(el("li", { class: "status" }, "no articles found"));
    for (const hit of data.results) {
      const li = el("li", { "data-id": String(hit.id) });
      li.appendChild(el("div", { class: "hit-title" }, hit.headline || "(no headline)"));
      li.appendChild(el("div", { class: "hit-meta" }, [hit.published, hit.outlet].filter(Boolean).join(" · ")));
      const snip = el("div", { class: "hit-snippet" });
      if (hit.match) {
        const [a, b] = hit.match;
        snip.append(hit.snippet.slice(0, a), el("mark", {}, hit.snippet.slice(a, b)), hit.snippet.slice(b));
      } else {
        snip.textContent = hit.snippet;
      }
      li.appendChild(snip);
      li.addEventListener("click", () => openArticle(hit.id));
      list.appendChild(li);
    }
  } catch (err) {
    $("search-error").textContent = err.message;
  }
}

// -- timeline plot (inline SVG) ------------------------------------------------------
const SCALES = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const COLORS = { consistent: "#1a8d3a", inconsistent: "#d11a2a", unverifiable: "#b08600" };

function when(period) {
  const m = /^(\d{4})(?:-(\d{2}))?/.exec(period || "");
  if (!m) return null;
  return Number(m[1]) + (m[2] ? (Number(m[2]) - 0.5) / 12 : 0.5);
}

function svgNode(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// A claim in the reference's unit: the verifier's conversion when it made one (30 bn KZT ->
// 0.064 bn USD, so a unit error shows as a dot far off the line), else the raw value.
function claimedY(c, scale) {
  const conv = c.verdict && c.verdict.claimed_in_reference_unit;
  if (typeof conv === "number") return conv / scale;
  if (c.value === null) return null;
  return Math.abs(c.value) >= scale * 1e-3 ? c.value / scale : c.value;
}

function plotTimeline(data) {
  const ref = data.reference.filter((r) => r.value !== null && when(r.period) !== null);
  const scale = ref.length && SCALES[ref[0].scale] ? SCALES[ref[0].scale] : 1;
  const unit = ref.length ? [ref[0].scale, ref[0].currency || ref[0].unit].filter(Boolean).join(" ") : "";
  const claims = data.claims
    .map((c) => ({ ...c, x: when(c.period || c.published), y: claimedY(c, scale) }))
    .filter((c) => c.x !== null && c.y !== null);
  const pts = ref.map((r) => [when(r.period), r.value]).concat(claims.map((c) => [c.x, c.y]));
  const plot = $("plot");
  plot.replaceChildren();
  if (!pts.length) { plot.appendChild(el("p", { class: "status" }, "nothing to plot for " + data.indicator)); return; }
  const W = 560, H = 260, L = 50, R = 10, T = 20, B = 30;
  let [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [y0, y1] = [0, Math.max(...pts.map((p) => p[1]))];
  if (x1 - x0 < 1) { x0 -= 0.5; x1 += 0.5; }
  if (y1 <= y0) y1 = y0 + 1;
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const svg = svgNode("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "timeline of " + data.indicator });
  svg.appendChild(svgNode("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }));
  svg.appendChild(svgNode("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#999" }));
  for (let yr = Math.ceil(x0); yr <= Math.floor(x1); yr++) {
    svg.appendChild(svgNode("text", { x: sx(yr), y: H - 10, "font-size": 10, "text-anchor": "middle" }, yr));
  }
  for (const f of [0.5, 1]) {
    const v = y0 + f * (y1 - y0);
    svg.appendChild(svgNode("text", { x: L - 4, y: sy(v) + 3, "font-size": 10, "text-anchor": "end" }, v.toPrecision(3)));
  }
  svg.appendChild(svgNode("text", { x: L, y: 12, "font-size": 10 }, unit ? "reference (" + unit + ")" : data.indicator));
  // the line joins point-in-time rows; a period range ("2025-01/2025-08", a part-year
  // sum) is drawn as a hollow dot so it does not read as a fall of the annual series
  const line = ref.filter((r) => !String(r.period).includes("/"));
  if (line.length) {
    const d = line.map((r, i) => (i ? "L" : "M") + sx(when(r.period)).toFixed(1) + "," + sy(r.value).toFixed(1)).join(" ");
    svg.appendChild(svgNode("path", { d, fill: "none", stroke: "#1f3a5f", "stroke-width": 2, class: "reference-line" }));
    for (const r of ref) {
      const range = String(r.period).includes("/");
      const dot = svgNode("circle", { cx: sx(when(r.period)), cy: sy(r.value), r: 3,
                                      fill: range ? "#fff" : "#1f3a5f", stroke: "#1f3a5f" });
      dot.appendChild(svgNode("title", {}, `${r.period}: ${r.value} ${unit} — ${r.source || ""}`));
      svg.appendChild(dot);
    }
  }
  for (const c of claims) {
    const dot = svgNode("circle", { cx: sx(c.x), cy: sy(c.y), r: 5, class: "claim-point",
                                    fill: COLORS[c.status] || "#888", stroke: "#fff" });
    dot.appendChild(svgNode("title", {}, `${c.outlet || "?"} ${c.published || ""}: ${c.quantity || c.value} ${c.status || ""} ${c.diagnosis || ""}`));
    svg.appendChild(dot);
  }
  plot.appendChild(svg);
}

function timelineTable(data) {
  const table = $("timeline-table");
  table.replaceChildren();
  const head = el("tr");
  for (const h of ["period", "outlet", "claimed", "verdict"]) head.appendChild(el("th", {}, h));
  table.appendChild(head);
  for (const c of data.claims) {
    const tr = el("tr");
    for (const v of [c.period || c.published || "", c.outlet || "", c.quantity || c.value,
                     [c.status, c.diagnosis].filter(Boolean).join(" ")]) tr.appendChild(el("td", {}, v));
    table.appendChild(tr);
  }
  for (const r of data.reference) {
    const tr = el("tr", { class: "reference-row" });
    for (const v of [r.period, "reference", [r.value, r.scale, r.currency || r.unit].filter(Boolean).join(" "), r.source || ""])
      tr.appendChild(el("td", {}, v));
    table.appendChild(tr);
  }
}

async function timeline() {
  const id = $("indicator").value.trim();
  $("timeline-error").textContent = "";
  if (!id) return;
  try {
    const data = await call(`/indicators/${encodeURIComponent(id)}/timeline`);
    plotTimeline(data);
    timelineTable(data);
  } catch (err) {
    $("timeline-error").textContent = err.message;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("analyze-btn").addEventListener("click", analyzeText);
  $("upload").addEventListener("change", analyzeUpload);
  $("search-btn").addEventListener("click", search);
  $("q").addEventListener("keydown", (ev) => { if (ev.key === "Enter") search(); });
  $("timeline-btn").addEventListener("click", timeline);
  document.body.dataset.ready = "1";
});
