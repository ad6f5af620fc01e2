"""The reference article: three quotes, all by Дамир Белгібаев, sourced from Azattyq Rýhy."""
from tests.conftest import assert_offsets


def test_seed_reported_by(seed_doc):
    assert seed_doc.meta.reported_by == ["Azattyq Rýhy"]


def test_seed_three_quotes(seed_doc):
    quotes = seed_doc.quotes
    assert [q.kind for q in quotes] == ["direct", "indirect", "direct"]
    assert all(q.speaker and q.speaker.canonical == "Дамир Белгібаев" for q in quotes)
    text = seed_doc.text
    # the direct quotes end right before their cues
    assert text[quotes[0].end:quotes[0].end + 20].lstrip("», ").startswith("- деді сарапшы")
    assert text[quotes[2].end:quotes[2].end + 25].lstrip("», ").startswith("- дейді саясаттанушы")
    assert text[quotes[1].start - 20:quotes[1].start].endswith("Спикердің сөзінше, ")
    assert [q.speaker.text for q in quotes] == ["сарапшы", "Спикердің", "саясаттанушы"]
    assert [q.cue for q in quotes] == ["деді", "сөзінше", "дейді"]


def test_seed_nested_quote_is_part_of_outer(seed_doc):
    last = seed_doc.quotes[2]
    assert "«іргелес мемлекеттермен" in last.text
    assert not any(q.text.startswith("іргелес") for q in seed_doc.quotes)


def test_seed_offsets(seed_doc):
    assert_offsets(seed_doc)
    for q in seed_doc.quotes:
        assert seed_doc.text[q.start:q.end] == q.text
        sp = q.speaker
        assert seed_doc.text[sp.start:sp.end] == sp.text
