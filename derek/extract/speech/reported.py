"""Indirect (reported) speech: markers ("Оның айтуынша, …", "X таратқан мәліметке сенсек, …"),
"…, деп мәлімдеді X." without quote marks, and reporting clauses ("X … келетінін айтты.",
"Бұл туралы X хабарлады." for the sentences before)."""
from __future__ import annotations

import re
from bisect import bisect_right

from derek.extract import agencies
from derek.extract.speech.cues import cues
from derek.extract.speech.names import role_of, roles, strip_case
from derek.extract.speech.people import PersonRegistry
from derek.extract.speech.spans import Candidate, Context, clause_end, sentence_start, sentences, trim


def indirect_markers(ctx: Context) -> list[Candidate]:
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    table = cues()
    out = []
    for a, b, _ in paras:
        sents = sentences(view, a, b)
        for kind in ("marker", "source"):
            for m in table[kind].finditer(view, a, b):
                s0 = sentence_start(view, a, m.start())
                # the subject: the words before the marker back to a comma or the sentence start
                sub_a = max(s0, view.rfind(",", s0, m.start()) + 1)
                if kind == "source":  # "Азаматтық авиация комитеті таратқан мәліметке сенсек"
                    pm = re.search(r"\s+(?:таратқан|берген|жариялаған|келтірген|ұсынған)\s*$", view[sub_a:m.start()])
                    sub_b = sub_a + pm.start() if pm else m.start()
                else:
                    sub_b = m.start()
                ca = m.end()
                cb = _content_end(view, sents, ca, b)
                ca, cb = trim(view, ca, cb)
                if cb - ca < 5 or taken(ca, cb):
                    continue
                out.append(Candidate(ca, cb, "indirect", m.span("cue"), ("phrase", sub_a, sub_b)))
    return out


_MAX_REPORTED_SENTENCES = 8


def _content_end(view: str, sents, ca: int, pb: int) -> int:
    """Reported content runs to its sentence end and on through the paragraph while the next
    sentences carry no other speech (they go on reporting the same speaker)."""
    table = cues()
    end = ca
    first = bisect_right(sents, (ca, len(view) + 1)) - 1
    for s, e in sents[max(0, first):max(0, first) + _MAX_REPORTED_SENTENCES]:
        if e <= ca:
            continue
        if s > ca and (re.search(r"[«“\"]", view[s:e]) or table["marker"].search(view, s, e)
                       or table["dash"].search(view, s, e)):
            break
        end = e
    return end or pb


def dep_no_dash(ctx: Context) -> list[Candidate]:
    """"…, деп мәлімдеді X." without quote marks or dash: indirect, content = the clause before."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    table = cues()
    out = []
    for a, b, _ in paras:
        for m in table["dep_nodash"].finditer(view, a, b):
            if agencies.is_agency_cue(view, m.start("cue")) or taken(m.start(), m.start() + 1):
                continue
            s0 = sentence_start(view, a, m.start())
            spk_end = clause_end(view, m.end(), b)
            if not view[m.end():spk_end].strip():
                continue
            ca, cb = trim(view, s0, m.start())
            if cb - ca >= 10 and not taken(ca, cb):
                out.append(Candidate(ca, cb, "indirect", m.span("cue"), ("phrase", m.end(), spk_end)))
    return out


_ABOUT = re.compile(r"\s*(?:бұл|осы)\s+(?:туралы|жөнінде|жайлы|жайында)\s+", re.I)
# the content clause of a reporting verb ends in a participle + accusative:
# келетінін, болатынын, жасалмайтынын, тасымалданғанын, екенін (not a plain noun: жағдайын)
_COMPLEMENT = re.compile(r"(?:ған|ген|қан|кен|тын|тін|екен|атын|етін)\w{0,5}(?:ын|ін|н)$", re.I)
_QUESTION_WORD = re.compile(r"(?<![\w-])(?:қайда|қалай|неге|неліктен|қашан|қандай|қанша|кім|кімнің|не үшін)(?![\w-])",
                            re.I)


def reporting_clauses(ctx: Context) -> list[Candidate]:
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    table = cues()
    out = []
    for a, b, _ in paras:
        sents = sentences(view, a, b)
        for si, (s, e) in enumerate(sents):
            body_end = e
            while body_end > s and view[body_end - 1] in ".!?… ":
                body_end -= 1
            dep = view.rfind("деп", s, body_end)  # "…, деп хабарлайды Zakon.kz" is the source
            if dep >= 0 and agencies.is_agency_cue(view, dep):
                body_end = dep
                while body_end > s and view[body_end - 1] in " ,":
                    body_end -= 1
            rv = table["report_verbs"].search(view, s, body_end)
            if not rv:
                continue
            about = _ABOUT.match(view, s)
            if about:  # "Бұл туралы X хабарлады." reports the sentences before it
                if si == 0 or agencies.outlet_subject(view, about.end(), rv.start(), past=True):
                    continue  # … unless X is a news outlet: then it is a source (agencies)
                ca, cb = trim(view, sents[0][0], sents[si - 1][1])
                if cb - ca < 10 or taken(ca, cb):
                    continue
                out.append(Candidate(ca, cb, "indirect", rv.span(), ("phrase", about.end(), rv.start())))
                continue
            if taken(s, e):
                continue
            before = view[s:rv.start()].rstrip()
            last_word = before.split()[-1] if before.split() else ""
            if not (_COMPLEMENT.search(last_word) or last_word.lower() in ("туралы", "жайлы", "деп")):
                continue
            subj = _subject(view, s, rv.start(), ctx.people)
            if subj is None:
                continue
            sa, sb = subj
            ca, cb = trim(view, sb, rv.start())
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


def _subject(view: str, s: int, e: int, people: PersonRegistry) -> tuple[int, int] | None:
    """The speaker mention of a reporting sentence: the first nominative person, pronoun,
    role or organisation word before the content."""
    best = None
    for m in people.mentions_in(s, e):
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
