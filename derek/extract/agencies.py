"""Agencies and outlets an article cites → `doc.meta.reported_by`.

Kazakh news names its source in a few fixed frames: "…, деп хабарлайды Orda.kz.",
"… деп хабарлайды Kursiv.kz тілшісі.", "… Qamshy.kz агенттігі Tengrinews.kz-ке сілтеме жасап.",
"… Ұлттық банктің деректеріне сілтеме жасап" (→ "Ұлттық банк"),
a dateline "АСТАНА. KAZINFORM – …", or a signature line “The Qazaq Times” at the end.
Names keep the exact surface of the text (Orda.kz, KURSIV.KZ) minus case suffixes ("Orda.kz-ке");
Kazakh organisation names are put in the nominative.  The sentences found here are sources,
not people speaking, so the quotes stage asks `is_agency_cue` before treating "деп хабарлайды"
as speech.  The stage runs before ner, which reads `meta.reported_by`: the agencies an
article cites are organisations.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.doc import Document
from derek.extract import agency_frames as frames
from derek.extract.agency_frames import LATIN, TOKEN
from derek.extract.speech.names import find_person_names
from derek.morph import grammar
from derek.morph.grammar import nominative
from derek.text.web import find_domain
from derek.langdata import load_toml
from derek.pipeline import stage

_SENT_END = re.compile(r"[.!?…](?=\s|$)|\n")
_NAME_WINDOW = 200


@lru_cache(maxsize=1)
def _data() -> dict:
    d = load_toml("agencies.toml")
    srt = lambda xs: sorted(xs, key=len, reverse=True)  # noqa: E731
    verbs = "|".join(re.escape(v) for v in srt(d["report_verbs"]))
    refs = "|".join(re.escape(r) for r in srt(d["reference"]))
    return {
        "cue": re.compile(rf"\bдеп\s+(?:{verbs})\b\s*", re.IGNORECASE),
        "past_cue": re.compile(r"\bдеп\s+(?:%s)\b\s*" % "|".join(d["past_verbs"]), re.IGNORECASE),
        "ref": re.compile(rf"\s*(?:{refs})\b", re.IGNORECASE),
        # anchored on the word itself: a leading \s+ would rescan whitespace runs (quadratic)
        "tilshi": re.compile(r"(?<=\s)тілшісі\b", re.IGNORECASE),
        "descriptors": [x.lower() for x in srt(d["descriptors"] + d["org_descriptors"])],
        "outlet_descriptors": frozenset(x.lower() for x in d["descriptors"]),
        "source_nouns": {x.lower() for x in d["source_nouns"]},
        # a case ending after a hyphen or apostrophe: Zakon.kz-ке, Tengrinews.kz-тің, Kazinform-ға
        "name_suffix": re.compile(r"[-'’]%s$" % grammar.alternation(*grammar.CASES, "TYPED_DAT", min_len=2),
                                  re.IGNORECASE),
    }


def is_agency_cue(view: str, pos: int) -> bool:
    """True when a cue at view[pos] names a source, not speech: "деп <present reporting
    verb>", or "деп хабарлады / жазды" followed by an outlet ("…, деп хабарлады Orda.kz")."""
    if _data()["cue"].match(view, pos) is not None:
        return True
    m = _data()["past_cue"].match(view, pos)
    if m is None:
        return False
    end = _sentence_end_after_names(view, m.end())
    out = _outlet(view, m.end(), end)
    if out is not None and _is_outlet_name(view[out[0]:out[1]]):
        return True
    # "…, деп хабарлады облыс әкімдігінің баспасөз қызметі": a press service informs (a
    # quote in quote marks before the cue stays that service's speech)
    org = frames.org_name_at(view, m.end(), end)
    return org is not None and org[2] and not _after_closed_quote(view, pos)


