"""derek.text.alphabet: the Kazakh Cyrillic letters every letter test reads."""
from __future__ import annotations

import re

from derek.text.alphabet import KAZAKH_ONLY, KAZAKH_ONLY_UPPER, KK_RU_LOWER, LOWER_CLASS, RUSSIAN_LOWER, UPPER_CLASS


def test_the_nine_letters_of_kazakh_alone():
    assert len(KAZAKH_ONLY) == 9 and not set(KAZAKH_ONLY) & set(RUSSIAN_LOWER)
    assert KAZAKH_ONLY_UPPER == "ӘҒҚҢӨҰҮҺІ"  # Cyrillic І (U+0406), not Latin I
    assert len(RUSSIAN_LOWER) == 33 and len(set(KK_RU_LOWER)) == 42


def test_the_classes_take_every_letter_of_a_kazakh_name():
    word = re.compile(rf"[{UPPER_CLASS}][{LOWER_CLASS}]+")
    for name in ("Әлихан", "Ғалым", "Қуаныш", "Өмірзақ", "Ұлжан", "Үміт", "Һәкім", "Іңкәр", "Ёлка", "Zhanna"):
        assert word.fullmatch(name), name
    assert not word.fullmatch("әлихан")
