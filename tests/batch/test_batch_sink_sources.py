"""The output file (resume, torn lines, lock) and input enumeration (ids), without Dask."""
from __future__ import annotations

import json
import os

import pytest

from derek.batch.sink import JsonlSink, line_id, result_line
from derek.batch.sources import content_id, enumerate_inputs, file_id, load
from derek.io import InputError

from batchkit import write_jsonl


def test_sink_resume_and_torn_line(tmp_path):
    out = tmp_path / "out.jsonl"
    with JsonlSink(out) as sink:
        assert sink.done_ids == set()
        sink.write("a", result_line("a", {"text": "x"}))
        sink.write("b", result_line("b", {"text": "y"}))
    with open(out, "ab") as fh:  # what a kill -9 in the middle of a write leaves
        fh.write(b'{"id": "c", "document": {"te')
    with JsonlSink(out) as sink:
        assert sink.done_ids == {"a", "b"}
        assert sink.repaired_bytes == len(b'{"id": "c", "document": {"te')
        sink.write("c", result_line("c", {"text": "z"}))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a", "b", "c"]


def test_sink_refuses_second_writer(tmp_path):
    out = tmp_path / "out.jsonl"
    with JsonlSink(out):
        with pytest.raises(InputError, match="another batch"):
            JsonlSink(out)
    JsonlSink(out).close()  # the lock goes with the first sink


def test_sink_output_is_utf8_even_with_lone_surrogates(tmp_path):
    out = tmp_path / "out.jsonl"
    rid = "id-\ud800"
    with JsonlSink(out) as sink:
        sink.write(rid, result_line(rid, {"text": "a\udfffb"}))
    raw = out.read_bytes()
    raw.decode("utf-8")  # strict: the file is valid UTF-8
    back = json.loads(raw)
    assert back["id"] == rid and back["document"]["text"] == "a\udfffb"
    assert JsonlSink(out).done_ids == {rid}


def test_line_id_fast_path_and_fallback():
    assert line_id(b'{"id": "x\\"y", "document": {}}\n') == 'x"y'
    assert line_id(b'{"document": {}, "id": "late"}\n') == "late"
    assert line_id(b'{"id": "' + b"k" * 5000 + b'", "document": {}}') == "k" * 5000
    assert line_id(b"not json") is None


def test_ids_record_hash_and_path(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": 7, "text": "Бірінші мақала."},
        {"text": "Екінші мақала."},
        "{broken",
        {"id": "no-body"},
        "",
    ])
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Үшінші мақала.", encoding="utf-8")
    (tmp_path / "docs" / ".hidden.txt").write_text("жасырын", encoding="utf-8")
    (tmp_path / "docs" / "notes.pdf").write_bytes(b"%PDF")
    refs = list(enumerate_inputs([src, tmp_path / "docs"]))
    assert [r.id for r in refs[:2]] == ["7", content_id("Екінші мақала.")]
    assert refs[2].error.startswith("not valid JSON") and refs[2].id.endswith("in.jsonl:3")
    assert "no \"text\"" in refs[3].error
    assert refs[4].id == file_id(tmp_path / "docs" / "a.txt") == str(tmp_path / "docs" / "a.txt")
    assert len(refs) == 5
    payload = load(refs[0])
    assert payload["text"] == "Бірінші мақала." and payload["id"] == "7"


def test_file_id_escapes_undecodable_bytes(tmp_path):
    name = os.path.join(os.fsencode(tmp_path), b"bad-\xff-name.txt")
    with open(name, "wb") as fh:
        fh.write("Мәтін.".encode())
    (ref,) = enumerate_inputs([os.fsdecode(name)])
    assert ref.id.endswith("bad-\\xff-name.txt")
    ref.id.encode("utf-8")  # no surrogates


def test_folder_walk_survives_symlink_loop(tmp_path):
    (tmp_path / "a.txt").write_text("Мәтін.", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "loop")
    os.symlink(tmp_path / "self.txt", tmp_path / "self.txt")
    refs = list(enumerate_inputs([tmp_path]))
    ids = [r.id for r in refs]
    assert file_id(tmp_path / "a.txt") in ids
    with pytest.raises(InputError, match="symbolic link loop"):
        load(refs[ids.index(file_id(tmp_path / "self.txt"))])


def test_missing_top_level_input_is_usage_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(enumerate_inputs([tmp_path / "nope"]))