def _after_closed_quote(view: str, pos: int) -> bool:
    """Does the cue at pos close direct speech: a quote in quote marks ('«…», – деп
    хабарлады') or a paragraph opened by a dash ('– …, – деп хабарлады')?"""
    i = pos
    while i > 0 and view[i - 1] in " \t,–—-":
        i -= 1
    if i > 0 and view[i - 1] in "»”\"":
        return True
    para = view.rfind("\n", max(0, pos - 2000), pos) + 1
    return view[para:para + 1] in ("-", "–", "—")


def _is_outlet_name(name: str) -> bool:
    return frames.is_known_outlet(name)


def _sentence_end(view: str, pos: int) -> int:
    m = _SENT_END.search(view, pos)
    return m.start() if m else len(view)


def _outlet(view: str, a: int, b: int) -> tuple[int, int, int] | None:
    """The outlet name at the start of view[a:b]: (name start, name end, end of its descriptors)."""
    data = _data()
    toks = [(m.start() + a, m.end() + a, m.group()) for m in TOKEN.finditer(view[a:b])]
    if not toks:
        return None
    s, e, t = toks[0]
    if t[0] in "«“\"":  # «Қазгидромет» РМК
        na, nb = s + 1, e - 1
        i = 1
    else:
        na = s
        nb = None
        i = 0
        while i < len(toks):
            ts, te, tt = toks[i]
            clean = tt.rstrip(".,;:")
            if find_domain(clean):
                nb = ts + len(clean)
                m = data["name_suffix"].search(view[ts:nb])
                if m:
                    nb = ts + m.start()
                i += 1
                break
            if i and (clean.lower() in data["descriptors"]
                      or not (clean[:1].isupper() or clean.isdigit() or LATIN.match(clean))):  # 'France 24'
                break
            if _descriptor_at(view, ts, b):
                break
            if not (clean[:1].isupper() or clean[:1].isdigit() or LATIN.match(clean)):
                break
            nb = ts + len(clean)
            i += 1
            if len(clean) < len(tt):  # the sentence or clause ended inside this token
                break
        if nb is None:
            return None
    # skip the descriptors that follow ("ақпарат агенттігі", "тілшісі", "РМК")
    pos = toks[i - 1][1] if i else nb
    while True:
        d = _descriptor_at(view, pos, b)
        if not d:
            break
        pos = d
    return na, nb, pos


_LOWER_WORD = re.compile(r"\s*[a-zа-яәғқңөұүһіё][\w-]*", re.UNICODE)
MAX_DESCRIBING_WORDS = 5


def _described_outlet(view: str, a: int, b: int) -> tuple[int, int, int] | None:
    """An outlet named after a few lower-case words that describe it ('… деп хабарлайды
    ағылшын тілінде хабар таратушы BBC'): a known outlet or a Latin name, ending the sentence."""
    pos = a
    for _ in range(MAX_DESCRIBING_WORDS):
        m = _LOWER_WORD.match(view, pos, b)
        if not m:
            break
        pos = m.end()
    if pos == a:
        return None
    out = _outlet(view, pos, b)
    if out is None or view[out[2]:b].strip(" .,;:"):
        return None
    name = view[out[0]:out[1]]
    return out if _is_outlet_name(name) or LATIN.match(name) and name[:1].isupper() else None


def _descriptor_at(view: str, pos: int, b: int) -> int | None:
    rest = view[pos:b]
    stripped = rest.lstrip()
    low = stripped.lower()
    for d in _data()["descriptors"]:
        if low.startswith(d) and (len(low) == len(d) or not low[len(d)].isalnum()):
            return pos + (len(rest) - len(stripped)) + len(d)
    return None


