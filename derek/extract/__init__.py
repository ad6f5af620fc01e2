"""Extractors of numbers, money, percentages, counts (stage "quantities") and dates (stage
"dates").  Both match on the analysis view (`doc.view.text`) and map spans back with
`doc.span()`.  See docs/quantities.md for the rules and their examples."""
from __future__ import annotations

from typing import Callable

from derek.doc import Document

# Paragraph roles whose numbers are page furniture, not facts of the article.
_SKIPPED_ROLES = {"dateline", "author", "photo"}


def body_filter(doc: Document) -> Callable[[int, int], bool]:
    """A test `keep(start, end)` (original offsets): False inside dateline/author/photo lines."""
    skipped = [(p.start, p.end) for p in doc.paragraphs if p.role in _SKIPPED_ROLES]

    def keep(a: int, b: int) -> bool:
        return not any(a < pe and ps < b for ps, pe in skipped)

    return keep
