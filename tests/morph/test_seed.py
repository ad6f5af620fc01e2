"""Canonical forms on the reference article (../shared/seed/000.txt), with entity spans
annotated by hand here so the test does not depend on the NER model."""
from __future__ import annotations

from derek.doc import Document, Entity
from derek.morph.stage import canonical
from derek.pipeline import load_stage

# surface as in the seed (in order of first occurrence), label, expected canonical
SEED_MENTIONS = [
    ("Путиннің", "PERSON", "Владимир Путин"),
    ("Темірхан Айжан", "PERSON", "Темірхан Айжан"),
    ("Дамир Белгібаевтың", "PERSON", "Дамир Белгібаев"),
    ("Ресей Федерациясының", "GPE", "Ресей Федерациясы"),
    ("Владимир Путиннің", "PERSON", "Владимир Путин"),
    ("Қазақстанға", "GPE", "Қазақстан"),
    ("Ресейдің", "GPE", "Ресей Федерациясы"),
    ("Ресейден", "GPE", "Ресей Федерациясы"),
    ("Еуразиялық экономикалық одақта", "ORGANISATION", "Еуразиялық экономикалық одақ"),
    ("Ресей Федерациясынан", "GPE", "Ресей Федерациясы"),
]


def test_seed_canonicals(seed_text):
    doc = Document.from_text(seed_text)
    load_stage("normalize")(doc)
    load_stage("tokenize")(doc)
    for surface, label, _ in SEED_MENTIONS:
        i = seed_text.find(surface)
        assert i >= 0, surface
        doc.entities.append(Entity(i, i + len(surface), surface, label))
    canonical(doc)
    assert [e.canonical for e in doc.entities] == [c for _, _, c in SEED_MENTIONS]
