"""Inputs for fuzzing derek and checks on what comes out (shared by the robustness tests
and bench/fuzz.py).

The text strategy mixes arbitrary Unicode with the pieces that derek's rules react to —
Kazakh words and suffixes, numerals with their separators, units, quotes of every kind,
dashes, labelled lines, datelines, Latin-script Kazakh and homoglyphs, invisible and
combining characters — so generated inputs reach deep into the extractors instead of
bouncing off the tokenizer.  All snippets are written for these tests.
"""
from __future__ import annotations

import time

from hypothesis import strategies as st

FRAGMENTS = [
    # words and phrases
    "Қазақстан", "Астана", "Алматы", "үкіметі", "министрі", "Премьер-министр", "ҚР", "ҰҚК", "АҚШ",
    "Ұлттық банк", "тауар айналымы", "өсті", "төмендеді", "жылы", "жылғы", "ның", "дың", "ға",
    "деді", "деп хабарлады", "мәлімдеді", "атап өтті", "дейді", "сөзінше", "пікірінше", "Әкім",
    "Qazaqstan", "Astana", "ükımet", "Qazaqstanda", "Kazakhstan", "Aқтөбе", "Aлмaты", "KZ",
    # numbers, units, qualifiers
    "1", "12", "2024", "1 200", "1 234 567", "3,5", "549,07", "0,0", "12.5", "1.2.3", "10-15",
    "5–7", "%", "пайыз", "млн", "млрд", "трлн", "мың", "теңге", "доллар", "$", "₸", "тонна",
    "шамамен", "кем дегенде", "астам", "дейін", "бастап", "жуық", "бір", "екі", "он бес", "жүз",
    # dates and times
    "5 наурыз 2024", "2024 жылғы 5 наурызда", "27.11.2024", "13:12", "қаңтар", "желтоқсан",
    "2023 жылдың бірінші жартысында", "өткен жылы", "биыл", "I тоқсан", "ХХІ ғасыр",
    # quotes, dashes, punctuation
    "«", "»", "„", "“", "”", '"', "'", "‹", "›", "–", "—", "-", "―", "...", "…", ".", ",", ":",
    ";", "!", "?", "(", ")", "[", "]", "/", "\\", "@", "#", "*", "•",
    # structure
    "\n", "\n\n", "\r\n", "\t", "  ", "Автор: ", "Фото: ", "Avtor: ", "Сурет: ашық дереккөз",
    "Бұл туралы Kazinform хабарлады.", "https://example.kz/a?b=1", "info@example.kz",
    # invisible, combining, odd
    "\u200b", "\u200d", "\ufeff", "\u00a0", "\u202f", "\u0301", "\u0306", "\u2028", "\u2029",
    "\x00", "\x0b", "\x0c", "\x1c", "\x85", "İ", "ß", "ﬁ", "Ⅻ", "²", "½", "٣", "߂", "𝟙", "😀",
    "\U0001f1f0\U0001f1ff", "a\u0308", "Ё", "ё", "Ө", "ө",
    "\ud800", "\udcff",  # lone surrogates: legal in a str, e.g. from a JSON "\\ud800" escape
]

# arbitrary Unicode except lone surrogates (not representable in a file of UTF-8 text)
_ANY = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(FRAGMENTS), _ANY,
                           st.sampled_from([" ", " ", "\n"])),
                 max_size=80).map("".join)


def check_offsets(doc, where: str = "") -> None:
    """Every item lies inside the text and its `text` is the exact slice (fast; no schema)."""
    n = len(doc.text)
    for item in doc.iter_items():
        a, b = item.start, item.end
        label = f"{where}{type(item).__name__}"
        assert isinstance(a, int) and isinstance(b, int), f"{label}: offsets {a!r}..{b!r} not ints"
        assert 0 <= a <= b <= n, f"{label}: span {a}..{b} outside text of length {n}"
        text = getattr(item, "text", None)
        if text is not None:
            assert doc.text[a:b] == text, f"{label}: text {text!r} != input[{a}:{b}] {doc.text[a:b]!r}"


def run_each_stage(text: str, stages=None):
    """Run the default pipeline one stage at a time, checking offsets after each stage so a
    failure names the stage that broke them.  Returns the finished Document."""
    from derek.doc import Document
    from derek.pipeline import Pipeline

    doc = Document.from_text(text)
    for st_ in (stages or Pipeline().stages):
        try:
            st_(doc)
        except Exception as exc:
            raise StageError(st_.name, text, exc) from exc
        check_offsets(doc, where=f"after stage {st_.name!r}: ")
    return doc


