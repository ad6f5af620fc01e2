import codecs
import json
import subprocess
import sys

import pytest

from derek.io import InputError, decode, read_bytes, read_path
from derek.schema import validate_document

from conftest import SEED, SHARED, needs_seed

KK = "Қазақстан мен Ресей арасындағы тауар айналымы өсті. Әкім Өскеменге барды."


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-c", "from derek.cli import main; main()", *args],
                          capture_output=True, text=True, input=stdin, timeout=120)


@pytest.mark.parametrize("data,enc", [
    (KK.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + KK.encode("utf-8"), "utf-8-sig"),
    (KK.encode("utf-16"), "utf-16"),
    (KK.encode("utf-16-le"), "utf-16-le"),
    (KK.encode("utf-16-be"), "utf-16-be"),
    (KK.encode("kz1048"), "kz1048"),
])
def test_decode_encodings(data, enc):
    text, got = decode(data)
    assert text == KK
    assert got == enc


def test_decode_cp1251_russian():
    ru = "Казахстан и Россия подписали соглашение о сотрудничестве в области энергетики."
    text, enc = decode(ru.encode("cp1251"))
    assert text == ru


@pytest.mark.parametrize("data", [b"", b"   \n\t ", bytes(range(256)) * 20, b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 500])
def test_bad_bytes(data):
    with pytest.raises(InputError):
        read_bytes(data, name="x")


def test_html_through_trafilatura():
    html = ("<html><head><title>Теңге бағамы әлсіреді</title></head><body><nav>Басты бет</nav>"
            "<article><h1>Теңге бағамы әлсіреді</h1><p>Апта соңында ұлттық валюта біраз құнсызданып, "
            "бір доллар 549,07 теңге тұрды деп жазды биржа сарапшысы.</p>"
            "<p>Сарапшының сөзінше, бағам алдағы айларда да құбылуы мүмкін, өйткені мұнай бағасы төмендеді.</p>"
            "</article><footer>© 2025</footer></body></html>")
    src = read_bytes(html.encode(), name="page.html", html=True)
    assert src.is_html
    assert "549,07" in src.text and "<p>" not in src.text
    assert src.text.splitlines()[0] == "Теңге бағамы әлсіреді"


@needs_seed
def test_cli_json_valid():
    out = run_cli("analyze", str(SEED), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    validate_document(data)
    assert data["meta"]["author"] == "Темірхан Айжан"


@needs_seed
def test_cli_jsonl_many(tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("Тақырып\n\nАлматыда 5 мың адам жиналды.", encoding="utf-8")
    out = run_cli("analyze", str(SEED), str(other), "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])["meta"]["headline"] == "Тақырып"


def test_cli_stdin():
    out = run_cli("analyze", "-", "--format", "json", stdin="Бас тақырып\n\nМәтін.")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["meta"]["headline"] == "Бас тақырып"


@needs_seed
def test_cli_text_view():
    out = run_cli("analyze", str(SEED))
    assert out.returncode == 0, out.stderr
    assert "Темірхан Айжан" in out.stdout


@pytest.mark.parametrize("kind", ["missing", "dir", "empty", "binary", "unreadable"])
def test_cli_bad_input_exit_2(tmp_path, kind):
    path = tmp_path / "x.txt"
    if kind == "dir":
        path = tmp_path
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 40)
    elif kind == "unreadable":
        path.write_text("мәтін", encoding="utf-8")
        path.chmod(0)
    out = run_cli("analyze", str(path))
    if kind == "unreadable" and out.returncode == 0:
        pytest.skip("running as a user that reads mode-0 files (root)")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    err = out.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("derek: error:")


@needs_seed
def test_cli_json_needs_one_file():
    out = run_cli("analyze", str(SEED), str(SEED), "--format", "json")
    assert out.returncode == 2 and "jsonl" in out.stderr


def test_read_path_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


@pytest.mark.parametrize("args", [("analyze", "--format", "foo", str(SEED)), ("no-such-command",), ("analyze",)])
def test_cli_usage_errors_exit_2(args):
    out = run_cli(*args)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr


# -- the example that ships with derek (no ../shared needed) -----------------------------
def test_example_is_the_reference_article():
    import derek

    text = derek.example()
    assert text == SEED.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("Путиннің сапары")
    shared_seed = SHARED / "seed" / "000.txt"
    if shared_seed.is_file():  # the package's copy has not drifted from the shared one
        assert text == shared_seed.read_text(encoding="utf-8")


def test_cli_analyze_example():
    out = run_cli("analyze", "--example")
    assert out.returncode == 0, out.stderr
    assert "Темірхан Айжан" in out.stdout and "Путиннің сапары" in out.stdout
    assert "notice" not in out.stderr  # a Kazakh article: nothing left out
    data = json.loads(run_cli("analyze", "--example", "--format", "json").stdout)
    validate_document(data)
    assert data["meta"]["source"] == "<example>" and data["meta"]["language"] == "kk"
    assert data["entities"] and data["quotes"] and data["claims"]


def test_cli_check_example():
    out = run_cli("check", "--example", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)  # the example's claims


@pytest.mark.parametrize("command", ["analyze", "check"])
def test_cli_nothing_to_read_is_one_line(command):
    out = run_cli(command)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["derek: error: give an article file, '-' for standard input, or --example"]


def test_cli_russian_article_notice(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_text("Правительство утвердило план развития сельского хозяйства\n\n"
                    "В Мажилисе прошло заседание, на котором депутаты обсудили поправки в Бюджетный кодекс.\n\n"
                    "По словам министра, расходы на субсидии вырастут до 1,5 трлн тенге в следующем году.\n",
                    encoding="utf-8")
    out = run_cli("analyze", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    err = out.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("derek: notice: ") and "Russian" in err[0]
    data = json.loads(out.stdout)
    assert data["meta"]["language"] == "ru" and data["meta"]["language_notice"] in err[0]
    assert data["entities"] == [] and data["quantities"] == [] and data["claims"] == []


def test_cli_check_russian_article_says_why_it_has_no_claims(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_text("Правительство утвердило план\n\n"
                    "В Мажилисе прошло заседание, на котором депутаты обсудили поправки в Бюджетный кодекс.\n",
                    encoding="utf-8")
    out = run_cli("check", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
    assert out.stderr.startswith("derek: notice: ") and "Russian" in out.stderr
