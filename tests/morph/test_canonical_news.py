"""Canonical forms of news names (derek/morph/stage.py), through the whole pipeline on sentences
of our own: Latin names cut like the document's Cyrillic reading, a gazetteer place's own name
left whole, words in two alphabets kept as written, Cyrillic і in a Latin name read as Latin,
quotes dropped, and the Latin-script alias of ҚР."""
import pytest

import derek


def canon(text: str) -> dict[str, str]:
    return {e.text: e.canonical for e in derek.analyze(text).entities
            if e.label in ("GPE", "ORGANISATION", "LOCATION", "PERSON")}


@pytest.mark.parametrize("text,surface,expected", [
    ("Kókpektide jańa aýrýhana salyndy.", "Kókpektide", "Kókpekti"),
    ("Jol Kókpekti arqyly ótedi.", "Kókpekti", "Kókpekti"),               # no ending to cut
    ("Жүк көлігі Сайқынға жетті.", "Сайқынға", "Сайқын"),                 # -ын is the name's own
    ("Кеше \"АМАNАТ\" партиясының съезі өтті.", "\"АМАNАТ\" партиясының", "АМАNАТ партиясы"),
    ("Bul týraly Qorǵanys mınıstrlіgі málimdedi.", "Qorǵanys mınıstrlіgі", "Qorǵanys mınıstrligi"),
    ("«Atameken» ulttyq kásipkerler palatasy málimdedi.", "«Atameken» ulttyq kásipkerler palatasy",
     "Atameken ulttyq kásipkerler palatasy"),
    # a mixed name: its Cyrillic words stay Cyrillic (no Latin look-alikes put in)
    ("Кеше Reuters агенттігінің тілшісі келді.", "Reuters агенттігінің", "Reuters агенттігі"),
    # an unknown surname's own final -і before a case ending (not a possessive)
    ("Заңгер Ержан Сәтбердінің айтуынша, заң өзгереді.", "Ержан Сәтбердінің", "Ержан Сәтберді"),
    # an initial keeps its dot
    ("Жиынды Қ. Сәтбаев ашты.", "Қ. Сәтбаев", "Қ. Сәтбаев"),
    # a Latin article's abbreviation of a body is written out in its alphabet
    ("Bul týraly BUU málimdedi.", "BUU", "Birikken Ulttar Uıymy"),
    ("Bul turaly BŪŪ mälımdedı.", "BŪŪ", "Bırıkken Ūlttar Ūiymy"),
    # a Latin abbreviation the view reads in Cyrillic (KASE -> КАСЕ) is still known
    ("Keshe KASE ındeksi ósti.", "KASE", "Qazaqstan qor bırjasy"),
    # a Latin name is read in the article's alphabet, not guessed from the name alone
    ("Ol keshe Parıjde ótken jıynǵa qatysty.", "Parıjde", "Parıj"),
])
def test_news_canonicals(text, surface, expected):
    got = canon(text)
    assert got.get(surface) == expected, got


def test_latin_country_alias():
    got = canon("Bul sharany QR qoldaıdy, dedi ol.")
    assert got.get("QR") == "Qazaqstan", got


def test_latin_name_cut_like_the_view():
    from derek.morph.stage import latin_canonical

    # the transliteration alone reads "Semeıde" as "Семеыде" and finds no ending; the
    # document's own reading "Семейде" does
    assert latin_canonical("Semeıde", "GPE", ["Семейде"]) == "Semeı"
    assert latin_canonical("Semeıde", "GPE", ["Семейдегі"]) == "Semeıde"  # lengths differ: as written


@pytest.mark.parametrize("cyrillic,label", [
    ("Тарихтан тағылым: ұлттық дәстүр", "EVENT"),           # a colon inside a title
    ("Бүкіләлемдік бокс ұйымының (WBO) президенті", "POSITION"),  # brackets round a word
    ("Ә. Назарбаевпен", "PERSON"),                           # an initial and its dot
    ("Ақтөбе облысының әкімдігінде", "ORGANISATION"),
])
@pytest.mark.parametrize("variant", ["latn2018", "latn2021"])
def test_latin_canonical_as_the_cyrillic_one(cyrillic, label, variant):
    """A Latin name's canonical is the Cyrillic one's, written in Latin: the same punctuation
    goes and the same ending is cut."""
    from derek.morph.canonical import canonical_name
    from derek.morph.stage import latin_canonical
    from derek.text.translit import to_latin

    assert latin_canonical(to_latin(cyrillic, variant), label, None, variant) == \
        to_latin(canonical_name(cyrillic, label), variant)


@pytest.mark.parametrize("surface,label,expected", [
    # the plural of a name's head goes, and a voiceless stem end voices before the possessive
    ("Түркістан облысының мектептерінде", "ORGANISATION", "Түркістан облысының мектебі"),
    ("Алматы сауда орталықтарының", "ORGANISATION", "Алматы сауда орталығы"),
    ("Батыс Қазақстан облыстарында", "GPE", "Батыс Қазақстан облысы"),  # no voicing: spans kept
    ("Мырзабек Бекбердінің", "PERSON", "Мырзабек Бекберді"),
])
def test_canonical_name_rules(surface, label, expected):
    from derek.morph.canonical import canonical_name

    assert canonical_name(surface, label) == expected


def test_latin_plural_head_kept_where_a_letter_would_change():
    """A Latin name is only ever cut, never rewritten: 'ortalyqtary' cannot become 'ortalyǵy'."""
    from derek.morph.stage import latin_canonical

    assert latin_canonical("Almaty saýda ortalyqtarynyń", "ORGANISATION", None, "latn2018") == \
        "Almaty saýda ortalyqtary"


@pytest.mark.parametrize("text,surface,expected", [
    ("Жиынға Жақып Aсанов қатысты.", "Жақып Aсанов", "Жақып Асанов"),   # a Latin A typed in
    ("Кеше \"АМАNАТ\" партиясының съезі өтті.", "\"АМАNАТ\" партиясының", "АМАNАТ партиясы"),  # a brand's N stays
])
def test_canonical_repairs_stray_latin_letters(text, surface, expected):
    got = canon(text)
    assert got.get(surface) == expected, got


def test_speaker_name_repaired():
    quotes = derek.analyze("Тақырып\n\n«Жол жөнделеді», – деді Жақып Aсанов.").quotes
    assert [q.speaker.canonical for q in quotes] == ["Жақып Асанов"]
