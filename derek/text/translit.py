"""Kazakh Cyrillic <-> Latin transliteration: the 2018 (acute) and 2021 (umlaut) official
alphabets both ways, and informal Turkic-style Latin (The Qazaq Times) into Cyrillic.

Tables live in derek/data/translit.toml; this module adds what a table cannot say:

* и or й — both are one Latin letter (2018 ı, 2021 i).  Kazakh writes й after a vowel and и
  elsewhere; "ия"/"ию" keep и (ı+ıa, not й+а).
* ц or тс — Latin "ts" is тс in native words (өтсе, айтсын) and ц word-initially or before и
  (цифр, медицина, станция).
* the 2018 capital I stands for both І and И: a following vowel or a back-vowel word (Иран,
  Италия) gives И, a front-vowel or vowel-less word (Ішкі, Іс, ІІМ) gives І.
* informal Latin: i is і or и by vowel harmony; without ı (plain ASCII) y is ы after a
  consonant and й after a vowel.

Context is resolved on the Latin side with same-length placeholder characters, so the
transliteration itself is a table lookup plus a handful of digraph matches, and the offset map
(Latin -> Cyrillic shrinks: sh -> ш) is built from runs, not per character.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache

from derek.text.alphabet import KAZAKH_ONLY_UPPER
from derek.text.view import TextView
from derek.text.web import tld_pattern

VARIANTS = ("latn2018", "latn2021", "informal")
TARGETS = ("latn2018", "latn2021")

# private-use placeholders: same-length stand-ins for context-resolved letters
_P = {"\ue000": "й", "\ue001": "Й", "\ue002": "И", "\ue003": "ы", "\ue004": "Ы",
      "\ue005": "и", "\ue006": "И", "\ue007": "І"}

LATIN_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0259\u0275\u1e00-\u1eff"
_COMBINING = "\u0300-\u036f"


def _upper(ch: str, variant: str) -> str:
    if variant == "latn2021" and ch == "i":
        return "İ"
    return ch.upper()


def _case_forms(key: str, variant: str) -> list[str]:
    """Spellings of a lower-case Latin key: every case mix for short digraphs (sh Sh SH sH),
    lower / capitalised / all-capital for longer stems."""
    if len(key) <= 3:
        forms = [""]
        for c in key:
            up = _upper(c, variant)
            forms = [f + x for f in forms for x in ((c, up) if up != c else (c,))]
        return forms
    up = "".join(_upper(c, variant) for c in key)
    return [key, up[0] + key[1:], up]


def _lower(ch: str, variant: str) -> str:
    if ch == "İ":
        return "i"
    if ch == "I":
        return "ı" if variant in ("latn2018", "latn2021") else "i"
    return ch.lower()


@lru_cache(maxsize=None)
def _raw(variant: str) -> dict:
    from derek.langdata import load_toml

    return load_toml("translit.toml")[variant]


# -- Cyrillic -> Latin -----------------------------------------------------------------------
_CAPS_WORD = re.compile(rf"(?<![^\W\d_])[А-ЯЁ{KAZAKH_ONLY_UPPER}]{{2,}}(?![^\W\d_])")


@lru_cache(maxsize=None)
def _to_latin_tables(variant: str) -> tuple[dict, dict]:
    if variant not in TARGETS:
        raise ValueError(f"unknown Latin alphabet {variant!r}; use one of {', '.join(TARGETS)}")
    lower = _raw(variant)["from_cyrl"]
    normal: dict[int, str] = {}
    caps: dict[int, str] = {}
    for cyr, lat in lower.items():
        up = "".join(_upper(c, variant) for c in lat)
        normal[ord(cyr)] = lat
        normal[ord(cyr.upper())] = up[:1] + lat[1:]
        caps[ord(cyr.upper())] = up
    return normal, caps


def to_latin(text: str, variant: str = "latn2021") -> str:
    """Cyrillic letters of `text` written in the official Latin alphabet `variant`; all other
    characters are kept.  Multi-letter values are title case (Ш -> Sh) except inside
    all-capital words (ШҚО -> SHQO)."""
    normal, caps = _to_latin_tables(variant)
    text = _CAPS_WORD.sub(lambda m: m.group().translate(caps), text)
    return text.translate(normal)


# -- Latin -> Cyrillic -----------------------------------------------------------------------
class _Reader:
    """Compiled Latin -> Cyrillic machinery for one variant."""

    def __init__(self, variant: str):
        if variant not in VARIANTS:
            raise ValueError(f"unknown Latin variant {variant!r}; use one of {', '.join(VARIANTS)}")
        self.variant = variant
        raw = _raw(variant)["to_cyrl"]
        self.multi = {k: v for k, v in raw.items() if len(k) > 1 or len(v) != 1}
        table: dict[int, str] = {ord(k): v for k, v in _P.items()}
        for k, v in raw.items():
            if len(k) == 1 and len(v) == 1:
                table.setdefault(ord(k), v)
        for k, v in raw.items():
            if len(k) == 1 and len(v) == 1:
                up = _upper(k, variant)
                if len(up) == 1:
                    table.setdefault(ord(up), v.upper())
        if variant in ("latn2018", "latn2021", "informal"):
            table[ord("I")] = "І"
            table[ord("İ")] = "И" if variant == "latn2021" else "І"
        self.table = table
        alts = []
        # every alternative starts with a literal character, which lets the regex engine
        # skip ahead to candidate positions (a leading [Ss] class would not)
        for key in sorted(self.multi, key=len, reverse=True):
            alts.extend(re.escape(f) for f in _case_forms(key, variant))
        if variant != "informal":
            nxt = "ıI" if variant == "latn2018" else "iİ"
            # ts is ц before и or at the start of a word (lookbehind placed after the first
            # letter so the pattern keeps a literal first-character set: fast scanning)
            # (placeholders \ue000-\ue007 are letters too: айтсын is aı-tsyn)
            alts[:0] = [f"{t}(?<![{LATIN_LETTER}\ue000-\ue007]{t}){s_}" for t in "Tt" for s_ in ("s", "S")]
            alts[:0] = [f"{t}{s_}(?=[{nxt}])" for t in "Tt" for s_ in ("s", "S")]
        self.special = re.compile("|".join(alts))
        self.special_comb = re.compile(f"[{LATIN_LETTER}][{_COMBINING}]+|" + "|".join(alts))

    def prepare(self, s: str) -> str:
        """Same-length context pass: и/й, the 2018 capital I, informal i and y."""
        v = self.variant
        if v == "latn2018":
            s = _Y2018.sub("\ue000", s)
            if "I" in s:
                s = _capital_i_words(s)
        elif v == "latn2021":
            s = _Y2021.sub("\ue000", s)
            s = _Y2021_UP.sub("\ue001", s)
        else:
            if "ı" not in s and "I" not in s:
                s = _Y_ASCII.sub(lambda m: "\ue003" if m.group() == "y" else "\ue004", s)
            s = _INF_I.sub(lambda x: "\ue005" if x.group() == "i" else "\ue006", s)
        return s

    def rep(self, m: re.Match, s: str) -> str:
        g = m.group()
        if len(g) > 1 and unicodedata.category(g[1]) == "Mn":
            comp = unicodedata.normalize("NFC", g)
            base = comp[0] if len(comp) == 1 else g[0]
            out = self.table.get(ord(base))
            if out is None:
                out = self.multi.get(_lower(base, self.variant), base)
            return out
        key = "".join(_lower(c, self.variant) for c in g)
        if key == "ts":
            out = "ц"
        else:
            out = self.multi[key]
        if g[0].isupper():
            # all-capital context (SH in SHYMKENT) -> all-capital Cyrillic
            nb = s[m.end():m.end() + 1]
            if len(out) > 1 and (g.isupper() and len(g) > 1 or nb.isupper()):
                return out.upper()
            return out[0].upper() + out[1:]
        return out


_HAS_COMBINING = re.compile(f"[{_COMBINING}]")
# each pattern starts with the letter it rewrites (lookbehinds come after it), so the regex
# engine scans for that letter instead of trying every position
_VOW18 = "aáeioóuúyAÁEIOÓUÚY"
# й also after и that follows a consonant, before no vowel: the Russian -ий of names and
# adjectives (Юрий Iýrıı, Лаврушинский Lavrýshınskıı, Дмитрийдің); Kazakh has no ии there
# (ия, ию are ı + ıa, ıý: Marııa)
_Y2018 = re.compile(f"ı(?:(?<=[{_VOW18}]ı)(?![aAýÝ])"
                    f"|(?<=[bdfghjklmnpqrstvzBDFGHJKLMNPQRSTVZ]ıı)(?![{_VOW18}ıýÝ]))")
_Y2021 = re.compile("i(?:(?<=[aäeıoöūüyAÄEIOÖŪÜY]i)(?![aAuU])"  # not after u: заманауи
                    "|(?<=[bcdfghjklmnpqrstvzşçğñBCDFGHJKLMNPQRSTVZŞÇĞÑ]ii)(?![aäeıioöuūüyAÄEIİOÖUŪÜY]))")
_Y2021_UP = re.compile("İ(?<=[AÄEIOÖŪÜY]İ)(?![aAuU])")
_Y_ASCII = re.compile("[yY](?<=[bcdfghjklmnpqrstvxzBCDFGHJKLMNPQRSTVXZ][yY])(?![aueoAUEO])")
_LETTERS = re.compile(f"[{LATIN_LETTER}]*")
_BACK18, _FRONT18 = set("aouyAOUY"), set("áeióúÁEÓÚ")
_VOWELS_ANY = set("aáeıioóuúyýAÁEIOÓUÚYÝ")


def _capital_i_words(s: str) -> str:
    """Apply _capital_i_2018 to every word that contains a capital I."""
    out = []
    pos = 0
    i = s.find("I")
    while i >= 0:
        a = i
        while a > pos and s[a - 1].isalpha():
            a -= 1
        b = _LETTERS.match(s, i + 1).end()
        out.append(s[pos:a])
        word = s[a:b]
        # an abbreviation is spelled letter by letter: "JIÓ" is ЖІӨ, whatever its vowels say
        out.append(word if word in _abbreviations_2018() else _capital_i_2018(word))
        pos = b
        i = s.find("I", pos)
    out.append(s[pos:])
    return "".join(out)


@lru_cache(maxsize=1)
def _abbreviations_2018() -> frozenset[str]:
    """The capitalised abbreviations of abbreviations.toml `plain` that hold an І, in their 2018
    Latin spelling ("ЖІӨ" -> "JIÓ", "ІІМ" -> "IIM"), where the capital I is І, not и/й."""
    from derek.langdata import load_toml

    plain = load_toml("abbreviations.toml")["plain"]
    return frozenset(to_latin(w, "latn2018") for w in plain if w.isupper() and "І" in w)


def _capital_i_2018(w: str) -> str:
    back = any(c in _BACK18 for c in w)
    front = any(c in _FRONT18 for c in w)
    out = list(w)
    for i, c in enumerate(w):
        if c != "I":
            continue
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if nxt in ("a", "A", "ý", "Ý"):
            continue  # Ia / Iý: я, ю (a digraph, left to the special matcher)
        prev = w[i - 1] if i else ""
        if (nxt in _VOWELS_ANY and nxt != "I") or (back and not front):
            out[i] = "\ue001" if prev in _VOWELS_ANY else "\ue002"
    return "".join(out)


# i is both і and и in informal Latin; і is far more frequent and vowel harmony does not
# help (бірақ, қазір mix back and front vowels), so only the loanword pattern "ci" (ци:
# медицина, позиция) and i before a back vowel or ya/yu (Иран, Азия, Rossiya) read as и
_INF_I = re.compile("[iI](?:(?<=[cC][iI])|(?=[aouAOU]|y[aou]))")  # ci, ia, iya (Rossiya)


@lru_cache(maxsize=None)
def _reader(variant: str) -> _Reader:
    return _Reader(variant)


def cyrillic_pieces(work: str, start: int, end: int, variant: str,
                    out: list[str], starts: array, ends: array, base: array) -> None:
    """Append the Cyrillic form of work[start:end] to `out`, with each output character's
    original span to `starts`/`ends` (offsets are those of `work`).  `base` is
    array(range(len(work) + 1)): slices of it copy offset runs at C speed."""
    r = _reader(variant)
    s = r.prepare(work[start:end])
    special = r.special_comb if _HAS_COMBINING.search(s) else r.special
    pos = 0
    for m in special.finditer(s):
        a, b = m.span()
        if a > pos:
            out.append(s[pos:a].translate(r.table))
            starts.extend(base[start + pos:start + a])
            ends.extend(base[start + pos + 1:start + a + 1])
        rep = r.rep(m, s)
        out.append(rep)
        starts.extend([start + a] * len(rep))
        ends.extend([start + b] * len(rep))
        pos = b
    if pos < len(s):
        out.append(s[pos:].translate(r.table))
        starts.extend(base[start + pos:end])
        ends.extend(base[start + pos + 1:end + 1])


def view_with_spans(original: str, work: str, spans: list[tuple[int, int, str]]) -> TextView:
    """A view of `original` whose text is `work` (a same-length repair of it) with the given
    (start, end, variant) spans transliterated to Cyrillic.  Spans are sorted, disjoint."""
    if not spans:
        return TextView.identity(original) if work == original else TextView.same_length(original, work)
    out: list[str] = []
    starts, ends = array("i"), array("i")
    base = array("i", range(len(work) + 1))
    pos = 0
    written: list[tuple[int, int]] = []  # the transliterated stretches, in view offsets
    for a, b, variant in spans:
        if a > pos:
            out.append(work[pos:a])
            starts.extend(base[pos:a])
            ends.extend(base[pos + 1:a + 1])
        at = len(starts)
        cyrillic_pieces(work, a, b, variant, out, starts, ends, base)
        written.append((at, len(starts)))
        pos = b
    if pos < len(work):
        out.append(work[pos:])
        starts.extend(base[pos:len(work)])
        ends.extend(base[pos + 1:len(work) + 1])
    text = _loanword_e("".join(out), written)
    if len(text) == len(original) and starts == base[:len(text)]:
        view = TextView.same_length(original, text)
        view.transliterated = True
        return view
    return TextView(original=original, text=text, _starts=starts, _ends=ends, transliterated=True)


# What a Latin article's view cannot give back of a Cyrillic loanword: э is written e, ь and ъ
# not at all, ц as ts (read тс inside a word).  Word lists (claim stems, units, roles) accept a
# word in this spelling too; view_spelling and view_spelling_pattern are the one place for it.
VIEW_SPELLING = {"э": "е", "ь": "", "ъ": "", "ц": "тс"}
_VIEW_TABLE = str.maketrans(VIEW_SPELLING)
_VIEW_PATTERN = {"э": "[эе]", "ь": "ь?", "ъ": "ъ?", "ц": "(?:ц|тс)"}


def view_spelling(word: str) -> str:
    """A (lower-case) Cyrillic word as a Latin article's view spells it ('экспорт' ->
    'експорт', 'рубль' -> 'рубл', 'процент' -> 'протсент')."""
    return word.translate(_VIEW_TABLE)


def view_spelling_pattern(escaped: str) -> str:
    """A regex-escaped Cyrillic text made to match both its own and its view spelling."""
    return "".join(_VIEW_PATTERN.get(ch, ch) for ch in escaped)


_E_WORD = re.compile(r"(?<![\w-])[еЕ]\w{4,}")
_E_PREFIX = 5  # letters of a stem compared


@lru_cache(maxsize=1)
def _e_prefixes() -> tuple[frozenset[str], frozenset[str]]:
    """The 5-letter beginnings of the lexicon's stems that open with э, and of those with е."""
    from derek.morph.lemmatizer import lexicon

    stems = lexicon()
    return (frozenset(w[:_E_PREFIX] for w in stems if w[:1] == "э" and len(w) >= _E_PREFIX),
            frozenset(w[:_E_PREFIX] for w in stems if w[:1] == "е" and len(w) >= _E_PREFIX))


