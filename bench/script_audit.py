#!/usr/bin/env python3
"""Script invariance on unseen text: kk_corpus paragraphs that mention a statistic (the pool of
bench/verdict_audit.py), analysed in Cyrillic and transliterated to Latin 2018 and 2021
(derek.text.translit.to_latin); each claim is compared by (value, indicator, status, reason,
modality).  Prints the paragraphs whose claims differ and the counts; a verdict (consistent or
inconsistent) that one script gives and the other does not is what to look at first.

    python bench/script_audit.py [--seed 1] [--n 150]
"""
from __future__ import annotations

import argparse
import random
from collections import Counter

from verdict_audit import paragraphs

VARIANTS = ("latn2018", "latn2021")


def signature(doc) -> Counter:
    return Counter(((c.quantity.value if c.quantity else None), c.indicator, (c.verdict or {}).get("status"),
                    (c.verdict or {}).get("reason"), c.modality) for c in doc.claims)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=150, help="paragraphs in the sample")
    args = ap.parse_args(argv)
    import derek
    from derek.text.translit import to_latin

    pool = paragraphs()
    sample = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    counts: Counter = Counter()
    for text in sample:
        text = "Тақырып\n\n" + text  # a headline line: the paragraph is the body
        cyr = signature(derek.analyze(text))
        counts["claims"] += sum(cyr.values())
        for variant in VARIANTS:
            lat = signature(derek.analyze(to_latin(text, variant)))
            counts[f"{variant} same"] += sum((cyr & lat).values())
            verdicts = [k for k in (cyr - lat) + (lat - cyr) if k[2] in ("consistent", "inconsistent")]
            counts[f"{variant} verdicts differing"] += len(verdicts)
            if cyr != lat:
                print(f"{variant}: Cyrillic only {list((cyr - lat).elements())[:3]}; Latin only "
                      f"{list((lat - cyr).elements())[:3]}\n    {to_latin(text, variant)[9:200]}")
    print(dict(counts))
    return dict(counts)


if __name__ == "__main__":
    main()
