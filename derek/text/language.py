"""Which language a paragraph is in: Kazakh (kk), Russian (ru), both (mixed) or another (other).

Kazakh news is bilingual: an article may be Russian, or Kazakh with Russian quotes, captions or
boilerplate.  derek's models read Kazakh, so the pipeline needs to know which paragraphs are
Kazakh before it runs them (derek/text/language_stage.py).

The decision reads the analysis view (Cyrillic: Kazakh Latin is already transliterated, so a
Latin-script Kazakh article is judged as the Cyrillic one it reads as).  Every Cyrillic word
gets a score, log P(word | Kazakh) - log P(word | Russian) under a character n-gram model
(1- to 4-grams of the word with its boundaries, derek/data/language_ngrams.tsv, trained by
derek/training/langid.py on kk_corpus and Russian UD treebanks).  The Kazakh letters
(ә ғ қ ң ө ұ ү һ і) weigh heavily, but a Kazakh sentence without them still scores Kazakh by
its endings (-ды, -ке, -мен) and a Russian one by its own (-ого, -ется, щ, ъ).  Words are
scored once and remembered, so a paragraph costs a regular-expression split and a dictionary
look-up per word.

A paragraph is cut at sentence ends, quotation marks and brackets into segments; a segment of
a few words votes with its sum, a shorter one follows the paragraph's overall sum.  Letters
left in the Latin script (the view did not find Kazakh Latin there: English, a Russian
transliteration) or in a Cyrillic alphabet other than Kazakh and Russian (Ukrainian ї є ґ,
Belarusian ў, Serbian ј …) count as `other`.  A paragraph is `mixed` when Kazakh and another
language each hold a real share of its letters (a Kazakh paragraph quoting a Russian sentence);
a paragraph of fewer than MIN_WORDS words is not judged (None) and takes the article's label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LANGUAGES = ("kk", "ru", "mixed", "other")
# languages whose paragraphs derek's Kazakh models read
ANALYSED = frozenset({"kk", "mixed"})
MIN_WORDS = 4  # a shorter paragraph ("Фото: Ақорда", "Читать далее") takes the article's label
MAX_ORDER = 4  # n-gram orders 1..MAX_ORDER over "^word$"
# one word cannot outvote a sentence: a Kazakh name (Тоқаев) in a Russian sentence, a Russian
# word in a Kazakh one
WORD_CLIP = 8.0
# a capitalised word inside a segment is most often a name, and names cross languages (Иван
# Николишин in a Kazakh report, Тоқаев in a Russian one): its vote counts this much
NAME_WEIGHT = 0.2
SEGMENT_WORDS = 3  # a segment of at least this many words votes on its own
MIXED_SHARE = 0.2  # the second language's share of letters that makes a paragraph mixed
MIXED_WORDS = 4  # ... and its least number of words

_WORD = re.compile(r"[^\W\d_]+")
# words, and the marks that end a segment: sentence ends, quotation marks, brackets, line ends
_BREAK_CHARS = ".!?…;«»“”„\"()[]\n"
_TOKEN = re.compile(r"[^\W\d_]+|[.!?…;«»“”„\"()\[\]\n]")
_BREAKS = frozenset(_BREAK_CHARS)
_KK_RU = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


@dataclass(frozen=True)
class Judgement:
    """A paragraph's label (None: too short to tell) and its letters and words per language."""
    label: str | None
    kk: int = 0
    ru: int = 0
    other: int = 0
    kk_words: int = 0
    ru_words: int = 0
    other_words: int = 0


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    from derek.langdata import read_text

    out = {}
    for line in read_text("language_ngrams.tsv").splitlines():
        if line and not line.startswith("#"):
            gram, weight = line.split("\t")
            out[gram] = float(weight)
    return out


def ngrams(word: str):
    """The n-grams (1..MAX_ORDER) of a lower-case word with its boundaries marked: ^ and $."""
    w = f"^{word}$"
    n = len(w)
    for order in range(1, MAX_ORDER + 1):
        for i in range(n - order + 1):
            gram = w[i:i + order]
            if gram != "^" and gram != "$":
                yield gram


