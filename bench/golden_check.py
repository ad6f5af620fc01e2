#!/usr/bin/env python3
"""Output oracle for speed work: analyze a fixed set of texts and save or compare every
document's JSON (tokens included), so an optimisation can be shown to change no output.

    python bench/golden_check.py save   [--dir /tmp/derek_golden]
    python bench/golden_check.py check  [--dir /tmp/derek_golden] [--many]

Texts: the seed, every news_dev article, and pseudo-articles built from lines sampled
deterministically from the kk_corpus (read in place; nothing is copied into the repo).
Two runs per text: the full pipeline, and the pipeline without "ner"/"canonical" (the NER
model may be retrained while this is in use; the no-NER run is the strict check, and a
full-pipeline diff is reported as entity-driven when the entities layer differs too).
--many computes the full-pipeline run with `derek.analyze_many` (batches of 16 articles), so
the batched path can be checked against output saved one article at a time.
"""
from __future__ import annotations

import argparse
import json
import lzma
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))


def corpus_articles(lines_per_file: int = 300, every: int = 7, per_article: int = 12) -> list[tuple[str, str]]:
    out = []
    for path in sorted((SHARED / "data" / "kk_corpus").glob("*.txt.xz")):
        picked = []
        with lzma.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            for i, line in enumerate(fh):
                if len(picked) >= lines_per_file // every:
                    break
                if i % every == 0 and line.strip():
                    picked.append(line.rstrip("\n"))
        for k in range(0, len(picked), per_article):
            out.append((f"{path.name}#{k}", "\n\n".join(picked[k:k + per_article])))
    return out


def texts() -> list[tuple[str, str]]:
    items = [("seed", (ROOT / "derek" / "examples" / "seed.txt").read_text(encoding="utf-8"))]
    for p in sorted((SHARED / "data" / "news_dev").glob("*.txt")):
        items.append((f"news_dev/{p.name}", p.read_text(encoding="utf-8")))
    items += corpus_articles()
    return items


def outputs(many: bool = False) -> dict[str, dict]:
    import derek
    from derek.pipeline import DEFAULT_STAGES

    no_ner = [s for s in DEFAULT_STAGES if s not in ("ner", "canonical")]
    items = texts()
    if many:
        full = list(derek.analyze_many([text for _, text in items], batch_size=16))
    else:
        full = [derek.analyze(text) for _, text in items]
    res = {}
    for (name, text), doc in zip(items, full):
        res[name] = {"full": json.loads(doc.to_json(tokens=True)),
                     "no_ner": json.loads(derek.analyze(text, stages=no_ner).to_json(tokens=True))}
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("save", "check"))
    ap.add_argument("--dir", default="/tmp/derek_golden")
    ap.add_argument("--many", action="store_true", help="full pipeline through derek.analyze_many")
    args = ap.parse_args()
    path = Path(args.dir) / "golden.json"
    if args.mode == "check" and not path.is_file():
        ap.error(f"no saved outputs at {path}: run `save --dir {args.dir}` first, before the change")
    got = outputs(args.many)
    if args.mode == "save":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        print(f"saved {len(got)} documents to {path}")
        return 0
    want = json.loads(path.read_text(encoding="utf-8"))
    strict_bad, entity_bad = 0, 0
    for name in want:
        w, g = want[name], got.get(name)
        if g is None:
            print(f"MISSING {name}"); strict_bad += 1; continue
        if w["no_ner"] != g["no_ner"]:
            layers = [k for k in w["no_ner"] if w["no_ner"][k] != g["no_ner"].get(k)]
            print(f"DIFF no_ner {name}: {layers}"); strict_bad += 1
        if w["full"] != g["full"]:
            layers = [k for k in w["full"] if w["full"][k] != g["full"].get(k)]
            if "entities" in layers:
                print(f"diff full {name} (entities changed, NER retrain?): {layers}"); entity_bad += 1
            else:
                print(f"DIFF full {name}: {layers}"); strict_bad += 1
    print(f"{len(want)} documents: {strict_bad} strict differences, {entity_bad} entity-driven")
    return 1 if strict_bad else 0


if __name__ == "__main__":
    sys.exit(main())
