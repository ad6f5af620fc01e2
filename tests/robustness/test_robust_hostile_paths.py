"""The CLI on hostile paths: one clear line on stderr, exit 2, no traceback, no hang."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

GOOD = "Қазақстан үкіметі 2024 жылы 12 млрд теңге бөлді.\n".encode()


def derek(*args, timeout=60):
    argv = [os.fsencode(sys.executable), b"-c", b"from derek.cli import main; main()",
            *(a if isinstance(a, bytes) else os.fsencode(str(a)) for a in args)]
    return subprocess.run(argv, capture_output=True, timeout=timeout)


def assert_one_line_error(r, *needles):
    err = r.stderr.decode("utf-8")  # strict: the message itself must be valid UTF-8
    assert r.returncode == 2, (r.returncode, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("derek: error: "), err
    for needle in needles:
        assert needle in lines[0], err


@pytest.fixture
def hostile(tmp_path):
    d = os.fsencode(tmp_path)
    paths = {
        "newline": os.path.join(d, b"two\nlines.txt"),
        "nonutf8": os.path.join(d, b"caf\xe9-\xff.txt"),
        "loop": os.path.join(d, b"loop"),
        "fifo": os.path.join(d, b"fifo.txt"),
        "binary_newline": os.path.join(d, b"bin\nary.txt"),
        "unreadable": os.path.join(d, b"secret.txt"),
        "dangling": os.path.join(d, b"dangling.txt"),
    }
    for key in ("newline", "nonutf8", "unreadable"):
        with open(paths[key], "wb") as fh:
            fh.write(GOOD)
    with open(paths["binary_newline"], "wb") as fh:
        fh.write(bytes(range(32)) * 64)
    os.symlink(paths["loop"], paths["loop"])
    os.symlink(os.path.join(d, b"nowhere"), paths["dangling"])
    os.mkfifo(paths["fifo"])
    os.chmod(paths["unreadable"], 0)
    return paths


def test_odd_but_valid_names_are_read(hostile):
    for key in ("newline", "nonutf8"):
        r = derek("analyze", hostile[key], "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        assert "12" in r.stdout.decode("utf-8")


@pytest.mark.parametrize("key,needle", [
    ("loop", "symbolic link loop"),
    ("fifo", "not a regular file"),
    ("binary_newline", "bin\\nary.txt: looks like a binary file"),
    ("dangling", "broken symbolic link"),
])
def test_analyze_hostile_path(hostile, key, needle):
    assert_one_line_error(derek("analyze", hostile[key]), needle)


@pytest.mark.parametrize("path,needle", [("/dev/zero", "not a regular file"),
                                         ("/dev/null", "not a regular file"),
                                         (b"missing-\xfe\n.txt", "missing-\\xfe\\n.txt: no such file"),
                                         (".", "is a directory")])
def test_analyze_special_paths(path, needle):
    assert_one_line_error(derek("analyze", path), needle)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_analyze_unreadable(hostile):
    assert_one_line_error(derek("analyze", hostile["unreadable"]), "permission denied")


@pytest.mark.parametrize("key", ["loop", "fifo", "dangling"])
def test_batch_hostile_top_level_input(hostile, key, tmp_path):
    assert_one_line_error(derek("batch", hostile[key], "--out", tmp_path / "o.jsonl", "--workers", "0"))


@pytest.mark.parametrize("out,needle", [("/dev/null", "output must be a regular file"),
                                        ("fifo", "output must be a regular file"),
                                        ("nodir/o.jsonl", "cannot open for writing")])
def test_batch_hostile_output(hostile, tmp_path, out, needle):
    out = hostile["fifo"] if out == "fifo" else (tmp_path / out if not out.startswith("/") else out)
    assert_one_line_error(derek("batch", hostile["newline"], "--out", out, "--workers", "0"), needle)


def test_batch_folder_of_hostile_files(hostile, tmp_path):
    """Inside a folder, hostile files are per-article failures (exit 1); good ones are done."""
    out = tmp_path.parent / (tmp_path.name + "-out.jsonl")
    r = derek("batch", tmp_path, "--out", out, "--workers", "0")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and "Traceback" not in err, err
    assert "bin\\nary.txt: looks like a binary file" in err
    assert "fifo.txt: not a regular file" in err
    readable = 3 if os.geteuid() == 0 else 2  # newline and non-UTF-8 names (+ mode 000 for root)
    assert f"{readable} analyzed" in err, err
    out.read_bytes().decode("utf-8")  # ids with odd names are still valid UTF-8


def test_hostile_encodings(tmp_path):
    cases = {"utf16.txt": "Қазақстан экономикасы өсті.".encode("utf-16"),
             "kz1048.txt": "Қазақстан экономикасы өсті.".encode("kz1048"),
             "bad-utf8.txt": b"\xd2\x9a\xd0\xb0\xd0\xb7\xd0\xb0\xd2 \xff\xfe\xfd text",
             "nul-in-utf8.txt": "Қазақстан".encode() + b"\x00" * 64}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        r = derek("analyze", tmp_path / name, "--format", "jsonl")
        err = r.stderr.decode("utf-8")
        assert r.returncode in (0, 2) and "Traceback" not in err, (name, err)
        if r.returncode == 2:
            assert len(err.strip().splitlines()) == 1
