"""The frame of a numeric claim: what its number measures, read from the sentence's structure.

derek has no dependency parser; the frame is read from the *clause* of the number (the part of
the sentence between a ';', a bracket or a clause comma — a comma inside "5,5%" is no break —
or a contrast word "ал / бірақ"), which in Kazakh holds the number's own subject and verb:

    "жылдық инфляция 8,5% болды, азық-түлік тауарлары 5,5%-ға қымбаттады"
     └ clause 1: total, change_pct, yoy ┘ └ clause 2: food, change_pct ┘

* statistic type — the cue words next to the number (индекс, үлесі, есе, өсті/төмендеді…)
  and its unit (a % beside a change word is a change in per cent, a tonne amount beside one
  an absolute change, money per thing a price);
* basis of a change — year on year, month on month, since the start of the year;
* scope — the whole, a named part that a series exists for (food, non-food, services,
  domestic routes…), or some other subset (a sector, a product, "соның ішінде");
* geography — a region or city the clause names (Kazakhstan when it names none);
* period — a quarter, a January–N span or a half-year the sentence names, on top of the
  dates layer (detect.resolve_period).

Word lists: derek/data/claim_frames.toml.  Everything is compiled once (lru_cache).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from derek.claims.indicators import KeyIndex, either, fold, stem_keys, stems_regex, word_starts
from derek.langdata import load_toml

HOME_GEO = "KZ"
# [geography] groups that are no place of Kazakhstan's own: the generic "облыс" (any country's),
# groups of countries and the world
ABROAD_OR_ANY = frozenset({"region", "Central Asia", "CIS", "EAEU", "EU", "world"})
MONEY_CODES = {"KZT", "USD", "RUB", "EUR", "CNY", "GBP"}
COUNT_UNITS = {"company", "project", "enterprise", "school", "university", "region", "object", "accident",
               "violation", "settlement", "hospital", "case", "unit"}
# units of measure (an amount of them is a level); any other unit is a counted noun
LEVEL_UNITS = {"t", "kg", "m2", "m3", "ha", "km", "l", "kwh", "barrel", "year", "day", "hour", "minute", "time",
               "date", "point", "score", "piece", "passenger", "%", "index", "c/ha", "centner"}
# a clause ends at ';', a bracket, a comma that is not a decimal comma ("5,5%", "481, 29"),
# or a contrast word; dashes are not breaks (Kazakh uses "–" as a copula: "Бұл – 32 млрд")
CLAUSE_BREAK = re.compile(r"[;()]|(?<!\d),|,(?!\s?\d)|\s(?:ал|алайда|бірақ|al|alaıda|biraq)\s", re.IGNORECASE)
ROMAN_OR_WORD = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4, "бірінші": 1, "екінші": 2,
                 "үшінші": 3, "төртінші": 4, "birinshi": 1, "ekinshi": 2, "úshinshi": 3, "tórtinshi": 4}
QUARTER_RX = re.compile(r"(?<!\w)(бірінші|екінші|үшінші|төртінші|birinshi|ekinshi|úshinshi|tórtinshi|iv|iii|ii|i|[1-4])"
                        r"\s*[-–]?\s*(?:тоқсан|toqsan)", re.IGNORECASE)


@dataclass
class Frame:
    indicator: str | None  # the indicator's family ("inflation_annual"), None when no indicator fits
    geography: str  # KZ | KZ-RU | Astana | <region> | region (unnamed)
    stat_type: str  # level | change_pct | change_abs | share | index | count | price | rate | rank | ratio
    period: str | None
    unit: str | None
    scope: str  # total | food | nonfood | services | … | subset
    basis: str | None = None  # yoy | mom | ytd for a change
    qualifier: str = "exact"
    # "365 502 теңгеге өсті": the dative with a change verb says "rose TO" or "rose BY";
    # read as the level reached, such a claim can be found consistent but never inconsistent
    level_or_change: bool = False

    def to_dict(self) -> dict:
        # asdict() deep-copies through every field; all are scalars, so this is enough
        return {f: getattr(self, f) for f in FRAME_FIELDS}


FRAME_FIELDS = tuple(Frame.__dataclass_fields__)


@dataclass
class FrameWords:
    stat: list[tuple[str, re.Pattern]]
    basis: list[tuple[str, re.Pattern]]
    scope: list[tuple[str, re.Pattern]]
    geography: list[tuple[str, re.Pattern]]
    anaphora: list[tuple[str, re.Pattern]]
    # "айлық жалақы", "жылдық табыс": an amount per period, blanked before the basis is read
    amount_per_period: re.Pattern | None = None
    period_adjectives: tuple[str, ...] = ()  # folded per_period words: a substring test skips the regex
    home: list[tuple[str, re.Pattern]] = ()  # [home] and Kazakhstan's own places ([geography]): speaks_of_home
    halves: list[tuple[str, re.Pattern]] = ()  # [part_of_year]: first_half, second_half
    same_period: list[tuple[str, re.Pattern]] = ()  # [same_period]: "сәйкес кезеңде"


@lru_cache(maxsize=1)
def frame_words() -> FrameWords:
    data = load_toml("claim_frames.toml")

    def groups(table: str) -> list[tuple[str, re.Pattern, frozenset[str] | None]]:
        return [(name, rx, stem_keys(stems)) for name, stems in data.get(table, {}).items()
                if (rx := stems_regex(stems))]

    not_basis = data.get("basis_not", {})
    periodic = not_basis.get("per_period", [])
    pairs = [f"{p} {n}" for p in periodic for n in not_basis.get("amounts", [])]
    geography = groups("geography")
    home = groups("home") + [g for g in geography if g[0] not in ABROAD_OR_ANY]
    return FrameWords(groups("stat"), groups("basis"), groups("scope"), geography, groups("anaphora"),
                      stems_regex(pairs), tuple(fold(p) for p in periodic), home, groups("part_of_year"),
                      groups("same_period"))


def anaphoric(view: str, orig: str, starts: set[str] | None = None) -> bool:
    """Does the clause name its subject by pointing back ("бұл шама", "оның мөлшері")?"""
    return _first(frame_words().anaphora, view, orig, starts) is not None


MAX_CLAUSE = 160  # characters either side of a number: a longer stretch is no clause (a list, a table)


@lru_cache(maxsize=256)
def _breaks(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the clause breaks of a sentence, found once per sentence."""
    found = list(CLAUSE_BREAK.finditer(text))
    return [m.start() for m in found], [m.end() for m in found]


