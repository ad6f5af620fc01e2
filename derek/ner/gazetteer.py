"""Gazetteers of names for the news NER rules: places, countries, organisations.

Data (TSV, one name a line: name, label, canonical, flags; see the files' headers):
  derek/data/gazetteer_kz.tsv      Kazakhstan's regions, cities, districts, old and Russian names,
                                   rivers, lakes, mountains, oil fields (hand-written real lists)
  derek/data/gazetteer_world.tsv   countries and world regions in Kazakh (generated from pycountry
                                   and CLDR by derek/training/gazetteer.py), large world cities
  derek/data/gazetteer_orgs.tsv    international organisations, government bodies, national
                                   companies, outlets, parties (with their abbreviations)

Matching is one pass over a sentence with dictionary lookups: a name's words but the last
must appear as written (lower-cased), the last may carry case endings — the token's own form
or the stem of its best analysis (derek.morph) is looked up ("Қарашығанақта" -> қарашығанақ,
"биржасындағы" -> биржа, the stem of "биржасы").  The first word must be capitalised (or the
whole name written in capitals); abbreviations match as written, with a hyphenated ending
("СҚО-да").  Longest name first; names do not overlap.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from derek.langdata import read_text

FILES = ("gazetteer_kz.tsv", "gazetteer_world.tsv", "gazetteer_orgs.tsv")
LABELS = frozenset({"GPE", "LOCATION", "ORGANISATION"})


@dataclass(frozen=True)
class Name:
    words: tuple[str, ...]  # lower-case, the last one as its set of accepted stems (see _index)
    label: str
    canonical: str
    flags: frozenset[str]


@dataclass(frozen=True)
class Match:
    start: int  # token indices in the sentence, end exclusive
    end: int
    name: Name
    bare: bool  # the last word is the name's own form, no ending ("Көкпекті", not "Көкпектіде")


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=200_000)
def word_stems(word: str) -> tuple[str, ...]:
    """The folded word and the stem of its best analysis (both, when they differ)."""
    from derek.morph.lemmatizer import best_analysis

    low = _fold(word)
    if not low.isalpha() and "-" not in low:
        return (low,)
    stem = best_analysis(low, word[:1].isupper()).stem
    return (low,) if stem == low else (low, stem)


@lru_cache(maxsize=200_000)
def _possessed(word: str) -> bool:
    from derek.morph.lemmatizer import best_analysis

    tags = best_analysis(_fold(word), True).tags
    return "POSS3" in tags or "PL" in tags


def parse(text: str, source: str = "") -> list[Name]:
    """Names from one gazetteer file's text; ValueError naming the line for a bad row."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or cols[1] not in LABELS or not cols[0].strip():
            raise ValueError(f"{source}:{n}: expected name<TAB>label (one of {sorted(LABELS)}): {line!r}")
        name = " ".join(cols[0].split())
        canonical = cols[2].strip() if len(cols) > 2 and cols[2].strip() else name
        flags = frozenset(f for f in (cols[3].split(",") if len(cols) > 3 else []) if f.strip())
        words = tuple(name.split(" ")) if "abbr" in flags else tuple(_fold(w) for w in name.split(" "))
        out.append(Name(words, cols[1], canonical, flags))
    return out


