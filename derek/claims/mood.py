"""Does the sentence's predicate make its figures a plan or a forecast?

The annotation spec's "forecasts are not claims" covers more than the forecast words of
indicators.toml [modality]: Kazakh news states a plan or a prediction in the predicate itself.

* **A plan as the predicate** — "… 40 балабақша ашу жоспарлануда" (opening is planned), "…
  жинауы керек / асуы тиіс" (a verbal noun before must/should), "… салу жоспарда бар".  Every
  figure the predicate closes is the plan's — the items of a list before "… деп жоспарлануда"
  too — unless the figure's clause has a verb of its own that ends it ("12 кәсіпорын ашылып,
  … салу жоспарда бар": the enterprises opened; the plan is the workshop).
* **The present-future about a later year** — "2025 жылы жалақы 400 мың теңгені құрайды" in an
  article of 2022, or any sentence with a horizon ("2030 жылға қарай … асады"): what will be,
  not what was.  An event verb in it about the article's own year is one too ("Биыл 15 мектеп
  салынады", "биылғы мақта өнімі 400 мың тоннаға асады"); a state ("… егіс алқабы 5 млн
  гектарды құрайды") is not.  A converb shares the predicate's tense ("өсіп, … жетеді"); a
  clause closed by a past verb or a conditional ("… келсе,") is its own.  The present-future
  alone says nothing of time ("4 мың медбике еңбек етеді" is a fact now), nor does it about a
  past year.
* **Weather in the present-future** — "жел жылдамдығы 18-23 м/с-қа күшейеді": a weather forecast.

Word lists: claim_frames.toml [plan_predicate]; verb endings: suffixes.toml [verb_form] (via
derek.morph.grammar).  Only the sentence's last words and each figure's clause end are read.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.claims.checkworthy import without_attribution
from derek.claims.indicators import fold
from derek.langdata import load_toml
from derek.morph.verbs import is_y_stem_past

PLAN, FUTURE, FUTURE_STATE = "plan", "future", "future_state"


@lru_cache(maxsize=1)
def _words() -> dict:
    from derek.morph import grammar

    d = load_toml("claim_frames.toml")["plan_predicate"]
    return {"last": frozenset(fold(w) for w in d["predicates"] if " " not in w),
            "last_two": frozenset(fold(w) for w in d["predicates"] if " " in w),
            "obligation": frozenset(fold(w) for w in d["obligation"]),
            "verbal_noun": re.compile("(?:" + "|".join(d["verbal_noun"]) + ")$"),
            "future": grammar.verb_form_endings("present", "intention", "intention_after_consonant",
                                                "intention_planned"),
            "own_past": grammar.verb_form_endings("finite", "past_participle") + tuple(d["conditional"]),
            "own_converb": grammar.verb_form_endings("converb") + tuple(d["converb_after_vowel"]),
            "not_verbs": frozenset(fold(w) for w in d["not_verbs"] + list(grammar.verb_form_endings("lookalikes"))),
            "stative": frozenset(fold(w) for w in d["stative"]),
            "weather_units": frozenset(d["weather_units"]),
            "events": frozenset(fold(w) for w in d["events"]),
            "present": grammar.verb_form_endings("present"),
            "vowel_stem_present": grammar.verb_form_endings("present_after_vowel"),
            "passive_present": _passive_present(),
            "norm": re.compile(r"(?<!\w)(?:" + "|".join(fold(w) for w in d["norm_sources"]) + ")"),
            "condition": re.compile(r"(?<!\w)(?:" + "|".join(d["condition_words"]) + r")(?!\w)"),
            "conditional_person": tuple(d["conditional_person"]),
            "copula_conditional": frozenset(d["copula_conditional"]),
            "habitual_participle": grammar.verb_form_endings("habitual_participle")}


def _passive_present() -> re.Pattern:
    """The passive's present-future: a voice suffix in -л/-н (suffixes.toml [verb_stem]; a
    one-letter one only after a vowel, as the lemmatizer reads it) before -ады/-еді:
    "жасалады", "салынады", "беріледі"."""
    from derek.morph import grammar
    from derek.morph.tables import tables

    voice = load_toml("suffixes.toml")["verb_stem"]["voice"]
    vowels = "".join(sorted(tables().vowels))
    marks = [("[" + vowels + "]" if len(v) == 1 else "") + re.escape(v) for v in voice if v[-1] in "лн"]
    after_vowel = grammar.verb_form_endings("present_after_vowel")
    present = [e for e in grammar.verb_form_endings("present") if e not in after_vowel]
    return re.compile("(?:" + "|".join(marks) + ")(?:" + "|".join(present) + ")$")


WORD = re.compile(r"[^\W\d_]+")


def _last_words(text: str, n: int) -> list[str]:
    """The last `n` words of `text`, folded (letters only: "жоспарлануда." -> "жоспарлануда")."""
    return [fold(w) for w in WORD.findall(text[-80:])[-n:]]


def sentence_mood(view: str) -> str | None:
    """PLAN when the sentence's predicate (its last words once a trailing "– деді X" is cut off)
    is a plan or an obligation, FUTURE when it is the present-future of an event ("жетеді",
    "салынады"), FUTURE_STATE when of a state ("құрайды", "тұрады": true now as much as
    later), else None."""
    d = _words()
    said = _last_words(view, 2)  # "… деп жоспарлануда" (it is planned that …) ends like speech
    if said and (said[-1] in d["last"] or " ".join(said) in d["last_two"]):
        return PLAN
    words = _last_words(without_attribution(view), 2)
    if len(words) < 2:
        return None
    last = words[-1]
    if last in d["last"] or " ".join(words) in d["last_two"]:
        return PLAN
    if last in d["obligation"] and d["verbal_noun"].search(words[0]):
        # what a law or a rule requires is a fact about the rule ("Кодекске сәйкес … төленуі тиіс")
        return None if d["norm"].search(fold(view)) else PLAN
    if last.endswith(d["future"]) and last not in d["not_verbs"] and not is_y_stem_past(last):
        return FUTURE if _event_future(last, d) else FUTURE_STATE
    return None


def _event_future(word: str, d: dict) -> bool:
    """Is the present-future `word` surely an event's?  Not a state ("құрайды"); and -ады/-еді
    after a consonant is also the past of a stem in a vowel ("құрады" = құра+ды, "ойлады"), so
    only the forms no past shares count: a stem in a vowel's -йды/-йді ("салайды" is none, but
    "төмендейді"), the passive ("салынады", "беріледі", "жасалады"), the intention ("салынбақ"),
    and the change verbs of claim_frames.toml [plan_predicate] events ("жетеді", "асады")."""
    if word in d["stative"]:
        return False
    return word.endswith(d["vowel_stem_present"]) or bool(d["passive_present"].search(word)) or \
        word in d["events"] or not word.endswith(d["present"])


def forecast_by_unit(unit: str | None, mood: str | None) -> bool:
    """A weather figure (wind in m/s, degrees) in the present-future is a weather forecast
    ("жел жылдамдығы 18-23 м/с-қа күшейеді", "түнде 5 градусқа дейін аяз болады"); in the past
    it is a record."""
    return mood in (FUTURE, FUTURE_STATE) and unit in _words()["weather_units"]


@lru_cache(maxsize=1)
def _evaluation() -> tuple[frozenset[str], tuple[str, ...]]:
    d = load_toml("claim_frames.toml")["evaluation"]
    return frozenset(fold(w) for w in d["predicates"]), tuple(d["subject_endings"])


def judged(view: str) -> bool:
    """Does the sentence judge its clause rather than state it: an evaluative predicate after a
    verbal noun or a participle with its possessive ("… көш басында болуы – заңды", "… болғаны
    дұрыс"; claim_frames.toml [evaluation])?"""
    predicates, subjects = _evaluation()
    words = _last_words(without_attribution(view), 2)
    return len(words) == 2 and words[1] in predicates and words[0].endswith(subjects)


def names_condition(view: str) -> bool:
    """Does the sentence say "егер" (claim_frames.toml condition_words) at all?  Asked once per
    sentence before in_condition reads any figure's clause."""
    return _words()["condition"].search(view) is not None


def in_condition(before: str, rest: str) -> bool:
    """Is a figure inside a condition: "егер" earlier in its clause (`before`: the sentence up
    to the figure) and the clause ending, at its comma, in a conditional verb (`rest`: the
    sentence from the figure on)?  "Егер бағасы 10%-ға өссе, …" states no rise; "Егер былтыр
    … 2 млн болса, биыл …" (whereas last year …) compares facts."""
    found = None
    for found in _words()["condition"].finditer(before):
        pass
    if found is None or "," in before[found.end():]:
        return False
    comma = rest.find(",")
    words = _last_words(rest[:comma], 2) if comma > 0 else []
    if not words or not words[-1].endswith(_words()["conditional_person"]):
        return False
    # the copula's conditional after a figure or a noun is also "whereas" ("Егер 2010 жылы 2 млн
    # болса, биыл 5 млн": a comparison of facts); after a future participle it is a condition
    # ("… кешіктірілетін болса, …")
    return words[-1] not in _words()["copula_conditional"] or \
        (len(words) == 2 and words[0].endswith(_words()["habitual_participle"]))


def clause_ends_in_own_verb(rest: str, mood: str) -> bool:
    """Does the figure's clause end in a verb of its own before the sentence's predicate?
    `rest` is the sentence from the figure's end on; its clause ends at the first ';' or comma
    outside brackets and numbers ("48 шақырым (оның 12-сі қалада) жол жөнделді, …").  A past
    verb or a conditional closes a clause of its own; a converb only against a plan (it shares
    a future's tense).  The last clause is the predicate's."""
    depth = 0
    for i, c in enumerate(rest):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (c == ";" or (c == "," and not (rest[i - 1:i].isdigit() and rest[i + 1:i + 2].isdigit()))):
            return _own_verb(rest[:i].rstrip(" –—-"), mood)
    return False


def _own_verb(clause: str, mood: str) -> bool:
    words = _last_words(clause, 1)
    if not words or not clause[-1:].isalpha():
        return False
    d = _words()
    word = words[0]
    if word in d["not_verbs"]:
        return False
    if word.endswith(d["own_past"]) and (not word.endswith(d["future"]) or is_y_stem_past(word)):
        return True
    return mood == PLAN and word.endswith(d["own_converb"])
