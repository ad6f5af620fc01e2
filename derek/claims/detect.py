"""Claim detection: sentences that state a checkable fact, as `Claim` records.

A claim is a quantity bound to an indicator (derek/data/indicators.toml), or a dated event
that an event indicator describes.  Quantities that no indicator covers are still listed
(indicator None) so a fact-checker sees every number an article asserts; they come out
`unverifiable`.  The claim's period comes from the sentence's dates, else from the article
date (`бүгінде` = published), else from the latest reference year — `Detected.basis` says
which, and the verdict repeats it.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable

from derek.claims.frame import (HOME_GEO, NATIONAL, Frame, anaphoric, basis_of, clause_bounds, geography_of, month_count,
                                month_span, names_same_period, occupation_named, refine_period, same_part, scope_of,
                                speaks_of_home, stat_cues, stat_type, without_currency_country)
from derek.claims.indicators import (CODES, HOME, Indicator, Lexicon, binds_ok, either, either_keyed, fold, lexicon,
                                     word_starts)
from derek.claims.reference import Table
from derek.claims.speakers import Speakers
from derek.claims.checkworthy import (NOT_A_STATISTIC, asks, dated_report, stands_as_claim, states_event,
                                     states_membership)
from derek.claims.mood import (FUTURE, FUTURE_STATE, PLAN, clause_ends_in_own_verb, forecast_by_unit, in_condition,
                               judged, names_condition, sentence_mood)
from derek.doc import Claim, Document, Quantity, Sentence
from derek.langdata import load_toml
from derek.morph import grammar

# paragraph roles whose sentences are not statements of the article
SKIP_ROLES = {"author", "photo", "dateline"}
CLAUSE_BREAK = re.compile(r"[,;:()–—]")


class SpanIndex:
    """Items sorted by start; `within(a, b)` returns those starting in [a, b) by bisection,
    so per-sentence lookups stay linear overall (a sentence with thousands of numbers, or
    thousands of one-line paragraphs, must not make the stage quadratic)."""

    def __init__(self, items):
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, a: int, b: int) -> list:
        return self.items[bisect.bisect_left(self.starts, a):bisect.bisect_left(self.starts, b)]

    def last_at_or_before(self, offset: int, limit: int = 8) -> list:
        """Up to `limit` items starting at or before `offset`, nearest first."""
        i = bisect.bisect_right(self.starts, offset)
        return self.items[max(0, i - limit):i][::-1]


@dataclass
class Detected:
    claim: Claim
    indicator: Indicator | None
    basis: str | None  # sentence | published | latest_reference | None
    frame: Frame | None = None
    gate: str | None = None  # why no indicator's rows can stand for the claim (a reason code)
    alternatives: tuple[Indicator, ...] = ()  # other readings of the same words (y/y or m/m)
    asof: str | None = None  # the article's date: no reference row after it stands for "now"
    subject_basis: str = "sentence"  # "far": the phrase is outside the number's clause; "context": the sentence before's
    # the sentence says its figure is current ("бүгінде", "қазір"): with no date anywhere,
    # only then does the latest reference row stand for it (verify: undated)
    says_current: bool = False
    # "59,6 трлн теңгеден 61,8 трлн теңгеге дейін": the number a change starts from is the
    # earlier figure (an old estimate, the year before), not the claim period's (verify)
    change_start: bool = False
    # for a number read as a national figure (its clause names no place, no tenge amount): does
    # the article speak only of other countries (named too far before for _foreign_subject)?  Then
    # a national series' row differing is no evidence the figure is wrong (verify:
    # geography_unstated).  A question, asked only of an inconsistent verdict: reading the whole
    # article against the country list costs more than all the rest of most claims
    abroad: "Callable[[], bool] | None" = None
    # "end" / "start": a month's or a year's figure of a series of days said at the period's end
    # ("Қыркүйектің қорытындысы бойынша …") or start ("2025 жылдың басында …"): verify takes
    # that observation (claim_frames.toml [period_edge])
    edge: str | None = None


class _Views:
    """Sentence text in both comparison forms: folded view (Cyrillic) and folded original."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._orig_of_view = None  # view offset -> original offset (a sorted sequence)
        self._forms: dict[tuple[int, int], tuple[str, str]] = {}
        self._starts: dict[tuple[int, int], set[str]] = {}
        self.months: dict[tuple[int, int], int | None] = {}  # a sentence's month (detect._sentence_month)

    def view_span(self, start: int, end: int) -> tuple[int, int]:
        view = self.doc.view
        if view.is_identity:
            return start, end
        if self._orig_of_view is None:
            self._orig_of_view = view.original_starts()
        table = self._orig_of_view
        return bisect.bisect_left(table, start), bisect.bisect_left(table, end)

    def forms(self, start: int, end: int) -> tuple[str, str]:
        # asked for every sentence twice (main countries, then detection): folded once
        got = self._forms.get((start, end))
        if got is None:
            vs, ve = self.view_span(start, end)
            got = self._forms[start, end] = (fold(self.doc.view.text[vs:ve]), fold(self.doc.text[start:end]))
        return got

    def starts(self, start: int, end: int) -> set[str]:
        """word_starts of a sentence's two forms together, computed once: every word-list
        prefilter of the sentence and of its clauses uses it (a clause's starts are among
        its sentence's, and a filter that lets more through only costs a search)."""
        got = self._starts.get((start, end))
        if got is None:
            view, orig = self.forms(start, end)
            got = self._starts[start, end] = word_starts(view) if view == orig else word_starts(view) | word_starts(orig)
        return got


def main_countries(doc: Document, lex: Lexicon, views: _Views) -> list[str]:
    """The article's countries, most mentioned first (gazetteer, plus NER GPEs if present)."""
    counts: dict[str, int] = {}
    # the countries any sentence can name, found from the word starts of all the sentences
    # at once (a sentence's are among them), so no sentence needs its own
    forms = [views.forms(s.start, s.end) for s in doc.sentences]
    maybe = lex.maybe_countries(word_starts(" ".join(v if v == o else f"{v} {o}" for v, o in forms)))
    for view, orig in forms:
        for name in lex.countries_in(view, orig, maybe=maybe):
            counts[name] = counts.get(name, 0) + 1
    for e in doc.entities:
        if e.label == "GPE" and e.canonical:
            for name in _countries_of_name(lex, e.canonical):
                counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n != HOME, n))


