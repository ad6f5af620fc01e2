"""A large synthetic corpus for the store benchmarks, built from real analysed sentences.

The pool: real articles (../shared/data/news_dev/*.txt and the seed, derek/examples/seed.txt) analysed
once.  Each sentence becomes a unit carrying the layer items that lie inside it
(entities, quantities, dates, quotes whose speaker is inside too, claims with their
quantity).  A synthetic article is a headline sentence plus 6–24 body sentences drawn at
random (seeded by the article's number) and grouped into paragraphs; every item is
copied with its offsets shifted to where its sentence lands, so the documents satisfy
the contract (`text[start:end] == item.text`) without running the pipeline 100k times.
The article text is read only from ../shared at run time; nothing is copied into the repo.
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "derek" / "examples" / "seed.txt"  # the reference article, shipped as derek's example
NEWS_DEV = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared")) / "data" / "news_dev"
OUTLETS = ["kazinform.kz", "tengrinews.kz", "inbusiness.kz", "kapital.kz", "egemen.kz", "24.kz", "zakon.kz", "ulysmedia.kz"]


@dataclass
class Unit:
    text: str
    entities: list
    quantities: list
    dates: list
    quotes: list
    claims: list


def source_texts(small: bool = False) -> list[str]:
    paths = [SEED] + ([] if small else sorted(NEWS_DEV.glob("*.txt")))
    return [p.read_text(encoding="utf-8") for p in paths]


def _shift(item, delta: int):
    return replace(item, start=item.start + delta, end=item.end + delta)


def units_of(doc) -> list[Unit]:
    """One Unit per sentence, items rebased to the sentence start."""
    out = []
    for s in doc.sentences:
        inside = lambda it: s.start <= it.start and it.end <= s.end  # noqa: E731
        quotes = []
        for q in doc.quotes:
            if not inside(q):
                continue
            sp = q.speaker
            if sp is not None and sp.start is not None and not inside(sp):
                continue
            nq = _shift(q, -s.start)
            if sp is not None and sp.start is not None:
                nq.speaker = _shift(sp, -s.start)
            quotes.append(nq)
        claims = []
        for c in doc.claims:
            if inside(c) and (c.quantity is None or inside(c.quantity)):
                nc = _shift(c, -s.start)
                nc.quantity = c.quantity and _shift(c.quantity, -s.start)
                claims.append(nc)
        text = doc.text[s.start:s.end]
        if not text.strip() or "\n" in text:
            continue
        out.append(Unit(text, [_shift(e, -s.start) for e in doc.entities if inside(e)],
                        [_shift(q, -s.start) for q in doc.quantities if inside(q)],
                        [_shift(d, -s.start) for d in doc.dates if inside(d)], quotes, claims))
    return out


def pool(small: bool = False) -> list[Unit]:
    import derek

    units = []
    for text in source_texts(small):
        units.extend(units_of(derek.analyze(text)))
    return units


def synthesise(units: list[Unit], n: int):
    """The n-th synthetic Document (deterministic in n)."""
    from derek.doc import Document, Meta, Paragraph, Sentence
    from derek.text.view import TextView

    rng = random.Random(n)
    picks = [rng.choice(units) for _ in range(rng.randint(7, 25))]
    groups = [[picks[0]]]  # the headline, then body paragraphs of 1-5 sentences
    rest = picks[1:]
    while rest:
        k = rng.randint(1, 5)
        groups.append(rest[:k])
        rest = rest[k:]
    doc = Document.from_text("")
    parts: list[str] = []
    pos = 0
    for g, group in enumerate(groups):
        if g:
            parts.append("\n\n")
            pos += 2
        para_start = pos
        for k, unit in enumerate(group):
            if k:
                parts.append(" ")
                pos += 1
            start = pos
            parts.append(unit.text)
            pos += len(unit.text)
            doc.sentences.append(Sentence(start, pos))
            doc.entities += [_shift(e, start) for e in unit.entities]
            doc.quantities += [_shift(q, start) for q in unit.quantities]
            doc.dates += [_shift(d, start) for d in unit.dates]
            for q in unit.quotes:
                nq = _shift(q, start)
                if q.speaker is not None and q.speaker.start is not None:
                    nq.speaker = _shift(q.speaker, start)
                doc.quotes.append(nq)
            for c in unit.claims:
                nc = _shift(c, start)
                nc.quantity = c.quantity and _shift(c.quantity, start)
                doc.claims.append(nc)
        doc.paragraphs.append(Paragraph(para_start, pos, "headline" if g == 0 else "body"))
    doc.text = "".join(parts)
    doc.view = TextView.identity(doc.text)
    outlet = OUTLETS[n % len(OUTLETS)]
    year = 2018 + n % 8
    doc.meta = Meta(headline=picks[0].text, published=f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    source=f"https://{outlet}/news/{n}")
    return doc
