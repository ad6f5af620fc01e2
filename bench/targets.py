#!/usr/bin/env python3
"""Every issue-#8 figure this machine can measure, in one run, each beside its target.

    python bench/targets.py [--quick] [--json] [--with-store] [--store-small] [--no-store] [--no-dask]
                             [--dask-articles N]

  cold start         fresh interpreter: import derek + load models + analyze the seed ≤ 1.0 s
  seed articles/s    one core, warm, ≥ 100; measured as CPU time of a fresh process warmed
                     on the seed (time.process_time, what one core delivers) and as wall
                     time (what the shared machine gave); distinct synthesised seed-sized
                     articles too; each one at a time (derek.analyze) and in batches of 16
                     (derek.analyze_many, the path `derek batch` takes); and distinct
                     articles with the opt-in `--ner crf` engine, shown, not judged
  tokens/s           the same runs, tokens of the tokenize layer
  peak RSS           of a fresh process that analyzes inputs up to 1 MB, ≤ 300 MB
  size 1 KB → 1 MB   time per byte at 1 MB ÷ time per byte at 100 KB ≤ 1.5 (linear), 1 MB < 10 s
  Dask 2 vs 1        bench/dask_scaling.py: same batch on 1 and 2 local workers, ≥ 1.8×
  store, API         bench/store_bench.py / bench/api_load.py --json, when those files exist
                     (ingest ≥ 200 articles/s, search p95 < 50 ms, API p99 < 100 ms, 0 errors)

--quick: small sizes (inputs to 100 KB, 200 Dask articles, store/API skipped unless
--with-store) so that a test can run it.  The load average is printed: the project machine is
shared, and wall-time figures fall when other jobs run; CPU-time figures much less so.
Exit status 0 whatever is met (it is a measurement, not a test).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "derek" / "examples" / "seed.txt"  # the reference article, shipped as derek's example
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

COLD_START_S = 1.0
ARTICLES_PER_S = 100
PEAK_RSS_MB = 300
ONE_MB_S = 10.0
LINEAR_MAX = 1.5
DASK_RATIO = 1.8
INGEST_PER_S = 200
SEARCH_P95_MS = 50
API_P99_MS = 100
BATCH = 16  # articles per derek.analyze_many batch, as `derek batch` runs them

_SIZE_SCRIPT = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])  # bench/: the size curve's texts come from speed.sized_text
from speed import sized_text
import derek
seed = open(sys.argv[2], encoding="utf-8").read()
derek.analyze(seed)
out = []
for target in map(int, sys.argv[3:]):
    text = sized_text(seed, target)
    t0, c0 = time.perf_counter(), time.process_time()
    derek.analyze(text)
    out.append((len(text.encode("utf-8")), time.perf_counter() - t0, time.process_time() - c0))
print(json.dumps({"sizes": out, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


_THROUGHPUT_SCRIPT = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])  # bench/: the distinct articles come from dask_scaling.synthesise
import derek
seed = open(sys.argv[2], encoding="utf-8").read()
kind, n, repeat, batch = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
if kind == "seed":
    texts = [seed] * n
else:
    from dask_scaling import synthesise
    texts = [r["text"] for r in synthesise(n, len(seed))]
derek.analyze(seed)  # models loaded and caches warm on the seed, as in a worker
best_cpu = best_wall = float("inf")
for _ in range(repeat):
    c0, t0 = time.process_time(), time.perf_counter()
    if batch > 1:
        docs = list(derek.analyze_many(texts, batch_size=batch))
    else:
        docs = [derek.analyze(t) for t in texts]
    best_cpu = min(best_cpu, time.process_time() - c0)
    best_wall = min(best_wall, time.perf_counter() - t0)
tokens = sum(len(d.tokens) for d in docs)
print(json.dumps({"cpu_articles_per_s": n / best_cpu, "wall_articles_per_s": n / best_wall,
                  "cpu_tokens_per_s": tokens / best_cpu, "wall_tokens_per_s": tokens / best_wall,
                  "cpu_ms_per_article": 1000 * best_cpu / n}))
"""


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.figures: dict[str, object] = {}

    def add(self, name: str, value: str, target: str = "", met: bool | None = None, **figures) -> None:
        self.rows.append((name, value, target, "" if met is None else ("met" if met else "NOT met")))
        self.figures.update(figures)
        if met is not None:
            self.figures.setdefault("met", {})[name] = met

    def note(self, name: str, why: str) -> None:
        self.rows.append((name, why, "", "skipped"))

    def print(self) -> None:
        w = max(len(r[0]) for r in self.rows)
        v = max(len(r[1]) for r in self.rows)
        print(f"{'measure':<{w}}  {'value':>{v}}  {'target':<14} met")
        for name, value, target, met in self.rows:
            print(f"{name:<{w}}  {value:>{v}}  {target:<14} {met}")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cold_start(runs: int) -> float:
    code = ("import time; t=time.perf_counter(); import derek; "
            f"derek.analyze(open({str(SEED)!r}, encoding='utf-8').read()); print(time.perf_counter()-t)")
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True, cwd=ROOT).stdout) for _ in range(runs)]
    return statistics.median(times)


