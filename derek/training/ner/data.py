"""Reading KazNERD-style IOB2 files: one `token TAG` per line, blank line between sentences."""
from __future__ import annotations

from pathlib import Path


class IOBFormatError(ValueError):
    pass


def read_iob(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """-> [(words, tags)] ; raises IOBFormatError with the line number on a malformed line."""
    sents: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if words:
                    sents.append((words, tags))
                    words, tags = [], []
                continue
            parts = line.rsplit(None, 1)
            if len(parts) != 2 or not (parts[1] == "O" or parts[1][:2] in ("B-", "I-")):
                raise IOBFormatError(f"{path}:{n}: expected 'token TAG' with an IOB2 tag, got {line[:60]!r}")
            words.append(parts[0])
            tags.append(parts[1])
    if words:
        sents.append((words, tags))
    return sents


def train_parser(doc: str) -> "argparse.ArgumentParser":
    """The command line every NER trainer starts from (`python -m derek.training.ner.X`): the
    training IOB2 file, the output model directory, an optional --test IOB2 file scored as it
    trains; the module's docstring's first line describes it."""
    import argparse

    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--test", type=Path, help="IOB2 file scored during training")
    return ap
