"""Indirect (reported) speech: markers ("Оның айтуынша, …", "X таратқан мәліметке сенсек, …"),
"…, деп мәлімдеді X." without quote marks, and reporting clauses ("X … келетінін айтты.",
"Бұл туралы X хабарлады." for the sentences before)."""
from __future__ import annotations

import re
from bisect import bisect_right

from derek.extract import agencies
from derek.extract.speech.cues import cues
from derek.extract.speech.names import WORD, group_of, is_org_subject, is_org_word, role_is_subject, role_of, roles
from derek.extract.speech.people import PersonRegistry
from derek.extract.speech.spans import (Candidate, Context, opens_with_caption, sentence_start, sentences,
                                       speaker_phrase_end, trim)
from derek.langdata import load_toml
from derek.morph import grammar
from derek.morph.grammar import strip_case


def indirect_markers(ctx: Context) -> list[Candidate]:
    """"X-тің айтуынша, …", "X таратқан мәліметке сенсек, …", "X атап өткендей, …": the
    content runs from the marker to the end of what X is reported to say."""
    view, paras, taken = ctx.view, ctx.paras, ctx.taken
    table = cues()
    out = []
    for a, b, _ in paras:
        sents = None  # (split only when a marker is there)
        for kind in ("marker", "marker_bare", "source", "as_said"):
            for m in table[kind].finditer(view, a, b):
                if sents is None:
                    sents = sentences(view, a, b)
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
                if view[sub_a:sub_b].strip():
                    if kind == "as_said" and (not names_someone(view, sub_a, sub_b, ctx.people)
                                              or _DEP.search(view, sub_a, sub_b)):
                        # "Жоғарыда айтқандай, …": the writer's own words; "«…» деп Абай
                        # айтқандай, …": X's words were the quote before, what follows is the writer's
                        continue
                    who = ("phrase", sub_a, sub_b)
                elif kind == "marker":  # "Айтуынша, …" alone: his or her words, as "Оның айтуынша"
                    who = ("pronoun", m.start())
                else:
                    continue
                out.append(Candidate(ca, cb, "indirect", m.span("cue"), who))
    return out


_DEP = re.compile(r"(?<![\w-])деп(?![\w-])", re.I)


def names_someone(view: str, a: int, b: int, people: PersonRegistry) -> bool:
    """Does view[a:b] name a speaker: a person, a pronoun, a role, an organisation, or a
    name of capitalised words (not just a capitalised sentence opener)?"""
    if next(people.mentions_in(a, b), None) is not None:
        return True
    r = roles()
    words = WORD.findall(view, a, b)
    for i, w in enumerate(words):
        lw = w.lower()
        if lw in r["pronoun"] or role_of(w) or group_of(lw) or is_org_word(lw):
            return True
        if i > 0 and w[:1].isupper():
            return True
    return False


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
                       or table["dash"].search(view, s, e) or _reports(view, s, e)
                       or opens_with_caption(view, s, e)):
            break  # (a sentence with speech of its own: "Мамандар … ескертеді.", "Name, role: – …")
        end = e
    return end or pb


def _reports(view: str, s: int, e: int) -> bool:
    """Does the sentence view[s:e] end in a reporting verb ('… екенін айтты.')?"""
    while e > s and view[e - 1] in ".!?… »”\"":
        e -= 1
    return cues()["report_verbs"].search(view, s, e) is not None


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
            spk_end = speaker_phrase_end(view, m.end(), b, ctx.people)
            if not view[m.end():spk_end].strip():
                continue
            ca, cb = trim(view, s0, m.start())
            if cb - ca >= 10 and not taken(ca, cb):
                out.append(Candidate(ca, cb, "indirect", m.span("cue"), ("phrase", m.end(), spk_end)))
    return out


# "Бұл туралы X хабарлады": the sentences before (or the paragraph before) are X's
_INDIRECT = load_toml("speech_verbs.toml")["indirect"]
_ABOUT = re.compile(r"\s*(?:бұл|осы)\s+(?:(?:" + "|".join(_INDIRECT["topic_nouns"]) + r")\s+)?(?:"
                    + "|".join(_INDIRECT["topic_postpositions"]) + r")\s+", re.I)
