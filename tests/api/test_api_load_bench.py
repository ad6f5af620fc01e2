"""bench/api_load.py --small: starts `derek serve` on a free port over a small synthesised
store, fires a few hundred mixed requests at concurrency 50, and reports latencies with
0 errors (the full run is the issue #8 measurement; this keeps the script working)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"

from tests.conftest import needs_seed  # noqa: E402  (the benches build on the reference article)

pytestmark = needs_seed


def test_api_load_small_answers_every_request():
    res = subprocess.run([sys.executable, str(BENCH / "api_load.py"), "--small", "--articles", "300",
                          "--requests", "300", "--json"], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    figures = json.loads(res.stdout.strip().splitlines()[-1])
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["requests"] == 300 and figures["concurrency"] == 50
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert "p99 (ms)" in res.stdout and "< 100" in res.stdout
