"""Indicators (derek/data/indicators.toml): which statistic a sentence's number is about.

A sentence binds a quantity to an indicator when one of the indicator's phrases occurs in it,
the quantity's unit is one the indicator accepts, and the countries it names fit the
indicator's `binds` (Kazakhstan is the home country; a foreign one must be named, or be one of
"екі ел" = the article's two main countries).  Phrases are word-stem sequences matched on the
Cyrillic analysis view, plus Latin-script variants matched on the original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from derek.langdata import load_toml
from derek.text.translit import view_spelling, view_spelling_pattern

HOME = "Қазақстан"
MONEY = frozenset({"KZT", "USD", "RUB", "EUR", "CNY", "GBP"})


def fold(text: str) -> str:
    """Lower-case and fold the letters that Latin Kazakh spellings disagree on, so one
    comparison form serves the view (Cyrillic) and the original (any script)."""
    return text.lower().replace("ı", "i").replace("i̇", "i").replace("ё", "е")


def stems_regex(phrases: list[str]) -> re.Pattern | None:
    """One regex for several stem phrases: each word must START a word of the text; the
    words of a phrase are separated by spaces or hyphens.  A phrase ending in "$" must also
    end a word ("баға$" is the word "баға", not "бағалау" = evaluating)."""
    alts = []
    for phrase in phrases:
        whole = phrase.strip().endswith("$")
        words = [fold(w) for w in re.split(r"[\s]+", phrase.strip().rstrip("$")) if w]
        if words and whole:
            words[-1] += "\x00"  # marks the word end; replaced below once escaped
        if words:
            # "(?<!\w)stem" written as "s(?<!\w.)tem": the same matches, but every branch now
            # starts with a literal, so the regex engine skips ahead to the possible first
            # letters instead of trying the look-behind at every position (2x on sentences)
            first = re.escape(words[0][0]) + r"(?<!\w[\s\S])" + re.escape(words[0][1:])
            alt = r"\w*[\s\-]+".join([first] + [re.escape(w) for w in words[1:]])
            # a Latin text's view spells a loanword "експорт", "модалдық" (translit.VIEW_SPELLING)
            alt = view_spelling_pattern(alt)
            alts.append(alt.replace(re.escape("\x00"), r"(?!\w)").replace("\x00", r"(?!\w)"))
    if not alts:
        return None
    return re.compile(r"(?:" + "|".join(alts) + r")", re.UNICODE)


_WORD_CHAR = re.compile(r"\w")
KEY_LETTERS = 4  # how many first letters of a stem's first word serve as its key
_WORD_START = re.compile(r"(?<!\w)\w{1,%d}" % KEY_LETTERS)


def either(rx: re.Pattern, view: str, orig: str) -> bool:
    """Does `rx` occur in the view or the original form of a sentence?  For Cyrillic input
    the two are equal and one search answers both."""
    return rx.search(view) is not None or (view != orig and rx.search(orig) is not None)


def either_keyed(rx: re.Pattern, keys: frozenset[str] | None, view: str, orig: str,
                 starts: set[str] | None) -> bool:
    """either(), answered False without a search when `starts` (word_starts of both forms)
    has none of the keys the stems need (stem_keys: such a text cannot match)."""
    if starts is not None and keys is not None and keys.isdisjoint(starts):
        return False
    return either(rx, view, orig)


def stem_keys(phrases: list[str]) -> frozenset[str] | None:
    """What a text must contain for stems_regex(phrases) to match: each phrase's first word
    starts a word of the text, so the text has a word beginning with that word's first
    letters (up to KEY_LETTERS of them, as far as they are word letters).  None when a phrase
    starts with a non-word character (no such promise)."""
    keys = set()
    for phrase in phrases:
        # only the first word counts (str.split: the same whitespace as the regex's \s, and
        # no regex call per phrase: ~500 lists are keyed when the lexicon loads)
        words = phrase.split(None, 1)
        if not words:
            continue
        first = fold(words[0])
        n = 0
        while n < min(len(first), KEY_LETTERS) and _WORD_CHAR.match(first[n]):
            n += 1
        if n == 0:
            return None
        keys.add(first[:n])
        latin = view_spelling(first)  # the spelling stems_regex also accepts
        if latin != first:
            keys.add(latin[:min(len(latin), KEY_LETTERS)])
    return frozenset(keys)


def word_starts(text: str) -> set[str]:
    """Every prefix (1 to KEY_LETTERS letters) of every word of `text` (see stem_keys)."""
    starts = set(_WORD_START.findall(text))
    return starts.union([m[:1] for m in starts], [m[:2] for m in starts], [m[:3] for m in starts])


class KeyIndex:
    """Items in order, each with the stem_keys its pattern needs (None: no promise).
    `possible(starts)` is the items whose keys meet a text's word_starts, in order, found by
    one set intersection (in C, over the smaller set) instead of a test per item: a sentence
    meets few of the hundreds of keys."""

    def __init__(self, items: list, keys_of: Callable[[object], frozenset[str] | None]):
        self.items = list(items)
        self.always = [i for i, item in enumerate(self.items) if keys_of(item) is None]
        self.by_key: dict[str, list[int]] = {}
        for i, item in enumerate(self.items):
            for k in keys_of(item) or ():
                self.by_key.setdefault(k, []).append(i)
        self.keys = frozenset(self.by_key)

    def possible(self, starts: set[str]) -> list:
        hit = self.keys & starts
        if not hit and not self.always:
            return []
        found = set(self.always)
        by_key = self.by_key
        for k in hit:
            found.update(by_key[k])
        items = self.items
        return [items[i] for i in sorted(found)]


@dataclass
class Indicator:
    id: str
    subject: str
    measure: str = "flow"  # flow | stock | rate | event
    units: tuple[str, ...] = ()
    per: str | None = None
    bare: bool = False
    binds: tuple[str, ...] = ()
    bind_scope: str = "sentence"
    phrases: tuple[str, ...] = ()
    phrases_latn: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()
    # the frame a reference row of this indicator stands for (frame.py reads the claim's)
    family: str = ""  # what is measured, shared by variants ("inflation_annual" for total and food)
    stat_types: tuple[str, ...] = ()  # statistic types a claim may have to be checked here
    scope: str = "total"  # total, or the named part the series measures (food, domestic_routes…)
    geography: str = "KZ"  # KZ, a bilateral pair (KZ-RU), or a city/region
    basis: str | None = None  # yoy | mom | ytd: the basis of a change the series gives
    within: bool | None = None  # may an observation inside a claim's period stand for it? (default: stocks)
    periods: tuple[str, ...] = ()  # granularities the series has: year, quarter, month, span, day (all if empty)
    context: tuple[str, ...] = ()  # one of these stems must be in the sentence (food prices: "баға")
    reads_as: str | None = None  # the statistic type a level or count of this series is (population: level)
    _rx: re.Pattern | None = field(default=None, repr=False)
    _rx_latn: re.Pattern | None = field(default=None, repr=False)
    _rx_exclude: re.Pattern | None = field(default=None, repr=False)
    _rx_needs: re.Pattern | None = field(default=None, repr=False)
    _rx_all: tuple[re.Pattern, ...] = field(default=(), repr=False)
    _keys: frozenset[str] | None = field(default=None, repr=False)  # stem_keys of phrases
    _keys_latn: frozenset[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._rx = stems_regex(list(self.phrases))
        self._rx_latn = stems_regex(list(self.phrases_latn))
        self._keys = stem_keys(list(self.phrases))
        self._keys_latn = stem_keys(list(self.phrases_latn))
        self._rx_exclude = stems_regex(list(self.exclude))
        self._rx_needs = stems_regex(list(self.needs))
        self._rx_all = tuple(r for r in (stems_regex(list(g)) for g in self.all_of) if r)
        self._rx_context = stems_regex(list(self.context))
        self._keys_exclude = stem_keys(list(self.exclude))
        self._keys_context = stem_keys(list(self.context))
        if not self.family:
            self.family = self.id
        if not self.stat_types:
            self.stat_types = _default_stat_types(self)
        if self.within is None:
            self.within = self.measure == "stock"

    # -- the frame gates -----------------------------------------------------------------
    def gate(self, frame, geography: str | None = None) -> str | None:
        """Why a claim with this frame cannot be checked against this indicator's rows
        (a reason code), or None when every slot is compatible.  `geography` stands for the
        frame's own when the sentence binds the indicator's pair (KZ-RU)."""
        stat = frame.stat_type
        if stat == "change_abs" and frame.level_or_change and "level" in self.stat_types:
            stat = "level"  # read as the level reached (verify: consistent or no verdict)
        if stat not in self.stat_types and not ({stat} | set(self.stat_types)) <= {"level", "count"}:
            return "stat_type_mismatch"
        if self.basis and frame.basis and frame.basis != self.basis:
            return "stat_type_mismatch"
        if frame.scope != self.scope:
            return "scope_subset"
        if (geography or frame.geography) != self.geography:
            return "geography_mismatch"
        return None

    # `starts`: word_starts of both forms, when the caller has them (a search is skipped when
    # no stem's key is among them)
    def lacks_context(self, view: str, orig: str, starts: set[str] | None = None) -> bool:
        rx = self._rx_context
        return bool(rx and not either_keyed(rx, self._keys_context, view, orig, starts))

    # -- matching on one sentence (both forms already folded) ------------------------------
    def phrase_positions(self, view: str, orig: str, view_starts: set[str] | None = None,
                         orig_starts: set[str] | None = None) -> list[int]:
        """Offsets (relative to the sentence) where a phrase starts, in either script.
        `view_starts`/`orig_starts` (word_starts of each form, when the caller has them)
        skip a pattern whose stems start none of the sentence's words."""
        out = []
        for rx, text, keys, starts in ((self._rx, view, self._keys, view_starts),
                                       (self._rx_latn, orig, self._keys_latn, orig_starts)):
            if rx is not None and (starts is None or keys is None or not keys.isdisjoint(starts)):
                out.extend(m.start() for m in rx.finditer(text))
        return sorted(set(out))

    def excluded(self, view: str, orig: str, starts: set[str] | None = None) -> bool:
        rx = self._rx_exclude
        return bool(rx and either_keyed(rx, self._keys_exclude, view, orig, starts))

    def lacks_needed(self, view: str, orig: str) -> bool:
        rx = self._rx_needs
        return bool(rx and not either(rx, view, orig))

    def event_matches(self, view: str, orig: str) -> bool:
        return bool(self._rx_all) and all(either(r, view, orig) for r in self._rx_all)

    def accepts_unit(self, unit: str | None, per: str | None) -> bool:
        if unit is None:
            return self.bare
        if self.per and per and per != self.per:
            return False
        if "money" in self.units and unit in MONEY:
            return True
        return unit in self.units


