"""Token features for the CRF NER tagger — one module for training and inference.

Speed matters (≥ 50k tokens/s on one core), and Kazakh news repeats its word forms a lot,
so every feature that depends on the word alone is computed once per word type and cached:
the token's own feature list and the shorter lists it contributes to its neighbours at each
context offset.  A sentence's features are then list concatenations.

Which features are on is recorded in the model's config.json (`FeatureConfig`), so the
ablation runs and the shipped model use exactly this code.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

from derek.morph.grammar import ner_feature_endings

_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[^\W\d_]", re.UNICODE)

# Kazakh-specific letters: a capitalised word with one of them is almost never Russian
_KK_LETTERS = set("әғқңөұүһі")
# Organisation head nouns, as word beginnings (they take possessive/case endings: министрлігі,
# комитетінің, компаниясы): a capitalised run followed within a few tokens by one of them is
# usually an ORGANISATION ("Ұлттық экономика министрлігі", "Халық банкі").  Short heads that
# would swallow common words (қор-ғаныс, сот-тан) are listed as whole forms instead.
_ORG_HEAD_PREFIXES = (
    "министрлі", "министрлік", "комитет", "банк", "компания", "университет", "партия", "агенттіг",
    "агенттік", "корпорация", "холдинг", "академия", "институт", "ассоциация", "федерация",
    "департамент", "басқарма", "қауымдастығ", "қауымдастық", "орталығ", "орталық", "комиссия",
    "инспекция", "прокуратура", "колледж", "лицей", "қоғамы", "қоғамының", "ұйымы", "ұйымының",
    "одағы", "одағының", "кеңесі", "кеңесінің", "әкімдігі", "әкімдік", "мәжіліс", "сенат",
    "парламент", "үкіметі", "үкіметінің", "концерн", "консорциум", "зауыт", "фабрика", "газет",
    "журнал", "телеарна", "агенттігі", "қызметі", "бюросы", "бірлестігі", "палатасы", "палатасының",
)
_ORG_HEAD_WORDS = {"қор", "қоры", "қорының", "қорына", "қорын", "қорында", "қорынан", "соты", "сотының",
                   "сотына", "сотында", "сотының"}
_ORG_ABBR = {"АҚ", "ЖШС", "ЖАҚ", "ААҚ", "ҰК", "РМК", "МКК", "МКҚК", "ЖК", "ҰҚ", "ҚБ", "ЖШҚ", "ЖК-сы"}
_QUOTE_OPEN = {"«", "“", "„"}
_QUOTE_CLOSE = {"»", "”", "“"}


@lru_cache(maxsize=65536)  # asked for every token of every sentence; word forms repeat
def is_org_head(word: str) -> bool:
    """'министрлігінің' -> True, 'АҚ' -> True, 'қорғаныс' -> False."""
    if word in _ORG_ABBR:
        return True
    low = word.lower()
    return low in _ORG_HEAD_WORDS or low.startswith(_ORG_HEAD_PREFIXES)


@lru_cache(maxsize=1)
def _place_heads() -> list[tuple[str, tuple[str, ...], frozenset[str]]]:
    from derek.langdata import load_toml

    data = load_toml("ner_heads.toml")
    return [(kind, tuple(d["prefixes"]), frozenset(d["words"])) for kind, d in data.items()]


@lru_cache(maxsize=65536)
def place_head(word: str) -> str | None:
    """'әуежайына' -> 'facility', 'көлінде' -> 'location', 'көлік' -> None (ner_heads.toml)."""
    low = word.lower()
    for kind, prefixes, words in _place_heads():
        if low in words or low.startswith(prefixes):
            return kind
    return None


_DEMONYM_SUFFIX = re.compile(r"(?:лық|лік|дық|дік|тық|тік)")


@lru_cache(maxsize=1)
def _demonym_stems() -> tuple[dict[str, str], tuple[str, ...], int]:
    from derek.langdata import load_toml

    data = load_toml("demonyms.toml")
    stems = {**{s: "place" for s in data["places"]}, **{s: "country" for s in data["countries"]}}
    return stems, tuple(data["ethnonyms"]), max(map(len, stems), default=0)


def demonym(word: str) -> str | None:
    """'швейцариялық' -> 'country', 'Оралдықтар' -> 'place', 'поляктар' -> 'ethnic',
    'халықаралық' -> None: a known country or place stem and a -лық-type suffix, or a
    people's name (demonyms.toml)."""
    low = word.lower()
    stems, peoples, longest = _demonym_stems()
    if low.startswith(peoples):
        return "ethnic"
    # no stem is longer than `longest`: a 100k-letter "word" must not cost 100k slices
    for end in range(3, min(len(low) - 2, longest + 1)):
        kind = stems.get(low[:end])
        if kind and _DEMONYM_SUFFIX.match(low, end):
            return kind
    return None


