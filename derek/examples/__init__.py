"""The example article that ships with derek (`derek.example()`, `derek analyze --example`).

seed.txt is the project's reference article (Kazakh, Cyrillic, with a Latin outlet name), the
same text as ../shared/seed/000.txt, kept here so a fresh install can be tried without the
shared evaluation data.
"""
from __future__ import annotations

from importlib import resources

NAME = "seed.txt"
SOURCE = "<example>"  # meta.source of the example, as "<stdin>" is for standard input


def example_text() -> str:
    return resources.files(__name__).joinpath(NAME).read_text(encoding="utf-8")
