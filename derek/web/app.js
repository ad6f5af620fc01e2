// derek web page.  Untrusted article text never reaches innerHTML from here: search hits,
// tables and the plot are built with textContent / createElementNS.  The one exception is
// the article view, which the server renders with every character of the text escaped
// (derek/render_html.py); the Content-Security-Policy header forbids inline scripts and
// handlers as a second line of defence.
//
// Words: Kazakh by default, English or Russian by the switch in the header, all from one
// table (/static/i18n.json, which the server's article view reads too).  The choice is kept
// in the address (?lang=) and in localStorage; the address wins, so a link shares it.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const LANGS = ["kk", "en", "ru"];
const STORAGE_KEY = "derek.lang";

let STRINGS = {};
let lang = "kk";
let lastView = null;  // how the shown article was got, to fetch it again in another language
let lastTimeline = null;
let lastHits = null;

function t(key, fields) {
  const entry = STRINGS[key];
  let text = entry ? (entry[lang] || entry.en || key) : key;
  for (const [k, v] of Object.entries(fields || {})) text = text.split("{" + k + "}").join(String(v));
  return text;
}

function valueName(kind, value) {
  if (value === null || value === undefined || value === "") return "";
  const key = kind + "." + value;
  return STRINGS[key] ? t(key) : String(value);
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// -- language ------------------------------------------------------------------------------
function chosenLang() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (LANGS.includes(fromUrl)) return fromUrl;
  try {
    const kept = localStorage.getItem(STORAGE_KEY);
    if (LANGS.includes(kept)) return kept;
  } catch (e) { /* storage may be off */ }
  return "kk";
}

function applyLang() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  document.title = t("app.title");
  for (const button of document.querySelectorAll("button.lang")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
}

function setLang(next) {
  if (!LANGS.includes(next)) return;
  lang = next;
  try { localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* storage may be off */ }
  const url = new URL(location.href);
  url.searchParams.set("lang", lang);
  history.replaceState(null, "", url);
  applyLang();
  // what is on screen follows: the article view is rendered again by the server in the new
  // language, the hits and the timeline are rebuilt here
  if (lastView) lastView();
  if (lastHits) showHits(lastHits);
  if (lastTimeline) { plotTimeline(lastTimeline); timelineTable(lastTimeline); }
}

// -- talking to the API --------------------------------------------------------------------
class ApiError extends Error {}

function fieldName(loc) {
  const field = String((loc || []).slice(-1)[0] || "");
  const keys = { since: "search.since", until: "search.until", q: "search.q", entity: "search.entity",
                 speaker: "search.speaker", indicator: "search.indicator", outlet: "search.outlet",
                 text: "analyze.text", file: "analyze.upload" };
  return keys[field] ? t(keys[field]).replace(/\s*\(.*\)$/, "") : field;
}

// the page's own words for an error answer: one line per field for a validation error,
// else the status's sentence; the server's English detail is kept after it
function errorMessage(status, body) {
  const detail = body && typeof body.detail === "string" ? body.detail : "";
  if (status === 422 && body && Array.isArray(body.errors) && body.errors.length) {
    const lines = body.errors.map((err) => {
      const field = fieldName(err.loc);
      if (err.type === "string_pattern_mismatch" && /since|until|published/.test(String(err.loc))) return t("error.date", { field });
      if (err.type === "string_pattern_mismatch" && /indicator/.test(String(err.loc))) return t("error.indicator");
      if (err.type === "string_too_long") return t("error.too_long", { field });
      if (err.type === "missing" || /empty/.test(err.msg)) return t("error.empty", { field });
      return field + ": " + err.msg;
    });
    return lines.join(" ");
  }
  if (status === 422 && /binary|empty|text/.test(detail) && /file|upload|\./.test(detail)) {
    return t("error.file") + " " + t("error.detail", { detail });
  }
  const known = [400, 401, 403, 404, 413, 422, 503].includes(status) ? status : status >= 500 ? 500 : 422;
  return t("error." + known) + (detail ? " " + t("error.detail", { detail }) : "");
}

