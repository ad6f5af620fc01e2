"""The highlighted HTML view of a Document: the web page's article view and Jupyter's
`Document._repr_html_`.

Article text is untrusted.  Nothing from the document is ever emitted unescaped: the
text is cut at the items' offsets and every piece goes through `html.escape`, class names
are reduced to [A-Za-z0-9_-], and no attribute can carry an event handler or a URL.
Items may overlap (an entity inside a quote inside a claim, or two that cross); tags are
kept properly nested by closing and re-opening spans at each boundary.
"""
from __future__ import annotations

import re
from html import escape
from importlib import resources
from typing import Any, Iterable

_SAFE_CLASS = re.compile(r"[^A-Za-z0-9_-]")
# outer to inner when items start at the same offset and have the same length
_LAYER_RANK = {"claim": 0, "quote": 1, "entity": 2, "quantity": 3, "date": 4}


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def css_class(value: Any) -> str:
    return _SAFE_CLASS.sub("_", str(value or "none"))


def _items(doc) -> list[tuple[int, int, str, str, str]]:
    """(start, end, layer, class, title) for every highlighted item."""
    out = []
    for c in doc.claims:
        status = (c.verdict or {}).get("status") if isinstance(c.verdict, dict) else None
        out.append((c.start, c.end, "claim", f"claim claim-{css_class(status or c.modality)}",
                    f"claim: {c.indicator or ''} {status or c.modality}"))
    for q in doc.quotes:
        who = q.speaker and (q.speaker.canonical or q.speaker.text)
        out.append((q.start, q.end, "quote", f"quote quote-{css_class(q.kind)}", f"{q.kind} quote" + (f" — {who}" if who else "")))
    for ent in doc.entities:
        out.append((ent.start, ent.end, "entity", f"ent ent-{css_class(ent.label)}",
                    f"{ent.label}" + (f": {ent.canonical}" if ent.canonical else "")))
    for q in doc.quantities:
        out.append((q.start, q.end, "quantity", "qty", f"quantity: {_value(q)}"))
    for d in doc.dates:
        out.append((d.start, d.end, "date", "date", f"date: {d.iso or ''}"))
    n = len(doc.text)
    return [it for it in out if 0 <= it[0] < it[1] <= n]


def highlighted_text(doc) -> str:
    """The article text with every item wrapped in a <span>, properly nested."""
    items = sorted(_items(doc), key=lambda it: (it[0], -(it[1] - it[0]), _LAYER_RANK[it[2]]))
    bounds = sorted({0, len(doc.text)} | {b for it in items for b in it[:2]})
    starts: dict[int, list[int]] = {}
    for i, it in enumerate(items):
        starts.setdefault(it[0], []).append(i)
    parts: list[str] = []
    stack: list[int] = []  # open item indices, outermost first
    for pos, nxt in zip(bounds, bounds[1:]):
        # close items that end here; re-open the ones above them that continue
        if any(items[i][1] <= pos for i in stack):
            keep = [i for i in stack if items[i][1] > pos]
            # close everything above the lowest finished item, then re-open survivors
            low = min(k for k, i in enumerate(stack) if items[i][1] <= pos)
            parts.append("</span>" * (len(stack) - low))
            reopen = [i for i in stack[low:] if i in keep]
            stack = stack[:low]
            for i in reopen:
                parts.append(_open(items[i], i))
                stack.append(i)
        for i in starts.get(pos, ()):
            parts.append(_open(items[i], i))
            stack.append(i)
        parts.append(e(doc.text[pos:nxt]))
    parts.append("</span>" * len(stack))
    return "".join(parts)


def _open(it, i: int) -> str:
    return f'<span class="{it[3]}" data-i="{i}" title="{e(it[4])}">'


def _value(q) -> str:
    if q is None or q.value is None:
        return ""
    v = f"{q.value:,.6g}"
    if q.value_max is not None:
        v += f"–{q.value_max:,.6g}"
    return " ".join(x for x in (v, q.unit, f"per {q.per}" if q.per else None) if x)


def _explanations(verdict: dict) -> Iterable[str]:
    ex = verdict.get("explanation")
    if isinstance(ex, dict):
        return [str(v) for v in ex.values() if v]
    if isinstance(ex, (list, tuple)):
        return [str(v) for v in ex if v]
    return [str(ex)] if ex else []


# every label the claim's frame and evidence show, in one place for the translation of the page
CLAIM_LABELS = {
    "frame": "frame", "indicator": "indicator", "geography": "geography", "stat_type": "statistic",
    "period": "period", "unit": "unit", "scope": "scope", "evidence": "evidence", "source": "source",
    "rate": "exchange rate", "conflict": "other source", "kind": "kind",
}


