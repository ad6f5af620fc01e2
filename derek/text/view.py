"""An analysis view of a text with an exact map back to the original characters.

Analysis happens on a normalised form (homoglyphs repaired, Latin transliterated to
Cyrillic) but every reported offset must point into the user's exact input.  A `TextView`
holds the analysis string plus, for each of its characters, the original span it came
from.  When the view is a same-length, one-to-one rewrite (the common case: Cyrillic text,
homoglyph repair) no arrays are kept and mapping is the identity.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class TextView:
    original: str
    text: str
    # per view character: first original index it came from, and one past the last one;
    # None means identity (same length, char i <-> char i)
    _starts: array | None = None
    _ends: array | None = None
    # some of the text was transliterated (Latin read as Cyrillic), not only look-alikes repaired
    transliterated: bool = False
    # values computed from `text` by more than one stage (see `derived`); not part of the view
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def identity(cls, text: str) -> "TextView":
        return cls(original=text, text=text)

    @classmethod
    def same_length(cls, original: str, text: str) -> "TextView":
        if len(original) != len(text):
            raise ValueError("same_length view needs equal lengths")
        return cls(original=original, text=text)

    @classmethod
    def from_pieces(cls, original: str, pieces: list[tuple[int, int, str]]) -> "TextView":
        """Build from (orig_start, orig_end, replacement) pieces that tile `original` in
        order.  A replacement of several characters maps each of them to the whole original
        piece; a piece may also be empty (deletion)."""
        out: list[str] = []
        starts = array("i")
        ends = array("i")
        pos = 0
        for a, b, rep in pieces:
            if a != pos:
                raise ValueError(f"pieces must tile the original: gap at {pos}..{a}")
            out.append(rep)
            starts.extend([a] * len(rep))
            ends.extend([b] * len(rep))
            pos = b
        if pos != len(original):
            raise ValueError("pieces must cover the original to its end")
        text = "".join(out)
        if len(text) == len(original) and all(b - a == len(r) for a, b, r in pieces):
            return cls(original=original, text=text)
        return cls(original=original, text=text, _starts=starts, _ends=ends)

    def derived(self, key: str, make: Callable[[str], Any]) -> Any:
        """`make(self.text)`, computed on the first call for `key` and handed back on later
        ones.  For a pure function of the view's text that several stages read (the numeral
        token list: dates and quantities both walk it): a view is never changed once built,
        so the value cannot go stale, and it goes when the view does.  The value is shared:
        `make` should return something immutable (a tuple, not a list)."""
        got = self._derived.get(key)
        if got is None:
            got = self._derived[key] = make(self.text)
        return got

    @property
    def is_identity(self) -> bool:
        return self._starts is None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering view span [start, end)."""
        if self._starts is None:
            return start, end
        n = len(self.text)
        if start >= n:
            return len(self.original), len(self.original)
        if end <= start:
            o = self._starts[start]
            return o, o
        return self._starts[start], self._ends[min(end, n) - 1]

    def original_starts(self):
        """offset_to_original(i) for every view offset i < len(text), as one sequence
        (sorted, so it can be bisected); built without a call per character."""
        if self._starts is None:
            return range(len(self.text))
        return self._starts[:len(self.text)]

    def offset_to_original(self, i: int) -> int:
        if self._starts is None:
            return i
        return len(self.original) if i >= len(self.text) else self._starts[i]
