"""Direct speech without quote marks: dash speech ("– …, – деді X."), interview turns (a dash
question answered by a dash paragraph), "Name, role:" lines before a speech paragraph, the
same caption inside a paragraph ("… . Name, role: – speech"), and transcript lines
("Серік Жұманғарин: …", "Тілші: …?", "Сұрақ: …")."""
from __future__ import annotations

import re

from derek.extract import agencies
from derek.extract.speech.cues import cues, transcript_labels
from derek.extract.speech.names import role_of, roles
from derek.extract.speech.reported import about_subject
from derek.extract.speech.spans import (CAPTION, MAX_QUOTE_PARAS, Candidate, Context, is_caption,
                                       speaker_phrase_end, trim)
from derek.text.alphabet import UPPER_CLASS

DASHES = "-–—"
# speech opened by a dash after a sentence of narration in the same paragraph (a page whose
# paragraphs were run together): a sentence end, then a dash, then a capital (or a quote
# mark); the dash may be glued to the word ("–Біз …").  Not a copula or range dash, which
# follows a word; not a dash after an initial or a one-letter abbreviation ("ж. –").
_INNER_DASH = re.compile(rf"(?:\w\w[.!?…]+|[!?…]+)[»”\"]?[ \t]*([-–—])[ \t]*(?=[{UPPER_CLASS}«“\"])")


def dash_speech(ctx: Context) -> list[Candidate]:
    """A paragraph "…, – деді X." without quote marks; earlier paragraphs that open with a
    dash join it (the speech runs over them)."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    table = cues()
    out = []
    for idx, (a, b, _) in enumerate(paras):
        for m in table["dash"].finditer(view, a, b):
            if agencies.is_agency_cue(view, m.start("cue")) or taken(m.start(), m.start() + 1):
                continue
            ca, cb = trim(view, a, m.start() + 1)
            if view[cb - 1] == ",":
                cb -= 1
            if cb - ca < 10:
                continue
            # a multi-paragraph dash speech: earlier paragraphs that open with a dash
            k = idx
            if view[a] in DASHES:
                # (an interview question "– Заң жобасы дайын ба?" is not the answer's start)
                # (nor is a paragraph with its own cue: "– Ал мерзімі қандай? – деп сұрады журналист.")
                while k > 0 and view[paras[k - 1][0]] in DASHES and not taken(paras[k - 1][0], paras[k - 1][1]) \
                        and view[paras[k - 1][1] - 1] != "?" and idx - k < MAX_QUOTE_PARAS \
                        and not re.match(r"[-–—]\s*\w+\s*[-–—:]", view[paras[k - 1][0]:paras[k - 1][1]]) \
                        and not table["dash"].search(view, paras[k - 1][0], paras[k - 1][1]):
                    k -= 1
            else:  # the cue paragraph goes on a speech opened by a dash a paragraph or two before
                for j in range(idx - 1, max(-1, idx - 3), -1):
                    ja, jb, _ = paras[j]
                    if taken(ja, jb) or view[jb - 1] in "?:" or table["dash"].search(view, ja, jb):
                        break
                    if view[ja] in DASHES:
                        k = j
                        break
            if k < idx:
                ca = trim(view, paras[k][0], paras[k][1])[0]
            elif view[a] not in DASHES and (inner := _INNER_DASH.search(view, a, m.start())):
                ca = trim(view, inner.start(1), cb)[0]  # narration, then "… . – Speech, – деді X."
            spk_end = speaker_phrase_end(view, m.end(), b, ctx.people)
            who = ("phrase", m.end(), spk_end) if view[m.end():spk_end].strip() else ("prev", ca)
            out.append(Candidate(ca, cb, "direct", m.span("cue"), who))
            break
    return out


def interview_turns(ctx: Context) -> list[Candidate]:
    """Interview turns without cues: a dash paragraph ending with "?" that a dash paragraph
    answers is the journalist's question; that answer, when no cue claimed it, is the
    interviewee's (resolved by the resolver's "answer" rule)."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    out = []
    for i in range(len(paras) - 1):
        a, b, _ = paras[i]
        na, nb, _ = paras[i + 1]
        if view[a] not in DASHES or view[na] not in DASHES:
            continue
        qa, qb = trim(view, a, b)
        if qb <= qa or view[qb - 1] != "?" or taken(qa, qb):
            continue
        out.append(Candidate(qa, qb, "direct", None, ("asker",)))
        aa, ab = trim(view, na, nb)
        if ab - aa >= 10 and view[ab - 1] != "?" and not taken(aa, ab):
            out.append(Candidate(aa, ab, "direct", None, ("answer", aa)))
    return out


_LIST_END = re.compile(r"[:;]\s*$")


