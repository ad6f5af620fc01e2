"""Script and alphabet detection for Kazakh text.

Detailed labels (`detect_script`):
    kk_cyrl        Kazakh in Cyrillic
    ru_cyrl        Russian (Cyrillic without Kazakh letters, Russian function words/endings)
    latn2018       Kazakh Latin, 2018 alphabet (á ǵ ń ó ú ý, ı for и/й)
    latn2021       Kazakh Latin, 2021 alphabet (ä ğ ñ ö ū ü ş ç; y for ы)
    latn_informal  Kazakh in other Latin spellings (ı for ы, w for ұ, plain ASCII with q …)
    latn_other     Latin text that shows no Kazakh traits (English names, a Latin quote)
    mixed          substantial Kazakh Cyrillic together with Russian or Kazakh Latin
    none           no letters at all
`coarse(label)` folds them into the schema's Document.script: "cyrl" | "latn" | "mixed".

The decision uses counts only (letters per script, alphabet-specific letters, Russian
markers), computed with regular expressions, so it is linear; for long texts the document
label is taken from evenly spaced samples.  A Cyrillic article that cites a Latin outlet
("Azattyq Rýhy") or a couple of Russian names stays kk_cyrl: mixing needs a real share.
"""
from __future__ import annotations

import re

from derek.text.alphabet import KAZAKH_ONLY, KAZAKH_ONLY_UPPER

LABELS = ("kk_cyrl", "ru_cyrl", "latn2018", "latn2021", "latn_informal", "latn_other", "mixed", "none")
KAZAKH_LATIN = ("latn2018", "latn2021", "latn_informal")

_CYR = re.compile("[\u0400-\u04ff]+")
_LAT = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_KK = re.compile(f"[{KAZAKH_ONLY}{KAZAKH_ONLY_UPPER}]")
_KK_WORD = re.compile(rf"(?<![^\W\d_])[^\W\d_]*[{KAZAKH_ONLY}{KAZAKH_ONLY_UPPER}]")
_CYR_WORD = re.compile(r"(?<![^\W\d_])[\u0400-\u04ff]+(?![^\W\d_])")
# щ ъ ё are Russian-only (э is not: экономика, экспорт are Kazakh words too)
_RU_LETTER_WORD = re.compile(r"(?<![^\W\d_])[А-Яа-яЁё]*[щъёЩЪЁ][А-Яа-яЁё]*(?![^\W\d_])")
# Russian inflection on words without Kazakh letters (Загородный, Овечий, Следующая)
_RU_ENDING = re.compile(
    r"(?<![^\W\d_])[А-Яа-яЁё]{3,}(?:ый|ий|ая|ое|ые|ых|ого|ому|ыми|ими|ться|ется|ются|ение|ения|ости)(?![^\W\d_])")
# Russian function words that are not also Kazakh words (он, не, от, же, я, да are)
_RU_FUNC = re.compile(
    r"(?<![^\W\d_])(?:и|в|на|что|по|для|это|как|из|за|но|его|их|она|они|мы|вы|так|также|или|при|после"
    r"|года|году|был|была|были|который|которые|которая|чтобы|если|уже|только|с|к|у|о)(?![^\W\d_])",
    re.IGNORECASE)
_ACUTE = re.compile("[áǵńóúýÁǴŃÓÚÝ]")
_UMLAUT = re.compile("[äğñöüūşçÄĞÑÖÜŪŞÇİ]")
_BREVE_U = re.compile("[ūŪ]")
_DOTLESS = re.compile("ı")
_Q = re.compile("[qQ]")
# informal w is ұ, a vowel: it sits between consonants (Bwl, Nwrswltan, jwmıs) or opens a word
# before one (wsınıs); English w stands before a vowel or after one (Twitter, WhatsApp, News)
# (a lower-case consonant after it: an all-capitals abbreviation, WBC or WWF, is no sign)
_CONS = "bcdfgjklmnpqrstvxzğşñç"
_W_IN_WORD = re.compile(f"[wW](?:(?<=[{_CONS}{_CONS.upper()}][wW])|(?<![^\\W\\d_][wW]))(?=[{_CONS}])(?!h)")
_Y_AFTER_CONS = re.compile("(?<=[bcdfgjklmnpqrstvzşçğñ])y")
_Y_AFTER_VOWEL = re.compile("(?<=[aeouäöüı])y(?![aouı])")
_KAZ_ASCII = re.compile(r"q|(?<![^\W\d_])(?:jáne|jane|zhane|men|bul|osy|degen|dep|boıynsha|boyynsha)(?![^\W\d_])"
                        r"|(?:dyń|diń|nyń|niń|dyn|din|nyn|nin|lyq|lik|daǵy|dagy|ǵa|ge)(?![^\W\d_])",
                        re.IGNORECASE)
