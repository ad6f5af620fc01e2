"""Which entity labels a reader means by "entities", and the other views of the layer.

The NER model tags KazNERD's 25 labels, numbers and dates among them: over a store of news
"екі" (CARDINAL) and "бүгінде" (DATE) outnumber any name, so a plain "top entities" list
was mostly numbers and dates.  Lists and entity pages default to names (people,
organisations, places, events, the groups news names: the annotation spec's labels, with
FACILITY, a named place); numbers and dates are their own views.
"""
from __future__ import annotations

KINDS: dict[str, tuple[str, ...]] = {
    "named": ("PERSON", "ORGANISATION", "GPE", "LOCATION", "FACILITY", "EVENT", "NORP"),
    "numbers": ("CARDINAL", "ORDINAL", "MONEY", "PERCENTAGE", "QUANTITY"),
    "dates": ("DATE", "TIME"),
}
# "other": every label of none of the kinds above (LAW, PRODUCT, POSITION, …); "all": any
KIND_NAMES = (*KINDS, "other", "all")
DEFAULT_KIND = "named"


def kind_condition(column, kind: str | None):
    """The SQL condition on a label column for `kind` (None: the default), or None for "all"."""
    kind = kind or DEFAULT_KIND
    if kind == "all":
        return None
    if kind == "other":
        return column.not_in([label for labels in KINDS.values() for label in labels])
    try:
        return column.in_(KINDS[kind])
    except KeyError:
        from derek.store.query import QueryError

        raise QueryError(f"kind must be one of {', '.join(KIND_NAMES)}, got {kind!r}") from None


def kind_of(label: str) -> str:
    for kind, labels in KINDS.items():
        if label in labels:
            return kind
    return "other"
