"""The Kazakh Cyrillic alphabet, written once for every reader that tests letters: script and
language identification, the tokenizer's capitals, the name finders' character classes, the
encoding guess of derek.io and the NER features.

Kazakh Cyrillic is the Russian alphabet and nine letters of its own (ә ғ қ ң ө ұ ү һ і); a
word with one of them is almost never Russian.
"""
from __future__ import annotations

RUSSIAN_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KAZAKH_ONLY = "әғқңөұүһі"
KAZAKH_ONLY_UPPER = KAZAKH_ONLY.upper()  # ӘҒҚҢӨҰҮҺІ
KK_RU_LOWER = RUSSIAN_LOWER + KAZAKH_ONLY
# the inside of a regex character class: every capital / small letter of Latin and Kazakh Cyrillic
UPPER_CLASS = "A-ZА-ЯЁ" + KAZAKH_ONLY_UPPER
LOWER_CLASS = "a-zа-яё" + KAZAKH_ONLY