_SAMPLE_AT = 150_000  # texts longer than this are judged on samples
_SAMPLES = 30
_SAMPLE_LEN = 4_000


def _informal_w(text: str) -> bool:
    return _W_IN_WORD.search(text) is not None


def _count(run: re.Pattern, text: str) -> int:
    """Number of characters in matches of `run` (a pattern of the form [...]+)."""
    return sum(map(len, run.findall(text)))


def _unprotected(text: str) -> str:
    """`text` without URLs, e-mails and domains (an outlet's Latin domain is no evidence)."""
    from derek.text.translit import protected_spans

    spans = protected_spans(text, 0, len(text))
    if not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        out.append(" ")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def coarse(label: str) -> str:
    """Document.script value for a detailed label."""
    if label in ("kk_cyrl", "ru_cyrl", "none"):
        return "cyrl"
    if label == "mixed":
        return "mixed"
    return "latn"


# a detected Latin label -> the alphabet translit reads it in
TRANSLIT_VARIANT = {"latn2018": "latn2018", "latn2021": "latn2021", "latn_informal": "informal"}


def latin_reading(view) -> str | None:
    """The alphabet (translit's name) in which the Latin letters of a view's original text are
    read, None when it has no Kazakh Latin; told once per view (remembered on it: the
    canonical, speech and agency readers all ask)."""
    return view.derived("script.latin_reading",
                        lambda _text: TRANSLIT_VARIANT.get(latin_variant(view.original) or ""))


def written_latin(reading: str | None) -> str:
    """The alphabet in which derek writes a name from its own (Cyrillic) tables into a Latin
    article read in `reading` (latin_reading, or a latin_variant label): the article's own, 2018
    when it is informal or unclear (to_latin writes only the official alphabets)."""
    return reading if reading in ("latn2018", "latn2021") else "latn2018"


def latin_variant(text: str) -> str | None:
    """Which Latin spelling `text` uses: latn2018 | latn2021 | latn_informal | latn_other
    (None when it has no Latin letters)."""
    n_lat = _count(_LAT, text)
    if not n_lat:
        return None
    acute = len(_ACUTE.findall(text))
    umlaut = len(_UMLAUT.findall(text))
    if acute and acute >= umlaut:
        return "latn2018"
    if not umlaut and _informal_w(text) and _Q.search(text):
        return "latn_informal"  # w for ұ (Nwrswltan) next to Kazakh q, without diacritics
    if umlaut:
        if _BREVE_U.search(text):
            return "latn2021"
        if _informal_w(text):
            return "latn_informal"
        # ı is і in 2021 spelling and ы in informal typing: vowel harmony tells them apart,
        # і sharing its words with front vowels ("äkeldı", "tüsırıp"), ы with back ones ("bastaladı")
        front, back = _dotless_harmony(text)
        if front != back:
            return "latn2021" if front > back else "latn_informal"
        ycons = len(_Y_AFTER_CONS.findall(text))
        yvow = len(_Y_AFTER_VOWEL.findall(text))
        if len(_DOTLESS.findall(text)) > ycons or yvow > ycons:
            return "latn_informal"
        return "latn2021"
    if _DOTLESS.search(text):
        # ı without accents: 2018 if y is a vowel (ы), else ı is ы (informal)
        ycons = len(_Y_AFTER_CONS.findall(text))
        return "latn2018" if ycons else "latn_informal"
    hits = len(_KAZ_ASCII.findall(text))
    if hits >= 3 and hits * 40 >= n_lat:
        return "latn_informal"
    return "latn_other"


_DOTLESS_WORD = re.compile(r"\w*ı\w*")
_FRONT21, _BACK21 = frozenset("eäöüEÄÖÜ"), frozenset("aouūyAOUŪY")


