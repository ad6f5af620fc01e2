"""Agencies and outlets an article cites → `doc.meta.reported_by`.

Kazakh news names its source in a few fixed frames: "…, деп хабарлайды Orda.kz.",
"… деп хабарлайды Kursiv.kz тілшісі.", "… Qamshy.kz агенттігі Tengrinews.kz-ке сілтеме жасап.",
"… Ұлттық банктің деректеріне сілтеме жасап" (→ "Ұлттық банк"),
a dateline "АСТАНА. KAZINFORM – …", or a signature line “The Qazaq Times” at the end.
Names keep the exact surface of the text (Orda.kz, KURSIV.KZ) minus case suffixes ("Orda.kz-ке");
Kazakh organisation names are put in the nominative.  The sentences found here are sources,
not people speaking, so the quotes stage asks `is_agency_cue` before treating "деп хабарлайды"
as speech.
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.doc import Document
from derek.extract.speech.names import UPPER, nominative
from derek.langdata import load_toml
from derek.pipeline import stage

_DOMAIN = re.compile(r"\w[\w-]*\.(?:kz|com|ru|org|net|kg|uz|info|tv|me|asia|su|қаз)\b", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_TOKEN = re.compile(r"«[^»\n]{1,60}»|“[^”\n]{1,60}”|\"[^\"\n]{1,60}\"|[^\s«»“”\"]+")
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
        "known": {k.casefold() for k in d["known_outlets"]},
        "ref": re.compile(rf"\s*(?:{refs})\b", re.IGNORECASE),
        # anchored on the word itself: a leading \s+ would rescan whitespace runs (quadratic)
        "tilshi": re.compile(r"(?<=\s)тілшісі\b", re.IGNORECASE),
        "descriptors": [x.lower() for x in srt(d["descriptors"])],
        "source_nouns": {x.lower() for x in d["source_nouns"]},
        "name_suffix": re.compile(r"[-'’](?:%s)$" % "|".join(srt(d["name_suffixes"])), re.IGNORECASE),
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
    return out is not None and _is_outlet_name(view[out[0]:out[1]])


def _is_outlet_name(name: str) -> bool:
    known = _data()["known"]
    return bool(_DOMAIN.search(name)) or name.casefold() in known or name.split()[0].casefold() in known


def _sentence_end(view: str, pos: int) -> int:
    m = _SENT_END.search(view, pos)
    return m.start() if m else len(view)


def _outlet(view: str, a: int, b: int) -> tuple[int, int, int] | None:
    """The outlet name at the start of view[a:b]: (name start, name end, end of its descriptors)."""
    data = _data()
    toks = [(m.start() + a, m.end() + a, m.group()) for m in _TOKEN.finditer(view[a:b])]
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
            if _DOMAIN.search(clean):
                nb = ts + len(clean)
                m = data["name_suffix"].search(view[ts:nb])
                if m:
                    nb = ts + m.start()
                i += 1
                break
            if i and (clean.lower() in data["descriptors"] or not (clean[:1].isupper() or _LATIN.match(clean))):
                break
            if _descriptor_at(view, ts, b):
                break
            if not (clean[:1].isupper() or clean[:1].isdigit() or _LATIN.match(clean)):
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


def _descriptor_at(view: str, pos: int, b: int) -> int | None:
    rest = view[pos:b]
    stripped = rest.lstrip()
    low = stripped.lower()
    for d in _data()["descriptors"]:
        if low.startswith(d) and (len(low) == len(d) or not low[len(d)].isalnum()):
            return pos + (len(rest) - len(stripped)) + len(d)
    return None


_GENITIVE = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")


def _press_service(view: str, out: tuple[int, int, int]) -> str | None:
    """'Ақорданың баспасөз қызметі' -> 'Ақорда баспасөз қызметі' (the service is the source)."""
    name = view[out[0]:out[1]]
    tail = " ".join(view[out[1]:out[2]].split()).lower()
    if tail.startswith("баспасөз қызметі") and _GENITIVE.search(name) and " " not in name:
        return f"{nominative(name)} баспасөз қызметі"
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
    last = view[words[-1][0]:e]
    if _DOMAIN.search(last) or _LATIN.match(last):
        m = data["name_suffix"].search(last)
        if m:
            e = words[-1][0] + m.start()
        return s, e, view[s:e]
    return s, e, nominative(view[s:e])


def _add(doc: Document, found: list[str], va: int, vb: int, nominal: str | None = None) -> None:
    """Record a name: the original surface, or the nominative form when it differs."""
    oa, ob = doc.span(va, vb)
    surface = doc.text[oa:ob].strip(" .,;:«»“”\"")
    name = surface
    if nominal is not None and nominal != doc.view.text[va:vb]:
        # nominative differs from the surface: keep the original's prefix when it is one
        vs = doc.view.text[va:vb]
        if vs.startswith(nominal):
            oa2, ob2 = doc.span(va, va + len(nominal))
            name = doc.text[oa2:ob2]
        else:
            name = nominal
    if name and name.casefold() not in {f.casefold() for f in found}:
        found.append(name)


def find_reported_by(doc: Document) -> list[str]:
    found: list[str] = []
    for _, _, a, b, nominal in _document_hits(doc):
        _add(doc, found, a, b, nominal)
    return found


def _document_hits(doc: Document) -> tuple[tuple[int, str, int, int, str | None], ...]:
    """`_agency_hits` of the document's view, computed once per document: the ner stage and
    the agencies stage both ask.  Memoised on the document (keyed by the view text it was
    made from), not in a small global cache: a batch runs the ner stage over all its
    documents before the agencies stage sees the first, which evicted a cache of a few."""
    text = doc.view.text
    return doc.derived("_agency_hits", (text,), lambda: _agency_hits(text))


def _agency_hits(view: str) -> tuple[tuple[int, str, int, int, str | None], ...]:
    """Where the view names the agencies it cites: (start, "", start, end, nominal form), sorted."""
    data = _data()
    hits: list[tuple[int, str, int, int, str | None]] = []
    for m in data["cue"].finditer(view):
        end = _sentence_end_after_names(view, m.end())
        out = _outlet(view, m.end(), end)
        pos = m.end()
        if out:
            hits.append((out[0], "", out[0], out[1], _press_service(view, out)))
            pos = out[2]
        r = data["ref"].search(view, pos, end)
        if r:
            src = _cited_source(view, pos, r.start())
            if src:
                hits.append((src[0], "", src[0], src[1], src[2]))
    for m in data["past_cue"].finditer(view):  # "…, деп хабарлады Orda.kz"
        if is_agency_cue(view, m.start()):
            out = _outlet(view, m.end(), _sentence_end_after_names(view, m.end()))
            if out:
                hits.append((out[0], "", out[0], out[1], None))
    for m in data["tilshi"].finditer(view):  # "BAQ.KZ тілшісі" anywhere
        ws = m.start()
        while ws > 0 and view[ws - 1].isspace():
            ws -= 1
        lo = max(0, ws - 80)  # an outlet name is short; bounded look-back keeps this linear
        back = max(lo, view.rfind(" ", lo, max(lo, ws - 1)) + 1)
        token = view[back:ws]
        if _DOMAIN.search(token) or (token[:1].isupper() and _LATIN.match(token)):
            hits.append((back, "", back, m.start(), None))
    hits.extend(_subject_hits(view))
    hits.extend(_dateline_hits(view))
    hits.extend(_signature_hits(view))
    return tuple(sorted(hits))


_SUBJECT_VERB = re.compile(r"(?<![\w-])(?P<verb>хабарлайды|жазады|хабарлады|жазды)(?![\w-])", re.I)
_ABOUT_THIS = re.compile(r"(?:бұл|осы)\s+(?:туралы|жөнінде)\s+", re.I)


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
    if past and not _is_outlet_name(name):
        return None
    if not (_DOMAIN.search(name) or _LATIN.match(name) or (name[:1].isupper() and len(name.split()) == 1)):
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
        found = outlet_subject(view, a, m.start(), past=m.group("verb").lower() in ("хабарлады", "жазды"))
        if found:
            yield found[0], "", found[0], found[1], None


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


_DATELINE = re.compile(rf"(?m)^[{UPPER}-]{{3,}}\.\s+(?P<name>[^\s–—\-][^–—\n]{{0,40}}?)\s+[–—-]\s")


def _dateline_hits(view: str):
    for m in _DATELINE.finditer(view):
        yield m.start("name"), "", m.start("name"), m.end("name"), None


_SIGNATURE = re.compile(r"(?:^|\n)\s*[«“\"](?P<name>[^«»“”\"\n]{2,40})[»”\"]\s*$")


def _signature_hits(view: str):
    """A closing line that is only a quoted outlet name: “The Qazaq Times”."""
    m = _SIGNATURE.search(view[-200:])
    if m:
        off = max(0, len(view) - 200)
        name = m.group("name")
        if len(name.split()) <= 5 and all(w[:1].isupper() for w in name.split()):
            yield off + m.start("name"), "", off + m.start("name"), off + m.end("name"), None


@stage("agencies", requires=("view", "paragraphs"), assigns=("reported_by",))
def agencies(doc: Document) -> None:
    for name in find_reported_by(doc):
        if name.casefold() not in {r.casefold() for r in doc.meta.reported_by}:
            doc.meta.reported_by.append(name)
