"""The "canonical" stage on hand-built documents (the NER stage is not needed: entities
are placed by hand, as the NER stage would place them — whole tokens, suffixes included)."""
from __future__ import annotations

from derek.doc import Document, Entity
from derek.morph.stage import canonical, link_fullest
from derek.pipeline import REGISTRY
from derek.text.view import TextView

TEXT = ("Ресей Федерациясының Президенті Владимир Путиннің сапары туралы Дамир Белгібаевтың "
        "айтуынша, Путин Астанаға келеді. Белгібаев Ресейден келген делегацияны қарсы алды. "
        "ІІМ өкілдері мен Ішкі істер министрлігінің басшылары ЕАЭО-ға қатысты пікір айтты. "
        "Елорданың әкімдігі хабарлады.")

ENTITIES = [
    ("Ресей Федерациясының", "GPE", "Ресей Федерациясы"),
    ("Владимир Путиннің", "PERSON", "Владимир Путин"),
    ("Дамир Белгібаевтың", "PERSON", "Дамир Белгібаев"),
    ("Путин", "PERSON", "Владимир Путин"),
    ("Астанаға", "GPE", "Астана"),
    ("Белгібаев", "PERSON", "Дамир Белгібаев"),
    ("Ресейден", "GPE", "Ресей Федерациясы"),
    ("ІІМ", "ORGANISATION", "Ішкі істер министрлігі"),
    ("Ішкі істер министрлігінің", "ORGANISATION", "Ішкі істер министрлігі"),
    ("ЕАЭО-ға", "ORGANISATION", "ЕАЭО"),
    ("Елорданың", "GPE", "Астана"),
]


def _doc(text: str, ents, view: TextView | None = None) -> Document:
    from derek.pipeline import load_stage

    doc = Document.from_text(text)
    if view is not None:
        doc.view = view
    else:
        load_stage("normalize")(doc)
    load_stage("tokenize")(doc)
    pos = 0
    for surface, label, _ in ents:
        i = text.index(surface, pos)
        doc.entities.append(Entity(i, i + len(surface), surface, label))
        pos = i + 1
    doc.layers.add("entities")
    return doc


def test_stage_registered_with_contract():
    import derek.morph.stage  # noqa: F401

    st = REGISTRY["canonical"]
    assert "entities" in st.requires and st.assigns == ("canonical",)


def test_canonical_and_fullest_forms():
    doc = _doc(TEXT, ENTITIES)
    canonical(doc)
    got = [e.canonical for e in doc.entities]
    assert got == [c for _, _, c in ENTITIES]
    for e in doc.entities:  # offsets untouched
        assert doc.text[e.start:e.end] == e.text


def test_linking_keeps_labels_apart():
    ents = [Entity(0, 9, "Қазақстан", "GPE", "Қазақstan".replace("stan", "стан")),
            Entity(10, 30, "x", "ORGANISATION", "Қазақстан темір жолы")]
    link_fullest(ents)
    assert ents[0].canonical == "Қазақстан"


# A tiny Latin->Cyrillic map, enough for the test sentence (the text layer owns the real one).
_LAT = {"sh": "ш", "a": "а", "b": "б", "d": "д", "e": "е", "g": "г", "ǵ": "ғ", "i": "і", "ı": "ы",
        "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "q": "қ", "r": "р", "s": "с", "t": "т",
        "y": "ы", "z": "з", "A": "А", "O": "О", "Q": "Қ", "S": "С", "M": "М", "ý": "у", "u": "ұ",
        "ú": "ү", "j": "ж", "h": "һ", "á": "ә", "ó": "ө", "ń": "ң", " ": " ", ".": ".", ",": ","}


def _latin_view(text: str) -> TextView:
    pieces, i = [], 0
    while i < len(text):
        if text[i:i + 2].lower() == "sh":
            pieces.append((i, i + 2, "Ш" if text[i].isupper() else "ш"))
            i += 2
        else:
            pieces.append((i, i + 1, _LAT.get(text[i], text[i])))
            i += 1
    return TextView.from_pieces(text, pieces)


