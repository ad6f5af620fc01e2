"""Names found by their head noun (derek/data/ner_rules.toml [organisation_heads], [place_heads]).

A Kazakh name of an organisation or a place ends in a head noun that says what it is, with the
izafet and case endings on the head alone: "Ұлттық статистика бюросының", "Қарағанды облысының
полиция департаменті", "Бөкейханов көшесіндегі", "Мақтаарал ауданы".  Walking left from the head
over the capitalised words, the lower-case modifiers and the titles of a person-named place gives
the whole name as one span, the place inside an organisation's name included.  A plural head
takes the names listed before it: "Қабанбай батыр және Панфилов көшелерінің" is two streets,
"Қашаған, Теңіз және Қарашығанақ кен орындарында" three fields.

Heads are recognised by the stem of the word's best analysis (derek.morph, cached), so one
dictionary lookup per word.  Input: a sentence's analysis forms (Token.norm).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from derek.langdata import load_toml
from derek.morph.grammar import adjective_endings, case_endings, is_surname, verb_form_endings

# the lists of the walk left from a head (ner_rules.toml [name_walk])
_WALK = load_toml("ner_rules.toml")["name_walk"]
_STOP = frozenset(_WALK["stops"])
_ROAD_MODIFIERS = frozenset(_WALK["road_modifiers"])
_LIST_JOINERS = frozenset(_WALK["list_joiners"])
# verb forms (participles, converbs) are no part of a name: "жұмыс істейтін компания"; finite
# verbs the analyser leaves whole ("хабарлады", "көрсетіледі")
_VERBAL = verb_form_endings("past_participle", "habitual_participle", "converb", "verbal_noun_locative")
_FINITE = verb_form_endings("finite")
# adjective endings: «ҚТЖ» Ұлттық компаниясы is one name, «Астана» Чемпиондар лигасы two
_ADJECTIVE = adjective_endings("derived", "having")


def _verb_like(word: str, tags: tuple[str, ...]) -> bool:
    low = word.lower()
    return low.endswith(_VERBAL) or not tags and low.endswith(_FINITE)
_QUOTES = frozenset("«»\"“”„")
_DASHES = frozenset({"-", "–", "—"})
MAX_WALK = 7


@dataclass(frozen=True)
class HeadRules:
    strong: frozenset[str]
    weak: frozenset[str]
    possessed: frozenset[str]
    need_modifier: frozenset[str]
    positions: frozenset[str]
    not_modifiers: frozenset[str]
    location: frozenset[str]
    settlement: frozenset[str]
    fields: frozenset[str]
    route: frozenset[str]
    titles: frozenset[str]
    modifiers: frozenset[str]
    second_words: frozenset[str]  # last words of two-word heads (жол of "тас жол", орын of "кен орны")


@lru_cache(maxsize=1)
def rules() -> HeadRules:
    d = load_toml("ner_rules.toml")
    o, p = d["organisation_heads"], d["place_heads"]
    return HeadRules(frozenset(o["strong"]), frozenset(o["weak"]), frozenset(o["possessed"]),
                     frozenset(o["need_modifier"]), frozenset(o["positions"]), frozenset(o["not_modifiers"]), frozenset(p["location"]), frozenset(p["settlement"]),
                     frozenset(p["fields"]), frozenset(p["route"]), frozenset(p["titles"]),
                     frozenset(p["modifiers"]),
                     frozenset(x.split()[-1] for x in p["fields"] + p["route"] if " " in x))


@lru_cache(maxsize=100_000)
def analysis(word: str) -> tuple[str, tuple[str, ...]]:
    """(stem, tags) of a word's best analysis, lower-case."""
    from derek.morph.lemmatizer import best_analysis

    low = word.lower()
    if not low.replace("-", "").isalpha():
        return low, ()
    a = best_analysis(low, word[:1].isupper())
    return a.stem, a.tags


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def is_acronym(word: str) -> bool:
    base = word.split("-", 1)[0]
    return 2 <= len(base) <= 6 and base.isalpha() and base.isupper()


def org_head(word: str) -> str | None:
    """'strong', 'weak' or None: "министрлігінің" -> strong, "қызметі" -> weak, "қызмет" -> None."""
    if not word[:1].isalpha() or word.isupper() and len(word) > 1:
        return None  # a word in capitals is an acronym or a headline's
    stem, tags = analysis(word)
    r = rules()
    kind = "strong" if stem in r.strong else "weak" if stem in r.weak else None
    if kind and (stem in r.possessed and "POSS3" not in tags or "PL" in tags):
        return None  # bare "орталық" is "central"; "әкімдіктері" several bodies, named before
    return kind