def dash_paragraphs(ctx: Context) -> list[Candidate]:
    """A paragraph that opens with a dash and carries no cue ("– Биыл … . Бұл – …") is direct
    speech: of whoever the next paragraph names ("Бұл туралы X айтты."), else of whoever
    spoke in the paragraph before (the speech goes on), else of no one named.  Not list
    items: lower-case ones, ones after a line ending in ":" or ";", ones beside short dash
    lines or dash lines ending in "," or ";"."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    out = []
    for idx, (a, b, _) in enumerate(paras):
        if view[a] not in DASHES:
            continue
        ca, cb = trim(view, a, b)
        if cb <= ca or taken(ca, cb) or len(view[ca:cb].split()) < 6 or view[a + 1:ca].strip(" \t"):
            continue  # (not '- - ТАҚЫРЫП …': one dash opens speech)
        first = view[ca:cb].split()[:2]
        if all(w.isupper() for w in first):
            continue  # a heading in capitals
        end = view[a:b].rstrip()[-1:]
        if end not in ".!…»”\"" or not view[ca].isupper() \
                or (idx > 0 and _LIST_END.search(view, paras[idx - 1][0], paras[idx - 1][1])):
            continue
        if any(0 <= k < len(paras) and view[paras[k][0]] in DASHES
               and (len(view[paras[k][0]:paras[k][1]].split()) < 6 or view[paras[k][1] - 1] in ",;:")
               for k in (idx - 1, idx + 1)):
            continue  # a run of short dash lines, or of lines ending in "," or ";", is a list
        named = about_subject(view, paras[idx + 1][0], paras[idx + 1][1]) if idx + 1 < len(paras) else None
        if named:
            who = ("phrase", named[0], named[1])
        else:
            who = ("continues", ca, paras[idx - 1][0] if idx > 0 else ca)
        out.append(Candidate(ca, cb, "direct", None, who))
    return out


_SPEAKER_LINE = re.compile(r"[^\n.!?«»“”]{3,80}:$")
_NAME_ROLE = re.compile(rf"[{UPPER_CLASS}][\w-]+\s+[{UPPER_CLASS}][\w-]+,\s")


def colon_lines(ctx: Context) -> list[Candidate]:
    """A short line "Андрей Котелкин, кәсіпорын өкілі:" introduces the next paragraph as speech."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    out = []
    for idx in range(len(paras) - 1):
        a, b, _ = paras[idx]
        if not _SPEAKER_LINE.fullmatch(view, a, b) or len(view[a:b].split()) > 10:
            continue
        # "Name Surname, role:" or a line naming a person; not "Жалақы өскен салалар:"
        if not (_NAME_ROLE.match(view, a, b) or ctx.people.person_at(a, b - 1) is not None):
            continue
        na, nb, _ = paras[idx + 1]
        ca, cb = trim(view, na, nb)
        if cb - ca < 10 or taken(ca, cb):
            continue
        out.append(Candidate(ca, cb, "direct", ":", ("phrase", a, b - 1)))
    return out




_SENTENCE_BEFORE = re.compile(r"(?:[.!?…][»”\"]?\s*|^\s*)$")


def caption_speech(ctx: Context) -> list[Candidate]:
    """"… . Василий Пальчик, шаруа қожалығының төрағасы: – Биыл …": a caption that starts a
    sentence (or the paragraph) introduces the words after its dash, up to the next caption,
    text another detector holds, or the paragraph's end.  The caption must name a person (not
    "Форум бағдарламасы, бірінші күн:" nor a list of places)."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    out = []
    for a, b, _ in paras:
        found = []
        for m in CAPTION.finditer(view, a, b):
            na, nb = m.span("name")
            if not _SENTENCE_BEFORE.search(view, max(a, na - 3), na) and na != a:
                continue
            if not is_caption(m) or ctx.people.is_place(na, nb):
                continue
            found.append((na, nb, m.end()))
        for k, (na, nb, speech) in enumerate(found):
            end = found[k + 1][0] if k + 1 < len(found) else b
            ca, cb = trim(view, speech, _free_until(taken, speech, end))
            if len(view[ca:cb].split()) < 3 or taken(ca, cb):
                continue
            out.append(Candidate(ca, cb, "direct", ":", ("phrase", na, nb)))
    return out


def _free_until(taken, a: int, b: int) -> int:
    """Where the first text another detector holds starts in view[a:b] (b if none): taken(a, x)
    only grows with x, so a bisection finds it."""
    if not taken(a, b):
        return b
    lo, hi = a, b  # taken(a, lo) is false, taken(a, hi) true
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if taken(a, mid):
            hi = mid
        else:
            lo = mid
    return lo


_PREFIXED = re.compile(r"([^\n:«»“”.!?]{2,60}?):[ \t]+\S")


def transcript_lines(ctx: Context) -> list[Candidate]:
    """Interview transcripts: "Серік Жұманғарин: Биыл арзандамайды …", "Тілші: … ?",
    "Сұрақ: …?" / "Жауап: …".  The label must name a person the article knows (or is two
    capitalised words), be a journalist's role, or a question/answer label; "Мекенжайы: …"
    and "Ескерту: …" are labels, not speakers."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    asker = roles()["asker"]
    labels = transcript_labels()
    out = []
    for a, b, _ in paras:
        m = _PREFIXED.match(view, a, b)
        if not m:
            continue
        la, lb = m.span(1)
        label = view[la:lb].strip()
        words = label.split()
        ca, cb = trim(view, m.end() - 1, b)
        if cb - ca < 10 or len(words) > 4 or taken(ca, cb):
            continue
        if len(words) == 1 and (role_of(words[0]) in asker or words[0].lower() in labels["question"]):
            who = ("asker",)
        elif len(words) == 1 and words[0].lower() in labels["answer"]:
            who = ("answer", ca)
        elif len(words) == 1 and ctx.people.is_place(la, lb):
            continue  # 'Филиппин: фабрикада өрт шықты' — a headline's place, no speaker
        elif ctx.people.person_at(la, lb) is not None or (
                len(words) in (2, 3) and all(w[:1].isupper() for w in words)):
            who = ("phrase", la, lb)
        else:
            continue
        out.append(Candidate(ca, cb, "direct", ":", who))
    return out
