"""The sourced reference table: loading, validation, user import, and row lookup.

The shipped table is derek/data/reference_stats.csv; `derek stats import` writes a user
table (platformdirs user data dir, or $DEREK_STATS_DIR) that is read on top of it.  Every
row keeps its source: a row without one is refused.  Values are plain numbers; what a
source wrote as "~28" or ">23 thousand" is carried by `qualifier` and `scale`.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from pathlib import Path

from derek.io import InputError
from derek.langdata import read_text

COLUMNS = ["indicator", "period", "value", "value_max", "qualifier", "scale", "unit",
           "currency", "per", "source", "url", "confidence", "note", "kind"]
REQUIRED = ["indicator", "period", "unit", "source"]
SCALES = {"one": 1.0, "": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
QUALIFIERS = {"exact", "approx", "more_than", "less_than", "up_to", "range"}
CONFIDENCE = {"high": 0.005, "medium-high": 0.01, "medium": 0.02, "low-medium": 0.04, "low": 0.06}
# where a figure comes from: an official publication, a news report of one, an unofficial
# mirror of official data, our own arithmetic on sourced figures, or a plan/goal/forecast.
# A plan is kept (it is what a "goal" claim can be compared with) but never checks a fact.
KINDS = {"official", "news", "mirror", "derived", "plan", "user"}
_POINT = r"\d{4}(?:-\d{2}(?:-\d{2})?|-Q[1-4])?"
PERIOD_RX = re.compile(rf"^{_POINT}(?:/{_POINT})?$")
ID_RX = re.compile(r"^[a-z][a-z0-9_]*$")
USER_FILE = "user_stats.csv"


class StatsError(ValueError, InputError):
    """A malformed statistics table; the message names the file and row.  An InputError, so
    the CLI prints it on one line with exit status 2 wherever it surfaces (a hand-edited user
    table breaks `derek analyze` as clearly as `derek stats import`)."""


@dataclass(frozen=True)
class RefRow:
    indicator: str
    period: str
    value: float | None  # in `scale` units as written by the source
    value_max: float | None
    qualifier: str
    scale: str
    unit: str  # money | rate | date | % | company | project | person | t | …
    currency: str
    per: str
    source: str
    url: str
    confidence: str
    note: str
    origin: str = "package"  # package | user
    kind: str = "official"  # see KINDS

    # -- derived -----------------------------------------------------------------------
    @property
    def base(self) -> float | None:
        return None if self.value is None else self.value * SCALES[self.scale]

    @property
    def base_max(self) -> float | None:
        return None if self.value_max is None else self.value_max * SCALES[self.scale]

    @property
    def quantity_unit(self) -> str:
        """The unit a Quantity would carry for this row ("USD", "KZT" per "USD", "%"…)."""
        return self.currency if self.unit in ("money", "rate") else self.unit

    @property
    def tolerance(self) -> float:
        return CONFIDENCE.get(self.confidence, 0.02)

    @property
    def half_step(self) -> float:
        """Half a unit of the last digit the source gave: '28' → 0.5 bn, '469.02' → 0.005."""
        text = _fmt_plain(self.value)
        decimals = len(text.split(".")[1]) if "." in text else 0
        return 0.5 * 10 ** (-decimals) * SCALES[self.scale]

    # asked for every row a claim's period is compared with: computed once per row
    # (cached_property writes the instance's __dict__, which a frozen dataclass allows)
    @cached_property
    def start(self) -> str:
        return self.period.split("/")[0]

    @cached_property
    def end(self) -> str:
        return self.period.split("/")[-1]

    @cached_property
    def is_range(self) -> bool:
        return "/" in self.period

    def to_dict(self) -> dict:
        # every field is a scalar, so no deep copy (dataclasses.asdict) is needed
        d = {f.name: getattr(self, f.name) for f in _ROW_FIELDS}
        d["base_value"] = self.base
        return d


_ROW_FIELDS = fields(RefRow)


def _fmt_plain(value: float | None) -> str:
    if value is None:
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _number(text: str, what: str, where: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise StatsError(f"{where}: {what} {text!r} is not a plain number "
                         "(write '~', '>' and 'bn' in the qualifier and scale columns)") from None


def parse_rows(text: str, name: str, origin: str = "package") -> list[RefRow]:
    """Parse and validate a whole table; the first bad row raises StatsError naming it."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED + ["value"] if c not in header]
    if missing:
        raise StatsError(f"{name}: missing column(s) {', '.join(missing)} "
                         f"(expected {','.join(COLUMNS)})")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise StatsError(f"{name}: unknown column(s) {', '.join(unknown)}")
    rows = []
    for i, raw in enumerate(reader, start=1):
        where = f"{name} row {i} (line {reader.line_num})"
        if None in raw:
            raise StatsError(f"{where}: more fields than columns")
        r = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        for c in REQUIRED:
            if not r[c]:
                raise StatsError(f"{where}: empty {c!r}" + (" (every row keeps its source)" if c == "source" else ""))
        if not ID_RX.match(r["indicator"]):
            raise StatsError(f"{where}: indicator id {r['indicator']!r} must be lower_snake_case")
        if not PERIOD_RX.match(r["period"]):
            raise StatsError(f"{where}: period {r['period']!r} is not YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or A/B")
        value = _number(r["value"], "value", where)
        value_max = _number(r["value_max"], "value_max", where)
        qualifier = r["qualifier"] or "exact"
        if qualifier not in QUALIFIERS:
            raise StatsError(f"{where}: qualifier {qualifier!r} is not one of {', '.join(sorted(QUALIFIERS))}")
        if r["unit"] != "date" and value is None:
            raise StatsError(f"{where}: empty value")
        if qualifier == "range" and value_max is None:
            raise StatsError(f"{where}: qualifier 'range' needs value_max")
        if r["scale"] not in SCALES:
            raise StatsError(f"{where}: scale {r['scale']!r} is not one of one, thousand, million, billion, trillion")
        if r["unit"] in ("money", "rate") and not re.fullmatch(r"[A-Z]{3}", r["currency"]):
            raise StatsError(f"{where}: unit {r['unit']!r} needs a currency code (KZT, USD, RUB…)")
        if r["unit"] == "rate" and not re.fullmatch(r"[A-Z]{3}", r["per"]):
            raise StatsError(f"{where}: an exchange rate needs 'per' (the currency priced)")
        if r["confidence"] and r["confidence"] not in CONFIDENCE:
            raise StatsError(f"{where}: confidence {r['confidence']!r} is not one of {', '.join(CONFIDENCE)}")
        kind = r["kind"] or ("user" if origin == "user" else "official")
        if kind not in KINDS:
            raise StatsError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
        rows.append(RefRow(r["indicator"], r["period"], value, value_max, qualifier, r["scale"] or "one",
                           r["unit"], r["currency"], r["per"], r["source"], r["url"],
                           r["confidence"] or "medium", r["note"], origin, kind))
    return rows


