"""Reading articles: bytes -> text (encoding detection) and HTML -> main text.

Every failure a user can cause (missing path, directory, empty or binary file, an
undecodable encoding) raises `InputError` with a one-line message; the CLI prints it and
exits 2.  Nothing here imports heavy libraries unless the input is HTML.
"""
from __future__ import annotations

import codecs
import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from derek.text.alphabet import KAZAKH_ONLY, KAZAKH_ONLY_UPPER


class InputError(Exception):
    """Bad input that the user can fix; the message is one line."""


@dataclass
class Source:
    text: str
    name: str
    encoding: str
    is_html: bool = False
    # metadata extracted from HTML (title, author, date) to seed Document.meta
    meta: dict = field(default_factory=dict)


HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<\?xml[^>]*>\s*<html|<head|<body)", re.IGNORECASE)
# letters found only in KZ-1048 decodings of Kazakh text (ә ғ қ ң ө ұ ү һ і and capitals)
_KAZAKH_LETTERS = set(KAZAKH_ONLY + KAZAKH_ONLY_UPPER)
# letters that the same bytes give in cp1251 (Serbian/Macedonian), rare in Kazakh or Russian
_CP1251_ONLY = set("ЉЊЌЋЏђљњќћџ")


def read_path(path: str | os.PathLike) -> Source:
    data = read_file_bytes(path)
    html = Path(path).suffix.lower() in (".html", ".htm", ".xhtml") or bool(HTML_START.match(data[:2048]))
    return read_bytes(data, name=shown(path), html=html)


def shown(path: str | os.PathLike | bytes) -> str:
    """A path as one printable line: newlines, control characters and bytes that are not
    valid UTF-8 (kept by Python as surrogates) are escaped, so messages stay one line and
    printing them cannot raise UnicodeEncodeError."""
    s = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    if s.isprintable():
        return s
    s = os.fsencode(s).decode("utf-8", errors="backslashreplace")  # undecodable byte -> \xff
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in s)


def read_file_bytes(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file; anything else (folder, FIFO, device, socket, symlink
    loop, unreadable) raises InputError without blocking or reading endlessly."""
    import stat

    name = shown(path)
    if str(path) == "":
        raise InputError("empty path")
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{name}: is a directory (give a file, or use `derek ingest` for folders)")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{name}: not a regular file")
        # O_NONBLOCK: if the path was swapped for a FIFO after stat, open must not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError(f"{name}: not a regular file")
            return fh.read()
    except FileNotFoundError:
        what = "broken symbolic link" if os.path.islink(path) else "no such file"
        raise InputError(f"{name}: {what}") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{name}: symbolic link loop") from None
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_bytes(data: bytes, name: str = "<input>", html: bool | None = None) -> Source:
    if not data.strip():
        raise InputError(f"{name}: is empty")
    text, encoding = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    if html is None:
        html = bool(HTML_START.match(data[:2048]))
    if html:
        return _from_html(text, name, encoding)
    return Source(text=text, name=name, encoding=encoding)


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode bytes: BOMs first, then UTF-16 without BOM, UTF-8, then KZ-1048/cp1251."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(enc), name), enc
            except UnicodeDecodeError:
                raise InputError(f"{name}: invalid {enc} despite its byte-order mark") from None
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return _check_text(data.decode(enc16), name), enc16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    # single-byte Cyrillic: KZ-1048 has the Kazakh letters where cp1251 has Serbian ones
    kz, ru = data.decode("kz1048", errors="replace"), data.decode("cp1251", errors="replace")
    kz_score = sum(ch in _KAZAKH_LETTERS for ch in kz)
    ru_score = sum(ch in _CP1251_ONLY for ch in ru)
    text, enc = (kz, "kz1048") if kz_score >= ru_score and kz_score > 0 else (ru, "cp1251")
    return _check_text(text, name), enc


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # ASCII/Cyrillic in UTF-16: one byte of each pair is mostly 0x00 or 0x04
    if odd.count(0) > 0.4 * len(odd) or odd.count(4) + odd.count(0) > 0.7 * len(odd):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) or even.count(4) + even.count(0) > 0.7 * len(even):
        return "utf-16-be"
    return None


def _check_text(text: str, name: str) -> str:
    """Refuse decoded data that is mostly control characters (a binary file)."""
    sample = text[:65536]
    if not sample:
        return text
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if bad > max(8, 0.05 * len(sample)):
        raise InputError(f"{name}: looks like a binary file, not text")
    return text


def _from_html(html: str, name: str, encoding: str) -> Source:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is a dependency
        raise InputError(f"{name}: HTML input needs trafilatura (pip install trafilatura)") from None
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         include_tables=False, favor_recall=True)
    if result is None:
        raise InputError(f"{name}: no article text found in the HTML page")
    get = result.get if isinstance(result, dict) else lambda k: getattr(result, k, None)
    body = (get("text") or "").strip()
    if not body:
        raise InputError(f"{name}: no article text found in the HTML page")
    title = (get("title") or "").strip()
    # derek's structure rules read the headline from the first line, as in pasted articles
    text = f"{title}\n\n{body}\n" if title and not body.startswith(title) else body + "\n"
    meta = {"headline": title or None, "author": get("author") or None,
            "published": (get("date") or None), "source": get("url") or None}
    return Source(text=text, name=name, encoding=encoding, is_html=True,
                  meta={k: v for k, v in meta.items() if v})


def parse_record(line: bytes | str) -> dict:
    """One JSONL input record {"id", "url", "published", "text" | "html"} — the format that
    `derek ingest` and `derek batch` share.  InputError (without the location) if bad."""
    import json

    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"not valid JSON ({str(exc).splitlines()[0][:80]})") from None
    if not isinstance(record, dict):
        raise InputError("a record must be a JSON object")
    body = record.get("text") if record.get("text") is not None else record.get("html")
    if not isinstance(body, str) or not body.strip():
        raise InputError('record has no "text" or "html" string')
    return record


def iter_jsonl(source, parse=parse_record):
    """Walk a JSONL file: (byte offset, line number, record or InputError) for each
    non-blank line.  `source` is a path or a file opened in binary mode (then the caller
    handles open errors its own way; a path that cannot be opened raises OSError on the
    first step).  Only offsets are kept, so callers can enumerate millions of records and
    re-read one later with `fh.seek(offset); parse(fh.readline())`.  `parse` turns the
    line's bytes into a record and raises InputError (without location) when it is bad."""
    own = isinstance(source, (str, bytes, os.PathLike))
    fh = open(source, "rb") if own else source
    try:
        offset = 0
        for lineno, line in enumerate(fh, 1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            try:
                record = parse(line)
            except InputError as exc:
                record = exc
            yield start, lineno, record
    finally:
        if own:
            fh.close()
