#!/usr/bin/env python3
"""Verdicts derek gives on unseen text, for reading by hand: a random sample of kk_corpus
paragraphs that mention a statistic, analysed with no publication date; every consistent or
inconsistent claim is printed with the reference row it was checked against.  The corpus is
read in place (nothing is copied); judging the verdicts is the reader's job — this is how the
"Unseen text" figures of docs/claims.md were taken.

    python bench/verdict_audit.py [--seed 7] [--n 800] [--keys инфляция,жалақы,…]
"""
from __future__ import annotations

import argparse
import glob
import lzma
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))
# words of the statistics derek's table covers: a paragraph must name one and hold a digit
KEYS = ("инфляция", "жалақы", "ЖІӨ", "тауар айналым", "астық", "зейнетақы", "жолаушы", "бидай", "теңге")


def paragraphs(keys: tuple[str, ...] = KEYS) -> list[str]:
    files = sorted(glob.glob(str(SHARED / "data" / "kk_corpus" / "*.xz")))
    if not files:
        print(f"verdict_audit: no kk_corpus under {SHARED / 'data'} (set DEREK_SHARED)", file=sys.stderr)
        raise SystemExit(2)
    out = []
    for f in files:
        with lzma.open(f, "rt", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if 80 < len(line) < 1500 and re.search(r"\d", line) and any(k in line for k in keys):
                    out.append(line.strip())
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--n", type=int, default=800, help="paragraphs in the sample")
    ap.add_argument("--keys", default=",".join(KEYS), help="comma-separated words a paragraph must contain one of")
    args = ap.parse_args(argv)
    import derek

    pool = paragraphs(tuple(k for k in args.keys.split(",") if k))
    sample = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    n = 0
    for text in sample:
        for c in derek.analyze(text).claims:
            v = c.verdict or {}
            if v.get("status") not in ("consistent", "inconsistent"):
                continue
            n += 1
            ref = v.get("reference") or {}
            q = c.quantity.text if c.quantity else None
            print(f"{v['status']:<12} {c.indicator} {c.period} ({v.get('period_basis')}) {q!r} | reference "
                  f"{ref.get('value')} {ref.get('period')} | {c.text[:200]}")
    print(f"{n} verdicts in {len(sample)} paragraphs (of {len(pool)} that mention a statistic)")


if __name__ == "__main__":
    main()