# -- the user table ----------------------------------------------------------------------

def user_dir() -> Path:
    env = os.environ.get("DEREK_STATS_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("derek")) / "stats"


def user_table_path() -> Path:
    return user_dir() / USER_FILE


def load_user_rows() -> list[RefRow]:
    path = user_table_path()
    if not path.exists():
        return []
    return parse_rows(path.read_text(encoding="utf-8"), str(path), origin="user")


def import_table(source: Path) -> tuple[int, Path]:
    """Validate `source` completely, then merge it into the user table (rows with the same
    indicator, period and source are replaced).  Nothing is written unless every row is
    valid; the new table replaces the old one atomically."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StatsError(f"{source}: no such file") from None
    except UnicodeDecodeError:
        raise StatsError(f"{source}: not UTF-8 text") from None
    new = parse_rows(text, str(source), origin="user")
    if not new:
        raise StatsError(f"{source}: no rows")
    keep = {(r.indicator, r.period, r.source): r for r in load_user_rows()}
    for r in new:
        keep[(r.indicator, r.period, r.source)] = r
    path = user_table_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in keep.values():
            w.writerow([r.indicator, r.period, _fmt_plain(r.value), _fmt_plain(r.value_max), r.qualifier,
                        r.scale, r.unit, r.currency, r.per, r.source, r.url, r.confidence, r.note, r.kind])
    os.replace(tmp, path)
    load_table.cache_clear()
    return len(new), path


# -- the merged table --------------------------------------------------------------------

class Table:
    def __init__(self, rows: list[RefRow]):
        self.rows = rows
        self.by_indicator: dict[str, list[RefRow]] = {}
        for r in rows:
            self.by_indicator.setdefault(r.indicator, []).append(r)
        self.memo: dict = {}  # answers derived from the rows (latest year per indicator…)

    def rows_for(self, indicator: str) -> list[RefRow]:
        return self.by_indicator.get(indicator, [])

    def fact_rows(self, indicator: str) -> list[RefRow]:
        """The rows that may check a statement of fact: all but plans, goals and forecasts
        (the same list object each time, so indexes built on it can be remembered)."""
        memo = self.memo.setdefault("facts", {})
        if indicator not in memo:
            memo[indicator] = [r for r in self.rows_for(indicator) if r.kind != "plan"]
        return memo[indicator]

    def rate(self, currency: str, year: int) -> tuple[float, RefRow] | None:
        """KZT per 1 unit of `currency`, the annual average for `year` (or the nearest year)."""
        ind = f"{currency.lower()}_kzt_rate"
        rows = [r for r in self.rows_for(ind) if not r.is_range and len(r.period) == 4 and r.value]
        if not rows:
            return None
        best = min(rows, key=lambda r: (abs(int(r.period) - year), -int(r.period), r.tolerance))
        return best.value, best

    def convert(self, amount: float, src: str, dst: str, year: int) -> tuple[float, list[RefRow]] | None:
        """Convert money between currencies through KZT with the year's average rates."""
        if src == dst:
            return amount, []
        used: list[RefRow] = []
        kzt = amount
        if src != "KZT":
            got = self.rate(src, year)
            if got is None:
                return None
            kzt = amount * got[0]
            used.append(got[1])
        if dst == "KZT":
            return kzt, used
        got = self.rate(dst, year)
        if got is None:
            return None
        used.append(got[1])
        return kzt / got[0], used


# -- whole series -------------------------------------------------------------------------

SERIES_PREFIX = "series_"
SERIES_KEYS = {"indicator", "unit", "currency", "per", "scale", "transform", "source", "url",
               "confidence", "note", "kind"}


def parse_series(text: str, name: str, origin: str = "package") -> list[RefRow]:
    """A whole series in one file: `# key = value` lines say what every value is (indicator,
    unit, source, url, kind…), then `period,value` rows.  `transform = minus_100` turns an
    index given as "% of the same period a year before" (108.5) into the change (8.5), so
    the value the source printed stays in the file.  Validated like the table."""
    head: dict[str, str] = {}
    body = ["period,value"]
    for n, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            key, eq, value = line[1:].partition("=")
            if eq and key.strip() in SERIES_KEYS:
                head[key.strip()] = value.strip()
        elif line.strip() and line.strip() != "period,value":
            body.append(line.strip())
    missing = [k for k in ("indicator", "unit", "source", "url", "kind") if not head.get(k)]
    if missing:
        raise StatsError(f"{name}: series header lacks {', '.join(missing)}")
    transform = head.get("transform", "")
    if transform not in ("", "minus_100"):
        raise StatsError(f"{name}: transform {transform!r} is not minus_100")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for i, (period, value) in enumerate(csv.reader(io.StringIO("\n".join(body[1:]))), start=1):
        try:
            v = float(value) - 100.0 if transform else float(value)
        except ValueError:
            raise StatsError(f"{name} row {i}: value {value!r} is not a plain number") from None
        note = head.get("note", "") + (f" | printed as {value} (an index: the base period = 100)"
                                       if transform else "")
        w.writerow([head["indicator"], period, repr(round(v, 6)), "", "exact", head.get("scale", "one"),
                    head["unit"], head.get("currency", ""), head.get("per", ""), head["source"], head["url"],
                    head.get("confidence", "medium"), note.strip(" |"), head["kind"]])
    return parse_rows(out.getvalue(), name, origin)


def package_series() -> list[RefRow]:
    from importlib import resources

    rows: list[RefRow] = []
    for entry in sorted(resources.files("derek.data").iterdir(), key=lambda e: e.name):
        if entry.name.startswith(SERIES_PREFIX) and entry.name.endswith(".csv"):
            rows.extend(parse_series(entry.read_text(encoding="utf-8"), f"derek/data/{entry.name}"))
    return rows


@lru_cache(maxsize=1)
def load_table() -> Table:
    rows = parse_rows(read_text("reference_stats.csv"), "derek/data/reference_stats.csv")
    return Table(rows + package_series() + load_user_rows())
