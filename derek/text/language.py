"""Which language a paragraph is in: Kazakh (kk), Russian (ru), both (mixed) or another (other).

Kazakh news is bilingual: an article may be Russian, or Kazakh with Russian quotes, captions or
boilerplate.  derek's models read Kazakh, so the pipeline needs to know which paragraphs are
Kazakh before it runs them (derek/text/language_stage.py).

The decision reads the analysis view (Cyrillic: Kazakh Latin is already transliterated, so a
Latin-script Kazakh article is judged as the Cyrillic one it reads as).  Every Cyrillic word
gets a score, log P(word | Kazakh) - log P(word | Russian) under a character n-gram model
(1- to 4-grams of the word with its boundaries, derek/data/language_ngrams.tsv, trained by
derek/training/langid.py on kk_corpus against wordfreq's Russian word frequencies), clipped
to [-RU_CLIP, KK_CLIP]; a capitalised word (a name, most often) counts NAME_WEIGHT of it unless
it is spelt with a Kazakh letter.  The Kazakh letters (ә ғ қ ң ө ұ ү һ і) weigh heavily, but a
Kazakh sentence without them still scores Kazakh by its endings (-ды, -ке, -мен) and a Russian
one by its own (-ого, -ется, щ, ъ).  Words are scored once and remembered, so a paragraph costs
a regular-expression split and a dictionary look-up per word.

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

from derek.text.alphabet import KAZAKH_ONLY, KK_RU_LOWER

LANGUAGES = ("kk", "ru", "mixed", "other")
# languages whose paragraphs derek's Kazakh models read
ANALYSED = frozenset({"kk", "mixed"})
MIN_WORDS = 4  # a shorter paragraph ("Фото: Ақорда", "Читать далее") takes the article's label
MAX_ORDER = 4  # n-gram orders 1..MAX_ORDER over "^word$"
# One word cannot outvote a sentence.  The clip is lopsided: a word in Kazakh spelling is
# near-certain evidence (Russian text writes Kazakh names the Russian way: Токаев, Аскар),
# while a Russian-looking word is common in Kazakh (министр, журналист, компания), so it
# counts less.
KK_CLIP = 8.0
RU_CLIP = 6.0
# A capitalised word is often a name, and names cross languages (Иван Николишин in a Kazakh
# match report, Алматы in a Russian one): its vote counts this much, unless it is spelt with a
# Kazakh letter (Әлиева, Бұл), which Russian text does not use
NAME_WEIGHT = 0.2
SEGMENT_WORDS = 3  # a segment of at least this many words votes on its own
MIXED_SHARE = 0.2  # the second language's share of letters that makes a paragraph mixed
MIXED_WORDS = 4  # ... and its least number of words

# words, and the marks that end a segment: sentence ends, quotation marks, brackets, line ends
_BREAK_CHARS = ".!?…;«»“”„\"()[]\n"
_TOKEN = re.compile(r"[^\W\d_]+|[.!?…;«»“”„\"()\[\]\n]")
_BREAKS = frozenset(_BREAK_CHARS)
# the lower-case letters of the Kazakh and Russian Cyrillic alphabets (the language model's own, and
# its trainer's word filter)
KK_RU_LETTERS = frozenset(KK_RU_LOWER)
_KK_ONLY = frozenset(KAZAKH_ONLY)


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


# word as written -> (its vote, its vote as a name inside a sentence), or None: not kk/ru Cyrillic
_VOTES: dict[str, tuple[float, float] | None] = {}
_MISS = object()


def word_score(word: str) -> float | None:
    """log P(word | kk) - log P(word | ru) under the n-gram model, clipped to [-RU_CLIP,
    KK_CLIP]; None for a word that is not written in the Kazakh or Russian alphabet (Latin,
    Ukrainian, Arabic …)."""
    got = _votes(word)
    return None if got is None else got[0]


def _votes(word: str) -> tuple[float, float] | None:
    """(vote, vote as a name) of a word, remembered per word as written (bounded), so a
    paragraph's known words cost a look-up each."""
    got = _VOTES.get(word, _MISS)
    if got is not _MISS:
        return got
    low = word.lower()
    if KK_RU_LETTERS.issuperset(low):
        get = _weights().get
        w = f"^{low}$"  # the same n-grams as ngrams(low): "^" and "$" alone have no weight
        n = len(w)
        s = 0.0
        for order in range(1, MAX_ORDER + 1):
            for i in range(n - order + 1):
                s += get(w[i:i + order], 0.0)
        s = max(-RU_CLIP, min(KK_CLIP, s))
        got = (s, s if _KK_ONLY.intersection(low) else s * NAME_WEIGHT)
    else:
        got = None
    if len(_VOTES) >= 200_000:  # bounded: hostile input cannot grow it without end
        _VOTES.clear()
    _VOTES[word] = got
    return got


_BREAK, _SKIP, _OTHER, _WORD = range(4)
# token as written -> (kind, its vote in a sentence, its letters): what judge() adds for it
_TOKEN_FACTS: dict[str, tuple[int, float, int]] = {}


def _token_fact(tok: str) -> tuple[int, float, int]:
    if tok in _BREAKS:
        got = (_BREAK, 0.0, 0)
    elif len(tok) == 1 and tok.isupper():  # an initial (А. Смайылов) says nothing
        got = (_SKIP, 0.0, 0)
    else:
        votes = _votes(tok)
        if votes is None:
            got = (_OTHER, 0.0, len(tok))
        else:  # a capitalised word votes as a name
            got = (_WORD, votes[1] if tok[0].isupper() else votes[0], len(tok))
    if len(_TOKEN_FACTS) >= 200_000:  # bounded, like _VOTES
        _TOKEN_FACTS.clear()
    _TOKEN_FACTS[tok] = got
    return got


def judge(text: str) -> Judgement:
    """The language of one paragraph (see the module doc)."""
    segments = []  # (sum of word scores, Kazakh/Russian letters and words, other letters and words)
    total = 0.0
    n_words = 0
    s = 0.0
    letters = words = other = other_words = 0
    facts = _TOKEN_FACTS
    for tok in _TOKEN.findall(text) + ["\n"]:  # the last break closes the last segment
        got = facts.get(tok)
        if got is None:
            got = _token_fact(tok)
        kind = got[0]
        if kind == _WORD:
            s += got[1]
            letters += got[2]
            words += 1
        elif kind == _OTHER:
            other += got[2]
            other_words += 1
        elif kind == _BREAK:
            if words or other_words:
                n_words += words + other_words
                if other_words <= words:
                    other = other_words = 0  # Latin names inside a Cyrillic sentence: no language
                segments.append((s, letters, words, other, other_words))
                total += s
                s = 0.0
                letters = words = other = other_words = 0
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
    top = max((kk, 2, "kk"), (ru, 1, "ru"), (other, 0, "other"))[2]  # a tie goes to Kazakh
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
    top = max((kk, 2, "kk"), (ru, 1, "ru"), (other, 0, "other"))  # a tie goes to Kazakh
    if top[0] >= 0.95 * letters:
        return top[2]
    if kk >= 0.05 * letters:
        return "mixed"
    return top[2]
