"""Verdict explanations in English and Kazakh, and the verdict record itself."""
from __future__ import annotations

from derek.claims.reference import RefRow
from derek.claims.verify import Finding

SCALES = [(1e12, "trn", "трлн"), (1e9, "bn", "млрд"), (1e6, "M", "млн"), (1e3, "thousand", "мың")]
CURRENCY = {
    "en": {"USD": "$", "KZT": "KZT", "RUB": "RUB", "EUR": "EUR", "CNY": "CNY", "GBP": "GBP"},
    "kk": {"USD": "доллар", "KZT": "теңге", "RUB": "рубль", "EUR": "еуро", "CNY": "юань", "GBP": "фунт"},
}
NOUN_KK = {"company": "компания", "project": "жоба", "person": "адам", "passenger": "жолаушы",
           "t": "тонна", "m2": "шаршы метр", "m3": "текше метр"}
NOUN_EN = {"t": "t", "m2": "m²", "m3": "m³", "person": "people", "company": "companies",
           "project": "projects", "passenger": "passengers"}

REASONS = {
    "not_fact": ("it is a {modality}, not a statement of fact", "бұл факт емес, {modality_kk}"),
    "no_indicator": ("no indicator in the reference table describes this number",
                     "бұл санға сәйкес көрсеткіш анықтамалық кестеде жоқ"),
    "qualitative": ("a statement with no figure (a record, a ranking, an event, a change) that a person can check "
                    "against records, not against the reference table",
                    "сансыз мәлімдеме (рекорд, орын, оқиға, өзгеріс): оны адам құжаттар бойынша тексере алады, "
                    "анықтамалық кестемен салыстыруға сан жоқ"),
    "no_reference": ("the reference table has no figures for {subject}",
                     "анықтамалық кестеде бұл көрсеткіш бойынша дерек жоқ"),
    "no_reference_for_period": ("the reference table has no figure for {period} (nearest: {latest})",
                                "анықтамалық кестеде {period} кезеңіне дерек жоқ (ең жақыны: {latest})"),
    "period_mismatch": ("no reference figure stands for {period}: the series has other periods (nearest: {latest}), "
                        "and a quarter, a part of a year or a day is never checked against another period",
                        "{period} кезеңіне сәйкес анықтамалық дерек жоқ (ең жақыны: {latest}); тоқсан, жылдың бір бөлігі "
                        "немесе бір күн басқа кезеңмен салыстырылмайды"),
    "stat_type_mismatch": ("the number is a {stat} ({basis}), and {subject} is another kind of statistic",
                           "сан — {stat_kk}, ал анықтамалық көрсеткіш басқа түрдегі статистика"),
    "scope_subset": ("the number is about a part ({scope}), not the whole that {subject} measures",
                     "сан жалпы көрсеткішке емес, оның бір бөлігіне ({scope}) қатысты"),
    "geography_mismatch": ("the number is about {geography}, not {ind_geography}",
                           "сан {geography} туралы, ал анықтамалық дерек — {ind_geography}"),
    "source_conflict": ("the sources disagree for {period}: {ref} against {other}",
                        "{period} кезеңі бойынша дереккөздер бір-біріне қайшы: {ref_kk} және {other_kk}"),
    "ambiguous_frame": ("the words can be read as more than one measure ({readings}) and the number fits none of them",
                        "сөздерді бірнеше көрсеткіш ретінде оқуға болады ({readings}), сан ешқайсысына сәйкес емес"),
    "unit_ambiguous": ("the number's unit is not clear enough to compare", "санның өлшем бірлігі анық емес"),
    "no_period": ("the claim's period is unknown", "мәлімдеменің кезеңі белгісіз"),
    "partial": ("it covers part of a year whose date the article does not give",
                "ол жылдың бір бөлігін қамтиды, ал жылы мақалада көрсетілмеген"),
    "no_value": ("the claim carries no number", "мәлімдемеде сан жоқ"),
    "needs_average": ("the reference gives annual averages, not the rate on a given day",
                      "анықтамалық кестеде тек жылдық орташа бағам бар, белгілі бір күнгі бағам емес"),
    "coarse_figure": ("the number is written too roundly to tell: {ref} lies within its last digit's rounding, "
                      "but no one would round it so",
                      "сан тым дөңгелектеп жазылған: анықтамалық дерек ({ref_kk}) оның соңғы цифрының "
                      "дөңгелектеу шегінде, бірақ оны бұлай дөңгелектемейді"),
    "assumed_period": ("the article gives no date, and the number differs from the latest reference {ref}",
                       "мақалада күні жоқ, ал сан соңғы анықтамалық деректен ({ref_kk}) өзгеше"),
    "inferred_day": ("the article names only the end or the start of the period; read on that day, the number "
                     "differs from {ref}",
                     "мақалада кезеңнің тек соңы не басы айтылған; сол күнгі анықтамалық деректен ({ref_kk}) сан "
                     "өзгеше"),
    "assumed_subject": ("the sentence names no subject of its own; read as {subject} (the sentence before's), "
                        "the number differs from {ref}",
                        "сөйлемде өз тақырыбы жоқ; алдыңғы сөйлемдегі көрсеткіш ретінде оқылғанда сан "
                        "анықтамалық деректен ({ref_kk}) өзгеше"),
    "change_start": ("the number is where a change starts (\"X-тен Y-ке\"): an earlier figure, an old "
                     "estimate or the period before, whose date the sentence does not give; it differs from {ref}",
                     "сан өзгерістің басы («X-тен Y-ке»): бұрынғы көрсеткіш не бұрынғы бағалау, оның кезеңі "
                     "сөйлемде жоқ; ол анықтамалық деректен ({ref_kk}) өзгеше"),
    "undated": ("neither the article nor the sentence gives a date, and nothing says the figure is current: "
                "the latest reference {ref} is no evidence for the year it speaks of",
                "мақалада да, сөйлемде де күн жоқ, сан қазіргі екені де айтылмаған: соңғы анықтамалық дерек "
                "({ref_kk}) ол айтып отырған жылға дәлел емес"),
    "out_of_range": ("the number is more than ten times from {ref}, with no slip of scale or unit to explain "
                     "it: it is likely another measure, place or part",
                     "сан анықтамалық деректен ({ref_kk}) он еседен астам алшақ, оны масштаб не өлшем бірлігі "
                     "қатесі түсіндірмейді: ол басқа көрсеткіш, өңір не бөлік болуы мүмкін"),
    "geography_unstated": ("the clause names no place and the article speaks of other countries, never of "
                           "Kazakhstan; the number differs from {ref}, but it may be another country's",
                           "сөйлем бөлігінде жер аталмаған, мақала Қазақстан туралы емес, басқа елдер туралы; сан "
                           "анықтамалық деректен ({ref_kk}) өзгеше, бірақ ол басқа елдікі болуы мүмкін"),
    "other_occurrence": ("the table records “{subject}” on {latest}; a date more than a year away may be another time "
                         "it happened, which the table does not list",
                         "дереккөз бойынша бұл оқиға {latest} болған; одан бір жылдан астам алшақ күн оның басқа "
                         "реті болуы мүмкін, ол кестеде жоқ"),
    "distant_subject": ("{subject} is named in the sentence but not in the number's own clause, and the "
                        "number differs from {ref}: it may be about something else",
                        "көрсеткіш сөйлемде аталған, бірақ санның өз сөйлем бөлігінде емес, ал сан анықтамалық "
                        "деректен ({ref_kk}) өзгеше: ол басқа нәрсе туралы болуы мүмкін"),
    "unit_mismatch": ("the claim's unit cannot be compared with the reference's",
                      "мәлімдеменің өлшем бірлігін анықтамалық деректің бірлігімен салыстыруға болмайды"),
}
MODALITY_KK = {"forecast": "болжам", "goal": "мақсат", "opinion": "пікір"}
STAT_KK = {"level": "деңгей", "change_pct": "пайыздық өзгеріс", "change_abs": "абсолют өзгеріс", "share": "үлес",
           "index": "индекс", "count": "сан", "price": "баға", "rate": "мөлшерлеме", "rank": "орын", "ratio": "есе"}
