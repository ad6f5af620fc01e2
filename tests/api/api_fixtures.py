"""Fixtures for the API tests (imported by them; see tests/store/store_fixtures.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

# the hand-built documents live with the store tests
STORE_TESTS = str(Path(__file__).resolve().parents[1] / "store")
if STORE_TESTS not in sys.path:
    sys.path.append(STORE_TESTS)

from docfactory import API_TOKEN as TOKEN  # noqa: E402


@pytest.fixture
def api(tmp_path):
    """(TestClient, Store) on a fresh SQLite store, storing enabled with TOKEN."""
    from fastapi.testclient import TestClient

    from derek.api import create_app
    from derek.store import Store

    store = Store(f"sqlite:///{tmp_path / 'api.sqlite'}")
    with TestClient(create_app(store=store, token=TOKEN, max_bytes=200_000)) as client:
        yield client, store
    store.close()
