"""The frames beyond "деп хабарлайды X" in which Kazakh news names its sources, for agencies.py.

    X баспасөз қызметі            'Ақорданың баспасөз қызметінің мәліметінше', '… деп хабарлады
                                  облыс әкімдігінің баспасөз қызметі' (the whole phrase is the source)
    an organisation after a cue    '… деп хабарлайды Ұлттық статистика бюросы' (lower-case words up
                                  to the head noun belong to the name)
    X агенттігінің хабарлауынша    'Reuters агенттігінің хабарлауынша', 'Orda.kz сайтының мәліметінше'
    X агенттігіне берген сұхбатында
    Дереккөз: X / Бастапқы дереккөзге сілтеме: X     a source line
    Толығырақ X материалынан оқыңыз
    datelines                      'АСТАНА. KAZINFORM – …', 'АСТАНА. KAZINFORM' alone on its line,
                                  'Алматы. 5 қыркүйек. ҚазТАГ - Айгүл Нұрова.'
    a signature line               “The Qazaq Times” closing the article

Every hit is (start, "", start, end, nominal form or None) in view offsets, as agencies.py keeps
them.  Word lists come from data/agencies.toml and roles.toml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.extract.speech.names import (NOT_ORG_START, UPPER, is_common_word, is_media_head, org_head_of,
                                       role_of, sentence_initial)
from derek.langdata import load_toml, month_numbers, read_text
from derek.morph.grammar import alternation, is_genitive, nominative
from derek.text.web import find_domain

LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
TOKEN = re.compile(r"«[^»\n]{1,60}»|“[^”\n]{1,60}”|\"[^\"\n]{1,60}\"|[^\s«»“”\"]+")
_NAME_TOKENS = 10  # 'Қазақстан Республикасы Денсаулық сақтау министрлігінің баспасөз қызметінен'
Hit = tuple[int, str, int, int, "str | None"]


@lru_cache(maxsize=1)
def known_outlets() -> frozenset[str]:
    """Outlets without a web address in their name, case-folded: the rows of the organisations
    gazetteer flagged `outlet` (the list NER reads too)."""
    from derek.ner.gazetteer import parse

    from derek.text.translit import to_cyrillic

    rows = parse(read_text("gazetteer_orgs.tsv"), "gazetteer_orgs.tsv")
    names = {" ".join(nm.words).casefold() for nm in rows if "outlet" in nm.flags}
    # a Latin-script article's view transliterates a Latin brand too ('Kazinform' -> 'казинформ'),
    # but not a name that is a Kazakh word as well ('Qazaqstan', 'Orda': the country, a horde)
    from derek.morph.lemmatizer import lexicon

    words = lexicon()
    # as written and lower-cased: a capital I is і in the 2021 alphabet, a small i is и
    # ("RIA Novosti" is read "РІА Новости", "ria novosti" "риа новости")
    latin = {n for n in names if n.isascii()}
    latin |= {nm.canonical for nm in rows if "outlet" in nm.flags and nm.canonical.isascii()}
    spelled = {to_cyrillic(n, v).text.casefold() for n in latin for v in ("latn2018", "latn2021")}
    return frozenset(names | {n for n in spelled if n.split()[0] not in words})


@lru_cache(maxsize=1)
def frame_data() -> dict:
    d = load_toml("agencies.toml")
    alt = lambda xs: "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in sorted(xs, key=len, reverse=True))  # noqa: E731
    return {
        "known": known_outlets(),
        # substrings that must be in a text for a frame's scan to be worth running
        "genitive_stems": tuple({w.split()[-1][1:6] for w in d["outlet_genitives"]}),
        "label_stems": tuple({w.split()[0][1:5] for w in d["source_labels"]}),
        # "X агенттігінің хабарлауынша," / "X сайтының мәліметінше,"
        "outlet_marker": re.compile(rf"\s+(?:{alt(d['outlet_genitives'])})\s+(?:{alt(d['informing_markers'])})(?![\w-])",
                                    re.I),
        # "… баспасөз қызметінің мәліметінше", "… баспасөз қызметінен мәлім еткендей"
        "press_marker": re.compile(rf"(?<![\w-])баспасөз\s+қызмет(?:інің|інен|і)\s+(?:{alt(d['informing_markers'])})"
                                   rf"(?![\w-])", re.I),
        # "BBC-дің хабарлауынша", "Азаттықтың мәліметінше": a known outlet in the genitive itself
        "marker": re.compile(rf"(?<=\s)(?:{alt(d['informing_markers'])})(?![\w-])", re.I),
        "outlet_genitives": frozenset(w.lower() for w in d["outlet_genitives"] if " " not in w),
        "genitive_end": re.compile(rf"[-'’]?(?:{alternation('GEN')})$", re.I),
        "interview": re.compile(rf"\s+(?:{alt(d['outlet_datives'])})\s+берген\s+(?:сұхбат|түсініктеме)", re.I),
        "source_line": re.compile(rf"(?m)^[ \t]*(?:{alt(d['source_labels'])})[ \t]*:[ \t]*(?P<name>[^\n:]{{2,60}}?)[ .]*$",
                                  re.I),
        "read_more": re.compile(rf"(?<![\w-])толығырақ\s+(?P<name>\S+(?:\s+\S+)?)\s+(?:{alt(d['read_more_nouns'])})\s+оқ",
                                re.I),
    }


def is_known_outlet(name: str) -> bool:
    known = frame_data()["known"]
    return find_domain(name) is not None or name.casefold() in known or name.split()[0].casefold() in known


# -- organisation names --------------------------------------------------------------------
def org_name_at(view: str, a: int, b: int) -> tuple[int, int, bool] | None:
    """An organisation name starting at view[a] and ending in a head noun within a few
    words: (start, end, is a press service).  'Ұлттық статистика бюросы', 'БҚО ПД баспасөз
    қызметінің', '«Атамекен» палатасы'.  The end of a press service is that of 'қызметі'."""
    toks = [(m.start() + a, m.end() + a, m.group()) for m in TOKEN.finditer(view[a:b])]
    cut = 0  # "Көрменің ақпаратын Мәдениет министрлігі …": after the sentence's object
    for k in range(min(len(toks), _NAME_TOKENS) - 1):
        if org_head_of(toks[k][2].rstrip(".,;:")):
            break
        if _object_before_name(view, toks[k][0], toks[k][2], toks[k + 1][2]) or \
                toks[k][2].lower() in _topic_postpositions():  # 'Оқиға жайлы X мәлім етті'
            cut = k + 1
    if cut:
        toks = toks[cut:]
        a = toks[0][0]
    while len(toks) > 1 and toks[0][2].lower() in NOT_ORG_START:  # "Кеше Үкімет хабарлады"
        toks.pop(0)
        a = toks[0][0]
    toks = toks[:_NAME_TOKENS]
    found = None
    for i, (ts, te, t) in enumerate(toks):
        if t[0] in "«“\"":
            continue
        clean = t.rstrip(".,;:")
        if not re.fullmatch(r"[\w.-]+", clean):
            break
        nxt = toks[i + 1][2].lower() if i + 1 < len(toks) else ""
        if clean.lower() == "баспасөз" and nxt.startswith("қызмет"):
            return a, toks[i + 1][0] + len("қызметі"), True
        if i > 0 and org_head_of(clean) and not is_media_head(org_head_of(clean)):  # an outlet: _outlet's
            found = (a, ts + len(clean), False)
            # a name goes on after a genitive head ('министрлігінің баспасөз қызметі') or into
            # a second head ('полиция департаменті'); else it ends here
            if clean != t or not (is_genitive(clean) or org_head_of(nxt.rstrip(".,;:"))
                                  or nxt == "баспасөз"):
                break
        elif found or clean != t:  # a comma, a full stop or a word after a head ends the phrase
            break
    return found


