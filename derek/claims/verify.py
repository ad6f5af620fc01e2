"""Verification of a detected claim against the reference table.

Both sides become intervals in the reference row's unit:
  claim:     exact X → [X, X]; approx → ±10 %; more_than → [X, 1.5X]; less_than → [X/1.5, X];
             up_to → [0, X]; range → [X, value_max].  Its *precision* widens it by half a unit
             of its last significant digit ("30 млрд" → ±5 bn): matching only then is `rounding`.
  reference: its own qualifier ("~" ±5 %, ">" [R, 1.15R]), half a unit of its last digit, and
             a tolerance from its confidence (0.5 % high … 6 % low).
Money is converted with the period's annual average rate.  When the intervals do not meet,
the diagnosis says why if it can: `magnitude_error` (off by a power of 1000),
`unit_error` (the number matches the reference read in another currency),
`outdated_period` (it matches an earlier period's figure).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from derek.claims.detect import Detected
from derek.claims.indicators import MONEY, Indicator
from derek.claims.reference import RefRow, Table
from derek.doc import Quantity

CONF_ORDER = ["high", "medium-high", "medium", "low-medium", "low"]
LOOSE = 0.10  # extra slack when testing a diagnosis hypothesis (a mistaken unit is rarely exact)


@dataclass
class Finding:
    status: str
    diagnosis: str | None = None
    reason: str | None = None  # why unverifiable
    claim_quantity: Quantity | None = None
    indicator: Indicator | None = None
    row: RefRow | None = None
    period: str | None = None
    basis: str | None = None
    converted: float | None = None  # the claim in the row's unit
    rates: list[RefRow] = field(default_factory=list)
    alt_unit: str | None = None  # unit_error: the unit the number fits
    alt_value: float | None = None  # unit_error: the number read in alt_unit, in the row's unit
    factor: float | None = None  # magnitude_error: claim / reference
    old_row: RefRow | None = None  # outdated_period: the row it matches
    other_conversions: list[tuple[int, float]] = field(default_factory=list)
    modality: str = "fact"
    readings: list[str] = field(default_factory=list)  # indicators the words were read as
    frame: object = None  # the claim's Frame (explanations of a gate)
    conflict: RefRow | None = None  # source_conflict: the other source's row


# -- intervals ---------------------------------------------------------------------------

def half_step(x: float) -> float:
    """Half a unit of the last significant digit: 30e9 → 5e9, 23000 → 500, 5.1 → 0.05.
    Trailing zeros of an integer count as not significant (a "30" is often rounded)."""
    text = f"{abs(x):.12g}"
    if "e" in text:
        mant, exp = text.split("e")
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        return 0.5 * 10 ** (int(exp) - decimals)
    if "." in text:
        return 0.5 * 10 ** (-len(text.split(".")[1]))
    zeros = len(text) - len(text.rstrip("0"))
    return 0.5 * 10 ** zeros if text != "0" else 0.5


def claim_interval(value: float, qualifier: str, value_max: float | None, precise: bool,
                   step: float | None = None) -> tuple[float, float]:
    """`step`: half a unit of the claim's last significant digit, in the unit of `value`
    (a converted value keeps the precision of the number the article wrote)."""
    x = value
    lo, hi = {
        "approx": (0.9 * x, 1.1 * x),
        "more_than": (x, 1.5 * x),
        "less_than": (x / 1.5, x),
        "up_to": (0.0, x),
        "range": (x, value_max if value_max is not None else x),
    }.get(qualifier, (x, x))
    if not precise:
        p = half_step(x) if step is None else step
        lo, hi = lo - p, hi + p
    return lo, hi


OUT_OF_RANGE = 10.0  # a plain difference beyond this factor is no verdict (_against)
ROUNDING_MAX = 0.15  # a rounded figure further than this from the reference is no rounding of it


def ref_interval(row: RefRow) -> tuple[float, float]:
    r = row.base or 0.0
    tol = row.tolerance * abs(r) + row.half_step
    lo, hi = {
        "approx": (r * 0.95, r * 1.05),
        "more_than": (r, r * 1.15),
        "less_than": (r * 0.85, r),
        "up_to": (0.0, r),
        "range": (r, row.base_max if row.base_max is not None else r),
    }.get(row.qualifier, (r, r))
    return lo - tol, hi + tol


def overlaps(a: tuple[float, float], b: tuple[float, float], slack: float = 0.0) -> bool:
    pad = slack * max(abs(b[0]), abs(b[1]))
    return a[0] <= b[1] + pad and b[0] - pad <= a[1]


# -- row selection -----------------------------------------------------------------------

def _rank(row: RefRow, unit: str | None = None) -> tuple:
    conf = CONF_ORDER.index(row.confidence) if row.confidence in CONF_ORDER else 2
    # user rows first, then the claim's own currency, then confidence, then the latest
    return (row.origin != "user", unit is not None and row.quantity_unit != unit, conf,
            [-ord(ch) for ch in row.end])


def granularity(period: str) -> str:
    if "/" in period:
        return "span"
    if re.fullmatch(r"\d{4}", period):
        return "year"
    if "-Q" in period:
        return "quarter"
    return "month" if re.fullmatch(r"\d{4}-\d{2}", period) else "day"


POINT_MONTH_OR_DAY = re.compile(r"\d{4}-\d{2}(-\d{2})?")
_PERIOD_INDEX: dict[int, tuple[list, dict]] = {}
_BY_END: dict[int, tuple[list, list, list]] = {}


def _previous_periods(rows: list[RefRow], row: RefRow, flow: bool, n: int) -> list[RefRow]:
    """Up to `n` rows ending before `row` starts, of its granularity, latest first (rows
    sorted by end once per row list)."""
    got = _BY_END.get(id(rows))
    if got is None or got[0] is not rows:
        ordered = sorted(rows, key=lambda r: r.end)
        if len(_BY_END) > 512:
            _BY_END.clear()
        got = _BY_END[id(rows)] = (rows, ordered, [r.end for r in ordered])
    _, ordered, ends = got
    grain = granularity(row.period)
    out = []
    for r in reversed(ordered[:bisect.bisect_left(ends, row.start)]):
        if r is not row and granularity(r.period) == grain and not (flow and r.is_range):
            out.append(r)
            if len(out) == n:
                break
    return out


def _by_period(rows: list[RefRow]) -> dict[str, list[RefRow]]:
    """Rows by period, remembered per row list (an indicator's list in the loaded table; a
    daily series would otherwise be scanned for every claim)."""
    got = _PERIOD_INDEX.get(id(rows))
    if got is None or got[0] is not rows:
        index: dict[str, list[RefRow]] = {}
        for r in rows:
            index.setdefault(r.period, []).append(r)
        if len(_PERIOD_INDEX) > 512:
            _PERIOD_INDEX.clear()
        got = _PERIOD_INDEX[id(rows)] = (rows, index)
    return got[1]


_YEAR_INDEX: dict[int, tuple[list, dict]] = {}


def _by_start_year(rows: list[RefRow]) -> dict[str, list[RefRow]]:
    """Rows by the year they start in (in table order), remembered per row list: a daily
    series has a thousand rows, and a claim's period looks at one year of them."""
    got = _YEAR_INDEX.get(id(rows))
    if got is None or got[0] is not rows:
        index: dict[str, list[RefRow]] = {}
        for r in rows:
            index.setdefault(r.start[:4], []).append(r)
        if len(_YEAR_INDEX) > 512:
            _YEAR_INDEX.clear()
        got = _YEAR_INDEX[id(rows)] = (rows, index)
    return got[1]


