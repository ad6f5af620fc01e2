"""The batch output: an append-only JSONL file, one line per analyzed article.

Each line is `{"id": ..., "document": {...}}` (the document as `derek analyze --format json`
writes it), with "id" first so a resume can read ids without parsing whole documents.

Crash safety: every line goes out in one `write` on an O_APPEND descriptor as soon as its
article is done, so a kill -9 loses at most the line being written.  On open, a torn last
line (no trailing newline) is cut off and its article is redone; ids of complete lines
are skipped.  An exclusive `flock` keeps two batches from appending to the same file.
"""
from __future__ import annotations

import json
import os
import stat
import time

from derek.io import InputError, shown

_ID_PREFIX = b'{"id": '
_DECODER = json.JSONDecoder()


class JsonlSink:
    def __init__(self, path: str | os.PathLike, fsync_every_s: float = 5.0):
        self.path = os.fspath(path)
        self.repaired_bytes = 0  # size of a torn last line cut off on open
        self.bad_lines = 0  # complete lines that are not derek output (kept, ignored)
        self.written = 0
        self._fsync_every = fsync_every_s
        self._last_sync = time.monotonic()
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a reader (it is refused below)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK, 0o644)
            os.set_blocking(self._fd, True)
        except IsADirectoryError:
            raise InputError(f"{shown(self.path)}: is a directory (give an output file)") from None
        except OSError as exc:
            raise InputError(f"{shown(self.path)}: cannot open for writing ({exc.strerror or exc})") from None
        if not stat.S_ISREG(os.fstat(self._fd).st_mode):  # a FIFO or device would hang or lie
            os.close(self._fd)
            raise InputError(f"{shown(self.path)}: output must be a regular file")
        self._lock()
        self.done_ids = self._scan()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock, single writer assumed
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            raise InputError(f"{shown(self.path)}: another batch is writing this file") from None

    def _scan(self) -> set[str]:
        """Ids of the complete lines; cut a torn last line so appends start on a new line."""
        ids: set[str] = set()
        size = os.fstat(self._fd).st_size
        good_end = 0
        with open(self.path, "rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    break  # the torn tail of a killed run
                good_end += len(line)
                if line.strip():
                    rid = line_id(line)
                    if rid is None:
                        self.bad_lines += 1
                    else:
                        ids.add(rid)
        if good_end < size:
            os.ftruncate(self._fd, good_end)
            self.repaired_bytes = size - good_end
        return ids

    def write(self, rid: str, line: str) -> None:
        """Append one finished record (`line` is its JSON, without newline) and flush it."""
        # a lone surrogate (from a JSON "\ud800" escape in the input) can only sit inside a
        # JSON string, where backslashreplace writes it back as the same valid JSON escape
        data = (line + "\n").encode("utf-8", errors="backslashreplace")
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]
        self.done_ids.add(rid)
        self.written += 1
        now = time.monotonic()
        if now - self._last_sync >= self._fsync_every:
            os.fsync(self._fd)
            self._last_sync = now

    def close(self) -> None:
        if self._fd >= 0:
            try:
                os.fsync(self._fd)
            finally:
                os.close(self._fd)  # closing releases the flock
                self._fd = -1

    def __enter__(self) -> "JsonlSink":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def line_id(line: bytes) -> str | None:
    """The "id" of an output line, read from its start without parsing the document."""
    if line.startswith(_ID_PREFIX):
        try:
            value, _ = _DECODER.raw_decode(line[: 4096].decode("utf-8", "replace"), len(_ID_PREFIX))
            if isinstance(value, str):
                return value
        except ValueError:
            pass
    try:
        value = json.loads(line).get("id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def result_line(rid: str, document: dict) -> str:
    return json.dumps({"id": rid, "document": document}, ensure_ascii=False)
