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
from dataclasses import dataclass, field
from functools import lru_cache

from derek.doc import Document, Speaker
from derek.langdata import load_toml

try:  # the morphology helper gives nominative forms of names; fall back to suffix stripping
    from derek.morph import canonical_name as _morph_canonical  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on another module being present
    _morph_canonical = None

UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER = "a-zа-яёәғқңөұүһіʼ'"
CAP_WORD = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
_CAP_RUN = re.compile(rf"{CAP_WORD}(?:[ \t]{CAP_WORD})*")
_WORD = re.compile(r"[\w-]+")

# case endings a name can carry, longest first; "ов/ев/ин" surnames take them after a т/д
_CASE_ENDINGS = sorted(
    "тың тің дың дің ның нің ға ге қа ке на не ны ні ды ді ты ті да де та те нда нде "
    "дан ден тан тен нан нен мен бен пен ымен імен".split(),
    key=len, reverse=True)
_SURNAME_END = re.compile(r"(ов|ев|ёв|ова|ева|ин|ина|ына|ұлы|ұлы|қызы|ский|цкий|ская|енко|ко|ян|швили|дзе|баев|бекова|бекұлы)$")
# capitalised words that are never (part of) a person's name
_NOT_NAME = {
    "қазақстан", "ресей", "астана", "алматы", "шымкент", "үкімет", "үкіметтің", "президент", "мемлекет",
    "сондай-ақ", "бұл", "осы", "сол", "ол", "оның", "біз", "мен", "алайда", "бірақ", "яғни", "енді",
    "қазір", "бүгін", "кеше", "биыл", "сонымен", "сондықтан", "әсіресе", "мысалы", "ал", "және",
    "ұлттық", "халықаралық", "орталық", "ауыл", "мәселен", "өйткені", "себебі", "шын", "айта",
    "қр", "ққ", "ішкі", "сыртқы", "мәдениет", "денсаулық", "білім", "ғылым", "қаржы", "еңбек",
    "федерациясы", "федерациясының", "республикасы", "республикасының", "облысы", "облысының",
    "қаласы", "қаласының", "ауданы", "жоқ", "иә", "жалпы", "негізгі", "екі", "бір", "үш",
    "осылайша", "дегенмен", "сонымен", "әйтсе", "кейін", "сосын", "ендеше", "демек", "сөйтіп",
    "шынында", "расында", "әрине", "айталық", "кезінде", "бүгінде", "қазірдің", "туралы",
}


_NOT_ORG_START = {"бұл", "осы", "сол", "туралы", "жөнінде", "ал", "және", "сондай-ақ", "алайда", "бірақ", "онда"}


@lru_cache(maxsize=1)
def roles() -> dict:
    data = load_toml("roles.toml")
    low = lambda xs: sorted({x.lower() for x in xs}, key=len, reverse=True)  # noqa: E731
    return {
        "person": low(data["person"]["words"]),
        "phrases": low(data["person"]["phrases"]),
        "main": low(data["person"]["main_speaker"]),
        "pronoun": low(data["pronoun"]["words"]),
        "org": low(data["organisation"]["words"]),
        "documents": low(data["organisation"]["documents"]),
        "org_heads": low(data["organisation"]["heads"]),
        "group": low(data["group"]["words"]),
        "synonyms": {k.lower(): {v.lower() for v in vs} for k, vs in data.get("synonyms", {}).items()},
    }


def strip_case(word: str) -> str:
    """Nominative of one name word by removing a case ending ('Белгібаевтың' -> 'Белгібаев')."""
    low = word.lower()
    for end in _CASE_ENDINGS:
        if low.endswith(end) and len(word) - len(end) >= 3:
            # a female surname's own ending is not a case ending: Ильина, Әлназарова
            if end in ("на", "не") and re.search(r"(ина|ына|іна)$", low):
                continue
            return word[: -len(end)]
    return word


def nominative(name: str) -> str:
    """Nominative form of a (multi-word) name: the last word carries the case ending."""
    name = name.strip()
    if not name:
        return name
    if _morph_canonical is not None:
        try:
            out = _morph_canonical(name)
            if out:
                return out
        except Exception:  # a helper's bug must not lose a quote
            pass
    words = name.split(" ")
    words[-1] = strip_case(words[-1])
    return " ".join(words)


def role_of(word: str) -> str | None:
    """The role lemma a word is a form of ('министрінің' -> 'министр'), else None."""
    low = word.lower()
    # 'министрлігі' is the ministry, not the minister
    if any(low.startswith(o[:-2]) for o in roles()["org"] if len(o) >= 7):
        return None
    folded = _fold(low)
    for role in roles()["person"]:
        if len(role) >= 4 and folded.startswith(_fold(role)) and _ROLE_SUFFIX.fullmatch(low[len(role):]):
            return role
        if low == role:
            return role
    return None