@lru_cache(maxsize=4096)
def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of text[start:end] (offsets relative to `text`), at most MAX_CLAUSE
    characters either side of it.  A number inside brackets ("5,5%-ға (сәуірде – 6,3%)")
    belongs to the clause before the bracket: the aside repeats that clause's subject."""
    starts, ends = _breaks(text)
    i = bisect.bisect_right(ends, start)  # breaks ending at or before `start`
    a = ends[i - 1] if i else 0
    j = bisect.bisect_left(starts, end)  # the first break starting at or after `end`
    b = starts[j] if j < len(starts) else len(text)
    opened = text.rfind("(", max(0, start - MAX_CLAUSE), start)
    if opened >= 0 and text.find(")", opened, start) < 0:
        close = text.find(")", end, end + MAX_CLAUSE)
        a = clause_bounds(text, opened, opened + 1)[0] if opened > 0 else 0
        b = close if close >= 0 else b
    return max(a, start - MAX_CLAUSE), min(b, end + MAX_CLAUSE)


def clause_starts(view: str, orig: str) -> set[str]:
    return word_starts(view) if view == orig else word_starts(view) | word_starts(orig)


def _matching(groups, view: str, orig: str, starts: set[str] | None = None) -> list[str]:
    """The groups whose stems occur, in order; a group none of whose stems can start a word
    of the text (stem_keys against word_starts: one scan) is not searched at all."""
    starts = clause_starts(view, orig) if starts is None else starts
    return [name for name, rx, _ in _possible(groups, starts) if either(rx, view, orig)]


def _first(groups, view: str, orig: str, starts: set[str] | None = None) -> str | None:
    starts = clause_starts(view, orig) if starts is None else starts
    for name, rx, _ in _possible(groups, starts):
        if either(rx, view, orig):
            return name
    return None


# groups list id -> (groups, its KeyIndex): a word list's groups are found by their keys
# (stem_keys against the word starts), one set intersection for all of them.  Holding the
# list keeps its id from being reused while the entry stands.
_INDEXES: dict[int, tuple[list, KeyIndex]] = {}


def _possible(groups, starts: set[str]) -> list[tuple[str, re.Pattern, frozenset[str] | None]]:
    got = _INDEXES.get(id(groups))
    if got is None or got[0] is not groups:
        got = _INDEXES[id(groups)] = (groups, KeyIndex(groups, lambda group: group[2]))
    return got[1].possible(starts)