class _ArticleCountries:
    """main_countries(), counted only when a binding rule asks for the article's two main
    countries ("екі ел", a joint project): most articles never do, and counting reads every
    sentence against ~100 country patterns."""

    def __init__(self, doc: Document, lex: Lexicon, views: "_Views"):
        self._args = (doc, lex, views)

    @cached_property
    def ranked(self) -> list[str]:
        return main_countries(*self._args)

    def __getitem__(self, k):
        return self.ranked[k]


class _ArticleHome:
    """Does the article speak only of other countries: it names some (a currency's "АҚШ
    доллары" aside) and never Kazakhstan nor anything of it (speaks_of_home)?  An article that
    names no country at all is Kazakh news about Kazakhstan.  Read once, when a claim on a
    national series asks."""

    def __init__(self, doc: Document, lex: Lexicon, views: "_Views"):
        self._args = (doc, lex, views)

    @cached_property
    def abroad(self) -> bool:
        doc, lex, views = self._args
        view, orig = views.forms(0, len(doc.text))
        named = lex.countries_in(without_currency_country(view), without_currency_country(orig))
        return bool(named) and HOME not in named and not speaks_of_home(view, orig)


def _countries_of_name(lex: Lexicon, canonical: str) -> list[str]:
    """Countries whose stems match a GPE's canonical name, in lexicon order; the same few
    names recur in every article, so the answers are kept (bounded)."""
    got = _GPE_MEMO.get(canonical)
    if got is None:
        folded = fold(canonical)
        got = [name for name, rx in lex.countries.items() if rx.search(folded)]
        if len(_GPE_MEMO) >= 10_000:
            _GPE_MEMO.clear()
        _GPE_MEMO[canonical] = got
    return got


_GPE_MEMO: dict[str, list[str]] = {}


def _role_at(paragraphs: SpanIndex, offset: int) -> str:
    for p in paragraphs.last_at_or_before(offset, limit=1):
        if p.start <= offset < p.end:
            return p.role
    return "body"


def iso_year(iso: str | None) -> int | None:
    """The year of an ISO date or period ("2024-03" -> 2024); None without one."""
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


def resolve_period(doc: Document, s: Sentence, anchor: int, ind: Indicator | None,
                   lex: Lexicon, table: Table, view: str, orig: str,
                   ctx: "_SentenceFacts | None" = None, context: "_Context | None" = None,
                   months: "re.Match | None" = None) -> tuple[str | None, str | None]:
    """(period, basis) for a claim in sentence `s` about the quantity at `anchor`.
    A sentence that names no period of its own (a comparison base like "2021 жылмен
    салыстырғанда" is none) continues the one before it: "2022 жылдың екінші тоқсанында
    жалақы … жетті. Өсім 24% болды." — the growth is the second quarter's (basis
    "context", checked like an assumed period: never inconsistent for a plain difference)."""
    ctx = ctx or _SentenceFacts(doc, s, lex, view, orig, SpanIndex(doc.dates))
    # "2021 жылмен салыстырғанда" names the base of a comparison, not the claim's period
    dates = [d for d in ctx.dates if not _comparison_base(doc, d)]
    if not dates and context is not None and context.period and not ctx.last_year and not ctx.present:
        return context.period, "context"
    published = iso_year(doc.meta.published)
    year: int | None = None
    period: str | None = None
    basis: str | None = None
    # a date inside a bracket the number is not in belongs to the bracket's own figures:
    # "… 4 мың тонна (2019 жылы – 3,8 мың), экспортқа – 1,2 мың тонна" — 1,2 is not 2019's
    before = [d for d in dates if d.start <= anchor and not _bracketed_apart(doc.text, d.start, anchor)]
    # a date after the number counts only inside the same clause ("28 млрд доллар 2024 жылы")
    after = [d for d in dates if d.start > anchor and not CLAUSE_BREAK.search(doc.text[anchor:d.start])]
    if before or after:
        d = before[-1] if before else after[0]
        period, basis, year = d.iso, "sentence", iso_year(d.iso)
    elif ctx.last_year:
        if published:
            year = published - 1
            period, basis = str(year), "published"
    elif published:
        year = published
        if ind is not None and ind.measure == "flow" and _year_just_begun(doc.meta.published):
            # a January or February article cannot tell this year's flow yet: its undated
            # total ("жолаушы саны 10 млн-нан асты", "11 айда 9,9 млн") is the year before's
            year -= 1
        period, basis = str(year), "published"
    # "2023 жылдың 9 айында": January..September of that year
    # `months`: the "N айында" that reaches the number (_months_reaching)
    m = months
    n = month_count(m.group(1)) if m else 0
    if m and year and 1 <= n <= 12 and period and len(period) == 4:
        period = f"{year}-01/{year}-{n:02d}"
    if period is None and ind is not None:
        if m:  # "N айда" with no year we can place: a part of an unknown year
            return None, "partial"
        latest = latest_reference_year(table, ind)
        if latest:
            period, basis = latest, "latest_reference"
    return period, basis


@lru_cache(maxsize=1)
def _edge_words() -> dict[str, frozenset[str]]:
    d = load_toml("claim_frames.toml")["period_edge"]
    return {"end": frozenset(d["end"]), "start": frozenset(d["start"])}


