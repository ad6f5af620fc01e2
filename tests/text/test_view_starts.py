"""TextView.original_starts is offset_to_original for every view offset, in one sequence;
names.inverse_map built from it answers as the per-character walk did."""
import derek
from derek.extract.speech.names import inverse_map

LATIN = ("Shyǵys Qazaqstan oblysynda ıaǵnı Shymkentte Qasym-Jomart Toqaev 2024 jyly 5 naýryzda "
         "sóz sóıledi. Ekonomıka 4,8 paıyzǵa ósti.\n\nБұл — кириллица.")


def test_original_starts_on_a_rewritten_view():
    doc = derek.analyze(LATIN)
    view = doc.view
    assert not view.is_identity and len(view.text) != len(LATIN)  # digraphs fold: sh -> ш
    assert list(view.original_starts()) == [view.offset_to_original(i) for i in range(len(view.text))]


def test_original_starts_identity():
    doc = derek.analyze("Қазақстан экономикасы 4,8 пайызға өсті.")
    assert list(doc.view.original_starts()) == list(range(len(doc.view.text)))


def testinverse_map_matches_the_walk():
    doc = derek.analyze(LATIN)
    view = doc.view
    first = {}
    for vi in range(len(view.text)):
        first.setdefault(view.offset_to_original(vi), vi)

    def walk(i):
        for j in range(i, min(i + 8, len(doc.text) + 1)):
            if j in first:
                return first[j]
        return len(view.text)

    inv = inverse_map(doc)
    assert [inv(i) for i in range(len(LATIN) + 3)] == [walk(i) for i in range(len(LATIN) + 3)]