@dataclass
class FeatureConfig:
    prefix_max: int = 3
    suffix_max: int = 3
    window: int = 2  # context words at ±window
    clusters: bool = False  # word -> cluster ids (c64/c256/1024) learned from unlabeled text
    cluster_context: bool = False  # neighbours' clusters too
    stems: bool = False  # derek.morph.lemmatize stem of the word
    shape_long: bool = True  # full shape (Xxxx -> Xx) and flags
    sentence_position: bool = False
    name_endings: bool = False
    bigrams: bool = False  # lower(w-1)|lower(w) and lower(w)|lower(w+1)
    capstats: bool = False  # how often the word is capitalised mid-sentence in unlabeled text
    org_context: bool = False  # an organisation head noun (министрлігі, АҚ) 1-4 tokens ahead
    quotes: bool = False  # inside «…», and whether an organisation head follows the closing quote
    cap_runs: bool = False  # position in a run of capitalised words and the run's length
    place_context: bool = False  # a facility / location / event head noun (әуежайы, көлі, форумы) 1-4 tokens ahead
    demonyms: bool = False  # a lower-case country/place stem + -лық (швейцариялық, астаналық)
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "FeatureConfig":
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def shape(word: str) -> str:
    """Collapsed character classes: 'Қазақстан' -> 'Xx', 'ҚР' -> 'X', '2024' -> 'd', 'COVID-19' -> 'X-d'."""
    out = []
    prev = ""
    for ch in word:
        if ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "X" if ch.isupper() else "x"
        else:
            c = ch
        if c != prev:
            out.append(c)
            prev = c
    return "".join(out)