def _fold(word: str) -> str:
    """і and и apart: Latin-script texts ('ministr', 'mınıstr') reach the view with either."""
    return word.replace("і", "и").replace("ы", "и")


# what may follow a role word: plural, possessive, case ('министрінің', 'сарапшылар'), not 'Ғалымжан'
_ROLE_SUFFIX = re.compile(
    r"(?:лар|лер|дар|дер|тар|тер)?(?:ы|і|сы|сі|ым|ім)?"
    r"(?:н|ның|нің|дың|дің|тың|тің|на|не|ға|ге|қа|ке|а|е|ны|ні|ды|ді|ты|ті|да|де|та|те|нда|нде"
    r"|дан|ден|тан|тен|нан|нен|мен|бен|пен|ымен|імен|ның)?")


@dataclass
class Person:
    key: str  # lower-cased nominative surname: mentions with the same key are one person
    vstart: int  # the fullest mention in the view
    vend: int
    nwords: int
    canonical: str | None = None  # from an entity, when the NER stage gave one
    roles: set[str] = field(default_factory=set)


@dataclass
class Mention:
    vstart: int
    vend: int
    person: Person


class SpeakerResolver:
    def __init__(self, doc: Document, quoted: list[tuple[int, int]] | None = None,
                 byline: list[tuple[int, int]] | None = None):
        self.doc = doc
        self.view = doc.view.text
        self.persons: dict[str, Person] = {}
        self.mentions: list[Mention] = []
        self.intros: list[tuple[int, str, Person]] = []  # (view pos, role lemma, person)
        self.history: list[tuple[int, Speaker]] = []  # resolved speakers in text order
        self.orgs: list[tuple[int, str]] = []  # (view pos, canonical) of organisations named
        self.quoted = quoted or []
        self.byline = byline or []
        self._collect()

    # -- people of the document ------------------------------------------------------------
    def _collect(self) -> None:
        # people from the NER stage, plus the fallback's names it does not cover (a surname
        # alone after a cue, a name the model missed)
        spans = self._entity_people()
        for a, b in find_person_names(self.view):
            if not any(x < b and a < y for x, y, _ in spans):
                spans.append((a, b, None))
        for a, b, canon in sorted(spans):
            self._add(a, b, canon)
        for a, b, _ in spans:
            self._note_intro(a, b)
        self._collect_orgs()

    def _collect_orgs(self) -> None:
        """Organisation names ('Энергетика министрлігі', 'Министрлік') for later references
        such as 'Министрлік хабарлады' or '– делінген хабарламада'."""
        heads = [h.lower()[:-1] for h in roles()["org_heads"] if len(h) >= 6]
        toks = list(re.finditer(r"[\w-]+|[^\w\s]", self.view))
        for i, t in enumerate(toks):
            low = t.group().lower()
            if not any(low.startswith(h) for h in heads):
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
            a, b = toks[k].start(), t.end()
            if k == i and not t.group()[:1].isupper():
                continue
            sp = self.org_speaker(a, b, a, note=False)
            if sp.canonical:
                self.orgs.append((a, sp.canonical))

    def _entity_people(self) -> list[tuple[int, int, str | None]]:
        out = []
        inverse = _inverse_map(self.doc)
        for e in self.doc.entities:
            if e.label in ("PERSON", "PER"):
                a, b = inverse(e.start), inverse(e.end)
                canon = e.canonical
                # a canonical in another script than the article (Cyrillic for a Latin text)
                # would not match what the reader sees: rebuild it from the text instead
                if canon and self.doc.script != "cyrl" and canon not in self.doc.text:
                    canon = None
                if a < b:
                    out.append((a, b, canon))
        return out

    def _add(self, a: int, b: int, canon: str | None) -> Person:
        text = self.view[a:b]
        words = text.split()
        key = strip_case(words[-1]).lower()
        person = self.persons.get(key)
        if person is None:
            person = self.persons[key] = Person(key, a, b, len(words), canon)
        elif len(words) > person.nwords:
            person.vstart, person.vend, person.nwords = a, b, len(words)
            person.canonical = canon or person.canonical
        self.mentions.append(Mention(a, b, person))
        return person

    def _note_intro(self, a: int, b: int) -> None:
        """Role words right before a name ('сарапшы Айбар Олжайдан') introduce that person."""
        person = self.person_at(a, b)
        if person is None:
            return
        prev_end = max((m.vend for m in self.mentions if m.vend <= a), default=0)
        before = self.view[max(0, a - 80, prev_end):a]
        # the role must be in the same line and sentence ('… сарапшы пікірі\n\nАвтор: Темірхан Айжан')
        cut = max(before.rfind("\n"), before.rfind(". "), before.rfind(":"))
        before = before[cut + 1:]
        words = _WORD.findall(before)[-4:]
        low_before = before.lower()
        for phrase in roles()["phrases"]:
            if low_before.rstrip().endswith(phrase) or low_before.rstrip()[:-3].endswith(phrase[:-3]):
                self.intros.append((a, phrase, person))
                person.roles.add(phrase)
        for w in words:
            role = role_of(w)
            if role:
                self.intros.append((a, role, person))
                person.roles.add(role)
        after = self.view[b:b + 60]
        m = re.match(r",\s*([^,:\n]{2,50})[:,]", after)  # "Андрей Котелкин, кәсіпорын өкілі:"
        if m:
            for w in _WORD.findall(m.group(1)):
                role = role_of(w)
                if role:
                    self.intros.append((a, role, person))
                    person.roles.add(role)

    def person_at(self, a: int, b: int) -> Person | None:
        for m in self.mentions:
            if m.vstart < b and a < m.vend:
                return m.person
        words = self.view[a:b].split()
        if words:
            return self.persons.get(strip_case(words[-1]).lower())
        return None

    # -- building Speaker records ----------------------------------------------------------
    def canonical(self, person: Person) -> str:
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
        if sp is not None and sp.canonical:
            self.history.append((pos, sp))

    def last_speaker(self, pos: int) -> str | None:
        for p, sp in reversed(self.history):
            if p <= pos:
                return sp.canonical
        return None

    def main_speaker(self, pos: int) -> str | None:
        counts: dict[str, int] = {}
        for p, sp in self.history:
            if p <= pos and sp.canonical:
                counts[sp.canonical] = counts.get(sp.canonical, 0) + 1
        if counts:
            return max(counts, key=lambda k: counts[k])
        if self.intros:
            return self.canonical(self.intros[0][2])
        return None

    def _in_quote(self, pos: int) -> bool:
        """Inside a quote, or in the byline: people there are not the ones speaking."""
        return any(a <= pos < b for a, b in self.quoted) or any(a <= pos < b for a, b in self.byline)

    def nearest_person(self, pos: int) -> Person | None:
        """The person mentioned last before pos, outside quotes; a subject (nominative
        mention) beats a genitive one ('Белгібаев … Путиннің сапарынан')."""
        before = [m for m in self.mentions if m.vend <= pos and not self._in_quote(m.vstart)]
        subjects = [m for m in before if _is_nominative(self.view[m.vstart:m.vend])]
        if subjects:
            return subjects[-1].person
        if before:
            return before[-1].person
        after = [m for m in self.mentions if m.vstart >= pos and not self._in_quote(m.vstart)]
        return after[0].person if after else None

    def resolve_role(self, role: str, pos: int) -> str | None:
        if role in roles()["main"]:
            return self.main_speaker(pos)
        same = {role} | roles()["synonyms"].get(role, set())
        intro = [p for at, r, p in self.intros if r == role and at <= pos]
        intro = intro or [p for at, r, p in self.intros if r in same and at <= pos]
        if intro:
            return self.canonical(intro[-1])
        last = self.last_speaker(pos)
        if last:
            return last
        near = self.nearest_person(pos)
        if near is not None:
            return self.canonical(near)
        later = [p for at, r, p in self.intros if r == role]
        return self.canonical(later[0]) if later else None

    def resolve_pronoun(self, pos: int) -> str | None:
        last = self.last_speaker(pos)
        if last:
            return last
        near = self.nearest_person(pos)
        return self.canonical(near) if near else None

    def note_org(self, pos: int, canonical: str) -> None:
        self.orgs.append((pos, canonical))
        self.orgs.sort(key=lambda x: x[0])

    def resolve_org_word(self, word: str, pos: int) -> str | None:
        """'Министрлік' -> the last organisation named whose name ends in a form of it."""
        stem = word.lower()[:6]
        # the fullest earlier name first: 'Министрлік' refers back to 'Энергетика министрлігі'
        for words_min in (2, 1):
            for p, name in reversed(self.orgs):
                if p <= pos and len(name.split()) >= words_min and name.split()[-1].lower().startswith(stem):
                    return name
        for p, name in reversed(self.orgs):
            if p <= pos:
                return name
        return None

    def from_phrase(self, a: int, b: int, pos: int | None = None) -> Speaker | None:
        """Resolve the subject phrase view[a:b] at an attribution point."""
        pos = a if pos is None else pos
        text = self.view[a:b]
        if not text.strip():
            return None
        # a person named in the phrase
        for m in self.mentions:
            if a <= m.vstart and m.vend <= b:
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
            if lw in r["group"]:
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
        if len(words) == 1 and any(words[0][2].lower().startswith(o[:6]) for o in r["org"] if len(o) >= 6):
            return self.speaker(words[0][0], words[0][1], self.resolve_org_word(words[0][2], pos))
        if any(low.endswith(h.lower()) or f"{h.lower()} " in low for h in r["org_heads"]):
            return self.org_speaker(a, b, pos)
        for wa, wb, w in words:
            lw = w.lower()
            if any(lw.startswith(d[:5]) for d in r["documents"]):
                before = [n for p, n in self.orgs if p <= pos]
                name = before[-1] if before else None
                return self.speaker(wa, wb, name)
            if any(lw.startswith(o[:6]) for o in r["org"] if len(o) >= 6):
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


