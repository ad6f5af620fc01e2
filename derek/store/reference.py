"""Reference statistics beside claimed values in a timeline.

The claims stage owns the reference table (derek/data/reference_stats.csv, extended by
`derek stats import`); derek.claims.reference.load_table() gives both, so user-imported
series show up too.  Without the claims package the packaged CSV is read directly.
"""
from __future__ import annotations

import csv
import io
from typing import Any


def _load_rows() -> list[dict[str, Any]]:
    try:  # the claims stage's table: packaged rows plus `derek stats import`ed ones
        from derek.claims.reference import load_table

        return [r.to_dict() for r in load_table().rows]
    except ImportError:
        pass
    try:
        from derek.langdata import read_text

        text = read_text("reference_stats.csv")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return []
    return list(csv.DictReader(io.StringIO(text)))


def indicator_matches(name: str | None, wanted: str) -> bool:
    """`trade_turnover` names kz_ru_trade_turnover; an exact id names itself."""
    return bool(name) and (name == wanted or name.endswith("_" + wanted))


def reference_for(indicator: str) -> list[dict[str, Any]]:
    out = []
    for row in _load_rows():
        if not indicator_matches(row.get("indicator"), indicator):
            continue
        out.append({
            "indicator": row.get("indicator"),
            "period": str(row.get("period") or ""),
            "value": _num(row.get("value")),
            "value_max": _num(row.get("value_max")),
            "qualifier": row.get("qualifier") or "exact",
            "scale": row.get("scale") or None,
            "unit": row.get("unit") or None,
            "currency": row.get("currency") or None,
            "source": row.get("source") or None,
            "url": row.get("url") or None,
        })
    out.sort(key=lambda r: r["period"])
    return out


def _num(v) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None
