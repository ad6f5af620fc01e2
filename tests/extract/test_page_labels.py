"""Credit lines of a page (derek/data/page_labels.toml): tests/data/page_label_cases.tsv."""
from __future__ import annotations

from pathlib import Path

import pytest

import derek

CASES = [line.split("\t") for line in (Path(__file__).parents[1] / "data" / "page_label_cases.tsv")
         .read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("line,author,photo", CASES, ids=[c[0] for c in CASES])
def test_credit_line(line, author, photo):
    doc = derek.analyze(f"Ауылда жаңа мектеп ашылды\n\n{line}\n\nМектепте үш жүз бала оқиды.",
                        stages=["normalize", "tokenize", "structure"])
    assert (doc.meta.author or "-", doc.meta.photo_credit or "-") == (author, photo)
