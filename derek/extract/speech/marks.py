"""Detector 1, quote marks: «…» “…” „…“ "…" with a cue after, an intro before, or standing
as a whole paragraph.  Names in quotes («…форумына»), titles and scare quotes have none of
these and are not quotes."""
from __future__ import annotations

import re

from derek.extract import agencies
from derek.extract.speech.cues import cues
from derek.extract.speech.names import is_org_subject, org_head_of
from derek.extract.speech.reported import names_someone as _names_someone
from derek.extract.speech.spans import (MAX_QUOTE_PARAS, MIN_WORDS_NO_CUE, OPEN, Candidate, Context, Paragraph,
                                        para_index, sentence_start, speaker_phrase_end, trim)
from derek.morph import split


def quote_pairs(view: str, paras: list[Paragraph]) -> list[tuple[int, int, bool]]:
    """Top-level quoted spans (open, close, closed?) in one linear pass.  Nested «…» and “…”
    belong to the outer quote.  A quote left open at the end of its paragraph runs on into
    the next ones when the next paragraph reopens it (the typographic convention for
    multi-paragraph quotes) or contains its closing mark, at most MAX_QUOTE_PARAS
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
                if ch in OPEN and _is_opener(view, at, a):
                    start, op, cl, depth, paras_open = at, ch, OPEN[ch], 0, 0
            elif op == '"':  # one mark opens and closes: its neighbours tell which it is
                if ch != '"':
                    continue
                if _opens_inner(view, at):
                    depth += 1  # "Біз "Жасыл жол" партиясы …": a name quoted inside the speech
                elif depth:
                    depth -= 1
                else:
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
            goes_on = nxt is not None and paras_open < MAX_QUOTE_PARAS and (
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


def _opens_inner(view: str, pos: int) -> bool:
    """Is the straight mark at pos, inside a straight-quoted span, an inner quote's opening:
    a blank or a bracket before it and a letter or digit after ('… ("Мереке күндері") …')?  A
    closing mark follows a word; one with blanks on both sides or a comma after closes too."""
    return pos + 1 < len(view) and view[pos + 1].isalnum() and (view[pos - 1].isspace() or view[pos - 1] == "(")


# a verb before the colon introduces speech ('… қарап отырып: «', '– десек: «'); a label is a
# noun phrase ('Өтетін орны: «', 'Мысалы: «')
_VERB_BEFORE_COLON = re.compile(r"(?:ып|іп|[аеыіу]п|сақ|сек|са|се|ды|ді|ты|ті|ған|ген|қан|кен)[ \t]*$")
_TITLE_END = re.compile(r"(?:туралы|жөнінде|жайында)\W*$")

# another quoted name follows in a list: «Сарыарқа», «Арыстан» базарлары
_LISTED = re.compile(r"[ \t]*(?:,|және|мен|пен|бен)[ \t]*[«“„\"]")
# a form of "де-" (say) right after a closing mark: "«…» деп маған әмір берді", "«…» деген сөз",
# "«…» деуі"
_SAYING = re.compile(r"[ \t]*де(?:п|ген\w*|се\w*|й\w*|ді\w*|у\w*)?(?![\w-])")
# the lower-case word right after a closing mark (typed glued to it too: '«…»әдісін')
_NEXT_WORD = re.compile(r"[ \t]*([a-zа-яәғқңөұүһі][\w-]*)")
_NEXT_ANY_WORD = re.compile(r"[ \t]*(\w[\w-]*)")


def _names_head(view: str, pos: int, limit: int) -> bool:
    """Does the noun the quoted words name follow right after pos: a lower-case noun with a
    possessive ending ('«Мектеп» баспасы', '«Жасыл ел» жобасы', '«…» төсбелгісі') or an
    organisation's head or legal form ('«Дала баспасы» ЖШС')?"""
    m = _NEXT_ANY_WORD.match(view, pos, limit)
    if not m or cues()["after"].match(view, pos, limit) or _SAYING.match(view, pos, limit):
        return False
    word = m.group(1)
    return org_head_of(word) is not None or word[0].islower() and "POSS3" in split(word)[2]


MAX_NAME_WORDS = 4  # a name in quote marks the sentence goes on around ("Бипэк Авто — Азия Авто")


def _capitalised_in_sentence(view: str, ca: int, cb: int, pos: int, limit: int) -> bool:
    """Are the quoted words a name the sentence goes on around ('Өтетін орны: «Көктөбе» тау
    кешені', 'Сарапшы: «Барысты» ешкім тоқтата алмайды')?  Every word capitalised, and a
    lower-case word follows the closing mark (a speech cue there was tested before)."""
    words = [w for w in view[ca:cb].split() if any(ch.isalnum() for ch in w)]  # not a dash between names
    return 0 < len(words) <= MAX_NAME_WORDS and all(w[0].isupper() or w[0].isdigit() for w in words) \
        and bool(_NEXT_WORD.match(view, pos, limit))


_NO_CLAUSE = re.compile(r"[.!?,;:]|\s[-–—]\s")


