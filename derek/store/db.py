"""Opening a store: which database, the engine settings per backend, and migrations.

The URL comes from, in order: the caller (`--db`), the DEREK_DB environment variable, or
a SQLite file in the user data dir (platformdirs).  A bare path is taken as a SQLite file.
SQLite runs in WAL mode (readers never block the ingest writer) with foreign keys on;
PostgreSQL URLs without a driver use psycopg 3.  Opening always runs the Alembic
migrations up to head, so an old store file is upgraded in place.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """A store that cannot be opened or used; one-line message for the user."""


def default_url() -> str:
    from platformdirs import user_data_dir

    return "sqlite:///" + str(Path(user_data_dir("derek", appauthor=False)) / "derek.sqlite")


def resolve_url(url: str | None = None) -> str:
    url = url or os.environ.get("DEREK_DB") or default_url()
    if "://" not in url:  # a plain file path
        url = "sqlite:///" + str(Path(url).expanduser().resolve())
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create(url: str | None = None) -> Engine:
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store folder for {parsed.database}: {exc.strerror}") from None
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        _check_fts5(engine)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True)
    else:
        raise StoreError(f"unsupported database {parsed.get_backend_name()!r} (use sqlite or postgresql)")
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    # a 100k-article store is ~4 GB (bench/store_bench.py): SQLite's default 2 MB page cache
    # makes most index inserts and lookups a read; 32 MB per connection and memory-mapped
    # reads keep the hot index pages in memory
    cur.execute("PRAGMA cache_size=-32768")
    cur.execute("PRAGMA mmap_size=1073741824")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _check_fts5(engine: Engine) -> None:
    import sqlite3

    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        raise StoreError("this Python's SQLite has no FTS5; use a PostgreSQL URL with --db") from None
    finally:
        con.close()


# newest revision in migrations/versions; a test checks it matches Alembic's head.  Knowing
# it lets an up-to-date store open without importing Alembic (~0.5 s of CLI start-up).
HEAD = "0005"


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest schema (no-op when it is already there)."""
    from sqlalchemy.exc import DBAPIError

    try:
        if current_revision(engine) == HEAD:
            return
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except DBAPIError as exc:
        msg = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open the store {engine.url.render_as_string(hide_password=True)}: {msg}") from None
