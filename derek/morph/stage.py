"""Pipeline stage "canonical": the nominative, fullest name of every entity.

For each entity (original offsets, NER output) the analysis form of its words is taken
from the tokens (Token.norm: Cyrillic even for Latin-script input), `canonical_name`
strips the last word's endings.  A Latin-script name keeps its own letters: its last word
is rendered in Cyrillic (derek.text.translit when present, else the approximate table
derek/data/latin_fallback.toml) only to find where the ending starts, and the original is
cut there (Almaty oblysynda -> Almaty oblysy).

Then mentions are linked to the fullest form the article uses: a bare surname to the full
name that ends with it (Путин -> Владимир Путин), a name to a longer one of the same
label that starts with it (Ресей -> Ресей Федерациясы), an acronym to a multi-word name
with those initials (ІІМ -> Ішкі істер министрлігі).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from derek.doc import Document, Entity, Token
from derek.pipeline import stage


# numbers, amounts, dates and contacts have no nominative name: their canonical stays None
NOT_NAMES = frozenset({"CARDINAL", "ORDINAL", "MONEY", "PERCENTAGE", "QUANTITY", "DATE", "TIME",
                       "CONTACT"})


@stage("canonical", requires=("entities", "tokens", "script", "view"), assigns=("canonical",))
def canonical(doc: Document) -> None:
    starts = [t.start for t in doc.tokens]
    variant = latin_reading(doc)
    for ent in doc.entities:
        # a canonical the ner stage set comes from a gazetteer (Кызылорда -> Қызылорда, СҚО ->
        # Солтүстік Қазақстан облысы): kept
        if ent.label not in NOT_NAMES and ent.canonical is None:
            ent.canonical = entity_canonical(doc, ent, starts, variant)
    link_fullest(doc.entities, variant)


def as_written(doc: Document, va: int, vb: int, nominal: str) -> str:
    """`nominal`, the view's nominative of view[va:vb] (a name the speech or agency readers
    found), as the article writes it: the original's prefix where the nominative is one; else a
    Latin original cut as a Latin name (never the view's Cyrillic); look-alikes repaired."""
    from derek.text.homoglyphs import repaired_name

    view = doc.view.text[va:vb]
    if view.startswith(nominal):
        return repaired_name(doc.text[slice(*doc.span(va, va + len(nominal)))])
    written = repaired_name(doc.text[slice(*doc.span(va, vb))])
    if written != view:
        return latin_canonical(written.strip(), None, None, latin_reading(doc))
    return nominal


def latin_reading(doc: Document) -> str | None:
    """The Latin alphabet a Latin article's names are read in (its own, as its view reads it):
    a name alone is too short to tell ("Brıstolge" read informally is "Брыстолге").  None for
    other articles: a Latin name in Cyrillic text is read on its own."""
    if doc.script != "latn":
        return None
    from derek.text.script import latin_reading as reading

    return reading(doc.view)


def entity_canonical(doc: Document, ent: Entity, starts: list[int] | None = None,
                     variant: str | None = None) -> str:
    from derek.morph.canonical import canonical_name

    if starts is None:
        starts = [t.start for t in doc.tokens]
    toks = _tokens_in(doc.tokens, starts, ent.start, ent.end)
    exact = toks and toks[0].start == ent.start and toks[-1].end == ent.end
    # a title of several words in quotes keeps its words ("Ерен еңбегі үшін"); one quoted word
    # may agree with a genitive before it (Нұр-Сұлтанның «Барысы»), so it is analysed
    quoted = _in_quotes(doc.text, ent.start, ent.end) and len(ent.text.split()) > 1
    if _latin_share(ent.text) <= 0.5:
        if quoted and exact:
            return _join(toks)  # «Ерен еңбегі үшін» медалімен: a quoted name takes no ending inside
        if quoted:
            return " ".join(ent.text.split())
        # Cyrillic (homoglyphs repaired by the view): the analysis form is the answer; an
        # entity that does not fall on token boundaries is read as written
        if not exact:
            return canonical_name(ent.text, ent.label)
        if _known_name(toks[-1].norm):  # "Сайқын", "Көкпекті": a place's own name, no ending to cut
            return _join(toks)
        return canonical_name(_join(toks), ent.label)
    if quoted:
        return " ".join(ent.text.split())
    return latin_canonical(ent.text, ent.label, [t.norm for t in toks] if exact else None, variant)


def _in_quotes(text: str, start: int, end: int) -> bool:
    """Is text[start:end] the whole of a quoted stretch («…», "…", “…”)?  Kazakh puts the case
    ending of a quoted title after the quotes («Ерен еңбегі үшін» медалімен), so what is inside
    is as named."""
    from derek.morph.canonical import CLOSING_QUOTES, OPENING_QUOTES

    return 0 < start and end < len(text) and text[start - 1] in OPENING_QUOTES and text[end] in CLOSING_QUOTES


def _known_name(word: str) -> bool:
    from derek.ner.gazetteer import default_gazetteer

    return word[:1].isupper() and default_gazetteer().is_bare_name(word)


def latin_canonical(text: str, label: str | None = None, view_words: list[str] | None = None,
                    variant: str | None = None) -> str:
    """Canonical of a Latin-script name in its own letters: analyse a Cyrillic rendering,
    then cut the original at the same place.  `view_words`: the document's own Cyrillic
    reading of the name's tokens, used when the transliteration alone finds no ending;
    `variant`: the article's Latin alphabet (translit's name; None: told from `text`)."""
    from derek.morph.canonical import bare_word

    # the punctuation around words goes as in a Cyrillic name (quotes, brackets, a colon)
    text = " ".join(w for w in (bare_word(x) for x in text.split()) if w)
    if view_words and len(view_words) == len(text.split(" ")) and _known_name(view_words[-1]):
        return _to_latin_homoglyphs(text)  # "Kókpekti": a place's own name, no ending to cut
    out = _latin_cut(text, label, variant)
    if out == text and view_words and len(view_words) == len(text.split(" ")):
        out = _cut_like_view(text, view_words, label)
    return out


def _cut_like_view(text: str, view_words: list[str], label: str | None) -> str:
    """"Semeıde" read as "Семейде" -> "Семей": the Latin word loses as many letters as the
    Cyrillic one, when the two spell letter for letter (same length)."""
    from derek.morph.canonical import canonical_last_word

    words = text.split(" ")
    last, vlast = words[-1], view_words[-1]
    if len(last) != len(vlast) or not vlast.isalpha():
        return text
    if _known_name(vlast):
        return text
    cut = canonical_last_word(vlast, view_words[:-1], label, prefix_only=True)
    if not vlast.startswith(cut) or not cut:
        return text
    words[-1] = last[: len(cut)]
    return " ".join(words)


def _latin_cut(text: str, label: str | None = None, variant: str | None = None) -> str:
    from derek.morph.canonical import canonical_last_word, last_word_plan

    text = _to_latin_homoglyphs(text)
    words = text.split(" ")
    view = _transliterate(text, variant)
    if view is not None:  # the text layer's transliteration, with its offset map
        vwords = view.text.split(" ")
        if len(vwords) == len(words):
            last = vwords[-1]
            spans, _ = last_word_plan(last, vwords[:-1], label)
            if spans is None:
                spans, _ = last_word_plan(last, vwords[:-1], label, prefix_only=True)
            if not spans:
                return text
            vstart = len(view.text) - len(last)
            kept = "".join(text[slice(*view.to_original(vstart + a, vstart + b))] for a, b in spans if b > a)
            return text[: view.to_original(vstart, vstart)[0]] + kept
    cyr, ends = _cyrillic_with_map(words[-1])
    before = [_cyrillic_with_map(w)[0] for w in words[:-1]]
    cut = canonical_last_word(cyr, before, label, prefix_only=True)
    if not cyr.startswith(cut):
        return text
    k = len(cut)
    words[-1] = words[-1][: ends[k - 1]] if k else words[-1]
    return " ".join(words)


def _transliterate(text: str, variant: str | None = None):
    """derek.text's Latin->Cyrillic view of `text`, or None when it is not available."""
    try:
        from derek.text.translit import to_cyrillic

        return to_cyrillic(text, variant)
    except Exception:  # the text layer is optional here; the fallback table suffices
        return None


@lru_cache(maxsize=65536)  # asked of the same names and words again and again
def _latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch < "\u0250") / len(letters)