def _period_edge(views: "_Views", facts: "_SentenceFacts", ind: Indicator | None, period: str | None,
                 basis: str | None) -> str | None:
    """Detected.edge: "end" or "start" when a series of days (ind.periods = day) is asked
    for a month or a year the sentence dates with an end or a start word right after the date,
    or closing the date's own words ("Қыркүйектің қорытындысы бойынша", "Жыл соңында")."""
    if ind is None or ind.periods != ("day",) or basis != "sentence" or not period or len(period) > 7 \
            or "/" in period:
        return None
    words = _edge_words()
    for d in facts.dates:
        if d.iso != period:
            continue
        own = views.forms(d.start, d.end)[0].split()
        after = views.forms(d.end, min(d.end + 24, len(views.doc.text)))[0].split()
        for word in own[-1:] + after[:1]:
            for edge in ("end", "start"):
                if word in words[edge]:
                    return edge
    return None


def _year_just_begun(published: str | None) -> bool:
    """Is the publication date (YYYY-MM or YYYY-MM-DD) in January or February?"""
    return bool(published) and len(published) >= 7 and published[5:7] in ("01", "02")


def _months_reaching(doc: Document, views: "_Views", lex: Lexicon, s: Sentence, q: Quantity,
                     facts: "_SentenceFacts") -> "re.Match | None":
    """The "N айында" (indicators.toml [period] months_regex) said before the number or in
    its clause: in "Өткен жылы экспорт 5 млрд доллар болды, ал биыл алты айда 3 млрд" the
    six months are this year's, not last year's figure's."""
    if facts.months is None:
        return None
    text = doc.text[s.start:s.end]
    _, cb = clause_bounds(text, q.start - s.start, q.end - s.start)
    return lex.months_rx.search(views.forms(s.start, s.start + cb)[0])


def _bracketed_apart(text: str, pos: int, anchor: int) -> bool:
    """Is `pos` inside a bracket that closes before `anchor`?"""
    close = text.find(")", pos, anchor)
    return close >= 0 and text.rfind("(", 0, pos) > text.rfind(")", 0, pos)


def _comparison_base(doc: Document, d) -> bool:
    word = d.text.split()[-1].lower() if d.text.split() else ""
    follow = doc.text[d.end:d.end + 30].lower()
    return word.endswith(("мен", "бен", "пен", "men", "ben", "pen")) or "салыстыр" in follow or "salystyr" in follow


def latest_reference_year(table: Table, ind: Indicator) -> str | None:
    """The latest year with a usable reference row (part-year figures of a flow or a rate —
    "January–November" — do not stand for a year; a level observed in November does).
    Remembered per table (a daily series has thousands of rows)."""
    memo = table.memo.setdefault("latest_year", {})
    if ind.id not in memo:
        memo[ind.id] = _latest_reference_year(table, ind)
    return memo[ind.id]


def _latest_reference_year(table: Table, ind: Indicator) -> str | None:
    years = []
    for r in table.rows_for(ind.id):
        if ind.measure != "stock" and r.is_range and r.start[:4] == r.end[:4]:
            continue
        years.append(r.end[:4])
    return max(years) if years else None


CONTEXT_SENTENCES = 3  # how far back a sentence's subject and period carry to one that names neither


@dataclass
class _Context:
    """A sentence that stated a claim about a named indicator with its own period: the next
    sentences may continue it ("Өсім 24%, нақты мәнде 8,9%")."""
    index: int  # the sentence's place in doc.sentences
    facts: "_SentenceFacts"
    named: set[str]
    period: str | None


class _SentenceFacts:
    """What claim detection reads from one sentence, computed once for all its quantities."""

    def __init__(self, doc: Document, s: Sentence, lex: Lexicon, view: str, orig: str, dates: SpanIndex,
                 starts: "Callable[[], set[str]] | None" = None, before: "list[_SentenceFacts] | None" = None):
        self.view, self.orig = view, orig
        self._starts = starts
        self._before = before or []  # the sentences just before, nearest first (for `foreign`)
        self.lex = lex
        self.dates = [d for d in dates.within(s.start, s.end) if d.iso]
        self._positions: dict[str, list[int]] = {}
        self._excluded: dict[str, bool] = {}
        self.bound: dict[tuple[str | None, str | None], list[tuple[list[int], Indicator]]] = {}
        self.clauses: dict[tuple[int, int], tuple] = {}  # _clause_words per clause

    # Computed on first read, then plain attributes (__getattr__ runs only while one is
    # missing; a property would run on every read of `named`, once per indicator a number
    # tries; cached_property's first read takes a lock in Python 3.11).  last_year, present,
    # months: read only when a period is resolved; all_starts: word_starts of both forms (the
    # views' cached answer when there is one); named: the indicators a phrase of which may
    # occur in the sentence (Lexicon.phrases_named), by id in file order; occupation: it names an
    # occupation's wage (frame.occupation_named); countries, home, foreign: the countries it
    # names, whether it shows it is about Kazakhstan, and the foreign ones its figures belong to
    # (_foreign_subject).
    def __getattr__(self, name: str):
        if name not in ("last_year", "present", "months", "all_starts", "named", "occupation", "countries",
                        "home", "foreign"):
            raise AttributeError(name)  # before reading self.lex: a half-made copy must not recurse
        lex = self.lex
        if name == "last_year":
            got = bool(lex.last_year and either_keyed(lex.last_year, lex.period_keys.get("last_year"),
                                                      self.view, self.orig, self._known_starts()))
        elif name == "present":
            got = bool(lex.present and either_keyed(lex.present, lex.period_keys.get("present"),
                                                    self.view, self.orig, self._known_starts()))
        elif name == "months":
            got = lex.months_rx.search(self.view) if lex.months_rx else None
        elif name == "occupation":  # an occupation's wage named in the sentence (read once, not per clause)
            got = occupation_named(self.view)
        elif name == "all_starts":
            got = self._starts() if self._starts is not None else word_starts(self.view) | word_starts(self.orig)
        elif name == "countries":  # the countries the sentence names, a currency's "АҚШ доллары" aside
            got = lex.countries_in(without_currency_country(self.view), without_currency_country(self.orig),
                                   self.all_starts)
        elif name == "home":  # it shows it is about Kazakhstan: names it, "еліміз", one of its places…
            got = HOME in self.countries or speaks_of_home(self.view, self.orig, self.all_starts)
        elif name == "foreign":
            got = _foreign_subject(self)
        else:  # named
            got = {ind.id: ind for ind in lex.phrases_named(self.all_starts)}
        setattr(self, name, got)
        return got

    def _known_starts(self) -> set[str] | None:
        """all_starts when already computed, else None: a single search is cheaper than
        finding the word starts for it alone."""
        return self.__dict__.get("all_starts")

    def named_for(self, unit: str | None, per: str | None) -> list[Indicator]:
        """_by_unit(unit, per) less the indicators the sentence cannot name, in the same order."""
        accepting = _by_unit_ids(self.lex, unit, per)
        return [ind for i, ind in self.named.items() if i in accepting]

    def positions(self, ind: Indicator) -> list[int]:
        if ind.id not in self.named:
            return []
        if ind.id not in self._positions:
            self._positions[ind.id] = ind.phrase_positions(self.view, self.orig, self.all_starts,
                                                           self.all_starts)
            self._excluded[ind.id] = bool(self._positions[ind.id]) and \
                ind.excluded(self.view, self.orig, self.all_starts)
        return [] if self._excluded[ind.id] else self._positions[ind.id]


