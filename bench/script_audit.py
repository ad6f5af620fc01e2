#!/usr/bin/env python3
"""Script invariance on unseen text: kk_corpus paragraphs analysed in Cyrillic and
transliterated to Latin 2018 and 2021 (derek.text.translit.to_latin), their layers compared.
A Latin-script article should give what its Cyrillic twin gives, so every difference is an
error of one reading or the other; the Latin side is where derek is weaker, and where to look
first.  Prints the paragraphs that differ and the counts per field.  The variant "homoglyph"
is the Cyrillic text typed with Latin look-alikes (one letter in every fifth word that keeps a
letter only Cyrillic has: "Aлматы" with a Latin A): the analysis must not change at all.

    python bench/script_audit.py [--seed 1] [--n 150] [--pool stats|news]
                                 [--fields claims,entities,quotes,quantities,dates]

Pools: "stats" (default) the paragraphs of bench/verdict_audit.py that mention a statistic;
"news" the news and web paragraphs of kk_corpus (multidomain_subset, adam_cc100).  Fields,
each a multiset compared with the Cyrillic side's words in the Latin variant:
  claims      (value, indicator, verdict status, reason, modality)
  entities    (label, canonical)
  quotes      (speaker's canonical name)
  quantities  (value, unit)
  dates       (ISO value)
"""
from __future__ import annotations

import argparse
import lzma
import random
import re
from collections import Counter

from verdict_audit import SHARED, paragraphs

VARIANTS = ("latn2018", "latn2021")  # and "homoglyph" on request (--variants)
FIELDS = ("claims", "entities", "quotes", "quantities", "dates")
NEWS_FILES = ("multidomain_subset", "adam_cc100")


def news_paragraphs() -> list[str]:
    """Paragraphs of kk_corpus's news and web files, 150 to 1,500 characters."""
    out = []
    for name in NEWS_FILES:
        path = SHARED / "data" / "kk_corpus" / f"{name}.txt.xz"
        if not path.is_file():
            raise SystemExit(f"script_audit: no {path} (set DEREK_SHARED)")
        with lzma.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            out.extend(line.strip() for line in fh if 150 < len(line.strip()) < 1500)
    return out


_TWINS = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
          "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "Х": "X", "Т": "T", "М": "M", "Н": "H"}
_DISTINCT = re.compile("[бвгдєжзийклмнптфцчшщъыьэюяәғқңөұүһБГДЖЗИЙЛПФЦЧШЩЭЮЯӘҒҚҢӨҰҮҺ]")


def with_homoglyphs(text: str) -> str:
    """Every fifth word that keeps a letter with no Latin twin gets one Latin look-alike."""
    words = text.split(" ")
    for k in range(0, len(words), 5):
        w = words[k]
        at = next((i for i, ch in enumerate(w) if ch in _TWINS), None)
        if at is not None and _DISTINCT.search(w[:at] + w[at + 1:]):
            words[k] = w[:at] + _TWINS[w[at]] + w[at + 1:]
    return " ".join(words)


def variant_text(text: str, variant: str) -> str:
    if variant == "homoglyph":
        return with_homoglyphs(text)
    from derek.text.translit import to_latin

    return to_latin(text, variant)


def signature(doc, field: str, spell, surface=lambda s: s) -> Counter:
    """The field's items as comparable tuples; `spell` writes a name as the Latin side would,
    `surface` an entity with no canonical (a number, a date) as the other side would."""
    if field == "claims":
        return Counter(((c.quantity.value if c.quantity else None), c.indicator, (c.verdict or {}).get("status"),
                        (c.verdict or {}).get("reason"), c.modality) for c in doc.claims)
    if field == "entities":
        return Counter((e.label, spell(e.canonical) if e.canonical else surface(e.text)) for e in doc.entities)
    if field == "quotes":
        return Counter((spell(q.speaker.canonical) if q.speaker.canonical else surface(q.speaker.text))
                       if q.speaker else "-" for q in doc.quotes)
    if field == "quantities":
        return Counter((q.value, q.unit) for q in doc.quantities)
    return Counter(d.iso for d in doc.dates)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=150, help="paragraphs in the sample")
    ap.add_argument("--pool", choices=("stats", "news"), default="stats")
    ap.add_argument("--fields", default="claims", help=f"comma-separated, of: {', '.join(FIELDS)}")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--quiet", action="store_true", help="the counts only")
    args = ap.parse_args(argv)
    fields = [f.strip() for f in args.fields.split(",") if f.strip()]
    if any(f not in FIELDS for f in fields):
        ap.error(f"--fields: choose from {', '.join(FIELDS)}")
    import derek
    from derek.text.homoglyphs import repair
    from derek.text.translit import to_latin

    pool = paragraphs() if args.pool == "stats" else news_paragraphs()
    sample = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    counts: Counter = Counter()
    for text in sample:
        text = "Тақырып\n\n" + text  # a headline line: the paragraph is the body
        cyr_doc = derek.analyze(text)
        for variant in (v for v in args.variants.split(",") if v):
            lat_doc = derek.analyze(variant_text(text, variant))
            shown = False
            for field in fields:
                spell = (lambda s: s) if variant == "homoglyph" else (lambda s, v=variant: to_latin(s, v))
                cyr = signature(cyr_doc, field, spell, spell)
                lat = signature(lat_doc, field, lambda s: s, repair if variant == "homoglyph" else (lambda s: s))
                counts[f"{field} items"] += sum(cyr.values())
                counts[f"{field} {variant} differing"] += sum(((cyr - lat) + (lat - cyr)).values())
                if field == "claims":
                    counts[f"claims {variant} verdicts differing"] += sum(
                        1 for k in (cyr - lat) + (lat - cyr) if k[2] in ("consistent", "inconsistent"))
                if cyr != lat and not args.quiet:
                    print(f"{variant} {field}: Cyrillic only {list((cyr - lat).elements())[:4]}; "
                          f"Latin only {list((lat - cyr).elements())[:4]}")
                    shown = True
            if shown:
                print(f"    {variant_text(text, variant)[9:240]}")
    counts = Counter({k: v for k, v in counts.items()})
    for k in sorted(counts):
        if k.endswith("items"):
            counts[k] //= max(1, len([v for v in args.variants.split(",") if v]))
    print(dict(sorted(counts.items())))
    return dict(counts)


if __name__ == "__main__":
    main()