class Gazetteer:
    """Names indexed by first word; `find` tags a sentence's words."""

    def __init__(self, names: list[Name]):
        self.by_first: dict[str, list[Name]] = {}
        self.abbr: dict[str, Name] = {}
        self.last_forms: dict[Name, frozenset[str]] = {}
        self._misses: set[str] = set()
        from derek.langdata import month_numbers

        months = set(month_numbers())
        for nm in names:
            if len(nm.words) == 1 and nm.words[0] in months:
                continue  # "Наурыз айында", "Қазан": a month before it is a place
            if "abbr" in nm.flags and len(nm.words) == 1:
                self.abbr.setdefault(nm.words[0], nm)
                continue
            # keyed by its own form: a token is looked up as written and by its stem
            self.by_first.setdefault(nm.words[0], []).append(nm)
            # the last word is accepted as written or by its stem: "облысы" and "облыс"
            self.last_forms[nm] = frozenset(word_stems(nm.words[-1]))
        self._latin_names_read()
        for lst in self.by_first.values():
            lst.sort(key=lambda nm: -len(nm.words))  # longest first
        self._latin_abbreviations_read()

    def _latin_names_read(self) -> None:
        """Each name also as a Latin article's view reads it.  Kazakh Latin has no soft sign and
        writes и after a vowel and ц as it sounds, so the view of "Belgiia", "Ukraina", "Polşa",
        "Şveitsariia" is "Белгия", "Украйна", "Полша", "Швейтсария", not the gazetteer's
        Бельгия, Украина, Польша, Швейцария: the name's round trip through each Latin alphabet
        (derek's own transliteration both ways) is added as the same name."""
        from derek.text.translit import to_cyrillic, to_latin

        names = [nm for names in self.by_first.values() for nm in names]
        written = "\n".join(" ".join(nm.words) for nm in names)  # one call each way: 8x faster
        for variant in ("latn2018", "latn2021"):
            read = to_cyrillic(to_latin(written, variant), variant).text.split("\n")
            if len(read) != len(names):  # a name with a line break: never, but do not misalign
                continue
            for nm, line in zip(names, read):
                words = tuple(_fold(w) for w in line.split())
                if len(words) != len(nm.words) or any(other.words == words for other in self.by_first.get(words[0], ())):
                    continue
                alias = Name(words, nm.label, nm.canonical, nm.flags)
                self.by_first.setdefault(words[0], []).append(alias)
                self.last_forms[alias] = frozenset(word_stems(words[-1]))

    def _latin_abbreviations_read(self) -> None:
        """A Latin abbreviation (KASE, KMG) as a Latin article's view reads it (КАСЕ, КМГ):
        the view writes Kazakh Latin in Cyrillic, and an abbreviation with no foreign letter
        (c, w, x: kept Latin, see translit.foreign_spans) is read so too."""
        from derek.text.translit import to_cyrillic

        for key, nm in list(self.abbr.items()):
            if len(key) < 3 or not key.isascii() or not key.isalpha():
                continue
            for variant in ("latn2018", "latn2021"):
                self.abbr.setdefault(to_cyrillic(key, variant).text, nm)

    def is_bare_name(self, word: str) -> bool:
        """A one-word name of the gazetteers exactly as written (no ending): "Көкпекті"."""
        low = _fold(word)
        return any(len(nm.words) == 1 and nm.words[0] == low for nm in self.by_first.get(low, ()))

    def find(self, words: list[str], first_word: int = 0, capstat=None) -> list[Match]:
        """Names in a sentence's words (analysis forms); `first_word`: the index of the
        sentence's first word, where a capital says nothing; `capstat(word)`: how often a word is
        capitalised inside a sentence (0..4), so that a common word opening the sentence is no
        name."""
        out: list[Match] = []
        i, n = 0, len(words)
        misses = self._misses
        while i < n:
            w = words[i]
            if not (w[:1].isupper() or w[:1].isdigit()) or w in misses:  # most words: one test
                i += 1
                continue
            initial = i == first_word and (capstat is None or capstat(w.lower()) <= 1)
            m = self._match_at(words, i, initial)
            if m is None:
                i += 1
                continue
            out.append(m)
            i = m.end
        return out

    def _match_at(self, words: list[str], i: int, initial: bool) -> Match | None:
        w = words[i]
        if not w[:1].isupper() and not w[:1].isdigit() or w in self._misses:
            return None
        base = w.split("-", 1)[0] if "-" in w else w
        nm = self.abbr.get(base)
        if nm is not None and (base == w or w[len(base) + 1:].isalpha()):
            return Match(i, i + 1, nm, base == w)
        cands = self.by_first.get(_fold(w))
        stems = None
        if cands is None:
            stems = word_stems(w)
            cands = next((self.by_first[s] for s in stems[1:] if s in self.by_first), None)
            if cands is None:
                if len(self._misses) < 200_000:
                    self._misses.add(w)  # most capitalised words are no gazetteer name: asked once
                return None
        for nm in cands:
            k = len(nm.words)
            if i + k > len(words) or ("common" in nm.flags and initial and not w.isupper()):
                continue
            if k > 1 and _fold(w) != nm.words[0]:
                continue
            if any(_fold(words[i + j]) != nm.words[j] for j in range(1, k - 1)):
                continue
            last = words[i + k - 1]
            if k > 1 and _fold(last) != nm.words[-1] and not (set(word_stems(last)) & self.last_forms[nm]):
                continue
            if k == 1 and not (set(stems or word_stems(w)) & self.last_forms[nm]):
                continue
            bare = _fold(last) == nm.words[-1]
            if k == 1 and not bare and (_possessed(w) or initial and not w.isupper()):
                continue  # "Келесі" (next) is not Келес; a declined common word opening a sentence
            return Match(i, i + k, nm, bare)
        return None


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    names: list[Name] = []
    for f in FILES:
        names += [nm for nm in parse(read_text(f), f) if "no_ner" not in nm.flags]
    return Gazetteer(names)
