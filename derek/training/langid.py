"""Train and measure the paragraph language model (derek/data/language_ngrams.tsv).

Training-side code: never imported at inference.

    pip install -e ".[langid]"   # wordfreq, for the Russian side
    python -m derek.training.langid train --kk-corpus ../shared/data/kk_corpus --out derek/data/language_ngrams.tsv
    python -m derek.training.langid eval --kk-corpus ../shared/data/kk_corpus --ru RU.conllu [RU2.txt …]

The model is a naive Bayes over character n-grams of words (derek/text/language.py reads it):
weight(g) = log P(g | Kazakh) - log P(g | Russian), with add-one smoothing per n-gram order.
Kazakh counts come from kk_corpus, nine lines in ten (a line's CRC-32 decides, so the tenth is a
held-out test set no run trains on); lines without a single Kazakh letter are left out, since
the corpus has some Russian in it.  Russian counts come from the `wordfreq` package's Russian
word frequencies (news, Wikipedia, subtitles, web; CC BY-SA 4.0), weighted by frequency, so no
Russian text is needed to train and the Russian test text (UD treebanks) stays unseen.  Only
n-grams seen often enough, and whose weight says something, are kept.

`eval` judges held-out Kazakh paragraphs (as written and transliterated into the 2018 and
2021 Latin alphabets by derek's own transliterator, each through the analysis view as the
pipeline builds it) and Russian paragraphs (CoNLL-U `# text` lines or plain text, consecutive
sentences joined until a paragraph has MIN_PARAGRAPH_WORDS words), and prints accuracy.
"""
from __future__ import annotations

import argparse
import lzma
import math
import re
import sys
import zlib
from collections import Counter
from pathlib import Path

from derek.text.language import KK_RU_LETTERS, MAX_ORDER, ngrams

_WORD = re.compile(r"[^\W\d_]+")
_KK_LETTER = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
MIN_PARAGRAPH_WORDS = 20
TEST_SHARE = 10  # one line in TEST_SHARE is held out


def is_test_line(line: str) -> bool:
    return zlib.crc32(line.encode("utf-8")) % TEST_SHARE == 0


def kk_lines(corpus: Path, *, test: bool):
    """(file stem, line) of kk_corpus, the training or the held-out part."""
    for path in sorted(corpus.glob("*.txt.xz")):
        with lzma.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                line = line.strip()
                if line and is_test_line(line) == test:
                    yield path.name.split(".")[0], line


def word_counts_kk(corpus: Path, max_lines: int | None = None) -> Counter:
    counts: Counter = Counter()
    n = 0
    for _, line in kk_lines(corpus, test=False):
        if not _KK_LETTER.search(line):  # Russian lines, or too little to tell
            continue
        counts.update(w for w in (m.lower() for m in _WORD.findall(line)) if _in_alphabet(w))
        n += 1
        if max_lines and n >= max_lines:
            break
    return counts


def word_counts_ru(total: int = 10_000_000) -> Counter:
    """Russian word frequencies from wordfreq, as counts out of `total` tokens."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        sys.exit("training needs wordfreq: pip install -e '.[langid]'")
    counts: Counter = Counter()
    for word, freq in get_frequency_dict("ru").items():
        word = word.lower()
        c = round(freq * total)
        if c and _in_alphabet(word):
            counts[word] += c
    return counts


def _in_alphabet(word: str) -> bool:
    return bool(word) and all(ch in KK_RU_LETTERS for ch in word)


def ngram_counts(words: Counter) -> Counter:
    out: Counter = Counter()
    for w, c in words.items():
        for g in ngrams(w):
            out[g] += c
    return out


def weights(kk: Counter, ru: Counter, min_count: int = 10_000, min_weight: float = 0.05) -> dict[str, float]:
    """log P(g | kk) - log P(g | ru) per n-gram, add-one smoothed within each order, for the
    n-grams seen at least `min_count` times in one language with |weight| >= min_weight."""
    totals = {}
    for order in range(1, MAX_ORDER + 2):
        totals[order] = (sum(c for g, c in kk.items() if _order(g) == order),
                         sum(c for g, c in ru.items() if _order(g) == order))
    vocab = Counter(_order(g) for g in set(kk) | set(ru))
    out = {}
    for g in set(kk) | set(ru):
        a, b = kk.get(g, 0), ru.get(g, 0)
        if max(a, b) < min_count:
            continue
        o = _order(g)
        na, nb = totals[o]
        w = math.log((a + 1) / (na + vocab[o])) - math.log((b + 1) / (nb + vocab[o]))
        if abs(w) >= min_weight:
            out[g] = round(w, 2)
    return out


def _order(gram: str) -> int:
    """The n-gram's order counted in letters and boundary marks alike."""
    return len(gram)


