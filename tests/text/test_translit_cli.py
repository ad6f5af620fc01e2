"""`derek translit`: both directions, -o, and one-line errors with exit 2."""
from __future__ import annotations

import subprocess
import sys

DEREK = [sys.executable, "-c", "import sys; from derek.cli import main; sys.argv[0] = 'derek'; main()"]


def run(*args, stdin=None):
    return subprocess.run(DEREK + list(args), capture_output=True, text=True, input=stdin, timeout=60)


def test_to_latin_2018_and_2021(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Қазақстан Республикасы жүйесіндегі өзгеріс\n", encoding="utf-8")
    out = run("translit", "--to", "latn2018", str(f))
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Qazaqstan Respýblıkasy júıesindegi ózgeris\n"
    out = run("translit", "--to", "latn2021", str(f))
    assert out.stdout == "Qazaqstan Respublikasy jüiesındegı özgerıs\n"


def test_to_cyrillic_detects_alphabet_and_writes_file(tmp_path):
    f = tmp_path / "l.txt"
    f.write_text("Avtor: Ajar Ǵınııat\nBúgin dep habarlaıdy Zakon.kz.\n", encoding="utf-8")
    dest = tmp_path / "out.txt"
    out = run("translit", "--to", "cyrl", str(f), "-o", str(dest))
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert dest.read_text(encoding="utf-8") == "Автор: Ажар Ғиният\nБүгін деп хабарлайды Zakon.kz.\n"


def test_informal_source_option(tmp_path):
    f = tmp_path / "i.txt"
    f.write_text("Wlttıq bank şotında saqtalatın boladı.", encoding="utf-8")
    out = run("translit", "--to", "cyrl", "--from", "informal", str(f))
    assert out.stdout == "Ұлттық банк шотында сақталатын болады.\n"


def test_stdin():
    out = run("translit", "--to", "latn2021", "-", stdin="Шымкент")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Şymkent\n"


def test_errors_are_one_line_exit_2(tmp_path):
    missing = run("translit", "--to", "cyrl", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "Traceback" not in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = run("translit", "--to", "cyrl", str(empty))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    bad = run("translit", "--to", "latn1929", str(empty))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    combo = run("translit", "--to", "latn2018", "--from", "informal", str(tmp_path / "x"))
    assert combo.returncode == 2 and "Traceback" not in combo.stderr
