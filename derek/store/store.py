"""The corpus store: write analysed Documents, read them back, search and aggregate.

One transaction per article (or per chunk, `add_many`): the article row, its layer rows and
its full-text entry are committed together or not at all, so a crash mid-ingest leaves no half article.  An
article is identified by the SHA-256 of its exact text; adding the same text again is a
no-op that returns the existing id.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, func, insert, select, text as sql
from sqlalchemy.orm import Session, sessionmaker

from derek.doc import Document
from derek.store import db
from derek.store.models import Article, EntityCount, EntityRow
from derek.store.terms import word_terms, WORD


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def entity_key(name: str) -> str:
    """Lower-cased form with the last word lemmatised: "Ресейдің" and "Ресей" share a key,
    as do "Ресей Федерациясының" and "Ресей Федерациясы"."""
    words = WORD.findall(name)
    if not words:
        return name.strip().lower()
    last = word_terms(words[-1])[-1]
    return " ".join([w.lower() for w in words[:-1]] + [last])


def outlet_of(meta) -> str | None:
    """Where an article was published: the URL's host, else the agency credited, else
    None (unknown).  A file name is no outlet: "028.txt" told a reader nothing and split one
    unknown outlet into as many as there were files."""
    src = meta.source or ""
    if "://" in src:
        return outlet_name(src)
    if meta.reported_by:
        return meta.reported_by[0]
    return None


def outlet_name(value: str) -> str | None:
    """An outlet as the store keeps it: a URL's host, lower-cased, without "www.";
    "https://www.Kazinform.kz/news/1" and "kazinform.kz" are both "kazinform.kz".  A
    name that is not a URL or a host (an agency, "Kazinform") is kept as it is."""
    value = (value or "").strip()
    if not value:
        return None
    if "://" in value:
        host = (urlsplit(value).hostname or "").rstrip(".")
    elif re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/.*)?", value):
        host = urlsplit("//" + value).hostname or ""
    else:
        return value
    host = host.lower()
    return (host[4:] if host.startswith("www.") else host) or None


@dataclass
class Added:
    id: int
    added: bool  # False: the same text was already stored


class Store:
    def __init__(self, url: str | None = None):
        self.url = db.resolve_url(url)
        self.engine = db.create(self.url)
        db.migrate(self.engine)
        self.dialect = self.engine.dialect.name
        # _stored's statement in the driver's own placeholder style (sqlite3: ?, psycopg: %s)
        self._by_id = ("SELECT doc_json, outlet FROM articles WHERE id = "
                       + ("?" if self.engine.dialect.paramstyle == "qmark" else "%s"))
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def session(self) -> Session:
        return self._session()

    # -- writing -------------------------------------------------------------------------
    def find_hash(self, digest: str) -> int | None:
        with self.session() as s:
            return s.scalar(select(Article.id).where(Article.content_hash == digest))

    def add(self, doc: Document, ext_id: str | None = None, published: str | None = None) -> Added:
        """Store an analysed document (one transaction).  `published` is a fallback date,
        possibly partial (YYYY or YYYY-MM), for when the document's meta has none."""
        from derek.store.bulk import add_many, plain_dict
        from derek.store.terms import document_terms

        [(article_id, added)] = add_many(self, [(plain_dict(doc), document_terms(doc), ext_id, published)])
        return Added(article_id, added)

    def add_many(self, entries) -> list[Added]:
        """Store many (contract JSON normalised by derek.store.bulk.normalise, index terms
        or None, ext_id, published) entries in one transaction (see bulk.py)."""
        from derek.store.bulk import add_many

        return [Added(i, a) for i, a in add_many(self, entries)]

    def delete(self, article_id: int) -> bool:
        with self.session() as s, s.begin():
            art = s.get(Article, article_id)
            if art is None:
                return False
            keys = list(s.scalars(select(EntityRow.key).where(EntityRow.article_id == article_id).distinct()))
            if self.dialect == "sqlite":
                s.execute(sql("DELETE FROM articles_fts WHERE rowid = :id"), {"id": article_id})
            s.delete(art)
            s.flush()
            if keys:  # recount the entities this article mentioned, from what is left
                s.execute(delete(EntityCount).where(EntityCount.key.in_(keys)))
                s.execute(insert(EntityCount).from_select(
                    ["key", "label", "name", "mentions", "articles"],
                    select(EntityRow.key, EntityRow.label, func.max(func.coalesce(EntityRow.canonical, EntityRow.text)),
                           func.count(), func.count(EntityRow.article_id.distinct()))
                    .where(EntityRow.key.in_(keys)).group_by(EntityRow.key, EntityRow.label)))
        return True

    # -- reading -------------------------------------------------------------------------
    def count(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count(Article.id))) or 0

    def get(self, article_id: int) -> dict[str, Any] | None:
        """The stored contract JSON of an article, with its store id and outlet added."""
        row = self._stored(article_id)
        return None if row is None else _decoded(row, article_id)

    def get_json(self, article_id: int) -> str | None:
        """`get` as JSON text, without decoding the stored document: the API's article
        reads, the most frequent uncached request, spent ~0.3 ms of their ~0.9 ms in
        json.loads and json.dumps of the whole article (bench/api_load.py)."""
        row = self._stored(article_id)
        if row is None:
            return None
        spliced = with_store_fields(row.doc_json, article_id, row.outlet)
        if spliced is None:  # not the layout to_dict writes: the general path
            return json.dumps(_decoded(row, article_id), ensure_ascii=False, allow_nan=False)
        return spliced

    def _stored(self, article_id: int):
        """(doc_json, outlet) of an article, or None."""
        # the API's uncached article reads are all this, on its event loop: a fixed statement
        # handed to the driver takes 60 µs (100k store, pages cached), where building and
        # compiling a Core select took 140 µs and the ORM's identity-map load 1.1 ms
        with self.engine.connect() as con:
            return con.exec_driver_sql(self._by_id, (int(article_id),)).first()

    def document(self, article_id: int) -> Document | None:
        data = self.get(article_id)
        return document_from_dict(data) if data else None


    # queries live in derek.store.query to keep this module small
    def search(self, *args, **kwargs):
        from derek.store.query import search

        return search(self, *args, **kwargs)

    def top_entities(self, *args, **kwargs):
        from derek.store.query import top_entities

        return top_entities(self, *args, **kwargs)

    def entity(self, *args, **kwargs):
        from derek.store.query import entity

        return entity(self, *args, **kwargs)

    def timeline(self, *args, **kwargs):
        from derek.store.query import timeline

        return timeline(self, *args, **kwargs)


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def _decoded(row, article_id: int) -> dict[str, Any]:
    data = json.loads(row.doc_json)
    data["id"] = article_id
    data.setdefault("meta", {})["outlet"] = row.outlet
    return data


