#!/usr/bin/env python3
"""Speed of `derek.analyze`: articles/s and tokens/s on the seed and on news_dev, cold start,
peak memory and time against input size.  Prints one table; run from the repo root:

    python bench/speed.py [--repeat N] [--sizes] [--json]

Ratios and targets are printed in the same run, so machine load affects both sides alike.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "derek" / "examples" / "seed.txt"  # the reference article, shipped as derek's example
NEWS_DEV = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared")) / "data" / "news_dev"


def sized_text(seed: str, target: int) -> str:
    """The seed's paragraphs repeated until the text has `target` UTF-8 bytes (the size curve)."""
    paragraphs = [p for p in seed.split("\n\n") if p.strip()]
    parts, size, i = [], 0, 0
    while size < target:
        p = paragraphs[i % len(paragraphs)]
        parts.append(p)
        size += len(p.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts)


def timed_articles(texts: list[str], repeat: int) -> tuple[float, float]:
    """(articles/s, tokens/s) of analyze over `texts`, best of `repeat` passes, one core."""
    import derek

    derek.analyze(texts[0])  # load models once, as a server or batch worker does
    best, tokens = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        tokens = sum(len(derek.analyze(t).tokens) for t in texts)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best, tokens / best


def cold_start() -> float:
    """Seconds for a fresh interpreter to import derek and analyze the seed (models loaded)."""
    code = ("import time; t=time.perf_counter(); import derek; "
            f"derek.analyze(open({str(SEED)!r}, encoding='utf-8').read()); print(time.perf_counter()-t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(3)]
    return statistics.median(runs)


def size_curve(seed: str) -> list[tuple[int, float]]:
    """Seconds to analyze inputs of ~1 KB .. 1 MB built by repeating the seed's paragraphs."""
    import derek

    out = []
    for target in (1_000, 10_000, 100_000, 1_000_000):
        text = sized_text(seed, target)
        t0 = time.perf_counter()
        derek.analyze(text)
        out.append((len(text.encode("utf-8")), time.perf_counter() - t0))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", action="store_true", help="also time 1 KB → 1 MB inputs")
    ap.add_argument("--json", action="store_true", help="print a JSON line with the figures too")
    args = ap.parse_args()

    seed = SEED.read_text(encoding="utf-8")
    rows: list[tuple[str, str, str]] = []
    figures: dict[str, float] = {}

    cs = cold_start()
    figures["cold_start_s"] = cs
    rows.append(("cold start (import + models + seed)", f"{cs:.2f} s", "≤ 1.0 s"))

    aps, tps = timed_articles([seed] * 20, args.repeat)
    figures.update(seed_articles_per_s=aps, seed_tokens_per_s=tps)
    rows.append(("seed: articles/s (1 core)", f"{aps:.1f}", "≥ 100"))
    rows.append(("seed: tokens/s", f"{tps:,.0f}", ""))

    dev = sorted(NEWS_DEV.glob("*.txt")) if NEWS_DEV.is_dir() else []
    if dev:
        texts = [p.read_text(encoding="utf-8") for p in dev]
        aps, tps = timed_articles(texts, args.repeat)
        figures.update(dev_articles_per_s=aps, dev_tokens_per_s=tps)
        rows.append((f"news_dev ({len(texts)} articles): articles/s", f"{aps:.1f}", "≥ 100"))
        rows.append(("news_dev: tokens/s", f"{tps:,.0f}", ""))
    else:
        rows.append(("news_dev", "skipped (../shared not found)", ""))

    if args.sizes:
        curve = size_curve(seed)
        base_bytes, base_s = curve[1]
        for nbytes, secs in curve:
            figures[f"size_{nbytes}_s"] = secs
            rows.append((f"input {nbytes / 1000:,.0f} KB", f"{secs:.3f} s",
                         f"{secs / base_s / (nbytes / base_bytes):.2f}× linear" if nbytes > base_bytes else ""))

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_rss_mb"] = rss
    rows.append(("peak RSS (this process)", f"{rss:.0f} MB", "≤ 300 MB"))

    w = max(len(r[0]) for r in rows)
    print(f"{'measure':<{w}}  {'value':>16}  target")
    for name, value, target in rows:
        print(f"{name:<{w}}  {value:>16}  {target}")
    if args.json:
        print(json.dumps({k: round(v, 4) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