VERDICT_LINE = {
    "consistent": ("Consistent with the reference figure.", "Анықтамалық дерекке сәйкес келеді."),
    "inconsistent": ("Inconsistent with the reference figure.", "Анықтамалық дерекке сәйкес келмейді."),
    "unverifiable": ("Not checked: no reference figure fits this claim.", "Тексерілмеді: бұл мәлімдемеге сай анықтамалық дерек жоқ."),
}
DIAGNOSIS_LINE = {
    "unit_error": ("The unit is wrong.", "Өлшем бірлігі қате."),
    "magnitude_error": ("The order of magnitude is wrong.", "Сан реті қате."),
    "rounding": ("Right, after rounding.", "Дөңгелектегенде дұрыс."),
    "outdated_period": ("The figure is an earlier period's.", "Бұл — бұрынғы кезеңнің дерегі."),
}


def _num(x: float, lang: str) -> str:
    ax = abs(x)
    text = f"{x:.0f}" if ax >= 100 else f"{x:.1f}" if ax >= 10 else f"{x:.2f}" if ax >= 1 else f"{x:.3g}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "kk" else text


def amount(x: float, unit: str | None, lang: str, per: str | None = None) -> str:
    """30e9, KZT → '30 bn KZT' / '30 млрд теңге'; 2.8e10, USD → '$28 bn' / '28 млрд доллар'."""
    if unit == "%":
        return f"{_num(x, lang)}%"
    word = ""
    for size, en, kk in SCALES:
        if abs(x) >= size and not (unit in (None, "%") and size == 1e3 and abs(x) < 1e5):
            x, word = x / size, (en if lang == "en" else kk)
            break
    num = (_num(x, lang) if not per else f"{x:.2f}".replace(".", "," if lang == "kk" else ".")) + \
        (f" {word}" if word else "")
    if unit in CURRENCY["en"]:
        sym = CURRENCY[lang][unit]
        text = f"${num}" if (lang == "en" and sym == "$") else f"{num} {sym}"
        if per:
            text += f" per {per}" if lang == "en" else f" (1 {CURRENCY['kk'].get(per, per)})"
        return text
    if unit:
        noun = NOUN_EN.get(unit, unit) if lang == "en" else NOUN_KK.get(unit, unit)
        return f"{num} {noun}"
    return num