# the content clause of a reporting verb ends in a participle + accusative:
# келетінін, болатынын, жасалмайтынын, тасымалданғанын, екенін, екендігін; or an abstract
# noun in the accusative (қажеттігін, маңыздылығын); not a plain noun (жағдайын)
# (participle, an optional -дық/-лық and plural, the possessive ы/і, the accusative н)
_COMPLEMENT = re.compile(r"(?:(?:" + "|".join(grammar.verb_form_endings("past_participle")) + r"|тын|тін|екен)"
                         r"(?:дығ|діг|тығ|тіг|лығ|ліг)?" + grammar.alternation("PL") + r"?(?:ы|і)н"
                         r"|(?:лығ|ліг|дығ|діг|тығ|тіг)(?:ын|ін))$", re.I)
# … of a verb of asking or instructing: a verbal noun, accusative or dative (күшейтуді, сақтауға)
_VERBAL_NOUN = re.compile(r"(?:у|ю)(?:ды|ді|ын|ін|ға|ге)$", re.I)
_MAX_CLAUSE_WORDS = 80
_TOPIC = tuple(_INDIRECT["topic_postpositions"])
_QUESTION_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(_INDIRECT["question_words"]) + r")(?![\w-])", re.I)
# a coordinated clause with its own subject: "Тұрғындар …, ал облыс әкімі … айтты."
_COORDINATION = re.compile(r"[,;]\s+(?:ал|бірақ|алайда|дегенмен|ал\s+енді)\s+", re.I)


def about_subject(view: str, a: int, b: int) -> tuple[int, int] | None:
    """The speaker phrase X of a paragraph opening "Бұл туралы X хабарлады." (X not a news
    outlet), else None."""
    about = _ABOUT.match(view, a, b)
    if not about:
        return None
    s, e = sentences(view, a, b)[0]
    while e > s and view[e - 1] in ".!?… ":
        e -= 1
    rv = cues()["report_verbs"].search(view, about.end(), e)
    if not rv or not view[about.end():rv.start()].strip() \
            or agencies.outlet_subject(view, about.end(), rv.start(), past=True) \
            or agencies.cites_source(view, about.end(), rv.start()):
        return None
    return about.end(), rv.start()


