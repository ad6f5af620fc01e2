"""bench/targets.py --quick runs end to end and reports every figure beside its target
(values are not asserted: they depend on the machine's load; the report's shape is)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import needs_seed

ROOT = Path(__file__).resolve().parents[2]


@needs_seed  # the bench measures the reference article
def test_targets_quick_reports_every_figure():
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "targets.py"), "--quick", "--json",
                        "--dask-articles", "40"], capture_output=True, text=True, timeout=400, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    figures = json.loads(r.stdout.strip().splitlines()[-1])
    for key in ("cold_start_s", "seed", "distinct", "seed_batched", "distinct_batched", "sizes", "linear_ratio",
                "peak_rss_mb", "dask"):
        assert key in figures, key
    assert figures["seed"]["cpu_articles_per_s"] > 0 and figures["seed"]["cpu_tokens_per_s"] > 0
    # the batched runs analyse the same articles: the same tokens
    per_article = {k: figures[k]["cpu_tokens_per_s"] / figures[k]["cpu_articles_per_s"] for k in ("seed", "seed_batched")}
    assert per_article["seed_batched"] == pytest.approx(per_article["seed"], rel=1e-9)
    d = figures["dask"]
    assert d["one"]["done"] == d["two"]["done"] == 40 and d["lines_written"] == [40, 40]
    assert d["one"]["failed"] == d["two"]["failed"] == 0
    assert "met" in r.stdout and "≥ 1.8×" in r.stdout and "load average" in r.stdout
    # the store/API rows are present, run or skipped with a reason
    assert "store" in r.stdout and "API p99" in r.stdout
