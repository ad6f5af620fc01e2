"""Who is speaking: the mention at an attribution point resolved to a named speaker.

A candidate quote says where its speaker is (a subject phrase, "the sentence before", "the
last speaker", an interview's asker or answerer).  `SpeakerResolver` turns that into a
`Speaker` whose canonical name is the fullest nominative form, using the document's
`PersonRegistry` (people, role introductions, organisations) and the speakers resolved so
far: quotes are resolved in text order, because a pronoun or a role noun ("– деді ол",
"сарапшы") points at whoever spoke before it.
"""
from __future__ import annotations

import re

from bisect import bisect_right
from functools import cached_property, lru_cache

from derek.doc import Speaker
from derek.extract.speech.names import (NAME_CONNECTIVES, NOT_ORG_START, WORD, group_of, is_org_word, looks_like_name,
                                        org_abbreviation, org_head_of, role_is_plural, role_of, roles)
from derek.extract.speech.choice import SpeakerChoice
from derek.extract.speech.people import PersonRegistry
from derek.extract.speech.spans import SENT_END, Candidate, trim
from derek.morph import split
from derek.morph.grammar import is_genitive, strip_case
from derek.text.web import is_domain


@lru_cache(maxsize=1)
def _prefixes() -> dict:
    """Prefix tuples for str.startswith: documents; name heads."""
    r = roles()
    return {"documents": tuple(d[:5] for d in r["documents"]),
            "heads": frozenset(h.lower() for h in r["org_heads"])}