def abbreviation_at(view: str, a: int, b: int) -> tuple[int, int] | None:
    """An all-capitals abbreviation standing alone at view[a:b] ('АШМ', 'ҚР ДСМ')."""
    m = re.match(rf"((?:ҚР\s+)?[{UPPER}]{{2,6}})[.!?]?\s*$", view[a:b])
    return (a + m.start(1), a + m.end(1)) if m else None


def org_hit(view: str, a: int, b: int, press: bool) -> Hit:
    """The hit for an organisation name view[a:b]: a press service keeps its owner's surface
    ('Үкіметтің баспасөз қызметі'); any other name is put in the nominative."""
    return a, "", a, b, view[a:b] if press else nominative(view[a:b])


# -- frames --------------------------------------------------------------------------------
def _name_before(view: str, end: int, max_words: int = 4) -> tuple[int, int] | None:
    """The outlet name that ends at view[end]: a quoted name, a web address, or a run of
    capitalised, Latin-script or all-capitals words."""
    while end > 0 and view[end - 1] in " \t":
        end -= 1
    if end and view[end - 1] in "»”\"":
        op = max(view.rfind("«", max(0, end - 62), end - 1), view.rfind("“", max(0, end - 62), end - 1))
        return (op + 1, end - 1) if op >= 0 else None
    start = end
    for _ in range(max_words):
        ws = view.rfind(" ", max(0, start - 60), start - 1) + 1 if start > 0 else 0
        nl = view.rfind("\n", max(0, start - 60), start)
        ws = max(ws, nl + 1)
        word = view[ws:start].strip()
        if not word or not (word[:1].isupper() or LATIN.match(word) or find_domain(word)) \
                or word.lower() in NOT_ORG_START or word[-1:] in ",.;:" \
                or (not is_known_outlet(word) and not is_known_outlet(view[ws:end].strip())
                    and (role_of(word) or is_common_word(word))):
            # ('Президент ТАСС агенттігіне': a role or a common word is not the name, unless
            # the words so far are a known outlet's name: 'Егемен Қазақстан газетінің')
            break
        start = ws
        if ws == 0 or view[ws - 1] == "\n":
            break
    return (start, end) if start < end else None


