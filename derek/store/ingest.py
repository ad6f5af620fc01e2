"""Ingest: files, folders and JSONL records -> analysed articles in the store.

Each input becomes an `Item` that knows how to load its text; the text's hash is checked
against the store *before* analysis, so re-ingesting a corpus costs one read and one
lookup per article and adds nothing.  Problems are collected per input (never raised), so
one bad file does not stop the run; the caller reports them at the end.

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

from derek.io import InputError, parse_record, read_bytes, read_file_bytes, shown

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".jsonl", ".ndjson"}
SIDECARS = ("SOURCES.tsv", "sources.tsv")
_DATE = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?!\d)")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Item:
    name: str  # shown to the user
    ext_id: str | None
    load: Callable[[], tuple[str, dict]] | None  # -> (text, meta)
    error: str | None = None


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
    """One Item per non-blank JSONL line.  Enumeration keeps only the line's byte offset
    (a corpus of millions of records must not sit in memory); the record is parsed again
    when it is loaded."""
    try:
        if not os.path.isfile(path):  # a FIFO or device would block or never end
            raise InputError("not a regular file")
        if os.path.getsize(path) == 0:
            raise InputError("is empty")
        fh = open(path, "rb")
    except InputError as exc:
        yield Item(shown(path), None, None, str(exc))
        return
    except OSError as exc:
        yield Item(shown(path), None, None, f"cannot read ({exc.strerror or exc})")
        return
    with fh:
        offset = 0
        for lineno, line in enumerate(fh, 1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            where = f"{shown(path)}:{lineno}"
            try:
                record = parse_record(line)
            except InputError as exc:
                yield Item(where, None, None, str(exc))
                continue
            rid = record.get("id")
            ext_id = str(rid) if rid not in (None, "") and not isinstance(rid, (dict, list)) else None
            yield Item(where, ext_id, _record_loader(path, start, where))


def _record_loader(path: str, offset: int, where: str):
    def load() -> tuple[str, dict]:
        with open(path, "rb") as fh:
            fh.seek(offset)
            record = parse_record(fh.readline())
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
           on_total: Callable[[int], None] | None = None) -> Report:
    """Analyse and store every input; `progress(item, outcome)` is called after each one
    with outcome "added", "skipped" or "failed"."""
    import derek
    from derek.store.store import content_hash

    items = list(iter_items(paths))
    if on_total:
        on_total(len(items))
    report = Report()
    for item in items:
        outcome = "failed"
        try:
            if item.error:
                raise InputError(item.error)
            text, meta = item.load()
            if store.find_hash(content_hash(text)) is not None:
                outcome = "skipped"
            else:
                # the contract's meta.published is a full date; a partial one ("2024-02")
                # is kept for the store's date filters but not given to the analysis
                published = meta.get("published")
                if published and not _FULL_DATE.match(published):
                    meta.pop("published")
                doc = derek.analyze(text, meta=meta)
                added = store.add(doc, ext_id=item.ext_id, published=published)
                outcome = "added" if added.added else "skipped"
                report.chars += len(text)
        except InputError as exc:
            msg = str(exc)
            report.failed.append((item.name, msg.split(": ", 1)[1] if msg.startswith(item.name + ": ") else msg))
        except Exception as exc:  # an analysis or database bug: report it, keep going
            report.failed.append((item.name, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))
        if outcome == "added":
            report.added += 1
        elif outcome == "skipped":
            report.skipped += 1
        if progress:
            progress(item, outcome)
    return report
