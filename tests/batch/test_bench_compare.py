"""bench/compare.py: a revision against this tree, interleaved (values are not asserted: they
depend on the machine's load; the report's shape and the clean-up are), and its refusals."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import needs_seed

ROOT = Path(__file__).resolve().parents[2]
COMPARE = ROOT / "bench" / "compare.py"
needs_git = pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout: no revision to compare")


def _worktrees() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True).stdout


@needs_seed
@needs_git
def test_compare_measures_both_versions_and_cleans_up():
    r = subprocess.run([sys.executable, str(COMPARE), "HEAD", "--rounds", "1", "--kinds", "seed", "--json"],
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    got = json.loads(r.stdout.strip().splitlines()[-1])
    seed = got["kinds"]["seed"]
    assert len(seed["before"]) == len(seed["after"]) == 1
    assert seed["before"][0] > 0 and seed["after"][0] > 0 and seed["median_ratio"] > 0
    assert "round 1" in r.stdout and "this tree" in r.stdout
    assert "derek-compare-" not in _worktrees()  # the temporary checkout is gone


def test_compare_refuses_an_unknown_kind():
    r = subprocess.run([sys.executable, str(COMPARE), "HEAD", "--kinds", "speed"], capture_output=True, text=True,
                       timeout=60, cwd=ROOT)
    assert r.returncode == 2
    assert "unknown kind" in r.stderr and "Traceback" not in r.stderr


@needs_seed
@needs_git
def test_compare_refuses_an_unknown_revision():
    r = subprocess.run([sys.executable, str(COMPARE), "no-such-revision-here"], capture_output=True, text=True,
                       timeout=60, cwd=ROOT)
    assert r.returncode == 2
    assert r.stderr.strip().startswith("compare: cannot check out") and "Traceback" not in r.stderr
    assert "derek-compare-" not in _worktrees()
