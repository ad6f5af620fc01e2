#!/usr/bin/env python3
"""CPU milliseconds per pipeline stage on the seed, mean of N warm runs (default 30), or
(--distinct N) over N synthesised seed-sized articles, each analysed once after the seed
(what a fresh worker meets: new word types miss the caches).  CPU time of this process, not
wall time: the machine is shared, and other jobs' load would otherwise swamp differences of
a millisecond.

    python bench/stages.py [--runs N] [--file PATH] [--distinct N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--file", default=str(ROOT / "derek" / "examples" / "seed.txt"))
    ap.add_argument("--distinct", type=int, default=0, metavar="N",
                    help="N distinct seed-sized articles (bench/dask_scaling.synthesise), once each")
    args = ap.parse_args()

    import os

    import derek
    from derek.doc import Document

    # the model a worker would be handed ($DEREK_NER_MODEL, as the command line reads it)
    pipe = derek.load(ner=os.environ.get("DEREK_NER_MODEL") or None)
    text = Path(args.file).read_text(encoding="utf-8")
    pipe.analyze(text)  # load models and warm caches, as a worker does
    texts = [text] * args.runs
    if args.distinct:
        sys.path.insert(0, str(ROOT / "bench"))
        from dask_scaling import synthesise

        texts = [r["text"] for r in synthesise(args.distinct, len(text))]
    total = {st.name: 0.0 for st in pipe.stages}
    for one in texts:
        doc = Document.from_text(one)
        for st in pipe.stages:
            t0 = time.process_time()
            st(doc, pipe.component)
            total[st.name] += time.process_time() - t0
    ms = {k: 1000 * v / len(texts) for k, v in total.items()}
    order = sorted(ms, key=ms.get, reverse=True)
    print(" | ".join(f"{k} {ms[k]:.2f}" for k in order) + f" | total {sum(ms.values()):.2f} ms")


if __name__ == "__main__":
    main()