@lru_cache(maxsize=1)
def _latin_tables() -> dict:
    from derek.langdata import load_toml

    return load_toml("latin_fallback.toml")


def _to_latin_homoglyphs(text: str) -> str:
    """Cyrillic look-alikes inside the Latin words of `text` written Latin ("Úkіmet" with a
    Cyrillic і); a Cyrillic word of a mixed name stays Cyrillic ("Associated Press агенттігі"),
    its own Latin look-alikes repaired ("France Football жyрналы")."""
    from derek.text.homoglyphs import repaired_name

    hg = _latin_tables()["homoglyph"]
    if not any(ch in hg for ch in text):
        return text
    return " ".join("".join(hg.get(ch, ch) for ch in w) if _latin_share(w) >= 0.5 else repaired_name(w)
                    for w in text.split(" "))


def _cyrillic_with_map(word: str) -> tuple[str, list[int]]:
    """Approximate Cyrillic form of a Latin word and, per Cyrillic letter, the end offset
    of the Latin letters it came from."""
    t = _latin_tables()
    out: list[str] = []
    ends: list[int] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2].lower()
        ch = word[i]
        if pair in t["digraph"]:
            cyr, step = t["digraph"][pair], 2
        elif word[i + 1:i + 2] in ("'", "’") and ch.lower() in t["apostrophe"]:
            cyr, step = t["apostrophe"][ch.lower()], 2
        else:
            cyr, step = t["letter"].get(ch.lower(), ch.lower()), 1
        out.append(cyr.upper() if ch.isupper() else cyr)
        i += step
        ends.append(i)
    return "".join(out), ends


