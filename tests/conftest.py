from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DEREK_SHARED", ROOT.parent / "shared"))
NEWS_DEV = SHARED / "data" / "news_dev"
# the reference article ships in the package as derek's example (derek/examples/seed.txt, the
# same text as ../shared/seed/000.txt), so the tests on it run in a plain clone too
SEED = ROOT / "derek" / "examples" / "seed.txt"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"reference article not found: {SEED}")


def seed_or_skip() -> str:
    """The seed's text, or skip the calling test (a plain clone without ../shared)."""
    if not SEED.is_file():
        pytest.skip(f"reference article not found: {SEED}")
    return SEED.read_text(encoding="utf-8")


def needs_shared(*parts: str):
    """Skip (with the reason shown) when ../shared or a file in it is missing."""
    path = SHARED.joinpath(*parts)
    return pytest.mark.skipif(not path.exists(), reason=f"evaluation data not found: {path}")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return seed_or_skip()


@pytest.fixture(scope="session")
def seed_doc(seed_text):
    import derek

    return derek.analyze(seed_text)


def assert_offsets(doc) -> None:
    """Every item's text is the exact slice of the input at its offsets; JSON is schema-valid."""
    from derek.schema import validate_document

    validate_document(json.loads(doc.to_json(tokens=True)))


NAME_LABELS = frozenset({"PERSON", "ORGANISATION", "GPE", "LOCATION"})


def entity_cases(path: Path):
    """(sentence, expected) rows of an entity case file: sentence<TAB>"surface=LABEL | -surface"
    ('-': that surface must not come out as a name)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sentence, expected = line.split("\t")
            yield sentence, [e.strip() for e in expected.split("|")]


def check_entity_case(sentence: str, expected: list[str]) -> None:
    """Run `sentence` through the pipeline up to ner and check each expected entity (or absence)."""
    from derek.doc import Document
    from derek.pipeline import Pipeline

    doc = Pipeline(["normalize", "tokenize", "structure", "ner"])(Document.from_text(sentence))
    assert_offsets(doc)
    found = {(e.text, e.label) for e in doc.entities}
    names = {t for t, label in found if label in NAME_LABELS}
    for e in expected:
        if e.startswith("-"):
            assert e[1:] not in names, found
        else:
            surface, label = e.rsplit("=", 1)
            assert (surface, label) in found, found
