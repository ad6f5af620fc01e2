"""Ingest: files, folders and JSONL records -> analysed articles in the store.

Two kinds of input:

* raw articles (text/HTML files, JSONL `{"id","url","published","text"|"html"}`): the
  text's hash is checked against the store *before* analysis, so re-ingesting a corpus
  costs one read and one lookup per article and adds nothing; analysis may run in
  several processes (`workers`), the store is written by this one.
* already-analysed documents (JSONL lines of `derek batch --out`, `{"id", "document":
  {"schema": "derek.document/1", …}}`, or bare contract JSON as `derek analyze --format
  json` prints it): checked (offsets must match the text) and stored without
  re-analysis, in chunks of one transaction each (derek.store.bulk) — the fast path.

Inputs are streamed (a JSONL line is parsed once, while its chunk is being written), so a
corpus of millions of records never sits in memory.  Problems are collected per input
(never raised), so one bad record does not stop the run; the caller reports them at the end.

A folder may carry a SOURCES.tsv sidecar (columns `file`, `source` or `url`, `date` or
`published`) that supplies each file's URL and publication date.
"""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from derek.doc import SCHEMA_ID
from derek.io import InputError, iter_jsonl, parse_record, read_bytes, read_file_bytes, shown

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".jsonl", ".ndjson"}
SIDECARS = ("SOURCES.tsv", "sources.tsv")
_DATE = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?!\d)")


@dataclass
class Item:
    name: str  # shown to the user
    ext_id: str | None
    load: Callable[[], tuple[str, dict]] | None  # -> (text, meta)
    error: str | None = None
    # an already-analysed document (contract JSON); stored as it is, without analysis
    document: dict | None = None


@dataclass
class Report:
    added: int = 0
    skipped: int = 0  # already stored (same text)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chars: int = 0


def iter_items(paths) -> Iterator[Item]:
    for p in paths:
        path = os.fspath(p)
        if path == "" or not os.path.lexists(path):
            yield Item(shown(path) or "<empty>", None, None, "no such file or folder")
        elif os.path.isdir(path):
            yield from _walk(path)
        elif Path(path).suffix.lower() in RECORD_SUFFIXES:
            yield from _records(path)
        else:
            yield _file_item(path)


def _walk(folder: str) -> Iterator[Item]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            suffix = Path(name).suffix.lower()
            if name.startswith(".") or name in SIDECARS:
                continue
            path = os.path.join(root, name)
            if suffix in RECORD_SUFFIXES:
                yield from _records(path)
            elif suffix in ARTICLE_SUFFIXES:
                yield _file_item(path)


def _file_item(path: str) -> Item:
    def load() -> tuple[str, dict]:
        data = read_file_bytes(path)
        html = Path(path).suffix.lower() in (".html", ".htm", ".xhtml") or None
        src = read_bytes(data, name=shown(path), html=html)
        meta = {"source": shown(path)}
        meta.update(_sidecar(str(Path(path).resolve().parent)).get(Path(path).name, {}))
        meta.update({k: v for k, v in src.meta.items() if v})
        return src.text, meta

    return Item(shown(path), os.path.abspath(path), load)


def _records(path: str) -> Iterator[Item]:
    """One Item per non-blank JSONL line, parsed once (the caller consumes Items as a
    stream, so only the records of the chunk being written are in memory)."""
    try:
        _check_records_file(path)
        fh = open(path, "rb")
    except InputError as exc:
        yield Item(shown(path), None, None, str(exc))
        return
    except OSError as exc:
        yield Item(shown(path), None, None, f"cannot read ({exc.strerror or exc})")
        return
    with fh:
        for _offset, lineno, record in iter_jsonl(fh, parse_line):
            where = f"{shown(path)}:{lineno}"
            if isinstance(record, InputError):
                yield Item(where, None, None, str(record))
                continue
            document = analysed_document(record)
            rid = record.get("id")
            ext_id = str(rid) if rid not in (None, "") and not isinstance(rid, (dict, list)) else None
            if document is not None:
                yield Item(where, ext_id, None, document=document)
            else:
                yield Item(where, ext_id, _record_loader(record, where))


def _check_records_file(path: str) -> None:
    if not os.path.isfile(path):  # a FIFO or device would block or never end
        raise InputError("not a regular file")
    if os.path.getsize(path) == 0:
        raise InputError("is empty")


