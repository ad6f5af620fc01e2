"""Where speech can be in the analysis view: detector candidates, the view's paragraphs and
sentences, and the small span helpers every detector shares (all with bounded look-backs, so
detection stays linear in the article's length)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from derek.doc import Document
from derek.extract.speech.names import WORD, role_of
from derek.text.alphabet import UPPER_CLASS
from derek.text.tokenize import qualifying_abbreviations

if TYPE_CHECKING:
    from derek.extract.speech.people import PersonRegistry

OPEN = {"«": "»", "“": "”", "„": "“", '"': '"'}  # opening quote mark -> its closing mark
SKIP_ROLES = {"headline", "author", "photo", "dateline"}  # paragraphs that hold no speech
SENT_END = re.compile(r"[.!?…]+(?=[\s»”\"]|$)")
MIN_WORDS_NO_CUE = 6  # a paragraph-long quote without a cue needs this many words
MAX_QUOTE_PARAS = 6  # a quote (or dash speech) runs over at most this many paragraphs
WINDOW = 600  # how far back a speaker phrase or sentence start is looked for
# "Name Surname, role: – Speech": a television report's caption, then the words.  The name is
# two or three capitalised words (an initial may stand for one); the role runs to the colon
# without ending a sentence; a capital (or a quote mark) opens the speech after the dash.
CAPTION = re.compile(
    rf"(?P<name>[{UPPER_CLASS}][\w'’-]*\.?(?:\s+[{UPPER_CLASS}][\w'’-]*){{1,2}}),"
    rf"(?P<role>[^\n.!?:;]{{2,120}}?)\s*:\s*[-–—]\s*(?=[{UPPER_CLASS}«“\"])")
MAX_ROLE_WORDS = 14


def is_caption(m: re.Match | None) -> bool:
    """Is a CAPTION match one (its role short enough to be a role)?"""
    return m is not None and len(m.group("role").split()) <= MAX_ROLE_WORDS


def opens_with_caption(view: str, a: int, b: int) -> bool:
    """Does the sentence view[a:b] open with a caption ("Name, role: – …", caption_speech)?"""
    return is_caption(CAPTION.match(view, a, b))


@dataclass
class Candidate:
    start: int  # content span in the view
    end: int
    kind: str
    cue: str | tuple[int, int] | None  # the cue's view span, or a literal such as ":"
    # where the speaker is: ("phrase", a, b) a subject phrase; ("prev", pos) the sentence
    # before / the last speaker; ("last", pos) the last speaker; ("answer", pos) an interview
    # answer's speaker; ("asker",) a journalist's question
    who: tuple


Paragraph = tuple[int, int, str]  # (view start, view end, role)


@dataclass
class Context:
    """What every detector reads: the view, its speech paragraphs, the text earlier detectors
    already hold, and the document's people."""
    view: str
    paras: list[Paragraph]  # the paragraphs that can hold speech (not headline, byline, …)
    taken: Callable[[int, int], bool]  # does an earlier detector hold text in view[a:b]?
    people: PersonRegistry
    headlines: list[Paragraph]  # the headline line(s): a reporting clause there is speech too


def view_paragraphs(doc: Document) -> list[Paragraph]:
    """(start, end, role) of each non-blank view line; roles from the structure stage."""
    from derek.structure import line_spans

    roles_ = [p.role for p in doc.paragraphs]
    return [(a, b, roles_[i] if i < len(roles_) else "body")
            for i, (a, b) in enumerate(line_spans(doc.view.text))]


def sentences(view: str, a: int, b: int) -> list[tuple[int, int]]:
    """The sentences of view[a:b] (a closing quote mark stays with its sentence)."""
    out, pos = [], a
    for m in SENT_END.finditer(view, a, b):
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


def trim(view: str, a: int, b: int) -> tuple[int, int]:
    """view[a:b] without surrounding blanks, an opening dash or a trailing ', –'."""
    while a < b and (view[a].isspace() or view[a] in "-–—"):
        a += 1
    while b > a and (view[b - 1].isspace() or view[b - 1] in ",;:-–—"):
        b -= 1
    return a, b


_PHRASE_WINDOW = 160  # a speaker phrase after its cue is short
_CLAUSE_STOP = re.compile(r"[.!?…,;:\n«“]")


def clause_end(view: str, pos: int, limit: int) -> int:
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


# where a speaker phrase's sentence ends: a stop before a capital or the paragraph's end (not
# the dots of "п.ғ.к.," or "қауымд. профессор"), or a mark that opens other text
_PHRASE_SENTENCE_END = re.compile(rf"[.!?…](?=\s+[{UPPER_CLASS}«“\"]|\s*$)|[«“\n;:]")
_APPOSITION_WINDOW = 160


def speaker_phrase_end(view: str, pos: int, limit: int, people: "PersonRegistry") -> int:
    """End of the speaker phrase after a cue (clause_end), run on over the appositions to
    the name when the words up to the first comma name a role but no one: "– дейді кафедра
    меңгерушісі, п.ғ.к., профессор Динара Есімова." is Есімова's."""
    end = clause_end(view, pos, limit)
    if end >= limit or view[end] != "," or next(people.mentions_in(pos, end), None) is not None \
            or not any(role_of(w) for w in WORD.findall(view, pos, end)):
        return end  # (only a role runs on to its holder's name: not "– дейді қазақ, сонда Байдалы …")
    stop = min(limit, end + _APPOSITION_WINDOW)
    ext = stop
    for m in _PHRASE_SENTENCE_END.finditer(view, end, stop):
        if m.group() == "." and _before_dot(view, end, m.start()) in qualifying_abbreviations():
            continue  # "доц. Сәуле Мұхтарова": the title goes on to the name
        ext = m.start()
        break
    return ext if next(people.mentions_in(end, ext), None) is not None else end


def _before_dot(view: str, a: int, dot: int) -> str:
    """The word (dots included) that ends at view[dot], lower-cased: "т.ғ.к.", "доц."."""
    start = dot
    while start > a and not view[start - 1].isspace() and view[start - 1] not in ",;(":
        start -= 1
    return view[start:dot + 1].lower()


def para_index(paras: list[Paragraph], pos: int) -> int:
    """Index of the paragraph holding pos (the last one starting at or before it)."""
    lo, hi = 0, len(paras) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if paras[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def sentence_start(view: str, pa: int, pos: int) -> int:
    """Start of the sentence holding pos (looking back a bounded window, for linear time)."""
    pa = max(pa, pos - WINDOW)
    start = pa
    for m in SENT_END.finditer(view, pa, pos):
        start = m.end()
    while start < pos and view[start] in " \t»”\"":
        start += 1
    return start
