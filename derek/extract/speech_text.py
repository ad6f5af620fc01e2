"""Shared pieces of quote detection: candidates, the speech-cue table, and the paragraphs
and sentences of the analysis view (with bounded look-backs, so detection stays linear)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from derek.doc import Document
from derek.langdata import load_toml

_OPEN = {"«": "»", "“": "”", "„": "“", '"': '"'}
_SKIP_ROLES = {"headline", "author", "photo", "dateline"}
_SENT_END = re.compile(r"[.!?…]+(?=[\s»”\"]|$)")
_MIN_WORDS_NO_CUE = 6  # a paragraph-long quote without a cue needs this many words
_MAX_QUOTE_PARAS = 6  # a quote (or dash speech) runs over at most this many paragraphs
_WINDOW = 600  # how far back a speaker phrase or sentence start is looked for


@dataclass
class Candidate:
    start: int  # content span in the view
    end: int
    kind: str
    cue: str | tuple[int, int] | None  # the cue's view span, or a literal such as ":"
    # where the speaker is: ("phrase", a, b) a subject phrase; ("prev", pos) the sentence
    # before / the last speaker; ("speaker", Speaker) already known
    who: tuple


@lru_cache(maxsize=1)
def _cues() -> dict:
    d = load_toml("speech_verbs.toml")
    alt = lambda xs: "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in sorted(xs, key=len, reverse=True))  # noqa: E731
    say, dep = alt(d["direct"]["say"]), alt(d["direct"]["dep_verbs"])
    markers = alt(d["indirect"]["markers"])
    return {
        # cue right after a closing quote mark or a dash: ", – деді", "деп атап өтті"
        "after": re.compile(rf"[ \t]*[,.]?[ \t]*[-–—]{{0,3}}[ \t]*(?P<cue>деп\s+(?:{dep})|{say})(?![\w-])", re.I),
        # a noun of asking after a quoted question: «…?» деген сұрағына
        "question": re.compile(rf"[ \t]*(?P<cue>{alt(d['direct']['question'])})(?![\w-])", re.I),
        "dash": re.compile(rf"[,.!?…][ \t]*[-–—]{{1,3}}[ \t]*(?P<cue>деп\s+(?:{dep})|{say})(?![\w-])", re.I),
        "dep_nodash": re.compile(rf",[ \t]*(?P<cue>деп\s+(?:{dep}))(?![\w-])", re.I),
        "marker": re.compile(rf"(?<![\w-])(?P<cue>{markers})[ \t]*,", re.I),
        "source": re.compile(rf"(?<![\w-])(?P<cue>{alt(d['indirect']['source_markers'])})[ \t]*,", re.I),
        "reporting": re.compile(rf"(?<![\w-])(?P<cue>(?:деп|туралы|жайлы)\s+\w+|{alt(d['indirect']['reporting'])})"
                                rf"[ \t]*$", re.I),
        "report_verbs": re.compile(rf"(?<![\w-])(?:{alt(d['indirect']['reporting'])})[ \t]*$", re.I),
        "intro": re.compile(r"(?P<cue>былай\s+(?:деді|дейді|деп\s+\w+(?:\s+\w+)?)|деді|дейді|айтты|жазды)?[ \t]*:[ \t]*$",
                            re.I),
    }


# -- paragraphs and sentences of the view ---------------------------------------------------
def _view_paragraphs(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, role) of each non-blank view line; roles from the structure stage."""
    from derek.structure import line_spans

    roles_ = [p.role for p in doc.paragraphs]
    return [(a, b, roles_[i] if i < len(roles_) else "body")
            for i, (a, b) in enumerate(line_spans(doc.view.text))]


def _sentences(view: str, a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    for m in _SENT_END.finditer(view, a, b):
        end = m.end()
        while end < b and view[end] in "»”\"":
            end += 1
        out.append((pos, end))
        pos = end
        while pos < b and view[pos].isspace():
            pos += 1
    if pos < b:
        out.append((pos, b))
    return [(s, e) for s, e in out if e > s]


def _trim(view: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (view[a].isspace() or view[a] in "-–—"):
        a += 1
    while b > a and (view[b - 1].isspace() or view[b - 1] in ",;:-–—"):
        b -= 1
    return a, b


_PHRASE_WINDOW = 160  # a speaker phrase after its cue is short
_CLAUSE_STOP = re.compile(r"[.!?…,;:\n«“]")


def _clause_end(view: str, pos: int, limit: int) -> int:
    """End of the speaker phrase after a cue: the sentence end or a comma."""
    limit = end = min(limit, pos + _PHRASE_WINDOW)
    for m in _CLAUSE_STOP.finditer(view, pos, limit):
        # 'А. Әлназарова': the dot of an initial does not end the phrase
        if m.group() == "." and m.start() >= 1 and view[m.start() - 1].isupper() \
                and (m.start() < 2 or not view[m.start() - 2].isalpha()):
            continue
        end = m.start()
        break
    # 'деді Қасым-Жомарт Тоқаев.Осы тұста …' — a missing space after the full stop
    return end




def _para_index(paras, pos: int) -> int:
    lo, hi = 0, len(paras) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if paras[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _sentence_start(view: str, pa: int, pos: int) -> int:
    """Start of the sentence holding pos (looking back a bounded window, for linear time)."""
    pa = max(pa, pos - _WINDOW)
    start = pa
    for m in _SENT_END.finditer(view, pa, pos):
        start = m.end()
    while start < pos and view[start] in " \t»”\"":
        start += 1
    return start