class FeatureExtractor:
    """sentence (list of token strings) -> list of feature-string lists for crfsuite."""

    def __init__(self, config: FeatureConfig, clusters: dict[str, tuple[str, ...]] | None = None,
                 stem: Callable[[str], str] | None = None, capstats: dict[str, tuple[str, ...]] | None = None,
                 known: set[str] | None = None):
        self.config = config
        # attributes the model has weights for: the others add nothing to a score, so they
        # are dropped once per word type instead of being looked up for every token (speed)
        self.known = known
        self.clusters = clusters or {}
        self.capstats = capstats or {}
        self.stem = stem
        self._own: dict[str, list[str]] = {}
        self._ctx: dict[str, list[list[str]]] = {}
        self._heads: dict[str, tuple[bool, str | None]] = {}  # word -> (organisation head, place head)
        self._bigrams_of: set[str] | None = None  # the `known` the two sets below were made from
        self._bl: set[str] = set()
        self._br: set[str] = set()
        w = config.window
        self.offsets = [o for o in range(-w, w + 1) if o != 0]

    # -- per word type ---------------------------------------------------------------
    def _own_features(self, word: str) -> list[str]:
        cfg = self.config
        low = word.lower()
        f = ["b", "w=" + low]
        if word != low:
            f.append("W=" + word)
        n = len(low)
        for k in range(1, min(cfg.suffix_max, n) + 1):
            f.append(f"s{k}=" + low[-k:])
        for k in range(1, min(cfg.prefix_max, n) + 1):
            f.append(f"p{k}=" + low[:k])
        first = word[:1]
        if first.isupper():
            f.append("title")
            if word.isupper() and n > 1:
                f.append("upper")
        if _DIGIT.search(word):
            f.append("digit")
            if word.isdigit():
                f.append(f"dlen={min(n, 5)}")
        if cfg.shape_long:
            f.append("sh=" + shape(word))
            if not _UPPER.search(word):
                f.append("nolet")
            if "-" in word:
                f.append("hyph")
        if cfg.clusters:
            cl = self.clusters.get(low)
            if cl is None:
                f.append("c=none")
            else:
                f.extend(f"c{i}={c}" for i, c in enumerate(cl))
        cap = None
        if cfg.capstats:
            cap = self.capstats.get(low)
            f.append("cap=" + (cap[0] if cap else "none"))
        if cfg.stems and self.stem is not None and word[:1].isalpha():
            st = self.stem(low)
            f.append("st=" + st)
            if st != low and len(low) > len(st):
                f.append("sf=" + low[len(st):])  # the suffix chain the stemmer cut off
            if cfg.clusters:
                cl = self.clusters.get(st)
                if cl is not None:
                    f.append(f"sc={cl[-1]}")
            if cfg.capstats and cap is None and st != low:
                scap = self.capstats.get(st)
                f.append("scap=" + (scap[0] if scap else "none"))
        if cfg.name_endings and first.isupper():
            # common surname and patronymic endings (suffixes.toml, frozen with the model;
            # transliterated names keep them under case suffixes)
            for e in ner_feature_endings():
                if low.endswith(e) or (e in low[-7:] and len(low) > len(e) + 2):
                    f.append("ne=" + e)
                    break
            if any(ch in _KK_LETTERS for ch in low):
                f.append("kk")
        if cfg.demonyms:
            kind = demonym(word)
            if kind:
                f.append("dem=" + kind)
        return f

    def _context_features(self, word: str) -> list[list[str]]:
        """What this word tells a token at each offset (feature names carry the offset)."""
        cfg = self.config
        low = word.lower()
        sh = shape(word)
        cl = self.clusters.get(low) if (cfg.clusters and cfg.cluster_context) else None
        out = []
        for o in self.offsets:
            p = f"{o}:"
            f = [p + "w=" + low, p + "sh=" + sh]
            if abs(o) == 1:
                f.append(p + "s3=" + low[-3:])
                if word[:1].isupper():
                    f.append(p + "title")
            if cl is not None:
                f.append(p + "c=" + cl[1 if abs(o) == 1 else 0])
            if cfg.capstats and abs(o) == 1:
                cap = self.capstats.get(low)
                f.append(p + "cap=" + (cap[0] if cap else "none"))
            out.append(f)
        return out

    def own(self, word: str) -> list[str]:
        f = self._own.get(word)
        if f is None:
            if len(self._own) > 200_000:  # bound the cache on endless streams
                self._own.clear()
                self._ctx.clear()
            f = self._own_features(word)
            if self.known is not None:
                f = [a for a in f if a in self.known]
            self._own[word] = f
        return f

    def ctx(self, word: str) -> list[list[str]]:
        f = self._ctx.get(word)
        if f is None:
            f = self._context_features(word)
            if self.known is not None:
                f = [[a for a in g if a in self.known] for g in f]
            self._ctx[word] = f
        return f

    # -- per sentence ----------------------------------------------------------------
    def sentence_extras(self, words: Sequence[str]) -> list[list[str]]:
        """The features that are neither a word's own nor its neighbours' (position, bigrams,
        phrase features): what `sentence` adds after own + context, per token."""
        cfg = self.config
        n = len(words)
        out: list[list[str]] = [[] for _ in words]
        if cfg.sentence_position and n:
            out[0].append("first")
            if n > 1 and not words[0][:1].isalnum():
                out[1].append("first2")
        if cfg.bigrams:
            lows = [w.lower() for w in words]
            if self.known is None:
                for i in range(n - 1):
                    b = lows[i] + "|" + lows[i + 1]
                    out[i + 1].append("bl=" + b)
                    out[i].append("br=" + b)
            else:  # most bigrams have no weight: test the bare pair, build a name for hits only
                bl, br = self._known_bigrams()
                for i in range(n - 1):
                    b = lows[i] + "|" + lows[i + 1]
                    if b in bl:
                        out[i + 1].append("bl=" + b)
                    if b in br:
                        out[i].append("br=" + b)
        if cfg.org_context or cfg.quotes or cfg.cap_runs or cfg.place_context:
            self._phrase_features(words, out)
        return out

    def _known_bigrams(self) -> tuple[set[str], set[str]]:
        """The "a|b" pairs of the known bl=/br= features (remade when `known` is replaced)."""
        if self._bigrams_of is not self.known:
            self._bl = {a[3:] for a in self.known if a.startswith("bl=")}
            self._br = {a[3:] for a in self.known if a.startswith("br=")}
            self._bigrams_of = self.known
        return self._bl, self._br

    def word_heads(self, words: Sequence[str]) -> list[tuple[bool, str | None]]:
        """Per word: is it an organisation head, and what kind of place head (or None);
        remembered per word type (bounded), as every article repeats most of its words."""
        memo = self._heads
        out = []
        for w in words:
            h = memo.get(w)
            if h is None:
                if len(memo) >= 100_000:
                    memo.clear()
                h = memo[w] = (is_org_head(w), place_head(w))
            out.append(h)
        return out

    def sentence_extras_batch(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """`sentence_extras` of each sentence, flattened to one list per token."""
        return [f for s in sentences for f in self.sentence_extras(s)]

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        cfg = self.config
        n = len(words)
        ctx = [self.ctx(w) for w in words]
        out = []
        for i, w in enumerate(words):
            f = list(self.own(w))
            for k, o in enumerate(self.offsets):
                j = i + o
                if 0 <= j < n:
                    f += ctx[j][k]
                elif j == -1 or j == n:
                    f.append(f"{o}:BOUND")
            if cfg.sentence_position:
                if i == 0:
                    f.append("first")
                elif i == 1 and not words[0][:1].isalnum():
                    f.append("first2")  # after an opening quote or dash
            if cfg.bigrams:
                low = w.lower()
                known = self.known
                if i > 0:
                    b = "bl=" + words[i - 1].lower() + "|" + low
                    if known is None or b in known:
                        f.append(b)
                if i + 1 < n:
                    b = "br=" + low + "|" + words[i + 1].lower()
                    if known is None or b in known:
                        f.append(b)
            out.append(f)
        if cfg.org_context or cfg.quotes or cfg.cap_runs or cfg.place_context:
            self._phrase_features(words, out)
        return out

    def _phrase_features(self, words: Sequence[str], out: list[list[str]]) -> None:
        """Features that look past the ±window: heads of organisation names a few tokens on,
        quote-bounded names, runs of capitalised words.  Few distinct strings, so no cache of
        them; the heads they look for are remembered per word type (`word_heads`)."""
        cfg = self.config
        n = len(words)
        both = self.word_heads(words) if (cfg.org_context or cfg.quotes or cfg.place_context) else None
        heads = [h for h, _ in both] if (cfg.org_context or cfg.quotes) else None
        if cfg.org_context and any(heads):  # most sentences have no organisation head
            ahead = _next_within(heads, 4)
            for i in range(n):
                f = out[i]
                if heads[i]:
                    f.append("oh0")
                d = ahead[i]
                if d:
                    f.append(f"oh+{d}")
                    if words[i][:1].isupper():
                        f.append("title_oh+")
                if i > 0 and heads[i - 1]:
                    f.append("oh-1")
        if cfg.place_context:
            # like the organisation heads, by kind: "Қостанай әуежайына" is a FACILITY and
            # "Қаракөл көлінде" a LOCATION, where the first word alone reads as a GPE
            kinds = [k for _, k in both]
            ahead = _next_within(kinds, 4) if any(kinds) else ()  # most sentences have no place head
            for i in range(len(ahead)):
                f = out[i]
                if kinds[i]:
                    f.append(f"ph0={kinds[i]}")
                d = ahead[i]
                if d:
                    kind = kinds[i + d]
                    f.append(f"ph+{d}={kind}")
                    if words[i][:1].isupper():
                        f.append(f"title_ph+={kind}")
                if i > 0 and kinds[i - 1]:
                    f.append(f"ph-1={kinds[i - 1]}")
        if cfg.quotes:
            i = 0
            while i < n:
                if words[i] in _QUOTE_OPEN:
                    j = i + 1
                    while j < n and j - i <= 12 and words[j] not in _QUOTE_CLOSE:
                        j += 1
                    if j < n and words[j] in _QUOTE_CLOSE and j > i + 1:
                        after = any(heads[k] for k in range(j + 1, min(n, j + 3)))
                        for k in range(i + 1, j):
                            out[k].append("inq")
                            out[k].append(f"inq_len={min(j - i - 1, 4)}")
                            if after:
                                out[k].append("inq_oh")
                        i = j
                i += 1
        if cfg.cap_runs:
            i = 0
            while i < n:
                if words[i][:1].isupper() and words[i][:1].isalpha():
                    j = i
                    while j < n and words[j][:1].isupper() and words[j][:1].isalpha():
                        j += 1
                    ln = min(j - i, 4)
                    for k in range(i, j):
                        pos = "B" if k == i else ("E" if k == j - 1 else "I")
                        out[k].append(f"cr={pos}{ln}")
                    i = j
                else:
                    i += 1


def _next_within(marks: Sequence, reach: int) -> list[int]:
    """Per position, how far ahead (1..reach) the nearest truthy mark is, else 0: one
    backward pass instead of a look-ahead loop per token."""
    out = [0] * len(marks)
    d = 0
    for i in range(len(marks) - 1, -1, -1):
        out[i] = d if d <= reach else 0
        d = 1 if marks[i] else (d + 1 if d else 0)
    return out


def load_clusters(lines) -> dict[str, tuple[str, ...]]:
    """Parse a word map (clusters.tsv: word<TAB>c64<TAB>c256<TAB>c1024; capstats.tsv:
    word<TAB>bucket); '#' lines are comments.  Equal value tuples are shared (fast load)."""
    out: dict[str, tuple[str, ...]] = {}
    shared: dict[str, tuple[str, ...]] = {}
    for line in lines:
        if not line or line[0] == "#":
            continue
        word, _, rest = line.partition("\t")
        val = shared.get(rest)
        if val is None:
            val = shared[rest] = tuple(rest.split("\t"))
        out[word] = val
    return out
