"""How often each word is capitalised in running text, from the unlabeled corpus.

A word seen capitalised mid-sentence nearly every time is a name (Қазан the city) and one
never capitalised is a common word (қазан the month, or a pot); this carries over to
words the NER training data never saw.  Sentence-initial tokens and all-lowercase sources
are skipped.  Output: word<TAB>bucket (0: never … 4: almost always), for words seen ≥ 3 times.
"""
from __future__ import annotations

import lzma
import re
import sys
from collections import Counter
from pathlib import Path

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|\S", re.UNICODE)
_SENT_START = set(".!?…«\"“–—-:(")
BUCKETS = (0.02, 0.3, 0.7, 0.95)  # upper bounds of buckets 0..3; above is 4


def bucket(ratio: float) -> int:
    for i, b in enumerate(BUCKETS):
        if ratio < b:
            return i
    return len(BUCKETS)


def build(paths: list[Path], out: Path, min_count: int = 3, max_words: int = 150_000) -> None:
    total, cap = Counter(), Counter()
    for p in paths:
        if "lower" in p.name:  # lowercased source: no capitalisation to learn from
            continue
        with lzma.open(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                prev = "."
                for tok in _TOKEN.findall(line):
                    if tok[0].isalpha() and prev not in _SENT_START:
                        low = tok.lower()
                        total[low] += 1
                        if tok[0].isupper():
                            cap[low] += 1
                    prev = tok
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# word\tcapitalised-ratio bucket (0..4), mid-sentence occurrences in the unlabeled corpus\n")
        for w, n in total.most_common(max_words):
            if n < min_count:
                break
            fh.write(f"{w}\t{bucket(cap[w] / n)}\n")


if __name__ == "__main__":
    build(sorted(Path(sys.argv[1]).glob("*.txt.xz")), Path(sys.argv[2]))
