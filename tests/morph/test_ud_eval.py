"""Lemma accuracy on UD Kazakh-KTB (both files), the issue's bar: NOUN+PROPN >= 0.95;
and the CLI that prints it."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import SHARED, needs_shared

UD = SHARED / "data" / "ud_kazakh_ktb"
DEREK = [sys.executable, "-c", "import sys; from derek.cli import main; sys.argv[0] = 'derek'; main()"]


@needs_shared("data", "ud_kazakh_ktb")
def test_ud_noun_propn_accuracy():
    from derek.morph.ud_eval import evaluate, read_conllu

    rows = [r for p in sorted(UD.glob("*.conllu")) for r in read_conllu(p)]
    assert len(rows) > 10_000
    report = evaluate(rows)
    n, ok = report.nominal
    assert ok / n >= 0.95, f"NOUN+PROPN {ok / n:.4f}"
    for pos in ("NOUN", "PROPN"):
        total, correct = report.per_pos[pos]
        assert correct / total >= 0.95, f"{pos} {correct / total:.4f}"


@needs_shared("data", "ud_kazakh_ktb")
def test_eval_lemma_cli():
    out = subprocess.run(DEREK + ["eval", "lemma", "--files",
                          str(UD / "kk_ktb-ud-train.conllu")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-1]
    assert last.startswith("NOUN+PROPN accuracy 0.9"), last


def test_eval_lemma_bad_file(tmp_path):
    out = subprocess.run(DEREK + ["eval", "lemma", "--files",
                          str(tmp_path / "missing.conllu")], capture_output=True, text=True)
    assert out.returncode == 2
    assert "cannot read" in out.stderr and "Traceback" not in out.stderr