def candidate_rows(rows: list[RefRow], period: str, measure: str, within: bool | None = None,
                   asof: str | None = None) -> list[RefRow]:
    """The rows that can stand for `period`: the same period; else, where the indicator allows
    it (`within`: levels at a date, a December y/y rate for its year), the latest observation
    inside the period — never one after `asof` (the article date: "биыл" on 2024-05-20 is not
    checked against December); a flow's part-year row never stands for a year."""
    if within is None:
        within = measure == "stock"
    exact = [r for r in _by_period(rows).get(period, ())]
    if exact:
        return exact
    if "/" not in period and within:
        inside = [r for r in _by_start_year(rows).get(period[:4], ()) if r.start.startswith(period)
                  and r.end.startswith(period) and not r.is_range and _known_by(r, asof, measure)]
        if inside:
            last = max(r.end for r in inside)
            return [r for r in inside if r.end == last]
    if measure in ("stock", "rate") and within and POINT_MONTH_OR_DAY.fullmatch(period):
        # "бүгінде" on 2024-11-28: the latest dated observation of that year up to that day
        # (a point's start is its end: its year's rows are those starting in it)
        earlier = [r for r in _by_start_year(rows).get(period[:4], ()) if not r.is_range
                   and POINT_MONTH_OR_DAY.fullmatch(r.period) and r.end <= period and r.end[:4] == period[:4]]
        if earlier:
            last = max(r.end for r in earlier)
            return [r for r in earlier if r.end == last]
    return []


