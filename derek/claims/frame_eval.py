"""Frame accuracy against gold claims (`derek eval claims GOLD_DIR`).

Gold: NNN.txt + NNN.json as in ../shared/data/news_dev*/ (ANNOTATION_SPEC.md): each claim with
a quantity carries `frame` = {indicator, geography, stat_type, period, unit, scope}.  A gold
claim is matched to derek's claim whose quantity overlaps the gold quantity (found after the
claim's sentence start, as the official scorer does); then each slot is compared:

    indicator   derek's family; a gold "other_…" (no statistic series of ours) is right when
                derek names no indicator
    geography   equal, case-insensitive (KZ, KZ-RU, Astana, "North Kazakhstan region")
    stat_type   equal
    period      equal (YYYY, YYYY-Qn, YYYY-MM, A/B, YYYY-MM-DD)
    unit        equal
    scope       total or subset (a gold scope written "subset: …" against anything but derek's "total")

Gold items marked "uncertain" are left out.  A gold claim derek did not find counts against
every slot (found = 0).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SLOTS = ("indicator", "geography", "stat_type", "period", "unit", "scope")


@dataclass
class FrameReport:
    claims: int = 0  # gold claims with a frame
    found: int = 0
    right: dict[str, int] = field(default_factory=lambda: {s: 0 for s in SLOTS})
    errors: list[str] = field(default_factory=list)

    def accuracy(self, slot: str) -> float:
        return self.right[slot] / self.claims if self.claims else 0.0


def _span(text: str, start_words: str | None, surface: str | None) -> tuple[int, int] | None:
    head = text.find(start_words or "") if start_words else -1
    if head < 0:
        return None
    i = text.find(surface, head) if surface else -1
    return (i, i + len(surface)) if i >= 0 else None


def slot_right(slot: str, gold: dict, pred: dict | None) -> bool:
    if pred is None:
        return False
    g, p = gold.get(slot), pred.get(slot)
    if slot == "indicator":
        return p is None if (g or "").startswith("other_") else g == p
    if slot == "scope":
        return (not str(g or "").lower().startswith("subset")) == (p == "total")
    if slot == "geography":
        return str(g or "").lower() == str(p or "").lower()
    return g == p


def evaluate_frames(gold_dir: Path, show_errors: int = 0) -> FrameReport:
    import derek

    golds = sorted(p for p in gold_dir.glob("*.json") if p.with_suffix(".txt").exists())
    texts = [p.with_suffix(".txt").read_text(encoding="utf-8") for p in golds]
    data = [json.loads(p.read_text(encoding="utf-8")) for p in golds]
    metas = [{"published": str(d["published"])} if _is_date(d.get("published")) else {} for d in data]
    report = FrameReport()
    for path, text, gold, doc in zip(golds, texts, data, derek.analyze_many(texts, metas=metas)):
        if isinstance(doc, BaseException):
            raise doc
        claims = [c for c in doc.claims if c.quantity is not None]
        for g in gold.get("claims", []):
            if g.get("uncertain") or not g.get("frame") or not g.get("quantity_surface"):
                continue
            span = _span(text, g.get("sentence_start"), g["quantity_surface"])
            if span is None:
                continue
            report.claims += 1
            hit = next((c for c in claims if c.quantity.start < span[1] and span[0] < c.quantity.end), None)
            pred = hit.frame if hit else None
            report.found += hit is not None
            for slot in SLOTS:
                ok = slot_right(slot, g["frame"], pred)
                report.right[slot] += ok
                if not ok and hit is not None and len(report.errors) < show_errors:
                    report.errors.append(f"{path.stem} {g['quantity_surface']!r} {slot}: gold "
                                         f"{g['frame'].get(slot)!r} got {pred.get(slot)!r}")
    return report


def _is_date(value) -> bool:
    from derek.extract.date_parts import published_date

    if not value:
        return False
    try:
        published_date(str(value))
    except ValueError:
        return False  # a gold "published" that is no calendar date is left out, as the CLI refuses it
    return True
