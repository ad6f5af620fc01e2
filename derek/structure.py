"""Article structure: paragraphs with roles, headline, author, photo credit, dateline.

Kazakh news pages pasted as text keep a recognisable frame: the headline on the first line,
then labelled lines ("Автор: …", "Фото: …") and a dateline ("7 Қараша 2023, 13:12") before
the body.  Matching runs on the analysis view (Cyrillic), so Latin-script articles ("Avtor:",
"Foto:") are handled by the same rules; values are sliced from the original text.
"""
from __future__ import annotations

import re

from derek.doc import Document, Paragraph
from derek.langdata import month_numbers
from derek.pipeline import stage

_LABEL = re.compile(r"^\s*(автор|авторы|фото|фотосурет|сурет|photo|author)\s*[:：]\s*(?P<value>.+?)\s*$",
                    re.IGNORECASE)
_ROLES = {"автор": "author", "авторы": "author", "author": "author",
          "фото": "photo", "фотосурет": "photo", "сурет": "photo", "photo": "photo"}
_DATE_WORDS = re.compile(
    r"^\s*(?P<d>\d{1,2})\s+(?P<m>[^\W\d_]+)\s+(?P<y>\d{4})(?:\s*(?:ж\.?|жыл[ғы]*))?"
    r"(?:\s*[,|]?\s*\d{1,2}:\d{2})?\s*$")
_DATE_DOTS = re.compile(r"^\s*(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:\s*[,|]?\s*\d{1,2}:\d{2})?\s*$")
_TIME_FIRST = re.compile(r"^\s*\d{1,2}:\d{2}\s*[,|]?\s*(?P<rest>.+)$")
# a dateline is short; longer lines are body text that happens to start with a date
_MAX_DATELINE = 40


def parse_dateline(line: str) -> str | None:
    """'7 Қараша 2023, 13:12' -> '2023-11-07'; '27.11.2024' -> '2024-11-27'; else None."""
    if len(line.strip()) > _MAX_DATELINE:
        return None
    m = _TIME_FIRST.match(line)
    if m:
        line = m.group("rest")
    m = _DATE_DOTS.match(line)
    if m:
        day, month, year = int(m["d"]), int(m["m"]), int(m["y"])
    else:
        m = _DATE_WORDS.match(line)
        if not m:
            return None
        month = _month(m["m"].lower())
        if month is None:
            return None
        day, year = int(m["d"]), int(m["y"])
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month(word: str) -> int | None:
    months = month_numbers()
    if word in months:
        return months[word]
    # case-suffixed Kazakh forms ("қарашада") start with the nominative name
    for name, num in months.items():
        if word.startswith(name) and len(name) >= 4:
            return num
    return None


def line_spans(text: str):
    """(start, end) of each non-blank line, stripped, in order — the paragraphs of an article
    (also used by the quote extractor on the analysis view)."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        a, b = pos, pos + len(raw.rstrip("\r\n"))
        pos += len(raw)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            yield a, b


@stage("structure", requires=("view",), assigns=("meta", "paragraphs"))
def article_structure(doc: Document) -> None:
    view = doc.view.text
    meta = doc.meta
    doc.paragraphs = []
    first = True
    for va, vb in line_spans(view):
        a, b = doc.span(va, vb)
        line = view[va:vb]
        role = "body"
        if first:
            role = "headline"
            if meta.headline is None:
                meta.headline = doc.text[a:b]
            first = False
        elif (m := _LABEL.match(line)) is not None:
            role = _ROLES[m.group(1).lower()]
            value = doc.text[slice(*doc.span(va + m.start("value"), va + m.end("value")))]
            if role == "author" and meta.author is None:
                meta.author = value
            elif role == "photo" and meta.photo_credit is None:
                meta.photo_credit = value
        elif (iso := parse_dateline(line)) is not None:
            role = "dateline"
            if meta.published is None:
                meta.published = iso
        doc.paragraphs.append(Paragraph(a, b, role))