def _known_by(row: RefRow, asof: str | None, measure: str = "rate") -> bool:
    """Could the article have known this figure on `asof`?  A month's rate (inflation) comes
    out in the following month, so an article of May knows April's figure at the latest; a
    level stated at a date, or a day's figure, is known that day."""
    if asof is None:
        return True
    if measure == "rate" and granularity(row.period) == "month" and len(asof) >= 7:
        return row.end[:7] < asof[:7]
    return row.end[:len(asof)] <= asof


def select_row(rows: list[RefRow], period: str, measure: str, unit: str | None = None,
               within: bool | None = None, asof: str | None = None) -> RefRow | None:
    """The best row standing for `period` (candidate_rows, ranked)."""
    got = candidate_rows(rows, period, measure, within, asof)
    return min(got, key=lambda r: _rank(r, unit)) if got else None


# -- verification ------------------------------------------------------------------------

def _in_row_unit(table: Table, q: Quantity, row: RefRow, year: int) -> tuple[float, list[RefRow]] | None:
    value = float(q.value)
    unit = row.quantity_unit
    if q.unit == unit or (q.unit is None and row.unit not in ("money", "rate")):
        return value, []
    if q.unit in MONEY and unit in MONEY and row.unit == "money":
        return table.convert(value, q.unit, unit, year)
    return None


def _matches(q: Quantity, value: float, value_max: float | None, row: RefRow,
             precise: bool, slack: float = 0.0) -> bool:
    step = half_step(float(q.value)) * abs(value / q.value) if q.value else None
    if step is not None and step <= row.half_step:
        step = 0.0  # the claim is as precise as the source: "8.5" vs "8.6" is no rounding
    return overlaps(claim_interval(value, q.qualifier, value_max, precise, step), ref_interval(row), slack)


def check(det: Detected, table: Table) -> Finding:
    """The verdict on a detected claim: gates first (modality, indicator, the frame's slots),
    then each reading of the claim's words against the rows that stand for its period."""
    c, ind = det.claim, det.indicator
    f = Finding(status="unverifiable", claim_quantity=c.quantity, indicator=ind, period=c.period,
                basis=det.basis, modality=c.modality, frame=det.frame)
    if c.modality != "fact":
        f.reason = "not_fact"
        return f
    if ind is None:
        f.reason = "no_indicator" if c.quantity is not None else "qualitative"
        return f
    if det.gate:
        f.reason = det.gate
        return f
    readings = [ind, *det.alternatives]
    found = [_check_one(det, r, table) for r in readings]
    if len(found) == 1:
        return _no_verdict_when_unsure(det, found[0])
    agree = [x for x in found if x.status == "consistent"]
    if agree:
        agree[0].readings = [x.indicator.id for x in found]
        return _no_verdict_when_unsure(det, agree[0])
    first = found[0]
    if first.status == "inconsistent":
        # no reading fits, but which measure the article meant is open: no verdict
        first.status, first.diagnosis, first.reason = "unverifiable", None, "ambiguous_frame"
        first.readings = [x.indicator.id for x in found]
    return first