def claim_frame_evidence_html(claim, labels: dict = CLAIM_LABELS) -> str:
    """A claim's frame (what its number measures) and the evidence of its verdict (the row
    that checked it, with source, URL and kind; the rates it was converted at; a conflicting
    source; the one-line verdict) as a definition list; '' when the claim has neither."""
    L = labels
    parts = []
    fr = claim.frame if isinstance(claim.frame, dict) else None
    if fr:
        cells = "".join(f'<span class="frame-{k}" title="{e(L[k])}">{e(fr.get(k))}</span>'
                        for k in ("indicator", "geography", "stat_type", "period", "unit", "scope")
                        if fr.get(k) not in (None, ""))
        parts.append(f'<dt>{e(L["frame"])}</dt><dd class="frame">{cells}</dd>')
    ev = (claim.verdict or {}).get("evidence") if isinstance(claim.verdict, dict) else None
    if isinstance(ev, dict):
        ref = ev.get("reference") or {}
        if ref:
            url = ref.get("url") or ""
            link = f' <a href="{e(url)}" rel="noopener">{e(L["source"])}</a>' if url.startswith("http") else ""
            value = ref.get("value")
            shown = f"{int(value):,}" if isinstance(value, float) and value.is_integer() else value
            parts.append(f'<dt>{e(L["evidence"])}</dt><dd>{e(shown)} {e(ref.get("unit"))}'
                         f' ({e(ref.get("period"))}) — {e(ref.get("source"))} [{e(L["kind"])}: {e(ref.get("kind"))}]{link}</dd>')
        for conv in ev.get("conversion") or []:
            parts.append(f'<dt>{e(L["rate"])}</dt><dd>{e(conv.get("kzt_per_unit"))} KZT / {e(conv.get("currency"))}'
                         f' ({e(conv.get("period"))}; {e(conv.get("source"))})</dd>')
        other = ev.get("conflicting")
        if other:
            parts.append(f'<dt>{e(L["conflict"])}</dt><dd>{e(other.get("value"))} ({e(other.get("period"))})'
                         f' — {e(other.get("source"))}</dd>')
        line = ev.get("verdict_line") or {}
        if line:
            parts.append("<dd class=\"verdict-line\">" + " / ".join(e(line[k]) for k in ("kk", "en") if line.get(k))
                         + "</dd>")
    return f'<dl class="claim-evidence">{"".join(parts)}</dl>' if parts else ""


def _claims_html(doc) -> str:
    if not doc.claims:
        return ""
    rows = []
    for c in doc.claims:
        v = c.verdict if isinstance(c.verdict, dict) else {}
        status = v.get("status") or ("not checked" if c.modality == "fact" else c.modality)
        badges = f'<span class="badge verdict verdict-{css_class(status)}">{e(status)}</span>'
        if v.get("diagnosis"):
            badges += f' <span class="badge diagnosis diagnosis-{css_class(v["diagnosis"])}">{e(v["diagnosis"])}</span>'
        ref = v.get("reference") if isinstance(v.get("reference"), dict) else None
        ref_html = ""
        if ref:
            what = " ".join(e(ref.get(k)) for k in ("period", "value", "scale", "currency", "unit") if ref.get(k) not in (None, ""))
            ref_html = f'<div class="ref">reference: {what}' + (f" — {e(ref.get('source'))}" if ref.get("source") else "") + "</div>"
        expl = "".join(f'<p class="explanation">{e(x)}</p>' for x in _explanations(v))
        rows.append(
            f'<li class="claim-card" data-status="{css_class(status)}">{badges} '
            f'<span class="indicator">{e(c.indicator or c.subject or "")}</span>'
            f'<blockquote>{e(c.text)}</blockquote>'
            f'<div class="claim-meta">{e(c.quantity.text if c.quantity else "")}'
            f'{" · period " + e(c.period) if c.period else ""}{" · " + e(c.speaker) if c.speaker else ""}</div>'
            f"{claim_frame_evidence_html(c)}{ref_html}{expl}</li>")
    return f'<section class="claims"><h3>Claims</h3><ul>{"".join(rows)}</ul></section>'


def _quotes_html(doc) -> str:
    if not doc.quotes:
        return ""
    cards = []
    for q in doc.quotes:
        sp = q.speaker
        who = (sp and (sp.canonical or sp.text)) or "unknown speaker"
        cards.append(f'<li class="speaker-card"><div class="speaker">{e(who)}</div>'
                     f'<div class="quote-kind">{e(q.kind)}{" · " + e(q.cue) if q.cue else ""}</div>'
                     f"<blockquote>{e(q.text)}</blockquote></li>")
    return f'<section class="quotes"><h3>Quotes</h3><ul>{"".join(cards)}</ul></section>'


def _table(title: str, cls: str, head: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return ""
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<section class="{cls}"><h3>{e(title)}</h3><table><tr>{th}</tr>{body}</table></section>'


def document_html(doc, inline_style: bool = True) -> str:
    """A self-contained HTML fragment; `inline_style` adds the stylesheet (Jupyter), the
    web page links it instead (its Content-Security-Policy forbids inline styles)."""
    m = doc.meta
    meta = " · ".join(e(x) for x in (m.author, m.published, ", ".join(m.reported_by or []) or None) if x)
    legend = sorted({ent.label for ent in doc.entities})
    parts = [
        '<div class="derek-doc">',
        f'<h2 class="headline">{e(m.headline or "(no headline)")}</h2>',
        f'<div class="meta">{meta}</div>' if meta else "",
        '<div class="legend">' + "".join(f'<span class="ent ent-{css_class(lab)}">{e(lab)}</span> ' for lab in legend)
        + ('<span class="qty">quantity</span> ' if doc.quantities else "")
        + ('<span class="quote">quote</span>' if doc.quotes else "") + "</div>",
        f'<div class="derek-text">{highlighted_text(doc)}</div>',
        _claims_html(doc),
        _quotes_html(doc),
        _table("Entities", "entities", ["label", "text", "canonical"],
               [[x.label, x.text, x.canonical or ""] for x in doc.entities]),
        _table("Quantities", "quantities", ["text", "value", "qualifier"],
               [[q.text, _value(q), q.qualifier] for q in doc.quantities]),
        _table("Dates", "dates", ["text", "iso", "relation"], [[d.text, d.iso or "", d.relation] for d in doc.dates]),
        "</div>",
    ]
    html = "".join(parts)
    if inline_style:
        css = resources.files("derek.web").joinpath("derek.css").read_text(encoding="utf-8")
        html = f"<style>{css}</style>" + html
    return html
