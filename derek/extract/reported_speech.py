"""Speech without quote marks: dash speech, "Name, role:" lines, indirect markers
(сөзінше, айтуынша …), "…, деп мәлімдеді X." and reporting clauses ("X … келетінін айтты.",
"Бұл туралы X хабарлады.").  Each detector returns candidates; quotes.py decides priority."""
from __future__ import annotations

import re
from functools import lru_cache
from bisect import bisect_left, bisect_right

from derek.extract.agencies import is_agency_cue, outlet_subject
from derek.extract.names import role_of, roles, strip_case
from derek.extract.speakers import SpeakerResolver
from derek.langdata import load_toml
from derek.extract.speech_text import (_MAX_QUOTE_PARAS, Candidate, _clause_end, _cues, _sentence_start,
                                       _sentences, _trim)


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
                # (nor is a paragraph with its own cue: "– Ал мерзімі қандай? – деп сұрады журналист.")
                while k > 0 and view[paras[k - 1][0]] in "-–—" and not taken(paras[k - 1][0], paras[k - 1][1]) \
                        and view[paras[k - 1][1] - 1] != "?" and idx - k < _MAX_QUOTE_PARAS \
                        and not re.match(r"[-–—]\s*\w+\s*[-–—:]", view[paras[k - 1][0]:paras[k - 1][1]]) \
                        and not cues["dash"].search(view, paras[k - 1][0], paras[k - 1][1]):
                    k -= 1
            if k < idx:
                ca = _trim(view, paras[k][0], paras[k][1])[0]
            spk_end = _clause_end(view, m.end(), b)
            who = ("phrase", m.end(), spk_end) if view[m.end():spk_end].strip() else ("prev", ca)
            out.append(Candidate(ca, cb, "direct", m.span("cue"), who))
            break
    return out


_DASHES = "-–—"


def _interview_turns(view: str, paras, taken) -> list[Candidate]:
    """Interview turns without cues: a dash paragraph ending with "?" that a dash paragraph
    answers is the journalist's question; that answer, when no cue claimed it, is the
    interviewee's (resolved in quotes.py)."""
    out = []
    for i in range(len(paras) - 1):
        a, b, _ = paras[i]
        na, nb, _ = paras[i + 1]
        if view[a] not in _DASHES or view[na] not in _DASHES:
            continue
        qa, qb = _trim(view, a, b)
        if qb <= qa or view[qb - 1] != "?" or taken(qa, qb):
            continue
        out.append(Candidate(qa, qb, "direct", None, ("asker",)))
        aa, ab = _trim(view, na, nb)
        if ab - aa >= 10 and view[ab - 1] != "?" and not taken(aa, ab):
            out.append(Candidate(aa, ab, "direct", None, ("answer", aa)))
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


_PREFIXED = re.compile(r"([^\n:«»“”.!?]{2,60}?):[ \t]+\S")


@lru_cache(maxsize=1)
def _transcript_labels() -> dict[str, frozenset[str]]:
    data = load_toml("speech_verbs.toml")["transcript"]
    return {kind: frozenset(w.lower() for w in data[kind]) for kind in ("question", "answer")}


def _transcript_lines(view: str, paras, taken, resolver: SpeakerResolver) -> list[Candidate]:
    """Interview transcripts: "Серік Жұманғарин: Биыл арзандамайды …", "Тілші: … ?",
    "Сұрақ: …?" / "Жауап: …".  The label must name a person the article knows (or is two
    capitalised words), be a journalist's role, or a question/answer label; "Мекенжайы: …"
    and "Ескерту: …" are labels, not speakers."""
    asker = roles()["asker"]
    labels = _transcript_labels()
    out = []
    for a, b, _ in paras:
        m = _PREFIXED.match(view, a, b)
        if not m:
            continue
        la, lb = m.span(1)
        label = view[la:lb].strip()
        words = label.split()
        ca, cb = _trim(view, m.end() - 1, b)
        if cb - ca < 10 or len(words) > 4 or taken(ca, cb):
            continue
        if len(words) == 1 and (role_of(words[0]) in asker or words[0].lower() in labels["question"]):
            who = ("asker",)
        elif len(words) == 1 and words[0].lower() in labels["answer"]:
            who = ("answer", ca)
        elif resolver.person_at(la, lb) is not None or (
                len(words) in (2, 3) and all(w[:1].isupper() for w in words)):
            who = ("phrase", la, lb)
        else:
            continue
        out.append(Candidate(ca, cb, "direct", ":", who))
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


