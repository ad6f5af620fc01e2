"""The text layer is linear in the input and light to import."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from derek.doc import Document
from derek.text.stages import normalize, tokenize

CYRILLIC = ("Бүгінде екі елдің тауар айналымы шамамен 30 млрд теңгеден асты, деп хабарлайды Zakon.kz. "
            "«Бұл 2023 ж. басталған үрдіс», – деді А. Әлназарова. Курс 536, 88 болды; 365 502 теңге.\n")
LATIN = ("Búgin Astana qalasynda 1 200 oqýshyǵa arnalǵan jańa mektep ashyldy, dep habarlaıdy Egemen.kz. "
         "«Bul – bizdiń ortaq jetistigimiz», – dedi ákim. Ińflıatsııa 8,5% boldy.\n")


def _text_layer_seconds(text: str) -> tuple[float, int]:
    doc = Document.from_text(text)
    t0 = time.perf_counter()
    normalize(doc)
    tokenize(doc)
    return time.perf_counter() - t0, len(doc.tokens)


@pytest.mark.parametrize("unit", [CYRILLIC, LATIN], ids=["cyrillic", "latin"])
def test_linear_time(unit):
    small = unit * (300_000 // len(unit))
    large = unit * (1_200_000 // len(unit))
    _text_layer_seconds(small)  # warm caches and compiled patterns
    t_small = min(_text_layer_seconds(small)[0] for _ in range(2))
    t_large, n_tokens = _text_layer_seconds(large)
    # 4x the input: allow up to 8x the time (shared, noisy CI machines), far from quadratic 16x
    assert t_large < 8 * t_small + 0.5, (t_small, t_large)
    assert n_tokens > 100_000


@pytest.mark.slow
def test_twenty_megabytes_end_to_end():
    import derek

    text = (CYRILLIC + LATIN) * (20_000_000 // len(CYRILLIC + LATIN))
    t0 = time.perf_counter()
    doc = derek.analyze(text, stages=["normalize", "tokenize", "structure"])
    elapsed = time.perf_counter() - t0
    assert len(doc.tokens) > 2_000_000
    assert doc.tokens[-1].end <= len(text)
    assert elapsed < 600


def test_cold_import_is_light():
    code = ("import sys, time; t=time.perf_counter(); import derek.text.stages, derek.text.translit, "
            "derek.text.script; dt=time.perf_counter()-t; "
            "heavy=[m for m in ('numpy','torch','trafilatura','jsonschema','sqlalchemy','pandas','dask') "
            "if m in sys.modules]; print(heavy, dt)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    heavy, seconds = out.stdout.rsplit(" ", 1)
    assert heavy == "[]"
    assert float(seconds) < 2.0


ADVERSARIAL = {
    "blank-tail": lambda n: "сөз" + "\n" * n,  # was quadratic: the blank tail was rescanned
    "spaces-tail": lambda n: "сөз " + " " * n,
    "letter-dots": lambda n: "a." * (n // 2),
    "email-like": lambda n: "x." * (n // 2) + "@",
    "mixed-word": lambda n: "бq" * (n // 2),
    "initials": lambda n: "А. " * (n // 3),
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_inputs_stay_linear(name):
    make = ADVERSARIAL[name]
    t_small = min(_text_layer_seconds(make(20_000))[0] for _ in range(2))
    t_large = _text_layer_seconds(make(80_000))[0]
    assert t_large < 8 * t_small + 0.3, (name, t_small, t_large)
