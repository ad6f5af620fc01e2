"""News names on top of the model: gazetteers and head nouns, merged with the model's spans.

Per sentence, three sources of names:
  the model (KazNERD-style: "Ұлттық банктің төрағасы" is one POSITION, "Мәскеумен Бакуден" may
  come out as one PERSON, "Қашаған" as a PERSON);
  the gazetteers (derek/ner/gazetteer.py: places, countries, organisations and their
  abbreviations, each with its canonical form);
  the head-noun rules (derek/ner/heads.py: "… министрлігі", "… көшесі", "… ауданы").
The gazetteer and head names are precise where they fire, so they win: a model name they
cover is dropped, one they cut through is trimmed to its capitalised rest, one they sit inside
is kept only when it is itself an organisation, event or facility (a place inside such a name
is part of it: "Алматы қаласы Қоғамдық денсаулық басқармасы").  Between themselves, the longer
name wins (ties: the gazetteer's, which knows the canonical form).  A country inside an amount
("АҚШ долларының") is also a GPE, as news annotation lists every mention of a country.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.langdata import load_toml
from derek.morph import grammar
from derek.morph.grammar import is_surname
from derek.morph.lemmatizer import lexicon
from derek.ner.gazetteer import Match, default_gazetteer
from derek.ner.heads import analysis, head_spans

NAME_LABELS = frozenset({"PERSON", "ORGANISATION", "GPE", "LOCATION"})
# model labels of names that may hold a place inside them
HOLDERS = frozenset({"ORGANISATION", "EVENT", "PROJECT", "LAW", "ART", "PRODUCT"})
# model labels of amounts and times: a name may sit inside them ("АҚШ долларының"), no name crosses them
AMOUNTS = frozenset({"MONEY", "CARDINAL", "QUANTITY", "PERCENTAGE", "DATE", "TIME", "ORDINAL"})

Span = tuple[int, int, str]
# the cases of a place a person is at, goes to or comes from ("Алматыда", "Мәскеуге", "Парижден")
PLACE_CASES = frozenset({"LOC", "DAT", "ABL"})
# gazetteer names that are also a person's name or a common word: found only with a place head
NEEDS_HEAD = frozenset({"person", "head"})


def sentence_names(words: list[str], spans: list[Span], first: int,
                   capstat=None) -> tuple[list[Span], dict[tuple[int, int], tuple[str, bool, bool]]]:
    """The sentence's spans with the gazetteer and head names merged in, and the canonical
    forms the gazetteer gives {(start, end): (canonical, the name stands bare, an abbreviation)}."""
    # KazNERD's FACILITY (streets, squares, buildings, roads) is the news annotation's LOCATION
    spans = [(a, b, "LOCATION" if lab == "FACILITY" else lab) for a, b, lab in spans]
    spans = [piece for span in spans
             for piece in (_split_declined(words, span) if span[1] - span[0] > 1 and span[2] in _CUT_LABELS else (span,))]
    matches = [m for m in default_gazetteer().find(words, first, capstat) if not NEEDS_HEAD & m.name.flags]
    matches = [_with_country(words, m) for m in matches if not _first_name(m, spans, words)]
    known = {k for m in matches for k in range(m.start, m.end)}
    blocked = {k for a, b, lab in spans if lab == "PERSON" or lab in AMOUNTS for k in range(a, b)} - known
    heads = head_spans(words, first, blocked, capstat)
    strong, canon = _strong(words, matches, heads)
    if not strong:
        return spans, canon
    out = []
    for a, b, lab in spans:
        if lab in AMOUNTS or lab == "POSITION" or lab not in NAME_LABELS and lab not in HOLDERS:
            out.append((a, b, lab))
            continue
        out += _against_strong(words, (a, b, lab), strong)
    # a name inside an organisation, event or facility the model kept is part of that name
    keep = [s for s in strong if not any(m[2] in HOLDERS and m[0] <= s[0] and s[1] <= m[1] for m in out)]
    return events(words, out + keep), {k: v for k, v in canon.items() if any(k == s[:2] for s in keep)}


# Only the last word of a person's name is declined.  A word inside a PERSON span in one of
# these forms ends that person ("Сәкенді Асқар шақырды": whom, then who); not a dative, an
# ablative, a plain locative or an "-ін" accusative, which first names end like (Дариға,
# Шериаздан, Давиде, Еркін).
_ENDS_PERSON = (("GEN", grammar.forms("GEN")),
                ("ACC", tuple(f for f in grammar.forms("ACC") if len(f) == 2)),  # not a bare "-н"
                ("REL", grammar.forms("REL")))  # (the tags say LOC before it: "-дағы")


_CUT_LABELS = frozenset({"PERSON", "ORGANISATION"})  # the spans _split_declined may cut


def _split_declined(words: list[str], span: Span) -> list[Span]:
    """A PERSON span ended before a word in the other script, parted at a dash or a slash
    between names and after a surname that another full name follows, and cut after each
    inner word in a case no name word but the last takes; an
    ORGANISATION span cut after a first word in the locative ("Австрияда Халықаралық
    велосипедшілер одағының": where, not part of the name; the gazetteer may find the place)."""
    a, b, lab = span
    if lab == "ORGANISATION" and b - a >= 2 and "LOC" in (tags := analysis(words[a])[1]):
        # each side stays a name only when capitalised ("Үкіметте министрлер кабинеті": the
        # Government alone); a known place is left to the gazetteer (a GPE, not a team), an
        # unknown one in "-дағы" is a place too ("Ноттингемдегі WTA турнирі")
        place = any(m.name.label != "ORGANISATION" for m in default_gazetteer().find(words[a:a + 1], -1))
        first = [] if place or not words[a][:1].isupper() else [(a, a + 1, "GPE" if "REL" in tags else lab)]
        return first + ([(a + 1, b, lab)] if any(w[:1].isupper() for w in words[a + 1:b]) else [])
    if lab != "PERSON":
        return [span]
    # a person's name is written in one script: a word in the other one after it (a channel,
    # a nickname: "Әсел Бекова Qazaqstan арнасында", "Сейітов GGG-мен") is not part of it
    script = None
    for k in range(a, b):
        other = _is_latin(words[k])
        if script is None:
            script = other
        elif other is not None and other != script:
            b = k
            while b > a + 1 and _is_latin(words[b - 1]) is None:
                b -= 1  # (nor the bracket before it: "Ерболат Сәрсенов (Erbo)")
            break
    out, start = [], a
    for k in range(a, b - 1):
        low = words[k].lower()
        tags = analysis(words[k])[1]
        if words[k] in _BETWEEN_NAMES:  # "Нұрлан Жарманов – Санджай Шарма": a pair
            if k > start:
                out.append((start, k, lab))
            start = k + 1
        elif words[k + 1][:1] == "/":  # "Антон Белов /Игорь Смирнов"
            out.append((start, k + 1, lab))
            start = k + 1
        elif any(tag in tags and low.endswith(ends) for tag, ends in _ENDS_PERSON) and not _having_adjective(low, tags) \
                or k > start and _full_name_follows(words, k, b):
            out.append((start, k + 1, lab))
            start = k + 1
    out.append((start, b, lab))
    return [(x, y, lab) for x, y, lab in out if any(ch.isalpha() for w in words[x:y] for ch in w)]


_BETWEEN_NAMES = frozenset({"–", "—", "-", "/", ",", ";", "|"})


def _full_name_follows(words: list[str], k: int, b: int) -> bool:
    """Does another person's name start after words[k], a surname after a first name
    ("Ерлан Сәбитов Б. Төлебаевтың"): a surname follows among the rest?  Not after a
    patronymic, nor before one ("Жұмабаева Айгерім Серікқызы" is one name, surname
    first); the caller asks only after a first word (a first name may end like a surname:
    Мадина, Марина)."""
    if not _is_surname(words[k]):
        return False
    # (a first name that ends like a surname is followed by a patronymic: "… Марина Алексеевна")
    return any(_is_surname(words[j]) and not (j + 1 < b and grammar.is_patronymic(words[j + 1]))
               for j in range(k + 1, b))


def _is_surname(word: str) -> bool:
    base = grammar.strip_case(word.lstrip("/"))
    return grammar.is_surname(base) and not grammar.is_patronymic(base)


def _is_latin(word: str) -> bool | None:
    """Is the word's first letter a Latin one (the rest may be a Kazakh ending: "GGG-мен")?
    None for a word without letters and for a Roman numeral, written in either script
    ("Елизавета II", "ІІ Урбан")."""
    first = next((ch for ch in word if ch.isalpha()), None)
    if first is None or ROMAN.match(word):
        return None
    return first.isascii() or "\u00c0" <= first <= "\u024f"


# a Roman numeral, in Latin letters or the Kazakh І, with an ordinal ending ("II", "ІІ-ші")
ROMAN = re.compile(r"^[IVXLCІ]+(?:-[^\W\d_]+)?$")


def _having_adjective(low: str, tags) -> bool:
    """An "-ды/-ті" form the corpus mostly writes in lower case is an adjective ("having …"),
    not an accusative: "Ардақты Пайғамбарымыз", "Құрметті Асқар Ахметұлы" are one phrase."""
    entry = lexicon().get(low) if "ACC" in tags else None
    return entry is not None and entry[1] * 2 < entry[0]


@lru_cache(maxsize=1)
def _event_heads() -> frozenset[str]:
    return frozenset(load_toml("ner_rules.toml")["event_heads"])


def events(words: list[str], spans: list[Span]) -> list[Span]:
    """A place or person opening an event's name is part of it ("Париж Олимпиадасы", "Азия
    чемпионаты"): such a span, and one ending in the event's head, becomes an EVENT."""
    heads = _event_heads()
    out = []
    for a, b, lab in spans:
        if lab in ("GPE", "LOCATION", "PERSON"):  # an organisation's summit ("ШЫҰ саммиті") keeps it
            if b < len(words) and words[b].islower() and analysis(words[b])[0] in heads \
                    and not set(analysis(words[b - 1])[1]) - {"POSS3"}:
                lab = "EVENT"  # not "Дохадағы турнирде": a place in a case is where it happens
            elif b - a > 1 and words[b - 1][:1].isupper() and analysis(words[b - 1])[0] in heads:
                lab = "EVENT"  # "Лос-Анджелес Олимпиадасына" read as one name
        out.append((a, b, lab))
    return out


_COUNTRY_ABBR = frozenset(load_toml("ner_rules.toml")["body_country_abbreviations"])


def _with_country(words: list[str], m: Match) -> Match:
    """"ҚР ДСМ", "ҚР Қаржы министрлігі": the country's abbreviation belongs to the body's name."""
    if m.name.label == "ORGANISATION" and m.start > 0 and words[m.start - 1] in _COUNTRY_ABBR:
        return Match(m.start - 1, m.end, m.name, False)
    return m


def _first_name(m: Match, spans: list[Span], words: list[str]) -> bool:
    """A place name the model reads as part of a person's name: "Владимир Путин" (a city's
    name as a first name).  Only a place at the end of the person's span, after a surname or
    a full name ("Өмірзақ Шөкеев Мақтаарал"), or a span made only of places ("Мәскеумен
    Бакуден") is taken from the person; an organisation's name (not a common word) always is."""
    for a, b, lab in spans:
        if lab != "PERSON" or not (a <= m.start and m.end <= b) or (a, b) == (m.start, m.end):
            continue
        if m.name.label == "ORGANISATION" and "common" not in m.name.flags:
            return False  # "Димаш Instagram парақшасында": a body or platform is never a first name
        if m.end == b and (m.start - a >= 2 or is_surname(words[m.start - 1])):
            return False
        if m.end == b and m.start > a and set(analysis(words[b - 1])[1]) & PLACE_CASES:
            return False  # "Димаш Лос-Анджелесте": a place in a case after the name is where, not who
        others = [x for x in default_gazetteer().find(words[a:b], -1) if not NEEDS_HEAD & x.name.flags]
        return sum(x.end - x.start for x in others) < b - a
    return False


def _inside(s: Span, m: Span) -> bool:
    return m[0] <= s[0] and s[1] <= m[1] and (m[1] - m[0]) > (s[1] - s[0])


def _strong(words: list[str], matches: list[Match], heads: list[Span]):
    """Gazetteer and head names without overlaps: longest first, the gazetteer's on a tie."""
    cands = [((m.start, m.end, m.name.label), 1, m) for m in matches] + [(h, 0, None) for h in heads]
    cands.sort(key=lambda c: (-(c[0][1] - c[0][0]), -c[1], c[0][0]))
    taken: set[int] = set()
    out: list[Span] = []
    canon: dict[tuple[int, int], tuple[str, bool]] = {}
    for span, _, m in cands:
        a, b, _lab = span
        if taken.intersection(range(a, b)):
            continue
        taken.update(range(a, b))
        out.append(span)
        if m is None or (a, b) != (m.start, m.end):
            continue
        if "abbr" not in m.name.flags:
            canon[(a, b)] = (m.name.canonical, m.bare, False)
        elif m.name.label == "ORGANISATION" and m.name.canonical != m.name.words[0]:
            # a body's abbreviation is written out (АШМ -> Ауыл шаруашылығы министрлігі), as news
            # annotation does; a region's (СҚО) only where the article spells it (canonical stage)
            canon[(a, b)] = (m.name.canonical, m.bare, True)
    return sorted(out), canon


def _against_strong(words: list[str], m: Span, strong: list[Span]) -> list[Span]:
    """A model span against the gazetteer and head names that overlap it."""
    a, b, lab = m
    over = [s for s in strong if s[0] < b and a < s[1]]
    if not over:
        return [m]
    if any(_inside(s, m) for s in over) and lab in HOLDERS and not any(s[0] <= a and b <= s[1] for s in over):
        return [m]  # "Абай атындағы … университеті" the model found: the place is part of it
    if len(over) == 1 and (over[0][0], over[0][1]) == (a, b) and lab == "ORGANISATION" and over[0][2] == "GPE":
        return [m]  # the same word as a country and as its team or government: the model saw the context
    rest, k = [], a
    for s in sorted(over):
        if s[0] > k:
            rest.append((k, s[0]))
        k = max(k, s[1])
    if k < b:
        rest.append((k, b))
    return [(x, y, lab) for x, y in rest
            if any(words[i][:1].isupper() for i in range(x, y)) and words[x][:1].isalnum()
            and not (y - x == 1 and "POSS3" in analysis(words[x])[1])]  # "Австрия Консулдығы": no name left


def amount_countries(words: list[str], spans: list[Span]) -> list[Span]:
    """Countries inside amounts: "1 АҚШ доллары" holds the GPE "АҚШ"."""
    out = []
    names = {k for a, b, lab in spans if lab in NAME_LABELS for k in range(a, b)}
    for a, b, lab in spans:
        if lab in ("MONEY", "QUANTITY") and b - a > 1:
            for m in default_gazetteer().find(words[a:b], -1):
                if m.name.label == "GPE" and not NEEDS_HEAD & m.name.flags \
                        and not names.intersection(range(a + m.start, a + m.end)):
                    out.append((a + m.start, a + m.end, "GPE"))
    return out
