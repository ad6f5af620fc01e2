"""Writing many analysed Documents at once: one transaction per chunk, executemany inserts.

`Store.add` (one article) and the fast ingest of already-analysed JSONL both go through
`add_many`, so there is one write path.  Why it is fast: the rows are plain dicts given to
SQLAlchemy Core's executemany (no ORM unit of work), the contract JSON is built without
`dataclasses.asdict`'s deep copies (`plain_dict`), the existence check is one
`content_hash IN (…)` query per chunk, and the FTS rows go in with one executemany.

Atomicity is per chunk: articles, layer rows and FTS entries of a chunk commit together or
not at all (kill -9 leaves whole articles only).  Idempotence: the content hash is
checked inside the write transaction; on SQLite the transaction takes the write lock
before that check, so two ingesters on one file cannot both add the same text; on
PostgreSQL a unique-key race rolls the chunk back and it is retried against the new state.
"""
from __future__ import annotations

import json
from dataclasses import fields
from typing import Any, Iterable

from sqlalchemy import insert, select, text as sql
from sqlalchemy.exc import IntegrityError

from derek.doc import SCHEMA_ID, Document
from derek.store.models import Article, ClaimRow, DateRow, EntityRow, QuantityRow, QuoteRow
from derek.store.terms import document_terms

LAYER_TABLES = {"entities": EntityRow.__table__, "quotes": QuoteRow.__table__,
                "quantities": QuantityRow.__table__, "dates": DateRow.__table__, "claims": ClaimRow.__table__}
_RETRIES = 5


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _fields(obj) -> dict[str, Any]:
    """A dataclass's fields as a dict, in declaration order (what asdict gives for flat
    items), without the deep copy; attributes a stage may have set besides the declared
    fields are left out, as asdict leaves them out."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {n: getattr(obj, n) for n in names}


def plain_dict(doc: Document) -> dict[str, Any]:
    """`doc.to_dict()` (without tokens) built by copying attribute dicts: the same JSON,
    ~10x cheaper than dataclasses.asdict's recursive deep copy."""
    quotes = []
    for q in doc.quotes:
        d = _fields(q)
        d["speaker"] = _fields(q.speaker) if q.speaker is not None else None
        quotes.append(d)
    claims = []
    for c in doc.claims:
        d = _fields(c)
        d["quantity"] = _fields(c.quantity) if c.quantity is not None else None
        claims.append(d)
    meta = _fields(doc.meta)
    meta["reported_by"] = list(meta["reported_by"])
    return {"schema": SCHEMA_ID, "text": doc.text, "script": doc.script, "meta": meta,
            "paragraphs": [_fields(p) for p in doc.paragraphs], "sentences": [_fields(s) for s in doc.sentences],
            "entities": [_fields(e) for e in doc.entities], "quotes": quotes,
            "quantities": [_fields(q) for q in doc.quantities], "dates": [_fields(d) for d in doc.dates],
            "claims": claims}


def article_rows(doc: Document, digest: str, ext_id: str | None, published: str | None) -> tuple[dict, dict]:
    """The `articles` row and the layer rows (without article_id yet) of one document."""
    from derek.store.store import entity_key, outlet_of

    m = doc.meta
    pub = (m.published or None) and str(m.published)[:10]
    art = {"ext_id": ext_id, "content_hash": digest, "source": m.source,
           "url": m.source if m.source and "://" in m.source else None, "outlet": outlet_of(m),
           "published": pub or (str(published)[:10] if published else None), "headline": m.headline,
           "author": m.author, "script": doc.script, "text": doc.text,
           "doc_json": json.dumps(plain_dict(doc), ensure_ascii=False), "terms": document_terms(doc),
           "created_at": _now()}
    layers = {
        "entities": [{"start_char": e.start, "end_char": e.end, "text": e.text, "label": e.label,
                      "canonical": e.canonical, "key": entity_key(e.canonical or e.text)} for e in doc.entities],
        "quotes": [_quote(q) for q in doc.quotes],
        "quantities": [{"start_char": q.start, "end_char": q.end, "text": q.text, "value": q.value,
                        "value_max": q.value_max, "unit": q.unit, "qualifier": q.qualifier, "per": q.per}
                       for q in doc.quantities],
        "dates": [{"start_char": d.start, "end_char": d.end, "text": d.text, "iso": d.iso, "relation": d.relation}
                  for d in doc.dates],
        "claims": [_claim(c) for c in doc.claims],
    }
    return art, layers


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _quote(q) -> dict:
    from derek.store.store import entity_key

    sp = q.speaker
    name = sp and (sp.canonical or sp.text)
    return {"start_char": q.start, "end_char": q.end, "text": q.text, "kind": q.kind, "cue": q.cue,
            "speaker_start": sp and sp.start, "speaker_end": sp and sp.end, "speaker_text": sp and sp.text,
            "speaker_canonical": sp and sp.canonical, "speaker_key": entity_key(name) if name else None}


