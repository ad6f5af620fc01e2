"""Store fixtures (imported by the test modules; not a conftest.py, so the top-level
tests/conftest.py stays the only module named `conftest`): every store test runs on SQLite and on a real PostgreSQL server.

PostgreSQL: DEREK_TEST_PG_URL or postgresql://derek:derek@127.0.0.1:5432/derek_test
(.ci/system-deps creates that role and database).  Each test gets its own schema, dropped
afterwards.  Outside CI an unreachable server skips the PostgreSQL variants with the
reason; in CI (CI=true) it fails them, so a broken database setup cannot pass silently.
"""
from __future__ import annotations

import os
import uuid

import pytest


PG_URL = os.environ.get("DEREK_TEST_PG_URL", "postgresql://derek:derek@127.0.0.1:5432/derek_test")


def pg_available() -> str | None:
    """None when the test server answers, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        return f"no PostgreSQL server at {PG_URL} ({str(exc).strip().splitlines()[0][:120]}); run .ci/system-deps or set DEREK_TEST_PG_URL"


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url():
    why = pg_available()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(schema)
    finally:
        with psycopg.connect(plain, autocommit=True) as con:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'derek.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url):
    from derek.store import Store

    st = Store(store_url)
    yield st
    st.close()


@pytest.fixture
def filled(store):
    """The store with docfactory's corpus in it; returns (store, {key: article id})."""
    from docfactory import corpus

    ids = {key: store.add(doc, ext_id=key).id for key, doc in corpus().items()}
    return store, ids
