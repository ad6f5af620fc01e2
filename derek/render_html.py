"""The highlighted HTML view of a Document: the web page's article view and Jupyter's
`Document._repr_html_`.

Article text is untrusted.  Nothing from the document is ever emitted unescaped: the
text is cut at the items' offsets and every piece goes through `html.escape`, class names
are reduced to [A-Za-z0-9_-], and no attribute can carry an event handler or a URL.
Items may overlap (an entity inside a quote inside a claim, or two that cross); tags are
kept properly nested by closing and re-opening spans at each boundary.

Words are Kazakh by default, or English or Russian (`lang`), from the one table the web
page uses too (derek/web/i18n.json, derek.web.i18n); class names and data-status keep the
raw values (verdict-inconsistent), so styles and scripts do not depend on the language.
"""
from __future__ import annotations

import re
from html import escape
from importlib import resources
from typing import Any, Iterable

from derek.web.i18n import lang_or_default, t, value_name

_SAFE_CLASS = re.compile(r"[^A-Za-z0-9_-]")
# outer to inner when items start at the same offset and have the same length
_LAYER_RANK = {"claim": 0, "quote": 1, "entity": 2, "quantity": 3, "date": 4}


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def css_class(value: Any) -> str:
    return _SAFE_CLASS.sub("_", str(value or "none"))


def _items(doc, lang: str | None = None) -> list[tuple[int, int, str, str, str]]:
    """(start, end, layer, class, title) for every highlighted item; titles in `lang`."""
    out = []
    for c in doc.claims:
        status = (c.verdict or {}).get("status") if isinstance(c.verdict, dict) else None
        shown = value_name("verdict", status, lang) if status else value_name("modality", c.modality, lang)
        out.append((c.start, c.end, "claim", f"claim claim-{css_class(status or c.modality)}",
                    f"{t('view.claim', lang)}: {c.indicator or ''} {shown}"))
    for q in doc.quotes:
        who = q.speaker and (q.speaker.canonical or q.speaker.text)
        out.append((q.start, q.end, "quote", f"quote quote-{css_class(q.kind)}",
                    f"{t('view.quote', lang)} ({value_name('quote', q.kind, lang)})" + (f" — {who}" if who else "")))
    for ent in doc.entities:
        out.append((ent.start, ent.end, "entity", f"ent ent-{css_class(ent.label)}",
                    value_name("label", ent.label, lang) + (f": {ent.canonical}" if ent.canonical else "")))
    for q in doc.quantities:
        out.append((q.start, q.end, "quantity", "qty", f"{t('view.quantity', lang)}: {_value(q)}"))
    for d in doc.dates:
        out.append((d.start, d.end, "date", "date", f"{t('view.date', lang)}: {d.iso or ''}"))
    n = len(doc.text)
    return [it for it in out if 0 <= it[0] < it[1] <= n]


def highlighted_text(doc, lang: str | None = None) -> str:
    """The article text with every item wrapped in a <span>, properly nested."""
    items = sorted(_items(doc, lang), key=lambda it: (it[0], -(it[1] - it[0]), _LAYER_RANK[it[2]]))
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
    return " ".join(x for x in (v, q.unit, f"/ {q.per}" if q.per else None) if x)


def _explanations(verdict: dict, lang: str) -> Iterable[str]:
    """The verdict's explanation in `lang` (the claims stage writes en and kk), else in
    English, else whatever it has."""
    ex = verdict.get("explanation")
    if isinstance(ex, dict):
        for key in (lang, "en", "kk"):
            if ex.get(key):
                return [str(ex[key])]
        return [str(v) for v in ex.values() if v][:1]
    if isinstance(ex, (list, tuple)):
        return [str(v) for v in ex if v]
    return [str(ex)] if ex else []


# the translation keys (derek/web/i18n.json) of every label the claim's frame and evidence show
CLAIM_LABEL_KEYS = {
    "frame": "claim.frame", "indicator": "claim.frame.indicator", "geography": "claim.frame.geography",
    "stat_type": "claim.frame.stat_type", "period": "claim.frame.period", "unit": "claim.frame.unit",
    "scope": "claim.frame.scope", "evidence": "claim.evidence", "source": "claim.source",
    "rate": "claim.rate", "conflict": "claim.conflict", "kind": "claim.kind",
}


def claim_frame_evidence_html(claim, lang: str | None = None) -> str:
    """A claim's frame (what its number measures) and the evidence of its verdict (the row
    that checked it, with source, URL and kind; the rates it was converted at; a conflicting
    source; the one-line verdict) as a definition list, labelled in `lang`; '' when the claim
    has neither."""
    L = {name: t(key, lang) for name, key in CLAIM_LABEL_KEYS.items()}
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
        said = line.get(lang or "kk") or line.get("en") or line.get("kk")
        if said:
            parts.append(f'<dd class="verdict-line">{e(said)}</dd>')
    return f'<dl class="claim-evidence">{"".join(parts)}</dl>' if parts else ""