_SCORES: dict[str, float | None] = {}  # word as written -> score (None: not Kazakh/Russian Cyrillic)
_MISS = object()


def word_score(word: str) -> float | None:
    """log P(word | kk) - log P(word | ru), clipped to ±WORD_CLIP; None for a word that is
    not written in the Kazakh or Russian alphabet (Latin, Ukrainian, Arabic …).  Remembered
    per word as written (bounded), so a paragraph's known words cost a look-up each."""
    got = _SCORES.get(word, _MISS)
    if got is not _MISS:
        return got
    low = word.lower()
    if _KK_RU.issuperset(low):
        get = _weights().get
        w = f"^{low}$"  # the same n-grams as ngrams(low): "^" and "$" alone have no weight
        n = len(w)
        s = 0.0
        for order in range(1, MAX_ORDER + 1):
            for i in range(n - order + 1):
                s += get(w[i:i + order], 0.0)
        got = max(-WORD_CLIP, min(WORD_CLIP, s))
    else:
        got = None
    if len(_SCORES) >= 200_000:  # bounded: hostile input cannot grow it without end
        _SCORES.clear()
    _SCORES[word] = got
    return got


def judge(text: str) -> Judgement:
    """The language of one paragraph (see the module doc)."""
    segments = []  # (sum of word scores, Kazakh/Russian letters and words, other letters and words)
    total = 0.0
    n_words = 0
    s = 0.0
    letters = words = other = other_words = 0
    memo = _SCORES
    for tok in _TOKEN.findall(text) + ["\n"]:  # the last break closes the last segment
        if tok in _BREAKS:
            if words or other_words:
                n_words += words + other_words
                if other_words <= words:
                    other = other_words = 0  # Latin names inside a Cyrillic sentence: no language
                segments.append((s, letters, words, other, other_words))
                total += s
                s = 0.0
                letters = words = other = other_words = 0
            continue
        if len(tok) == 1 and tok.isupper():  # an initial (А. Смайылов) says nothing
            continue
        score = memo.get(tok, _MISS)
        if score is _MISS:
            score = word_score(tok)
        if score is None:
            other += len(tok)
            other_words += 1
        else:
            s += score * NAME_WEIGHT if words and tok[0].isupper() else score
            letters += len(tok)
            words += 1
    if n_words < MIN_WORDS:
        return Judgement(None)
    count = {"kk": [0, 0], "ru": [0, 0], "other": [0, 0]}  # language -> [letters, words]
    for s, letters, words, other, other_words in segments:
        # a tie is Kazakh: derek reads Kazakh, and a Kazakh paragraph skipped loses its facts
        side = count["ru" if (s if words >= SEGMENT_WORDS else total) < 0 else "kk"]
        side[0] += letters
        side[1] += words
        count["other"][0] += other
        count["other"][1] += other_words
    (kk, kk_w), (ru, ru_w), (other, other_w) = count["kk"], count["ru"], count["other"]
    return Judgement(_label(kk, ru, other, kk_w, ru_w + other_w), kk, ru, other, kk_w, ru_w, other_w)


def _label(kk: int, ru: int, other: int, kk_words: int, foreign_words: int) -> str:
    letters = kk + ru + other
    top = max((kk, "kk"), (ru, "ru"), (other, "other"))[1]
    if top == "kk":
        share, words = ru + other, foreign_words
    else:
        share, words = kk, kk_words
    return "mixed" if share >= MIXED_SHARE * letters and words >= MIXED_WORDS else top


def article_label(judgements: list[Judgement]) -> str:
    """The article's language from its paragraphs' letters: one language when it holds at
    least 95 % of them, else mixed when Kazakh is one of the two, else the larger one."""
    kk = ru = other = 0
    for j in judgements:
        kk += j.kk
        ru += j.ru
        other += j.other
    letters = kk + ru + other
    if not letters:
        return "kk"
    top = max((kk, "kk"), (ru, "ru"), (other, "other"))
    if top[0] >= 0.95 * letters:
        return top[1]
    if kk >= 0.05 * letters:
        return "mixed"
    return top[1]
