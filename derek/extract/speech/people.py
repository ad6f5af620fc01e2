"""The people and organisations of one document, indexed by where they are mentioned.

Kazakh news introduces a speaker once with a role and a name ("Саясаттанушы Дамир
Белгібаев") and afterwards refers to them by the role, a pronoun or the surname.  The
`PersonRegistry` collects the people (from `doc.entities` when the NER stage ran, plus the
capitalised-name fallback of names.py), which role introduced whom, and the organisations
named, and answers position queries ("who was mentioned last before here") by a binary
search plus a bounded walk, so resolution stays linear in the article's size.  Who spoke
and what a mention refers to is decided in resolver.py.

Everything here works on the analysis view (`doc.view.text`); spans are mapped back to the
original text only when a name is sliced out, so Latin-script articles get Latin canonicals.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import lru_cache

from derek.doc import Document
from derek.extract.speech.names import (NOT_NAME, NOT_ORG_START, WORD, clean_name_span, find_person_names,
                                        inverse_map, is_common_word, role_of, roles)
from derek.morph.grammar import is_nominative, is_patronymic, nominative, strip_case
from derek.morph.stage import as_written
from derek.text.alphabet import KAZAKH_ONLY

_AFTER_CUE = re.compile(r"(?:деді|дейді|деп\s+[\w-]+(?:\s+өтті)?)(?:\s+[а-я" + KAZAKH_ONLY + r"-]+){0,3}\s*$")

# how far back a walk over mentions or organisations goes when looking for a subject
LOOKBACK = 64


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
_WORD_TOKEN = re.compile(r"[\w-]+$")


def _wordish(c: str) -> bool:
    """A character of an _ORG_TOKEN word: alphanumeric, "_" or "-" (the regex's word class)."""
    return c.isalnum() or c == "_" or c == "-"


_HEAD_MEMO: dict[str, bool] = {}  # token -> is it an organisation head (bounded, see _collect_orgs)
_QUOTED_HEAD = re.compile(r"[«“\"]([^»”\"\n]{1,60})[»”\"]\s*")
_PRESS_SERVICE = re.compile(r"\s+баспасөз\s+қызметі\w*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _head_candidates() -> re.Pattern:
    """Whole _ORG_TOKEN words that may be organisation heads: those starting, in any case,
    with a head's first letters (a superset; _collect_orgs checks each as before)."""
    _, n, prefixes = _org_heads()
    alts = "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})[\w-]*", re.IGNORECASE)


def _tokens_before(view: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The _ORG_TOKEN tokens (start, end, text) of view[:end] that _collect_orgs looks back
    over: the last five at least, read from a token boundary a little before `start` (a place
    where not both neighbouring characters are word characters), so they are the tokens a
    scan of the whole view would give."""
    for reach in (200, 1000):
        if start <= reach:
            break
        w = start - reach
        while w < start and _wordish(view[w - 1]) and _wordish(view[w]):
            w += 1
        if w < start:
            toks = [(m.start(), m.end(), m.group()) for m in _ORG_TOKEN.finditer(view, w, end)]
            if len(toks) >= 6:
                return toks
    return [(m.start(), m.end(), m.group()) for m in _ORG_TOKEN.finditer(view, 0, end)]


class PersonRegistry:
    """People, role introductions and organisations of one document."""

    def __init__(self, doc: Document, byline: list[tuple[int, int]] | None = None):
        self.doc = doc
        self.view = doc.view.text
        self.persons: dict[str, Person] = {}
        self.mentions: list[Mention] = []  # sorted by start
        self.mention_starts: list[int] = []
        self.intros: dict[str, list[tuple[int, Person]]] = {}  # role -> (view pos, person), in order
        self.first_intro: Person | None = None
        self.orgs: list[tuple[int, str]] = []  # (view pos, canonical), sorted
        self._byline = byline or []
        self._skip = sorted(self._byline)
        self._skip_starts = [a for a, _ in self._skip]
        self._para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*", self.view)]
        self._by_name: dict[str, Person] | None = None
        self._collect()

    # -- collecting ------------------------------------------------------------------------
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
            words = self.view[a:b].split()
            if len(words) == 1 and is_common_word(strip_case(words[0])) and self._by_first_name(words[0]) is None:
                continue  # a lone common word the tagger took for a name ('Жыл', 'Мысал'), not
                # the first name of someone named before ('Дәурен Әбілов … – дейді Дәурен')
            person = self._add(a, b, canon)
            self._note_intro(a, b, person, prev_end)
            prev_end = max(prev_end, b)
        self._collect_orgs()

    def _collect_orgs(self) -> None:
        """Organisation names ('Энергетика министрлігі', 'Министрлік') for later references
        such as 'Министрлік хабарлады' or '– делінген хабарламада'."""
        view = self.view
        # a head word is rare: one regex finds the tokens that may be heads, and only the few
        # tokens before each are read (the whole view's token list cost more than the rest)
        for m in _head_candidates().finditer(view):
            g = m.group()
            hit = _HEAD_MEMO.get(g)
            if hit is None:
                heads, n, prefixes = _org_heads()
                low = g.lower()
                hit = low[:n] in prefixes and low.startswith(heads)
                if len(g) <= 40:
                    if len(_HEAD_MEMO) >= 100_000:
                        _HEAD_MEMO.clear()
                    _HEAD_MEMO[g] = hit
            if not hit:
                continue
            toks = _tokens_before(view, m.start(), m.end())
            i = len(toks) - 1
            t = toks[i]
            # back to the first capitalised word of the name, at most 4 words
            k = i
            for back in range(i, max(-1, i - 5), -1):
                if not _WORD_TOKEN.match(toks[back][2]):
                    break
                if back < i and "\n" in view[toks[back][1]:toks[back + 1][0]]:
                    break
                if toks[back][2][:1].isupper():
                    k = back
            # 'Бұл туралы Энергетика министрлігі': the name starts after the stop words
            while k < i and toks[k][2].lower() in NOT_ORG_START:
                k += 1
            if k == i and not t[2][:1].isupper():
                continue
            name = self.org_name(toks[k][0], t[1])
            if name:
                self.orgs.append((toks[k][0], name))

    def _entity_people(self) -> list[tuple[int, int, str | None]]:
        out = []
        inverse = inverse_map(self.doc)
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
                if canon and not is_nominative(canon):  # a case-suffixed canonical is no name
                    canon = None
                # an outlet tagged as a person ('Azattyq Rýhy') is a source, never a speaker;
                # an abbreviation ('ҚР') is no one's name
                surface = self.doc.text[e.start:e.end].strip()
                if surface.casefold() in outlets or not any(ch.islower() for ch in surface) \
                        or strip_case(surface).lower() in NOT_NAME:
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
        if person is None and (len(words) == 2 and is_patronymic(key) or len(words) == 1):
            # 'Бақтықожа Салахатдинұлы' after 'Бақтықожа Ізмұхамбетов': first name and
            # patronymic of the person already named with that first name; 'дейді Руслан'
            # after 'Руслан Ысқақов': the first name alone of the one person who has it
            person = self._by_first_name(words[0])
            if person is not None:
                self.mentions.append(Mention(a, b, person))
                self.mention_starts.append(a)
                return person
        if person is None:
            person = self.persons[key] = Person(key, a, b, len(words), canon)
        elif len(words) > person.nwords:
            person.vstart, person.vend, person.nwords = a, b, len(words)
            person.canonical = canon or person.canonical
        self.mentions.append(Mention(a, b, person))
        self.mention_starts.append(a)
        # the name right after a cue is the speaker's own, nominative ('деді Ерболат'); a case
        # form there ('деп жүрген Ерболатта') is no subject and no canonical
        if _AFTER_CUE.search(self.view, max(0, a - 60), a) and len(words) >= person.nwords \
                and is_nominative(self.view[a:b]):
            person.subject = (a, b)
        elif person.subject and len(words) > len(self.view[person.subject[0]:person.subject[1]].split()):
            person.subject = None
        return person

    def _by_first_name(self, first: str) -> Person | None:
        """The one person named so far with this first name and a surname, else None."""
        first = strip_case(first).lower()
        found = [p for p in self.persons.values() if p.nwords >= 2
                 and strip_case(self.view[p.vstart:p.vend].split()[0]).lower() == first
                 and not is_patronymic(p.key)]
        return found[0] if len(found) == 1 else None

    def _intro(self, pos: int, role: str, person: Person) -> None:
        self.intros.setdefault(role, []).append((pos, person))
        person.roles.add(role)
        if self.first_intro is None:
            self.first_intro = person

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
        for w in WORD.findall(before)[-4:]:
            role = role_of(w)
            if role:
                self._intro(a, role, person)
        m = re.match(r",\s*([^,:\n]{2,50})[:,]", self.view[b:b + 60])  # "Андрей Котелкин, кәсіпорын өкілі:"
        if m:
            for w in WORD.findall(m.group(1)):
                role = role_of(w)
                if role:
                    self._intro(a, role, person)

    # -- names -----------------------------------------------------------------------------
    def canonical(self, person: Person) -> str:
        """The person's name as the article gives it most fully, in the nominative."""
        if person.subject is not None:
            return self._written(*self.doc.span(*person.subject))
        if person.canonical:
            return person.canonical
        return self.original_nominative(person.vstart, person.vend)

    def original_nominative(self, a: int, b: int) -> str:
        """Nominative of the view span, sliced from the ORIGINAL text (Latin stays Latin)."""
        return as_written(self.doc, a, b, nominative(self.view[a:b]))

    def _written(self, oa: int, ob: int) -> str:
        """The original text[oa:ob] (Latin stays Latin), its Cyrillic words' stray Latin
        look-alikes repaired as the view repairs them (Aсанов -> Асанов)."""
        from derek.text.homoglyphs import repaired_name

        return repaired_name(self.doc.text[oa:ob])

    def org_name(self, a: int, b: int) -> str:
        """'ауыл шаруашылығы министрлігінің баспасөз қызметі' -> 'Ауыл шаруашылығы министрлігі'."""
        m = _PRESS_SERVICE.search(self.view[a:b])
        core_end = b - (len(m.group()) if m else 0)
        q = _QUOTED_HEAD.match(self.view, a, core_end)
        if q:  # '«Атамекен» палатасының' -> 'Атамекен палатасы': the marks go, the rest declines
            oa, ob = self.doc.span(*q.span(1))
            inner, rest = self.view[q.start(1):q.end(1)], self.view[q.end():core_end]
            # the rest's nominative in the name's context ('қоры' stays 'қоры' after a name)
            nom = nominative(f"{inner} {rest}")
            nom = nom[len(inner) + 1:] if nom.startswith(inner + " ") else nominative(rest)
            if rest.strip():
                nom = as_written(self.doc, q.end(), core_end, nom)
            name = f"{self._written(oa, ob)} {nom}".strip()
        else:
            name = self.original_nominative(a, core_end)
        return name[:1].upper() + name[1:]

    def person_named(self, name: str) -> Person | None:
        """The person whose canonical name this is (speakers are remembered by name)."""
        if self._by_name is None:
            self._by_name = {self.canonical(p): p for p in self.persons.values()}
        return self._by_name.get(name)

    # -- position queries ------------------------------------------------------------------
    def paragraph_of(self, pos: int) -> int:
        """The number of the paragraph (line) holding view position pos."""
        return bisect_right(self._para_starts, pos) - 1

    def nominative_mention(self, m: Mention) -> bool:
        """Is this mention in the nominative (a subject), not 'Путиннің', 'Айдарды'?"""
        return is_nominative(self.view[m.vstart:m.vend])

    def introduced_as(self, person: Person, role: str, pos: int) -> bool:
        """Was this person introduced with this role before pos?"""
        return any(p is person and at <= pos for at, p in self.intros.get(role, ()))

    def mentions_in(self, a: int, b: int):
        """The mentions starting in [a, b), in text order."""
        for k in range(bisect_left(self.mention_starts, a), len(self.mentions)):
            m = self.mentions[k]
            if m.vstart >= b:
                break
            yield m

    def person_at(self, a: int, b: int) -> Person | None:
        """The person mentioned over view[a:b], or named by its last word."""
        i = bisect_left(self.mention_starts, b) - 1
        if i >= 0 and self.mentions[i].vend > a:
            return self.mentions[i].person
        words = self.view[a:b].split()
        if words:
            return self.persons.get(strip_case(words[-1]).lower())
        return None

    def is_place(self, a: int, b: int) -> bool:
        """Is view[a:b] a place the NER stage found (a GPE or LOCATION covering it)?"""
        oa, ob = self.doc.span(a, b)
        return any(e.start <= oa and ob <= e.end and e.label in ("GPE", "LOCATION") for e in self.doc.entities)

    def set_quoted(self, spans: list[tuple[int, int]]) -> None:
        """People named inside these spans (the quotes) are not the ones speaking."""
        self._skip = sorted(set(spans) | set(self._byline))
        self._skip_starts = [a for a, _ in self._skip]

    def in_quote(self, pos: int) -> bool:
        """Inside a quote, or in the byline: people there are not the ones speaking."""
        i = bisect_right(self._skip_starts, pos) - 1
        return i >= 0 and self._skip[i][0] <= pos < self._skip[i][1]

    def nearest_person(self, pos: int) -> Person | None:
        """The person mentioned last before pos, outside quotes; a subject (nominative
        mention) beats a genitive one ('Белгібаев … Путиннің сапарынан')."""
        i = bisect_left(self.mention_starts, pos) - 1
        fallback = None
        for k in range(i, max(-1, i - LOOKBACK), -1):
            m = self.mentions[k]
            if m.vend > pos or self.in_quote(m.vstart):
                continue
            if self.nominative_mention(m):
                return m.person
            fallback = fallback or m.person
        if fallback:
            return fallback
        for k in range(i + 1, min(len(self.mentions), i + 1 + LOOKBACK)):
            if not self.in_quote(self.mentions[k].vstart):
                return self.mentions[k].person
        return None

    def nearest_subject(self, pos: int) -> Mention | None:
        """The last nominative mention before pos, outside quotes."""
        i = bisect_left(self.mention_starts, pos) - 1
        for k in range(i, max(-1, i - LOOKBACK), -1):
            m = self.mentions[k]
            if m.vend <= pos and not self.in_quote(m.vstart) and self.nominative_mention(m):
                return m
        return None

    def latest_intro(self, role: str, pos: int) -> tuple[int, Person] | None:
        """The last person introduced with this role before pos."""
        items = self.intros.get(role)
        if not items:
            return None
        i = bisect_right(items, pos, key=lambda x: x[0])
        return items[i - 1] if i else None

    # -- organisations ---------------------------------------------------------------------
    def note_org(self, pos: int, canonical: str) -> None:
        insort(self.orgs, (pos, canonical))

    def orgs_before(self, pos: int) -> list[str]:
        """The organisations named before pos, nearest first (a bounded window)."""
        i = bisect_right(self.orgs, (pos, "\uffff"))
        return [name for _, name in reversed(self.orgs[max(0, i - LOOKBACK):i])]
