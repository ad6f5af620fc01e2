"""Web addresses: the one list of domain endings (derek/data/web.toml) and the patterns built
from it, for the tokenizer, the transliterator, the agencies finder and the NER stage.

    is_domain("Tengrinews.kz")      -> True     (the whole word is a site's name)
    find_domain("Orda.kz-ке").group() -> 'Orda.kz'
    is_domain("т.б.")               -> False
"""
from __future__ import annotations

import re
from functools import lru_cache

from derek.langdata import load_toml


@lru_cache(maxsize=1)
def tlds() -> tuple[str, ...]:
    """Top-level domains, longest first (so that an alternation tries 'news' before 'ne…')."""
    return tuple(sorted(load_toml("web.toml")["tlds"], key=len, reverse=True))


@lru_cache(maxsize=1)
def tld_pattern() -> str:
    """A regex group for any domain ending, case-insensitive: '(?i:media|asia|…|kz)'."""
    return "(?i:" + "|".join(map(re.escape, tlds())) + ")"


@lru_cache(maxsize=1)
def _whole() -> re.Pattern:
    return re.compile(rf"[\w-]+(?:\.[\w-]+)*\.{tld_pattern()}")


@lru_cache(maxsize=1)
def _inside() -> re.Pattern:
    return re.compile(rf"\w[\w-]*(?:\.[\w-]+)*\.{tld_pattern()}\b")


def is_domain(word: str) -> bool:
    """Is the whole word a web domain ('Kurs.kz', 'www.gov.kz', 'BAQ.KZ')?"""
    return "." in word and _whole().fullmatch(word) is not None


def find_domain(text: str, pos: int = 0) -> re.Match | None:
    """The first web domain in text[pos:] ('Orda.kz' in 'Orda.kz-ке', 'www.gov.kz'), or None."""
    return _inside().search(text, pos)