def _no_verdict_when_unsure(det: Detected, f: Finding) -> Finding:
    """The verdicts derek does not give though the arithmetic would.  A claim read one way of
    two ("теңгеге өсті": to or by) may be consistent, never inconsistent: the other reading
    may be what the article meant.  Nor is a number whose
    subject was taken from the sentence before, or named only outside the number's clause (a
    list of results: "ЖІӨ 119 трлн теңгеге жетті, ал екінші кезеңге 120 млрд теңге бөлінді"): it
    may be about something else; nor the start of a from-to pair (an earlier figure).  With no
    date anywhere, only a figure the sentence says is current is checked against the latest
    row (`undated`), and a thousand-times slip there is a local or old figure, not an error."""
    if f.status == "inconsistent" and det.abroad is not None and det.abroad():
        # nothing in the article says it is about Kazakhstan: a figure that differs from the
        # country's may be another country's (one that agrees is itself a sign it is ours)
        f.status, f.diagnosis, f.reason = "unverifiable", None, "geography_unstated"
    elif f.status == "inconsistent" and det.frame is not None and det.frame.level_or_change:
        f.status, f.diagnosis, f.reason = "unverifiable", None, "ambiguous_frame"
    elif f.status == "inconsistent" and det.subject_basis == "context":
        f.status, f.diagnosis, f.reason = "unverifiable", None, "assumed_subject"
    elif f.status == "inconsistent" and det.subject_basis == "far":
        f.status, f.diagnosis, f.reason = "unverifiable", None, "distant_subject"
    elif f.status == "inconsistent" and det.change_start:
        f.status, f.diagnosis, f.reason = "unverifiable", None, "change_start"
    elif f.status == "inconsistent" and f.diagnosis == "magnitude_error" and det.basis == "latest_reference" \
            and not det.says_current:
        # a thousand times off the latest row, in a text with no date: a local or old figure
        # ("10 мың шаршы метр тұрғын үй салынды" in one town) more often than a slip of scale
        f.status, f.diagnosis, f.reason = "unverifiable", None, "undated"
    elif f.status == "consistent" and det.basis == "latest_reference" and not det.says_current:
        # no date anywhere and no word that the figure is current: the latest row agreeing
        # says nothing about the year the text speaks of (an old text, a harvest long ago)
        f.status, f.diagnosis, f.reason = "unverifiable", None, "undated"
    return f


def _check_one(det: Detected, ind: Indicator, table: Table) -> Finding:
    c = det.claim
    f = Finding(status="unverifiable", claim_quantity=c.quantity, indicator=ind, period=c.period,
                basis=det.basis, modality=c.modality, frame=det.frame)
    rows = table.fact_rows(ind.id)  # a plan never checks a fact
    if not rows:
        f.reason = "no_reference"
        return f
    if det.basis == "partial" or c.period is None:
        f.reason = "partial" if det.basis == "partial" else "no_period"
        return f
    if ind.needs and _lacks(ind, det):
        f.reason = "needs_average"
        f.row = select_row(rows, c.period[:4], ind.measure)
        return f
    if ind.measure == "event":
        return _check_event(f, c.period, rows)
    unit = c.quantity.unit if c.quantity else None
    asof = det.asof if det.basis in ("published", "sentence", "context") else None
    if ind.periods and granularity(c.period) not in ind.periods:
        edge = _edge_row(rows, c.period, det.edge, asof) if det.edge else None
        if edge is None:
            f.reason = "period_mismatch"
            return f
        standing = [edge]  # the period's last (or first) day: "Қыркүйектің қорытындысы бойынша …"
    else:
        standing = candidate_rows(rows, c.period, ind.measure, ind.within, asof)
    row = min(standing, key=lambda r: _rank(r, unit)) if standing else None
    if row is None:
        f.reason = "period_mismatch"
        # for context: a figure of the same year if there is one, else the latest
        same_year = [r for r in rows if r.start[:4] <= c.period[:4] <= r.end[:4]]
        f.row = min(same_year, key=_rank) if same_year else max(rows, key=lambda r: r.end)
        return f
    if ind.measure == "stock" and det.basis == "sentence" and granularity(c.period) == "day" \
            and row.end[:7] != c.period[:7]:
        # a level the sentence dates ("2017 жылғы 1 желтоқсанға халық саны …") is that day's:
        # an observation months earlier (1 January) is another figure, not a check of it (a
        # price or a rate set by decree stays in force until the next: that one stands)
        f.reason, f.row = "period_mismatch", row
        return f
    f.row = row
    q = c.quantity
    if q is None or q.value is None:
        f.reason = "no_value"
        return f
    verdict = _against(det, ind, table, row, rows, f)
    # other sources for the same period whose figures do not overlap this one's (their own
    # tolerance included): two sources that agree are no conflict
    others = [r for r in standing if r is not row and r.source != row.source and r.unit == row.unit
              and r.currency == row.currency and not overlaps(ref_interval(r), ref_interval(row))]
    if others:
        # sources that disagree beyond their tolerance: a verdict only when every one gives it
        for other in others:
            g = Finding(status="unverifiable", claim_quantity=q, indicator=ind, period=c.period,
                        basis=det.basis, modality=c.modality, row=other)
            _against(det, ind, table, other, rows, g)
            if g.status != verdict.status and g.reason != "unit_mismatch":
                verdict.status, verdict.diagnosis, verdict.reason = "unverifiable", None, "source_conflict"
                verdict.conflict = other
                break
    return verdict