def stat_cues(view: str, orig: str, starts: set[str] | None = None) -> frozenset[str]:
    """The statistic-type cue groups (index, share, change…) whose words the clause has."""
    return frozenset(_matching(frame_words().stat, view, orig, starts))


# a per cent with a possessive ending is a part of something ("халықтың 40%-ы", "ЖІӨ-нің 30%-ына",
# "30 %-на", "paıyzy"): the 3rd-person possessive and the cases after it; a per cent's own case
# endings (-ға, -ды, -дың, -да, -дан, -бен) never start with ы/і or an н
SHARE_SUFFIX = re.compile(r"(?:пайыз[ыі]|paıyz[yı]|paiyz[yı]|payız[ıi]|%\s?[-–]?\s?(?:[ыіyı]|(?:на|не|нда|нде|нан|нен)\b))")


def stat_type(unit: str | None, per: str | None, qty_text: str, view: str, orig: str,
              starts: set[str] | None = None, cue: frozenset[str] | None = None) -> str:
    """The statistic type of a number from its unit and the cue words of its clause
    (`cue`: stat_cues of the clause, when the caller has them)."""
    if cue is None:
        cue = stat_cues(view, orig, starts)
    qfold = qty_text.lower()
    if "index" in cue:
        return "index"
    if "share" in cue or SHARE_SUFFIX.search(qfold):
        return "share"
    if "ratio" in cue and unit is None:
        return "ratio"
    reached = bool(re.search(r"(?:дейін|deıin|deyin)\b", qfold))  # "8,5%-ға дейін": the level reached
    if unit == "%":
        return "change_pct" if "change" in cue and not reached else "rate"
    last = qfold.split()[-1] if qfold.split() else ""
    if "change" in cue and not reached and re.search(r"(?:ға|ге|қа|ке|ǵa|ğa|ge|qa|ke)$", last):
        return "change_abs"  # "500 мың тоннаға артты", "3,43 теңгеге өсті"
    if unit is not None and per in MONEY_CODES:
        return "rate"  # KZT per USD
    if "price" in cue and unit in ("KZT", "USD", "RUB", "EUR", "CNY"):
        return "price"
    if unit in COUNT_UNITS or (unit is not None and unit not in MONEY_CODES and unit not in LEVEL_UNITS):
        return "count"  # people, schools, cases: a counted noun (population and traffic read as levels, see
        # indicators.toml `reads_as`)
    return "level"


def basis_of(view_clause: str, orig_clause: str, view_sentence: str, orig_sentence: str,
             starts: set[str] | None = None, sentence_starts: set[str] | None = None) -> str | None:
    words = frame_words()
    return (_first(words.basis, _without_amount_per_period(view_clause), _without_amount_per_period(orig_clause),
                   starts)
            or _first(words.basis, _without_amount_per_period(view_sentence),
                      _without_amount_per_period(orig_sentence), sentence_starts))


@lru_cache(maxsize=1024)
def _without_amount_per_period(text: str) -> str:
    """The (folded) text with "айлық жалақы", "aılyq zeınetaqy", "жылдық табыс"… blanked: "айлық"
    there is "monthly" (a wage per month), not a month-on-month change (claim_frames.toml
    [basis_not]).  Blanks keep the length, so offsets into the text stay right."""
    words = frame_words()
    if words.amount_per_period is None or not any(p in text for p in words.period_adjectives):
        return text
    return words.amount_per_period.sub(lambda m: " " * len(m.group(0)), text)


PRICE_WORD = re.compile(r"(?<!\w)(?:бағасы|бағасының|бағалары|құны|құнының|baǵasy|baǵasynyń|quny)(?!\w)",
                        re.IGNORECASE)
PRICE_STEMS = ("баға", "құн", "baǵa", "qun")  # what every PRICE_WORD begins with (the text is folded)
WORD_BEFORE = re.compile(r"([\w-]+)\s+$")
GENERAL_GOODS = re.compile(r"^(?:тауар|тұтыну|жалпы|орташа|баға|өнім|tauar|taýar|tutyný|jalpy|ortasha)", re.IGNORECASE)


