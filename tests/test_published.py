"""The publication date as input: `--published` on analyze, check, batch and ingest, and
meta["published"] in the Python API (YYYY-MM-DD, YYYY-MM or YYYY; anything else is refused)."""
import json
import subprocess
import sys

import pytest

import derek
from derek.extract.date_parts import published_date
from derek.schema import validate_document

# my own sentences: a relative year and a dateline that disagrees with the option
TEXT = "Жаңа мектептер ашылды\n\nБиыл облыста үш жаңа мектеп салынды, деп хабарлады әкімдік.\n"
WITH_DATELINE = "Жаңа мектептер ашылды\n\n12.03.2021\n\nБиыл облыста үш жаңа мектеп салынды.\n"


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", *args],
                          capture_output=True, text=True, input=stdin, timeout=120)


@pytest.mark.parametrize("given,kept", [
    ("2024", "2024"), ("2024-03", "2024-03"), ("2024-03-05", "2024-03-05"),
    ("2024-03-05T10:15:00+05:00", "2024-03-05"), (" 2024-03-05 ", "2024-03-05"),
])
def test_published_forms(given, kept):
    assert published_date(given) == kept


@pytest.mark.parametrize("bad", ["", "yesterday", "2024-13", "2024-02-30", "05.03.2024", "24-03-05"])
def test_published_refused(bad):
    with pytest.raises(ValueError, match="date"):
        published_date(bad)


@pytest.mark.parametrize("given,kept", [("2024-20", "2024"), ("2024-13-01", "2024"), ("2024-02-30", "2024-02")])
def test_published_keeps_what_is_sound(given, kept):
    assert published_date(given, keep_known=True) == kept


@pytest.mark.parametrize("bad", ["", "yesterday", "05.03.2024", "24-03-05", "20245"])
def test_published_with_no_sound_year_is_refused_even_leniently(bad):
    with pytest.raises(ValueError):
        published_date(bad, keep_known=True)


def test_api_resolves_relative_year_against_published():
    doc = derek.analyze(TEXT, meta={"published": "2023-05-04"})
    assert doc.meta.published == "2023-05-04"
    [year] = [d for d in doc.dates if d.text.lower().startswith("биыл")]
    assert year.iso == "2023"
    validate_document(doc.to_dict())


def test_api_keeps_partial_date_and_validates():
    doc = derek.analyze(TEXT, meta={"published": "2023-05"})
    assert doc.meta.published == "2023-05"
    validate_document(doc.to_dict())


# my own sentences: relative dates of three precisions (a year, a month, a day)
RELATIVE = "Есеп берілді\n\nБиыл ауданда екі көпір салынды. Осы айда жол ашылады. Кеше әкім келді.\n"


@pytest.mark.parametrize("published,isos", [
    ("2023", ["2023", None, None]),
    ("2023-05", ["2023", "2023-05", None]),
    ("2023-05-01", ["2023", "2023-05", "2023-04-30"]),
])
def test_relative_dates_resolve_at_the_precision_published_allows(published, isos):
    doc = derek.analyze(RELATIVE, meta={"published": published})
    assert [d.iso for d in doc.dates] == isos, [(d.text, d.iso) for d in doc.dates]


def test_cli_partial_published_resolves_the_year(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(RELATIVE, encoding="utf-8")
    got = run_cli("analyze", str(path), "--format", "json", "--published", "2021")
    assert got.returncode == 0, got.stderr
    doc = json.loads(got.stdout)
    assert doc["meta"]["published"] == "2021"
    assert [(d["text"], d["iso"]) for d in doc["dates"]] == [("Биыл", "2021"), ("Осы айда", None), ("Кеше", None)]


def test_api_refuses_a_non_date():
    with pytest.raises(ValueError, match="not a date"):
        derek.analyze(TEXT, meta={"published": "last week"})
    good, bad = derek.analyze_many([TEXT, TEXT], metas=[{"published": "2022"}, {"published": "last week"}])
    assert good.meta.published == "2022" and isinstance(bad, ValueError)


def test_cli_analyze_published_wins_over_dateline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(WITH_DATELINE, encoding="utf-8")
    plain = json.loads(run_cli("analyze", str(path), "--format", "json").stdout)
    assert plain["meta"]["published"] == "2021-03-12"
    got = run_cli("analyze", str(path), "--format", "json", "--published", "2022-06-01")
    assert got.returncode == 0, got.stderr
    doc = json.loads(got.stdout)
    assert doc["meta"]["published"] == "2022-06-01"
    assert [d["iso"] for d in doc["dates"] if d["text"].lower().startswith("биыл")] == ["2022"]


def test_cli_published_with_a_bad_month_keeps_the_year_and_warns(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    got = run_cli("analyze", str(path), "--format", "json", "--published", "2023-20")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["meta"]["published"] == "2023"
    assert got.stderr.strip().startswith("derek: warning: --published")
    assert "using 2023" in got.stderr


@pytest.mark.parametrize("command", ["analyze", "check"])
def test_cli_bad_published_is_one_line_exit_2(tmp_path, command):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    got = run_cli(command, str(path), "--published", "last-week")
    assert got.returncode == 2
    assert got.stderr.strip().startswith("derek: error: --published")
    assert len(got.stderr.strip().splitlines()) == 1
    assert "Traceback" not in got.stderr


def test_cli_batch_published_is_a_fallback(tmp_path):
    records = tmp_path / "in.jsonl"
    records.write_text(
        json.dumps({"id": "own", "published": "2020-01-15", "text": TEXT}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "none", "text": TEXT}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "junk", "published": "not a date", "text": TEXT}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "month", "published": "2021-20", "text": TEXT}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    got = run_cli("batch", str(records), "--out", str(out), "--workers", "0", "--published", "2023")
    assert got.returncode == 0, got.stderr
    docs = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs[row["id"]] = row["document"]
    assert docs["own"]["meta"]["published"] == "2020-01-15"
    assert docs["none"]["meta"]["published"] == "2023"
    assert docs["junk"]["meta"]["published"] == "2023"
    assert docs["month"]["meta"]["published"] == "2021"
    years = {k: [d["iso"] for d in v["dates"] if d["text"].lower().startswith("биыл")] for k, v in docs.items()}
    assert years["own"] == ["2020"]


def test_cli_ingest_published_is_a_fallback(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    got = run_cli("ingest", str(folder), "--db", str(db), "--quiet", "--published", "2022-11-30")
    assert got.returncode == 0, got.stderr
    from derek.store import Store

    with Store(f"sqlite:///{db}") as store:
        assert store.count() == 1
        doc = store.get(1)
    assert doc["meta"]["published"] == "2022-11-30"
    assert [d["iso"] for d in doc["dates"] if d["text"].lower().startswith("биыл")] == ["2022"]