def _foreign_subject(facts: _SentenceFacts) -> frozenset[str]:
    """The countries a sentence that names none speaks of when the nearest sentence before it
    that names a country names only foreign ones ("Ресейде экономика баяу өседі. ЖІӨ өсімі 3,6%
    болды": Russia's); empty when it, that sentence or one between shows it is about Kazakhstan
    (`home`), or no sentence within CONTEXT_SENTENCES names a country."""
    if facts.countries:
        return frozenset()
    walked = [facts]
    for f in facts._before:
        walked.append(f)
        if f.countries:
            # the cheap test first: most sentences before name no foreign country at all
            if HOME in f.countries or any(w.home for w in walked):
                return frozenset()
            return frozenset(f.countries)
    return frozenset()


CONTEXT_DISTANCE = 200_000  # a phrase of the sentence before ranks after any of the sentence's own


def _context_candidates(lex: Lexicon, q: Quantity, s: Sentence, facts: _SentenceFacts, named: set[str],
                        main: "_ArticleCountries | list[str]", two: bool, clause: tuple[int, int],
                        before: "list[_SentenceFacts]") -> list[tuple[int, Indicator]]:
    """A number whose clause names no subject of its own — a per cent ("Өсім 24%, нақты
    мәнде – 8,9%") or an anaphor ("Бұл шама … 225 мың теңге") — may be about what the
    sentences just before spoke of: the indicators a phrase of this sentence or of one of
    them names (the nearest first), their context words read on both, excluded by neither.
    Ranked after any phrase of the sentence itself; the caller keeps them only when one
    passes the frame gates, and a verdict on them is never "inconsistent"."""
    key = ("context", q.unit, q.per)
    bound = facts.bound.get(key)
    if bound is None:
        bound = facts.bound[key] = []
        # only an indicator this sentence or one before it can name has a position in one
        seen = dict(facts.named)
        for prev in before:
            seen.update(prev.named)
        accepting = _by_unit_ids(lex, q.unit, q.per)
        for ind in sorted((ind for i, ind in seen.items() if i in accepting), key=lambda ind: lex._order[ind.id]):
            own = facts.positions(ind)
            back = next((k for k, prev in enumerate(before) if prev.positions(ind)), None)
            if not own and back is None:
                continue
            if ind.excluded(facts.view, facts.orig, facts.all_starts):
                continue
            where = before[back] if back is not None else None
            others = lex.countries_in(where.view, where.orig, where.all_starts) if where else set()
            if not binds_ok(ind, named | others, main, two, False):
                continue
            if ind.context and ind.lacks_context(facts.view, facts.orig, facts.all_starts) and \
                    all(ind.lacks_context(prev.view, prev.orig, prev.all_starts) for prev in before):
                continue
            bound.append((own, CONTEXT_DISTANCE + 1000 * (back or 0), ind))
    anchor = q.start - s.start
    return [(_nearest(own, anchor, clause) if own else dist, ind) for own, dist, ind in bound]


def _asks_context(q: Quantity, cview: str, corig: str, starts: set[str]) -> bool:
    """Does the number's clause leave its subject to the sentences before: a per cent (a
    change or share of something named earlier), or an anaphor ("бұл шама", "оның мөлшері")?"""
    return q.unit == "%" or anaphoric(cview, corig, starts)


def _candidates(lex: Lexicon, q: Quantity, s: Sentence, facts: _SentenceFacts, named: set[str],
                main: "_ArticleCountries | list[str]", two: bool, clause: tuple[int, int]) -> list[tuple[int, Indicator]]:
    """Indicators a phrase of the sentence names that could describe `q`, nearest first; a
    phrase inside the number's own clause always beats one outside it."""
    key = (q.unit, q.per)
    bound = facts.bound.get(key)
    if bound is None:
        # which indicators the sentence names for a unit is the same for all its numbers
        bound = facts.bound[key] = []
        for ind in facts.named_for(q.unit, q.per):
            positions = facts.positions(ind)
            if not positions:
                continue
            if not binds_ok(ind, named, main, two, False):
                continue
            if ind.context and ind.lacks_context(facts.view, facts.orig, facts.all_starts):
                continue
            bound.append((positions, ind))
    anchor = q.start - s.start
    out = [(_nearest(positions, anchor, clause), ind) for positions, ind in bound]
    out.sort(key=lambda t: t[0])
    return out


FAR = 100_000  # _nearest's distance for a phrase outside the number's clause


def _nearest(positions: list[int], anchor: int, clause: tuple[int, int]) -> int:
    """Distance from the number to the nearest phrase, a phrase inside its clause beating
    any outside it (bisection on the sorted positions: a sentence may hold thousands)."""
    lo, hi = bisect.bisect_left(positions, clause[0]), bisect.bisect_left(positions, clause[1])
    if lo < hi:
        k = bisect.bisect_left(positions, anchor, lo, hi)
        near = [positions[i] for i in (k - 1, k) if lo <= i < hi]
        return min(abs(p - anchor) for p in near)
    k = bisect.bisect_left(positions, anchor)
    near = [positions[i] for i in (k - 1, k) if 0 <= i < len(positions)]
    return min(abs(p - anchor) for p in near) + FAR


