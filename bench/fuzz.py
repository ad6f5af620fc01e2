#!/usr/bin/env python3
"""Fuzz derek at scale: hypothesis-generated inputs through `derek.analyze` and each stage.

    python bench/fuzz.py --n 100000 [--jobs 2] [--seed 0] [--schema-every 50]

Inputs mix arbitrary Unicode, the fragments derek's rules react to, and mutated slices of
the reference article (tests/robustness/fuzzkit.py).  For every input the default pipeline
runs stage by stage (whatever DEFAULT_STAGES holds now) and every item's offsets are
checked after each stage; every `--schema-every`-th input also goes through the public
`derek.analyze` and the JSON schema check.  Failures do not stop the run: the first input
of each distinct failure (stage, exception, place) is printed with its traceback at the end.
Exit status 1 if anything failed.

    python bench/fuzz.py --hostile [--bytes 400000] [--limit 3]

times hostile inputs (digit runs, separators, quote, dash and bracket runs, a line without
spaces, tables of figures, periodic letter runs: fuzzkit.HOSTILE) against real news text of
the same size, side by side in one process: CPU seconds per byte of each kind over those of
the real text.  The real text is the reference article and the gold news articles beside the
repo (../shared, or $DEREK_SHARED), repeated to size.  Exit status 1 if a kind costs more
than --limit times the real text per byte (issue 21: 3).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "robustness"))


def fuzz_worker(args: tuple[int, int, int, float]) -> dict:
    n, seed, schema_every, max_seconds = args
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    import derek
    from derek.pipeline import Pipeline
    from derek.schema import validate_document
    from fuzzkit import StageError, inputs, run_each_stage

    stages = Pipeline().stages
    state = {"count": 0, "chars": 0, "failures": {}, "deadline": time.monotonic() + max_seconds}

    def record(kind: str, text: str, exc: BaseException) -> None:
        inner = exc.exc if isinstance(exc, StageError) else exc
        frames = traceback.extract_tb(inner.__traceback__)
        place = f"{frames[-1].filename.rsplit('/derek/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
        key = f"{kind} {type(inner).__name__} {place}"
        if key not in state["failures"]:
            state["failures"][key] = {"input": text, "count": 0,
                                      "trace": "".join(traceback.format_exception(inner))[-3000:]}
        state["failures"][key]["count"] += 1

    @hseed(seed)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs)
    def one(text: str) -> None:
        if time.monotonic() > state["deadline"]:
            return
        state["count"] += 1
        state["chars"] += len(text)
        try:
            run_each_stage(text, stages)
        except StageError as exc:
            record(f"stage:{exc.stage}", text, exc)
        except AssertionError as exc:  # offsets broken after a stage
            record(str(exc).split(":")[0], text, exc)
        if state["count"] % schema_every == 0:
            try:
                validate_document(json.loads(derek.analyze(text).to_json(tokens=True)))
            except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                record("analyze+schema", text, exc)

    one()
    return {k: state[k] for k in ("count", "chars", "failures")}


def real_text(size: int) -> str:
    """Real news, `size` bytes: the reference article and the news_dev* articles, repeated."""
    import os

    shared = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))
    paths = [shared / "seed" / "000.txt"] + sorted((shared / "data").glob("news_dev*/*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths if p.is_file()]
    if not texts:
        raise SystemExit(f"fuzz.py: no real articles under {shared} (set DEREK_SHARED)")
    one = "\n\n".join(texts)
    out = one
    while len(out.encode()) < size:
        out += "\n\n" + one
    return out.encode()[:size].decode("utf-8", "ignore")


def hostile(size: int, limit: float) -> int:
    """Per-byte CPU time of each hostile kind over that of real text (measured before and
    after the kinds, the faster of the two kept)."""
    import gc

    import derek
    from fuzzkit import ADVERSARIAL, HOSTILE

    def seconds(text: str) -> float:
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()
            derek.analyze(text)
            return time.process_time() - t0
        finally:
            gc.enable()

    derek.analyze("Жылу: 5 градус.")  # load the models outside the timings
    real = real_text(size)
    base = seconds(real)
    rows = []
    for kind in HOSTILE:
        make = ADVERSARIAL[kind]
        n = size
        text = make(n)
        while len(text.encode()) > size and n > 1:  # size in bytes, not characters
            n = n * size // len(text.encode())
            text = make(n)
        rows.append((kind, len(text.encode()), seconds(text)))
    base = min(base, seconds(real))
    per_real = base / len(real.encode())
    print(f"{'input':20} {'bytes':>9} {'CPU s':>7} {'µs/byte':>8} {'x real':>7}")
    print(f"{'real news':20} {len(real.encode()):9d} {base:7.2f} {per_real * 1e6:8.2f} {1.0:7.2f}")
    worst = 0.0
    for kind, nbytes, secs in rows:
        ratio = secs / nbytes / per_real
        worst = max(worst, ratio)
        flag = "  over the limit" if ratio > limit else ""
        print(f"{kind:20} {nbytes:9d} {secs:7.2f} {secs / nbytes * 1e6:8.2f} {ratio:7.2f}{flag}")
    print(f"worst: x{worst:.2f} the real text's time per byte (limit x{limit:g})")
    return 1 if worst > limit else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="inputs in total (default 100000)")
    ap.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--schema-every", type=int, default=50)
    ap.add_argument("--max-seconds", type=float, default=float("inf"), help="stop each job after this long")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--hostile", action="store_true",
                    help="time hostile inputs against real text per byte instead of fuzzing")
    ap.add_argument("--bytes", type=int, default=400_000, help="size of each --hostile input (bytes)")
    ap.add_argument("--limit", type=float, default=3.0, help="--hostile: worst ratio allowed")
    args = ap.parse_args()
    if args.hostile:
        return hostile(args.bytes, args.limit)

    from derek.pipeline import DEFAULT_STAGES

    jobs = max(1, args.jobs)
    per = [args.n // jobs + (1 if i < args.n % jobs else 0) for i in range(jobs)]
    work = [(k, args.seed * 1000 + i, args.schema_every, args.max_seconds) for i, k in enumerate(per)]
    t0 = time.perf_counter()
    if jobs == 1:
        results = [fuzz_worker(work[0])]
    else:
        with mp.get_context("spawn").Pool(jobs) as pool:
            results = pool.map(fuzz_worker, work)
    seconds = time.perf_counter() - t0
    count = sum(r["count"] for r in results)
    chars = sum(r["chars"] for r in results)
    failures: dict[str, dict] = {}
    for r in results:
        for key, f in r["failures"].items():
            if key in failures:
                failures[key]["count"] += f["count"]
            else:
                failures[key] = f
    summary = {"inputs": count, "chars": chars, "seconds": round(seconds, 1),
               "inputs_per_s": round(count / seconds, 1) if seconds else 0.0,
               "stages": list(DEFAULT_STAGES), "distinct_failures": len(failures),
               "failed_inputs": sum(f["count"] for f in failures.values())}
    if args.json:
        print(json.dumps({**summary, "failures": failures}, ensure_ascii=False, indent=2))
    else:
        print(f"fuzzed {count} inputs ({chars} chars) in {seconds:.0f} s "
              f"({summary['inputs_per_s']}/s) over stages {', '.join(DEFAULT_STAGES)}")
        print(f"distinct failures: {len(failures)}, failing inputs: {summary['failed_inputs']}")
        for key, f in failures.items():
            print(f"\n== {key} (x{f['count']})\ninput: {f['input']!r}\n{f['trace']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
