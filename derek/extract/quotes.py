"""Quotes and who said them: direct («…», dash speech) and indirect (сөзінше, айтуынша, … айтты).

Detectors run on the analysis view in priority order; a later detector never claims text an
earlier one took.  Each candidate carries where its speaker phrase is; speakers are resolved
afterwards in text order, because a pronoun or a role noun ("– деді ол", "сарапшы") points
at whoever spoke before it.

1. quote marks  «…» “…” "…" (nested quotes belong to the outer one; a quote may run over
   several paragraphs) with a cue after (", – деді X", "деп атап өтті X"), an intro before
   ("X: «…»", "X былай деді: «…»") or, for a paragraph-long quote, the speaker of the sentence
   before.  Names in quotes («…форумына») have no cue and are not quotes.
2. dash speech  a paragraph "…, – деді X." without quote marks.
3. indirect markers  "Оның айтуынша, …", "Спикердің сөзінше, …", "X таратқан мәліметке сенсек, …".
4. "…, деп мәлімдеді X." without quote marks (indirect).
5. reporting clauses  "X … келетінін айтты.", "Бұл туралы X хабарлады." (the sentences before).
Agency sentences ("деп хабарлайды Zakon.kz") are sources, not speech: see agencies.py.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from functools import lru_cache

from derek.doc import Document, Quote, Speaker
from derek.extract.agencies import is_agency_cue, outlet_subject
from derek.extract.names import role_of, roles, strip_case
from derek.extract.speakers import SpeakerResolver
from derek.langdata import load_toml
from derek.pipeline import stage

_OPEN = {"«": "»", "“": "”", "„": "“", '"': '"'}
_SKIP_ROLES = {"headline", "author", "photo", "dateline"}
_SENT_END = re.compile(r"[.!?…]+(?=[\s»”\"]|$)")
_MIN_WORDS_NO_CUE = 6  # a paragraph-long quote without a cue needs this many words
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
    view = doc.view.text
    out = []
    pos = 0
    roles_ = [p.role for p in doc.paragraphs]
    for raw in view.splitlines(keepends=True):
        a, b = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        while a < b and view[a].isspace():
            a += 1
        while b > a and view[b - 1].isspace():
            b -= 1
        if a < b:
            role = roles_[len(out)] if len(out) < len(roles_) else "body"
            out.append((a, b, role))
    return out


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


# -- 1. quote marks ---------------------------------------------------------------------------
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
_MAX_QUOTE_PARAS = 6


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
    return out


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


# -- 2.-5. speech without quote marks -----------------------------------------------------------
def _dash_speech(view: str, paras, taken) -> list[Candidate]:
    cues = _cues()
    out = []
    for idx, (a, b, _) in enumerate(paras):
        for m in cues["dash"].finditer(view, a, b):
            if is_agency_cue(view, m.start("cue")) or taken(m.start(), m.start() + 1):
                continue
            ca, cb = _trim(view, a, m.start() + 1)
            if view[cb - 1] == ",":
                cb -= 1
            if cb - ca < 10:
                continue
            # a multi-paragraph dash speech: earlier paragraphs that open with a dash
            k = idx
            if view[a] in "-–—":
                # (an interview question "– Заң жобасы дайын ба?" is not the answer's start)
                while k > 0 and view[paras[k - 1][0]] in "-–—" and not taken(paras[k - 1][0], paras[k - 1][1]) \
                        and view[paras[k - 1][1] - 1] != "?" and idx - k < _MAX_QUOTE_PARAS \
                        and not re.match(r"[-–—]\s*\w+\s*[-–—:]", view[paras[k - 1][0]:paras[k - 1][1]]):
                    k -= 1
            if k < idx:
                ca = _trim(view, paras[k][0], paras[k][1])[0]
            spk_end = _clause_end(view, m.end(), b)
            who = ("phrase", m.end(), spk_end) if view[m.end():spk_end].strip() else ("prev", ca)
            out.append(Candidate(ca, cb, "direct", m.span("cue"), who))
            break
    return out


_SPEAKER_LINE = re.compile(r"[^\n.!?«»“”]{3,80}:$")


_NAME_ROLE = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w-]+\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w-]+,\s")


def _colon_lines(view: str, paras, taken, resolver: SpeakerResolver) -> list[Candidate]:
    """A short line "Андрей Котелкин, кәсіпорын өкілі:" introduces the next paragraph as speech."""
    out = []
    for idx in range(len(paras) - 1):
        a, b, _ = paras[idx]
        if not _SPEAKER_LINE.fullmatch(view, a, b) or len(view[a:b].split()) > 10:
            continue
        # "Name Surname, role:" or a line naming a person; not "Жалақы өскен салалар:"
        if not (_NAME_ROLE.match(view, a, b) or resolver.person_at(a, b - 1) is not None):
            continue
        na, nb, _ = paras[idx + 1]
        ca, cb = _trim(view, na, nb)
        if cb - ca < 10 or taken(ca, cb):
            continue
        out.append(Candidate(ca, cb, "direct", ":", ("phrase", a, b - 1)))
    return out


def _indirect_markers(view: str, paras, taken) -> list[Candidate]:
    cues = _cues()
    out = []
    for a, b, _ in paras:
        sents = _sentences(view, a, b)
        for kind in ("marker", "source"):
            for m in cues[kind].finditer(view, a, b):
                s0 = _sentence_start(view, a, m.start())
                # the subject: the words before the marker back to a comma or the sentence start
                sub_a = max(s0, view.rfind(",", s0, m.start()) + 1)
                if kind == "source":  # "Азаматтық авиация комитеті таратқан мәліметке сенсек"
                    pm = re.search(r"\s+(?:таратқан|берген|жариялаған|келтірген|ұсынған)\s*$", view[sub_a:m.start()])
                    sub_b = sub_a + pm.start() if pm else m.start()
                else:
                    sub_b = m.start()
                ca = m.end()
                cb = _content_end(view, sents, ca, b)
                ca, cb = _trim(view, ca, cb)
                if cb - ca < 5 or taken(ca, cb):
                    continue
                out.append(Candidate(ca, cb, "indirect", m.span("cue"), ("phrase", sub_a, sub_b)))
    return out


_MAX_REPORTED_SENTENCES = 8


def _content_end(view: str, sents, ca: int, pb: int) -> int:
    """Reported content runs to its sentence end and on through the paragraph while the next
    sentences carry no other speech (they go on reporting the same speaker)."""
    cues = _cues()
    end = ca
    first = bisect_right(sents, (ca, len(view) + 1)) - 1
    for s, e in sents[max(0, first):max(0, first) + _MAX_REPORTED_SENTENCES]:
        if e <= ca:
            continue
        if s > ca and (re.search(r"[«“\"]", view[s:e]) or cues["marker"].search(view, s, e)
                       or cues["dash"].search(view, s, e)):
            break
        end = e
    return end or pb


def _dep_no_dash(view: str, paras, taken) -> list[Candidate]:
    """"…, деп мәлімдеді X." without quote marks or dash: indirect, content = the clause before."""
    cues = _cues()
    out = []
    for a, b, _ in paras:
        for m in cues["dep_nodash"].finditer(view, a, b):
            if is_agency_cue(view, m.start("cue")) or taken(m.start(), m.start() + 1):
                continue
            s0 = _sentence_start(view, a, m.start())
            spk_end = _clause_end(view, m.end(), b)
            if not view[m.end():spk_end].strip():
                continue
            ca, cb = _trim(view, s0, m.start())
            if cb - ca >= 10 and not taken(ca, cb):
                out.append(Candidate(ca, cb, "indirect", m.span("cue"), ("phrase", m.end(), spk_end)))
    return out


_ABOUT = re.compile(r"\s*(?:бұл|осы)\s+(?:туралы|жөнінде|жайлы|жайында)\s+", re.I)
# the content clause of a reporting verb ends in a participle + accusative:
# келетінін, болатынын, жасалмайтынын, тасымалданғанын, екенін (not a plain noun: жағдайын)
_COMPLEMENT = re.compile(r"(?:ған|ген|қан|кен|тын|тін|екен|атын|етін)\w{0,5}(?:ын|ін|н)$", re.I)
_QUESTION_WORD = re.compile(r"(?<![\w-])(?:қайда|қалай|неге|неліктен|қашан|қандай|қанша|кім|кімнің|не үшін)(?![\w-])",
                            re.I)


def _reporting_clauses(view: str, paras, taken, resolver: SpeakerResolver) -> list[Candidate]:
    cues = _cues()
    out = []
    for pidx, (a, b, _) in enumerate(paras):
        sents = _sentences(view, a, b)
        for si, (s, e) in enumerate(sents):
            body_end = e
            while body_end > s and view[body_end - 1] in ".!?… ":
                body_end -= 1
            dep = view.rfind("деп", s, body_end)  # "…, деп хабарлайды Zakon.kz" is the source
            if dep >= 0 and is_agency_cue(view, dep):
                body_end = dep
                while body_end > s and view[body_end - 1] in " ,":
                    body_end -= 1
            rv = cues["report_verbs"].search(view, s, body_end)
            if not rv:
                continue
            about = _ABOUT.match(view, s)
            if about:  # "Бұл туралы X хабарлады." reports the sentences before it
                if si == 0 or outlet_subject(view, about.end(), rv.start(), past=True):
                    continue  # … unless X is a news outlet: then it is a source (agencies)
                ca, cb = _trim(view, sents[0][0], sents[si - 1][1])
                if cb - ca < 10 or taken(ca, cb):
                    continue
                out.append(Candidate(ca, cb, "indirect", rv.span(),
                                     ("phrase", about.end() + s - s if False else about.end(), rv.start())))
                continue
            if taken(s, e):
                continue
            before = view[s:rv.start()].rstrip()
            last_word = before.split()[-1] if before.split() else ""
            if not (_COMPLEMENT.search(last_word) or last_word.lower() in ("туралы", "жайлы", "деп")):
                continue
            subj = _subject(view, s, rv.start(), resolver)
            if subj is None:
                continue
            sa, sb = subj
            ca, cb = _trim(view, sb, rv.start())
            if cb - ca < 10:
                continue
            # "қаражаттың қайда түсетінін түсіндірді": an embedded question, not reported content
            if _QUESTION_WORD.search(view, ca, cb):
                continue
            # "сайлау туралы айтты" names a topic; a reported clause is longer
            if last_word.lower() in ("туралы", "жайлы") and len(view[ca:cb].split()) < 5:
                continue
            out.append(Candidate(ca, cb, "indirect", rv.span(), ("phrase", sa, sb)))
    return out


def _subject(view: str, s: int, e: int, resolver: SpeakerResolver) -> tuple[int, int] | None:
    """The speaker mention of a reporting sentence: the first nominative person, pronoun,
    role or organisation word before the content."""
    best = None
    for k in range(bisect_left(resolver._mstarts, s), len(resolver.mentions)):
        m = resolver.mentions[k]
        if m.vstart >= e:
            break
        last = view[m.vstart:m.vend].split()[-1]
        if m.vend <= e and strip_case(last) == last:
            best = (m.vstart, m.vend)
            break
    r = roles()
    for w in re.finditer(r"[\w-]+", view[s:e]):
        wa, wb = w.start() + s, w.end() + s
        if best and wa >= best[0]:
            break
        lw = w.group().lower()
        if lw == "ол" or lw in r["org"]:
            return wa, wb
        if role_of(lw) and not re.search(r"(ның|нің|дың|дің|тың|тің)$", lw):
            # a role right before a name introduces it: the name is the subject
            if best and best[0] - wb <= 40:
                break
            return wa, wb
    return best


# -- the stage ----------------------------------------------------------------------------------
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
    found += claim(_colon_lines(view, paras, taken, resolver))
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
    # ("prev", pos): the subject of the sentence before, else the last speaker
    pos = c.who[1]
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
