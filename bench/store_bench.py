#!/usr/bin/env python3
"""Store benchmarks against issue #8: ingest >= 200 articles/s into SQLite, search p95 < 50 ms
over 100k articles synthesised by recombining sentences of real articles.

    python bench/store_bench.py [--small] [--articles N] [--rebuild] [--json]

* The 100k-article SQLite file is built once (bench/store_corpus.py: real news_dev
  articles and the seed analysed once, sentences recombined with every layer shifted),
  by the real ingest path (`derek.store.ingest.ingest` on analysed JSONL, 5,000 lines a
  file), and cached as /tmp/derek-store-bench-v{VERSION}-{N}.sqlite; --rebuild redoes it.
* ingest: 5,000 synthetic analysed documents as `derek batch --out` JSONL into a fresh
  store (the target), the same file again (all skipped), and raw text (analysed during
  ingest, 1 and 2 processes; for information).
* search: a fixed set of 240 queries (single words, inflected forms, several words,
  entity/speaker/indicator/date filters, top entities, entity pages, timelines), one
  warm-up pass, then a timed pass; p50/p95/p99 over it.
--small: 2,000 articles from the seed alone, no cache (a quick check that the bench runs).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_corpus import pool, synthesise  # noqa: E402

VERSION = 1  # bump when the synthesis or the store schema changes: a new cached DB is built
TARGET_INGEST = 200.0
TARGET_SEARCH_P95_MS = 50.0


def cached_db(n: int, small: bool) -> Path:
    return Path(tempfile.gettempdir()) / f"derek-store-bench-v{VERSION}-{'small-' if small else ''}{n}.sqlite"


def write_jsonl(path: Path, units, first: int, count: int) -> None:
    from derek.store.bulk import plain_dict

    with open(path, "w", encoding="utf-8") as fh:
        for i in range(first, first + count):
            fh.write(json.dumps({"id": f"syn{i}", "document": plain_dict(synthesise(units, i))},
                                ensure_ascii=False) + "\n")


def timed_ingest(db: str, paths: list[str], workers: int = 1):
    from derek.store import Store
    from derek.store.ingest import ingest

    with Store(db) as st:
        t0 = time.perf_counter()
        report = ingest(st, paths, workers=workers)
        secs = time.perf_counter() - t0
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed[:3]}")
    return report, secs


def build_db(units, n: int, path: Path, log) -> dict:
    """Ingest n synthetic articles into `path` (chunks of 5,000 JSONL lines)."""
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    spent, added = 0.0, 0
    with tempfile.TemporaryDirectory() as d:
        feed = Path(d) / "part.jsonl"
        for first in range(0, n, 5000):
            write_jsonl(feed, units, first, min(5000, n - first))
            report, secs = timed_ingest(str(tmp), [str(feed)])
            spent += secs
            added += report.added
            log(f"  built {first + min(5000, n - first)}/{n} ({added / spent:.0f} articles/s ingest)")
    import sqlite3

    con = sqlite3.connect(tmp)
    try:  # fold the WAL in, so the cached file stands alone (the store sets WAL again on open)
        con.execute("ANALYZE")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    remove_db(path)
    os.replace(tmp, path)
    return {"articles": added, "seconds": spent}


def remove_db(path: Path) -> None:
    """A SQLite file and its WAL companions (a stale -wal beside a new file corrupts it)."""
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        p.unlink(missing_ok=True)


def ingest_figures(units, small: bool) -> dict:
    n = 1000 if small else 5000
    out = {}
    with tempfile.TemporaryDirectory() as d:
        feed = Path(d) / "analysed.jsonl"
        write_jsonl(feed, units, 10_000_000, n)
        db = str(Path(d) / "ingest.sqlite")
        report, secs = timed_ingest(db, [str(feed)])
        out["analysed_per_s"] = report.added / secs
        out["analysed_n"] = report.added
        report, secs = timed_ingest(db, [str(feed)])
        out["reingest_added"] = report.added
        out["reingest_per_s"] = report.skipped / secs
        raw = Path(d) / "raw.jsonl"
        m = 10 if small else 40
        with open(raw, "w", encoding="utf-8") as fh:
            for i in range(m):
                fh.write(json.dumps({"id": f"raw{i}", "text": synthesise(units, 20_000_000 + i).text},
                                    ensure_ascii=False) + "\n")
        import derek

        derek.analyze("Ресей.")  # pipeline loaded, as in a running ingest
        for workers in (1, 2):
            report, secs = timed_ingest(str(Path(d) / f"raw{workers}.sqlite"), [str(raw)], workers=workers)
            out[f"raw_per_s_{workers}"] = report.added / secs
    return out


def queries(units, small: bool) -> list[tuple[str, str, dict]]:
    """(kind, method, kwargs): a fixed set of 240 queries drawn from the pool (seeded)."""
    from derek.store.terms import WORD, word_terms

    rng = random.Random(8)
    words = Counter(w for u in units for w in WORD.findall(u.text) if len(w) > 2 and not w.isdigit())
    ranked = [w for w, _ in words.most_common()]
    inflected = [w for w in ranked if word_terms(w)[-1] != w.lower()]
    ents = sorted({e.canonical or e.text for u in units for e in u.entities})
    labels = sorted({e.label for u in units for e in u.entities})
    speakers = sorted({q.speaker.canonical or q.speaker.text for u in units for q in u.quotes
                       if q.speaker and (q.speaker.canonical or q.speaker.text)})
    indicators = sorted({c.indicator for u in units for c in u.claims if c.indicator})
    # single words across the frequency range: the 20 commonest, then a spread
    single = ranked[:20] + [ranked[min(len(ranked) - 1, int(len(ranked) * (i / 40) ** 2))] for i in range(1, 41)]
    out = [("word", "search", {"q": w}) for w in single[:60]]
    out += [("inflected", "search", {"q": rng.choice(inflected)}) for _ in range(40)]
    for _ in range(40):
        toks = WORD.findall(rng.choice(units).text)
        k = rng.randint(0, max(0, len(toks) - 3))
        out.append(("words", "search", {"q": " ".join(toks[k:k + rng.choice((2, 3))])}))
    for i in range(30):
        kw = {"entity": rng.choice(ents)}
        if i % 2:
            kw["q"] = rng.choice(ranked[:200])
        out.append(("entity filter", "search", kw))
    for _ in range(10):
        out.append(("speaker filter", "search", {"speaker": rng.choice(speakers)} if speakers else {"q": ranked[0]}))
    for _ in range(10):
        out.append(("indicator filter", "search", {"indicator": rng.choice(indicators or ["trade_turnover"])}))
    for _ in range(10):
        year = rng.randint(2018, 2025)
        out.append(("date filter", "search", {"q": rng.choice(ranked[:100]), "since": str(year), "until": f"{year}-06"}))
    for label in ([None] + labels)[:5]:
        out.append(("top entities", "top_entities", {"n": 20, "label": label}))
    while sum(1 for k, *_ in out if k == "top entities") < 5:
        out.append(("top entities", "top_entities", {"n": 50, "label": None}))
    for _ in range(25):
        out.append(("entity page", "entity", {"canonical": rng.choice(ents)}))
    for _ in range(10):
        out.append(("timeline", "timeline", {"indicator": rng.choice(indicators or ["trade_turnover"])}))
    return out


def run_queries(db: str, qs) -> tuple[list[float], list[float], dict]:
    from derek.store import Store

    with Store(db) as st:
        def once() -> list[float]:
            times = []
            for _kind, method, kw in qs:
                kw = dict(kw)
                pos = [kw.pop("canonical")] if "canonical" in kw else [kw.pop("indicator")] if method == "timeline" else []
                t0 = time.perf_counter()
                getattr(st, method)(*pos, **kw)
                times.append((time.perf_counter() - t0) * 1000)
            return times

        cold = once()
        warm = once()
        hits = {}
        for kind, method, kw in qs[:5]:
            hits[kw.get("q")] = len(st.search(**kw))
    return cold, warm, hits


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="2,000 articles from the seed, no cache (quick check)")
    ap.add_argument("--articles", type=int, default=None)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached corpus store")
    ap.add_argument("--json", action="store_true", help="print a JSON line with the figures too")
    ap.add_argument("--search-only", action="store_true", help="skip the ingest figures")
    args = ap.parse_args(argv)
    n = args.articles or (2000 if args.small else 100_000)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    units = pool(args.small)
    log(f"pool: {len(units)} sentences analysed in {time.perf_counter() - t0:.1f}s")
    path = cached_db(n, args.small)
    built = None
    if args.rebuild or args.small or not path.exists():
        log(f"building {path} ({n} articles)…")
        built = build_db(units, n, path, log)
    figures = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "loadavg": os.getloadavg()[0],
               "articles": n, "db": str(path)}
    if built:
        figures["build_ingest_per_s"] = built["articles"] / built["seconds"]
    if not args.search_only:
        figures.update(ingest_figures(units, args.small))
    qs = queries(units, args.small)
    cold, warm, _ = run_queries(str(path), qs)
    figures.update({"queries": len(qs), "search_p50_ms": pct(warm, 50), "search_p95_ms": pct(warm, 95),
                    "search_p99_ms": pct(warm, 99), "search_max_ms": max(warm),
                    "search_cold_p95_ms": pct(cold, 95)})
    kinds = {}
    for (kind, *_), ms in zip(qs, warm):
        kinds.setdefault(kind, []).append(ms)
    figures["by_kind_ms"] = {k: {"n": len(v), "p50": statistics.median(v), "max": max(v)} for k, v in kinds.items()}
    if args.small:
        remove_db(path)
    report(figures)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return figures


def report(f: dict) -> None:
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    print(f"store bench {f['date']}, load average {f['loadavg']:.2f}, {f['articles']} articles ({f['db']})")
    print(f"{'measure':<44} {'value':>12}  {'target':>10}  met")
    rows = [] if "analysed_per_s" not in f else [
        ("ingest analysed JSONL (articles/s)", f"{f['analysed_per_s']:.0f}", "≥ 200", met(f["analysed_per_s"] >= TARGET_INGEST)),
        ("re-ingest same file (articles/s, added 0)", f"{f['reingest_per_s']:.0f}", "", "added 0" if f["reingest_added"] == 0 else "DUPLICATES"),
        ("ingest raw text, 1 process (articles/s)", f"{f['raw_per_s_1']:.1f}", "info", ""),
        ("ingest raw text, 2 processes (articles/s)", f"{f['raw_per_s_2']:.1f}", "info", ""),
    ]
    rows += [
        (f"search p50 ({f['queries']} queries, ms)", f"{f['search_p50_ms']:.1f}", "", ""),
        ("search p95 (ms)", f"{f['search_p95_ms']:.1f}", "< 50", met(f["search_p95_ms"] < TARGET_SEARCH_P95_MS)),
        ("search p99 (ms)", f"{f['search_p99_ms']:.1f}", "", ""),
        ("search first pass p95 (ms)", f"{f['search_cold_p95_ms']:.1f}", "info", ""),
    ]
    if "build_ingest_per_s" in f:
        rows.insert(1, (f"ingest while building {f['articles']} (articles/s)", f"{f['build_ingest_per_s']:.0f}", "≥ 200",
                        met(f["build_ingest_per_s"] >= TARGET_INGEST)))
    for r in rows:
        print(f"{r[0]:<44} {r[1]:>12}  {r[2]:>10}  {r[3]}")
    for kind, k in f["by_kind_ms"].items():
        print(f"  {kind:<20} n={k['n']:<3} median {k['p50']:7.1f} ms   max {k['max']:7.1f} ms")


if __name__ == "__main__":
    main()