def _loanword_e(text: str, written: list[tuple[int, int]]) -> str:
    """Latin script writes э as e: a word the transliteration wrote (`written`: its stretches
    of `text`) opening with е is given its э back when the lexicon knows the word with э and
    not with е ('Eksport' -> Экспорт, 'ekonomıka' -> экономика; 'eldiń', 'eki' stay).  An
    article's own Cyrillic is not read.  One letter for one: the offsets do not move."""
    if "е" not in text and "Е" not in text:
        return text
    with_e, with_ye = None, None
    chars = None
    for a, b in written:
        for m in _E_WORD.finditer(text, a, b):
            if with_e is None:
                with_e, with_ye = _e_prefixes()
            rest = m.group()[1:_E_PREFIX].lower()
            if "э" + rest in with_e and "е" + rest not in with_ye:
                chars = chars or list(text)
                chars[m.start()] = "Э" if text[m.start()] == "Е" else "э"
    return "".join(chars) if chars else text


# URLs, e-mail addresses and web domains (Zakon.kz, BAQ.KZ) keep their Latin spelling
PROTECTED = re.compile(
    r"(?:https?|ftp)://[^\s<>«»\"“”]+|www\.[^\s<>«»\"“”]+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|(?<![\w.])[\w-]+(?:\.[\w-]+)*\.{tld_pattern()}(?![\w])",
    re.IGNORECASE)
