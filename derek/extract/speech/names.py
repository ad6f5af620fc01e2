"""Person names in Kazakh news text: a fallback finder, nominative forms, role words.

The NER stage is the first source of people; this module finds the names it may miss (and
all of them when it did not run): runs of capitalised words shaped like "Name Surname",
split at role words ("Саясаттанушы Дамир Белгібаев") and sentence openers, initials with a
surname ("А. Әлназарова"), and single surnames ("Сәденов").  It also knows the role nouns
of roles.toml; the nominative of a name and the endings it may carry come from
derek.morph.grammar.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.doc import Document
from derek.langdata import load_toml, read_text
from derek.morph import grammar, split
from derek.morph.grammar import CYRILLIC_WORD, is_surname, strip_case
from derek.morph.lemmatizer import is_common_word
from derek.text.alphabet import LOWER_CLASS, UPPER_CLASS
from derek.text.web import is_domain

UPPER = UPPER_CLASS
LOWER = LOWER_CLASS + "ʼ'"
CAP_WORD = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
_CAP_RUN = re.compile(rf"{CAP_WORD}(?:[ \t]{CAP_WORD})*")
WORD = re.compile(r"[\w-]+")

# capitalised words that are never (part of) a person's name, and words that never open an
# organisation's name (derek/data/name_words.toml)
NOT_NAME = frozenset(w for words in load_toml("name_words.toml")["not_name"].values() for w in words)
# (and the time adverbs of derek/data/date_words.toml that open a sentence: "Кеше Үкімет хабарлады")
NOT_ORG_START = frozenset(load_toml("name_words.toml")["not_org_start"]["words"]).union(
    load_toml("date_words.toml")["relative_day"], load_toml("date_words.toml")["relative_year"])
# words inside organisation names ('Сауда және интеграция министрлігі'), never a break
NAME_CONNECTIVES = frozenset(load_toml("name_words.toml")["name_connectives"]["words"])


@lru_cache(maxsize=1)
def roles() -> dict:
    data = load_toml("roles.toml")
    low = lambda xs: sorted({x.lower() for x in xs}, key=len, reverse=True)  # noqa: E731
    return {
        "person": low(data["person"]["words"]),
        "phrases": low(data["person"]["phrases"]),
        "main": low(data["person"]["main_speaker"]),
        "pronoun": low(data["pronoun"]["words"]),
        "org": low(data["organisation"]["words"]),
        "documents": low(data["organisation"]["documents"]),
        "org_heads": low(data["organisation"]["heads"]),
        "head_nouns": low(data["organisation"]["head_nouns"]),
        "media_heads": low(data["organisation"]["media_heads"]),
        "head_abbreviations": frozenset(data["organisation"]["head_abbreviations"]),
        "group": low(data["group"]["words"]),
        "asker": low(data["person"]["asker"]),
        "voices": frozenset(low(data["person"]["voices"])),
        "generic": frozenset(low(data["person"]["generic"])),
        "synonyms": {k.lower(): {v.lower() for v in vs} for k, vs in data.get("synonyms", {}).items()},
    }


@lru_cache(maxsize=1 << 16)
def role_parts(word: str) -> tuple[str, str] | None:
    """(role lemma, the endings after it) of a role word ('министрінің' -> ('министр',
    'інің')), else None."""
    low = word.lower()
    table = _role_table()
    # 'министрлігі' is the ministry, not the minister
    if low.startswith(table["org_stems"]):
        return None
    # Latin-script texts drop the soft sign ('Premer-mınıstr' -> 'премер-министр')
    bare = low.replace("ь", "")
    folded = _fold(bare)
    for role, frole in table["roles"]:
        if low == role:
            return role, ""
        n = len(frole)
        if n >= 4 and folded.startswith(frole) and _role_suffix().fullmatch(bare[n:]):
            return role, bare[n:]
    return None


def role_of(word: str) -> str | None:
    """The role lemma a word is a form of ('министрінің' -> 'министр'), else None."""
    parts = role_parts(word)
    return parts[0] if parts else None


def role_is_plural(word: str) -> bool:
    """'сарапшылар', 'мамандарының': a group of that role, not one person."""
    parts = role_parts(word)
    return parts is not None and parts[1].startswith(grammar.plural_endings())


def role_is_subject(word: str) -> bool:
    """A role word that can be a sentence's subject: no case ending after the role and its
    plural or possessive ('министр', 'әкімі', 'мамандар'; not 'мамандардан', 'министрге')."""
    parts = role_parts(word)
    if parts is None:
        return False
    rest = parts[1]
    for plural in grammar.plural_endings():
        if rest.startswith(plural):
            rest = rest[len(plural):]
            break
    return _possessive_only(rest)


@lru_cache(maxsize=1 << 12)
def group_of(word: str) -> str | None:
    """The group noun a word names as a subject or asker: nominative or genitive
    ('журналистердің' -> 'журналистер'); not 'журналистерге', to whom someone spoke."""
    low = word.lower()
    for group in roles()["group"]:
        rest = low[len(group):]
        if low.startswith(group) and (not rest or rest in grammar.forms("GEN")):
            return group
    return None




@lru_cache(maxsize=1)
def _role_table() -> dict:
    r = roles()
    # a role as a Latin article's view spells it too ("ekonomist", "vıtse-mınıstr" reach the
    # view as "економист", "витсе-министр": translit.VIEW_SPELLING); longest first still
    from derek.text.translit import view_spelling

    roles_ = []
    for role in r["person"]:
        for spelling in dict.fromkeys((role.replace("ь", ""), view_spelling(role))):
            roles_.append((role, _fold(spelling)))
    roles_.sort(key=lambda rf: len(rf[1]), reverse=True)
    return {"org_stems": tuple(o[:-2] for o in r["org"] if len(o) >= 7), "roles": roles_}


def _fold(word: str) -> str:
    """і and и apart: Latin-script texts ('ministr', 'mınıstr') reach the view with either."""
    return word.replace("і", "и").replace("ы", "и")


@lru_cache(maxsize=1)
def _role_suffix() -> re.Pattern:
    """What may follow a role word: plural, possessive, case ('министрінің', 'сарапшылар',
    'министрім'), not 'Ғалымжан'."""
    g = grammar
    return re.compile(g.alternation("PL") + "?" + g.alternation(*g.POSSESSIVES) + "?" + g.alternation(*g.CASES) + "?")


def _possessive_only(rest: str) -> bool:
    """No ending, or a bare 3rd-person possessive: the word is a subject ('министрі', 'бюро')."""
    return not rest or rest in grammar.forms("POSS3")


@lru_cache(maxsize=1)
def _org_stems() -> tuple[tuple[str, str], ...]:
    """(stem, noun) for the organisation nouns of roles.toml, with the voiced stem a final
    к/қ takes before a vowel ('министрлік' -> 'министрліг-і')."""
    out = []
    for noun in roles()["org"]:
        if " " in noun:
            continue
        out.append((noun, noun))
        if noun[-1] in "кқ":
            out.append((noun[:-1] + ("г" if noun[-1] == "к" else "ғ"), noun))
    return tuple(sorted(set(out), key=lambda x: len(x[0]), reverse=True))


@lru_cache(maxsize=1 << 14)
def _org_form(word: str) -> tuple[str, str] | None:
    low = word.lower()
    folded = _fold(low)
    for stem, noun in _org_stems():
        if folded.startswith(_fold(stem)) and _role_suffix().fullmatch(low[len(stem):]):
            return noun, low[len(stem):]
    return None


@lru_cache(maxsize=1)
def _head_stems() -> tuple[tuple[str, str], ...]:
    out = set()
    for noun in (*roles()["head_nouns"], *roles()["media_heads"]):
        out.add((noun, noun))
        if noun[-1] in "кқ":  # министрлік -> министрліг-і
            out.add((noun[:-1] + ("г" if noun[-1] == "к" else "ғ"), noun))
    return tuple(sorted(out, key=lambda x: len(x[0]), reverse=True))


def is_media_head(noun: str | None) -> bool:
    """Is this head noun (org_head_of's answer) a medium's: газет, басылым, журнал, телеарна?"""
    return noun in roles()["media_heads"]


@lru_cache(maxsize=1 << 14)
def org_head_of(word: str) -> str | None:
    """The head noun an organisation name ends in, in any case form ('бюросының' -> 'бюро',
    'министрлігіне' -> 'министрлік', 'РМК' -> 'РМК'), else None."""
    if word in roles()["head_abbreviations"]:
        return word
    low = word.lower()
    folded = _fold(low)  # ('міністрлігінің' in a 2021 Latin-script text's view)
    for stem, noun in _head_stems():
        if folded.startswith(_fold(stem)) and _role_suffix().fullmatch(low[len(stem):]):
            return noun
    return None


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """The state bodies' abbreviations of the organisations gazetteer (rows flagged `body`),
    the list the NER rules read too."""
    from derek.ner.gazetteer import parse

    rows = parse(read_text("gazetteer_orgs.tsv"), "gazetteer_orgs.tsv")
    return {nm.words[0]: nm.canonical for nm in rows if "body" in nm.flags}


def org_abbreviation(text: str) -> str | None:
    """The full name of the state body an abbreviation stands for ('АШМ', 'ҚР ДСМ' ->
    'Ауыл шаруашылығы министрлігі', 'Денсаулық сақтау министрлігі'), else None."""
    words = text.strip(" .,;:").split()
    if words and words[0] == "ҚР":
        words = words[1:]
    return _abbreviations().get(words[0]) if len(words) == 1 else None


def is_org_word(word: str) -> bool:
    """A form of an organisation noun ('Министрлік', 'бюроға', 'комитетінің')."""
    return _org_form(word) is not None


def is_org_subject(word: str) -> bool:
    """A nominative form of an organisation noun ('министрлік', 'министрлігі', 'бюро')."""
    form = _org_form(word)
    return form is not None and _possessive_only(form[1])


def _segments(view: str):
    """Runs of capitalised words split at role and stop words ('Саясаттанушы Дамир
    Белгібаев Ресей Федерациясының' -> 'Дамир Белгібаев')."""
    for m in _CAP_RUN.finditer(view):
        seg: list[tuple[int, int, str]] = []
        prev_role = False
        for w in re.finditer(r"\S+", m.group()):
            word = (w.start() + m.start(), w.end() + m.start(), w.group())
            # a capitalised role word opens a name ('Қазақстан Президенті Нұрсұлтан Назарбаев');
            # right after a role it is a first name ('Экономист Ғалым Нұрланов')
            is_role = not seg and not prev_role and role_of(word[2]) is not None
            prev_role = is_role
            if is_role or strip_case(word[2]).lower() in NOT_NAME \
                    or word[2].lower() in NOT_NAME:
                if seg:
                    yield seg
                seg = []
            else:
                seg.append(word)
        if seg:
            yield seg


def sentence_initial(view: str, pos: int) -> bool:
    """Does the word at pos open a sentence (or the text, or a line)?"""
    back = view[max(0, pos - 3):pos].rstrip(" \t«\"“")
    return not back or back[-1] in ".!?\n"


def _chunks(segments):
    """Split 'Серік Жұманғарин Владимир Путиннің' after each surname-like word."""
    for seg in segments:
        cur = []
        for w in seg:
            cur.append(w)
            if len(cur) >= 2 and is_surname(strip_case(w[2])):
                yield cur
                cur = []
        if cur:
            yield cur


_INITIALS = re.compile(rf"(?<![\w.])(?:[{UPPER}]\.\s?){{1,2}}({CAP_WORD})")


def find_person_names(view: str) -> list[tuple[int, int]]:
    """Fallback person finder: runs of capitalised words that look like 'Name Surname',
    and initials with a surname ('А. Әлназарова')."""
    out = []
    for m in _INITIALS.finditer(view):
        out.append((m.start(1), m.end(1)))
    for words in _chunks(_segments(view)):
        if len(words) > 3 or view[max(0, words[0][0] - 1):words[0][0]] in ("«", "“"):
            continue  # ('«Самұрық-Қазына» қоры': a name in quote marks is no person's)
        # 'Кездесу Ақмарал Әлназарованың …': a capitalised sentence opener is not a first name
        if len(words) == 3 and sentence_initial(view, words[0][0]):
            words = words[1:]
        # 'Владимир Путиннің Қазақстанға': the name ends at the surname-like word
        if len(words) == 3 and not is_surname(strip_case(words[2][2])) \
                and is_surname(strip_case(words[1][2])):
            words = words[:2]
        last = strip_case(words[-1][2]).lower()
        before = view[max(0, words[0][0] - 40):words[0][0]]
        prev = WORD.findall(before)[-2:]
        introduced = any(role_of(w) for w in prev)
        after_cue = re.search(r"(?:деді|дейді|деп\s+\w+(?:\s+\w+)?)\s*$", before) is not None
        if len(words) >= 2 and (is_surname(last) or introduced or after_cue):
            out.append((words[0][0], words[-1][1]))
        elif len(words) == 1 and is_surname(last) and len(last) >= 5:
            out.append((words[0][0], words[0][1]))
    return out


def looks_like_name(view: str, a: int, b: int) -> bool:
    """Can view[a:b] be the name of someone the article has not introduced: capitalised
    throughout, and not a lone common word opening the sentence ('Ресми ақпаратқа
    сүйенсек', 'Алдын ала мәліметтерге сәйкес')?  A web address, a Latin-script or an
    all-capitals word (Kurs.kz, KASE, БҚО) is a name."""
    words = [(m.start(), m.end(), m.group().strip("«»“”\"")) for m in re.finditer(r"\S+", view[a:b])]
    if len(words) == 1 and is_domain(words[0][2]):
        return True  # a web address ('kurs.kz'), in any case
    if not words or not all(w[:1].isupper() or w[:1].isdigit() for _, _, w in words):
        return False
    if len(words) > 1:
        return True
    start, _, word = words[0]
    start += a
    word = word.rstrip(".,;:")
    if "." in word or word.isupper() or not CYRILLIC_WORD.fullmatch(word):
        return True  # (a web address, 'kurs.kz', is a name in any case)
    if not sentence_initial(view, start):
        return True
    # a plural opening the sentence is a group ('Ұйымдастырушылардың айтуынша'), not a name
    return not is_common_word(word) and "PL" not in split(word.lower())[2]


def clean_name_span(view: str, a: int, b: int) -> tuple[int, int]:
    """Trim what a tagger may glue to the front of a name: a stop word, a role or a sentence
    opener before a two-word name ('Министр Асқар Сәрсенов', 'Брифингке Айбек Серғалиев')."""
    words = [(m.start() + a, m.end() + a, m.group()) for m in re.finditer(r"\S+", view[a:b])]
    while len(words) >= 2:
        w = words[0][2]
        low = w.lower()
        # (a two-word span keeps its first word: 'Ғалым Нұрланов' is a name, not a role)
        if low in NOT_NAME or (len(words) >= 3 and (role_of(w) or sentence_initial(view, words[0][0]))):
            words.pop(0)
        else:
            break
    return (words[0][0], words[-1][1]) if words else (a, a)


def inverse_map(doc: Document):
    """Original offset -> view offset (identity for same-length views)."""
    view = doc.view
    if view.is_identity:
        return lambda i: i
    n = len(view.text)
    # original offset -> first view offset from it: built from the end so that the earliest
    # view offset is the one left standing (dict() keeps the last value given for a key)
    starts = view.original_starts()
    first: dict[int, int] = dict(zip(reversed(starts), range(n - 1, -1, -1)))

    def inv(i: int) -> int:
        for j in range(i, min(i + 8, len(doc.text) + 1)):
            if j in first:
                return first[j]
        return n
    return inv
