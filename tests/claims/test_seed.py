"""End to end on the seed: the issue's acceptance criteria, through the full pipeline."""
from __future__ import annotations

import subprocess
import sys

from derek.pipeline import DEFAULT_STAGES
from tests.conftest import SEED, assert_offsets, needs_seed

pytestmark = needs_seed


def _claims(seed_doc):
    return {(c.indicator, c.quantity.text if c.quantity else None): c for c in seed_doc.claims}


def test_claims_stage_runs_last():
    assert list(DEFAULT_STAGES)[-1] == "claims"


def test_seed_trade_turnover_is_a_unit_error(seed_doc):
    trade = [c for c in seed_doc.claims if c.indicator == "kz_ru_trade_turnover"]
    assert len(trade) == 2  # the lead line and the expert's sentence
    speakers = sorted(c.speaker for c in trade)
    assert speakers == ["author", "Дамир Белгібаев"]
    for c in trade:
        v = c.verdict
        assert (v["status"], v["diagnosis"]) == ("inconsistent", "unit_error")
        assert v["period_basis"] == "latest_reference" and c.period == "2024"
        assert v["reference"]["base_value"] == 28e9 and v["reference"]["currency"] == "USD"
        en = v["explanation"]["en"]
        assert "$64 M" in en and "$57.5 M" in en and "$28 bn" in en, en
        assert "no date" in en and "2024" in en
        assert "теңге" in v["explanation"]["kk"]


def test_seed_companies_and_projects_are_consistent(seed_doc):
    by = {c.indicator: c for c in seed_doc.claims}
    comp = by["kz_ru_companies"]
    assert comp.quantity.value == 23000 and comp.verdict["status"] == "consistent"
    assert comp.verdict["reference"]["period"] == "2024-11"
    assert comp.speaker == "Дамир Белгібаев"
    proj = by["kz_ru_joint_projects"]
    assert proj.verdict["status"] == "consistent" and proj.verdict["reference"]["value"] == 93


def test_seed_forecast_sentence_is_no_claim(seed_doc):
    """The seed's closing forecast (a sentence with "болжам") is not a claim."""
    assert "болжам" in seed_doc.text
    assert not [c for c in seed_doc.claims if "болжам" in c.text]


def test_seed_json_is_schema_valid(seed_doc):
    assert_offsets(seed_doc)


def test_check_cli_on_seed():
    res = subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "check", str(SEED)],
                         capture_output=True, text=True, timeout=120, env={"COLUMNS": "200", "PATH": ""})
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "INCONSISTENT · unit_error" in out and "CONSISTENT" in out
    # the trade turnover's evidence: the frame, the reference row and the rate it was converted at
    assert "kz_ru_trade_turnover · KZ-RU · level" in out and "$28 bn (2024)" in out and "469 KZT / USD" in out
    kk = subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", "check", "--lang", "kk",
                         "--format", "json", str(SEED)], capture_output=True, text=True, timeout=120)
    assert kk.returncode == 0 and "Өлшем бірлігі қате" in kk.stdout
