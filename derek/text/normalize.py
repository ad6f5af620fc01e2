"""The analysis view of a document: Cyrillic, homoglyphs repaired, Kazakh Latin transliterated.

* Cyrillic text: only mixed-script words change (homoglyphs.py); the view keeps the
  identity offset map.
* Latin-script documents (2018, 2021, informal): every Latin word is read in the document's
  alphabet and written in Cyrillic, except URLs, e-mails and domains ("Zakon.kz").
* Cyrillic or mixed documents: a Latin passage is transliterated only when it is Kazakh Latin
  of some length (>= 4 words, with an alphabet-specific letter, or >= 8 words); outlet names
  and citations ("Azattyq Rýhy", "The Qazaq Times") stay as written.
"""
from __future__ import annotations

import re

from derek.text.homoglyphs import repair
from derek.text.script import KAZAKH_LATIN, TRANSLIT_VARIANT, coarse, detect_script, latin_variant
from derek.text.translit import LATIN_LETTER, latin_spans, view_with_spans
from derek.text.view import TextView

_L = f"[{LATIN_LETTER}\u0300-\u036f]"
# a passage of Latin words: Latin letters with spaces, digits and punctuation between them
_RUN = re.compile(f"{_L}(?:[{LATIN_LETTER}\u0300-\u036f\\d \t.,;:!?«»\"“”()\\-–—'’%]*{_L})?")
_LAT_WORD = re.compile(f"{_L}+")
_MARKED = re.compile("[áǵńóúýÁǴŃÓÚÝäğñöüūşçÄĞÑÖÜŪŞÇİı]")


def build_view(text: str) -> tuple[TextView, str]:
    """(analysis view of `text`, detailed script label)."""
    work = repair(text)
    label = detect_script(work)
    if label in KAZAKH_LATIN:
        spans = latin_spans(work, 0, len(work), TRANSLIT_VARIANT[label])
    elif label in ("kk_cyrl", "ru_cyrl", "mixed") and _has_latin(work):
        spans = []
        for m in _RUN.finditer(work):
            run = m.group()
            words = len(_LAT_WORD.findall(run))
            if words < 4 or (words < 8 and not _MARKED.search(run)):
                continue
            variant = latin_variant(run)
            if variant in KAZAKH_LATIN:
                spans.extend(latin_spans(work, m.start(), m.end(), TRANSLIT_VARIANT[variant]))
    else:
        spans = []
    return view_with_spans(text, work, spans), label


_ANY_LATIN = re.compile(f"[{LATIN_LETTER}]")


def _has_latin(s: str) -> bool:
    return _ANY_LATIN.search(s) is not None


def document_script(label: str) -> str:
    return coarse(label)