def _by_unit(lex: Lexicon, unit: str | None, per: str | None) -> list[Indicator]:
    """The (non-event) indicators that accept a unit, remembered per unit: most numbers of an
    article share a handful of units."""
    memo = lex.unit_memo
    key = (unit, per)
    if key not in memo:
        memo[key] = [ind for ind in lex.indicators.values()
                     if ind.measure != "event" and ind.accepts_unit(unit, per)]
    return memo[key]


def _by_unit_ids(lex: Lexicon, unit: str | None, per: str | None) -> frozenset[str]:
    """The ids of _by_unit(unit, per), remembered likewise."""
    memo = lex.unit_memo
    key = ("ids", unit, per)
    if key not in memo:
        memo[key] = frozenset(ind.id for ind in _by_unit(lex, unit, per))
    return memo[key]


def read_frame(doc: Document, views: "_Views", lex: Lexicon, q: Quantity, s: Sentence, facts: _SentenceFacts,
               named: set[str], main: "_ArticleCountries | list[str]", two: bool,
               before: "list[_SentenceFacts] | None" = None
               ) -> tuple[Frame, Indicator | None, str | None, tuple[Indicator, ...], str] | None:
    """The claim's frame and the indicator whose rows can check it: every candidate an
    indicator phrase offers must pass the frame gates (indicators.Indicator.gate); among
    those the nearest phrase wins, and indicators matched by the same phrase are kept as
    alternative readings.  When none passes, the nearest candidate is returned with the
    reason code of its gate.  None for a bare number no indicator names.  The last item says
    where the indicator's phrase is: "sentence" (in the number's clause, or no indicator),
    "far" (elsewhere in the sentence: FAR), "context" (a sentence before: _context_candidates,
    given `before`: those sentences, nearest first)."""
    text = doc.text[s.start:s.end]
    ca, cb = clause_bounds(text, q.start - s.start, q.end - s.start)
    cands = _candidates(lex, q, s, facts, named, main, two, (ca, cb))
    from_context = False
    if not cands and before and q.unit is not None and q.unit not in NOT_A_STATISTIC:
        cview, corig = views.forms(s.start + ca, s.start + cb)
        if _asks_context(q, cview, corig, facts.all_starts):
            cands = _context_candidates(lex, q, s, facts, named, main, two, (ca, cb), before)
            from_context = bool(cands)
    if not cands and not stands_as_claim(q, text, q.start - s.start, q.end - s.start):
        return None  # a date, a time, a list item, "екі команда" that no indicator names: no claim
    cview, corig = views.forms(s.start + ca, s.start + cb)
    cue, scope, geo, basis = _clause_words(lex, facts, ca, cb, cview, corig)
    stat = stat_type(q.unit, q.per, text[q.start - s.start:q.end - s.start], cview, corig, cue=cue)
    frame = Frame(indicator=None, geography=geo, stat_type=stat, period=None, unit=q.unit, scope=scope,
                  basis=basis if q.unit == "%" or stat in ("change_pct", "change_abs") else None, qualifier=q.qualifier,
                  level_or_change=stat == "change_abs")
    if not cands:
        return frame, None, None, (), "sentence"
    passing = []
    failing = []
    # a tenge amount is the country's own ("жалақым жүз теңгеден асады" after a sentence on Uzbekistan)
    foreign = facts.foreign if geo == HOME_GEO and "KZT" not in (q.unit, q.per) else frozenset()
    for dist, ind in cands:
        reason = ind.gate(frame, _bound_geography(frame.geography, ind, foreign))
        if reason is None:
            passing.append((dist, ind))
        else:
            failing.append((dist, _gate_rank(frame, ind, reason), ind, reason))
    if passing:
        best_dist, best = passing[0]
        alts = tuple(ind for d, ind in passing[1:] if d == best_dist and ind.family != best.family
                     and ind.stat_types == best.stat_types and ind.scope == best.scope)
        frame.geography = _bound_geography(frame.geography, best, foreign)
        frame.indicator = best.family
        if frame.stat_type == "rate" and best.stat_types[:1] == ("change_pct",):
            frame.stat_type = "change_pct"  # "инфляция 8,5% болды": the series measures a change
        if best.reads_as and frame.stat_type in ("level", "count"):
            frame.stat_type = best.reads_as  # people living or flying are a population or a traffic level
        return frame, best, None, alts, "context" if from_context else ("far" if best_dist >= FAR else "sentence")
    if from_context:
        return frame, None, None, (), "sentence"  # the subject before does not fit this number: none
    # the nearest candidate, and among equally near ones the one that fails on the most
    # specific slot (a region or a subset of the same measure, rather than another measure)
    _, _, ind, reason = min(failing, key=lambda t: (t[0] >= FAR, t[1], t[0]))
    frame.indicator = ind.family
    if foreign:
        frame.geography = _bound_geography(frame.geography, ind, foreign)  # whose figure it is
    return frame, ind, reason, (), "sentence"


def _clause_words(lex: Lexicon, facts: _SentenceFacts, ca: int, cb: int, cview: str, corig: str
                  ) -> tuple[frozenset[str], str, str, str | None]:
    """What the clause's words say, whichever of its numbers asks (remembered per clause):
    the statistic-type cues, the scope, the geography (a region or city it names, else the
    countries, else KZ) and the basis of a change."""
    got = facts.clauses.get((ca, cb))
    if got is None:
        starts = facts.all_starts  # the sentence's word starts: which word lists can match at all
        cue = stat_cues(cview, corig, starts)
        scope = scope_of(cview, corig, starts)
        if scope == "total" and facts.occupation and not NATIONAL.search(cview):
            # "тәрбиешілердің жалақысы 20%-ке өсіп, 364 мың теңгеге жетті": the clauses after
            # an occupation's wage speak of it too, unless one names the country's own
            scope = "occupation"
        region = geography_of(cview, corig, starts)
        basis = basis_of(cview, corig, facts.view, facts.orig, starts, starts)
        named = lex.countries_in(without_currency_country(cview), without_currency_country(corig), starts) - {HOME}
        geo = region or ("KZ-" + "-".join(sorted(CODES.get(c, c) for c in named)) if named else "KZ")
        got = facts.clauses[ca, cb] = (cue, scope, geo, basis)
    return got