def marker_hits(view: str):
    """'Reuters агенттігінің хабарлауынша', 'Ақорданың баспасөз қызметінің мәліметінше'."""
    data = frame_data()
    if any(w in view for w in data["genitive_stems"]):  # (a cheap test before the scan)
        for m in data["outlet_marker"].finditer(view):
            name = _name_before(view, m.start())
            if name:
                yield name[0], "", name[0], name[1], None
    for m in data["marker"].finditer(view):
        named = _outlet_in_genitive(view, m.start())
        if named:
            yield named[0], "", named[0], named[1], None
    if "аспасөз" not in view:
        return
    for m in data["press_marker"].finditer(view):
        owner = _owner_before(view, m.start())
        if owner is not None:
            end = m.start() + len("баспасөз қызметі")
            yield owner, "", owner, end, view[owner:end]


_OBLIQUE = {"ACC", "DAT", "LOC", "ABL", "INS"}


@lru_cache(maxsize=1)
def _topic_postpositions() -> frozenset[str]:
    """'туралы', 'жайлы', 'жөнінде' (about): what comes before one is the topic, not the name
    after it (speech_verbs.toml [indirect], as the speech finder reads them)."""
    return frozenset(load_toml("speech_verbs.toml")["indirect"]["topic_postpositions"])


def _object_before_name(view: str, at: int, word: str, nxt: str) -> bool:
    """A word in an oblique case before a capitalised one ('Ақпаратты Ұлттық банктің баспасөз
    қызметі хабарлады', 'Алматыда Үкімет …'), or in the accusative before a word that is no
    verbal noun: the sentence's object or place, not the start of the name that follows."""
    if word[:1].isupper() and not sentence_initial(view, at):
        return False  # capitalised inside a sentence: a name ('Қарағанды облыстық полиция …')
    from derek.morph.lemmatizer import best_analysis

    tags = best_analysis(word.lower().strip(".,;:")).tags
    if nxt[:1].isupper() or nxt[:1] in "«“":
        return bool(_OBLIQUE.intersection(tags))
    # an object in the accusative governs a verbal noun inside a name ('Жастарды қолдау
    # орталығы'); before any other word it is the sentence's ('Мәліметті облыс әкімдігі …')
    return "ACC" in tags and not nxt.lower().endswith(("у", "ю"))


def _outlet_in_genitive(view: str, pos: int) -> tuple[int, int] | None:
    """A known outlet in the genitive just before pos ('BBC-дің ', 'Азаттық радиосының '):
    its name's span without the ending, else None."""
    words = list(re.finditer(r"[\w.'’-]+", view[max(0, pos - 60):pos]))[-2:]
    if not words:
        return None
    base = max(0, pos - 60)
    last = words[-1]
    g = frame_data()["genitive_end"].search(last.group())
    if g is None or g.start() == 0:
        return None
    if last.group().lower() in frame_data()["outlet_genitives"]:
        return None  # 'Азаттық радиосының': outlet_marker's frame
    end = base + last.start() + g.start()
    known = frame_data()["known"]
    if len(words) == 2 and view[base + words[0].end():base + last.start()] != " ":
        words = words[1:]
    for w in words:  # the two words or the last alone
        name = view[base + w.start():end]
        domain = find_domain(name)
        if name.casefold() in known or (domain is not None and domain.group() == name):
            return base + w.start(), end
    return None