def _names_a_body(view: str, ca: int, cb: int) -> bool:
    """Are the quoted words a body's full name ('Аккредиттеу: «Сапа мен сараптаманың
    тәуелсіз агенттігі»'): a capitalised phrase of 2 to 8 words, no clause in it, ending in
    an organisation noun in the nominative — speech would end in a verb or a predicate."""
    words = view[ca:cb].split()
    return 2 <= len(words) <= 8 and words[0][:1].isupper() and not _NO_CLAUSE.search(view, ca, cb) \
        and is_org_subject(words[-1])


# the sentence before ends with a speech cue and its speaker: "…», – деді ол. «"
_AFTER_CUED = re.compile(r"[»”\"][,.]?\s*[-–—]?\s*(?:деді|дейді|деп\s+[\w-]+)(?:\s+[\w.-]+){0,4}[.!?]\s*$")


def marked_quotes(ctx: Context) -> list[Candidate]:
    view, paras = ctx.view, ctx.paras
    table = cues()
    out = []
    for op, cl, closed in quote_pairs(view, paras):
        ca, cb = trim(view, op + 1, cl)
        if ca >= cb:
            continue
        pidx = para_index(paras, op)
        pa, pb, _ = paras[pidx]
        after_para = para_index(paras, cl)
        limit = paras[after_para][1]
        if closed and table["naming"].match(view, cl + 1, limit):
            continue  # «Ұлттану» атты еңбегінде: a title
        q = table["question"].match(view, cl + 1, limit) if closed else None
        if q:  # "Журналистердің «…?» деген сұрағына": the asker stands before the quote
            s0 = sentence_start(view, pa, op)
            who = ("phrase", s0, op) if view[s0:op].strip() else ("asker",)
            out.append(Candidate(ca, cb, "direct", q.span("cue"), who))
            continue
        m = table["after"].match(view, cl + 1, limit) if closed else None
        if m and not agencies.is_agency_cue(view, m.start("cue")):
            spk_end = speaker_phrase_end(view, m.end(), limit, ctx.people)
            if view[m.end():spk_end].strip():
                who = ("phrase", m.end(), spk_end)
            else:  # "Журналистер «…» деп сұрады." — the subject stands before the quote
                s0 = sentence_start(view, pa, op)
                who = ("phrase", s0, op) if view[s0:op].strip() else ("prev", op)
            out.append(Candidate(ca, cb, "direct", m.span("cue"), who))
            continue
        ba = max(pa, op - 200)
        before = view[ba:op]
        mi = table["intro"].search(before)
        if mi and before.strip():
            s0 = sentence_start(view, pa, ba + mi.start())
            short = closed and cb - ca < 40 and len(view[ca:cb].split()) <= 3
            if closed and _TITLE_END.search(view, ca, cb):
                continue  # 'ЖОБА: «… енгізу туралы» Заңы': a document's title
            if short and _LISTED.match(view, cl + 1, limit) or closed and _names_head(view, cl + 1, limit) \
                    or closed and cb - ca < 40 and _capitalised_in_sentence(view, ca, cb, cl + 1, limit) \
                    or closed and _names_a_body(view, ca, cb):
                # 'жақын орналасқан: «Сарыарқа», «Арыстан» …', 'Алматы: «Мектеп» баспасы, 2007':
                # names listed, a name before the noun it names, or a name the sentence goes
                # on around, after a colon; or a body's full name
                continue
            if mi.group("cue") or _names_someone(view, s0, ba + mi.start(), ctx.people) \
                    or _VERB_BEFORE_COLON.search(view, s0, ba + mi.start()):
                # (the cue's span in the view: the match ran over the slice before the quote)
                cue = (ba + mi.start("cue"), ba + mi.end("cue")) if mi.group("cue") else ":"
                out.append(Candidate(ca, cb, "direct", cue, ("phrase", s0, ba + mi.start())))
            continue  # ('Өтетін орны: «Шымбұлақ»': a label, not a speaker)
        words = len(view[ca:cb].split())
        at_para_start = not before.strip() and ba == pa
        after_colon = pidx > 0 and view[paras[pidx - 1][1] - 1] == ":"
        if at_para_start and after_colon and words >= 2:  # "Гүлмира Асанова, мұғалім:" / «…»
            qa, qb, _ = paras[pidx - 1]
            s0 = sentence_start(view, qa, qb - 1)
            out.append(Candidate(ca, cb, "direct", ":", ("phrase", s0, qb - 1)))
        elif at_para_start and words >= MIN_WORDS_NO_CUE and not _TITLE_END.search(view, ca, cb) \
                and not (closed and _NEXT_WORD.match(view, cl + 1, limit) and not _SAYING.match(view, cl + 1, limit)):
            # (a paragraph of its own in quote marks; not a law's or a decree's title, '«… туралы»',
            # nor a long name the sentence goes on from: '«… бөлімі» мемлекеттік мекемесі …')
            out.append(Candidate(ca, cb, "direct", None, ("prev", op)))
        elif words >= 3 and _AFTER_CUED.search(before):
            # «…», – деді ол. «…» — the next quote goes on with the same speaker
            out.append(Candidate(ca, cb, "direct", None, ("last", op)))
    return out
