"""The analyzer's contract: analyses rebuild the word, the API is fast and cheap to import."""
from __future__ import annotations

import subprocess
import sys
import time

from derek.morph import analyze, lemmatize


def test_analyses_rebuild_the_word():
    for word in ("федерациясының", "кітабына", "халқы", "алматыға", "жылдары"):
        for a in analyze(word):
            assert a.surface_stem + a.suffix == word, str(a)


def test_alternation_and_chain_tags():
    tags = {a.stem: a.tags for a in analyze("кітабына")}
    assert tags["кітап"] == ("POSS3", "DAT")


def test_unknown_words_are_returned_whole_or_stripped_safely():
    assert lemmatize("") == ""
    assert lemmatize("xyz") == "xyz"
    assert lemmatize("Зәрубекқызы", "PROPN") == "Зәрубекқызы"


def test_pos_conventions():
    assert lemmatize("Нәтижесінде", "NOUN") == "нәтиже"
    assert lemmatize("Алматыға", "PROPN") == "Алматы"
    assert lemmatize("және", "CCONJ") == "және"


def test_warm_speed():
    words = ["Алматыға", "компаниясының", "жылдары", "Қазақстанда", "министрлігіне",
             "халқы", "Путинге", "елімізде"] * 20_000
    for w in set(words):
        lemmatize(w)
    t0 = time.perf_counter()
    for w in words:
        lemmatize(w)
    rate = len(words) / (time.perf_counter() - t0)
    assert rate > 100_000, f"{rate:,.0f} words/s"


def test_import_is_light():
    code = ("import sys, derek.morph; "
            "print(int('numpy' in sys.modules), int('derek.morph.lemmatizer' in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["0", "0"]


def test_split_for_features():
    from derek.morph import split

    assert split("Алматыға") == ("алматы", "ға", ("DAT",))
    assert split("компанияларының") == ("компания", "ларының", ("PL", "POSS3", "GEN"))
    assert split("Қазақстан") == ("қазақстан", "", ())
