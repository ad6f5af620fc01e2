"""The JSON contract of `derek analyze --format json` (JSON Schema, draft 2020-12)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def document_schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("document.schema.json").read_text("utf-8"))


def validate_document(data: dict[str, Any]) -> None:
    """Raise ValueError if `data` breaks the schema or any item's offsets/text disagree."""
    import jsonschema

    try:
        jsonschema.validate(data, document_schema())
    except jsonschema.ValidationError as exc:
        raise ValueError(f"schema: {exc.message} at {list(exc.absolute_path)}") from None
    text = data["text"]
    n = len(text)

    def check(kind: str, item: dict[str, Any]) -> None:
        a, b = item["start"], item["end"]
        if not (0 <= a <= b <= n):
            raise ValueError(f"{kind}: span {a}..{b} outside text of length {n}")
        if "text" in item and item["text"] is not None and text[a:b] != item["text"]:
            raise ValueError(f"{kind}: text {item['text']!r} != input[{a}:{b}] {text[a:b]!r}")

    for layer in ("paragraphs", "sentences", "tokens", "entities", "quantities", "dates", "quotes", "claims"):
        for item in data.get(layer) or []:
            check(layer, item)
            sp = item.get("speaker") if layer == "quotes" else None
            if sp and sp.get("start") is not None:
                check("quotes.speaker", sp)
            if layer == "claims" and item.get("quantity"):
                check("claims.quantity", item["quantity"])
