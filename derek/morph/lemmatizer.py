"""Pick the best analysis of a word: the lemma.

The analyzer proposes every (stem, suffix chain) the tables allow; the stem lexicon
(derek/data/kk_stems.tsv, derived from the unlabeled corpus by
derek/training/stem_lexicon.py) says how much each stem behaves like a real word: its
*paradigm score* sums the log frequencies of all attested forms built from it.  The
analysis whose stem has the best score wins, so Алматыға -> Алматы (not Алмат),
жылдары -> жыл, компаниясы -> компания.  For capitalised words (names) the score of
capitalised, sentence-internal uses decides first: Қарағанды stays whole although
"қараған" (a participle) is a frequent lower-case word.

Unknown stems fall back to rules: strip the longest chain that leaves a stem of at
least three letters with a vowel, but keep a lone -ы/-і (it is as often part of the
word as a possessive) unless the stem ends like a surname.
"""
from __future__ import annotations

from functools import lru_cache

from derek.langdata import read_text
from derek.morph.analyzer import Analysis, analyze_lower
from derek.morph.grammar import CYRILLIC_WORD, endings_after, forms
from derek.morph.tables import tables

NOMINAL = {"NOUN", "PROPN"}
PERSONAL = {"POSS_M", "POSS1PL", "POSS2POL", "PRED1SG", "PRED1PL", "PRED2"}
# pronoun-like and closed-class words: UD keeps their form (lower-cased)
KEEP_POS = {"PUNCT", "NUM", "SYM", "X", "CCONJ", "SCONJ", "ADP", "PART", "INTJ", "DET", "ADV", "ADJ"}


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[int, int]]:
    """stem -> (paradigm score, capitalised-use score).  The file is three columns after a
    one-line header; parsed with C-level splits because it is loaded on every cold start."""
    text = read_text("kk_stems.tsv")
    tokens = text[text.index("\n") + 1:].split()
    return dict(zip(tokens[0::3], zip(map(int, tokens[1::3]), map(int, tokens[2::3]))))


def is_common_word(word: str) -> bool:
    """A word the unlabeled corpus mostly writes in lower case (a noun or an adjective, not a
    name): its stem's lexicon counts, lower case over capitalised."""
    if not CYRILLIC_WORD.fullmatch(word):
        return False
    entry = lexicon().get(best_analysis(word.lower(), False).stem)
    return entry is not None and entry[1] * 2 < entry[0]


def best_analysis(lower: str, proper: bool = False) -> Analysis:
    """The chosen analysis of a lower-case Cyrillic word."""
    return _best(lower, proper)


@lru_cache(maxsize=200_000)
def _best(lower: str, proper: bool) -> Analysis:
    cands = analyze_lower(lower)
    if len(cands) == 1:
        return cands[0]
    lex = lexicon()
    t = tables()
    scored = []
    if proper:  # names do not take 1st/2nd-person endings; "-ң" there is the genitive's tail
        # and keep at least three letters (Судан is not Су+дан)
        cands = [a for a in cands if not (set(a.tags) & PERSONAL - {"POSS1PL"})
                 and (len(a.stem) >= 3 or not a.chain)
                 and not any(_cuts(e, a.surface_stem, a.suffix) for e in t.keep_endings)]
    for a in cands:
        s = lex.get(a.stem)
        if s is None:
            continue
        # names: how often the stem's forms are written capitalised mid-sentence
        prior = _prior(a, proper)
        key = (s[1] * prior, s[0] * prior) if proper else (s[0] * prior, s[1])
        # ties (same stem): the reading without an alternation wins (департамент+і+нің,
        # not департамент+[linking і]+нің)
        scored.append((key, -len(a.stem), a.stem == a.surface_stem, a))
    if scored:
        scored.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
        top = scored[0][3]
        if proper and scored[0][0][0] == 0:
            # no capitalised evidence for any candidate: treat as an unknown name
            return _fallback(cands, t, proper) if lower not in lex else top
        return top
    return _fallback(cands, t, proper)


def _prior(a: Analysis, proper: bool = False) -> float:
    """Rarer readings pay a price: 1st/2nd-person endings are rare in news prose and make
    short verb-like stems win (сенім -> *сен+ім, шақырымды -> *шақыр+ым+ды)."""
    p = 1.0
    if proper and "PL" in a.tags:
        p *= 0.5  # Твиттер is not Твит+тер
    for tag in a.tags:
        if tag in PERSONAL:
            p *= 0.2 if tag.startswith("PRED") else 0.4
    if len(a.stem) > len(a.surface_stem) and a.stem[-1] == a.stem[-2] and a.chain \
            and a.chain.text[0] not in "аәеиоөуұүыіэюя":
        p *= 1.2  # процесс+ке: the standard spelling over a variant without the double
    return p


