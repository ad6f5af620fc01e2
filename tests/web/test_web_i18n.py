"""The words table (derek/web/i18n.json): every key in Kazakh, English and Russian, the
Kazakh and Russian in Cyrillic, and every key the page and the article view use present."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from derek.web.i18n import LANGS, strings, t, value_name

WEB = Path(__file__).resolve().parents[2] / "derek" / "web"
ROOT = WEB.parents[1]
# words that stay Latin in any language: names and technical tokens
LATIN_OK = re.compile(r"derek|API|HTML|ISO|Ctrl\+Enter|\{[a-z_]+\}|English|")
KAZAKH_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def test_every_key_has_all_three_languages():
    table = strings()
    assert len(table) > 100
    for key, entry in table.items():
        assert set(entry) == set(LANGS), key
        assert all(isinstance(v, str) and v.strip() for v in entry.values()), key
        # the same {fields} in every language
        fields = {lang: sorted(re.findall(r"\{(\w+)\}", v)) for lang, v in entry.items()}
        assert len({tuple(f) for f in fields.values()}) == 1, (key, fields)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kazakh_and_russian_are_written_in_cyrillic(lang):
    for key, entry in strings().items():
        if key.startswith("lang."):  # each language's own name, in itself
            continue
        rest = LATIN_OK.sub("", entry[lang])
        assert not re.search(r"[A-Za-z]", rest), (key, entry[lang])
    if lang == "kk":  # Kazakh, not Russian with Kazakh keys: its own letters are used throughout
        with_kazakh_letters = sum(any(ch in KAZAKH_ONLY for ch in e["kk"]) for e in strings().values())
        assert with_kazakh_letters > len(strings()) * 0.5
        assert not any(any(ch in KAZAKH_ONLY for ch in e["ru"]) for k, e in strings().items() if not k.startswith("lang."))


def test_the_page_and_the_view_use_only_keys_the_table_has():
    table = strings()
    html = (WEB / "index.html").read_text(encoding="utf-8")
    used = set(re.findall(r'data-i18n(?:-placeholder|-aria-label)?="([\w.]+)"', html))
    script = (WEB / "app.js").read_text(encoding="utf-8")
    used |= set(re.findall(r'\bt\("([\w.]+)"\s*[,)]', script))
    used |= {"error." + code for code in ("400", "401", "403", "404", "413", "422", "500", "503")}
    view = (ROOT / "derek" / "render_html.py").read_text(encoding="utf-8")
    used |= set(re.findall(r"""\bt\(["']([\w.]+)["']""", view))
    assert used and not (used - set(table)), sorted(used - set(table))
    # the page as served is Kazakh before any script runs: its words are the table's kk words
    for key in re.findall(r'data-i18n="([\w.]+)"', html):
        assert table[key]["kk"] in html, key


def test_values_fall_back_to_themselves():
    assert value_name("verdict", "inconsistent", "kk") == "дерекке сай емес"
    assert value_name("diagnosis", "a_new_diagnosis", "kk") == "a_new_diagnosis"
    assert t("search.count", "ru", n=3) == "Найдено статей: 3."
    assert t("no.such.key", "kk") == "no.such.key"
    assert t("view.claims", "de") == "Мәлімдемелер"  # an unknown language: the default, Kazakh


def test_the_json_is_what_the_server_reads():
    data = json.loads((WEB / "i18n.json").read_text(encoding="utf-8"))
    assert data["languages"] == list(LANGS) and data["strings"] == strings()