def _is_nominative(name: str) -> bool:
    last = name.split()[-1] if name.split() else name
    return strip_case(last) == last


def _segments(view: str):
    """Runs of capitalised words split at role and stop words ('Саясаттанушы Дамир
    Белгібаев Ресей Федерациясының' -> 'Дамир Белгібаев')."""
    for m in _CAP_RUN.finditer(view):
        seg: list[tuple[int, int, str]] = []
        prev_role = False
        for w in re.finditer(r"\S+", m.group()):
            word = (w.start() + m.start(), w.end() + m.start(), w.group())
            # a capitalised role word opens a name ('Қазақстан Президенті Нұрсұлтан Назарбаев');
            # right after a role it is a first name ('Экономист Ғалым Нұрланов')
            is_role = not seg and not prev_role and role_of(word[2]) is not None
            prev_role = is_role
            if is_role or strip_case(word[2]).lower() in _NOT_NAME \
                    or word[2].lower() in _NOT_NAME:
                if seg:
                    yield seg
                seg = []
            else:
                seg.append(word)
        if seg:
            yield seg


def _sentence_initial(view: str, pos: int) -> bool:
    back = view[max(0, pos - 3):pos].rstrip(" \t«\"“")
    return not back or back[-1] in ".!?\n"


def _chunks(segments):
    """Split 'Серік Жұманғарин Владимир Путиннің' after each surname-like word."""
    for seg in segments:
        cur = []
        for w in seg:
            cur.append(w)
            if len(cur) >= 2 and _SURNAME_END.search(strip_case(w[2]).lower()):
                yield cur
                cur = []
        if cur:
            yield cur