def _cited_source(view: str, a: int, b: int) -> tuple[int, int, str] | None:
    """'Ұлттық банктің деректеріне' (before 'сілтеме жасап') -> its name."""
    data = _data()
    words = [(m.start() + a, m.end() + a, m.group()) for m in re.finditer(r"\S+", view[a:b])]
    while words and words[-1][2].lower().strip(".,") in data["source_nouns"]:
        words.pop()
    if not words:
        return None
    s, e = words[0][0], words[-1][1]
    if view[s] in "«“" and view.find("»" if view[s] == "«" else "”", s, e) > s:
        # '«Хабар» ұлттық арнасына': the name is what the quote marks hold
        close = view.find("»" if view[s] == "«" else "”", s, e)
        return s + 1, close, view[s + 1:close]
    last = view[words[-1][0]:e]
    if find_domain(last) or LATIN.match(last):
        m = data["name_suffix"].search(last)
        if m:
            e = words[-1][0] + m.start()
        return s, e, view[s:e]
    return s, e, nominative(view[s:e])


def _add(doc: Document, found: list[str], va: int, vb: int, nominal: str | None = None) -> None:
    """Record a name: the original surface, or the nominative form when it differs."""
    from derek.morph.stage import as_written
    from derek.text.homoglyphs import repaired_name

    oa, ob = doc.span(va, vb)
    name = repaired_name(doc.text[oa:ob].strip(" .,;:«»“”\""))
    if nominal is not None and nominal != doc.view.text[va:vb]:
        name = as_written(doc, va, vb, nominal)  # the nominative differs from the surface
    if name and name.casefold() not in {f.casefold() for f in found}:
        found.append(name)


def find_reported_by(doc: Document) -> list[str]:
    found: list[str] = []
    for _, _, a, b, nominal in _agency_hits(doc.view.text):
        _add(doc, found, a, b, nominal)
    return found


def _agency_hits(view: str) -> tuple[tuple[int, str, int, int, str | None], ...]:
    """Where the view names the agencies it cites: (start, "", start, end, nominal form), sorted."""
    data = _data()
    hits: list[tuple[int, str, int, int, str | None]] = []
    for m in data["cue"].finditer(view):
        end = _sentence_end_after_names(view, m.end())
        out = _outlet(view, m.end(), end)
        pos = m.end()
        org = frames.org_name_at(view, m.end(), end)
        if org and (out is None or (not _is_outlet_name(view[out[0]:out[1]]) and (org[2] or org[1] > out[2]))):
            hits.append(frames.org_hit(view, org[0], org[1], org[2]))
            pos = org[1]
        elif out:
            hits.append((out[0], "", out[0], out[1], None))
            pos = out[2]
        elif not org:
            described = _described_outlet(view, m.end(), end)
            if described:  # "деп хабарлайды парсы тілінде жаңалық таратушы Deutsche Welle"
                hits.append((described[0], "", described[0], described[1], None))
                pos = described[2]
        r = data["ref"].search(view, pos, end)
        if r:
            src = _cited_source(view, pos, r.start())
            if src:
                hits.append((src[0], "", src[0], src[1], src[2]))
            after = _outlet(view, r.end(), end)  # "деп хабарлайды X-ке сілтеме жасап Stan.kz"
            if after and _is_outlet_name(view[after[0]:after[1]]):
                hits.append((after[0], "", after[0], after[1], None))
    for m in data["past_cue"].finditer(view):  # "…, деп хабарлады Orda.kz"
        end = _sentence_end_after_names(view, m.end())
        pos = m.end()
        out = _outlet(view, m.end(), end)
        if out and _is_outlet_name(view[out[0]:out[1]]):
            hits.append((out[0], "", out[0], out[1], None))
            pos = out[2]
        else:
            # an organisation reporting news in the writer's words ("…, деп хабарлады Ұлттық
            # банк", "… деп хабарлады АШМ") is the article's source, as well as its speaker;
            # after a quote in quote marks it is only the speaker, unless it is a press service
            org = frames.org_name_at(view, m.end(), end)
            abbr = None if org else frames.abbreviation_at(view, m.end(), end)
            quoted = _after_closed_quote(view, m.start())
            if org and (org[2] or not quoted):
                hits.append(frames.org_hit(view, org[0], org[1], org[2]))
                pos = org[1]
            elif abbr and not quoted:
                hits.append((abbr[0], "", abbr[0], abbr[1], None))
                pos = abbr[1]
        r = data["ref"].search(view, pos, end)  # "… деп жазды X тілшісі Y-ке сілтеме жасап"
        if r and pos > m.end():
            src = _cited_source(view, pos, r.start())
            if src:
                hits.append((src[0], "", src[0], src[1], src[2]))
    for m in data["tilshi"].finditer(view):  # "BAQ.KZ тілшісі" anywhere
        ws = m.start()
        while ws > 0 and view[ws - 1].isspace():
            ws -= 1
        lo = max(0, ws - 80)  # an outlet name is short; bounded look-back keeps this linear
        back = max(lo, view.rfind(" ", lo, max(lo, ws - 1)) + 1, view.rfind("\n", lo, max(lo, ws - 1)) + 1)
        token = view[back:ws]
        if find_domain(token) or (token[:1].isupper() and LATIN.match(token)) or _is_outlet_name(token):
            hits.append((back, "", back, ws, None))
        elif token[-1:] in "»”":  # "«Ақ жол» тілшісі"
            op = max(view.rfind("«", lo, ws), view.rfind("“", lo, ws))
            if op >= 0:
                hits.append((op + 1, "", op + 1, ws - 1, None))
    hits.extend(_subject_hits(view))
    for frame in (frames.marker_hits, frames.interview_hits, frames.source_line_hits, frames.read_more_hits,
                  frames.dateline_hits, frames.signature_hits):
        hits.extend(frame(view))
    return tuple(sorted(hits))