def _tokens_in(tokens: list[Token], starts: list[int], a: int, b: int) -> list[Token]:
    i, j = bisect_left(starts, a), bisect_right(starts, b - 1)
    return [t for t in tokens[i:j] if t.end <= b]


def _join(toks: list[Token]) -> str:
    """The analysis form of a run of tokens, single spaces where the text has space."""
    out = _form(toks[0])
    for prev, t in zip(toks, toks[1:]):
        out += (" " if t.start > prev.end else "") + _form(t)
    return out


def _form(t: Token) -> str:
    """A token's analysis form; a word written in both alphabets, mostly Cyrillic, that the
    view reads as Latin ("АМАNАТ" -> AMANAT) as written: news annotation keeps the letters of
    the text.  A Cyrillic word with a stray Latin look-alike ("Aсанов") is the repaired one."""
    if t.norm != t.text and len(t.norm) == len(t.text) and 0 < _latin_share(t.text) < 0.5 \
            and _latin_share(t.norm) > 0.5:
        return t.text
    return t.norm


def _genitive_piece(word: str, variant: str | None) -> bool:
    """Is a name's word after a hyphen a genitive ending ('тың' of 'АҚШ-тың'), Latin too?"""
    from derek.morph.grammar import forms

    word = _cyrillic_word(word, variant) if _latin_share(word) > 0.5 else word
    return word in forms("GEN")


@lru_cache(maxsize=65536)
def _key(name: str) -> tuple[str, ...]:
    # asked of every pair of names of a label in link_fullest: remembered (bounded)
    return tuple(name.casefold().replace("-", " ").split())


def link_fullest(entities: list[Entity], variant: str | None = None) -> None:
    """Replace each canonical by the fullest form of the same entity in the article
    (`variant`: a Latin article's alphabet, see latin_reading)."""
    from derek.langdata import load_toml

    data = load_toml("canonical_aliases.toml")
    aliases = {k.casefold(): v for k, v in data["alias"].items()}
    latin = {k.casefold(): v for k, v in data.get("latin_alias", {}).items()}
    names: dict[str, list[str]] = {}
    for e in entities:
        if e.canonical and e.canonical not in names.setdefault(e.label, []):
            names[e.label].append(e.canonical)  # first-mention order: deterministic
    for e in entities:
        if e.canonical:
            e.canonical = _fullest(e.canonical, e.label, names, aliases, latin, variant)


