"""Lemma evaluation on a CoNLL-U treebank (UD Kazakh-KTB): exact match of derek's lemma
against the gold LEMMA column, per UPOS.  UD writes every lemma lower-case except PROPN;
`lemmatize(form, upos)` follows that convention, so the comparison is exact."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from derek.morph.lemmatizer import lemmatize


def read_conllu(path: Path) -> list[tuple[str, str, str]]:
    """(form, lemma, upos) of every syntactic word (multi-word token lines skipped)."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 10 or not cols[0].isdigit():
                continue
            rows.append((cols[1], cols[2], cols[3]))
    return rows


@dataclass
class Report:
    per_pos: dict[str, tuple[int, int]] = field(default_factory=dict)
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    words_per_s: float = 0.0

    @property
    def total(self) -> int:
        return sum(n for n, _ in self.per_pos.values())

    @property
    def correct(self) -> int:
        return sum(ok for _, ok in self.per_pos.values())

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def nominal(self) -> tuple[int, int]:
        pairs = [self.per_pos.get(p, (0, 0)) for p in ("NOUN", "PROPN")]
        return sum(n for n, _ in pairs), sum(ok for _, ok in pairs)


def evaluate(rows: list[tuple[str, str, str]]) -> Report:
    report = Report()
    counts: dict[str, list[int]] = {}
    t0 = time.perf_counter()
    preds = [lemmatize(form, pos) for form, _, pos in rows]
    dt = time.perf_counter() - t0
    report.words_per_s = len(rows) / dt if dt > 0 else 0.0
    for (form, gold, pos), got in zip(rows, preds):
        c = counts.setdefault(pos, [0, 0])
        c[0] += 1
        if got == gold:
            c[1] += 1
        elif pos in ("NOUN", "PROPN"):
            report.errors.append((form, gold, got, pos))
    report.per_pos = {k: (v[0], v[1]) for k, v in counts.items()}
    return report