# inside a name only the last word is declined (and a word in the genitive or with -дағы
# before it: "Еуропадағы қауіпсіздік … ұйымы"): a word in another case ends the walk
_OUTER_CASES = frozenset({"LOC", "DAT", "ABL", "ACC", "INS"})


def _declined(tags: tuple[str, ...]) -> bool:
    return bool(_OUTER_CASES.intersection(tags)) and "REL" not in tags


@lru_cache(maxsize=100_000)
def word_kind(word: str) -> str | None:
    """What a word can head, on its own: 'org', 'acronym', 'place' (a place head, or the last
    word of a two-word one), or None for the great majority of words.  Asked of every word."""
    if not word[:1].isalpha():
        return None
    if is_acronym(word):
        return "acronym"
    if org_head(word):
        return "org"
    if is_capitalised(word):
        return None
    stem = analysis(word)[0]
    r = rules()
    if stem in r.route or stem in r.settlement or stem in r.location or stem in r.second_words:
        return "place"
    return None


def place_head(words: list[str], i: int) -> tuple[str, int, bool] | None:
    """(kind, first token of the head, plural) when a place head ends at words[i]: kind is
    location, settlement, field or route; two-word heads (тас жол, кен орны) start at i - 1."""
    w = words[i]
    if not w[:1].isalpha() or is_capitalised(w):
        return None
    stem, tags = analysis(w)
    r = rules()
    plural = "PL" in tags
    if i > 0 and stem in r.second_words and words[i - 1].islower():
        two = analysis(words[i - 1])[0] + " " + stem
        if two in r.fields:
            return "field", i - 1, plural
        if two in r.route:
            return "route", i - 1, plural
    if stem in r.route:
        return "route", i, plural
    if stem in r.settlement and "POSS3" in tags:
        return "settlement", i, plural
    if stem in r.location and "POSS3" in tags:
        return "location", i, plural
    return None


def head_spans(words: list[str], first: int, blocked: set[int], capstat=None) -> list[tuple[int, int, str]]:
    """ORGANISATION, LOCATION and GPE spans found by their heads in one sentence.  `first`: the
    sentence's first word (its capital says nothing); `blocked`: tokens of the model's PERSON and
    number/date spans, which no name crosses; `capstat(word)`: how often the word is capitalised
    inside a sentence (0..4), to tell a name from a common word at the sentence start."""
    out: list[tuple[int, int, str]] = []
    caps = [w for w in words if len(w) > 1 and w.isalpha()]
    if caps and sum(w.isupper() for w in caps) * 2 > len(caps):
        return out  # a headline in capitals: a capital tells nothing here
    for h, w in enumerate(words):
        wk = word_kind(w)
        if wk is None:
            continue
        if wk == "org":
            a = org_start(words, h, org_head(w), first, blocked, capstat)
            if a is not None:
                out.append((a, h + 1, "ORGANISATION"))
            continue
        if wk == "acronym" and h > 0 and _after_place(words, h - 1):
            p = h - 1 if is_acronym(words[h - 1]) else h - 2  # БҚО ПД / Қарағанды облысы ІІД
            a = _name_start(words, p, first, blocked, capstat, titles=False) if p >= 0 else None
            if a is not None:  # "БҚО ПД", "Қарағанды облысы ІІД": a region's department
                out.append((a, h + 1, "ORGANISATION"))
            continue
        ph = place_head(words, h)
        if ph:
            out += place_spans(words, h, ph, first, blocked, capstat)
    return out


def _after_place(words: list[str], i: int) -> bool:
    """A region before an acronym: "БҚО ПД", "Қарағанды облысы ІІД" (not "МАС-тан КҚК")."""
    w = words[i]
    if is_acronym(w):
        from derek.ner.gazetteer import default_gazetteer

        nm = default_gazetteer().abbr.get(w)
        return nm is not None and nm.label == "GPE"
    stem, tags = analysis(w)
    return stem in rules().settlement and "POSS3" in tags


def _common_initial(words: list[str], i: int, first: int, capstat) -> bool:
    """The sentence's first word, capitalised only because it comes first."""
    if i != first or words[i].isupper():
        return False
    if analysis(words[i])[0] in rules().not_modifiers or words[i].lower() in rules().not_modifiers:
        return True
    return capstat is not None and capstat(words[i].lower()) <= 1