def _against(det: Detected, ind: Indicator, table: Table, row: RefRow, rows: list[RefRow], f: Finding) -> Finding:
    """The arithmetic: the claim against one row (after conversion); fills and returns `f`."""
    c, q = det.claim, det.claim.quantity
    f.row = row
    year = int(c.period[:4])
    got = _in_row_unit(table, q, row, year)
    if got is None:
        f.reason = "unit_mismatch"
        return f
    value, f.rates = got
    vmax = None
    if q.value_max is not None:
        vmax = q.value_max * (value / q.value) if q.value else q.value_max
    f.converted = value
    if det.basis == "latest_reference" and f.rates:
        for y in (year - 1, year + 1):
            other = _in_row_unit(table, q, row, y)
            if other and other[1] and other[1][-1].period != f.rates[-1].period:
                f.other_conversions.append((int(other[1][-1].period), other[0]))
    if _matches(q, value, vmax, row, precise=True):
        f.status = "consistent"
        return f
    if _matches(q, value, vmax, row, precise=False):
        ref = row.base or 0.0
        if ref and q.qualifier == "exact" and abs(value - ref) > ROUNDING_MAX * abs(ref):
            # "100 миллион" for 79.7 million: its last digit's half-unit (±50) covers the
            # figure, but no one rounds 80 to 100; too coarse to call either way
            f.status, f.reason = "unverifiable", "coarse_figure"
            return f
        f.status, f.diagnosis = "consistent", "rounding"
        return f
    f.status = "inconsistent"
    # "дейін" bounds from one side only (claim_interval: 0 to x): a slip of scale, another
    # currency or an older figure under it "matches" it and proves nothing, so no diagnosis
    # ("астам", "аз" are read as a little more or less than x, and stay diagnosable)
    diagnosable = q.qualifier != "up_to"
    # a slip of scale needs a stated unit: a bare "20 мың" may count anything (wagons, not passengers)
    for k in (1, -1, 2, -2) if q.unit is not None and diagnosable else ():
        scaled = value * 1000.0 ** -k
        if _matches(q, scaled, vmax and vmax * 1000.0 ** -k, row, precise=False, slack=LOOSE):
            # an amount per person (a wage, a pension, a price: a money rate) written in the
            # wrong unit — "245,6 теңге" for thousand tenge — is a unit error; an aggregate
            # off by a power of 1000 (billion for trillion) is one of magnitude
            per_person = ind.measure == "rate" and row.unit == "money"
            f.diagnosis, f.factor = ("unit_error" if per_person else "magnitude_error"), 1000.0 ** k
            return f
    if q.unit in MONEY and row.unit == "money" and diagnosable:
        for alt in [row.currency] + sorted(MONEY - {row.currency}):
            if alt == q.unit:
                continue
            # the same number read as `alt` (and then converted to the row's currency)
            conv = table.convert(float(q.value), alt, row.currency, year)
            if conv and _matches(q, conv[0], None, row, precise=False, slack=LOOSE):
                f.diagnosis, f.alt_unit, f.alt_value = "unit_error", alt, conv[0]
                return f
    # the figure of one of the three periods before, of the same granularity (a dense daily
    # or monthly series would otherwise match some day by chance)
    for old in _previous_periods(rows, row, ind.measure == "flow", 3) if diagnosable else ():
        got_old = _in_row_unit(table, q, old, int(old.end[:4]))
        if got_old and _matches(q, got_old[0], None, old, precise=False):
            f.diagnosis, f.old_row = "outdated_period", old
            if det.basis != "sentence":
                f.status = "unverifiable"  # the sentence names no period: it may simply be older
            return f
    ref = row.base or 0.0
    if ref > 0 and value > 0 and max(value / ref, ref / value) > OUT_OF_RANGE:
        # a wrong figure is an old one, a typo, a rounding: near the truth.  Ten times off
        # with no slip of scale or unit to explain it is another measure ("халқы 1,3 млрд": a
        # population, but not this country's), so no verdict
        f.status, f.reason = "unverifiable", "out_of_range"
        return f
    if det.basis in ("latest_reference", "published", "context") or det.edge:
        # the sentence names no period (or only its end: the day is inferred): it may be about
        # another one, so a plain difference is not an error (unit and magnitude errors are,
        # whatever the period)
        f.status, f.reason = "unverifiable", "inferred_day" if det.edge else "assumed_period"
    return f


