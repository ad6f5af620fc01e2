"""The shipped reference table, its validation, and `derek stats import`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from derek.claims.indicators import lexicon
from derek.claims.reference import COLUMNS, StatsError, import_table, load_table, parse_rows, user_table_path

HEADER = ",".join(COLUMNS)
GOOD = HEADER + "\nkz_test_series,2024,12.5,,approx,million,person,,,Our own test source,https://example.org/a,high,\n"


def run_cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, DEREK_STATS_DIR=str(env_dir))
    return subprocess.run([sys.executable, "-c",
                           "from derek.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_shipped_table_is_clean_and_sourced():
    table = load_table()
    assert len(table.rows) >= 80
    for r in table.rows:
        assert r.source and (r.url or "github" in r.source), r
        assert r.unit == "date" or r.value is not None
    # exchange rates for every year 2019-2025, both currencies
    for cur in ("USD", "RUB"):
        years = {r.period for r in table.rows_for(f"{cur.lower()}_kzt_rate")}
        assert {str(y) for y in range(2019, 2026)} <= years
    # the seed's three references
    assert any(r.base == 28e9 and r.currency == "USD" for r in table.rows_for("kz_ru_trade_turnover"))
    assert any(r.base == 23000 and r.qualifier == "more_than" for r in table.rows_for("kz_ru_companies"))
    assert any(r.base == 93 for r in table.rows_for("kz_ru_joint_projects"))


def test_at_least_25_indicators_with_both_scripts():
    inds = lexicon().indicators
    assert len(inds) >= 25
    for ind in inds.values():
        assert ind.phrases and ind.phrases_latn, ind.id
        assert all(not any("a" <= ch <= "z" for ch in p) for p in ind.phrases if p not in ("ввп",)), ind.id


def test_every_indicator_has_reference_rows():
    """An indicator that sentences bind to but no row can check is a dead end: each one of
    indicators.toml (but for the events and eur_kzt_rate, kept for conversions to come) has
    rows.  The table may hold more series than indicators.toml names (shown by `derek stats`)."""
    table = load_table()
    empty = [i for i, ind in lexicon().indicators.items()
             if ind.measure != "event" and not table.rows_for(i) and i != "eur_kzt_rate"]
    assert not empty, empty


def test_plan_rows_are_labelled_and_never_facts():
    table = load_table()
    plans = [r for r in table.rows if r.kind == "plan"]
    assert plans and all(r.kind in {"official", "news", "mirror", "derived", "plan"} for r in table.rows)
    assert any("target" in r.indicator or "plan" in r.indicator for r in plans)


@pytest.mark.parametrize("body,needle", [
    ("kz_x,2024,~12,,exact,one,person,,,src,u,high,", "row 1 (line 2): value '~12' is not a plain number"),
    ("kz_x,2024,12,,exact,one,person,,,,u,high,", "row 1 (line 2): empty 'source'"),
    ("kz_x,24th May,12,,exact,one,person,,,src,u,high,", "row 1 (line 2): period '24th May'"),
    ("kz_x,2024,12,,exact,bn,person,,,src,u,high,", "row 1 (line 2): scale 'bn'"),
    ("kz_x,2024,12,,exact,one,money,,,src,u,high,", "needs a currency code"),
    ("Bad Id,2024,12,,exact,one,person,,,src,u,high,", "lower_snake_case"),
    ("kz_x,2024,12,,roughly,one,person,,,src,u,high,", "qualifier 'roughly'"),
])
def test_malformed_rows_are_named(body, needle):
    with pytest.raises(StatsError) as err:
        parse_rows(HEADER + "\n" + body + "\n", "mine.csv")
    assert needle in str(err.value)
    assert str(err.value).startswith("mine.csv")


def test_second_bad_row_is_named(tmp_path):
    good_row = GOOD.splitlines()[1]
    text = HEADER + "\n" + good_row + "\n" + good_row.replace("12.5", "twelve") + "\n"
    with pytest.raises(StatsError, match=r"row 2 \(line 3\)"):
        parse_rows(text, "x.csv")


def test_import_merges_and_a_bad_file_leaves_the_table_intact(tmp_path, monkeypatch):
    monkeypatch.setenv("DEREK_STATS_DIR", str(tmp_path / "stats"))
    load_table.cache_clear()
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    n, path = import_table(good)
    assert n == 1 and path == user_table_path() and path.exists()
    before = path.read_bytes()
    assert [r.origin for r in load_table().rows_for("kz_test_series")] == ["user"]
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "kz_test_series,2025,oops,,exact,one,person,,,src,u,high,\n", encoding="utf-8")
    with pytest.raises(StatsError, match=r"bad.csv row 2 \(line 3\): value 'oops'"):
        import_table(bad)
    assert path.read_bytes() == before
    load_table.cache_clear()


def test_cli_import_error_is_one_line_exit_2(tmp_path):
    stats = tmp_path / "stats"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    ok = run_cli("stats", "import", str(good), env_dir=stats)
    assert ok.returncode == 0, ok.stderr
    table = stats / "user_stats.csv"
    before = table.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\nkz_y,2024,12,,exact,one,person,,,,u,high,\n", encoding="utf-8")
    res = run_cli("stats", "import", str(bad), env_dir=stats)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "row 1" in lines[0] and "source" in lines[0], res.stderr
    assert "Traceback" not in res.stderr
    assert table.read_bytes() == before
    missing = run_cli("stats", "import", str(tmp_path / "nope.csv"), env_dir=stats)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    shown = run_cli("stats", "show", "kz_test_series", env_dir=stats)
    assert shown.returncode == 0 and "Our own test source" in shown.stdout
    unknown = run_cli("stats", "show", "no_such_series", env_dir=stats)
    assert unknown.returncode == 2


def test_conversion_uses_the_years_rate():
    table = load_table()
    usd, rows = table.convert(30e9, "KZT", "USD", 2024)
    assert 63.5e6 < usd < 64.5e6 and rows[0].period == "2024"
    usd25, _ = table.convert(30e9, "KZT", "USD", 2025)
    assert 57e6 < usd25 < 58e6
    rub, rows = table.convert(1e6, "USD", "RUB", 2024)
    assert abs(rub - 1e6 * 469.0 / 5.07) < 1e5 and len(rows) == 2


def test_broken_user_table_is_a_one_line_error_everywhere(tmp_path):
    stats = tmp_path / "stats"
    stats.mkdir()
    (stats / "user_stats.csv").write_text(HEADER + "\nkz_y,2024,twelve,,exact,one,person,,,src,u,high,\n",
                                          encoding="utf-8")
    from tests.conftest import SEED, seed_or_skip

    seed_or_skip()
    seed = SEED
    for args in (("check", str(seed)), ("analyze", str(seed)), ("stats", "list")):
        res = run_cli(*args, env_dir=stats)
        assert res.returncode == 2, (args, res.stderr)
        assert "user_stats.csv row 1 (line 2): value 'twelve'" in res.stderr
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
