#!/usr/bin/env python3
"""Speed, load time and size of the shipped NER model, on one core.

    python bench/ner_speed.py [--file IOB2] [--repeat N] [--json]

Tags the KazNERD test file when ../shared is present (else the seed article's sentences,
repeated).  Two numbers: cold (every word type new: feature cache empty, as for the first
article) and warm (cache filled, as in a long-running worker).  Each is given per second of
wall time and per second of this process's CPU time: on a shared, busy machine the wall
clock counts other programs' time too, and the CPU-time rate is what one free core does.
Load time is measured in a fresh interpreter so imports count.  Sentences are tagged 25 at
a time (an article, as the ner stage batches them).  $DEREK_NER_MODEL names another model dir.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))
TEST = SHARED / "data" / "kaznerd" / "IOB2_test.txt"
SEED = ROOT / "derek" / "examples" / "seed.txt"  # the reference article, shipped as derek's example
ARTICLE = 25  # sentences per call: a news article (the seed has 26)


def sentences(path: Path | None) -> tuple[list[list[str]], str]:
    if path and path.is_file():
        from derek.training.ner.data import read_iob

        return [w for w, _ in read_iob(path)], path.name
    text = SEED.read_text(encoding="utf-8")
    sents = [re.findall(r"\w+(?:[-'’]\w+)*|\S", s) for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return sents * 50, "seed x50"


def load_seconds() -> float:
    code = ("import time; t=time.perf_counter(); c=time.process_time(); from derek.ner.tagger import NerTagger; "
            "import os; NerTagger.load(os.environ.get('DEREK_NER_MODEL') or None); print(time.perf_counter()-t, time.process_time()-c)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return tuple(float(x) for x in out.stdout.split())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, default=TEST)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    from derek.ner.tagger import NerTagger, default_model_dir

    sents, name = sentences(args.file)
    n_tok = sum(map(len, sents))
    tagger = NerTagger.load(os.environ.get("DEREK_NER_MODEL") or None)

    def one_pass() -> tuple[float, float]:
        # an article's worth of sentences per call, as the pipeline's ner stage tags them
        t, c = time.perf_counter(), time.process_time()
        for a in range(0, len(sents), ARTICLE):
            tagger.tag_sentences(sents[a:a + ARTICLE])
        return n_tok / (time.perf_counter() - t), n_tok / (time.process_time() - c)

    cold, cold_cpu = one_pass()
    warm = warm_cpu = 0.0
    for _ in range(args.repeat):
        w, wc = one_pass()
        warm, warm_cpu = max(warm, w), max(warm_cpu, wc)
    d = Path(os.environ.get("DEREK_NER_MODEL") or default_model_dir())
    load = load_seconds()
    size = sum(p.stat().st_size for p in d.iterdir() if p.is_file())
    res = {"data": name, "tokens": n_tok, "cold_tokens_per_s": round(cold), "warm_tokens_per_s": round(warm),
           "cold_tokens_per_cpu_s": round(cold_cpu), "warm_tokens_per_cpu_s": round(warm_cpu),
           "load_avg_1min": round(os.getloadavg()[0], 1),
           "load_s": round(load[0], 3), "load_cpu_s": round(load[1], 3), "model_mb": round(size / 1e6, 2),
           "largest_file_mb": round(max(p.stat().st_size for p in d.iterdir() if p.is_file()) / 1e6, 2)}
    if args.json:
        print(json.dumps(res))
        return
    for k, v in res.items():
        print(f"{k:<20} {v}")
    print(f"target >= 50,000 tokens/s on one core (cold, per CPU second): "
          f"{'ok' if cold_cpu >= 50_000 else 'MISSED'}; load <= 1 s (CPU): {'ok' if res['load_cpu_s'] <= 1 else 'MISSED'}; "
          f"each file <= 30 MB: {'ok' if res['largest_file_mb'] <= 30 else 'MISSED'}")


if __name__ == "__main__":
    main()