def write_model(model: dict[str, float], out: Path, note: str) -> None:
    lines = [f"# {note}", "# n-gram (^ starts a word, $ ends it)\tlog P(kk) - log P(ru)"]
    lines += [f"{g}\t{w}" for g, w in sorted(model.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- evaluation ---------------------------------------------------------------------------
def paragraphs_from(path: Path, min_words: int = MIN_PARAGRAPH_WORDS, max_words: int = 400) -> list[str]:
    """Russian test paragraphs: CoNLL-U `# text =` sentences (or plain lines) joined in order
    until each has `min_words` words (those over `max_words` dropped)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".conllu":
        sents = [line[len("# text = "):] for line in text.splitlines() if line.startswith("# text = ")]
    else:
        sents = [line.strip() for line in text.splitlines() if line.strip()]
    out, cur = [], []
    for s in sents:
        cur.append(s)
        n = sum(len(_WORD.findall(c)) for c in cur)
        if n >= min_words:
            if n <= max_words:
                out.append(" ".join(cur))
            cur = []
    return out


def kk_test_paragraphs(corpus: Path, per_source: int, min_words: int = MIN_PARAGRAPH_WORDS,
                       max_words: int = 400) -> list[tuple[str, str]]:
    """Up to `per_source` held-out paragraphs of `min_words` to `max_words` words from each
    corpus file."""
    taken: Counter = Counter()
    out = []
    for source, line in kk_lines(corpus, test=True):
        n = len(_WORD.findall(line))
        if taken[source] < per_source and min_words <= n <= max_words:
            out.append((source, line))
            taken[source] += 1
    return out


def paragraph_label(text: str) -> str | None:
    """The label the pipeline gives `text` as a one-paragraph article: its analysis view
    (homoglyphs, Latin transliterated), judged."""
    from derek.text.language import judge
    from derek.text.normalize import build_view

    view, _ = build_view(text)
    return judge(view.text).label


def evaluate(kk: list[tuple[str, str]], ru: list[tuple[str, str]], show: int = 5) -> dict:
    from derek.text.translit import to_latin

    sets = {"kk (Cyrillic)": [(s, t, "kk") for s, t in kk],
            "kk (Latin 2018)": [(s, to_latin(t, "latn2018"), "kk") for s, t in kk],
            "kk (Latin 2021)": [(s, to_latin(t, "latn2021"), "kk") for s, t in kk],
            "ru": [(s, t, "ru") for s, t in ru]}
    report = {}
    for name, items in sets.items():
        got = Counter()
        wrong = []
        for source, text, gold in items:
            label = paragraph_label(text)
            got[label] += 1
            if label != gold:
                wrong.append((source, label, text))
        n = len(items)
        report[name] = {"n": n, "accuracy": round(got[items[0][2]] / n, 4) if n else None,
                        "labels": dict(got)}
        print(f"{name:16} n={n:4}  accuracy {report[name]['accuracy']}  labels {dict(got)}")
        for source, label, text in wrong[:show]:
            print(f"    {source}: {label}: {text[:160]}")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m derek.training.langid", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    tr = sub.add_parser("train", help="count n-grams and write the model")
    tr.add_argument("--kk-corpus", type=Path, required=True)
    tr.add_argument("--out", type=Path, default=Path("derek/data/language_ngrams.tsv"))
    tr.add_argument("--min-count", type=int, default=10_000)
    tr.add_argument("--min-weight", type=float, default=0.05)
    ev = sub.add_parser("eval", help="accuracy on held-out Kazakh and on Russian paragraphs")
    ev.add_argument("--kk-corpus", type=Path, required=True)
    ev.add_argument("--ru", type=Path, nargs="+", required=True, help="CoNLL-U or one-paragraph-per-line files")
    ev.add_argument("--per-source", type=int, default=40, help="held-out Kazakh paragraphs per corpus file")
    ev.add_argument("--min-words", type=int, default=MIN_PARAGRAPH_WORDS)
    ev.add_argument("--max-words", type=int, default=400)
    ev.add_argument("--show", type=int, default=5, help="wrong answers shown per set")
    args = ap.parse_args(argv)
    if args.cmd == "train":
        kk = ngram_counts(word_counts_kk(args.kk_corpus))
        ru = ngram_counts(word_counts_ru())
        model = weights(kk, ru, args.min_count, args.min_weight)
        write_model(model, args.out, "derived by derek/training/langid.py: character n-grams of kk_corpus "
                    "(training part) against wordfreq's Russian word frequencies (CC BY-SA 4.0)")
        print(f"{len(model)} n-grams -> {args.out}")
    else:
        kk = kk_test_paragraphs(args.kk_corpus, args.per_source, args.min_words, args.max_words)
        ru = [(p.name, t) for p in args.ru for t in paragraphs_from(p, args.min_words, args.max_words)]
        evaluate(kk, ru, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