def test_latin_input_keeps_latin_canonical():
    text = "Almaty oblysynda jáne Shymkentke barady. Qazaqstannyń Ulttyq bankine."
    ents = [("Almaty oblysynda", "GPE", "Almaty oblysy"),
            ("Shymkentke", "GPE", "Shymkent"),
            ("Qazaqstannyń", "GPE", "Qazaqstan"),
            ("Ulttyq bankine", "ORGANISATION", "Ulttyq bank")]
    doc = _doc(text, ents, _latin_view(text))
    assert not doc.view.is_identity
    canonical(doc)
    assert [e.canonical for e in doc.entities] == [c for _, _, c in ents]


def _linked(*mentions: tuple[str, str]) -> list[str]:
    """The canonicals after link_fullest of mentions given as (label, canonical)."""
    ents = [Entity(2 * i, 2 * i + 1, "x", label, canon) for i, (label, canon) in enumerate(mentions)]
    link_fullest(ents)
    return [e.canonical for e in ents]


def test_initials_and_headline_caps_link_to_the_full_form():
    assert _linked(("PERSON", "Қасым-Жомарт Тоқаев"), ("PERSON", "Қ. Тоқаев"), ("GPE", "АСТАНА"),
                   ("GPE", "Астана"), ("PERSON", "А. Тоқаев")) == \
        ["Қасым-Жомарт Тоқаев", "Қасым-Жомарт Тоқаев", "Астана", "Астана", "А. Тоқаев"]


def test_latin_plural_enumeration_keeps_latin_letters():
    from derek.morph.stage import latin_canonical

    assert latin_canonical("Batys Qazaqstan oblystarynda", "GPE") == "Batys Qazaqstan oblysy"
    assert latin_canonical("Almaty oblysynda", "GPE") == "Almaty oblysy"
    assert latin_canonical("Nazarbaevtyń", "PERSON") == "Nazarbaev"


def test_head_noun_alone_links_and_numbers_get_no_canonical():
    assert _linked(("GPE", "Ресей Федерациясы"), ("GPE", "Федерация"), ("CARDINAL", "-")) == \
        ["Ресей Федерациясы", "Ресей Федерациясы", "-"]
    doc = _doc("Бүгін 30 млрд теңгеден астам.", [("30 млрд теңгеден", "MONEY", None)])
    canonical(doc)
    assert doc.entities[0].canonical is None


def test_a_name_does_not_link_to_a_longer_one_it_possesses():
    # 'АҚШ-тың Лос-Анджелес қаласы' is a city of the USA, not a fuller name of it; 'Ресей
    # Федерациясы' is a fuller name of Ресей
    names = ["Жапонияның Осака қаласы", "Жапония", "Ресей Федерациясы", "Ресей", "ҚХР-дың Шыңжаң ауданы", "ҚХР"]
    assert _linked(*(("GPE", n) for n in names)) == \
        ["Жапонияның Осака қаласы", "Жапония", "Ресей Федерациясы", "Ресей Федерациясы", "ҚХР-дың Шыңжаң ауданы", "ҚХР"]


def test_a_quoted_title_keeps_its_words_and_one_quoted_word_is_analysed():
    # the case ending of a quoted title goes after the quotes: what is inside is as named
    # ("үшін" is no accusative "үші-н", "бірге" no dative "бір-ге"); a single quoted word may
    # agree with a genitive before it ("Ертістің «Жасылы»": the team Жасыл), so it is analysed
    text = ("Мұғалім «Білім беру ісінің үздігі үшін» төсбелгісімен марапатталды. "
            "Павлодардың «Ертіс» клубы мен Ақтөбенің «Жасылы» кездесті. «Елмен бірге» қоры құрылды.")
    ents = [("Білім беру ісінің үздігі үшін", "ART", "Білім беру ісінің үздігі үшін"),
            ("Ертіс", "ORGANISATION", "Ертіс"),
            ("Жасылы", "ORGANISATION", "Жасыл"),
            ("Елмен бірге", "ORGANISATION", "Елмен бірге")]
    doc = _doc(text, ents)
    canonical(doc)
    assert [e.canonical for e in doc.entities] == [c for _, _, c in ents]