class StageError(AssertionError):
    def __init__(self, stage: str, text: str, exc: BaseException):
        super().__init__(f"stage {stage!r} raised {type(exc).__name__}: {exc} on input {text!r:.300}")
        self.stage, self.text, self.exc = stage, text, exc


# --- adversarial inputs: runs that make careless regexes backtrack ---------------------
def _nest(n: int) -> str:
    return "«" * (n // 2) + "сөз" + "»" * (n // 2)


ADVERSARIAL = {
    "digits": lambda n: "7" * n,
    "digit-space": lambda n: "1 " * (n // 2),
    "digit-comma": lambda n: "1," * (n // 2),
    "digit-dot": lambda n: "1." * (n // 2),
    "spaces": lambda n: "а" + " " * n + "б",
    "dashes": lambda n: "-" * n,
    "dash-words": lambda n: "сөз-" * (n // 4),
    "quotes-ascii": lambda n: '"' * n,
    "quotes-mixed": lambda n: "«“„\"'" * (n // 5),
    "open-guillemets": lambda n: "«сөз " * (n // 5),
    "nested-guillemets": _nest,
    "one-long-line": lambda n: ("Қазақстан үкіметі 12,5 млрд теңге бөлді, " * (n // 40))[:n],
    "no-spaces": lambda n: ("Қазақстан" * (n // 9))[:n],
    "newlines": lambda n: "\n" * n,
    "label-lines": lambda n: "Автор: А\n" * (n // 9),
    "abbrev-dots": lambda n: "ҚР. " * (n // 4),
    "capital-words": lambda n: "Ұлттық Банк " * (n // 12),
    "numbers-units": lambda n: "12 млн теңге 3 % " * (n // 17),
    "dates": lambda n: "5 наурыз 2024 " * (n // 14),
    "homoglyphs": lambda n: "aаoоeе" * (n // 6),
    "combining": lambda n: "а\u0301" * (n // 2),
    "zero-width": lambda n: "с\u200bөз " * (n // 5),
    "latin-kazakh": lambda n: "Qazaqstan ükımetı " * (n // 18),
    # issue 21 item 6: runs that are cheap to type and were 15x real text per byte
    "digit-run-token": lambda n: "7" * n,  # one token of n digits
    "separators": lambda n: "1 000,5 " * (n // 8),
    "plus-minus": lambda n: "+1,5% −2 " * (n // 9),
    "brackets": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "dash-space": lambda n: "– " * (n // 2),
    "digit-letter": lambda n: "1 а " * (n // 4),
    "letter-commas": lambda n: "а," * (n // 2),
    "letter-dots": lambda n: "а. " * (n // 3),
    "quoted-letters": lambda n: "«а» " * (n // 4),
    "table-cells": lambda n: "| 0.00 " * (n // 7),
}

# the kinds bench/fuzz.py --hostile times against real text, per byte
HOSTILE = ["digit-space", "digit-run-token", "digit-comma", "digit-dot", "separators", "plus-minus",
           "quotes-ascii", "quotes-mixed", "nested-guillemets", "dashes", "dash-space", "no-spaces",
           "brackets", "newlines", "table-cells", "digit-letter", "letter-commas", "letter-dots",
           "quoted-letters"]


def seconds_to_analyze(text: str, repeat: int = 2) -> float:
    """Best CPU seconds of this process (not wall time: a busy neighbour on a shared CI
    machine must not look like superlinear code), with the garbage collector paused."""
    import gc

    import derek

    best = float("inf")
    for _ in range(repeat):
        # the collector's full passes cost in proportion to everything the test session keeps
        # alive, so a large input would pay for earlier tests' objects: time the code alone
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()
            derek.analyze(text)
            best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
    return best


def _seed_text() -> str:
    """The reference article, shipped as derek's example (also run by bench/fuzz.py, outside
    pytest: so no import of the tests package)."""
    import derek

    return derek.example()


@st.composite
def seed_mutations(draw):
    """A slice of the reference article with fragments spliced in, characters dropped or
    case-flipped: realistic text that still hits the edge cases of every extractor."""
    seed = _seed_text()
    a = draw(st.integers(0, len(seed) - 1))
    b = draw(st.integers(a, min(len(seed), a + 1500)))
    text = list(seed[a:b])
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "upper", "lower"]))
        if op == "insert":
            text[at:at] = list(draw(st.sampled_from(FRAGMENTS)))
        elif text:
            end = min(len(text), at + draw(st.integers(1, 20)))
            if op == "delete":
                del text[at:end]
            else:
                text[at:end] = [c.upper() if op == "upper" else c.lower() for c in text[at:end]]
    return "".join(text)


inputs = st.one_of(texts, seed_mutations())
