"""Loading of the declarative language data in derek/data (TOML/TSV), cached."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_toml(name: str) -> dict:
    with resources.files("derek.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def read_text(name: str) -> str:
    return resources.files("derek.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def month_numbers() -> dict[str, int]:
    """Lower-case month name -> 1..12, Kazakh and Russian."""
    data = load_toml("months.toml")
    return {k: v for table in data.values() for k, v in table.items()}
