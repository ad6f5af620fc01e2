"""Names and their usual label, from the training data: what the ner stage uses to find the
country or organisation at the head of a POSITION ("Ресей Федерациясының президенті") and
to correct a well-known name the model mislabels in an odd context.

Key: the names' word stems (derek.morph.lemmatize), space-joined; kept when seen ≥ 2 times
with one label in ≥ 80 % of them.  Output TSV: stems<TAB>label<TAB>count<TAB>share.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from derek.training.ner.data import read_iob
from derek.training.ner.metrics import spans

NAME_LABELS = {"PERSON", "ORGANISATION", "GPE", "LOCATION"}


def build(train_file: Path, out: Path, stem, min_count: int = 2, min_share: float = 0.8) -> int:
    labels: dict[str, Counter] = defaultdict(Counter)
    for words, tags in read_iob(train_file):
        for a, b, label in spans(tags):
            key = " ".join(stem(w.lower()) for w in words[a:b])
            labels[key][label] += 1
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# stems\tlabel\tcount\tshare (entity mentions in the training data)\n")
        for key, c in sorted(labels.items()):
            label, k = c.most_common(1)[0]
            total = sum(c.values())
            if label in NAME_LABELS and k >= min_count and k / total >= min_share:
                fh.write(f"{key}\t{label}\t{k}\t{k / total:.2f}\n")
                n += 1
    return n


if __name__ == "__main__":
    from derek.morph import lemmatize

    print(build(Path(sys.argv[1]), Path(sys.argv[2]), lemmatize))