def reporting_clauses(ctx: Context) -> list[Candidate]:
    """"X … келетінін айтты.", "X … күшейтуді тапсырды.", "Бұл туралы X хабарлады."; also in
    the headline ("Министр … жететінін айтты")."""
    view, taken = ctx.view, ctx.taken
    table = cues()
    out = []
    paras = ctx.paras
    for pidx, (a, b, role) in enumerate(ctx.headlines + paras):
        pidx -= len(ctx.headlines)  # index into paras; negative for a headline
        sents = sentences(view, a, b)
        for si, (s, e) in enumerate(sents):
            body_end = e
            while body_end > s and view[body_end - 1] in ".!?… ":
                body_end -= 1
            dep = view.rfind("деп", s, body_end)  # "…, деп хабарлайды Orda.kz" is the source
            if dep >= 0 and agencies.is_agency_cue(view, dep):
                body_end = dep
                while body_end > s and view[body_end - 1] in " ,":
                    body_end -= 1
            instructs = False
            rv = table["report_verbs"].search(view, s, body_end)
            if not rv:
                rv = table["instruct_verbs"].search(view, s, body_end)
                instructs = True
                if not rv:
                    continue
            cue = rv.span("verb")
            about = _ABOUT.match(view, s)
            if about and not instructs:  # "Бұл туралы X хабарлады." reports what came before it
                if agencies.outlet_subject(view, about.end(), rv.start(), past=True) \
                        or (agencies.cites_source(view, about.end(), rv.start())
                            and next(ctx.people.mentions_in(about.end(), rv.start()), None) is None) \
                        or not view[about.end():rv.start()].strip():
                    continue  # … unless X is a news outlet, or one citing a source that is no
                    # person: then it is a source (agencies); "әкім Y-ке сілтеме жасап" is Y's
                if si > 0:
                    ca, cb = trim(view, sents[0][0], sents[si - 1][1])
                elif pidx > 0 and paras[pidx - 1][2] == "body":  # the paragraph before
                    ca, cb = trim(view, paras[pidx - 1][0], paras[pidx - 1][1])
                else:
                    continue
                if cb - ca < 10 or taken(ca, cb):
                    continue
                out.append(Candidate(ca, cb, "indirect", cue, ("phrase", about.end(), rv.start())))
                continue
            if taken(s, e):
                continue
            clause = s
            for m in _COORDINATION.finditer(view, s, rv.start()):
                clause = m.end()
            before = view[clause:rv.start()].rstrip()
            last_word = before.split()[-1] if before.split() else ""
            if last_word.lower() == "деп" and before[:-3].rstrip()[-1:] in "»”\"":
                continue  # '«…» деп айтты': a quote in quote marks, the first detector's
            if instructs:
                if not _VERBAL_NOUN.search(last_word):
                    continue
            elif not (_COMPLEMENT.search(last_word) or last_word.lower() in _TOPIC + ("деп",)):
                continue
            subj = _subject(view, clause, rv.start(), ctx.people)
            if subj is None and clause > s:  # "X … айтып, ал … жоспарланғанын жеткізді": one subject
                subj = _subject(view, s, rv.start(), ctx.people)
            if subj is None:
                continue
            sa, sb = subj
            ca, cb = trim(view, sb, rv.start())
            if cb - ca < 10 or len(view[ca:cb].split()) > _MAX_CLAUSE_WORDS:
                continue  # (a run-on 'sentence' of a whole paragraph is no reported clause)
            # "қаражаттың қайда түсетінін түсіндірді": an embedded question, not reported content
            if _QUESTION_WORD.search(view, ca, cb):
                continue
            # "сайлау туралы айтты" names a topic; a reported clause is longer
            if last_word.lower() in _TOPIC and len(view[ca:cb].split()) < 5:
                continue
            out.append(Candidate(ca, cb, "indirect", cue, ("phrase", sa, sb)))
    return out


def _qualified(word: str) -> bool:
    """Does this word carry the possessive and a case that a noun qualified by the word
    before it takes ('сайлауына' after 'Президент': to the president's election; 'одағының')?
    Not a bare possessive or a locative: 'Министр сапары барысында', 'Министр сөзінде'."""
    if not word[:1].islower():
        return False
    from derek.morph import split

    tags = set(split(word)[2])
    return "POSS3" in tags and bool(tags & {"GEN", "DAT", "ACC"})


def _subject(view: str, s: int, e: int, people: PersonRegistry) -> tuple[int, int] | None:
    """The speaker mention of a reporting sentence: the first nominative person, pronoun,
    role, group or organisation word before the content."""
    best = None
    for m in people.mentions_in(s, e):
        last = view[m.vstart:m.vend].split()[-1]
        if m.vend <= e and strip_case(last) == last:
            best = (m.vstart, m.vend)
            break
    words = list(WORD.finditer(view, s, e))
    for i, w in enumerate(words):
        wa, wb = w.span()
        if best and wa >= best[0]:
            break
        lw = w.group().lower()
        if is_org_subject(lw) and i + 1 < len(words) and role_of(words[i + 1].group()):
            continue  # 'Комитет төрағасы …': the chairman is the subject, not the committee
        if lw == "ол" or is_org_subject(lw) or lw in roles()["group"]:
            return wa, wb
        if role_is_subject(lw):
            # a role right before a name introduces it: the name is the subject
            if best and best[0] - wb <= 40:
                break
            # 'Президент сайлауына', 'Жазушылар одағының': the role qualifies the next noun
            if i + 1 < len(words) and _qualified(words[i + 1].group()):
                continue
            return wa, wb
    return best
