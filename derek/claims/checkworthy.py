"""Is it check-worthy?  The tests a sentence or a number passes to become a claim when no
indicator names it (derek/claims/detect.py asks):

* `stands_as_claim` — a number no indicator names: a count with no unit ("148",
  "13 науқастың 8-і"), not a date, a footnote, a list item or ordinary-language "екі команда"
  (claim_frames.toml [bare_number]);
* `states_event` — a sentence with no number whose last verb states an event or a change
  (indicators.toml [checkworthy] predicates), a change going on ("артуда": claim_frames.toml
  [ongoing_change]), or, when it carries a date, a past verb (claim_frames.toml [reported_past]).
Every list is loaded once (lru_cache); the sentence tests read only the sentence's last words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from derek.claims.indicators import Lexicon, fold
from derek.doc import Quantity
from derek.morph.verbs import is_y_stem_past

# a unit a bare number carries that makes it no statistic (ordinal day, time of day…)
NOT_A_STATISTIC = {"day", "hour", "minute", "time", "date", "point_in_list"}


@lru_cache(maxsize=1)
def _bare_number_words() -> dict:
    from derek.langdata import load_toml, month_numbers
    from derek.morph import grammar

    d = load_toml("claim_frames.toml")["bare_number"]
    gen = grammar.case_endings("GEN") + tuple(d["genitive_latin"])
    return {"collective": tuple(fold(w) for w in d["collective"]),
            "another": frozenset(fold(w) for w in d["another"]),
            "personal": tuple(fold(w) for w in d["personal"]),
            "universal": frozenset(fold(w) for w in d["universal"]),
            "not_before": tuple(fold(w) for w in d["not_before"]),
            "genitive": tuple(sorted({fold(e) for e in gen}, key=len, reverse=True)),
            "glued": re.compile(r"[^\s\d(«\"“–—-]$"),  # "»251", "болды.13": a footnote mark
            "bracketed": re.compile(r"^[\]/)]"),  # "[16, 542]", "/253/"
            "page_or_year": re.compile(r"^\s*(?:-?бб?\b|ж\.|жж\.|bet\b|-?бет\b|стр\b|том\b|ғ\.|ғ-|-шы\b|-ші\b)",
                                       re.IGNORECASE),
            "list_item": re.compile(r"^\s?[.)](?:\s|$)"),  # "8 . …", "4 ) …" opening a sentence
            "clock": tuple(fold(w) for w in d["clock"]),
            # "22 августағы", "11 мартта": a day the dates layer did not read (май is also "oil")
            "months": tuple(fold(m) for m in month_numbers() if len(m) >= 4)}


SPLIT_WINDOW = 300  # characters before a collective numeral where the whole it is a part of is split


def stands_as_claim(q: Quantity, text: str, a: int, b: int) -> bool:
    """Is a number no indicator names still a claim a person could check?  A count with no
    unit in digits is ("148 айырбас", "13 науқастың 8-і", "6341-ден 6208-ге дейін"); so is a
    collective numeral after a genitive or "тағы", the part of a counted whole ("олардың
    жетеуі", "ойыншылардың екеуі", "тағы төртеуі"), or after the sentence has split a whole
    already (a number or another collective before it: "оның екеуі Семейде, төртеуі
    Аягөзде").  Not a date (nor a day before a month name the dates layer missed),
    a duration, a time of day or a list item; not any other number
    word ("екі команда", "алты бөлме", "екеуі де үнсіз қалды": ordinary language, in
    fiction above all); not a footnote, a page or a volume ("»251", "[16, 542]", "8 б.",
    "3 том"), a century or a decade ("19 ғ.", "20-шы"), a list item ("4 ) …"), a time of day
    ("сағат 7-де"), a number in a name in quote marks or after "№", nor an anniversary
    ("120 жылдығы", "150 жылдық тойы").  Word lists: claim_frames.toml [bare_number]."""
    if q.unit in NOT_A_STATISTIC:
        return False
    if q.unit is not None:
        return True
    bare = _bare_number_words()
    before, after = text[max(0, a - 40):a], text[b:b + 24]
    said = fold(text[a:b])  # the number as the sentence reads (q.text is the input as typed)
    if not any(ch.isdigit() for ch in said):
        if not any(c in said for c in bare["collective"]):
            return False
        if said.endswith(bare["personal"]):
            return False  # "біз екеуміз" (we two): a person, no count of a whole
        prev = (fold(before).split()[-1:] or [""])[0].rstrip(",")
        if prev.endswith(bare["genitive"]) or prev in bare["another"]:
            return True  # "олардың жетеуі", "тағы төртеуі"
        # a further part of a whole the sentence has already split: "оның екеуі Семейде,
        # төртеуі Аягөзде"; "16 өңірде баяулап, үшеуінде жеделдеді" — but not "екеуі де" (both)
        earlier = fold(text[max(0, a - SPLIT_WINDOW):a])
        return (any(ch.isdigit() for ch in earlier) or any(c in earlier for c in bare["collective"])) and \
            (fold(after).split()[:1] or [""])[0] not in bare["universal"]
    if bare["glued"].search(before) or bare["bracketed"].match(after) or bare["page_or_year"].match(after):
        return False
    if (not before.strip(" -–—\t") and bare["list_item"].match(after)) or \
            fold(before).rstrip().endswith(bare["clock"]):
        return False  # a list item; a time of day ("сағат 12-де")
    if "№" in before[-12:] or _in_short_name(before, after):
        return False  # an issue "№ 21, 22"; a name in quote marks ("«Бижің 212»", "«100 оқулық» жобасы")
    word = fold(after.lstrip(" -–0123456789"))  # "25-28 қыркүйек": the day of a span
    return not (word.startswith(bare["not_before"]) or word.startswith(bare["months"]))



TRAILING_CHARS = ".!?…»\"”“«)',"
ATTRIBUTION_TAIL = re.compile(r"(?:,\s*|\s+[-–—]\s*|\s+)(?:деп|dep)\s+\w+(?:\s+[\w.]+){0,4}$"
                              r"|\s*[-–—]\s*(?:деді|дейді|dedi|deıdi)\b.*$", re.IGNORECASE)
SAID = ("деді", "дейді", "dedi", "deıdi", "deidi")  # the second branch needs one (the text is folded)
ATTRIBUTION_RUNS = 9  # whitespace runs the first branch can span (≤ 7), with room to spare
REPORTING_LINE = re.compile(r"^(?:бұл туралы|осы туралы|bul týraly|bul turaly|bul jaıly|фото|автор)", re.IGNORECASE)


def _rstrip_trailing(text: str) -> str:
    """`text` without its trailing spaces, closing quotes, brackets and end punctuation."""
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in TRAILING_CHARS):
        end -= 1
    return text[:end]


def _tail_runs(text: str, runs: int) -> int:
    """Where the `runs`-th whitespace run from the end starts (0 when there are fewer): a
    pattern anchored at the end that spans fewer runs matches inside text[that:], and a match
    there keeps the character before its first letter (the run) for a word-start test.
    (str.rsplit walks from the end and stops after `runs` splits.)"""
    parts = text.rsplit(None, runs)
    return len(parts[0]) if len(parts) > runs else 0


def without_attribution(form: str) -> str:
    """The sentence without a trailing "– деді X" / "деп хабарлайды X" and end punctuation."""
    core = _rstrip_trailing(form.strip())
    if any(w in core for w in SAID):
        core = ATTRIBUTION_TAIL.sub("", core)
    else:  # only the "деп …" branch can match: it spans the last few words
        cut = _tail_runs(core, ATTRIBUTION_RUNS)
        tail = core[cut:]
        if "деп" in tail or "dep" in tail:
            core = core[:cut] + ATTRIBUTION_TAIL.sub("", tail)
    return _rstrip_trailing(core)


DIALOGUE = ("-", "–", "—", "─")


@lru_cache(maxsize=1)
def _how_much() -> re.Pattern:
    from derek.langdata import load_toml

    words = load_toml("indicators.toml")["checkworthy"]["asks_amount"]
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def asks(text: str, view: str) -> bool:
    """Is a sentence with no number a question: it ends in "?", or asks an amount it does not
    state ("… зейнетақы қанша теңгеге өсті" — a headline asks with no question mark; "… неше
    мектеп салынғанын айтты" reports what was asked)?"""
    return text.rstrip().endswith("?") or _how_much().search(view) is not None


def dated_report(text: str, has_date: bool) -> bool:
    """A sentence that reports a past event in a participle must carry a date (news does:
    "8 қаңтарда … соқтығысқан"; naming a place or an organisation instead let a novel's
    narration through: on kk_corpus 12 of 45 such sentences were checkable, with a date 8 of 11),
    and not be a line of dialogue."""
    return has_date and not text.lstrip().startswith(DIALOGUE)


NAME_SPAN = 20  # a name in quote marks is short; direct speech around a number is not


def _in_short_name(before: str, after: str) -> bool:
    for opening, closing in (("«", "»"), ("“", "”")):
        i = before.rfind(opening)
        if i > before.rfind(closing) and len(before) - i <= NAME_SPAN and 0 <= after.find(closing) <= NAME_SPAN:
            return True
    return False


def states_event(lex: Lexicon, text: str, view: str, orig: str,
                  anchored: Callable[[], bool] = lambda: False) -> bool:
    """Does a sentence with no number state a checkable event or change?  Its last verb,
    once a trailing "– деді X" / "деп хабарлайды X" is cut off, is one of the predicates of
    indicators.toml [checkworthy]; a question, a reporting line ("Бұл туралы … хабарлады")
    or a fragment of two words is not.  Only the sentence's last words are searched (the
    predicate is anchored at the end), so a long sentence costs no more than a short one."""
    stripped = text.strip()
    if asks(stripped, view) or len(stripped.split(None, 2)) < 3 or REPORTING_LINE.match(stripped):
        return False
    for form in (view, orig) if view != orig else (view,):
        core = without_attribution(form)
        if lex.predicates.search(core, _tail_runs(core, lex.predicate_words)):
            return True
        if _ends_in_reported_past(core) and anchored():
            return True
        if core[core.rfind(" ") + 1:] in _ongoing_change():
            return True
        if _first_clause_event(lex, core):
            return True
    return False


@lru_cache(maxsize=1)
def _simple_past() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The finite forms that are a simple past (-ды/-ді/-ты/-ті), and the present-future's
    endings, which also end so ("салынады"), from suffixes.toml [verb_form]."""
    from derek.morph import grammar

    present = grammar.verb_form_endings("present")
    return tuple(e for e in grammar.verb_form_endings("finite") if len(e) == 2), present


def _first_clause_event(lex: Lexicon, core: str) -> bool:
    """A compound sentence whose first clause ends in a listed predicate in the simple past
    ("Қылмыстық іс қозғалды, түрлі нұсқалар тексерілуде"; "… клубы жеңді, ал …"): that clause
    states the event, whatever the next one says.  The past only: the present-future before a
    comma ("… есептеледі, себебі …") states a rule or a habit."""
    comma = core.find(", ")
    if comma <= 0:
        return False
    clause = core[:comma]
    last = fold(clause[clause.rfind(" ") + 1:])
    past, present = _simple_past()
    # the predicate's own word, not a longer one it starts ("артты" in "арттыруды"), and a
    # clause of three words at least ("Одан қалды, …" = moreover)
    if last not in lex.predicate_ends or not last.endswith(past) or \
            (last.endswith(present) and not is_y_stem_past(last)) or \
            len(clause.split(None, 2)) < 3:
        return False
    return lex.predicates.search(clause, _tail_runs(clause, lex.predicate_words)) is not None


@lru_cache(maxsize=1)
def _membership() -> dict:
    from derek.langdata import load_toml

    d = load_toml("claim_frames.toml")["membership"]
    return {"anchors": frozenset(fold(w) for w in d["anchors"]), "predicates": frozenset(d["predicates"]),
            "not_after_comma": frozenset(fold(w) for w in d["not_after_comma"]), "within": d["within_words"],
            # one search; the words without their first letter, which may be a capital
            "cheap": re.compile("|".join(re.escape(w[1:]) for w in d["anchors"]))}


def states_membership(view: str) -> bool:
    """Does a sentence with no number say who or what is among a group ("Зардап шеккендердің
    арасында өрт сөндірушілер де бар", "Олардың қатарында … кәсіпорны бар")?  It ends in "бар"
    and opens — or opens its clause after an introductory comma — with "<group> арасында /
    ішінде / қатарында"; "оның ішінде" after a comma is "including", an aside
    (claim_frames.toml [membership])."""
    d = _membership()
    if not d["cheap"].search(view):
        return False  # most sentences: none of the group words at all
    core = without_attribution(view)
    words = fold(core).split()
    if len(words) < 3 or words[-1] not in d["predicates"]:
        return False
    for clause_start in (0, *(k + 1 for k, w in enumerate(words[:-1]) if w.endswith(","))):
        for k in range(clause_start, min(clause_start + d["within"], len(words) - 1)):
            if words[k].rstrip(",") in d["anchors"]:
                aside = clause_start > 0 and " ".join(words[max(0, k - 1):k + 1]) in d["not_after_comma"]
                return not aside
    return False


@lru_cache(maxsize=1)
def _ongoing_change() -> frozenset[str]:
    """Change verbs in the present continuous ("тауар айналымы артуда"): claim_frames.toml
    [ongoing_change], matched as the sentence's last word."""
    from derek.langdata import load_toml

    return frozenset(fold(w) for w in load_toml("claim_frames.toml")["ongoing_change"]["verbs"])


@lru_cache(maxsize=1)
def _reported_past() -> dict:
    from derek.langdata import load_toml

    d = load_toml("claim_frames.toml")["reported_past"]
    return {"endings": tuple(fold(w) for w in d["endings"]),
            "not_endings": tuple(fold(w) for w in d["not_endings"]),
            "not_events": tuple(fold(w) for w in d["not_events"]),
            "not_phrases": tuple(fold(w) for w in d["not_phrases"]),
            "auxiliaries": frozenset(fold(w) for w in d["auxiliaries"]),
            "participles": tuple(fold(w) for w in d["participles"]),
            "not_before_auxiliary": frozenset(fold(w) for w in d["not_before_auxiliary"])}


def _ends_in_reported_past(core: str) -> bool:
    """Does the sentence end in a past verb: a past participle ("…соқтығысқан", "…bolǵan")
    or the definite past ("…мақұлданды", "…жинады")?  News reports a past event so; the caller
    asks for a date as well.  A name that ends so ("Құдайберген") is capitalised; the
    present-future (-ады/-еді: "сақталады") is no past; speech ("айтты", "атап өтті"), a
    copula ("болды") or a plan ("жоспарланған") is no event: claim_frames.toml [reported_past].
    The pluperfect ("… табылған еді", had been found) is the participle before its auxiliary."""
    cut = core.rfind(" ")
    word = core[cut + 1:]
    if cut < 0 or not word.islower() or not word.isalpha():
        return False
    words = _reported_past()
    folded = fold(word)
    if folded in words["auxiliaries"]:
        core = core[:cut].rstrip()
        cut = core.rfind(" ")
        folded = fold(core[cut + 1:])
        if cut < 0 or not folded.endswith(words["participles"]) or folded in words["not_before_auxiliary"]:
            return False
    # the present-future is no past, but "азайды" (азай+ды) only ends like one
    present = folded.endswith(words["not_endings"]) and not is_y_stem_past(folded)
    return folded.endswith(words["endings"]) and not present and \
        not folded.startswith(words["not_events"]) and not fold(core).endswith(words["not_phrases"])