def _fullest(canon: str, label: str, names: dict[str, list[str]], aliases: dict[str, str],
             latin_aliases: dict[str, str] | None = None, variant: str | None = None) -> str:
    from derek.morph.canonical import is_acronym

    words = _key(canon)
    if not words:
        return canon
    same_label = names.get(label, [])
    best = canon
    for other in same_label:
        ow = _key(other)
        if len(ow) <= len(_key(best)):
            continue
        if label == "PERSON":
            # a surname alone, or with initials (Путин, В. Путин) -> the full name
            ok = ow[-1] == words[-1] and all(_initial_of(w, ow[:-1]) for w in words[:-1])
        else:
            # (not 'АҚШ' -> 'АҚШ-тың Лос-Анджелес қаласы': a genitive owns the longer name)
            ok = ow[: len(words)] == words and not _genitive_piece(ow[len(words)], variant)
        if ok:
            best = other
    if best != canon:
        return best
    if label != "PERSON" and len(words) == 1:
        # a head noun on its own (Федерациясынан -> Федерация) -> the one longer name it heads
        word = _cyrillic_word(words[0], variant) if _latin_share(words[0]) > 0.5 else words[0]
        heads = [o for o in same_label if len(_key(o)) > 1 and _head_lemma(o, variant) == word]
        if len(heads) == 1:
            return heads[0]
    if canon.isupper() and len(words) == 1:
        # АСТАНА in a headline: the article's ordinary spelling, if it has one
        for other in same_label:
            if _key(other) == words and not other.isupper():
                return other
    if is_acronym(canon):  # ІІМ -> Ішкі істер министрлігі when the article names it
        initials = canon.casefold()
        for other in same_label + [n for n in names.get("ORGANISATION", []) if label != "ORGANISATION"]:
            ow = _key(other)
            if len(ow) == len(initials) and "".join(w[0] for w in ow) == initials:
                return other
        # СҚО -> Солтүстік Қазақстан облысы, KASE -> Қазақстан қор биржасы; a Latin one (SQO)
        # in the alphabet of the names that spell it out
        for full in _expansions(canon):
            if any(_key(full)[: len(_key(o))] == _key(o) and len(_key(o)) > 1 for o in same_label):
                return full  # the article names it ("Солтүстік Қазақстанда"), so the annotation writes it out
    if canon.casefold() in aliases and _latin_share(canon) < 0.5:
        return aliases[canon.casefold()]
    if latin_aliases and canon.casefold() in latin_aliases and _latin_share(canon) > 0.5:
        return latin_aliases[canon.casefold()]
    return canon


def _expansions(acronym: str) -> list[str]:
    """The full name the gazetteers give an abbreviation (derek/data/gazetteer_*.tsv); for a
    Latin one (SQO), that name in both Latin alphabets."""
    from derek.ner.gazetteer import default_gazetteer

    if _latin_share(acronym) <= 0.5:
        nm = default_gazetteer().abbr.get(acronym)
        return [nm.canonical] if nm is not None and nm.canonical != acronym else []
    from derek.text.translit import to_cyrillic, to_latin

    out = []
    for variant in ("latn2018", "latn2021"):
        nm = default_gazetteer().abbr.get(to_cyrillic(acronym, variant).text)
        if nm is not None and nm.canonical != acronym:
            out.append(to_latin(nm.canonical, variant))
    return out


@lru_cache(maxsize=65536)
def _head_lemma(name: str, variant: str | None = None) -> str:
    """The stem of a name's last word; a Latin one's from its Cyrillic reading ("Ükımetı" ->
    үкімет), so that a Latin head alone links to the name it heads too."""
    from derek.morph.lemmatizer import best_analysis

    last = _key(name)[-1]
    if _latin_share(last) > 0.5:
        last = _cyrillic_word(last, variant)
    return best_analysis(last, False).stem


@lru_cache(maxsize=65536)
def _cyrillic_word(word: str, variant: str | None) -> str:
    view = _transliterate(word, variant)
    return view.text.lower() if view is not None else word


def _initial_of(word: str, full_words: list[str]) -> bool:
    """"в." (or "в") is the initial of one of the full name's other words."""
    w = word.rstrip(".")
    return len(w) == 1 and any(f.startswith(w) for f in full_words)