# ('мәлім етті', informed: a press service's or an organisation's word for it)
_SUBJECT_VERB = re.compile(r"(?<![\w-])(?P<verb>хабарлайды|жазады|хабарлады|жазды|мәлім\s+етті)(?![\w-])", re.I)
_PAST = ("хабарлады", "жазды", "мәлім етті")
_ORG_VERBS = ("хабарлады", "мәлім етті")
# 'Бұл туралы', 'Осы жайында' (speech_verbs.toml [indirect] topic_postpositions, as the speech finder reads them)
_ABOUT_THIS = re.compile(r"(?:бұл|осы)\s+(?:" + "|".join(load_toml("speech_verbs.toml")["indirect"]["topic_postpositions"])
                         + r")\s+", re.I)


def cites_source(view: str, a: int, b: int) -> bool:
    """Does view[a:b] cite a source ('X басылымына сілтеме жасап'): a subject that does is an
    outlet passing on another's news ('Бұл туралы Sport.kz порталы Marca басылымына сілтеме
    жасап хабарлады'), a source (reported_by), not a speaker."""
    return _data()["ref"].search(view, a, b) is not None


def outlet_subject(view: str, a: int, b: int, past: bool) -> tuple[int, int] | None:
    """The outlet that view[a:b] names entirely ('Tengrinews.kz', 'ҚазАқпарат', 'BAQ.KZ
    тілшісі'), else None.  In the past tense ('Бұл туралы X хабарлады') only a web address
    counts: 'Асхат Оралов хабарлады' is a person speaking."""
    m = _ABOUT_THIS.match(view, a, b)
    if m:
        a = m.end()
    while b > a and view[b - 1].isspace():
        b -= 1
    if a >= b or len(view[a:b].split()) > 4:
        return None
    out = _outlet(view, a, b)
    if not out or out[2] < b:
        return None
    name = view[out[0]:out[1]]
    # 'Al Jazeera телеарнасы', '«Жас Алаш» газеті': a word that says it is an outlet
    described = " ".join(view[out[1]:out[2]].strip(" »”\"").split()).lower() in _data()["outlet_descriptors"]
    known = _is_outlet_name(name)
    if past and not (known or described):
        return None
    if not (find_domain(name) or LATIN.match(name) or known or described
            or (name[:1].isupper() and len(name.split()) == 1)):
        return None
    return out[0], out[1]