def _claims_html(doc, lang: str) -> str:
    if not doc.claims:
        return ""
    rows = []
    for c in doc.claims:
        v = c.verdict if isinstance(c.verdict, dict) else {}
        status = v.get("status") or ("not_checked" if c.modality == "fact" else c.modality)
        shown = value_name("verdict", status, lang) if v.get("status") or status == "not_checked" \
            else value_name("modality", status, lang)
        badges = f'<span class="badge verdict verdict-{css_class(status)}">{e(shown)}</span>'
        if v.get("diagnosis"):
            badges += (f' <span class="badge diagnosis diagnosis-{css_class(v["diagnosis"])}">'
                       f'{e(value_name("diagnosis", v["diagnosis"], lang))}</span>')
        ref = v.get("reference") if isinstance(v.get("reference"), dict) else None
        ref_html = ""
        if ref:
            what = " ".join(e(ref.get(k)) for k in ("period", "value", "scale", "currency", "unit") if ref.get(k) not in (None, ""))
            ref_html = (f'<div class="ref">{e(t("view.reference", lang))}: {what}'
                        + (f" — {e(ref.get('source'))}" if ref.get("source") else "") + "</div>")
        expl = "".join(f'<p class="explanation">{e(x)}</p>' for x in _explanations(v, lang))
        meta = [e(c.quantity.text if c.quantity else "")]
        if c.period:
            meta.append(f"{e(t('view.period', lang))} {e(c.period)}")
        if c.speaker:
            meta.append(e(c.speaker))
        rows.append(
            f'<li class="claim-card" data-status="{css_class(status)}">{badges} '
            f'<span class="indicator">{e(c.indicator or c.subject or "")}</span>'
            f'<blockquote>{e(c.text)}</blockquote>'
            f'<div class="claim-meta">{" · ".join(x for x in meta if x)}</div>'
            f"{claim_frame_evidence_html(c, lang)}{ref_html}{expl}</li>")
    return f'<section class="claims"><h3>{e(t("view.claims", lang))}</h3><ul>{"".join(rows)}</ul></section>'


def _quotes_html(doc, lang: str) -> str:
    if not doc.quotes:
        return ""
    cards = []
    for q in doc.quotes:
        sp = q.speaker
        who = (sp and (sp.canonical or sp.text)) or t("view.unknown_speaker", lang)
        cards.append(f'<li class="speaker-card"><div class="speaker">{e(who)}</div>'
                     f'<div class="quote-kind">{e(value_name("quote", q.kind, lang))}{" · " + e(q.cue) if q.cue else ""}</div>'
                     f"<blockquote>{e(q.text)}</blockquote></li>")
    return f'<section class="quotes"><h3>{e(t("view.quotes", lang))}</h3><ul>{"".join(cards)}</ul></section>'


def _table(title: str, cls: str, head: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return ""
    th = "".join(f'<th scope="col">{e(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<section class="{cls}"><h3>{e(title)}</h3><table><tr>{th}</tr>{body}</table></section>'


def document_html(doc, inline_style: bool = True, lang: str | None = None) -> str:
    """A self-contained HTML fragment in `lang` (kk by default, en, ru); `inline_style`
    adds the stylesheet (Jupyter), the web page links it instead (its
    Content-Security-Policy forbids inline styles)."""
    lang = lang_or_default(lang)
    m = doc.meta
    meta = " · ".join(e(x) for x in (m.author, m.published, ", ".join(m.reported_by or []) or None) if x)
    legend = sorted({ent.label for ent in doc.entities})
    parts = [
        f'<div class="derek-doc" lang="{lang}">',
        f'<h2 class="headline">{e(m.headline or t("article.no_headline", lang))}</h2>',
        f'<div class="meta">{meta}</div>' if meta else "",
        f'<div class="legend" role="note" aria-label="{e(t("view.legend", lang))}">'
        + "".join(f'<span class="ent ent-{css_class(lab)}">{e(value_name("label", lab, lang))}</span> ' for lab in legend)
        + (f'<span class="qty">{e(t("view.quantity", lang))}</span> ' if doc.quantities else "")
        + (f'<span class="quote">{e(t("view.quote", lang))}</span>' if doc.quotes else "") + "</div>",
        f'<div class="derek-text" role="region" aria-label="{e(t("view.text", lang))}">{highlighted_text(doc, lang)}</div>',
        _claims_html(doc, lang),
        _quotes_html(doc, lang),
        _table(t("view.entities", lang), "entities",
               [t("view.col.label", lang), t("view.col.text", lang), t("view.col.canonical", lang)],
               [[value_name("label", x.label, lang), x.text, x.canonical or ""] for x in doc.entities]),
        _table(t("view.quantities", lang), "quantities",
               [t("view.col.text", lang), t("view.col.value", lang), t("view.col.qualifier", lang)],
               [[q.text, _value(q), value_name("qualifier", q.qualifier, lang)] for q in doc.quantities]),
        _table(t("view.dates", lang), "dates",
               [t("view.col.text", lang), t("view.col.iso", lang), t("view.col.relation", lang)],
               [[d.text, d.iso or "", value_name("relation", d.relation, lang)] for d in doc.dates]),
        "</div>",
    ]
    html = "".join(parts)
    if inline_style:
        css = resources.files("derek.web").joinpath("derek.css").read_text(encoding="utf-8")
        html = f"<style>{css}</style>" + html
    return html