def org_start(words, h, kind, first, blocked, capstat) -> int | None:
    """Where the organisation whose head is words[h] begins, or None when it is no name."""
    r = rules()
    start, lower_start, lowers, quoted = None, None, 0, False
    if analysis(words[h])[0] in r.need_modifier and not (h > 0 and words[h - 1].islower()):
        return None
    if "POSS3" not in analysis(words[h])[1] and not (h > 0 and words[h - 1].lower().endswith(_ADJECTIVE)):
        return None  # a head without the izafet follows an adjective ("Ұлттық банк"), not "АҚ басқарма"
    i = h - 1
    while i >= 0 and h - i <= MAX_WALK:
        w = words[i]
        if i in blocked and not (i + 1 < len(words) and words[i + 1] == "атындағы"):
            break
        if w in _QUOTES:
            if w in ("»", "”") or w == "\"" and start is None:
                o = _opening(words, i)
                if o is None or start is not None and not all(
                        words[k].lower().endswith(_ADJECTIVE) for k in range(start, h) if is_capitalised(words[k])):
                    break  # «Астана» Чемпиондар лигасы: the club is a name of its own
                start, quoted, i = o, True, o - 1  # «Қазақстан темір жолы» ұлттық компаниясы
                continue
            i -= 1
            continue
        low = w.lower()
        stem, tags = analysis(w)
        if stem in r.positions or "GEN" in tags and quoted or _closes_name(w):
            break  # "облысының әкімі «АМАNАТ» партиясы"; "Омбының «Авангард» клубы"
        if is_capitalised(w):
            if (_declined(tags) or "REL" in tags) and not is_acronym(w):
                break
            if "GEN" in tags and not any(is_capitalised(words[k]) for k in range(i + 1, h)):
                break  # "Қытайдың ірі компаниясы": whose company, not its name
            if _common_initial(words, i, first, capstat):
                if kind == "strong" and low not in r.not_modifiers and stem not in r.not_modifiers:
                    lower_start = i  # "Полиция департаменті" opening a sentence
                break
            start = i
        elif w.replace("-", "").isalpha() and w.islower():
            if low in _STOP and low != "және" or low in r.not_modifiers or _verb_like(w, tags) \
                    or "REL" in tags:
                break
            if low == "және" and (i == 0 or _closes_name(words[i - 1]) or not words[i - 1][:1].isalpha()):
                break
            if "GEN" in tags and org_head(w):
                break  # "министрлігінің баспасөз қызметі": the ministry, not its press office
            if stem in r.settlement and "PL" in tags or "PL" in tags and "POSS3" in tags:
                break  # "… облыстарының әкімдіктері": several bodies; "АҚШ шенеуніктері": no name
            if _declined(tags) or place_head(words, i) and place_head(words, i)[0] != "settlement":
                break
            lowers += 1
            if start is None:
                if lowers > 3:
                    break
                lower_start = i
        else:
            break
        i -= 1
    while start is not None and start < h and "PL" in analysis(words[start])[1] and not quoted:
        start = next((k for k in range(start + 1, h) if is_capitalised(words[k])), None)  # "Дәрігерлер «…»"
    if start is not None:
        if kind == "weak" and start == first and not quoted and not any(
                is_capitalised(words[k]) for k in range(start + 1, h)):
            return None if _common_initial(words, start, first, capstat) else start
        return start
    if kind == "strong" and lower_start is not None and "POSS3" in analysis(words[h])[1]:
        # lower-case words alone make a name only before the izafet ("төтенше жағдайлар
        # департаменті"), not "арнаулы басқармаға" (a special department)
        while lower_start < h and words[lower_start] == "және":
            lower_start += 1
        return lower_start if lower_start < h else None
    return None


def _opening(words: list[str], close: int) -> int | None:
    """The opening quote of the «name» closed at words[close]."""
    for k in range(close - 1, max(-1, close - 10), -1):
        if words[k] in ("«", "“", "\"", "„"):
            return k
        if words[k] in (".", "!", "?", "»"):
            return None
    return None


def _closes_name(word: str) -> bool:
    """An organisation head with its possessive ("министрлігі"): a complete name ends here,
    so the walk from a later head stops ("… министрлігі және Қорғаныс министрлігі")."""
    if not word[:1].isalpha():
        return False
    return org_head(word) is not None and "POSS3" in analysis(word)[1]


def _quoted(words: list[str], a: int, h: int) -> int | None:
    """The opening quote of a «name» that ends just before the head words[h]."""
    if h > 0 and words[h - 1] in ("»", "\"", "”"):
        for k in range(h - 2, max(-1, h - 8), -1):
            if words[k] in ("«", "\"", "“"):
                return k
    return None


@lru_cache(maxsize=1)
def _case_endings() -> frozenset[str]:
    return frozenset(e for c in ("GEN", "DAT", "LOC", "ABL", "ACC", "INS") for e in case_endings(c))


