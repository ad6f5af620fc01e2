"""Who states a claim: the speaker of the quote it sits in, a source the sentence reports, or the author.

The claims stage does not detect speech again; it reads the quotes layer (each quote with
its speaker) and the article's cited sources (`doc.meta.reported_by`):

* a number inside a quote is the quote's speaker's; a claim with no number (a sentence)
  is the speaker's of the quote that covers most of it ("Вице-министрдің айтуынша, …",
  "«…», – деді ол": the frame words and quote marks are outside the quote);
* an indirect quote opened by a source-of-data frame before it ("Kurs.kz мәліметінше, A.
  B.", "…ақпаратынша", "…деректеріне сәйкес") speaks for the sentence it opens; the
  following sentences, which the quotes layer may join to it, are the writer's again (B is
  the journalist going on with the subject).  A person's "X-тың айтуынша, A. B." goes on
  being X's: B is still what X told;
* an indirect quote with no speaker ("Ресми ақпаратқа сүйенсек, …") or an unnamed group
  ("Сарапшылардың айтуынша", "Облыс әкімдіктерінің ақпаратынша": a plural noun) is the
  writer relaying it: "author".  A direct quote with no speaker stays open (None);
* a sentence outside every quote that ends in a reporting frame, "…, деп хабарлайды X",
  is X's when X is an organisation the article cites (a ministry, a statistics bureau,
  a police department — "X-тың баспасөз қызметі" is X), and the author's when X is a news
  outlet (the article's own source line);
* anything else is "author".
Word lists: derek/data/claim_frames.toml [speaker].
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.doc import Document, Quote, Sentence
from derek.langdata import load_toml
from derek.morph import grammar
from derek.text.homoglyphs import repair

AUTHOR = "author"


@lru_cache(maxsize=1)
def _data() -> dict:
    d = load_toml("claim_frames.toml")["speaker"]
    verbs = "|".join(re.escape(v) for v in sorted(d["report_verbs"], key=len, reverse=True))
    units = sorted((u.casefold() for u in d["press_units"]), key=len, reverse=True)
    return {
        # "…, деп хабарлайды X." at the end of a sentence: X is what follows the verb
        "frame": re.compile(rf"(?:^|[\s,–—-])(?:деп|dep)\s+(?:{verbs})\s+(?P<name>.+)$", re.IGNORECASE),
        "units": units,
        "outlet_words": tuple(w.casefold() for w in d["outlet_words"]),
        "data_cues": tuple(w.casefold() for w in d["data_cues"]),
    }


@lru_cache(maxsize=1)
def _plural_endings() -> tuple[str, ...]:
    """Plural + (3rd-person possessive) endings, longest first: "-лар", "-тері"."""
    plural = grammar.plural_endings()
    poss = grammar.possessive_endings("POSS3")
    return tuple(sorted({p + s for p in plural for s in ("",) + poss}, key=len, reverse=True))


def is_plural_noun(words: str) -> bool:
    """Is the last word of a speaker's text a plural noun ("Сарапшылардың", "әкімдіктерінің",
    "Мамандар")?  An unnamed group is no source a reader could ask."""
    parts = words.split()
    if not parts:
        return False
    last = parts[-1].casefold()
    if not any("\u0400" <= ch <= "\u04ff" for ch in last):  # no Cyrillic letter: a Latin word
        from derek.text.translit import to_cyrillic

        last = to_cyrillic(last).text.casefold()  # "mamandardyń": the case grammar reads Cyrillic
    word = grammar.strip_case(last)
    return any(word.endswith(e) and len(word) - len(e) >= 3 for e in _plural_endings())


class Speakers:
    """The speaker of each claim of one document; quotes come as a `SpanIndex`."""

    def __init__(self, doc: Document, quotes):
        self.doc = doc
        self.quotes = quotes
        self._frames: dict[tuple[int, int], str | None] = {}

    def at(self, s: Sentence | None, offset: int) -> str | None:
        """The speaker of a claim about the number (or date) at `offset` of sentence `s`."""
        q = self._quote_at(offset)
        return self._of_quote(q, s) if q is not None else self._reported(s)

    def of_sentence(self, s: Sentence) -> str | None:
        """The speaker of a claim that is the whole sentence (no number)."""
        q = self._quote_over(s)
        return self._of_quote(q, s) if q is not None else self._reported(s)

    # -- quotes ----------------------------------------------------------------------------
    def _quote_at(self, offset: int) -> Quote | None:
        for q in self.quotes.last_at_or_before(offset):
            if q.start <= offset < q.end:
                return q
        return None

    def _quote_over(self, s: Sentence) -> Quote | None:
        """The quote that covers most of the sentence's words, when it covers at least half."""
        text = self.doc.text
        a, b = s.start, s.end
        while a < b and not text[a].isalnum():
            a += 1
        while b > a and not text[b - 1].isalnum():
            b -= 1
        if b <= a:
            return None
        best, best_len = None, 0
        for q in self.quotes.last_at_or_before(b - 1):
            covered = min(b, q.end) - max(a, q.start)
            if covered > best_len:
                best, best_len = q, covered
        return best if best is not None and 2 * best_len >= b - a else None

    def _of_quote(self, q: Quote, s: Sentence | None) -> str | None:
        if s is not None and q.start < s.start and q.kind == "indirect" and self._framed_before(q):
            return self._reported(s)  # "X-тың айтуынша, A. B.": B is the writer's
        sp = q.speaker
        if sp is None:
            return AUTHOR if q.kind == "indirect" else None
        if sp.text and is_plural_noun(sp.text) and (q.kind == "indirect" or not sp.canonical):
            return AUTHOR
        return sp.canonical or sp.text

    def _framed_before(self, q: Quote) -> bool:
        """Is the indirect quote's cue a source-of-data frame ("мәліметінше", "ақпаратына
        сүйенсек") written before it, in its sentence?"""
        cue = repair((q.cue or "").strip())  # as typed; the rules read look-alikes repaired
        if not cue or not any(cue.casefold().startswith(w) for w in _data()["data_cues"]):
            return False
        text = self.doc.text
        before = text.rfind(cue, max(0, q.start - 160), q.start)
        return before >= 0 and text.find(cue, q.end, q.end + 160) < 0

    # -- "…, деп хабарлайды X" -------------------------------------------------------------
    def _reported(self, s: Sentence | None) -> str | None:
        if s is None or not self.doc.meta.reported_by:
            return AUTHOR
        key = (s.start, s.end)
        if key not in self._frames:
            self._frames[key] = self._reporting_frame(s)
        return self._frames[key] or AUTHOR

    def _reporting_frame(self, s: Sentence) -> str | None:
        tail = self.doc.text[s.start:s.end].rstrip(" .!…\n\t»”\"")
        cut = max(0, len(tail) - 240)  # the frame ends the sentence: only its last words
        m = _data()["frame"].search(tail, cut)
        if m is None:
            return None
        said = m.group("name").lstrip("«“\"' ").casefold()
        for name in self.doc.meta.reported_by:
            folded = name.casefold()
            if len(folded) < 3 or not said.startswith(folded[:max(4, len(folded) - 4)]):
                continue  # the name as cited, give or take its case ending (an initial is no name)
            if self._is_outlet(name, said):
                return AUTHOR
            return _source_name(name)
        return None

    def _is_outlet(self, name: str, said: str) -> bool:
        from derek.extract.agency_frames import is_known_outlet
        from derek.text.web import find_domain

        words = _data()["outlet_words"]
        return bool(is_known_outlet(name) or find_domain(name) or any(w in said for w in words))


def _source_name(name: str) -> str:
    """"X-тың баспасөз қызметі" → X (the organisation speaks through its press service)."""
    folded = name.casefold()
    for unit in _data()["units"]:
        if folded.endswith(" " + unit):
            owner = name[:len(name) - len(unit) - 1].strip()
            return _nominative(owner) if owner else name
    return name


LATIN_GENITIVE = ("nyń", "niń", "dyń", "diń", "tyń", "tiń", "nyñ", "nıñ", "dyñ", "dıñ", "tyñ", "tıñ")


def _nominative(owner: str) -> str:
    """The owner of a press service in the nominative; grammar.nominative reads Cyrillic, a
    Latin-script genitive ("Úkimettiń", "departamentiniń") loses its ending here."""
    nom = grammar.nominative(owner)
    if nom == owner and owner.endswith(LATIN_GENITIVE) and len(owner.split()[-1]) > 6:
        return owner[:-3]
    return nom