_INITIALS = re.compile(rf"(?<![\w.])(?:[{UPPER}]\.\s?){{1,2}}({CAP_WORD})")


def find_person_names(view: str) -> list[tuple[int, int]]:
    """Fallback person finder: runs of capitalised words that look like 'Name Surname',
    and initials with a surname ('А. Әлназарова')."""
    out = []
    for m in _INITIALS.finditer(view):
        out.append((m.start(1), m.end(1)))
    for words in _chunks(_segments(view)):
        if len(words) > 3:
            continue
        # 'Кездесу Ақмарал Әлназарованың …': a capitalised sentence opener is not a first name
        if len(words) == 3 and _sentence_initial(view, words[0][0]):
            words = words[1:]
        # 'Владимир Путиннің Қазақстанға': the name ends at the surname-like word
        if len(words) == 3 and not _SURNAME_END.search(strip_case(words[2][2]).lower()) \
                and _SURNAME_END.search(strip_case(words[1][2]).lower()):
            words = words[:2]
        last = strip_case(words[-1][2]).lower()
        before = view[max(0, words[0][0] - 40):words[0][0]]
        prev = _WORD.findall(before)[-2:]
        introduced = any(role_of(w) for w in prev)
        after_cue = re.search(r"(?:деді|дейді|деп\s+\w+(?:\s+\w+)?)\s*$", before) is not None
        if len(words) >= 2 and (_SURNAME_END.search(last) or introduced or after_cue):
            out.append((words[0][0], words[-1][1]))
        elif len(words) == 1 and _SURNAME_END.search(last) and len(last) >= 5:
            out.append((words[0][0], words[0][1]))
    return out


def _inverse_map(doc: Document):
    """Original offset -> view offset (identity for same-length views)."""
    view = doc.view
    if view.is_identity:
        return lambda i: i
    first: dict[int, int] = {}
    for vi in range(len(view.text)):
        first.setdefault(view._starts[vi], vi)
    n = len(view.text)

    def inv(i: int) -> int:
        for j in range(i, min(i + 8, len(doc.text) + 1)):
            if j in first:
                return first[j]
        return n
    return inv
