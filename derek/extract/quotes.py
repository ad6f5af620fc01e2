"""Quotes and who said them: direct («…», dash speech) and indirect (сөзінше, айтуынша, … айтты).

Detectors run on the analysis view in priority order; a later detector never claims text an
earlier one took.  Each candidate carries where its speaker phrase is; speakers are resolved
afterwards in text order, because a pronoun or a role noun ("– деді ол", "сарапшы") points
at whoever spoke before it.

1. quote marks  «…» “…” "…" (nested quotes belong to the outer one; a quote may run over
   several paragraphs) with a cue after (", – деді X", "деп атап өтті X"), an intro before
   ("X: «…»", "X былай деді: «…»") or, for a paragraph-long quote, the speaker of the sentence
   before.  Names in quotes («…форумына») have no cue and are not quotes.
2. dash speech  a paragraph "…, – деді X." without quote marks; interview turns: a dash
   paragraph asking a question ("– Теңге неге әлсіреді?") followed by a dash answer is the
   journalist's question (no named asker), and an answer without a cue is the interviewee's;
   transcript lines "Серік Жұманғарин: …" / "Тілші: …?" (a known person or a journalist).
3. indirect markers  "Оның айтуынша, …", "Спикердің сөзінше, …", "X таратқан мәліметке сенсек, …".
4. "…, деп мәлімдеді X." without quote marks (indirect).
5. reporting clauses  "X … келетінін айтты.", "Бұл туралы X хабарлады." (the sentences before).
Detectors 2-5 live in reported_speech.py, shared helpers in speech_text.py.  Agency sentences
("деп хабарлайды Zakon.kz") are sources, not speech: see agencies.py.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort

from derek.doc import Document, Quote, Speaker
from derek.extract.agencies import is_agency_cue
from derek.extract.names import roles
from derek.extract.reported_speech import (_colon_lines, _dash_speech, _dep_no_dash, _indirect_markers,
                                           _interview_turns, _reporting_clauses, _transcript_lines)
from derek.extract.speakers import SpeakerResolver
from derek.extract.speech_text import (_MAX_QUOTE_PARAS, _MIN_WORDS_NO_CUE, _OPEN, _SENT_END, _SKIP_ROLES,
                                       Candidate, _clause_end, _cues, _para_index, _sentence_start, _trim,
                                       _view_paragraphs)
from derek.pipeline import stage


def quote_pairs(view: str, paras: list[tuple[int, int, str]]) -> list[tuple[int, int, bool]]:
    """Top-level quoted spans (open, close, closed?) in one linear pass.  Nested «…» and “…”
    belong to the outer quote.  A quote left open at the end of its paragraph runs on into
    the next ones when the next paragraph reopens it (the typographic convention for
    multi-paragraph quotes) or contains its closing mark, at most _MAX_QUOTE_PARAS
    paragraphs; otherwise it ends with its paragraph (closed = False)."""
    out: list[tuple[int, int, bool]] = []
    start = -1  # position of the open top-level mark, or -1
    op = cl = ""
    depth = 0
    paras_open = 0
    for i, (a, b, _) in enumerate(paras):
        pos = a
        if start >= 0 and view[a] == op and op != '"':
            pos = a + 1  # the mark repeated at a continuation paragraph
        for m in _MARKS.finditer(view, pos, b):
            ch, at = m.group(), m.start()
            if start < 0:
                if ch in _OPEN and _is_opener(view, at, a):
                    start, op, cl, depth, paras_open = at, ch, _OPEN[ch], 0, 0
            elif op == '"':
                if ch == '"':
                    out.append((start, at, True))
                    start = -1
            elif ch == op:
                depth += 1
            elif ch == cl:
                if depth == 0:
                    out.append((start, at, True))
                    start = -1
                else:
                    depth -= 1
        if start >= 0:  # open at the paragraph end: go on, or end it here
            paras_open += 1
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            goes_on = nxt is not None and paras_open < _MAX_QUOTE_PARAS and (
                (view[nxt[0]] == op and op != '"') or cl in view[nxt[0]:nxt[1]])
            if not goes_on:
                out.append((start, b, False))
                start = -1
    return out


_MARKS = re.compile(r"[«»“”„\"]")


def _is_opener(view: str, pos: int, para_start: int) -> bool:
    ch = view[pos]
    if ch in "«„":
        return True
    if ch == "”":
        return False
    nxt = view[pos + 1] if pos + 1 < len(view) else " "
    prev = view[pos - 1] if pos > para_start else " "
    if nxt.isspace():
        return False
    return prev.isspace() or prev in "([{«—–-:" or pos == para_start


def _marked_quotes(doc: Document, view: str, paras, sentences_of) -> list[Candidate]:
    cues = _cues()
    out = []
    for op, cl, closed in quote_pairs(view, paras):
        ca, cb = _trim(view, op + 1, cl)
        if ca >= cb:
            continue
        pidx = _para_index(paras, op)
        pa, pb, _ = paras[pidx]
        after_para = _para_index(paras, cl)
        limit = paras[after_para][1]
        q = cues["question"].match(view, cl + 1, limit) if closed else None
        if q:  # "Журналистердің «…?» деген сұрағына": the asker stands before the quote
            s0 = _sentence_start(view, pa, op)
            who = ("phrase", s0, op) if view[s0:op].strip() else ("asker",)
            out.append(Candidate(ca, cb, "direct", q.span("cue"), who))
            continue
        m = cues["after"].match(view, cl + 1, limit) if closed else None
        if m and not is_agency_cue(view, m.start("cue")):
            spk_end = _clause_end(view, m.end(), limit)
            if view[m.end():spk_end].strip():
                who = ("phrase", m.end(), spk_end)
            else:  # "Журналистер «…» деп сұрады." — the subject stands before the quote
                s0 = _sentence_start(view, pa, op)
                who = ("phrase", s0, op) if view[s0:op].strip() else ("prev", op)
            out.append(Candidate(ca, cb, "direct", m.span("cue"), who))
            continue
        ba = max(pa, op - 200)
        before = view[ba:op]
        mi = cues["intro"].search(before)
        if mi and before.strip():
            s0 = _sentence_start(view, pa, ba + mi.start())
            cue = mi.span("cue") if mi.group("cue") else ":"
            out.append(Candidate(ca, cb, "direct", cue, ("phrase", s0, ba + mi.start())))
            continue
        words = len(view[ca:cb].split())
        at_para_start = not before.strip() and ba == pa
        after_colon = pidx > 0 and view[paras[pidx - 1][1] - 1] == ":"
        if at_para_start and after_colon and words >= 2:  # "Гүлмира Асанова, мұғалім:" / «…»
            qa, qb, _ = paras[pidx - 1]
            s0 = _sentence_start(view, qa, qb - 1)
            out.append(Candidate(ca, cb, "direct", ":", ("phrase", s0, qb - 1)))
        elif at_para_start and words >= _MIN_WORDS_NO_CUE:
            out.append(Candidate(ca, cb, "direct", None, ("prev", op)))
        elif words >= 3 and _AFTER_CUED.search(before):
            # «…», – деді ол. «…» — the next quote goes on with the same speaker
            out.append(Candidate(ca, cb, "direct", None, ("last", op)))
    return out


# the sentence before ends with a speech cue and its speaker: "…», – деді ол. «"
_AFTER_CUED = re.compile(r"[»”\"][,.]?\s*[-–—]?\s*(?:деді|дейді|деп\s+[\w-]+)(?:\s+[\w.-]+){0,4}[.!?]\s*$")




def find_quotes(doc: Document) -> list[Quote]:
    view = doc.view.text
    all_paras = _view_paragraphs(doc)
    paras = [p for p in all_paras if p[2] not in _SKIP_ROLES]
    if not paras:
        return []
    spans: list[tuple[int, int]] = []  # disjoint, sorted: the text quotes already hold

    def taken(a: int, b: int) -> bool:
        i = bisect_left(spans, (b, -1)) - 1
        return i >= 0 and spans[i][1] > a

    def claim(cands: list[Candidate]) -> list[Candidate]:
        kept = []
        for c in cands:
            if not taken(c.start, c.end):
                insort(spans, (c.start, c.end))
                kept.append(c)
        return kept

    found = claim(_marked_quotes(doc, view, paras, None))
    resolver = SpeakerResolver(doc, quoted=list(spans), byline=[(a, b) for a, b, r in all_paras if r == "author"])
    for name in doc.meta.reported_by:
        words = name.split()
        if len(words) >= 2 and any(name.endswith(h) for h in r_org_heads()):
            resolver.note_org(0, name)
    found += claim(_dash_speech(view, paras, taken))
    found += claim(_interview_turns(view, paras, taken))
    found += claim(_colon_lines(view, paras, taken, resolver))
    found += claim(_transcript_lines(view, paras, taken, resolver))
    found += claim(_indirect_markers(view, paras, taken))
    found += claim(_dep_no_dash(view, paras, taken))
    found += claim(_reporting_clauses(view, paras, taken, resolver))
    found.sort(key=lambda c: c.start)
    for c in found:
        if c.kind == "indirect":  # "…, деп хабарлайды ҚазАқпарат тілшісі." names the source
            c.start, c.end = _cut_agency_tail(view, c.start, c.end)

    resolver.set_quoted(spans)  # people named inside any quote are not its speakers
    quotes = []
    for c in found:
        if c.end <= c.start:  # "Оның айтуынша, деп хабарлайды": the agency tail was all it held
            continue
        sp = _resolve(c, resolver, view)
        resolver.remember(c.end, sp)
        oa, ob = doc.span(c.start, c.end)
        cue = c.cue
        if isinstance(cue, tuple):  # the cue as written ('dedi' in a Latin-script article)
            ca, cb = doc.span(*cue)
            cue = " ".join(doc.text[ca:cb].split())
        quotes.append(Quote(oa, ob, doc.text[oa:ob], c.kind, cue, sp))
    return quotes


def _cut_agency_tail(view: str, a: int, b: int) -> tuple[int, int]:
    pos = view.find("деп", a, b)
    while pos >= 0:
        if is_agency_cue(view, pos):
            return _trim(view, a, pos)
        pos = view.find("деп", pos + 3, b)
    return a, b


def r_org_heads() -> list[str]:
    return [h for h in roles()["org_heads"] if len(h) > 3]


def _resolve(c: Candidate, resolver: SpeakerResolver, view: str) -> Speaker | None:
    if c.who[0] == "phrase":
        _, a, b = c.who
        a, b = _trim(view, a, b)
        return resolver.from_phrase(a, b, c.start) if a < b else None
    if c.who[0] == "asker":  # an interview question: the journalist, unnamed
        return None
    pos = c.who[1]
    if c.who[0] == "answer":  # an interview answer without a cue: who answered before, else
        name = resolver.last_speaker(pos)  # the person named nearest before (the interviewee)
        if name is None and (near := resolver.nearest_person(pos)) is not None:
            name = resolver.canonical(near)
        return Speaker(None, None, None, name) if name else None
    if c.who[0] == "last":
        last = resolver.last_speaker(pos)
        return Speaker(None, None, None, last) if last else None
    # ("prev", pos): the subject of the sentence before, else the last speaker
    s0 = max(0, pos - 300)
    prev = view[s0:pos]
    m = list(_SENT_END.finditer(prev))
    sent_a = s0 + (m[-2].end() if len(m) >= 2 else 0)
    sp = resolver.from_phrase(sent_a, pos, c.start)
    if sp is not None and sp.canonical:
        return sp
    last = resolver.last_speaker(pos)
    return Speaker(None, None, None, last) if last else None


@stage("quotes", requires=("view", "tokens", "sentences", "paragraphs"), assigns=("quotes",))
def quotes(doc: Document) -> None:
    doc.quotes = find_quotes(doc)