def with_store_fields(doc_json: str, article_id: int, outlet: str | None) -> str | None:
    """The stored contract JSON with the store's fields added (`id` first, `meta.outlet`),
    as `get` returns them, re-encoding only the small meta object: the top-level keys are
    walked with the C scanner up to "meta" (Document.to_dict writes it fourth, before the
    layers).  None when that walk fails or the JSON holds NaN/Infinity (which `get` would
    refuse to encode): callers then decode the whole document."""
    if "NaN" in doc_json or "Infinity" in doc_json or not doc_json.startswith("{"):
        return None
    try:
        i = _SPACE.match(doc_json, 1).end()
        while doc_json.startswith('"', i):
            key, i = _DECODER.raw_decode(doc_json, i)
            i = _SPACE.match(doc_json, i).end()
            if not doc_json.startswith(":", i):
                return None
            start = _SPACE.match(doc_json, i + 1).end()
            value, end = _DECODER.raw_decode(doc_json, start)
            if key == "meta":
                if not isinstance(value, dict) or '"id"' in doc_json[:start]:
                    return None
                value["outlet"] = outlet
                return (f'{{"id": {int(article_id)}, ' + doc_json[1:start]
                        + json.dumps(value, ensure_ascii=False) + doc_json[end:])
            i = _SPACE.match(doc_json, end).end()
            if not doc_json.startswith(",", i):
                return None
            i = _SPACE.match(doc_json, i + 1).end()
    except ValueError:
        return None
    return None


def document_from_dict(data: dict[str, Any]) -> Document:
    """A stored article's JSON (extra keys `id`, `meta.outlet` allowed) as a Document."""
    return Document.from_dict(data)
