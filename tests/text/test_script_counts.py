"""detect_script's word counts are computed per letter run (one scan, remembered per run);
they must equal the counts of the five whole-word patterns they replace, on any text."""
from hypothesis import given, settings, strategies as st

from derek.text import script as S

_ALPHABET = list("абвгдежзийклмнопрстуфхцчшщъыьэюяёАБВЩЪЁИВНәғқңөұүһіӘҚ") + \
    list("abcxyzİıé ,.-_1²\n\u0301ᲀ") + ["\u0482", "\u0483"]


def _by_patterns(text: str) -> tuple[int, int, int]:
    return (len(S._CYR_WORD.findall(text)), len(S._KK_WORD.findall(text)),
            len(S._RU_ENDING.findall(text)) + len(S._RU_LETTER_WORD.findall(text))
            + len(S._RU_FUNC.findall(text)))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET + [" и ", " ИЗ ", " которые ", " красивый ", " қазақ "]),
                max_size=40).map("".join))
def test_word_counts_equal_the_patterns(text):
    assert S._word_counts(text) == _by_patterns(text)


def test_word_counts_on_a_written_example():
    text = "Президент и министр сказал, что қазақ тілі — красивый. Щука, объём; ᲀ 2024 жылы."
    assert S._word_counts(text) == _by_patterns(text)
    assert S._word_counts(text)[1] == 2  # қазақ, тілі
