"""Entity-level exact-match scores, seqeval-style (IOB2, default non-strict mode).

An entity starts at B-X, or at I-X that follows a different type or O (seqeval's lenient
reading of ill-formed IOB2), and ends before the next B, O or change of type.  A predicted
entity counts only when start, end and type all match a gold one.
"""
from __future__ import annotations

from collections import Counter

from derek.ner.tagger import iob_spans


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entities of a tag sequence, read exactly as the tagger reads its own output."""
    return set(iob_spans(tags))


def score(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """-> {label: {p, r, f1, support}} plus 'micro' over all labels."""
    tp, n_gold, n_pred = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(g), spans(p)
        for s in gs:
            n_gold[s[2]] += 1
        for s in ps:
            n_pred[s[2]] += 1
        for s in gs & ps:
            tp[s[2]] += 1
    table = {}
    for lab in sorted(set(n_gold) | set(n_pred)):
        table[lab] = _prf(tp[lab], n_pred[lab], n_gold[lab])
    table["micro"] = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return table


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "support": ngold}


def format_table(table: dict[str, dict[str, float]], labels: list[str] | None = None) -> str:
    labels = labels or [k for k in table if k != "micro"]
    lines = [f"{'label':<16}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for lab in labels:
        row = table.get(lab, {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 0})
        lines.append(f"{lab:<16}{row['p']:8.4f}{row['r']:8.4f}{row['f1']:8.4f}{row['support']:9d}")
    m = table["micro"]
    lines.append(f"{'micro avg':<16}{m['p']:8.4f}{m['r']:8.4f}{m['f1']:8.4f}{m['support']:9d}")
    lines.append(f"micro-F1 {m['f1']:.4f}")
    return "\n".join(lines)
