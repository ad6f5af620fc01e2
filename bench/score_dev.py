#!/usr/bin/env python3
"""Score derek on the gold news sets in one process (fast), through ../shared/tools/score_news.py.

    python bench/score_dev.py                      # news_dev and news_dev2, one summary table
    python bench/score_dev.py news_dev2 --errors quotes,speaker   # and list what went wrong

`score_news.py` runs `derek analyze` once per article (a cold start each); this analyses every
article of a set with `derek.analyze_many`, passing the gold's `published` date as the CLI's
`--published` would, writes the predictions to a temporary folder and hands it to
`score_news.py --pred`, so the numbers are the scorer's own.  --keep DIR keeps the predictions.
--errors prints, per article, the gold items of the named fields that were missed and the
predictions that matched nothing (entities, quotes, speaker, quantities, value, dates, claims,
reported_by), to look at errors by kind.  Needs ../shared (or $DEREK_SHARED).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))
SCORER = SHARED / "tools" / "score_news.py"
FIELDS = ("entities", "quotes", "speaker", "quantities", "value", "dates", "date_iso", "claims",
          "coverage", "reported_by")


def predict(gold_dir: Path, out_dir: Path) -> None:
    import derek

    golds = sorted(p for p in gold_dir.glob("*.json") if p.with_suffix(".txt").exists())
    texts = [p.with_suffix(".txt").read_text(encoding="utf-8") for p in golds]
    from derek.extract.date_parts import published_date

    metas = []
    for p in golds:
        published = json.loads(p.read_text(encoding="utf-8")).get("published")
        try:  # as `derek analyze --published` takes it: a gold "2024-20" keeps its year, with a warning
            metas.append({"published": published_date(published, keep_known=True)} if published else {})
        except ValueError:
            print(f"score_dev: {p.stem}: published {published!r} is no date; analysed without it", file=sys.stderr)
            metas.append({})
    for path, doc in zip(golds, derek.analyze_many(texts, metas=metas)):
        if isinstance(doc, BaseException):
            print(f"FAILED {path.stem}: {doc!r}", file=sys.stderr)
            continue
        (out_dir / path.name).write_text(doc.to_json(), encoding="utf-8")


def score(gold_dir: Path, pred_dir: Path) -> dict:
    out = subprocess.run([sys.executable, str(SCORER), str(gold_dir), "--pred", str(pred_dir)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def show_errors(gold_dir: Path, pred_dir: Path, fields: set[str]) -> None:
    sys.path.insert(0, str(SCORER.parent))
    import score_news as sn  # noqa: E402 - the scorer's own matching

    for gpath in sorted(gold_dir.glob("*.json")):
        ppath = pred_dir / gpath.name
        if not ppath.exists() or not gpath.with_suffix(".txt").exists():
            continue
        text = gpath.with_suffix(".txt").read_text(encoding="utf-8")
        gold, pred = json.loads(gpath.read_text(encoding="utf-8")), json.loads(ppath.read_text(encoding="utf-8"))
        lines = []
        if "entities" in fields:
            gents = [e for e in gold.get("entities", []) if e.get("label") in sn.ENT_LABELS]
            pents = [e for e in pred.get("entities", []) if e.get("label") in sn.ENT_LABELS]
            gsp = sn.locate(text, [e["surface"] for e in gents])
            pairs = sn.match(gsp, [sn.span_of(e) for e in pents])
            gi, pi = {a for a, _ in pairs}, {b for _, b in pairs}
            for a, b in pairs:
                g, p = gents[a], pents[b]
                if g["label"] != p["label"]:
                    lines.append(f"  ent label  {g['surface']!r} gold {g['label']} got {p['label']}")
                elif not sn.same_canonical(p.get("canonical") or p.get("text"), g.get("canonical")):
                    lines.append(f"  canonical  {g['surface']!r} gold {g.get('canonical')!r} got {p.get('canonical')!r}")
            lines += [f"  ent miss   {g['label']:12} {g['surface']!r}" for a, g in enumerate(gents)
                      if a not in gi and not g.get("uncertain")]
            lines += [f"  ent extra  {p['label']:12} {p['text']!r}" for b, p in enumerate(pents) if b not in pi]
        if fields & {"quotes", "speaker"}:
            gq, pq = gold.get("quotes", []), pred.get("quotes", [])
            qs = []
            for q in gq:
                s, e = sn.locate(text, [q.get("quote_start")])[0], sn.locate(text, [q.get("quote_end")])[0]
                qs.append((s[0], e[1]) if s and e and e[1] > s[0] else s)
            pairs = dict(sn.match(qs, [sn.span_of(q) for q in pq]))
            for a, q in enumerate(gq):
                if a not in pairs:
                    lines.append(f"  quote miss {q.get('kind')} {q.get('quote_start')!r} … cue {q.get('cue')!r} by {q.get('speaker')!r}")
                    continue
                got = (pq[pairs[a]].get("speaker") or {}).get("canonical") or ""
                if q.get("speaker") and not sn.same_name(got, q["speaker"]):
                    lines.append(f"  speaker    {q.get('quote_start')!r}: gold {q['speaker']!r} got {got!r}")
            used = set(pairs.values())
            lines += [f"  quote extra {p['kind']} {p['text'][:70]!r}" for b, p in enumerate(pq) if b not in used]
        if fields & {"quantities", "value"}:
            gq, pq = gold.get("quantities", []), pred.get("quantities", [])
            gs = sn.locate(text, [q["surface"] for q in gq])
            pairs = dict(sn.match(gs, [sn.span_of(q) for q in pq]))
            for a, g in enumerate(gq):
                if g.get("uncertain"):
                    continue
                if a not in pairs:
                    lines.append(f"  qty miss   {g['surface']!r} = {g['value']} {g.get('unit')}")
                    continue
                p = pq[pairs[a]]
                try:
                    ok = abs(float(g["value"]) - float(p["value"])) <= 0.005 * abs(float(g["value"]))
                except (TypeError, ValueError):
                    ok = False
                if not ok or p.get("qualifier") != g.get("qualifier"):
                    lines.append(f"  qty value  {g['surface']!r}: gold {g['value']} {g.get('qualifier')} got {p.get('value')} {p.get('qualifier')} ({p['text']!r})")
            used = set(pairs.values())
            lines += [f"  qty extra  {p['text']!r} = {p.get('value')} {p.get('unit')}" for b, p in enumerate(pq) if b not in used]
        if fields & {"dates", "date_iso"}:
            gd, pd = gold.get("dates", []), pred.get("dates", [])
            ds = sn.locate(text, [d["surface"] for d in gd])
            pairs = dict(sn.match(ds, [sn.span_of(d) for d in pd]))
            for a, g in enumerate(gd):
                if a not in pairs and not g.get("uncertain"):
                    lines.append(f"  date miss  {g['surface']!r} {g.get('iso')}")
                elif a in pairs and g.get("iso") and not str(pd[pairs[a]].get("iso") or "").startswith(g["iso"]):
                    lines.append(f"  date iso   {g['surface']!r}: gold {g['iso']} got {pd[pairs[a]].get('iso')}")
            used = set(pairs.values())
            lines += [f"  date extra {p['text']!r}" for b, p in enumerate(pd) if b not in used]
        if "reported_by" in fields:
            want = {sn.norm(x) for x in gold.get("reported_by") or []}
            got = {sn.norm(x) for x in (pred.get("meta") or {}).get("reported_by") or []}
            if want != got:
                lines.append(f"  agencies   gold {sorted(want)} got {sorted(got)}")
        if fields & {"claims", "coverage"}:
            gc, pc = gold.get("claims", []), pred.get("claims", [])
            spans = []
            for c in gc:
                head = sn.locate(text, [c.get("sentence_start")])[0]
                span = head
                if head and c.get("quantity_surface"):
                    i = text.find(c["quantity_surface"], head[0])
                    span = (i, i + len(c["quantity_surface"])) if i >= 0 else head
                spans.append(span)
            pairs = dict(sn.match(spans, [sn.span_of(c.get("quantity") or {}) or sn.span_of(c) for c in pc]))
            for a, c in enumerate(gc):
                if c.get("uncertain"):
                    continue
                known = c.get("checkable") and c.get("truth") in ("consistent", "inconsistent")
                if a not in pairs:
                    if "claims" in fields or known:
                        lines.append(f"  claim miss {c.get('quantity_surface')!r} in {c.get('sentence_start')!r}")
                    continue
                p = pc[pairs[a]]
                verdict = p.get("verdict") or {}
                status = verdict.get("status")
                if status in ("consistent", "inconsistent") and status != c.get("truth"):
                    lines.append(f"  verdict    {c.get('quantity_surface')!r}: gold {c.get('truth')} (checkable {c.get('checkable')}) got {status}")
                elif "coverage" in fields and known and status not in ("consistent", "inconsistent"):
                    # a checkable claim with a known truth left open: what coverage loses
                    lines.append(f"  open       {c.get('quantity_surface')!r}: gold {c.get('truth')} got {status} "
                                 f"({verdict.get('reason')}; frame {(p.get('frame') or {}).get('indicator')}, "
                                 f"{(p.get('frame') or {}).get('period')})")
            used = set(pairs.values())
            if "claims" in fields:
                lines += [f"  claim extra {(p.get('quantity') or {}).get('text') or p['text'][:50]!r}"
                          for b, p in enumerate(pc) if b not in used]
        if lines:
            print(f"{gold_dir.name}/{gpath.stem}")
            print("\n".join(lines))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", default=["news_dev", "news_dev2"], help="gold folders under ../shared/data")
    ap.add_argument("--keep", type=Path, help="keep the predictions here (one folder per set)")
    ap.add_argument("--errors", default="", help=f"comma-separated fields to list errors of: {', '.join(FIELDS)}")
    args = ap.parse_args()
    if not SCORER.exists():
        print(f"score_dev: {SCORER} not found (no ../shared here)", file=sys.stderr)
        return 2
    fields = {f.strip() for f in args.errors.split(",") if f.strip()}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            gold_dir = SHARED / "data" / name
            pred_dir = (args.keep / name) if args.keep else Path(tmp) / name
            pred_dir.mkdir(parents=True, exist_ok=True)
            predict(gold_dir, pred_dir)
            results[name] = score(gold_dir, pred_dir)
            if fields:
                show_errors(gold_dir, pred_dir, fields)
    keys = sorted({k for r in results.values() for k in r if k not in ("articles", "failures")})
    print(f"{'field':30}" + "".join(f"{n:>12}" for n in results))
    for k in keys:
        print(f"{k:30}" + "".join(f"{results[n].get(k, ''):>12}" for n in results))
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