def throughput(kind: str, n: int, repeat: int, batch: int = 1, ner: str = "ensemble") -> dict:
    """Best of `repeat` passes over n articles ("seed": the seed n times; "distinct": n
    synthesised seed-sized articles) in a fresh process warmed on the seed, as a worker is:
    articles/s and tokens/s by CPU and by wall time; batch > 1: through derek.analyze_many;
    `ner`: the NER engine ($DEREK_NER_ENGINE, what `--ner` sets)."""
    env = dict(os.environ, DEREK_NER_ENGINE=ner)
    r = subprocess.run([sys.executable, "-c", _THROUGHPUT_SCRIPT, str(BENCH), str(SEED), kind, str(n),
                        str(repeat), str(batch)], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    return json.loads(r.stdout.strip().splitlines()[-1])


def sizes(targets: list[int]) -> dict:
    r = subprocess.run([sys.executable, "-c", _SIZE_SCRIPT, str(BENCH), str(SEED), *map(str, targets)],
                       capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(r.stdout.strip().splitlines()[-1])


def json_of(cmd: list[str], timeout: int) -> tuple[dict | None, str]:
    """Run another bench with --json; (its last JSON line, '') or (None, why not)."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    for line in reversed(r.stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line), ""
            except ValueError:
                break
    tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
    return None, f"exit {r.returncode}: {tail[:120]}"


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a test")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line too")
    ap.add_argument("--with-store", action="store_true", help="run the store/API benches in --quick mode too")
    ap.add_argument("--store-small", action="store_true", help="run the store/API benches with --small")
    ap.add_argument("--dask-articles", type=int, default=None, help="default 2000 (200 with --quick)")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-store", action="store_true", help="skip the store/API benches")
    args = ap.parse_args(argv)
    quick = args.quick
    t = Table()
    t.figures.update(date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), cores=os.cpu_count(),
                     loadavg_before=load_average(), quick=quick)
    print(f"derek targets (issue #8), {t.figures['date']}, {os.cpu_count()} cores, "
          f"load average {t.figures['loadavg_before']}{', --quick' if quick else ''}", flush=True)

    cs = cold_start(1 if quick else 3)
    t.add("cold start: import + models + seed", f"{cs:.2f} s", f"≤ {COLD_START_S} s", cs <= COLD_START_S,
          cold_start_s=cs)

    tp = throughput("seed", 5 if quick else 40, 1 if quick else 3)
    t.add("seed: articles/s, one core (CPU time)", f"{tp['cpu_articles_per_s']:.1f}", f"≥ {ARTICLES_PER_S}",
          tp["cpu_articles_per_s"] >= ARTICLES_PER_S, seed=tp)
    t.add("seed: articles/s, wall (shared machine)", f"{tp['wall_articles_per_s']:.1f}", "", None)
    t.add("seed: CPU ms per article", f"{tp['cpu_ms_per_article']:.1f}", "≤ 10", None)
    t.add("seed: tokens/s (CPU time)", f"{tp['cpu_tokens_per_s']:,.0f}", "", None)

    n_distinct = 10 if quick else 200
    dt = throughput("distinct", n_distinct, 1)
    t.add(f"{n_distinct} distinct seed-sized articles/s (CPU)", f"{dt['cpu_articles_per_s']:.1f}",
          f"≥ {ARTICLES_PER_S}", dt["cpu_articles_per_s"] >= ARTICLES_PER_S, distinct=dt)
    t.add("distinct: tokens/s (CPU time)", f"{dt['cpu_tokens_per_s']:,.0f}", "", None)
    # the batched path `derek batch` takes (derek.analyze_many, 16 articles a model call)
    tb = throughput("seed", 5 if quick else 48, 1 if quick else 3, batch=BATCH)
    t.add(f"seed in batches of {BATCH}: articles/s (CPU)", f"{tb['cpu_articles_per_s']:.1f}",
          f"≥ {ARTICLES_PER_S}", tb["cpu_articles_per_s"] >= ARTICLES_PER_S, seed_batched=tb)
    db = throughput("distinct", n_distinct, 1, batch=BATCH)
    t.add(f"distinct in batches of {BATCH}: articles/s (CPU)", f"{db['cpu_articles_per_s']:.1f}",
          f"≥ {ARTICLES_PER_S}", db["cpu_articles_per_s"] >= ARTICLES_PER_S, distinct_batched=db)
    # the opt-in fast engine (--ner crf: the feature CRF alone, KazNERD F1 0.878 for 0.892):
    # shown beside the target, not counted as meeting it (the default engine is what is judged)
    dc = throughput("distinct", n_distinct, 1, ner="crf")
    t.add("distinct with --ner crf: articles/s (CPU)", f"{dc['cpu_articles_per_s']:.1f}",
          f"(≥ {ARTICLES_PER_S})", None, distinct_ner_crf=dc)

    curve = sizes([1_000, 10_000, 100_000] + ([] if quick else [1_000_000]))
    pts = curve["sizes"]
    for nbytes, wall, cpu in pts:
        t.add(f"input {nbytes / 1000:,.0f} KB", f"{wall:.3f} s", "", None)
    (b0, w0, c0), (b1, w1, c1) = pts[-2], pts[-1]
    linear = (c1 / b1) / (c0 / b0) if c0 > 0 else float("inf")
    t.add(f"linearity: CPU s/byte {b1 // 1000:,} KB ÷ {b0 // 1000:,} KB", f"{linear:.2f}×", f"≤ {LINEAR_MAX}×",
          linear <= LINEAR_MAX, sizes=pts, linear_ratio=linear)
    if not quick:
        t.add("1 MB input", f"{w1:.2f} s", f"< {ONE_MB_S:.0f} s", w1 < ONE_MB_S, one_mb_s=w1)
    rss = curve["peak_rss_mb"]
    t.add(f"peak RSS (analyze up to {b1 // 1000:,} KB)", f"{rss:.0f} MB", f"≤ {PEAK_RSS_MB} MB",
          rss <= PEAK_RSS_MB, peak_rss_mb=rss)

    if args.no_dask:
        t.note("Dask 2 vs 1 workers", "--no-dask")
    else:
        n = args.dask_articles or (200 if quick else 2000)
        d, why = json_of([sys.executable, str(BENCH / "dask_scaling.py"), "--articles", str(n), "--json"], 1800)
        if d is None:
            t.note("Dask 2 vs 1 workers", why)
        else:
            one, two = d["one"], d["two"]
            t.add(f"Dask {n} articles: 1 worker articles/s", f"{one['articles_per_s']:.1f}", "", None)
            t.add(f"Dask {n} articles: 2 workers articles/s", f"{two['articles_per_s']:.1f}", "", None)
            t.add("Dask 2 vs 1: wall ratio", f"{d['wall_ratio']:.2f}×", f"≥ {DASK_RATIO}×",
                  d["wall_ratio"] >= DASK_RATIO, dask=d)
            t.add("Dask 2 vs 1: CPU ratio (a core each)", f"{d['cpu_ratio']:.2f}×", f"≥ {DASK_RATIO}×",
                  d["cpu_ratio"] >= DASK_RATIO)
            t.add("Dask: worker CPU per article, 2 vs 1", f"{d['cpu_per_article_2_vs_1']:.2f}", "≈ 1", None)
            t.add("Dask: busiest worker's share of the work", f"{d['busiest_share']:.2f}", "≈ 0.5", None)
            t.add("Dask: client CPU s (scheduler + sink), 2 workers", f"{two['client_cpu_s']:.1f} s",
                  f"≪ {two['wall_s']:.0f} s wall", None)
            t.add("Dask: load average before -> after", f"{d['load_before']} -> {d['load_after']}", "", None)

    run_store = (not quick or args.with_store) and not args.no_store
    extra = ["--small"] if (quick or args.store_small) else []
    store = BENCH / "store_bench.py"
    if not store.exists():
        t.note("store: ingest, search", "bench/store_bench.py not present")
    elif not run_store:
        t.note("store: ingest, search", "--no-store" if args.no_store else "--quick (add --with-store)")
    else:
        s, why = json_of([sys.executable, str(store), *extra, "--json"], 3600)
        if s is None:
            t.note("store: ingest, search", why)
        else:
            ing = s.get("analysed_per_s")
            p95 = s.get("search_p95_ms")
            if ing is not None:
                t.add("store: ingest into SQLite, articles/s", f"{ing:.0f}", f"≥ {INGEST_PER_S}",
                      ing >= INGEST_PER_S, store=s)
            if p95 is not None:
                t.add(f"store: search p95 over {s.get('articles', '?'):,} articles", f"{p95:.1f} ms",
                      f"< {SEARCH_P95_MS} ms", p95 < SEARCH_P95_MS)
    api = BENCH / "api_load.py"
    if not api.exists():
        t.note("API p99", "bench/api_load.py not present")
    elif not run_store:
        t.note("API p99", "--no-store" if args.no_store else "--quick (add --with-store)")
    else:
        # a server just started (200 warm-up requests), and one that has already answered
        # another 10,000 of the same mix (popular searches cached; article ids still new)
        for state, warm in (("cold server", []), ("warm server", ["--warm", "2000" if quick else "10000"])):
            a, why = json_of([sys.executable, str(api), *extra, *warm, "--json"], 3600)
            if a is None:
                t.note(f"API p99, {state}", why)
                continue
            ok = a.get("p99_ms", 1e9) < API_P99_MS and a.get("errors", 1) == 0
            t.add(f"API p99, {state}, {a.get('requests', '?')} requests at concurrency {a.get('concurrency', '?')}",
                  f"{a.get('p99_ms', float('nan')):.1f} ms, {a.get('errors', '?')} errors",
                  f"< {API_P99_MS} ms, 0 err", ok, **{"api" if not warm else "api_warm": a})
            # what the p99 does not show (a standing queue serves its newest asks first)
            t.add(f"API {state}: answers over {API_P99_MS:g} ms; slowest",
                  f"{a.get('over_target', '?')}; {a.get('max_ms', float('nan')):.0f} ms", "", None)

    t.figures["loadavg_after"] = load_average()
    print()
    t.print()
    print(f"load average after: {t.figures['loadavg_after']}")
    if args.json:
        print(json.dumps(t.figures, ensure_ascii=False, default=str))
    return t.figures


if __name__ == "__main__":
    main()