# what every protected token contains; scanning for these literals is fast
_PROTECTED_HINT = re.compile(
    rf"://|@|\.{tld_pattern()}(?!\w)")
_SPACE = re.compile(r"\s")


# Roman numerals ("XX ǵasyr", "IV toqsan") are numbers in any script: Kazakh Cyrillic writes
# them with Latin letters too, and the date and period readers know them so
ROMAN = re.compile(r"(?<![\w-])(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?![\w])")


def protected_spans(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of URLs, e-mails, domains and Roman numerals inside work[start:end], in order."""
    out = _url_spans(work, start, end)
    if "I" in work or "V" in work or "X" in work:
        romans = [m.span() for m in ROMAN.finditer(work, start, end) if m.end() > m.start()]
        if romans:
            out = sorted(out + [r for r in romans if not any(a <= r[0] < b for a, b in out)])
    return out


def _url_spans(work: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    covered = start
    for h in _PROTECTED_HINT.finditer(work, start, end):
        if h.start() < covered:
            continue
        # the whitespace-delimited chunk around the hint, then the exact token inside it
        a = h.start()
        while a > covered and not work[a - 1].isspace():
            a -= 1
        sp = _SPACE.search(work, h.end(), end)
        b = sp.start() if sp else end
        for m in PROTECTED.finditer(work, a, b):
            out.append(m.span())
        covered = b
    return out


# A foreign name in a Kazakh Latin article ("Associated Press", "Globe Soccer Awards", "WBO"):
# the official alphabets (2018, 2021) have no c (2018 writes ч "ch"), w or x, so a word of
# plain ASCII letters with one is not Kazakh, nor is an English word of translit.toml [foreign]
# ("The", "of"); read as Kazakh it would be Cyrillized ("Ассоциатед") and lose what a Cyrillic
# article's reader sees: a Latin name.  The capitalised ASCII words next to it belong to the
# same name.  The informal alphabet writes ұ "w" and ц "c", so it keeps reading them.
_FOREIGN_LETTERS = {"latn2018": r"[wxWX]|[cC](?![hH])", "latn2021": r"[cwxCWX]"}
# 2018 also: a capitalised word with a dotted i after a vowel ("Air", "Daily"): і never follows
# a vowel in a Kazakh word, whose й is ı (a lower-case "aitqan" is a Kazakh word mistyped, not
# a name); 2021 writes й i, so its "ai" is Kazakh
_NAME_VOWEL_I = re.compile(r"(?<![^\W\d_])(?=[A-Z])[A-Za-z]*?[aeouyAEOUY]i[A-Za-z]*(?![^\W\d_])")


@lru_cache(maxsize=None)
def _foreign_sign(variant: str) -> re.Pattern | None:
    """A letter or a word (derek/data/translit.toml [foreign]) no Kazakh word of `variant` has."""
    letters = _FOREIGN_LETTERS.get(variant)
    if letters is None:
        return None
    words = "|".join(sorted(_foreign_words(), key=len, reverse=True))
    return re.compile(rf"{letters}|(?<![^\W\d_])(?i:{words})(?![^\W\d_])")


@lru_cache(maxsize=1)
def _foreign_words() -> frozenset[str]:
    """The English (and Romance, German) words of translit.toml [foreign]."""
    from derek.langdata import load_toml

    return frozenset(load_toml("translit.toml")["foreign"]["words"])


_ASCII_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]+(?![^\W\d_])")
_NAME_GAP = re.compile(r"[ \t]+|[ \t]*&[ \t]*")


def foreign_spans(work: str, start: int, end: int, variant: str) -> list[tuple[int, int]]:
    """Spans of foreign (non-Kazakh) Latin names inside work[start:end] of a `variant` text."""
    sign = _foreign_sign(variant)
    vowel_i = variant == "latn2018" and _NAME_VOWEL_I.search(work, start, end) is not None
    if sign is None or (sign.search(work, start, end) is None and not vowel_i):
        return []
    words = [m.span() for m in _ASCII_WORD.finditer(work, start, end)]
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(words):
        a, b = words[k]
        if sign.search(work, a, b) is None and not (vowel_i and _NAME_VOWEL_I.fullmatch(work, a, b)):
            k += 1
            continue
        lo = hi = k
        joins = _foreign_words()
        if work[a].isupper() or work[a:b] in joins:
            # a name: its capitalised ASCII neighbours join it, across "of", "and" ("Museum of Art")
            while lo > 0 and _joins(work, words[lo - 1], words[lo], joins):
                lo -= 1
            while hi + 1 < len(words) and _joins(work, words[hi], words[hi + 1], joins):
                hi += 1
        span = (words[lo][0], words[hi][1])
        if out and out[-1][1] >= span[0]:
            span = (out.pop()[0], span[1])
        out.append(span)
        k = hi + 1
    return out


def _joins(work: str, left: tuple[int, int], right: tuple[int, int], connectors: frozenset[str]) -> bool:
    """Are two ASCII words parts of one capitalised name ("Globe Soccer", "Arasan Wellness &",
    "Museum of")?  Each is capitalised or an English word of [foreign], one of them capitalised."""
    lw, rw = work[left[0]:left[1]], work[right[0]:right[1]]
    lcap, rcap = lw[0].isupper(), rw[0].isupper()
    return (lcap or lw in connectors) and (rcap or rw in connectors) and (lcap or rcap) and \
        _NAME_GAP.fullmatch(work, left[1], right[0]) is not None


def latin_spans(work: str, start: int, end: int, variant: str) -> list[tuple[int, int, str]]:
    """work[start:end] minus protected tokens and foreign names, as (start, end, variant) spans."""
    spans = []
    pos = start
    kept = protected_spans(work, start, end)
    foreign = foreign_spans(work, start, end, variant)
    if foreign:
        kept = sorted(kept + foreign)
    for a, b in kept:
        if a > pos:
            spans.append((pos, a, variant))
        pos = max(pos, b)
    if pos < end:
        spans.append((pos, end, variant))
    return spans


def to_cyrillic(text: str, variant: str | None = None) -> TextView:
    """Every Latin letter of `text` (outside URLs, e-mails and domains) read as Kazakh Latin
    `variant` (detected when None) and written in Cyrillic; offsets map back to `text`."""
    from derek.text.homoglyphs import repair
    from derek.text.script import latin_variant

    work = repair(text)
    if variant is None:
        detected = latin_variant(work)
        variant = {"latn2021": "latn2021", "latn_informal": "informal"}.get(detected or "", "latn2018")
    if variant not in VARIANTS:
        raise ValueError(f"unknown Latin variant {variant!r}; use one of {', '.join(VARIANTS)}")
    return view_with_spans(text, work, latin_spans(work, 0, len(work), variant))
