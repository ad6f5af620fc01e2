"""Derive the stem lexicon (derek/data/kk_stems.tsv) from the unlabeled Kazakh corpus.

Training-side code: never imported at inference.  Two steps:
1. count lower-cased Cyrillic word types in ../shared/data/kk_corpus/*.txt.xz;
2. run the suffix-table analyzer over every type and give each candidate stem a
   *paradigm score*: the number of distinct attested word forms (stem itself included)
   that the tables can build from it, weighted by log frequency.  A real stem such as
   "алматы" is seen with many endings (алматыда, алматыға, алматының …); a false stem such
   as "алмат" is not, which is what lets the lemmatizer choose between analyses.
Only the derived word list (stem, score) is shipped, never corpus text.
"""
from __future__ import annotations

import lzma
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

_WORD = re.compile(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]+(?:-[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]+)*|[.!?…:;«»\"—–-]")
_SENT_END = set('.!?…:«"—–-')
CAP = "^"  # counts of capitalised, sentence-internal occurrences are kept under "^word"


def count_words(paths: list[Path]) -> Counter:
    """Lower-case type counts, plus "^type" counts of capitalised occurrences that are
    not sentence-initial (evidence that the word is a proper name)."""
    counts: Counter = Counter()
    for path in paths:
        with lzma.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                initial = True
                for tok in _WORD.findall(line):
                    if tok in _SENT_END or len(tok) == 1 and not tok.isalpha():
                        initial = True
                        continue
                    low = tok.lower()
                    counts[low] += 1
                    if not initial and tok[0].isupper():
                        counts[CAP + low] += 1
                    initial = False
    return counts


def write_counts(counts: Counter, path: Path, min_count: int = 2) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for w, c in counts.most_common():
            if c < min_count:
                break
            fh.write(f"{w}\t{c}\n")


def read_counts(path: Path) -> Counter:
    counts: Counter = Counter()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            w, c = line.rstrip("\n").split("\t")
            counts[w] = int(c)
    return counts


def paradigm_scores(counts: Counter) -> dict[str, tuple[float, float]]:
    """stem -> (sum over attested forms built from it of log(1 + freq),
    the same over capitalised sentence-internal occurrences)."""
    from derek.morph.analyzer import analyze_lower

    forms: dict[str, set[str]] = defaultdict(set)
    for word in counts:
        if word.startswith(CAP):
            continue
        for a in analyze_lower(word, alternations=True):
            if counts.get(a.stem, 0) >= 2:  # a stem is a word attested on its own
                forms[a.stem].add(word)
    return {stem: (sum(math.log1p(counts[w]) for w in ws),
                   sum(math.log1p(counts.get(CAP + w, 0)) for w in ws))
            for stem, ws in forms.items()}


def write_lexicon(scores: dict[str, tuple[float, float]], counts: Counter, path: Path,
                  min_score: float = 3.0, max_entries: int = 120_000) -> int:
    keep = [(s, v) for s, v in scores.items() if v[0] >= min_score]
    keep.sort(key=lambda sv: (-sv[1][0], sv[0]))
    keep = keep[:max_entries]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# stem\tparadigm score\tscore of capitalised uses — derived by "
                 "derek/training/stem_lexicon.py from kk_corpus counts\n")
        for s, (v, c) in sorted(keep):
            fh.write(f"{s}\t{v:.0f}\t{c:.0f}\n")
    return len(keep)


def adjective_list(counts: Counter, endings: tuple[str, ...], max_poss_share: float = 0.05,
                   min_count: int = 3) -> list[str]:
    """Words with an adjective-like ending (-лық, -ғы …) that almost never take a possessive:
    экономикалық, ұлттық are adjectives; азаттық, тәуелсіздік (азаттығы, тәуелсіздігі) are
    nouns.  The canonical stage keeps an izafet -ы after nouns only."""
    from derek.morph.analyzer import analyze_lower

    total: Counter = Counter()
    poss: Counter = Counter()
    for word, n in counts.items():
        if word.startswith(CAP):
            continue
        for a in analyze_lower(word):
            if a.stem.endswith(endings) and counts.get(a.stem, 0) >= min_count:
                total[a.stem] += n
                if "POSS3" in a.tags:
                    poss[a.stem] += n
    return sorted(w for w, n in total.items() if poss[w] <= max_poss_share * n)


def verb_root_scores(counts: Counter) -> dict[str, float]:
    """root -> sum of log(1 + freq) over attested words that are root + a verb ending
    directly (no voice or negation in between): a verb root is seen with many endings."""
    from derek.morph.verbs import root_variants, verb_tables

    endings = verb_tables()[0]
    forms: dict[str, set[str]] = defaultdict(set)
    for word in counts:
        if word.startswith(CAP):
            continue
        for e in endings:
            if word.endswith(e) and len(word) - len(e) >= 2:
                for root in root_variants(word[: -len(e)], e):
                    forms[root].add(word)
    return {r: sum(math.log1p(counts[w]) for w in ws) for r, ws in forms.items() if len(ws) >= 4}


def write_verb_roots(scores: dict[str, float], path: Path, min_score: float = 12.0) -> int:
    keep = sorted((r, v) for r, v in scores.items() if v >= min_score)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# verb root\tscore of its attested verbal forms — derived by "
                 "derek/training/stem_lexicon.py from kk_corpus counts\n")
        for r, v in keep:
            fh.write(f"{r}\t{v:.0f}\n")
    return len(keep)


def main(argv: list[str]) -> None:
    corpus = Path(argv[0]) if argv else Path("../shared/data/kk_corpus")
    counts_path = Path(argv[1]) if len(argv) > 1 else Path("/tmp/kk_wordcounts.tsv")
    out = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parents[1] / "data" / "kk_stems.tsv"
    if counts_path.exists():
        counts = read_counts(counts_path)
    else:
        counts = count_words(sorted(corpus.glob("*.txt.xz")))
        write_counts(counts, counts_path)
        counts = read_counts(counts_path)
    n = write_lexicon(paradigm_scores(counts), counts, out)
    print(f"{len(counts)} word types -> {n} stems in {out}")
    from derek.morph.grammar import adjective_endings

    adj = adjective_list(counts, adjective_endings())
    aout = out.with_name("kk_adjectives.txt")
    aout.write_text("# adjectives (derived by derek/training/stem_lexicon.py from kk_corpus counts)\n"
                    + "\n".join(adj) + "\n", encoding="utf-8")
    print(f"{len(adj)} adjectives in {aout}")
    vout = out.with_name("kk_verb_roots.tsv")
    n = write_verb_roots(verb_root_scores(counts), vout)
    print(f"{n} verb roots in {vout}")


if __name__ == "__main__":
    main(sys.argv[1:])
