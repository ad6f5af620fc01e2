"""Currency conversions stated in the text: "15 триллион теңге… Бұл – 32 миллиард доллар".

A speaker who gives an amount in one currency and then "яғни / бұл / немесе / (…)" the same
amount in another makes an arithmetic claim we can check with the year's average exchange
rate.  Tolerance is wide (±7 %) because the speaker may use a day's rate, and an annual
average moves less than that within a year only in calm years; a wrong order of magnitude or
a wrong currency is what this is meant to catch.
"""
from __future__ import annotations

import re

import bisect

from derek.claims.detect import CLAUSE_BREAK, SpanIndex, iso_year  # noqa: F401 (shared helpers)
from derek.claims.speakers import Speakers
from derek.claims.explain import CURRENCY, amount
from derek.claims.indicators import MONEY, fold, lexicon
from derek.claims.reference import Table
from derek.claims.verify import claim_interval, half_step, overlaps
from derek.doc import Claim, Document, Quantity

INDICATOR = "currency_conversion"
TOLERANCE = 0.07
CUE = re.compile(r"(?<!\w)(яғни|бұл|немесе|iaǵni|iağni|iagni|yağnï|bul|būl|nemese)(?!\w)|\(", re.UNICODE)
MAX_GAP = 120  # characters between the two amounts
_OPENS = re.compile(r"\W*(яғни|бұл|iaǵni|iağni|iagni|yağnï|bul|būl)(?!\w)", re.UNICODE)
_PER = re.compile(r"\s+(үшін|úshin|üşin|ushin)(?!\w)", re.UNICODE)


def _year_for(doc: Document, start: int, end: int, table: Table,
              dates: SpanIndex | None = None) -> tuple[int | None, str]:
    years = [iso_year(d.iso) for d in (dates or SpanIndex(doc.dates)).within(start, end) if d.iso]
    years = [y for y in years if y]
    if years:
        return years[-1], "sentence"
    pub = iso_year(doc.meta.published)
    if pub:
        return pub, "published"
    rows = [r for r in table.rows_for("usd_kzt_rate") if len(r.period) == 4]
    return (max(int(r.period) for r in rows), "latest_reference") if rows else (None, "")


def detect_conversions(doc: Document, table: Table) -> list[Claim]:
    lex = lexicon()
    money = sorted((q for q in doc.quantities if q.unit in MONEY and q.value), key=lambda q: q.start)
    out: list[Claim] = []
    dates, speakers = SpanIndex(doc.dates), Speakers(doc, SpanIndex(doc.quotes))
    sentence_starts = [s.start for s in doc.sentences]
    for a, b in zip(money, money[1:]):
        if a.unit == b.unit or b.start - a.end > MAX_GAP or not CUE.search(fold(doc.text[a.end:b.start])):
            continue
        sa, sb = doc.sentence_of(a.start), doc.sentence_of(b.start)
        if sa is None or sb is None:
            continue
        idx = bisect.bisect_left(sentence_starts, sb.start)
        if sa is not sb and (idx == 0 or doc.sentences[idx - 1] is not sa):
            continue  # only within a sentence or into the next one
        if sa is not sb and not _OPENS.match(fold(doc.text[sb.start:b.start])):
            continue  # into the next one only when it opens with the gloss ("… Бұл – 32 млрд доллар")
        if any(_PER.match(doc.text, x.end) for x in (a, b)):
            continue  # "1 доллар үшін 472 теңге": a rate, not an amount restated
        text = doc.text[sb.start:sb.end]
        modality = lex.modality_of(fold(text), fold(text))
        year, basis = _year_for(doc, sa.start, sb.end, table, dates)
        claim = Claim(start=sb.start, end=sb.end, text=text,
                      subject=f"{a.unit}→{b.unit} conversion stated in the text", indicator=INDICATOR,
                      quantity=b, period=str(year) if year else None, speaker=speakers.at(sb, b.start),
                      modality=modality)
        claim.verdict = _verdict(a, b, year, basis, modality, table)
        out.append(claim)
    return out