def scope_of(view: str, orig: str, starts: set[str] | None = None) -> str:
    """The clause's scope.  Besides the word lists, the head of a price phrase: in "банан
    бағасы" (X-тың Y-ы: the price of bananas) the dependent noun is the product, so a price
    of anything but goods in general is a subset."""
    named = _first(frame_words().scope, view, orig, starts)
    if named:
        return named
    if occupation_named(view):
        return "occupation"
    for text in (view, orig) if view != orig else (view,):
        if not any(w in text for w in PRICE_STEMS):
            continue  # PRICE_WORD needs one: a substring test skips the regex
        for m in PRICE_WORD.finditer(text):
            # the noun before the price word (looked for in a short window: linear time)
            before = WORD_BEFORE.search(text[max(0, m.start() - 60):m.start()])
            if before and not GENERAL_GOODS.match(before.group(1)):
                return "subset"
    return "total"


_WAGE_STEMS = ("жалақ", "еңбекақ", "айлығ", "айлық")  # a substring test before the regex


def occupation_named(view: str) -> bool:
    """Does a text (a clause, a sentence: its Cyrillic view) speak of an occupation's wage?"""
    wage, ellipsis, endings = _occupation_patterns()
    if any(w in view for w in _WAGE_STEMS) and wage.search(view) is not None:
        return True
    return any(e in view for e in endings) and ellipsis.search(view) is not None


@lru_cache(maxsize=1)
def _occupation_patterns() -> tuple[re.Pattern, re.Pattern, tuple[str, ...]]:
    """From claim_frames.toml [occupation], on the folded view (the noun may carry plural and
    possessive endings before the genitive: "қызметкер-лер-і-нің"):
      - an occupation noun in the genitive right before a wage word: "мұғалімдердің (орташа)
        жалақысы", "медицина қызметкерлерінің айлығы";
      - the genitive with -кі (its ң dropped: -нікі, -дікі, -тыкі), which stands for the wage
        named before it: "инженерлердің жалақысы …, ал жүргізушілердікі …";
    and the -кі endings (a substring test before the second search)."""
    from derek.morph import grammar

    data = load_toml("claim_frames.toml")["occupation"]

    def alt(words: list[str]) -> str:
        return "|".join(re.escape(fold(w)).replace(r"\ ", r"\s+") for w in words)

    genitive = grammar.forms("GEN")
    endings = tuple(g[:-1] + "кі" for g in genitive)
    noun = rf"(?<!\w)(?:{alt(data['nouns'])})\w*?"
    wage = re.compile(rf"{noun}(?:{'|'.join(genitive)})\s+(?:(?:{alt(data['between'])})\s+){{0,2}}"
                      rf"(?:{alt(data['wage_words'])})", re.IGNORECASE)
    ellipsis = re.compile(rf"{noun}(?:{'|'.join(endings)})(?!\w)", re.IGNORECASE)
    return wage, ellipsis, endings


NATIONAL = re.compile(r"(?<!\w)(?:елімізд|еліміздің|ел бойынша|елдегі|республика бойынша|республикалық|қазақстанда|"
                      r"qazaqstanda|elimizd|el boıynsha|respýblıka boıynsha)", re.IGNORECASE)
CURRENCY_COUNTRY = re.compile(r"(?<!\w)(?:ақш|aqsh|aqş)\s+(?=доллар|dollar)", re.IGNORECASE)


def geography_of(view: str, orig: str, starts: set[str] | None = None) -> str | None:
    """A named region or city of the clause; a generic "облыс/өңір" counts only when the
    clause does not say it speaks of the whole country ("еліміздің көптеген өңірінде")."""
    got = _first(frame_words().geography, view, orig, starts)
    if got == "region" and (NATIONAL.search(view) or NATIONAL.search(orig)):
        return None
    return got


def speaks_of_home(view: str, orig: str, starts: set[str] | None = None) -> bool:
    """Does the text show it is about Kazakhstan without naming the country: "еліміз", one of
    its own institutions ([home]), one of its places ([geography]) or a national cue (NATIONAL)?
    (Whether it names Қазақстан itself is the lexicon's countries_in.)"""
    return bool(NATIONAL.search(view) or NATIONAL.search(orig) or _first(frame_words().home, view, orig, starts))


def without_currency_country(text: str) -> str:
    """"АҚШ доллары" names a currency, not a country the figure is about."""
    low = text.lower()  # the regex's own case folding; a substring test skips most texts
    if "ақш" not in low and "aqsh" not in low and "aqş" not in low:
        return text
    return CURRENCY_COUNTRY.sub("", text)


def quarter_of(view: str) -> int | None:
    """The quarter a (folded, lower-case) sentence names: "екінші тоқсанда" → 2."""
    if "тоқсан" not in view and "toqsan" not in view:
        return None  # QUARTER_RX needs the word: a substring test skips the regex
    m = QUARTER_RX.search(view)
    return ROMAN_OR_WORD.get(m.group(1).lower()) if m else None