async function call(url, options) {
  let res;
  try {
    res = await fetch(url, options);
  } catch (e) {
    throw new ApiError(t("error.network"));
  }
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new ApiError(errorMessage(res.status, body));
  return body;
}

function withLang(url) {
  return url + (url.includes("?") ? "&" : "?") + "lang=" + lang;
}

// -- the article view ----------------------------------------------------------------------
function showDocument(doc) {
  const result = $("result-body");
  result.replaceChildren();
  const holder = el("div", { id: "doc-view" });
  holder.innerHTML = doc.html;  // server-escaped (render_html.py)
  result.appendChild(holder);
  $("result").dataset.claims = String((doc.claims || []).length);
}

async function runView(make, statusText) {
  $("analyze-error").textContent = "";
  $("analyze-status").textContent = statusText;
  $("result").setAttribute("aria-busy", "true");
  const t0 = performance.now();
  try {
    showDocument(await make());
    $("analyze-status").textContent = t("analyze.done", { ms: Math.round(performance.now() - t0) });
  } catch (err) {
    $("analyze-error").textContent = err.message;
    $("analyze-status").textContent = "";
  } finally {
    $("result").removeAttribute("aria-busy");
  }
}

function analyzeText() {
  const text = $("article").value;
  $("analyze-error").textContent = "";
  if (!text.trim()) { $("analyze-error").textContent = t("analyze.empty"); $("article").focus(); return; }
  lastView = () => runView(() => call(withLang("/analyze?html=true"), {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }),
  }), t("analyze.running"));
  return lastView();
}

function analyzeUpload() {
  const file = $("upload").files[0];
  if (!file) return;
  lastView = () => {
    const form = new FormData();
    form.append("file", file);
    return runView(() => call(withLang("/analyze/file?html=true"), { method: "POST", body: form }),
                   t("analyze.running_file", { name: file.name }));
  };
  return lastView();
}

function openArticle(id) {
  lastView = () => runView(() => call(withLang(`/articles/${encodeURIComponent(id)}?html=true`)), t("analyze.running"));
  return lastView().then(() => $("result").focus());
}

// -- search --------------------------------------------------------------------------------
async function search() {
  const params = new URLSearchParams();
  const fields = { q: "q", entity: "f-entity", speaker: "f-speaker", indicator: "f-indicator", outlet: "f-outlet",
                   since: "f-since", until: "f-until" };
  for (const [name, id] of Object.entries(fields)) {
    const v = $(id).value.trim();
    if (v) params.set(name, v);
  }
  $("search-error").textContent = "";
  $("search-status").textContent = "";
  $("hits").replaceChildren();
  lastHits = null;
  try {
    showHits(await call("/search?" + params.toString()));
  } catch (err) {
    $("search-error").textContent = err.message;
  }
}

function showHits(data) {
  lastHits = data;
  const list = $("hits");
  list.replaceChildren();
  $("search-status").textContent = data.results.length ? t("search.count", { n: data.results.length }) : t("search.none");
  for (const hit of data.results) {
    const li = el("li", { "data-id": String(hit.id) });
    const title = hit.headline || t("article.no_headline");
    // a real button: reached with Tab, opened with Enter or Space, named for screen readers
    const open = el("button", { type: "button", class: "hit-open", "aria-label": t("search.open", { title }) });
    open.appendChild(el("span", { class: "hit-title" }, title));
    open.addEventListener("click", () => openArticle(hit.id));
    li.appendChild(open);
    li.appendChild(el("div", { class: "hit-meta" }, [hit.published, hit.outlet || t("outlet.unknown")].filter(Boolean).join(" · ")));
    const snip = el("div", { class: "hit-snippet" });
    if (hit.match) {
      const [a, b] = hit.match;
      snip.append(hit.snippet.slice(0, a), el("mark", {}, hit.snippet.slice(a, b)), hit.snippet.slice(b));
    } else {
      snip.textContent = hit.snippet;
    }
    li.appendChild(snip);
    list.appendChild(li);
  }
}

