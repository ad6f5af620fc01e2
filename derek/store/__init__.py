"""derek's corpus store: analysed articles in SQLite (default) or PostgreSQL, searchable.

    >>> from derek.store import Store
    >>> with Store("sqlite:///news.sqlite") as st:
    ...     st.add(derek.analyze(text))
    ...     st.search("Ресейдің", since="2024")
"""
from derek.store.db import StoreError, default_url, resolve_url
from derek.store.query import QueryError
from derek.store.store import Added, Store, content_hash

__all__ = ["Store", "StoreError", "QueryError", "Added", "content_hash", "default_url", "resolve_url"]