def _hyphen_case(word: str) -> bool:
    """An abbreviation declined after a hyphen ("АҚШ-тың", "ҚХР-ға"): the analysis reads no
    case there, the hyphen's tail is one."""
    return "-" in word and word.rsplit("-", 1)[1] in _case_endings()


def _name_start(words, i, first, blocked, capstat, titles: bool) -> int | None:
    """The first token of the name run (capitalised words, quotes, titles, hyphens) ending at i."""
    r = rules()
    start = None
    k = i
    while k >= 0 and i - k < 5:
        w = words[k]
        if k in blocked and not titles:
            break
        if w in _QUOTES:
            k -= 1
            continue
        if is_capitalised(w):
            if _common_initial(words, k, first, capstat):
                break
            if start is not None and (set(analysis(w)[1]) - {"POSS3"} and not is_acronym(w) or _hyphen_case(w)):
                break  # "Алматыдағы Республика алаңы", "Литваның Вильнюс қаласы", "АҚШ-тың
                # Лос-Анджелес қаласы": a word in a case (an acronym's ending follows a hyphen)
            if start is not None and not titles and is_surname(w):
                break  # "Шөкеев Мақтаарал ауданына": the person before the place
            start = k
        elif titles and w.lower() in r.titles and start is None:
            pass
        elif titles and w.lower() in r.titles and start is not None:
            break
        else:
            break
        k -= 1
    if start is not None and words[start] in _QUOTES:
        start += 1
    return start


def place_spans(words, h, ph, first, blocked, capstat) -> list[tuple[int, int, str]]:
    kind, hstart, plural = ph
    label = "GPE" if kind == "settlement" else "LOCATION"
    r = rules()
    # lower-case modifiers between the name and the head: "«Түркістан» индустриялық аймағы",
    # "Чапай – Жаңақала – Сайқын облыстық маңыздағы тас жолы"
    j = hstart - 1
    mods = 0
    while j >= 0 and words[j].islower() and mods < 3 and (
            words[j] in r.modifiers or kind in ("route", "settlement") and words[j] in _ROAD_MODIFIERS):
        j -= 1
        mods += 1
    if j < 0:
        return []
    if kind == "route":
        return _route(words, j, h, mods)
    end = j
    if words[end] in ("»", "”") and kind != "settlement":
        o = _opening(words, end)  # «Стад де Франс» стадионы: the whole quoted name
        if o is not None and o < end - 1:
            return [(o, h + 1, label)]
    a = _name_start(words, end, first, blocked, capstat, titles=kind != "settlement")
    if a is None:
        return []
    if kind == "settlement" and mods:
        return []
    with_head = not mods and words[end] not in _QUOTES and not plural
    out = [(a, h + 1 if with_head else end + 1, label)]
    if words[end] in _QUOTES and a < end:  # «Түркістан» индустриялық аймағы: the name and its head
        out = [(a - 1 if a > 0 and words[a - 1] in _QUOTES else a, h + 1, label)]
    if plural:  # "Қабанбай батыр және Панфилов көшелерінің": the names listed before it
        k = a - 1
        while k > 0 and words[k] in _LIST_JOINERS:
            b = _name_start(words, k - 1, first, blocked, capstat, titles=kind != "settlement")
            if b is None:
                break
            out.append((b, k, label))
            k = b - 1
        if len(out) < 2:
            return []  # "Қазақстан полигондарына": a plural head after one name is no list of names
    return out


def _route(words: list[str], j: int, h: int, mods: int) -> list[tuple[int, int, str]]:
    """"Чапай – Жаңақала – Сайқын" (names joined by dashes) or "Бөрлі-Ақсай-Жымпиты" before a road."""
    end = j
    if words[end] in ("»", "\"", "”"):
        end -= 1
    w = words[end]
    if "-" in w and sum(1 for p in w.split("-") if p[:1].isupper()) >= 2 and end == j and not mods:
        return [(end, h + 1, "LOCATION")]
    k, names = end, 0
    while k >= 0 and is_capitalised(words[k]):
        names += 1
        if k >= 2 and words[k - 1] in _DASHES and is_capitalised(words[k - 2]):
            k -= 2
        else:
            break
    if names >= 2:
        return [(k, end + 1, "LOCATION")]
    if names == 1 and end == j and not mods and words[end][:1].isupper() and not is_acronym(words[end]) \
            and "POSS3" in analysis(words[h])[1] and analysis(words[h])[0] != "жол" \
            and not set(analysis(words[end])[1]) - {"POSS3"}:
        return [(end, h + 1, "LOCATION")]  # "Темірлан тас жолы"; not "Абай жолы" (a path, a novel)
    return []