def _owner_before(view: str, pos: int) -> int | None:
    """Where the owner of 'баспасөз қызметі' at pos starts: back over the words of its
    clause (at most 7), from its first capitalised word when there is one."""
    lo = max(0, pos - 120)
    cut = max(view.rfind(",", lo, pos), view.rfind(".", lo, pos - 1), view.rfind("\n", lo, pos))
    words = list(re.finditer(r"\S+", view[cut + 1:pos]))[-7:]
    if not words:
        return None
    caps = [w for w in words if w.group()[:1].isupper() or w.group()[:1] in "«“"]
    first = caps[0] if caps else words[-min(3, len(words))]
    start = cut + 1 + first.start()
    # 'Көрменің ақпаратын Мәдениет министрлігінің …': the name starts after the last word that
    # is the sentence's object or place
    base = start
    inner = list(re.finditer(r"\S+", view[base:pos]))
    for w, nxt in zip(inner[:-1], inner[1:]):
        if _object_before_name(view, base + w.start(), w.group(), nxt.group()) or \
                w.group().lower() in _topic_postpositions():
            start = base + nxt.start()
    while True:  # 'Сондай-ақ облыс әкімдігінің …': not the stop words
        w = re.match(r"[\w-]+", view[start:pos])
        if not w or w.group().lower() not in NOT_ORG_START:
            break
        start += w.end()
        while start < pos and view[start] in " \t,":
            start += 1
    return start if start < pos else None


def interview_hits(view: str):
    """'Reuters агенттігіне берген сұхбатында' — the outlet the interview was given to."""
    if "берген" not in view:
        return
    for m in frame_data()["interview"].finditer(view):
        name = _name_before(view, m.start())
        if name:
            yield name[0], "", name[0], name[1], None


def source_line_hits(view: str):
    """'Дереккөз: ҚР ДСМ', 'Бастапқы дереккөзге сілтеме: Orda.kz' on a line of their own."""
    data = frame_data()
    if not any(w in view.lower() for w in data["label_stems"]):
        return
    for m in data["source_line"].finditer(view):
        a, b = m.span("name")
        if len(view[a:b].split()) <= 6:
            yield a, "", a, b, None


def read_more_hits(view: str):
    """'Толығырақ Orda.kz материалынан оқыңыз.'"""
    if "олығырақ" not in view:
        return
    for m in frame_data()["read_more"].finditer(view):
        a, b = m.span("name")
        if find_domain(view[a:b]) or is_known_outlet(view[a:b]) or view[a:a + 1] in "«“":
            yield a, "", a, b, None


def _month_words() -> str:
    return "|".join(sorted((re.escape(k) for k in month_numbers()), key=len, reverse=True))


@lru_cache(maxsize=1)
def _dateline() -> re.Pattern:
    # 'АСТАНА. KAZINFORM – …', 'АСТАНА. KAZINFORM' alone, 'Алматы. 22 қаңтар. 7kun.kz',
    # 'Алматы. 5 қыркүйек. ҚазТАГ - Айгүл Нұрова.'
    return re.compile(
        rf"(?mi)^(?:[{UPPER}-]{{3,}}|[{UPPER}][^\W\d_]+)\.[ \t]+(?:\d{{1,2}}[ \t]+(?:{_month_words()})\.[ \t]+)?"
        rf"(?P<name>[^\s–—\-.][^–—\n]{{0,40}}?)[ \t]*(?:[–—-][ \t]|\.?[ \t]*$)")


def dateline_hits(view: str):
    for m in _dateline().finditer(view):
        name = m.group("name").rstrip(". ")
        # a city, then an outlet: capitals, Latin script or a web address ('Алматы. Көктем келді' is a sentence)
        if name.isupper() or LATIN.match(name) or find_domain(name) or is_known_outlet(name):
            a = m.start("name")
            yield a, "", a, a + len(name), None


_SIGNATURE = re.compile(r"(?:^|\n)\s*[«“\"](?P<name>[^«»“”\"\n]{2,40})[»”\"]\s*$")


def signature_hits(view: str):
    """A closing line that is only a quoted outlet name: “The Qazaq Times”."""
    m = _SIGNATURE.search(view[-200:])
    if m:
        off = max(0, len(view) - 200)
        name = m.group("name")
        if len(name.split()) <= 5 and all(w[:1].isupper() for w in name.split()):
            yield off + m.start("name"), "", off + m.start("name"), off + m.end("name"), None
