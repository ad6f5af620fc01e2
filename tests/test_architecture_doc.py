"""docs/architecture.md's stage table says what the stages declare (derek.pipeline's registry)."""
from __future__ import annotations

from pathlib import Path

from derek.pipeline import DEFAULT_STAGES, load_stage

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def cells(text: str) -> list[str]:
    return [c.strip() for c in text.strip().strip("|").split("|")]


def layers(cell: str) -> tuple[str, ...]:
    return () if cell in ("—", "") else tuple(x.strip() for x in cell.split(","))


def test_the_stage_table_is_the_registry():
    lines = DOC.read_text(encoding="utf-8").splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("| stage |"))
    rows = []
    for ln in lines[head + 2:]:
        if not ln.startswith("|"):
            break
        rows.append(cells(ln))
    assert [r[0] for r in rows] == list(DEFAULT_STAGES)  # every stage, in pipeline order
    for name, module, requires, optional, assigns, kazakh, uses in rows:
        st = load_stage(name)
        assert module == st.func.__module__.replace(".", "/") + ".py", name
        assert layers(requires) == st.requires, name
        assert layers(optional) == st.optional, name
        assert layers(assigns) == st.assigns, name
        assert (kazakh == "yes") == st.kazakh, name
        assert layers(uses) == st.uses, name