HALF_MONTHS = {"first_half": (1, 6), "second_half": (7, 12)}


def refine_period(period: str | None, view_sentence: str, months_span: tuple[int, int] | None,
                  starts: set[str] | None = None) -> str | None:
    """A year made precise by what the sentence says: a quarter ("екінші тоқсанда" → 2023-Q2),
    a half-year ("бірінші жартыжылдықта" → 2023-01/2023-06: claim_frames.toml [part_of_year]),
    or a month span ("қаңтар-қараша" → 2022-01/2022-11).  `starts`: the sentence's word_starts
    when the caller has them."""
    if not period or not re.fullmatch(r"\d{4}", period):
        return period
    q = quarter_of(view_sentence)
    if q:
        return f"{period}-Q{q}"
    half = _first(frame_words().halves, view_sentence, view_sentence, starts)
    if half:
        a, b = HALF_MONTHS[half]
        return f"{period}-{a:02d}/{period}-{b:02d}"
    if months_span:
        a, b = months_span
        return f"{period}-{a:02d}/{period}-{b:02d}"
    return period


def month_count(written: str) -> int:
    """How many months "9" or "он бір" (indicators.toml [period] months_regex) says; 0 for
    none it can read."""
    if written.isdigit():
        return int(written)
    from derek.extract.numerals import numeral_words

    words = numeral_words()
    return int(sum(words.get(w, 0) for w in written.split()))


def names_same_period(view: str, orig: str, starts: set[str] | None = None) -> bool:
    """Does the sentence speak of "the same period" of another year (claim_frames.toml
    [same_period])?  Its figures are then for a part of a year."""
    return _first(frame_words().same_period, view, orig, starts) is not None


def same_part(period: str, context_period: str | None) -> str | None:
    """The part of the year `context_period` names ("2019-Q1", "2019-01/2019-06", "2019-05"),
    in the year `period`; None when it names no part (a whole year, a day, nothing)."""
    if not context_period or len(context_period) <= 4:
        return None
    year = period[:4]
    m = re.fullmatch(r"(\d{4})-(Q[1-4]|\d\d)(?:/(\d{4})-(\d\d))?", context_period)
    if not m or (m.group(3) and m.group(3) != m.group(1)):
        return None
    return f"{year}-{m.group(2)}" + (f"/{year}-{m.group(4)}" if m.group(4) else "")


def _month_alternation() -> tuple[str, dict[str, int]]:
    """The month names as one regex alternation, longest first, and their numbers."""
    from derek.langdata import month_numbers

    names = month_numbers()
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True)), names


@lru_cache(maxsize=1)
def _month_span_rx() -> tuple[re.Pattern, dict[str, int]]:
    alts, names = _month_alternation()
    rx = re.compile(rf"(?<!\w)({alts})\w*\s*[-–—]\s*({alts})\w*", re.IGNORECASE)
    return rx, names


@lru_cache(maxsize=1)
def _month_word_rx() -> tuple[re.Pattern, dict[str, int]]:
    alts, names = _month_alternation()
    # a month in the locative or with "айы": "мамырда", "наурыз айында", "сәуірде"
    rx = re.compile(rf"(?<!\w)({alts})(?:да|де|та|те|нда|нде|\s+ай\w*)(?!\w)", re.IGNORECASE)
    return rx, names


@lru_cache(maxsize=1)
def month_keys() -> frozenset[str]:
    """stem_keys of the month names: a text none of whose words starts so names no month."""
    from derek.langdata import month_numbers

    return stem_keys(list(month_numbers())) or frozenset()


def month_word(text: str) -> int | None:
    """The month a clause or sentence names in the locative (the dates layer may miss a bare
    "мамырда"); the last one before the number counts, so the caller passes text up to it."""
    rx, names = _month_word_rx()
    found = [names.get(m.group(1).lower()) for m in rx.finditer(text)]
    found = [m for m in found if m]
    return found[-1] if found else None


def month_span(view_sentence: str) -> tuple[int, int] | None:
    """"қаңтар-қараша" → (1, 11) in a (folded) sentence."""
    if "-" not in view_sentence and "–" not in view_sentence and "—" not in view_sentence:
        return None  # the span needs a dash: a substring test skips the regex
    rx, names = _month_span_rx()
    m = rx.search(view_sentence)
    if not m:
        return None
    a, b = names.get(m.group(1).lower()), names.get(m.group(2).lower())
    return (a, b) if a and b and a < b else None
