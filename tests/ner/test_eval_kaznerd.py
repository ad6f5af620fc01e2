"""The shipped model on the KazNERD test split, through `derek eval ner` (≈ 6 s of CPU).

The target is micro-F1 ≥ 0.90; the shipped ensemble (feature CRF + BiLSTM-CRF, jointly
fine-tuned) measures 0.8915 (docs/models.md; the CRF alone 0.8779), so this guards that number
with a small margin rather than asserting a target it does not reach.
"""
import subprocess
import sys

import pytest

from tests.conftest import SHARED, needs_shared

TEST = SHARED / "data" / "kaznerd" / "IOB2_test.txt"
MEASURED = 0.8915


@pytest.mark.slow
@needs_shared("data", "kaznerd", "IOB2_test.txt")
def test_eval_ner_on_kaznerd_test():
    r = subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "eval", "ner", "--test", str(TEST)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    rows = {ln.split()[0]: ln.split() for ln in lines[2:-2]}
    assert len(rows) == 25  # every KazNERD class has a row
    f1 = float(lines[-1].split()[-1])
    assert lines[-1].startswith("micro-F1 ")
    assert f1 >= MEASURED - 0.005
    assert float(rows["PERSON"][3]) >= 0.93 and float(rows["GPE"][3]) >= 0.91