// -- timeline plot (inline SVG) ------------------------------------------------------------
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
  if (!pts.length) { plot.appendChild(el("p", { class: "status" }, t("timeline.nothing", { indicator: data.indicator }))); return; }
  const W = 560, H = 260, L = 50, R = 10, T = 20, B = 30;
  let [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [y0, y1] = [0, Math.max(...pts.map((p) => p[1]))];
  if (x1 - x0 < 1) { x0 -= 0.5; x1 += 0.5; }
  if (y1 <= y0) y1 = y0 + 1;
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const svg = svgNode("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("timeline.aria", { indicator: data.indicator }) });
  svg.appendChild(svgNode("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#999" }));
  svg.appendChild(svgNode("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#999" }));
  for (let yr = Math.ceil(x0); yr <= Math.floor(x1); yr++) {
    svg.appendChild(svgNode("text", { x: sx(yr), y: H - 10, "font-size": 10, "text-anchor": "middle" }, yr));
  }
  for (const f of [0.5, 1]) {
    const v = y0 + f * (y1 - y0);
    svg.appendChild(svgNode("text", { x: L - 4, y: sy(v) + 3, "font-size": 10, "text-anchor": "end" }, v.toPrecision(3)));
  }
  svg.appendChild(svgNode("text", { x: L, y: 12, "font-size": 10 },
                          unit ? t("timeline.reference_unit", { unit }) : data.indicator));
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
    dot.appendChild(svgNode("title", {}, `${c.outlet || t("outlet.unknown")} ${c.published || ""}: ${c.quantity || c.value} `
                                         + `${valueName("verdict", c.status)} ${valueName("diagnosis", c.diagnosis)}`));
    svg.appendChild(dot);
  }
  plot.appendChild(svg);
}

function timelineTable(data) {
  const table = $("timeline-table");
  table.replaceChildren();
  table.appendChild(el("caption", {}, t("timeline.caption")));
  const head = el("tr");
  for (const h of ["table.period", "table.outlet", "table.claimed", "table.verdict"]) head.appendChild(el("th", { scope: "col" }, t(h)));
  table.appendChild(head);
  for (const c of data.claims) {
    const tr = el("tr");
    for (const v of [c.period || c.published || "", c.outlet || t("outlet.unknown"), c.quantity || c.value,
                     [valueName("verdict", c.status), valueName("diagnosis", c.diagnosis)].filter(Boolean).join(" · ")]) {
      tr.appendChild(el("td", {}, v));
    }
    table.appendChild(tr);
  }
  for (const r of data.reference) {
    const tr = el("tr", { class: "reference-row" });
    for (const v of [r.period, t("timeline.reference"), [r.value, r.scale, r.currency || r.unit].filter(Boolean).join(" "), r.source || ""]) {
      tr.appendChild(el("td", {}, v));
    }
    table.appendChild(tr);
  }
}

async function timeline() {
  const id = $("indicator").value.trim();
  $("timeline-error").textContent = "";
  if (!id) return;
  try {
    const data = await call(`/indicators/${encodeURIComponent(id)}/timeline`);
    lastTimeline = data;
    plotTimeline(data);
    timelineTable(data);
  } catch (err) {
    lastTimeline = null;
    $("plot").replaceChildren();
    $("timeline-table").replaceChildren();
    $("timeline-error").textContent = err.message;
  }
}

// -- start ---------------------------------------------------------------------------------
async function loadStrings() {
  try {
    const res = await fetch("/static/i18n.json");
    STRINGS = (await res.json()).strings || {};
  } catch (e) {
    STRINGS = {};  // the page's Kazakh words stay as the HTML has them
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  await loadStrings();
  lang = chosenLang();
  applyLang();
  $("analyze-form").addEventListener("submit", (ev) => { ev.preventDefault(); analyzeText(); });
  $("article").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); analyzeText(); }
  });
  $("upload").addEventListener("change", analyzeUpload);
  $("search-form").addEventListener("submit", (ev) => { ev.preventDefault(); search(); });
  $("timeline-form").addEventListener("submit", (ev) => { ev.preventDefault(); timeline(); });
  for (const button of document.querySelectorAll("button.lang")) {
    button.addEventListener("click", () => setLang(button.dataset.lang));
  }
  document.body.dataset.ready = "1";
});