def _clause_modality(doc: Document, views: "_Views", lex: Lexicon, s: Sentence, q: Quantity, modality: str,
                     mood: str | None, later: bool, condition: bool = False) -> str:
    """The number's own modality where its clause says more than the sentence: a target
    figure is a goal, a figure "by 2030" a forecast (indicators.toml [modality] target, horizon);
    a figure the predicate makes a plan, or a future (`later`: the sentence names a year after
    the article's, or a horizon), is a forecast — unless its clause ends in a verb of its own,
    which then says the clause's modality (claims/mood.py)."""
    if condition and \
            in_condition(views.forms(s.start, q.start)[0], views.forms(q.end, s.end)[0]):
        return "forecast"  # "Егер … 2 жылға кейінге қалдырылса, …": a hypothetical, no record
    planned = mood == PLAN or later or forecast_by_unit(q.unit, mood)
    if not planned and (modality != "fact" or (lex.target is None and lex.horizon is None)):
        return modality
    text = doc.text[s.start:s.end]
    ca, cb = clause_bounds(text, q.start - s.start, q.end - s.start)
    if planned:
        if not clause_ends_in_own_verb(views.forms(q.end, s.end)[0], mood):
            return "forecast"
        if modality != "fact":
            modality = lex.modality_of(*views.forms(s.start + ca, s.start + cb))
        if modality != "fact" or (lex.target is None and lex.horizon is None):
            return modality
    cview, corig = views.forms(s.start + ca, s.start + cb)
    if lex.target is not None and either(lex.target, cview, corig):
        return "goal"
    if lex.horizon is not None and either(lex.horizon, cview, corig):
        return "forecast"
    return modality


def _names_later_year(doc: Document, lex: Lexicon, facts: "_SentenceFacts", view: str, orig: str,
                      mood: str) -> bool:
    """Does the sentence speak of a time after the article: a year later than its publication
    year, or a horizon ("2030 жылға қарай")?  With an event verb (FUTURE), the article's own year
    named alone, no month or day, counts too ("Биыл … салынады").  Unknown without a publication
    date, bar a horizon."""
    if lex.horizon is not None and either(lex.horizon, view, orig):
        return True
    published = iso_year(doc.meta.published)
    if published is None or not facts.dates:
        return False
    if any((iso_year(d.iso) or 0) > published for d in facts.dates):
        return True
    return mood == FUTURE and all(d.iso == str(published) for d in facts.dates)


def _sentence_month(views: "_Views", s: Sentence) -> int | None:
    from derek.claims.frame import month_word

    memo = views.months
    if (s.start, s.end) not in memo:
        memo[s.start, s.end] = month_word(views.forms(s.start, s.end)[0][:MAX_MONTH_SCAN])
    return memo[s.start, s.end]


MAX_MONTH_SCAN = 400  # a month that sets the period is named near the start of a sentence


def _previous_in_paragraph(doc: Document, s: Sentence, n: int) -> list[Sentence]:
    """Up to `n` sentences before `s` in its paragraph, nearest first."""
    i = bisect.bisect_left([x.start for x in doc.sentences], s.start)
    para = next((p for p in doc.paragraphs if p.start <= s.start < p.end), None)
    out = []
    for j in range(i - 1, max(-1, i - 1 - n), -1):
        prev = doc.sentences[j]
        if para is None or prev.start < para.start:
            break
        out.append(prev)
    return out


YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)(?!\d)")


def _year_range_of_clause(doc: Document, s: Sentence, q: Quantity) -> str | None:
    """"2017–2021 жылдардағы мамырда – 0,5%": a figure over several years (an average, a
    total) has the span as its period, not the last year of it."""
    text = doc.text[s.start:s.end]
    ca, cb = clause_bounds(text, q.start - s.start, q.end - s.start)
    m = YEAR_RANGE.search(text[ca:q.start - s.start])
    return f"{m.group(1)}/{m.group(2)}" if m and m.group(1) < m.group(2) else None


def _same_period_part(doc: Document, views: "_Views", s: Sentence, q: Quantity, year: str, basis: str | None,
                      named: str | None) -> tuple[str | None, str | None]:
    """(period, basis) of a figure for "the same period" of `year` ("2018 жылдың сәйкес
    кезеңінде"): the part of the year the latest period before names (`named`: "2019-Q1"
    makes 2018-Q1), or the month the sentence or its paragraph names; else a part nobody
    named, left open (None, "partial"): never the whole year's figure."""
    part = same_part(year, named)
    if part is None:
        month = _month_of_clause(doc, views, s, q, year, basis)
        part = month if len(month) > 4 else None
    return (part, basis) if part else (None, "partial")


def _month_of_clause(doc: Document, views: "_Views", s: Sentence, q: Quantity, period: str | None,
                     basis: str | None) -> str | None:
    """A year made a month when the words before the number name one in the locative
    ("Мамырда … 8,5% болды"; "(сәуірде – 6,3%)"): the clause's month, else the sentence's.
    A month after the article's own month is last year's."""
    if not period or len(period) != 4:
        return period
    from derek.claims.frame import MAX_CLAUSE, month_keys, month_word

    text = doc.text[s.start:s.end]
    ca, _ = clause_bounds(text, q.start - s.start, q.end - s.start)
    # the clause up to the number, then the sentence's first month (read once per sentence);
    # neither names one when no word of the sentence starts like a month name (a clause cut
    # short at MAX_CLAUSE may start inside a word, so it is read whatever the sentence says)
    month = None
    if not month_keys().isdisjoint(views.starts(s.start, s.end)) or ca == q.start - s.start - MAX_CLAUSE:
        month = month_word(views.forms(s.start + ca, q.start)[0]) or _sentence_month(views, s)
    if not month:
        # the paragraph's lead sentence often names the month once for the figures after it
        for prev in _previous_in_paragraph(doc, s, 2):
            month = _sentence_month(views, prev)
            if month:
                break
    if not month:
        return period
    year = int(period)
    pub = doc.meta.published or ""
    if basis == "published" and len(pub) >= 7 and pub[:4] == period and month > int(pub[5:7]):
        year -= 1
    return f"{year}-{month:02d}"