def _phrase_keys(ind: Indicator) -> frozenset[str] | None:
    """The keys of all the phrases phrase_positions searches (None: one promises none)."""
    keys: set[str] = set()
    for rx, got in ((ind._rx, ind._keys), (ind._rx_latn, ind._keys_latn)):
        if rx is None:
            continue
        if got is None:
            return None
        keys |= got
    return frozenset(keys)


def _default_stat_types(ind: "Indicator") -> tuple[str, ...]:
    if ind.per:
        return ("rate",)
    if ind.units == ("%",):
        return ("change_pct", "rate")
    return ("level", "count")


@dataclass
class Lexicon:
    indicators: dict[str, Indicator]
    countries: dict[str, re.Pattern]  # canonical -> stems regex
    regions: re.Pattern | None
    modality: list[tuple[str, re.Pattern]]
    present: re.Pattern | None
    last_year: re.Pattern | None
    months_rx: re.Pattern | None
    quarter: re.Pattern | None
    checkworthy: re.Pattern | None = None
    target: re.Pattern | None = None  # clause-level goal cues (a target corridor beside a fact, "… жетуі керек")
    horizon: re.Pattern | None = None  # clause-level forecast cues (a future horizon: "2030 жылға қарай")
    predicates: re.Pattern | None = None  # a sentence's last verb that states an event or a change
    predicate_words: int = 1  # the most words a predicate phrase has
    predicate_ends: frozenset[str] = frozenset()  # the predicates' last words, whole and folded
    country_keys: dict[str, frozenset[str] | None] = field(default_factory=dict)  # name -> stem_keys
    modality_keys: dict[str, frozenset[str] | None] = field(default_factory=dict)  # group -> stem_keys
    # stem_keys of last_year, present and checkworthy (see either_keyed)
    period_keys: dict[str, frozenset[str] | None] = field(default_factory=dict)
    _countries_memo: dict = field(default_factory=dict, repr=False)
    unit_memo: dict = field(default_factory=dict, repr=False)  # (unit, per) -> indicators accepting it
    # the indicators by the keys of their phrases (stem_keys, either script): a sentence then
    # tries ~3 of ~260 indicators (see phrases_named)
    _phrase_index: KeyIndex | None = field(default=None, repr=False)
    _order: dict[str, int] = field(default_factory=dict, repr=False)  # indicator id -> place in the file
    _country_index: KeyIndex | None = field(default=None, repr=False)  # the countries by their keys

    def __post_init__(self) -> None:
        self._order = {ind_id: i for i, ind_id in enumerate(self.indicators)}
        self._phrase_index = KeyIndex(list(self.indicators.values()), _phrase_keys)
        self._country_index = KeyIndex(list(self.countries.items()), lambda pair: self.country_keys.get(pair[0]))

    def phrases_named(self, starts: set[str]) -> list[Indicator]:
        """The indicators a phrase of which can occur in a text with these word_starts, in
        file order: every other one's phrase_positions there is empty (its keys are disjoint
        from the starts), so a caller may skip it without asking."""
        return self._phrase_index.possible(starts)

    def countries_in(self, view: str, orig: str, starts: set[str] | None = None,
                     maybe: list[tuple[str, re.Pattern]] | None = None) -> set[str]:
        # every sentence is asked twice (main countries, then claims), against ~100 regexes:
        # remember this article's answers (see new_article), and search once when both forms
        # are equal (Cyrillic input), where the second search could only repeat the first
        key = (view, orig)
        got = self._countries_memo.get(key)
        if got is None:
            # ~100 country patterns, of which a sentence can match only those whose stems
            # start one of its words: test that first (one scan), search only those.
            # `starts`: the caller's word_starts of these forms or of a text containing them;
            # `maybe`: the caller's maybe_countries() for such a text
            same = view == orig
            if maybe is None:
                if starts is None:
                    starts = word_starts(view) if same else word_starts(view) | word_starts(orig)
                maybe = self.maybe_countries(starts)
            if same:
                got = frozenset(name for name, rx in maybe if rx.search(view))
            else:
                got = frozenset(name for name, rx in maybe if rx.search(view) or rx.search(orig))
            self._countries_memo[key] = got
        return set(got)

    def maybe_countries(self, starts: set[str]) -> list[tuple[str, re.Pattern]]:
        """The countries whose stems can start a word of a text with these word_starts."""
        return self._country_index.possible(starts)

    def new_article(self) -> None:
        """Forget the previous article's per-sentence answers (memory stays per article)."""
        self._countries_memo.clear()

    def modality_of(self, view: str, orig: str, starts: set[str] | None = None) -> str:
        """forecast, goal or opinion when the sentence has one of their cues, else fact.
        `starts` (word_starts of the forms, when the caller has them) skips a group none of
        whose stems starts a word."""
        same = view == orig
        for name, rx in self.modality:
            keys = self.modality_keys.get(name)
            if starts is not None and keys is not None and keys.isdisjoint(starts):
                continue
            if rx.search(view) or (not same and rx.search(orig)):
                return name
        return "fact"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = load_toml("indicators.toml")
    indicators: dict[str, Indicator] = {}
    for raw in data.get("indicator", []):
        ind = Indicator(
            id=raw["id"], subject=raw["subject"], measure=raw.get("measure", "flow"),
            units=tuple(raw.get("units", ())), per=raw.get("per"), bare=raw.get("bare", False),
            binds=tuple(raw.get("binds", ())), bind_scope=raw.get("bind_scope", "sentence"),
            phrases=tuple(raw.get("phrases", ())), phrases_latn=tuple(raw.get("phrases_latn", ())),
            exclude=tuple(raw.get("exclude", ())), needs=tuple(raw.get("needs", ())),
            all_of=tuple(tuple(g) for g in raw.get("all_of", ())),
            family=raw.get("family", ""), stat_types=tuple(raw.get("stat_types", ())),
            scope=raw.get("scope", "total"), geography=raw.get("geography", _geography_of_binds(raw)),
            basis=raw.get("basis"), within=raw.get("within"), periods=tuple(raw.get("periods", ())),
            context=tuple(raw.get("context", ())), reads_as=raw.get("reads_as"),
        )
        if ind.id in indicators:
            raise ValueError(f"indicators.toml: duplicate indicator id {ind.id!r}")
        indicators[ind.id] = ind
    countries = {name: stems_regex(stems) for name, stems in data.get("countries", {}).items()}
    period = data.get("period", {})
    months = period.get("months_regex")
    return Lexicon(
        indicators=indicators,
        countries={k: v for k, v in countries.items() if v is not None},
        regions=stems_regex(data.get("regions", {}).get("stems", [])),
        modality=[(name, rx) for name in ("forecast", "goal", "opinion")
                  if (rx := stems_regex(data.get("modality", {}).get(name, [])))],
        present=stems_regex(period.get("present", [])),
        last_year=stems_regex(period.get("last_year", [])),
        months_rx=re.compile(months, re.UNICODE) if months else None,
        quarter=stems_regex(period.get("quarter", [])),
        checkworthy=stems_regex(data.get("checkworthy", {}).get("stems", [])),
        target=stems_regex(data.get("modality", {}).get("target", []) + data.get("modality", {}).get("obligation", [])),
        horizon=stems_regex(data.get("modality", {}).get("horizon", [])),
        predicates=_final_verb_regex(data.get("checkworthy", {}).get("predicates", [])
                                     + data.get("checkworthy", {}).get("predicates_latn", [])),
        predicate_words=max((len(p.split()) for p in data.get("checkworthy", {}).get("predicates", [])
                             + data.get("checkworthy", {}).get("predicates_latn", [])), default=1),
        predicate_ends=frozenset(fold(p.split()[-1]) for p in data.get("checkworthy", {}).get("predicates", [])
                                 + data.get("checkworthy", {}).get("predicates_latn", [])),
        country_keys={name: stem_keys(stems) for name, stems in data.get("countries", {}).items()},
        modality_keys={name: stem_keys(data.get("modality", {}).get(name, [])) for name in ("forecast", "goal", "opinion")},
        period_keys={"last_year": stem_keys(period.get("last_year", [])),
                     "present": stem_keys(period.get("present", [])),
                     "checkworthy": stem_keys(data.get("checkworthy", {}).get("stems", []))},
    )


