"""Article structure: paragraphs with roles, headline, author, photo credit, dateline.

Kazakh news pages pasted as text keep a recognisable frame: the headline on the first line
(unless that line is running text: _is_running_text), then labelled lines ("Автор: …",
"Фото: …") and a dateline ("7 Қараша 2023, 13:12") before the body.  Matching runs on the
analysis view (Cyrillic), so Latin-script articles ("Avtor:", "Foto:") are handled by the same
rules; values are sliced from the original text.
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache

from derek.doc import Document, Paragraph
from derek.extract.date_parts import month
from derek.langdata import load_toml
from derek.pipeline import stage

# credit lines: 'Авторы: …', 'Фото: …' (page_labels.toml: the label and the role it gives)
_ROLES = dict(load_toml("page_labels.toml")["credits"])
_LABEL = re.compile(r"^\s*(" + "|".join(map(re.escape, _ROLES)) + r")\s*[:：]\s*(?P<value>.+?)\s*$", re.IGNORECASE)
# A dateline: a date with an optional time, alone on its line or between page furniture:
#   '7 Қараша 2023, 13:12'   '9 Тамыз, 2017 10:14'   '12 мау, 2020 сағат 08:30'   '4 қар. 2021 16:40'
#   '11.03.2025 18:20'   'Қостанай. 3 ақпан. Агенттік'   'Қоғам • 14 Шілде, 2020'
#   'Асқар Нұрлан 6 қар. 2021 10:05'   'Дата: 2 марта 2020 в 09:15 Категория: …'
# A few words may stand before the date (a place, a section, an author, 'Дата:'); after it
# only a time, or, behind a full stop or a label, the agency or the section.
_TIME = r"(?:\s*[,|]?\s*(?:сағат|в|at)?\s*\d{1,2}[:.]\d{2})"
_CORE = (r"(?:(?P<d>\d{1,2})\s+(?P<m>[^\W\d_]{3,})\.?\s*,?\s*(?:(?P<y>\d{4})(?:\s*(?:ж\.?|жыл[ғыдың]*))?)?"
         r"|(?P<dd>\d{1,2})(?P<sep>[./])(?P<mm>\d{1,2})(?P=sep)(?P<yy>\d{4})"
         r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))")
_DATELINE = re.compile(
    r"^\s*(?P<pre>(?:[^\W\d_][\w.-]*\s*){1,4}[.•|:,–-]?\s+)?" + _CORE + f"(?P<time>{_TIME})?"
    + r"(?P<tail>(?:\s*\.\s+|\s+(?=[^\W\d_]+:)|\s*[•|]\s*)\S.*)?\s*\.?\s*$")
_DIGIT = re.compile(r"\d")
_TIME_FIRST = re.compile(r"^\s*\d{1,2}:\d{2}\s*[,|/]?\s*(?P<rest>.+)$")
# 'Бүгін, 14:40', 'Кеше 18:05': a dateline that names its day only relative to the reader
_RELATIVE_DATELINE = re.compile(r"^\s*(?:бүгін|кеше|сегодня|вчера)\s*[,|]?\s*(?:в\s*)?\d{1,2}:\d{2}\s*$",
                                re.IGNORECASE)
# a dateline is short; longer lines are body text that happens to start with a date
_MAX_DATELINE = 40
_MAX_FRAMED = 90  # with a place, an author or an agency around the date
_MAX_TAIL = 45  # 'ҚазТАГ - Тілші Аты-жөні.', 'Категория: Соңғы жаңалықтар қазақша'


def parse_dateline(line: str) -> str | None:
    """'7 Қараша 2023, 13:12' -> '2023-11-07'; '27.11.2024' -> '2024-11-27'; else None
    (also None for a dateline without a year: see dateline_date)."""
    got = dateline_date(line)
    return got if got and len(got) == 10 else None


def dateline_date(line: str) -> str | None:
    """The date of a dateline: YYYY-MM-DD, MM-DD when it names no year ('Қостанай. 3 ақпан.
    Агенттік'), "" when it names none ('Бүгін, 14:40'); None when the line is no dateline."""
    text = line.strip()
    if len(text) > _MAX_FRAMED or _DIGIT.search(text) is None:
        return None  # most lines: long body text, or a heading without a number
    if _RELATIVE_DATELINE.match(text):
        return ""
    m = _TIME_FIRST.match(text)
    if m:
        text = m.group("rest")
    m = _DATELINE.match(text)
    if m is None:
        return None
    if m["tail"] and len(m["tail"]) > _MAX_TAIL:
        return None  # a sentence that goes on after a date, not an agency or a section
    framed = m["pre"] or m["tail"]
    if len(text) > _MAX_DATELINE and not framed:
        return None
    if m["dd"]:
        day, month, year = int(m["dd"]), int(m["mm"]), int(m["yy"])
    elif m["iy"]:
        day, month, year = int(m["id"]), int(m["im"]), int(m["iy"])
    else:
        month = _month(m["m"].lower())
        if month is None:
            return None
        day, year = int(m["d"]), int(m["y"]) if m["y"] else None
    if framed and year is None and not (m["pre"] or "").rstrip().endswith(".") and not m["time"]:
        return None  # 'Қостанай. 3 ақпан. Агенттік' is a dateline; 'Он 5 қазан' is not
    if framed and m["pre"] and not m["pre"].rstrip()[-1:] in ".•|:,–-" and not (year and m["time"]):
        return None  # a byline before the date: 'Асқар Нұрлан 6 қар. 2021 10:05'
    if not (1 <= month <= 12 and 1 <= day <= 31) or (year is not None and not 1900 <= year <= 2100):
        return None
    try:
        datetime.date(year or 2000, month, day)  # a leap year when none is named: 29 February
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month:02d}-{day:02d}"


def _month(word: str) -> int | None:
    """A month's name in any case form (the date readers' own: date_parts.month), or one of the
    page abbreviations ('қар.', 'мау', 'сент'), which only a dateline has: elsewhere "қар" is snow."""
    got = month(word)
    return got if got is not None else _abbreviations().get(word)


@lru_cache(maxsize=None)
def _abbreviations() -> dict[str, int]:
    return dict(load_toml("date_words.toml")["month_abbreviations"])


# A first line is the headline unless it is running text: a paragraph of several sentences,
# longer than any headline (news headlines are one sentence, rarely over 150 characters), as
# when a user analyses a single paragraph; its quotes and claims are then read like the body's
HEADLINE_MAX = 200
_INNER_STOP = re.compile(r"[.!?…][»”\"]?\s+[«\"–—-]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]")


def _is_running_text(line: str) -> bool:
    return len(line) > HEADLINE_MAX and _INNER_STOP.search(line) is not None


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
            first = False
            if not _is_running_text(line):
                role = "headline"
                if meta.headline is None:
                    meta.headline = doc.text[a:b]
        elif (m := _LABEL.match(line)) is not None:
            role = _ROLES[m.group(1).lower()]
            value = doc.text[slice(*doc.span(va + m.start("value"), va + m.end("value")))]
            if role == "author" and meta.author is None:
                meta.author = value
            elif role == "photo" and meta.photo_credit is None:
                meta.photo_credit = value
        elif (iso := dateline_date(line)) is not None:
            role = "dateline"
            if meta.published is None and len(iso) == 10:
                meta.published = iso
        doc.paragraphs.append(Paragraph(a, b, role))