GATE_ORDER = ["geography_mismatch", "scope_subset", "stat_type_mismatch"]


def _gate_rank(frame: Frame, ind: Indicator, reason: str) -> int:
    """How specific a failed gate is (lower: shown first).  A region's or a part's series
    failing a claim that names no region or part ("жалақы 10%-ға өсті" against Atyrau's
    wage growth) says nothing about the claim: it ranks after every other failure."""
    if reason == "geography_mismatch" and frame.geography == "KZ" and not ind.geography.startswith("KZ"):
        return len(GATE_ORDER)
    if reason == "scope_subset" and frame.scope == "total" and ind.scope.startswith("sector_"):
        return len(GATE_ORDER)
    return GATE_ORDER.index(reason)


def _bound_geography(geo: str, ind: Indicator, foreign: frozenset[str] = frozenset()) -> str:
    """A clause naming no place is about the indicator's own pair when the sentence binds it
    (KZ-RU trade: Russia named or "екі ел"), else about the foreign country the sentences
    before speak of (`foreign`: _foreign_subject) when that is not one of the pair."""
    if geo != HOME_GEO:
        return geo
    if foreign and not foreign <= set(ind.binds):
        return "-".join(sorted(CODES.get(c, c) for c in foreign))
    return ind.geography if ind.geography.startswith("KZ-") else geo


# a number of years — a duration or an age — states a claim of its own only when the sentence
# has no other figure: beside one it is that figure's span or its subject's age
SPAN_UNITS = frozenset({"year"})


@lru_cache(maxsize=1)
def _base_words() -> frozenset[str]:
    return frozenset(load_toml("claim_frames.toml")["base_figure"]["after"])


def _base_of_next(views: _Views, q: Quantity, nxt: Quantity) -> bool:
    """Is `q` the base that the sentence's next figure `nxt` is stated against — "1000
    тұрғынға шаққанда 4,2 дәрігер", "үш пән бойынша орташа балл 71" (claim_frames.toml
    [base_figure])?  Only within one clause: no comma between the two."""
    between = views.forms(q.end, nxt.start)[0]
    if "," in between or ";" in between:
        return False
    words = between.split(None, 1)
    return bool(words) and words[0] in _base_words()