def _verdict(a: Quantity, b: Quantity, year: int | None, basis: str, modality: str, table: Table) -> dict:
    base = {"status": "unverifiable", "diagnosis": None, "reference": None,
            "period_basis": basis or None, "checked_period": str(year) if year else None}
    conv = table.convert(1.0, a.unit, b.unit, year) if year else None
    if modality != "fact" or conv is None:
        base["reason"] = "not_fact" if modality != "fact" else "no_rate"
        why = ("it is a " + modality + ", not a statement of fact") if modality != "fact" else "no exchange rate for the year"
        base["explanation"] = {"en": f"Not checked: {why}.", "kk": "Тексерілмеді: бұл факт емес немесе бағам жоқ."}
        return base
    factor, rates = conv
    lo_a, hi_a = claim_interval(float(a.value), a.qualifier, a.value_max, precise=True)
    expected = (lo_a * factor * (1 - TOLERANCE), hi_a * factor * (1 + TOLERANCE))
    step = half_step(float(b.value))
    stated = claim_interval(float(b.value), b.qualifier, b.value_max, precise=False, step=step)
    status, diagnosis = "consistent", None
    if not overlaps(stated, expected):
        status = "inconsistent"
        for k in (1, -1, 2, -2):
            scaled = claim_interval(float(b.value) * 1000.0 ** -k, b.qualifier, None, precise=False,
                                    step=step * 1000.0 ** -k)
            if overlaps(scaled, expected):
                diagnosis = "magnitude_error"
                break
    rate = rates[-1] if rates[-1].per != "KZT" else rates[0]
    mid = float(a.value) * factor
    if status == "inconsistent" and diagnosis is None and basis == "latest_reference":
        # no date anywhere: the latest year's rate is a guess, and a plain difference may be
        # another year's rate (a historical text: "4500 рубль (150 доллар)"), so only a
        # confusion of thousand, million and billion, true at any rate, is inconsistent
        base.update(reason="assumed_period", reference=rate.to_dict(), claimed_in_reference_unit=mid, explanation={
            "en": (f"Not checked: the article gives no date; at the {rate.period} rate “{a.text}” is about "
                   f"{amount(mid, b.unit, 'en')}, not “{b.text}”, but another year's rate may give it."),
            "kk": (f"Тексерілмеді: мақалада күні жоқ; {rate.period} жылғы бағаммен «{a.text}» шамамен "
                   f"{amount(mid, b.unit, 'kk')}, бірақ басқа жылдың бағамы оны бере алады.")})
        return base
    en_rate = f"the {rate.period} average rate ({rate.value:g} KZT per {rate.per})"
    kk_rate = (f"{rate.period} жылғы орташа бағам (1 {CURRENCY['kk'].get(rate.per, rate.per)} = "
               f"{rate.value:g} теңге)".replace(".", ","))
    verdict_en = {"consistent": "consistent", "inconsistent": "inconsistent"}[status]
    verdict_kk = {"consistent": "сәйкес келеді", "inconsistent": "сәйкес келмейді"}[status]
    extra_en = " — thousand, million and billion were probably confused" if diagnosis else ""
    extra_kk = " — мың, миллион, миллиард шатастырылған болуы мүмкін" if diagnosis else ""
    note_en = " The article gives no date: the latest year's rate was used." if basis == "latest_reference" else ""
    note_kk = " Мақалада күні жоқ: соңғы жылдың бағамы алынды." if basis == "latest_reference" else ""
    base.update(
        status=status, diagnosis=diagnosis, reference=rate.to_dict(), claimed_in_reference_unit=mid,
        exchange_rates=[{"period": r.period, "kzt_per_unit": r.value, "currency": r.per, "source": r.source}
                        for r in rates],
        explanation={
            "en": (f"Conversion check: “{a.text}” ({amount(a.value, a.unit, 'en')}) at {en_rate} is about "
                   f"{amount(mid, b.unit, 'en')}; the text says “{b.text}” ({amount(b.value, b.unit, 'en')}): "
                   f"{verdict_en} (±{TOLERANCE:.0%} for the day's rate){extra_en}.{note_en}"),
            "kk": (f"Айырбастауды тексеру: «{a.text}» {kk_rate} бойынша шамамен {amount(mid, b.unit, 'kk')}; "
                   f"мәтінде «{b.text}» деп берілген: {verdict_kk}{extra_kk}.{note_kk}"),
        })
    return base
