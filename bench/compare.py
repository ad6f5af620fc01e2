#!/usr/bin/env python3
"""Before/after speed of two versions of derek, measured interleaved in one run.

    python bench/compare.py REV [--rounds N] [--kinds seed,distinct,seed16,distinct16]

REV is any git revision (HEAD~3, a commit id, a branch).  It is checked out into a temporary
git worktree; then, N rounds of: REV, this working tree, each in a fresh process, through
bench/targets.py's own throughput measurement (CPU time, one core, warmed on the seed).  The
machine is shared and its speed drifts by 10-20 % within an hour, so two figures are only
comparable when taken side by side like this; the table gives every round and the median
ratio (this tree ÷ REV; above 1 is faster).

  seed        the seed analysed 40 times, one at a time (best of 3 passes)
  distinct    200 synthesised seed-sized articles, one at a time, once each
  seed16      the seed in batches of 16 (derek.analyze_many, the path `derek batch` takes)
  distinct16  the distinct articles in batches of 16

Each version is measured with its own bench/targets.py, so REV must have one (2026-11 on).
Exit status 2 with a one-line message when REV or the shared data cannot be found.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))
KINDS = {"seed": ("seed", 40, 3, 1), "distinct": ("distinct", 200, 1, 1),
         "seed16": ("seed", 48, 3, 16), "distinct16": ("distinct", 200, 1, 16)}

_MEASURE = r"""
import json, sys
sys.path.insert(0, "bench")
import targets
kind, n, repeat, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(json.dumps(targets.throughput(kind, n, repeat, batch=batch)))
"""


def fail(message: str) -> None:
    print(f"compare: {message}", file=sys.stderr)
    raise SystemExit(2)


def measure(tree: Path, kind: str) -> float:
    """Articles per CPU-second of the derek in `tree` (its own package, models and bench)."""
    what, n, repeat, batch = KINDS[kind]
    env = dict(os.environ, DEREK_SHARED=str(SHARED), PYTHONPATH=str(tree))
    r = subprocess.run([sys.executable, "-c", _MEASURE, what, str(n), str(repeat), str(batch)],
                       cwd=tree, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
        fail(f"measuring {kind} in {tree} failed: {tail[:200]}")
    return json.loads(r.stdout.strip().splitlines()[-1])["cpu_articles_per_s"]


def worktree(rev: str, where: Path) -> Path:
    r = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), rev],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"cannot check out {rev!r}: {(r.stderr.strip().splitlines() or ['?'])[-1]}")
    return where


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rev", help="the git revision to compare against (the 'before')")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--kinds", default="seed,distinct,seed16,distinct16",
                    help=f"comma-separated, of: {', '.join(KINDS)}")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line too")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        ap.exit(2, f"compare: unknown kind(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(KINDS)}\n")
    if args.rounds < 1:
        ap.exit(2, "compare: --rounds must be at least 1\n")

    with tempfile.TemporaryDirectory(prefix="derek-compare-") as tmp:
        before = worktree(args.rev, Path(tmp) / "before")
        try:
            if not (before / "bench" / "targets.py").is_file():
                fail(f"{args.rev} has no bench/targets.py to measure it with")
            got: dict[str, dict[str, list[float]]] = {k: {"before": [], "after": []} for k in kinds}
            for rnd in range(1, args.rounds + 1):
                for kind in kinds:
                    for label, tree in (("before", before), ("after", ROOT)):
                        got[kind][label].append(measure(tree, kind))
                    b, a = got[kind]["before"][-1], got[kind]["after"][-1]
                    print(f"round {rnd}  {kind:<11} {args.rev}: {b:7.1f}/s   this tree: {a:7.1f}/s   {a / b:5.2f}×",
                          flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                           capture_output=True)
    print(f"\narticles per CPU-second, median of {args.rounds} interleaved rounds")
    print(f"{'kind':<11} {args.rev:>12} {'this tree':>10} {'ratio':>7}")
    out = {}
    for kind in kinds:
        b, a = statistics.median(got[kind]["before"]), statistics.median(got[kind]["after"])
        ratio = statistics.median(x / y for x, y in zip(got[kind]["after"], got[kind]["before"]))
        out[kind] = {"before": got[kind]["before"], "after": got[kind]["after"], "median_ratio": ratio}
        print(f"{kind:<11} {b:12.1f} {a:10.1f} {ratio:6.2f}×")
    if args.json:
        print(json.dumps({"rev": args.rev, "rounds": args.rounds, "kinds": out}))
    return out


if __name__ == "__main__":
    main()