def detect(doc: Document, table: Table) -> list[Detected]:
    lex = lexicon()
    lex.new_article()
    views = _Views(doc)
    main = _ArticleCountries(doc, lex, views)
    home = _ArticleHome(doc, lex, views)
    paragraphs = SpanIndex(doc.paragraphs)
    quantities = SpanIndex(doc.quantities)
    dates_index = SpanIndex(doc.dates)
    speakers = Speakers(doc, SpanIndex(doc.quotes))
    two_rx, two_keys = _two_countries()
    events = _events(lex)
    out: list[Detected] = []
    context: _Context | None = None  # the latest sentence with a claim on a named indicator and its own period
    before: list[_SentenceFacts] = []  # the sentences just before, nearest first (their subjects carry)
    part_named: tuple[int, str] | None = None  # the latest claim period with a part of a year, by sentence
    # (any claim: "осы жылдың төрт айында 4 млрд дана шығарылды" names no indicator, yet its part holds)
    for si, s in enumerate(doc.sentences):
        if context is not None and si - context.index > CONTEXT_SENTENCES:
            context = None
        if _role_at(paragraphs, s.start) in SKIP_ROLES:
            continue
        view, orig = views.forms(s.start, s.end)
        text = doc.text[s.start:s.end]
        facts = _SentenceFacts(doc, s, lex, view, orig, dates_index,
                               lambda s=s: views.starts(s.start, s.end), before)
        found_any = False
        # what only a claim needs is computed when the sentence can have one: a quantity,
        # a dated event, or a check-worthy phrase (the answers are the same, only later)
        modality = None
        qs = [q for q in quantities.within(s.start, s.end) if not (q.end > s.end or q.value is None)]
        if qs:
            modality = lex.modality_of(view, orig, facts.all_starts)
            named = lex.countries_in(view, orig, facts.all_starts)
            two = either_keyed(two_rx, two_keys, view, orig, facts.all_starts)
            span = month_span(view)
            same = names_same_period(view, orig, facts.all_starts)
            mood = sentence_mood(view)
            condition = names_condition(view)  # once per sentence, not per figure
            later = mood in (FUTURE, FUTURE_STATE) and _names_later_year(doc, lex, facts, view, orig, mood)
        stated = None  # this sentence as a context for the next ones
        spans_only = all(o.unit in SPAN_UNITS or o.unit in NOT_A_STATISTIC for o in qs)
        for qi, q in enumerate(qs):
            if q.unit in SPAN_UNITS and not spans_only:
                continue  # "20 жылда екі есе көбейді", "35 жастағы … 2 млн": the other figure's span, an age
            if qi + 1 < len(qs) and _base_of_next(views, q, qs[qi + 1]):
                continue  # "1000 тұрғынға шаққанда 4,2 дәрігер": the base of the next figure
            read = read_frame(doc, views, lex, q, s, facts, named, main, two, before)
            if read is None:
                continue
            frame, ind, gate, alts, subject_basis = read
            from_context = subject_basis == "context"
            period, basis = resolve_period(doc, s, q.start, ind, lex, table, view, orig, facts, context,
                                           _months_reaching(doc, views, lex, s, q, facts))
            period = refine_period(period, view, span, facts.all_starts)
            if same and period and len(period) == 4:
                parts = [p for p in (part_named, context and (context.index, context.period))
                         if p and si - p[0] <= CONTEXT_SENTENCES]
                period, basis = _same_period_part(doc, views, s, q, period, basis, max(parts)[1] if parts else None)
            else:
                period = _month_of_clause(doc, views, s, q, period, basis)
            period = _year_range_of_clause(doc, s, q) or period
            if ind is not None and ind.periods == ("day",) and basis == "published" and \
                    doc.meta.published and len(doc.meta.published) == 10:
                period = doc.meta.published  # a day's rate with no date: the article's day
            frame.period = period
            if period and same_part(period, period):  # it names a part of its year
                part_named = (si, period)
            claim = Claim(start=s.start, end=s.end, text=text, subject=ind.subject if ind else None,
                          indicator=ind.id if ind else None, quantity=q, period=period,
                          speaker=speakers.at(s, q.start),
                          modality=_clause_modality(doc, views, lex, s, q, modality, mood, later, condition),
                          frame=frame.to_dict())
            out.append(Detected(claim, ind, basis, frame, gate, alts, doc.meta.published,
                                subject_basis, basis == "latest_reference" and facts.present,
                                _starts_from_to(views, q, qs[qi + 1] if qi + 1 < len(qs) else None),
                                _abroad_question(ind, frame, q, home),
                                _period_edge(views, facts, ind, period, basis)))
            found_any = True
            if ind is not None and not from_context and basis == "sentence" and stated is None:
                stated = _Context(si, facts, named, period)
            elif ind is not None and basis == "context" and stated is None and context is not None:
                # a run of sentences that each continue the one before (the items of a list:
                # "- ақпарат және байланыс – 36%", "- көлік және қойма – 24,6%"…) keeps its period
                stated = _Context(si, context.facts, context.named, context.period)
        if stated is not None:
            context = stated
        before = [facts] + before[:CONTEXT_SENTENCES - 1]
        if found_any:
            continue
        for ind in events if facts.dates else ():
            if not ind.event_matches(view, orig):
                continue
            dates = facts.dates
            if modality is None:
                modality = lex.modality_of(view, orig)
            claim = Claim(start=s.start, end=s.end, text=text, subject=ind.subject, indicator=ind.id,
                          quantity=None, period=dates[0].iso, speaker=speakers.at(s, dates[0].start),
                          modality=modality)
            out.append(Detected(claim, ind, "sentence"))
            found_any = True
        if not found_any and lex.checkworthy and either_keyed(lex.checkworthy, lex.period_keys.get("checkworthy"),
                                                             view, orig, facts._known_starts()) and \
                not asks(text, view) and (modality or lex.modality_of(view, orig)) == "fact" and \
                not judged(view):
            # a record, a ranking, a first, a share in words: checkable by a person, not against
            # our table — unless asked ("Неге … басым көпшілігі …?") or judged ("… болуы – заңды")
            modality = "fact"
            dates = facts.dates
            claim = Claim(start=s.start, end=s.end, text=text, subject=None, indicator=None, quantity=None,
                          period=dates[0].iso if dates else None, speaker=speakers.of_sentence(s),
                          modality=modality)
            out.append(Detected(claim, None, "sentence" if dates else None))
            found_any = True
        if not found_any and lex.predicates and \
                (states_event(lex, text, view, orig, lambda: dated_report(text, bool(facts.dates)))
                 or states_membership(view)) and \
                (modality or lex.modality_of(view, orig)) == "fact":
            # a price rose, a law was passed, a case was opened: a person can check it
            dates = facts.dates
            claim = Claim(start=s.start, end=s.end, text=text, subject=None, indicator=None, quantity=None,
                          period=dates[0].iso if dates else None, speaker=speakers.of_sentence(s),
                          modality="fact")
            out.append(Detected(claim, None, "sentence" if dates else None))
    return out


def _abroad_question(ind: Indicator | None, frame: Frame, q: Quantity,
                     home: _ArticleHome) -> "Callable[[], bool] | None":
    """Detected.abroad: the article's answer for a number read as a national figure (an
    indicator, no place in its clause, not in tenge: a figure in tenge is the country's own)."""
    if ind is None or frame.geography != HOME_GEO or "KZT" in (q.unit, q.per):
        return None
    return lambda: home.abroad


def _starts_from_to(views: "_Views", q: Quantity, nxt: Quantity | None) -> bool:
    """Is `q` the X of "X-тен Y-ке (дейін)": in the ablative, with `nxt` (the sentence's next
    number) of the same unit right after it in the dative?  Read on the analysis view, where a
    Latin "teńgeden" is "теңгеден" for the case grammar."""
    if nxt is None or nxt.start < q.end or nxt.start - q.end > 3 or (nxt.unit != q.unit and nxt.unit is not None):
        return False
    words = views.forms(q.start, q.end)[0].split()
    if not words or not grammar.has_case(words[-1].split("-")[-1], "ABL"):
        return False
    last = views.forms(nxt.start, nxt.end)[0].split()
    return bool(last) and (grammar.has_case(last[-1].split("-")[-1], "DAT") or last[-1] == "дейін")


def _events(lex: Lexicon) -> list[Indicator]:
    """The event indicators, in file order (found once per lexicon, not per article)."""
    memo = lex.unit_memo
    if "events" not in memo:
        memo["events"] = [ind for ind in lex.indicators.values() if ind.measure == "event"]
    return memo["events"]


@lru_cache(maxsize=1)
def _two_countries() -> tuple[re.Pattern, frozenset[str] | None]:
    """"екі ел" (the two countries): its regex and its stem_keys (see either_keyed)."""
    from derek.claims.indicators import stem_keys, stems_regex

    stems = ["екі ел", "екі мемлекет", "eki el", "eki memleket"]
    return stems_regex(stems), stem_keys(stems)