def _claim(c) -> dict:
    q, v = c.quantity, c.verdict or {}
    return {"start_char": c.start, "end_char": c.end, "text": c.text, "subject": c.subject,
            "indicator": c.indicator, "period": c.period and str(c.period), "speaker": c.speaker,
            "modality": c.modality, "value": q and q.value, "value_max": q and q.value_max,
            "unit": q and q.unit, "qualifier": q and q.qualifier, "quantity_text": q and q.text,
            "status": v.get("status"), "diagnosis": v.get("diagnosis"),
            "verdict_json": json.dumps(c.verdict, ensure_ascii=False) if c.verdict else None}


def add_many(store, entries: Iterable[tuple[Document, str | None, str | None]]) -> list[tuple[int, bool]]:
    """Store (doc, ext_id, fallback published) entries in one transaction; returns
    (article id, added) per entry, in order.  A text already stored (or given twice) is
    not added again: its entry gets the existing id and added=False."""
    from derek.store.store import content_hash

    prepared = []
    for doc, ext_id, published in entries:
        digest = content_hash(doc.text)
        prepared.append((digest, doc, ext_id, published))
    if not prepared:
        return []
    rows: dict[str, tuple[dict, dict]] = {}
    for attempt in range(_RETRIES):
        try:
            return _write(store, prepared, rows)
        except IntegrityError:  # PostgreSQL: a concurrent writer stored one of these texts first
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _write(store, prepared, rows) -> list[tuple[int, bool]]:
    sqlite = store.dialect == "sqlite"
    with store.engine.begin() as conn:
        if sqlite:
            # a write as the transaction's first statement takes SQLite's write lock now
            # (waiting on the busy timeout), so the hash check below cannot go stale
            conn.execute(sql("DELETE FROM articles WHERE 0"))
        digests = list(dict.fromkeys(d for d, *_ in prepared))
        known: dict[str, int] = {}
        for i in range(0, len(digests), 500):  # stay under SQLite's bound-parameter limit
            part = digests[i:i + 500]
            known.update(conn.execute(select(Article.content_hash, Article.id)
                                      .where(Article.content_hash.in_(part))).all())
        new: list[str] = []
        for digest, doc, ext_id, published in prepared:
            if digest in known or digest in new:
                continue
            if digest not in rows:
                rows[digest] = article_rows(doc, digest, ext_id, published)
            new.append(digest)
        if new:
            ids = conn.execute(insert(Article.__table__).returning(Article.__table__.c.id, sort_by_parameter_order=True),
                               [rows[d][0] for d in new]).scalars().all()
            added = dict(zip(new, ids))
            for name, table in LAYER_TABLES.items():
                batch = [{**r, "article_id": added[d]} for d in new for r in rows[d][1][name]]
                if batch:
                    conn.execute(insert(table), batch)
            if sqlite:
                conn.execute(sql("INSERT INTO articles_fts(rowid, terms) VALUES (:id, :terms)"),
                             [{"id": added[d], "terms": rows[d][0]["terms"]} for d in new])
        else:
            added = {}
    out, first = [], set()
    for digest, *_ in prepared:
        if digest in added and digest not in first:
            first.add(digest)
            out.append((added[digest], True))
        else:
            out.append((known.get(digest) or added[digest], False))
    return out
