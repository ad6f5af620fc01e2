"""derek's user-facing words in Kazakh (the default), English and Russian: one table,
derek/web/i18n.json, read here by the article view (derek/render_html.py) and served to
the web page, whose script (app.js) reads the same file.  To show a new label, add a key
with its three languages to the table and call `t(key, lang)`."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

LANGS = ("kk", "en", "ru")
DEFAULT_LANG = "kk"


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    data = json.loads(resources.files("derek.web").joinpath("i18n.json").read_text(encoding="utf-8"))
    return data["strings"]


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, default: str | None = None, **fields) -> str:
    """The words for `key` in `lang` (English when that language lacks them; `default`,
    else the key itself, when the table has no such key), with {fields} filled in."""
    entry = strings().get(key)
    if entry is None:
        text = default if default is not None else key
    else:
        text = entry.get(lang_or_default(lang)) or entry.get("en") or key
    return text.format(**fields) if fields else text


def value_name(kind: str, value: str | None, lang: str | None = None) -> str:
    """A value's name: `value_name("verdict", "inconsistent", "kk")` -> "дерекке сай емес";
    a value the table does not know is shown as it is."""
    if value in (None, ""):
        return ""
    return t(f"{kind}.{value}", lang, default=str(value))
