"""What a batch analyzes: files, folders and JSONL records, each with a stable id.

Ids decide what a re-run skips, so they must not depend on the run:

* a JSONL record with an "id" field  -> that id (as a string);
* a JSONL record without one         -> "sha1:" + SHA-1 of its "text" (or "html") field;
* a file (given or found in a folder) -> its absolute path, undecodable bytes escaped
  (\\xNN) so the id is valid UTF-8.

Enumeration is a cheap first pass that keeps only references (path, byte offset of the
line), never the article text, so millions of inputs fit in memory; `load` reads one
reference's content when it is about to be submitted.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from derek.io import InputError, iter_jsonl, parse_record, read_file_bytes, shown

# file suffixes a folder walk takes as articles / as JSONL record files
ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


@dataclass(frozen=True)
class Ref:
    """One input document: where it is, not what it says."""

    id: str
    path: str
    offset: int = -1  # byte offset of the JSONL line; -1 for a whole file
    lineno: int = 0
    # set when enumeration already knows the input is bad (e.g. invalid JSON line)
    error: str | None = None


def file_id(path: str | os.PathLike) -> str:
    raw = os.fsencode(os.path.abspath(path))
    return raw.decode("utf-8", errors="backslashreplace")


def content_id(content: str) -> str:
    return "sha1:" + hashlib.sha1(content.encode("utf-8", errors="surrogatepass")).hexdigest()


def enumerate_inputs(inputs: Iterable[str | os.PathLike], exclude: Iterable[str] = ()) -> Iterator[Ref]:
    """Refs for every document under `inputs`, in a stable order.  A top-level input that
    does not exist or is not a file/folder raises InputError (a usage mistake, exit 2);
    problems inside folders or files become per-document errors instead.  Files in
    `exclude` (the batch's own output, when it sits in an input folder) are passed over."""
    skip = {os.path.realpath(p) for p in exclude}
    for item in inputs:
        path = os.fspath(item)
        if path == "" or not os.path.lexists(path):
            raise InputError(f"{shown(path) or '<empty>'}: no such file or folder")
        if os.path.isdir(path):
            yield from _walk(path, skip)
        elif _is_records(path):
            yield from records_in(path, strict=True)
        else:
            read_file_bytes_check(path)
            yield Ref(file_id(path), path)


def read_file_bytes_check(path: str) -> None:
    """Raise InputError now for a top-level path that is not a readable regular file."""
    import stat

    try:
        st = os.stat(path)
    except OSError:
        read_file_bytes(path)  # raises the precise one-line error
        return
    if not stat.S_ISREG(st.st_mode) or not os.access(path, os.R_OK):
        read_file_bytes(path)


def _is_records(path: str) -> bool:
    return Path(path).suffix.lower() in RECORD_SUFFIXES


def _walk(folder: str, skip: set[str]) -> Iterator[Ref]:
    # followlinks=False: a symlink loop or a link to / cannot make the walk endless
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if skip and os.path.realpath(path) in skip:
                continue
            suffix = Path(name).suffix.lower()
            if suffix in RECORD_SUFFIXES:
                yield from records_in(path, strict=False)
            elif suffix in ARTICLE_SUFFIXES:
                yield Ref(file_id(path), path)


def records_in(path: str, strict: bool) -> Iterator[Ref]:
    """One Ref per non-blank line of a JSONL file; a line that is not a JSON object with
    "text" or "html" becomes a Ref carrying its error."""
    try:
        if strict:
            read_file_bytes_check(path)
        fh = open(path, "rb")
    except InputError as exc:
        if strict:
            raise
        yield Ref(file_id(path), path, error=str(exc))
        return
    except OSError as exc:
        yield Ref(file_id(path), path, error=f"{shown(path)}: cannot read ({exc.strerror or exc})")
        return
    with fh:  # the same line walk as `derek ingest` (derek.io.iter_jsonl)
        for start, lineno, record in iter_jsonl(fh):
            if isinstance(record, InputError):
                yield Ref(f"{file_id(path)}:{lineno}", path, start, lineno, error=str(record))
                continue
            yield Ref(record_id(record), path, start, lineno)


def record_id(record: dict) -> str:
    rid = record.get("id")
    if rid is not None and not isinstance(rid, (dict, list)) and str(rid) != "":
        return str(rid)
    return content_id(record["text"] if record.get("text") is not None else record["html"])


def without_location(func, name: str, *args):
    """Call func; an InputError's leading "name: " is dropped (the id says where)."""
    try:
        return func(*args)
    except InputError as exc:
        message = str(exc)
        raise InputError(message[len(name) + 2:] if message.startswith(name + ": ") else message) from None


def load(ref: Ref) -> dict:
    """The payload a worker analyzes: {"id", "name", "text"|"data", "html", "meta"}.
    Raises InputError when the input cannot be read (message without the location: the
    batch reports failures by id)."""
    name = shown(ref.path) if ref.offset < 0 else f"{shown(ref.path)}:{ref.lineno}"
    if ref.offset < 0:
        data = without_location(read_file_bytes, shown(ref.path), ref.path)
        html = Path(ref.path).suffix.lower() in HTML_SUFFIXES
        return {"id": ref.id, "name": name, "data": data, "html": html or None,
                "meta": {"source": name}}
    with open(ref.path, "rb") as fh:
        fh.seek(ref.offset)
        record = parse_record(fh.readline())
    meta = {"source": record.get("url") or name}
    if isinstance(record.get("published"), str):
        meta["published"] = record["published"]  # checked with the page's own date (work.read_payload)
    for key in ("headline", "author"):
        if isinstance(record.get(key), str):
            meta[key] = record[key]
    payload = {"id": ref.id, "name": name, "meta": meta}
    if record.get("text") is not None:
        payload["text"] = record["text"]
    else:
        payload["data"], payload["html"] = record["html"].encode("utf-8", "surrogatepass"), True
    return payload