def row_amount(row: RefRow, lang: str) -> str:
    if row.value is None:
        return row.period
    mark = {"approx": ("≈", "шамамен "), "more_than": ("> ", "кемінде "), "less_than": ("< ", "ең көбі ")}
    base = amount(row.base, row.quantity_unit, lang, row.per or None)
    if row.qualifier == "range" and row.base_max is not None:
        base = f"{base}–{amount(row.base_max, row.quantity_unit, lang, row.per or None)}"
    if row.qualifier in mark:
        base = (mark[row.qualifier][0] if lang == "en" else mark[row.qualifier][1]) + base
    return base


def _cite(row: RefRow) -> str:
    src = row.source if len(row.source) <= 90 else row.source[:87] + "…"
    return src


def explain(f: Finding) -> dict[str, str]:
    q = f.claim_quantity
    en: list[str] = []
    kk: list[str] = []
    claimed_en = claimed_kk = ""
    if q is not None and q.value is not None:
        claimed_en = f"“{q.text}” ({amount(q.value, q.unit, 'en', q.per)})"
        claimed_kk = f"«{q.text}» ({amount(q.value, q.unit, 'kk', q.per)})"
    row = f.row
    ref_en = ref_kk = ""
    if row is not None:
        ref_en = f"{row_amount(row, 'en')} ({row.period}; {_cite(row)})"
        ref_kk = f"{row_amount(row, 'kk')} ({row.period}; {_cite(row)})"
    if f.status == "unverifiable" and f.diagnosis is None:
        en_r, kk_r = REASONS.get(f.reason or "no_indicator", REASONS["no_indicator"])
        fr = f.frame
        other = f.conflict
        fill = dict(modality=f.modality, modality_kk=MODALITY_KK.get(f.modality, f.modality),
                    subject=(f.indicator.subject if f.indicator else "this"), period=f.period or "?",
                    latest=row.period if row else "?", ref=ref_en, ref_kk=ref_kk,
                    stat=(fr.stat_type.replace("_", " ") if fr else "?"), stat_kk=STAT_KK.get(fr.stat_type if fr else "", "?"),
                    basis={"yoy": "year on year", "mom": "month on month", "ytd": "since January"}.get(
                        fr.basis if fr else None, "as stated"),
                    scope=(fr.scope if fr else "?"), geography=(fr.geography if fr else "?"),
                    ind_geography=(f.indicator.geography if f.indicator else "?"),
                    other=(f"{row_amount(other, 'en')} ({other.period}; {_cite(other)})" if other else "?"),
                    other_kk=(f"{row_amount(other, 'kk')} ({other.period}; {_cite(other)})" if other else "?"),
                    readings=", ".join(f.readings) or "?")
        en.append("Not checked: " + en_r.format(**fill) + ".")
        kk.append("Тексерілмеді: " + kk_r.format(**fill) + ".")
        if f.reason in ("needs_average", "no_reference_for_period", "period_mismatch") and row is not None:
            en.append(f"For context: {ref_en}.")
            kk.append(f"Салыстыру үшін: {ref_kk}.")
    elif f.indicator is not None and f.indicator.measure == "event":
        verb = ("Consistent", "Сәйкес келеді") if f.status == "consistent" else ("Inconsistent", "Сәйкес келмейді")
        en.append(f"{verb[0]}: the article dates it {f.period}; the record says {row.period} ({_cite(row)}).")
        kk.append(f"{verb[1]}: мақалада күні {f.period}, дереккөз бойынша {row.period} ({_cite(row)}).")
    elif f.diagnosis is None and f.status == "consistent":
        en.append(f"Consistent: {claimed_en} agrees with the reference {ref_en}.")
        kk.append(f"Сәйкес келеді: {claimed_kk} анықтамалық дерекпен үйлеседі: {ref_kk}.")
    elif f.diagnosis == "rounding":
        en.append(f"Consistent after rounding: {claimed_en} is a rounded form of the reference {ref_en}.")
        kk.append(f"Дөңгелектеп алғанда сәйкес: {claimed_kk} — анықтамалық деректің ({ref_kk}) дөңгелектелген түрі.")
    elif f.diagnosis == "unit_error" and f.factor:
        # a per-person amount off by a power of 1000: "мың теңге" written for "теңге" or the reverse
        big = f.factor > 1
        times = f"{f.factor:g}" if big else f"{1 / f.factor:g}"
        en.append(f"Unit error: {claimed_en} is about {times} times {'larger' if big else 'smaller'} than the "
                  f"reference {ref_en}; for an amount per person this is the unit ("
                  f"{'thousand tenge written where tenge is meant' if big else 'tenge written where thousand tenge is meant'}).")
        kk.append(f"Өлшем бірлігі қате: {claimed_kk} анықтамалық деректен ({ref_kk}) шамамен {times} есе "
                  f"{'көп' if big else 'аз'}; бір адамға шаққандағы сомада бұл — бірлік қатесі "
                  f"({'теңгенің орнына мың теңге жазылған' if big else 'мың теңгенің орнына теңге жазылған'}).")
    elif f.diagnosis == "unit_error":
        rate_en = rate_kk = ""
        if f.rates:
            r = f.rates[-1] if f.rates[-1].per != "KZT" else f.rates[0]
            rate_en = f" at the {r.period} average rate ({_num(r.value, 'en')} KZT per {r.per})"
            rate_kk = f" {r.period} жылғы орташа бағаммен (1 {_cur_kk(r.per)} = {_num(r.value, 'kk')} теңге)"
        cur = row.quantity_unit
        others_en = "".join(f", {amount(v, cur, 'en')} at the {y} rate" for y, v in f.other_conversions)
        others_kk = "".join(f", {y} жылғы бағаммен {amount(v, cur, 'kk')}" for y, v in f.other_conversions)
        as_alt_en, as_alt_kk = amount(q.value, f.alt_unit, "en"), amount(q.value, f.alt_unit, "kk")
        if f.alt_unit != cur:
            as_alt_en += f" ≈ {amount(f.alt_value, cur, 'en')}"
            as_alt_kk += f" ≈ {amount(f.alt_value, cur, 'kk')}"
        if q.unit != cur:
            en.append(f"Unit error: {claimed_en} is about {amount(f.converted, cur, 'en')}{rate_en}{others_en}, "
                      f"while the reference is {ref_en}.")
            kk.append(f"Өлшем бірлігі қате: {claimed_kk}{rate_kk} шамамен {amount(f.converted, cur, 'kk')} "
                      f"болады{others_kk}, ал анықтамалық дерек — {ref_kk}.")
        else:
            en.append(f"Unit error: {claimed_en} is far from the reference {ref_en}.")
            kk.append(f"Өлшем бірлігі қате: {claimed_kk} анықтамалық деректен ({ref_kk}) алшақ.")
        en.append(f"Read in {f.alt_unit}, the same number matches: {as_alt_en}. "
                  f"The article probably wrote {q.unit} for {f.alt_unit}.")
        kk.append(f"Сол сан {_cur_kk(f.alt_unit)} түрінде алынса, дерекке сәйкес келеді: {as_alt_kk}. "
                  f"Мақалада {_cur_kk(f.alt_unit)} орнына {_cur_kk(q.unit)} деп қате жазылған болуы мүмкін.")
    elif f.diagnosis == "magnitude_error":
        big = f.factor and f.factor > 1
        times = f"{f.factor:g}" if big else f"{1 / f.factor:g}"
        en.append(f"Magnitude error: {claimed_en} is about {times} times "
                  f"{'larger' if big else 'smaller'} than the reference {ref_en} — "
                  "thousand, million and billion were probably confused.")
        kk.append(f"Реті қате: {claimed_kk} анықтамалық деректен ({ref_kk}) шамамен {times} есе "
                  f"{'көп' if big else 'аз'} — мың, миллион, миллиард шатастырылған болуы мүмкін.")
    elif f.diagnosis == "outdated_period":
        old = f.old_row
        old_en = f"{row_amount(old, 'en')} ({old.period}; {_cite(old)})"
        old_kk = f"{row_amount(old, 'kk')} ({old.period}; {_cite(old)})"
        en.append(f"Outdated: {claimed_en} does not match {f.period} ({ref_en}) but matches the earlier figure {old_en}.")
        kk.append(f"Ескірген дерек: {claimed_kk} {f.period} кезеңіне ({ref_kk}) емес, бұрынғы дерекке сәйкес: {old_kk}.")
    else:
        en.append(f"Inconsistent: {claimed_en} does not agree with the reference {ref_en}.")
        kk.append(f"Сәйкес келмейді: {claimed_kk}, ал анықтамалық дерек — {ref_kk}.")
    if f.basis == "latest_reference" and f.period:
        en.append(f"The article gives no date: checked against the latest reference year, {f.period[:4]}.")
        kk.append(f"Мақалада күні көрсетілмеген: соңғы анықтамалық жыл ({f.period[:4]}) бойынша тексерілді.")
    elif f.basis == "published" and f.period and f.status != "unverifiable":
        en.append(f"Period taken from the article date: {f.period}.")
        kk.append(f"Кезең мақаланың жарияланған күнінен алынды: {f.period}.")
    elif f.basis == "context" and f.period and f.status != "unverifiable":
        en.append(f"Period taken from the sentence before: {f.period}.")
        kk.append(f"Кезең алдыңғы сөйлемнен алынды: {f.period}.")
    return {"en": " ".join(en), "kk": " ".join(kk)}


