"""Who a role noun or a pronoun at an attribution point refers to: a scored choice.

"– деді министр", "Оның айтуынша", "Ведомство басшысы … атап өтті": the referent is one of
the people the article has named.  Each candidate gets points for what ties it to the mention,
and the best one is taken only when it is both good enough and clearly better than the next:

    role agreement   introduced with this role ("Қаржы министрі Мәдина Әбілқасымова")    +6
                     introduced with a synonym (сарапшы ~ саясаттанушы)                   +4
                     introduced only with other roles (a министр is not the сарапшы)       -8
    speech           the speaker of the quote just before                                 +3
                     (for "ол": only when that quote is within two paragraphs)
                     spoke earlier in the article                                         +1
    new subject      named as a sentence's subject after the last quote ("ол" points at   +4
                     the person the text has just turned to; the last speaker only in a
                     sentence after the one that attributes the quote to them)
    distance         last mentioned in the same paragraph +2, the one before +1, further
                     away -0.5 a paragraph (at most -2)
    grammar          last mentioned as a subject (nominative, not "Путиннің")             +1
    alone            the only person the article names so far                             +4

A role that many people hold (тұрғын, студент, кәсіпкер: roles.toml `generic`) needs role
agreement; otherwise the speaker is left open (null) rather than guessed.  Kazakh "ол" has no
gender, so nothing but the points above separates two people.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from derek.extract.speech.names import role_of, roles
from derek.extract.speech.people import LOOKBACK, Person, PersonRegistry
from derek.extract.speech.spans import SENT_END, sentence_start

ROLE_MATCH, SYNONYM, ROLE_CONFLICT = 6.0, 4.0, -8.0
LAST_SPEAKER, SPOKE, NEW_SUBJECT = 3.0, 1.0, 4.0
SAME_PARAGRAPH, PREVIOUS_PARAGRAPH, PER_PARAGRAPH, FARTHEST = 2.0, 1.0, -0.5, -2.0
NOMINATIVE, ALONE = 1.0, 4.0
THRESHOLD, MARGIN = 3.0, 1.0


@dataclass
class Scored:
    name: str  # the canonical name the choice would give
    person: Person | None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, why: str) -> None:
        self.score += points
        self.reasons.append(f"{why} {points:+g}")


def _synonyms(role: str) -> set[str]:
    """The roles that may name the same person: roles.toml [synonyms]; a phrase ('басқарма
    басшысы', 'комитет төрағасы') also its head word's role and that role's synonyms."""
    r = roles()["synonyms"]
    out = set(r.get(role, ()))
    if " " in role:  # 'комитет төрағасы' ~ 'төраға', 'басқарма басшысы' ~ 'басшысы'
        head = role.split()[-1]
        out |= {head, role_of(head) or head} | r.get(head, set())
    out.discard(role)
    return out


class SpeakerChoice:
    """Scores the candidates for a mention at a position, given the speakers so far."""

    def __init__(self, people: PersonRegistry, hist_pos: list[int], hist_name: list[str]):
        self.people = people
        self.hist_pos, self.hist_name = hist_pos, hist_name  # shared with the resolver: grows

    def choose(self, pos: int, role: str | None = None) -> str | None:
        ranked = self.ranked(pos, role)
        if not ranked or ranked[0].score < THRESHOLD:
            return None
        if len(ranked) > 1 and ranked[0].score - ranked[1].score < MARGIN:
            return None
        return ranked[0].name

    def ranked(self, pos: int, role: str | None = None) -> list[Scored]:
        """Every candidate with its score and reasons, best first (role=None: a pronoun)."""
        people = self.people
        cands: dict[str, Scored] = {}

        def cand(person: Person | None, name: str | None = None) -> Scored:
            name = name or people.canonical(person)
            if name not in cands:
                cands[name] = Scored(name, person)
            elif cands[name].person is None:
                cands[name].person = person
            return cands[name]

        last_mention: dict[str, tuple[int, bool]] = {}  # name -> (position, nominative) of its last mention
        i = bisect_right(people.mention_starts, pos) - 1
        for k in range(i, max(-1, i - LOOKBACK), -1):
            m = people.mentions[k]
            if m.vend > pos or people.in_quote(m.vstart):
                continue
            c = cand(m.person)
            if c.name not in last_mention:
                last_mention[c.name] = (m.vstart, people.nominative_mention(m))
        r = roles()
        synonyms = _synonyms(role) if role else set()
        if role:
            for rl in (role, *synonyms):
                found = people.latest_intro(rl, pos)
                if found:
                    cand(found[1])
        h = bisect_right(self.hist_pos, pos)
        last_name = self.hist_name[h - 1] if h else None
        if last_name:
            cand(people.person_named(last_name), last_name)
        spoke = set(self.hist_name[:h])
        here = people.paragraph_of(pos)

        new_subjects: list[tuple[int, Scored]] = []
        for c in cands.values():
            p = c.person
            if role and p is not None:
                if any(people.introduced_as(p, rl, pos) for rl in (role,)):
                    c.add(ROLE_MATCH, f"introduced as {role}")
                elif any(people.introduced_as(p, rl, pos) for rl in synonyms):
                    c.add(SYNONYM, "introduced with a synonym")
                elif p.roles - r["generic"] and role not in r["generic"]:
                    c.add(ROLE_CONFLICT, f"introduced as {'/'.join(sorted(p.roles))}")
            if c.name == last_name:
                gap = here - people.paragraph_of(self.hist_pos[h - 1])
                if role or gap <= 2:
                    c.add(LAST_SPEAKER, "the speaker just before")
            elif c.name in spoke:
                c.add(SPOKE, "spoke earlier")
            seen = last_mention.get(c.name)
            if seen is not None:
                d = here - people.paragraph_of(seen[0])
                c.add(SAME_PARAGRAPH if d == 0 else PREVIOUS_PARAGRAPH if d == 1
                      else max(FARTHEST, PER_PARAGRAPH * (d - 1)), f"{d} paragraph(s) back")
                if seen[1]:
                    c.add(NOMINATIVE, "named as a subject")
                    # (for the last speaker, a sentence after the attribution: "– дейді
                    # Серікова." names her after her quote, it does not turn to her)
                    if role is None and (not h or seen[0] > self.hist_pos[h - 1]) and d <= 1 and \
                            (c.name != last_name or SENT_END.search(people.view, self.hist_pos[h - 1], seen[0])):
                        new_subjects.append((seen[0], c))
        # the text turns to the subject of the latest such sentence ("Нұрлан Бекетов
        # жеткізді. Оның айтуынша …"), not to a name listed before it; two subjects of that
        # one sentence ("X пен Y кездесті") stay tied
        if new_subjects:
            latest = max(at for at, _ in new_subjects)
            begins = sentence_start(people.view, 0, latest)
            for at, c in new_subjects:
                if at >= begins:
                    c.add(NEW_SUBJECT, "the subject after the last quote")
        if role and role in r["generic"]:  # many people hold it: only the introduced one
            for c in cands.values():
                if not any(x.startswith("introduced as " + role) or x.startswith("introduced with") for x in c.reasons):
                    c.score = float("-inf")
        if len(cands) == 1:
            next(iter(cands.values())).add(ALONE, "the only one named")
        return sorted(cands.values(), key=lambda c: c.score, reverse=True)