def analysed_document(record: dict) -> dict | None:
    """The contract JSON in a record, if it is an analysed document: a `derek batch --out`
    line {"id", "document": {...}} or a bare document; None for a raw-text record."""
    doc = record.get("document")
    if isinstance(doc, dict) and doc.get("schema") == SCHEMA_ID:
        return doc
    if record.get("schema") == SCHEMA_ID:
        return record
    return None


def parse_line(line: bytes) -> dict:
    """A JSONL line as a record: an analysed document, or a raw record checked by
    derek.io.parse_record (the format `derek batch` reads too)."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return parse_record(line)  # raises the shared one-line message
    if isinstance(record, dict) and analysed_document(record) is not None:
        return record
    return parse_record(line)


def document_of(data: dict) -> dict:
    """Contract JSON normalised (derek.store.bulk.normalise), refused (InputError) unless
    every item's offsets lie in the text and slice it to the item's own text."""
    from derek.store.bulk import normalise, spans

    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError('analysed document has no "text"')
    try:
        doc = normalise(data)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        raise InputError(f"not a derek document ({str(exc)[:80]})") from None
    n = len(text)
    for layer, item in spans(doc):
        start, end = item.get("start"), item.get("end")
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= n):
            raise InputError(f"{layer} offsets {start!r}..{end!r} outside the text")
        own = item.get("text")
        if own is not None and text[start:end] != own:
            raise InputError(f"{layer} {str(own)[:40]!r} does not match the text at {start}..{end}")
    return doc


def _record_loader(record: dict, where: str):
    def load() -> tuple[str, dict]:
        meta = {"source": record.get("url") if isinstance(record.get("url"), str) else where}
        if isinstance(record.get("text"), str) and record["text"].strip():
            text = record["text"]
        else:
            src = read_bytes(record["html"].encode("utf-8", "surrogatepass"), name=where, html=True)
            text = src.text
            meta.update({k: v for k, v in src.meta.items() if v and k != "source"})
        pub = record.get("published")
        if isinstance(pub, str) and _DATE.match(pub):
            meta["published"] = _DATE.match(pub).group(1)
        for key in ("headline", "author"):
            if isinstance(record.get(key), str):
                meta[key] = record[key]
        return text, meta

    return load


def count_items(paths) -> int:
    """How many Items `iter_items` will yield, cheaply (JSONL lines are counted, not parsed)."""
    n = 0
    for p in paths:
        path = os.fspath(p)
        if path == "" or not os.path.lexists(path):
            n += 1
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    suffix = Path(name).suffix.lower()
                    if name.startswith(".") or name in SIDECARS:
                        continue
                    if suffix in RECORD_SUFFIXES:
                        n += _count_lines(os.path.join(root, name))
                    elif suffix in ARTICLE_SUFFIXES:
                        n += 1
        elif Path(path).suffix.lower() in RECORD_SUFFIXES:
            n += _count_lines(path)
        else:
            n += 1
    return n


def _count_lines(path: str) -> int:
    try:
        _check_records_file(path)
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except (InputError, OSError):
        return 1


@lru_cache(maxsize=256)
def _sidecar(folder: str) -> dict[str, dict]:
    for name in SIDECARS:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh, delimiter="\t"))
        except (OSError, UnicodeDecodeError, csv.Error):
            return {}
        out = {}
        for row in rows:
            meta = {}
            src = (row.get("source") or row.get("url") or "").strip()
            if "://" in src:
                meta["source"] = src
            m = _DATE.match(row.get("published") or row.get("date") or "")
            if m:
                meta["published"] = m.group(1)
            if row.get("file"):
                out[row["file"].strip()] = meta
        return out
    return {}


def ingest(store, paths, *, progress: Callable[[Item, str], None] | None = None,
           on_total: Callable[[int], None] | None = None, workers: int = 1, chunk: int = 200,
           published: str | None = None, ner=None) -> Report:
    """Store every input (analysing raw ones); `progress(item, outcome)` is called after
    each one with outcome "added", "skipped" or "failed".  `workers` > 1 analyses raw
    articles in that many processes; `chunk` analysed documents share a transaction;
    `published` dates raw articles that carry no date of their own; `ner` is the NER model
    raw articles are tagged with (derek.load's `ner`: "ensemble", "crf", a model directory, a
    NerChoice)."""
    from derek.store.ingest_run import Runner

    if on_total:
        on_total(count_items(paths))
    with Runner(store, progress, workers, chunk, published, ner) as run:
        for item in iter_items(paths):
            run.take(item)
    return run.report