CODES = {"Ресей": "RU", "Қытай": "CN", "Өзбекстан": "UZ", "Қырғызстан": "KG", "Түркия": "TR", "АҚШ": "US",
         "Ауғанстан": "AF", "Әзірбайжан": "AZ", "Беларусь": "BY",
         "Германия": "DE", "Франция": "FR", "Ұлыбритания": "GB", "Италия": "IT", "Испания": "ES", "Жапония": "JP",
         "Оңтүстік Корея": "KR", "Солтүстік Корея": "KP", "Үндістан": "IN", "Иран": "IR", "Ирак": "IQ",
         "Тәжікстан": "TJ", "Түрікменстан": "TM", "Грузия": "GE", "Армения": "AM", "Украина": "UA", "Польша": "PL",
         "Бразилия": "BR", "Канада": "CA", "Моңғолия": "MN", "Пәкістан": "PK", "Сауд Арабиясы": "SA",
         "Біріккен Араб Әмірліктері": "AE", "Израиль": "IL", "Мысыр": "EG", "Швейцария": "CH", "Нидерланд": "NL",
         "Аустралия": "AU", "Литва": "LT", "Латвия": "LV", "Эстония": "EE", "Финляндия": "FI", "Швеция": "SE",
         "Норвегия": "NO", "Чехия": "CZ", "Венгрия": "HU", "Румыния": "RO", "Болгария": "BG", "Грекия": "GR",
         "Сингапур": "SG", "Малайзия": "MY", "Индонезия": "ID", "Вьетнам": "VN", "Таиланд": "TH", "Мексика": "MX",
         "Аргентина": "AR", "Оңтүстік Африка": "ZA", "Нигерия": "NG", "Катар": "QA", "Кувейт": "KW", "Сирия": "SY"}


