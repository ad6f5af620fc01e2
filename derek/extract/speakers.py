"""Who is speaking: person names, role nouns and pronouns resolved to the named speaker.

Kazakh news introduces a speaker once with a role and a name ("Саясаттанушы Дамир
Белгібаев") and afterwards refers to them by the role ("– деді сарапшы"), by a pronoun
("Оның айтуынша") or by the surname ("– деді Сәденов").  `SpeakerResolver` keeps the
people of a document (from `doc.entities` when the NER stage ran, else from a capitalised-name
fallback), which role introduced whom, and who spoke last, and turns a mention at an
attribution point into a `Speaker` whose canonical name is the fullest nominative form.

Everything here works on the analysis view (`doc.view.text`); spans are mapped back to the
original text only when a `Speaker` is built, so Latin-script articles get Latin canonicals.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import lru_cache

from derek.doc import Document, Speaker
from derek.extract.names import (_NOT_NAME, _NOT_ORG_START, _WORD, _inverse_map, _is_nominative, clean_name_span,
                                 find_person_names, group_of, nominative, role_of, roles, strip_case)

@lru_cache(maxsize=1)
def _prefixes() -> dict:
    """Prefix tuples for str.startswith: organisation words, documents, name heads."""
    r = roles()
    return {"org": tuple(o[:6] for o in r["org"] if len(o) >= 6),
            "documents": tuple(d[:5] for d in r["documents"]),
            "heads": frozenset(h.lower() for h in r["org_heads"])}


_AFTER_CUE = re.compile(r"(?:деді|дейді|деп\s+[\w-]+(?:\s+өтті)?)(?:\s+[а-яәғқңөұүһі-]+){0,3}\s*$")


# how far back the resolver walks when looking for a subject mention or an organisation
_LOOKBACK = 64


@dataclass
class Person:
    key: str  # lower-cased nominative surname: mentions with the same key are one person
    vstart: int  # the fullest mention in the view
    vend: int
    nwords: int
    canonical: str | None = None  # from an entity, when the NER stage gave one
    roles: set[str] = field(default_factory=set)
    # the fullest mention standing right after a speech cue: grammar makes it nominative
    # ('– деді Ерлан Қарын' is 'Қарын', not an accusative of 'Қары')
    subject: tuple[int, int] | None = None


@dataclass
class Mention:
    vstart: int
    vend: int
    person: Person


@lru_cache(maxsize=1)
def _org_heads() -> tuple[tuple[str, ...], int, frozenset[str]]:
    """Words that end an organisation name, the length n of the shortest, and their n-letter
    prefixes (roles.toml does not change while running)."""
    heads = tuple(h.lower()[:-1] for h in roles()["org_heads"] if len(h) >= 6) \
        + tuple(o for o in roles()["org"] if " " not in o)
    n = min(map(len, heads), default=0)
    return heads, n, frozenset(h[:n] for h in heads)


_ORG_TOKEN = re.compile(r"[\w-]+|[^\w\s]")
_HEAD_MEMO: dict[str, bool] = {}  # token -> is it an organisation head (bounded, see _collect_orgs)


class SpeakerResolver:
    """People, roles and organisations of one document, indexed so that each lookup costs
    a binary search plus a bounded walk: resolution stays linear in the article's size."""

    def __init__(self, doc: Document, quoted: list[tuple[int, int]] | None = None,
                 byline: list[tuple[int, int]] | None = None):
        self.doc = doc
        self.view = doc.view.text
        self.persons: dict[str, Person] = {}
        self.mentions: list[Mention] = []  # sorted by start
        self._mstarts: list[int] = []
        self.intros: dict[str, list[tuple[int, Person]]] = {}  # role -> (view pos, person), in order
        self._first_intro: Person | None = None
        self._hist_pos: list[int] = []  # resolved speakers in text order
        self._hist_name: list[str] = []
        self._counts: dict[str, int] = {}
        self.orgs: list[tuple[int, str]] = []  # (view pos, canonical), sorted
        self._byline = byline or []
        self._skip = sorted((quoted or []) + self._byline)
        self._skip_starts = [a for a, _ in self._skip]
        self._collect()

    # -- people of the document ------------------------------------------------------------
    def _collect(self) -> None:
        # people from the NER stage, plus the fallback's names it does not cover (a surname
        # alone after a cue, a name the model missed)
        spans = sorted(self._entity_people())
        starts = [a for a, _, _ in spans]
        for a, b in find_person_names(self.view):
            i = bisect_left(starts, b)
            if i and spans[i - 1][1] > a:
                continue  # overlaps an entity
            spans.insert(i, (a, b, None))
            starts.insert(i, a)
        prev_end = 0
        for a, b, canon in spans:
            person = self._add(a, b, canon)
            self._note_intro(a, b, person, prev_end)
            prev_end = max(prev_end, b)
        self._collect_orgs()

    def _collect_orgs(self) -> None:
        """Organisation names ('Энергетика министрлігі', 'Министрлік') for later references
        such as 'Министрлік хабарлады' or '– делінген хабарламада'."""
        heads, n, prefixes = _org_heads()
        toks = list(_ORG_TOKEN.finditer(self.view))
        memo = _HEAD_MEMO
        for i, t in enumerate(toks):
            g = t.group()
            hit = memo.get(g)
            if hit is None:
                low = g.lower()
                # the n-letter prefix set is a cheap necessary condition for startswith(heads)
                hit = low[:n] in prefixes and low.startswith(heads)
                if len(g) <= 40:
                    if len(memo) >= 100_000:
                        memo.clear()
                    memo[g] = hit
            if not hit:
                continue
            # back to the first capitalised word of the name, at most 4 words
            k = i
            for back in range(i, max(-1, i - 5), -1):
                if not re.match(r"[\w-]+$", toks[back].group()):
                    break
                if back < i and "\n" in self.view[toks[back].end():toks[back + 1].start()]:
                    break
                if toks[back].group()[:1].isupper():
                    k = back
            # 'Бұл туралы Энергетика министрлігі': the name starts after the stop words
            while k < i and toks[k].group().lower() in _NOT_ORG_START:
                k += 1
            if k == i and not t.group()[:1].isupper():
                continue
            sp = self.org_speaker(toks[k].start(), t.end(), toks[k].start(), note=False)
            if sp.canonical:
                self.orgs.append((toks[k].start(), sp.canonical))

    def _entity_people(self) -> list[tuple[int, int, str | None]]:
        out = []
        inverse = _inverse_map(self.doc)
        outlets = {r.casefold() for r in self.doc.meta.reported_by}
        for e in self.doc.entities:
            if e.label in ("PERSON", "PER"):
                a, b = inverse(e.start), inverse(e.end)
                canon = e.canonical
                # a canonical in another script than the article (Cyrillic for a Latin text)
                # would not match what the reader sees: rebuild it from the text instead
                if canon and self.doc.script != "cyrl" and not re.search(
                        rf"(?<!\w){re.escape(canon)}(?!\w)", self.doc.text):
                    canon = None
                if canon and not _is_nominative(canon):  # a case-suffixed canonical is no name
                    canon = None
                # an outlet tagged as a person ('Azattyq Rýhy') is a source, never a speaker;
                # an abbreviation ('ҚР') is no one's name
                surface = self.doc.text[e.start:e.end].strip()
                if surface.casefold() in outlets or not any(ch.islower() for ch in surface) \
                        or strip_case(surface).lower() in _NOT_NAME:
                    continue
                n_before = len(self.view[a:b].split())
                a, b = clean_name_span(self.view, a, b)
                n_after = len(self.view[a:b].split())
                if canon and n_after < n_before and len(canon.split()) > n_after:
                    canon = " ".join(canon.split()[-n_after:])  # 'Брифингке Айбек Серғалиев'
                if a < b:
                    out.append((a, b, canon))
        return out

    def _add(self, a: int, b: int, canon: str | None) -> Person:
        # initials ('А. Әлназарова') do not make a name fuller
        words = [w for w in self.view[a:b].split() if not (len(w) <= 2 and w.endswith("."))] \
            or self.view[a:b].split()
        key = strip_case(words[-1]).lower()
        person = self.persons.get(key)
        if person is None:
            person = self.persons[key] = Person(key, a, b, len(words), canon)
        elif len(words) > person.nwords:
            person.vstart, person.vend, person.nwords = a, b, len(words)
            person.canonical = canon or person.canonical
        self.mentions.append(Mention(a, b, person))
        self._mstarts.append(a)
        if _AFTER_CUE.search(self.view, max(0, a - 60), a) and len(words) >= person.nwords:
            person.subject = (a, b)
        elif person.subject and len(words) > len(self.view[person.subject[0]:person.subject[1]].split()):
            person.subject = None
        return person

    def _intro(self, pos: int, role: str, person: Person) -> None:
        self.intros.setdefault(role, []).append((pos, person))
        person.roles.add(role)
        if self._first_intro is None:
            self._first_intro = person

    def _note_intro(self, a: int, b: int, person: Person, prev_end: int) -> None:
        """Role words right before a name ('сарапшы Айбар Олжайдан') introduce that person."""
        before = self.view[max(0, a - 80, prev_end):a]
        # the role must be in the same line and sentence ('… сарапшы пікірі\n\nАвтор: Темірхан Айжан')
        cut = max(before.rfind("\n"), before.rfind(". "), before.rfind(":"))
        before = before[cut + 1:]
        low_before = before.lower().rstrip()
        for phrase in roles()["phrases"]:
            if low_before.endswith(phrase) or low_before[:-3].endswith(phrase[:-3]):
                self._intro(a, phrase, person)
        for w in _WORD.findall(before)[-4:]:
            role = role_of(w)
            if role:
                self._intro(a, role, person)
        m = re.match(r",\s*([^,:\n]{2,50})[:,]", self.view[b:b + 60])  # "Андрей Котелкин, кәсіпорын өкілі:"
        if m:
            for w in _WORD.findall(m.group(1)):
                role = role_of(w)
                if role:
                    self._intro(a, role, person)

    def person_at(self, a: int, b: int) -> Person | None:
        i = bisect_left(self._mstarts, b) - 1
        if i >= 0 and self.mentions[i].vend > a:
            return self.mentions[i].person
        words = self.view[a:b].split()
        if words:
            return self.persons.get(strip_case(words[-1]).lower())
        return None

    # -- building Speaker records ----------------------------------------------------------
    def canonical(self, person: Person) -> str:
        if person.subject is not None:
            oa, ob = self.doc.span(*person.subject)
            return self.doc.text[oa:ob]
        if person.canonical:
            return person.canonical
        return self.original_nominative(person.vstart, person.vend)

    def original_nominative(self, a: int, b: int) -> str:
        """Nominative of the view span, sliced from the ORIGINAL text (Latin stays Latin)."""
        surface = self.view[a:b]
        nom = nominative(surface)
        if surface.startswith(nom):
            oa, ob = self.doc.span(a, a + len(nom))
            return self.doc.text[oa:ob]
        return nom

    def speaker(self, a: int, b: int, canonical: str | None) -> Speaker:
        oa, ob = self.doc.span(a, b)
        return Speaker(oa, ob, self.doc.text[oa:ob], canonical)

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
        return self.canonical(self._first_intro) if self._first_intro else None

    def _in_quote(self, pos: int) -> bool:
        """Inside a quote, or in the byline: people there are not the ones speaking."""
        i = bisect_right(self._skip_starts, pos) - 1
        return i >= 0 and self._skip[i][0] <= pos < self._skip[i][1]

    def nearest_person(self, pos: int) -> Person | None:
        """The person mentioned last before pos, outside quotes; a subject (nominative
        mention) beats a genitive one ('Белгібаев … Путиннің сапарынан')."""
        i = bisect_left(self._mstarts, pos) - 1
        fallback = None
        for k in range(i, max(-1, i - _LOOKBACK), -1):
            m = self.mentions[k]
            if m.vend > pos or self._in_quote(m.vstart):
                continue
            if _is_nominative(self.view[m.vstart:m.vend]):
                return m.person
            fallback = fallback or m.person
        if fallback:
            return fallback
        for k in range(i + 1, min(len(self.mentions), i + 1 + _LOOKBACK)):
            if not self._in_quote(self.mentions[k].vstart):
                return self.mentions[k].person
        return None

    def _latest_intro(self, role: str, pos: int) -> tuple[int, Person] | None:
        items = self.intros.get(role)
        if not items:
            return None
        i = bisect_right(items, pos, key=lambda x: x[0])
        return items[i - 1] if i else None

    def resolve_role(self, role: str, pos: int) -> str | None:
        if role in roles()["main"]:
            return self.main_speaker(pos)
        found = self._latest_intro(role, pos)
        if found is None:  # a synonym's introduction: сарапшы ~ саясаттанушы
            cands = [x for r in roles()["synonyms"].get(role, ()) if (x := self._latest_intro(r, pos))]
            found = max(cands, key=lambda x: x[0]) if cands else None
        if found:
            return self.canonical(found[1])
        if role in roles()["asker"]:  # a journalist asking: not whoever answers
            return None
        last = self.last_speaker(pos)
        if last:
            return last
        near = self.nearest_person(pos)
        if near is not None:
            return self.canonical(near)
        later = self.intros.get(role)
        return self.canonical(later[0][1]) if later else None

    def resolve_pronoun(self, pos: int) -> str | None:
        """'ол' / 'оның': the last speaker, unless a person was named as a subject after that
        speaker's quote ('Директор Айдар Қасымов … айтып берді. – …, – дейді ол.')."""
        i = bisect_right(self._hist_pos, pos)
        mention = self._nearest_subject(pos)
        if mention is not None and (not i or mention.vstart > self._hist_pos[i - 1]):
            return self.canonical(mention.person)
        if i:
            return self._hist_name[i - 1]
        near = self.nearest_person(pos)
        return self.canonical(near) if near else None

    def _nearest_subject(self, pos: int) -> Mention | None:
        i = bisect_left(self._mstarts, pos) - 1
        for k in range(i, max(-1, i - _LOOKBACK), -1):
            m = self.mentions[k]
            if m.vend <= pos and not self._in_quote(m.vstart) and _is_nominative(self.view[m.vstart:m.vend]):
                return m
        return None

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        self._skip = sorted(set(spans) | set(self._byline))
        self._skip_starts = [a for a, _ in self._skip]

    def note_org(self, pos: int, canonical: str) -> None:
        insort(self.orgs, (pos, canonical))

    def _orgs_before(self, pos: int) -> list[str]:
        """The organisations named before pos, nearest first (a bounded window)."""
        i = bisect_right(self.orgs, (pos, "\uffff"))
        return [name for _, name in reversed(self.orgs[max(0, i - _LOOKBACK):i])]

    def resolve_org_word(self, word: str, pos: int) -> str | None:
        """'Министрлік' -> the last organisation named whose name ends in a form of it."""
        stem = word.lower()[:6]
        before = self._orgs_before(pos)
        # the fullest earlier name first: 'Министрлік' refers back to 'Энергетика министрлігі'
        for words_min in (2, 1):
            for name in before:
                if len(name.split()) >= words_min and name.split()[-1].lower().startswith(stem):
                    return name
        return before[0] if before else None

    def from_phrase(self, a: int, b: int, pos: int | None = None) -> Speaker | None:
        """Resolve the subject phrase view[a:b] at an attribution point."""
        pos = a if pos is None else pos
        text = self.view[a:b]
        if not text.strip():
            return None
        # a person named in the phrase
        for k in range(bisect_left(self._mstarts, a), len(self.mentions)):
            m = self.mentions[k]
            if m.vstart >= b:
                break
            if m.vend <= b:
                return self.speaker(m.vstart, m.vend, self.canonical(m.person))
        words = [(w.start() + a, w.end() + a, w.group()) for w in _WORD.finditer(text)]
        if not words:
            return None
        low = text.lower()
        r = roles()
        # a surname alone ("– деді Сәденов") that matches a known person
        for wa, wb, w in words:
            if w[:1].isupper() and strip_case(w).lower() in self.persons:
                return self.speaker(wa, wb, self.canonical(self.persons[strip_case(w).lower()]))
        for wa, wb, w in words:
            lw = w.lower()
            if lw in r["pronoun"]:
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
            if role:
                return self.speaker(wa, wb, self.resolve_role(role, pos))
        pre = _prefixes()
        if len(words) == 1 and words[0][2].lower().startswith(pre["org"]):
            return self.speaker(words[0][0], words[0][1], self.resolve_org_word(words[0][2], pos))
        if any(w.lower() in pre["heads"] for _, _, w in words):
            return self.org_speaker(a, b, pos)
        for wa, wb, w in words:
            lw = w.lower()
            if lw.startswith(pre["documents"]):
                before = self._orgs_before(pos)
                return self.speaker(wa, wb, before[0] if before else None)
            if lw.startswith(pre["org"]):
                return self.speaker(wa, wb, self.resolve_org_word(w, pos))
        caps = [(wa, wb) for wa, wb, w in words if w[:1].isupper()]
        if caps and len(words) <= 4:  # an unknown name: keep it as said
            sa, sb = caps[0][0], words[-1][1]
            return self.speaker(sa, sb, self.original_nominative(sa, sb))
        return None

    def org_speaker(self, a: int, b: int, pos: int, note: bool = True) -> Speaker:
        """'ауыл шаруашылығы министрлігінің баспасөз қызметі' -> 'Ауыл шаруашылығы министрлігі'."""
        text = self.view[a:b]
        m = re.search(r"\s+баспасөз\s+қызметі\w*$", text, re.IGNORECASE)
        core_end = b - (len(m.group()) if m else 0)
        name = self.original_nominative(a, core_end)
        name = name[:1].upper() + name[1:]
        if note:
            self.note_org(pos, name)
        return self.speaker(a, b, name)