def _cur_kk(code: str | None) -> str:
    return CURRENCY["kk"].get(code or "", code or "")


def _scale_of(x: float) -> float:
    for size, _, _ in SCALES:
        if abs(x) >= size:
            return size
    return 1.0


def evidence(f: Finding, claim) -> dict:
    """The fact-checker's card (Factcheck.kz's layout, ClaimReview's fields): the claim's
    words, speaker and date; its frame; the row that checks it (value, period, source, URL,
    kind); the conversion chain with each rate's source and period; conflicting sources; a
    one-line verdict in Kazakh and English."""
    row = f.row
    line_en, line_kk = VERDICT_LINE[f.status]
    if f.diagnosis in DIAGNOSIS_LINE:
        line_en += " " + DIAGNOSIS_LINE[f.diagnosis][0]
        line_kk += " " + DIAGNOSIS_LINE[f.diagnosis][1]
    out = {
        "claim": claim.quantity.text if claim.quantity else claim.text,
        "sentence": claim.text,
        "speaker": claim.speaker,
        "date": f.period,
        "frame": claim.frame,
        "reference": None if row is None else {
            "value": row.base, "unit": row.quantity_unit, "per": row.per or None, "period": row.period,
            "source": row.source, "url": row.url, "kind": row.kind, "qualifier": row.qualifier},
        "conversion": [{"from": f.claim_quantity.unit if f.claim_quantity else None, "period": r.period,
                        "kzt_per_unit": r.value, "currency": r.per, "source": r.source, "url": r.url}
                       for r in f.rates],
        "conflicting": None if f.conflict is None else {
            "value": f.conflict.base, "period": f.conflict.period, "source": f.conflict.source, "url": f.conflict.url},
        "verdict_line": {"en": line_en, "kk": line_kk},
    }
    if f.readings:
        out["readings"] = f.readings
    return out


def verdict(f: Finding, claim=None) -> dict:
    out = {
        "status": f.status,
        "diagnosis": f.diagnosis,
        "reference": f.row.to_dict() if f.row is not None else None,
        "explanation": explain(f),
        "period_basis": f.basis,
        "checked_period": f.period,
    }
    if f.reason:
        out["reason"] = f.reason
    if f.converted is not None and f.row is not None:
        out["claimed_in_reference_unit"] = f.converted
    if f.rates:
        out["exchange_rates"] = [{"period": r.period, "kzt_per_unit": r.value, "currency": r.per,
                                  "source": r.source} for r in f.rates]
    if f.old_row is not None:
        out["matches_reference"] = f.old_row.to_dict()
    if claim is not None:
        out["evidence"] = evidence(f, claim)
    return out
