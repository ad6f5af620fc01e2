// Offline API reference: renders /openapi.json with textContent only (no CDN, no Swagger UI).
"use strict";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function schemaName(s) {
  if (!s) return "";
  if (s.$ref) return s.$ref.split("/").pop();
  if (s.anyOf) return s.anyOf.map(schemaName).join(" | ");
  return s.type || "";
}

document.addEventListener("DOMContentLoaded", async () => {
  const box = document.getElementById("endpoints");
  const spec = await (await fetch("/openapi.json")).json();
  box.replaceChildren(el("p", spec.info.description || ""));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const sec = el("section");
      sec.appendChild(el("h2", method.toUpperCase() + " " + path));
      if (op.summary) sec.appendChild(el("p", op.summary));
      if (op.description) sec.appendChild(el("p", op.description));
      const params = op.parameters || [];
      if (params.length) {
        const ul = el("ul");
        for (const p of params) ul.appendChild(el("li", `${p.name} (${p.in}, ${schemaName(p.schema)})${p.required ? " required" : ""}${p.description ? " — " + p.description : ""}`));
        sec.appendChild(ul);
      }
      const body = op.requestBody && op.requestBody.content;
      if (body) for (const [type, c] of Object.entries(body)) sec.appendChild(el("p", `body: ${type} ${schemaName(c.schema)}`));
      box.appendChild(sec);
    }
  }
  const schemas = (spec.components || {}).schemas || {};
  for (const [name, s] of Object.entries(schemas)) {
    if (!s.properties) continue;
    const sec = el("section");
    sec.appendChild(el("h2", name));
    const ul = el("ul");
    for (const [k, v] of Object.entries(s.properties)) ul.appendChild(el("li", `${k}: ${schemaName(v)}${v.description ? " — " + v.description : ""}`));
    sec.appendChild(ul);
    box.appendChild(sec);
  }
});
