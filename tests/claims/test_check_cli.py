"""`derek check` prints each claim as a block that fits the width it is given."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from derek.cli import _register, app

_register()  # the command modules register themselves on import (as `derek` does in main)

TEXT = ("2024 жылы Қазақстан мен Ресей арасындағы тауар айналымы 28 млрд теңгеге жетті. "
        "Өткен аптада депутаттар жол жүру ережесіне өзгерістер енгізетін заң жобасын мақұлдады.\n")


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [80, 100])
def test_blocks_fit_the_width(article, width):
    out = CliRunner().invoke(app, ["check", str(article), "--width", str(width)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    text = out.output
    for label in ("claim", "frame", "evidence", "rate", "verdict", "source"):
        assert any(line.startswith(label) for line in lines), label
    assert "INCONSISTENT · unit_error" in text
    assert "kz_ru_trade_turnover · KZ-RU · level · 2024 · KZT · total" in text
    assert "[news]" in text  # the row's kind is shown, not eaten as markup


def test_blocks_in_kazakh(article):
    out = CliRunner().invoke(app, ["check", str(article), "--width", "80", "--lang", "kk"])
    assert out.exit_code == 0, out.output
    assert "өлшем" in out.output and "қорытынды" in out.output


def test_json_carries_frame_and_evidence(article):
    out = CliRunner().invoke(app, ["check", str(article), "--format", "json"])
    assert out.exit_code == 0, out.output
    claims = json.loads(out.output)
    first = next(c for c in claims if c["quantity"])
    assert first["frame"]["stat_type"] == "level"
    ev = first["verdict"]["evidence"]
    assert ev["reference"]["url"] and ev["conversion"] and ev["verdict_line"]["kk"]


def test_width_too_small_is_a_usage_error(article):
    out = CliRunner().invoke(app, ["check", str(article), "--width", "10"])
    assert out.exit_code == 2