def _dotless_harmony(text: str) -> tuple[int, int]:
    """Words with ı that also hold a front vowel, and those that hold a back one."""
    front = back = 0
    for w in _DOTLESS_WORD.findall(text):
        letters = set(w)
        f, b = bool(letters & _FRONT21), bool(letters & _BACK21)
        if f != b:
            front += f
            back += b
    return front, back


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE_AT:
        return text
    step = len(text) // _SAMPLES
    return "\n".join(text[i:i + _SAMPLE_LEN] for i in range(0, len(text), step))


def detect_script(text: str) -> str:
    """Detailed script label of a sentence, paragraph or whole document (see module doc)."""
    text = _unprotected(_sample(text))
    n_cyr = _count(_CYR, text)
    n_lat = _count(_LAT, text)
    letters = n_cyr + n_lat
    if not letters:
        return "none"
    if n_lat > n_cyr:
        variant = latin_variant(text)
        if n_cyr >= 0.15 * letters and len(_KK.findall(text)) and variant in KAZAKH_LATIN:
            return "mixed"
        return variant or "latn_other"
    # Cyrillic majority; an outlet or a name in Latin letters (1-3 words) is not a mixture
    if (n_lat >= 0.15 * letters and len(_LAT.findall(text)) >= 4
            and latin_variant(text) in KAZAKH_LATIN):
        return "mixed"
    words, kk_words, ru_words = _word_counts(text)
    if kk_words == 0:
        return "ru_cyrl" if ru_words else "kk_cyrl"
    if kk_words * 4 < words and ru_words > kk_words:
        return "ru_cyrl"
    if ru_words >= 3 and ru_words >= 0.03 * words:
        return "mixed"
    return "kk_cyrl"


def _word_counts(text: str) -> tuple[int, int, int]:
    """(Cyrillic words, words with a Kazakh letter, Russian-marked words): the match counts of
    _CYR_WORD, _KK_WORD and _RU_ENDING + _RU_LETTER_WORD + _RU_FUNC.  Each of those patterns
    matches only whole letter runs (a letter before and after is refused), so the text is cut
    into letter runs once and each distinct run is classified once (remembered, bounded),
    instead of five regex scans over every position.  The Cyrillic block's non-letters
    (U+0482-0489) would let _CYR_WORD span two runs: such rare texts use the patterns."""
    if _CYR_NONLETTER.search(text):
        return (len(_CYR_WORD.findall(text)), len(_KK_WORD.findall(text)),
                len(_RU_ENDING.findall(text)) + len(_RU_LETTER_WORD.findall(text))
                + len(_RU_FUNC.findall(text)))
    words = kk = ru = 0
    memo = _RUN_CLASS
    for run in _LETTER_RUN.findall(text):
        got = memo.get(run)
        if got is None:
            got = _classify_run(run)
            if len(run) <= 40:
                if len(memo) >= 100_000:
                    memo.clear()
                memo[run] = got
        words += got[0]
        kk += got[1]
        ru += got[2]
    return words, kk, ru


def _classify_run(run: str) -> tuple[int, int, int]:
    return (_CYR_WORD.fullmatch(run) is not None, _KK_WORD.match(run) is not None,
            (_RU_ENDING.fullmatch(run) is not None) + (_RU_LETTER_WORD.fullmatch(run) is not None)
            + (_RU_FUNC.fullmatch(run) is not None))


_LETTER_RUN = re.compile(r"[^\W\d_]+")
_CYR_NONLETTER = re.compile("[\u0482-\u0489]")
_RUN_CLASS: dict[str, tuple[int, int, int]] = {}  # letter run -> its _classify_run counts


_LINE = re.compile(r"[^\n]+")
_SENT = re.compile(r"[^.!?…\n]+(?:[.!?…]+[»\"”)]*|$)")


def sentence_scripts(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) for each line-or-sentence chunk of `text` that has letters;
    a light splitter of its own, so it can run before tokenization."""
    out = []
    for m in _SENT.finditer(text):
        chunk = m.group()
        if chunk.strip():
            label = detect_script(chunk)
            if label != "none":
                out.append((m.start(), m.end(), label))
    return out