def _subject_hits(view: str):
    """'Бұл туралы Tengrinews.kz хабарлайды.', 'ҚазАқпарат хабарлайды, …'."""
    for m in _SUBJECT_VERB.finditer(view):
        if view[max(0, m.start() - 4):m.start()].rstrip().lower().endswith("деп"):
            continue
        window = view[max(0, m.start() - _NAME_WINDOW):m.start()]
        cut = max(window.rfind(". "), window.rfind("\n"), window.rfind(", "))
        a = m.start() - len(window) + cut + 1 if cut >= 0 else m.start() - len(window)
        while a < m.start() and view[a].isspace():
            a += 1
        verb = " ".join(m.group("verb").lower().split())
        past = verb in _PAST
        r = None
        for r in _data()["ref"].finditer(view, a, m.start()):
            pass  # the last citation before the verb
        if r is not None:  # "Бұл туралы X басылымына сілтеме жасап Y хабарлады", "… сілтеме берген CNN хабарлайды"
            yield from _citing_subject(view, a, r, m.start(), past)
            continue
        found = outlet_subject(view, a, m.start(), past=past)
        if found:
            yield found[0], "", found[0], found[1], None
        elif verb in _ORG_VERBS:  # 'Бұл туралы Қазына банкі хабарлады.'
            org = _org_subject(view, a, m.start())
            if org:
                yield org


def _citing_subject(view: str, a: int, r: re.Match, b: int, past: bool):
    """The outlet that reports while citing another: named after the citation ('… сілтеме
    берген CNN хабарлайды') or before the cited source ('Бұл туралы Sport.kz порталы Record
    басылымына сілтеме жасап хабарлады')."""
    m = _ABOUT_THIS.match(view, a, r.start())
    start = m.end() if m else a
    found = outlet_subject(view, r.end(), b, past)
    if found:
        yield found[0], "", found[0], found[1], None
        src = _cited_source(view, start, r.start()) if start < r.start() else None
        if src and src[2][:1].isupper() and not any(frames.role_of(w) for w in src[2].split()) \
                and not find_person_names(src[2]):
            # 'Бұл туралы ТАСС-қа сілтеме жасап Sputnik хабарлайды': the cited outlet too (not
            # 'биржа деректеріне', data; nor a minister or anyone cited by name: a person)
            yield src[0], "", src[0], src[1], src[2]
        return
    out = _outlet(view, start, r.start())
    if out and out[2] < r.start() and _is_outlet_name(view[out[0]:out[1]]):
        yield out[0], "", out[0], out[1], None
        src = _cited_source(view, out[2], r.start())
        if src:
            yield src[0], "", src[0], src[1], src[2]


def _org_subject(view: str, a: int, b: int):
    """An organisation, its press service or an abbreviation that view[a:b] names entirely."""
    m = _ABOUT_THIS.match(view, a, b)
    if m:
        a = m.end()
    while b > a and view[b - 1].isspace():
        b -= 1
    org = frames.org_name_at(view, a, b)
    if org and (org[1] == b or (org[2] and " " not in view[org[1]:b])):
        return frames.org_hit(view, org[0], org[1], org[2])
    abbr = frames.abbreviation_at(view, a, b)
    return (abbr[0], "", abbr[0], abbr[1], None) if abbr else None


def _sentence_end_after_names(view: str, pos: int) -> int:
    """End of the cue's sentence; a dot inside 'Orda.kz' or 'KURSIV.KZ' does not end it.  The
    names follow the cue closely: look no further than _NAME_WINDOW (linear time)."""
    end = pos
    limit = min(len(view), pos + _NAME_WINDOW)
    while True:
        m = _SENT_END.search(view, end, limit)
        if not m:
            return limit
        i = m.start()
        if view[i] == "\n" or i + 1 >= len(view) or view[i + 1].isspace():
            return i
        end = i + 1


@stage("agencies", requires=("view",), assigns=("reported_by",), kazakh=True)
def agencies(doc: Document) -> None:
    for name in find_reported_by(doc):
        if name.casefold() not in {r.casefold() for r in doc.meta.reported_by}:
            doc.meta.reported_by.append(name)