def _edge_row(rows: list[RefRow], period: str, edge: str, asof: str | None) -> RefRow | None:
    """The last (edge "end") or first ("start") day's row inside a month or a year, known by
    `asof`: what "at the result of September" or "at the start of 2025" reads a rate on."""
    if edge == "end" and asof and asof[:len(period)] <= period:
        return None  # the period is not over when the article appears: its end is still to come
    days = [r for r in _by_start_year(rows).get(period[:4], ()) if not r.is_range and r.start.startswith(period)
            and granularity(r.period) == "day" and _known_by(r, asof, "stock")]
    if not days:
        return None
    return max(days, key=lambda r: r.end) if edge == "end" else min(days, key=lambda r: r.start)


def _lacks(ind: Indicator, det: Detected) -> bool:
    from derek.claims.indicators import fold

    text = fold(det.claim.text)
    return ind.lacks_needed(text, text)


OTHER_OCCURRENCE_MONTHS = 12  # an event dated further than this from the record may be another one


def _check_event(f: Finding, period: str, rows: list[RefRow]) -> Finding:
    """A dated event: consistent when the stated date (at its precision) falls in the
    reference date range; inconsistent when it misses it by a year at most (the same event,
    misdated); further away it may be another time the same thing happened (a visit, a
    concept revised: the table records one), so no verdict (`other_occurrence`)."""
    row = min(rows, key=_rank)
    f.row = row
    stated = period.split("/")[0]
    lo, hi = row.start, row.end
    if lo[: len(stated)] <= stated <= hi[: len(stated)]:
        f.status = "consistent"
    elif _months_apart(stated, lo, hi) > OTHER_OCCURRENCE_MONTHS:
        f.reason = "other_occurrence"
    else:
        f.status = "inconsistent"
    return f


def _months_apart(stated: str, lo: str, hi: str) -> int:
    """Months between a stated date (a year, a month or a day: its whole span) and a
    recorded range; 0 when they meet."""
    def month(iso: str, last: bool) -> int:
        year, month_ = int(iso[:4]), (int(iso[5:7]) if len(iso) >= 7 else (12 if last else 1))
        return year * 12 + month_
    a, b = month(stated, False), month(stated, True)
    lo_m, hi_m = month(lo, False), month(hi, True)
    return max(0, lo_m - b, a - hi_m)