def _oblique(mention: str, cases=frozenset({"INS", "LOC", "DAT", "ABL", "ACC"})) -> bool:
    """Is a name's last word in the instrumental, locative, dative, ablative or accusative
    (or one of `cases`)?"""
    last = mention.split()[-1] if mention.split() else mention
    return bool(re.fullmatch(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі-]+", last)) \
        and bool(set(split(last)[2]) & set(cases))




class SpeakerResolver:
    """Resolves speaker mentions against a PersonRegistry and the speakers so far."""

    def __init__(self, people: PersonRegistry):
        self.people = people
        self.doc = people.doc
        self.view = people.view
        self._hist_pos: list[int] = []  # resolved speakers in text order
        self._hist_name: list[str] = []
        self._counts: dict[str, int] = {}
        self.choice = SpeakerChoice(people, self._hist_pos, self._hist_name)

    def _as_written(self, name: str) -> str:
        """A name from derek's own tables (Cyrillic) in the article's script: a Latin article's
        speakers are Latin like the rest of its canonical names."""
        if self.doc.script != "latn":
            return name
        from derek.text.translit import to_latin

        return to_latin(name, self._latin_variant)

    @cached_property
    def _latin_variant(self) -> str:
        """The article's Latin alphabet (read once: the text layer keeps only 'latn')."""
        from derek.text.script import latin_reading, written_latin

        return written_latin(latin_reading(self.doc.view))

    # -- the speakers so far ---------------------------------------------------------------
    def remember(self, pos: int, sp: Speaker | None) -> None:
        """Record a resolved speaker; quotes are resolved in text order."""
        if sp is not None and sp.canonical:
            self._hist_pos.append(pos)
            self._hist_name.append(sp.canonical)
            self._counts[sp.canonical] = self._counts.get(sp.canonical, 0) + 1

    def last_speaker(self, pos: int) -> str | None:
        i = bisect_right(self._hist_pos, pos)
        return self._hist_name[i - 1] if i else None

    def main_speaker(self, pos: int) -> str | None:
        if self._counts:
            return max(self._counts, key=lambda k: self._counts[k])
        first = self.people.first_intro
        return self.people.canonical(first) if first else None

    # -- one candidate ---------------------------------------------------------------------
    def resolve(self, c: Candidate) -> Speaker | None:
        """The speaker of a detector's candidate, from where the candidate says it is."""
        view = self.view
        if c.who[0] == "phrase":
            _, a, b = c.who
            a, b = trim(view, a, b)
            return self.from_phrase(a, b, c.start) if a < b else None
        if c.who[0] == "asker":  # an interview question: the journalist, unnamed
            return None
        pos = c.who[1]
        if c.who[0] == "answer":  # an interview answer without a cue: who answered before, else
            name = self.last_speaker(pos)  # the person named nearest before (the interviewee)
            if name is None and (near := self.people.nearest_person(pos)) is not None:
                name = self.people.canonical(near)
            return Speaker(None, None, None, name) if name else None
        if c.who[0] == "pronoun":  # "Айтуынша, …": as "Оның айтуынша"
            name = self.resolve_pronoun(pos)
            return Speaker(None, None, None, name) if name else None
        if c.who[0] == "continues":  # speech going on from the paragraph before: its speaker
            since = c.who[2]
            i = bisect_right(self._hist_pos, pos)
            if i and self._hist_pos[i - 1] >= since:
                return Speaker(None, None, None, self._hist_name[i - 1])
            return None
        if c.who[0] == "last":
            last = self.last_speaker(pos)
            return Speaker(None, None, None, last) if last else None
        # ("prev", pos): the subject of the sentence before, else the last speaker
        s0 = max(0, pos - 300)
        prev = view[s0:pos]
        m = list(SENT_END.finditer(prev))
        sent_a = s0 + (m[-2].end() if len(m) >= 2 else 0)
        sp = self.from_phrase(sent_a, pos, c.start)
        if sp is not None and sp.canonical:
            return sp
        last = self.last_speaker(pos)
        return Speaker(None, None, None, last) if last else None

    # -- mentions --------------------------------------------------------------------------
    def resolve_role(self, role: str, pos: int) -> str | None:
        """A role noun ('министр', 'ведомство басшысы') -> the person it refers to, by the
        scored choice of choice.py; the main speaker for 'спикер'; null when unsure."""
        if role in roles()["main"]:
            return self.main_speaker(pos)
        name = self.choice.choose(pos, role)
        if name is None and self.people.paragraph_of(pos) <= 2:
            # a headline or a lead names the role before the person: 'Министр … айтты' /
            # 'Денсаулық сақтау министрі Алексей Цой …' (the first introduction after it)
            later = [(at, p) for at, p in self.people.intros.get(role, ()) if at > pos]
            if later and self.people.paragraph_of(later[0][0]) <= self.people.paragraph_of(pos) + 2:
                name = self.people.canonical(later[0][1])
        return name

    def resolve_pronoun(self, pos: int) -> str | None:
        """'ол' / 'оның': the scored choice among the people named so far (choice.py)."""
        return self.choice.choose(pos)

    def resolve_org_word(self, a: int, b: int, pos: int, any_org: bool = True) -> str | None:
        """'Министрлік' (view[a:b]) -> the last organisation named whose name ends in a form
        of it (else, with `any_org`, the last organisation named).  Compared as written: the
        names are the article's own words, Latin in a Latin article ('Mınıstrlik' refers back
        to 'Energetıka mınıstrligi')."""
        from derek.text.homoglyphs import repaired_name

        oa, ob = self.doc.span(a, b)
        # six letters tell "министрлік" from "министр"; a shorter head noun is its own stem
        # ("газет" of 'Газеттің', which a name's 'газеті' starts with)
        head = org_head_of(self.view[a:b])
        stem = repaired_name(self.doc.text[oa:ob]).lower()[:min(6, len(head)) if head else 6]
        before = self.people.orgs_before(pos)
        # the fullest earlier name first: 'Министрлік' refers back to 'Энергетика министрлігі'
        for words_min in (2, 1):
            for name in before:
                if len(name.split()) >= words_min and name.split()[-1].lower().startswith(stem):
                    return name
        return before[0] if before and any_org else None

    def speaker(self, a: int, b: int, canonical: str | None) -> Speaker:
        oa, ob = self.doc.span(a, b)
        return Speaker(oa, ob, self.doc.text[oa:ob], canonical)

    def from_phrase(self, a: int, b: int, pos: int | None = None) -> Speaker | None:
        """Resolve the subject phrase view[a:b] at an attribution point."""
        pos = a if pos is None else pos
        people = self.people
        text = self.view[a:b]
        if not text.strip():
            return None
        # a person named in the phrase, as its subject or possessor ('Түймебаевпен кездесуде',
        # 'Давоста': with, at or in someone is not who speaks)
        possessed = None
        for m in people.mentions_in(a, b):
            if m.vend <= b and not _oblique(self.view[m.vstart:m.vend]):
                end = self._possessed_noun(m.vstart, m.vend, b)
                if end is not None:  # 'Маминнің көмекшісі': someone of his speaks
                    possessed = possessed or (m.vstart, end)
                    continue
                return self.speaker(m.vstart, m.vend, people.canonical(m.person))
        if possessed:  # and is not named: the speaker stays open
            return self.speaker(*possessed, None)
        words = [(w.start() + a, w.end() + a, w.group()) for w in WORD.finditer(text)]
        if not words:
            return None
        low = text.lower()
        r = roles()
        # a surname alone ("– деді Сәденов") that matches a known person
        for wa, wb, w in words:
            # (not 'Сейітовпен кездесуде': with him; other case-like endings end surnames too, 'Қарын')
            if w[:1].isupper() and strip_case(w).lower() in people.persons and not _oblique(w, {"INS"}):
                return self.speaker(wa, wb, people.canonical(people.persons[strip_case(w).lower()]))
        if org_head_of(words[-1][2]) and len(words) >= 2:  # '«Атамекен» кәсіпкерлер палатасы'
            return self.org_speaker(a, words[-1][1], pos)
        body = org_abbreviation(text)
        if body:  # '… деп хабарлады АШМ': the body the abbreviation stands for
            body = self._as_written(body)
            self.people.note_org(pos, body)
            return self.speaker(words[0][0], words[-1][1], body)
        for wa, wb, w in words:
            lw = w.lower()
            if lw in r["pronoun"]:
                end = self._possessed_noun(wa, wb, b)
                if end is not None:  # 'Оның тақтасына … деп жазыпты': his thing, not him
                    return self.speaker(wa, end, None)
                return self.speaker(wa, wb, self.resolve_pronoun(pos))
            if lw in r["group"] or group_of(lw):  # "Журналистердің «…?» деген сұрағына"
                return self.speaker(wa, wb, None)
        for phrase in r["phrases"]:
            i = low.find(phrase[:-3])
            if i >= 0:
                end = a + i + len(phrase) - 3
                while end < b and self.view[end].isalpha():
                    end += 1
                return self.speaker(a + i, end, self.resolve_role(phrase, pos))
        for wa, wb, w in words:
            role = role_of(w)
            if role:  # ('мамандарының', 'өкілдері': several, no one in particular)
                return self.speaker(wa, wb, None if role_is_plural(w) else self.resolve_role(role, pos))
        pre = _prefixes()
        for k, (wa, wb, w) in enumerate(words):  # 'Ұлттық банк': a name with an organisation noun
            if k and is_org_word(w) and words[k - 1][2][:1].isupper():
                first = k - 1
                while first > 0 and words[first - 1][2][:1].isupper():
                    first -= 1
                return self.org_speaker(words[first][0], wb, pos)
        if len(words) == 1 and is_org_word(words[0][2]):
            return self.speaker(words[0][0], words[0][1], self.resolve_org_word(words[0][0], words[0][1], pos))
        heads = [k for k, (_, _, w) in enumerate(words) if org_head_of(w)]
        if heads == [0]:  # a head noun alone names no one ('Газеттің хабарлауынша'): one named before, or none
            wa, wb, _ = words[0]
            return self.speaker(wa, wb, self.resolve_org_word(wa, wb, pos, any_org=False))
        if heads:  # the name ends at its last head ('… министрлігінің былтырғы мәліметі')
            return self.org_speaker(a, words[heads[-1]][1], pos)
        for k, (wa, wb, w) in enumerate(words):
            lw = w.lower()
            if lw.startswith(pre["documents"]) and not (k + 1 < len(words) and words[k + 1][2].lower()
                                                         .startswith("құрал")):  # (ақпарат құралдары: the media)
                before = people.orgs_before(pos)
                return self.speaker(wa, wb, before[0] if before else None)
            if is_org_word(lw):
                return self.speaker(wa, wb, self.resolve_org_word(wa, wb, pos))
        caps = [k for k, (_, _, w) in enumerate(words) if w[:1].isupper()]
        if caps and len(words) <= 4 and looks_like_name(self.view, words[caps[0]][0], words[-1][1]):
            # an unknown name: keep it as said
            sa, sb = words[caps[0]][0], words[-1][1]
            return self.speaker(sa, sb, people.original_nominative(sa, sb))
        return None

    def _possessed_noun(self, a: int, b: int, end: int) -> int | None:
        """Where the noun possessed by the genitive name view[a:b] ends ('Асқар Маминнің
        кеңесшісі', 'Ахметовтің анасының'): within two lower-case words up to `end`, one with
        a third-person possessive.  None when the name is no genitive, nothing of the sort
        follows, or the noun is the possessor's own voice (roles.toml voices: 'парақшасы',
        'баспасөз қызметі', 'өзі'): then the possessor speaks."""
        if not is_genitive(self.view[a:b]):
            return None
        words = [w for _, w in zip(range(2), WORD.finditer(self.view, b, end))]
        for k, w in enumerate(words):
            if not w.group()[:1].islower() or (k == 0 and self.view[b:w.start()].strip()):
                return None
            stem, _, tags = split(w.group().lower())
            if "POSS3" in tags:
                said = " ".join([x.group().lower() for x in words[:k]] + [stem])
                return None if said in roles()["voices"] or stem in roles()["voices"] else w.end()
        return None

    def _org_start(self, a: int, b: int) -> int:
        """Where an organisation's name starts in the phrase view[a:b] that ends with it: after
        a comma or a label's colon ('Фото: …'), a photo credit's site before a capitalised name
        ('Сурет: Zakon.kz Ведомствоның'; not 'Goal.com басылымының'), an earlier organisation in a case other than the genitive ('… агенттігіне
        облыстық полиция департаментінің'), a word in the locative, dative or ablative
        ('Дүйсенбіде'), stop words ('Сондай-ақ'), and lower-case words before capitalised
        ones ('біздегі Денсаулық сақтау министрлігінің')."""
        words = [m for m in re.finditer(r"[^\s,]+", self.view[a:b])]
        start = 0
        for k, m in enumerate(words[:-1]):
            w = m.group().strip("«»“”\"")
            if w.lower() in NAME_CONNECTIVES:
                continue
            named = w[:1].isupper() and not org_head_of(w)
            tags = set() if not w or named else set(split(w)[2])
            if self.view[a + m.end():a + m.end() + 1] == "," or w.endswith(":") or w.lower() in NOT_ORG_START \
                    or (is_domain(w) and words[k + 1].group()[:1].isupper()) \
                    or (org_head_of(w) and tags & {"DAT", "ABL", "LOC", "ACC", "INS"}) \
                    or (not org_head_of(w) and tags & {"LOC", "DAT", "ABL"}):
                start = k + 1
        rest = words[start:]
        caps = [k for k, m in enumerate(rest) if m.group()[:1].isupper() or m.group()[:1] in "«“\""]
        if caps and caps[0] > 0 and all(not m.group()[:1].isupper() and not org_head_of(m.group())
                                        for m in rest[:caps[0]]):
            start += caps[0]
        return a + words[start].start() if start < len(words) else a

    def org_speaker(self, a: int, b: int, pos: int) -> Speaker:
        """An organisation (or its press service) speaking: the organisation's name, noted
        for later references ('Министрлік', 'делінген хабарламада')."""
        a = self._org_start(a, b)
        if len(self.view[a:b].split()) == 1 and org_head_of(self.view[a:b]):
            # a head noun alone once a photo credit's source is cut off ('Сурет: Zakon.kz
            # Ведомствоның'): the organisation named before, or no one
            # (the organisations named before the head itself, which the registry holds too)
            return self.speaker(a, b, self.resolve_org_word(a, b, a - 1, any_org=is_org_word(self.view[a:b])))
        name = self.people.org_name(a, b)
        self.people.note_org(pos, name)
        return self.speaker(a, b, name)