def _geography_of_binds(raw: dict) -> str:
    """KZ for a national figure, KZ-RU for one the indicator binds to Russia (and so on)."""
    foreign = [CODES.get(c, c) for c in raw.get("binds", ()) if c != HOME]
    return "KZ-" + "-".join(foreign) if foreign else "KZ"


def _final_verb_regex(phrases: list[str]) -> re.Pattern | None:
    """The phrases as the END of a sentence's core (stems_regex's word-start rule, then only
    word letters to the end)."""
    rx = stems_regex(phrases)
    return re.compile(rf"(?:{rx.pattern})\w*$", re.UNICODE) if rx else None


def binds_ok(ind: Indicator, named: set[str], main: list[str], two_countries: bool,
             regional: bool) -> bool:
    """Do the countries a sentence names fit the indicator?

    named: countries named in the sentence; main: the article's main countries (most
    mentioned first); two_countries: the sentence says "екі ел"; regional: it names a
    region or city (then a national figure is not what it states)."""
    if ind.measure == "event" or not ind.binds:
        return True
    wanted = set(ind.binds)
    foreign_wanted = wanted - {HOME}
    if named - wanted:
        return False  # the sentence is about another country (or a Russian region…)
    if not foreign_wanted:
        return not regional
    present = set(named)
    if two_countries:
        present |= set(main[:2])
    if ind.bind_scope == "article":
        present |= set(main[:2])
    return foreign_wanted <= present