def _fallback(cands: list[Analysis], t, proper: bool) -> Analysis:
    best = cands[0]
    for a in cands[1:]:
        if a.stem != a.surface_stem and not (a.surface_stem[-1] in "ғг" and len(a.stem) == len(a.surface_stem)):
            continue  # alternations only with lexicon support, but for -лығ+ы -> -лық
        stem = a.stem
        # three letters only before the unambiguous genitive (Эйрдің); Ахемен is no Ахе+мен
        if len(stem) < (3 if a.tags == ("GEN",) else 4) or not any(ch in t.vowels for ch in stem):
            continue
        if a.tags == ("POSS3",) and not stem.endswith(t.surname_endings):
            continue
        if set(a.tags) & PERSONAL - ({"POSS1PL", "POSS2POL"} if not proper else set()):
            continue
        if proper and "PL" in a.tags:  # unknown names: -лар/-тер is more often part of them
            continue
        if any(_cuts(e, stem, a.suffix) for e in t.keep_endings):
            continue
        if len(a.suffix) > len(best.suffix) or (len(a.suffix) == len(best.suffix) and a.stem != a.surface_stem):
            best = a
    return best


def patronymic_cut(lower: str) -> int:
    """Length of a patronymic name (Сагидрахманұлы, Әлиқызы) inflected like a possessive
    (Сагидрахманұлына, Әлиқызының), or 0."""
    for e in tables().keep_endings:
        i = lower.rfind(e)
        if i > 0 and e[-1] in "ыі" and lower[i + len(e):] in endings_after("POSS3"):
            return i + len(e)
    return 0


def _cuts(ending: str, stem: str, suffix: str) -> bool:
    """True when the stem/suffix boundary falls inside a protected name ending (Сәтбайұлы+ның
    may not become Сәтбайұл+ы+ның)."""
    word = stem + suffix
    pos = word.rfind(ending)
    return pos >= 0 and pos < len(stem) < pos + len(ending)


def lemmatize(word: str, pos: str | None = None) -> str:
    """Dictionary form of a Cyrillic word.  `pos` (UD tag) steers case and which rules
    apply: NOUN/PROPN get the nominal analysis; closed classes keep their form; UD
    lower-cases every lemma except PROPN, and so does this function when `pos` is given."""
    return _lemmatize(word, pos)


@lru_cache(maxsize=200_000)
def _lemmatize(word: str, pos: str | None) -> str:
    if not word:
        return word
    lower = word.lower()
    if pos is not None and _is_acronym(word):  # ЮНЕСКО, УЕФА, Г.: UD keeps their case
        return word
    if pos is not None:
        closed = _closed()
        if pos == "PRON" and lower in closed["pronoun"]:
            return closed["pronoun"][lower]
        if pos == "AUX" and lower in closed["aux"]:
            return closed["aux"][lower]
        if pos in ("CCONJ", "PART", "ADV", "ADP") and lower in closed["closed"]:
            return closed["closed"][lower]
        if pos == "NUM":
            return _number_lemma(word, lower)
        if pos == "PRON":  # unknown pronoun forms: strip case only down to a pronoun
            a = best_analysis(lower, False)
            return a.stem if a.stem in _pronoun_lemmas() else lower
    if pos == "ADJ":  # an adjective used as a noun: ақтардың -> ақ, көптен -> көп
        a = best_analysis(lower, False)
        if set(a.tags) & {"PL", "GEN", "DAT", "LOC", "ABL", "INS"}:
            return a.stem
        return lower
    if pos in KEEP_POS:
        return lower
    if pos in ("VERB", "AUX"):
        from derek.morph.verbs import verb_lemma

        return verb_lemma(lower)
    if "-" in word.strip("-"):
        head, _, tail = word.rpartition("-")
        if tail.lower() in tables().chains and head:
            return head if pos in (None, "PROPN") else head.lower()
    proper = pos in ("PROPN", None) and word[:1].isupper()
    cut = patronymic_cut(lower)
    if cut:
        lemma = word[:cut]
        return lemma if pos in (None, "PROPN") else lemma.lower()
    a = best_analysis(lower, proper)
    lemma = restore_case(word, a.stem)
    return lemma if pos in (None, "PROPN") else lemma.lower()


@lru_cache(maxsize=1)
def _closed() -> dict[str, dict[str, str]]:
    from derek.langdata import load_toml

    data = load_toml("suffixes.toml")
    return {k: data[k] for k in ("closed", "aux", "pronoun")}


@lru_cache(maxsize=1)
def _pronoun_lemmas() -> frozenset[str]:
    return frozenset(_closed()["pronoun"].values()) | {"өз", "кім", "не", "біреу", "ешкім", "әркім"}


def _number_lemma(word: str, lower: str) -> str:
    """55-ші -> 55, 51% -> 51, екінші -> екі, бірі -> бір, мыңнан -> мың."""
    if any(ch.isdigit() for ch in lower):
        head = lower.split("-")[0].rstrip("%")
        return head or lower
    for o in forms("ORD"):
        if lower.endswith(o) and len(lower) - len(o) >= 2:
            base = lower[: -len(o)]
            if base in lexicon():
                return base
    return best_analysis(lower, False).stem


def _is_acronym(word: str) -> bool:
    letters = word.rstrip(".")
    return letters.isalpha() and letters.isupper() and (len(letters) > 1 or word.endswith("."))


def restore_case(word: str, stem: str) -> str:
    """Carry the word's capitalisation over to the stem (ЕАЭО, Алматы, ҚАЗАҚСТАН)."""
    n = min(len(stem), len(word))
    out = []
    for i, ch in enumerate(stem):
        src = word[i] if i < n else word[n - 1]
        out.append(ch.upper() if src.isupper() else ch)
    return "".join(out)
