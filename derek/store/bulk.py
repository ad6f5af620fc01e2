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
import operator
from dataclasses import MISSING, fields
from types import SimpleNamespace
from typing import Any, Iterable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from derek.doc import SCHEMA_ID, Document, contract_meta
from derek.store.models import Article, ClaimRow, DateRow, EntityRow, QuantityRow, QuoteRow

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
    meta = contract_meta(_fields(doc.meta))
    meta["reported_by"] = list(meta["reported_by"])
    return {"schema": SCHEMA_ID, "text": doc.text, "script": doc.script, "meta": meta,
            "paragraphs": [_fields(p) for p in doc.paragraphs], "sentences": [_fields(s) for s in doc.sentences],
            "entities": [_fields(e) for e in doc.entities], "quotes": quotes,
            "quantities": [_fields(q) for q in doc.quantities], "dates": [_fields(d) for d in doc.dates],
            "claims": claims}


# -- contract JSON in, contract JSON out, without building a Document ----------------------
_SPECS: dict[type, tuple] = {}


def _spec(cls) -> tuple:
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _SPECS[cls] = tuple((f.name, f.default, f.default_factory) for f in fields(cls))
    return spec


def _norm(cls, data) -> dict[str, Any]:
    """One item's JSON as `asdict(cls(**known keys))` would give it: declared fields in
    order, defaults filled in, unknown keys dropped; a missing required field is an error."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__.lower()} must be an object")
    out = {}
    for name, default, factory in _spec(cls):
        if name in data:
            out[name] = data[name]
        elif default is not MISSING:
            out[name] = default
        elif factory is not MISSING:
            out[name] = factory()
        else:
            raise TypeError(f"{cls.__name__.lower()} lacks {name!r}")
    return out


def _items(data: dict, name: str) -> list:
    value = data.get(name) or []
    if not isinstance(value, list):
        raise TypeError(f"{name} must be a list")
    return value


def normalise(data: dict) -> dict[str, Any]:
    """Contract JSON (e.g. a `derek batch --out` document) in exactly the form
    `Document.from_dict(data).to_dict()` gives, tokens left out — without building the
    Document (several times cheaper for the bulk ingest).  TypeError if malformed."""
    from derek.doc import Claim, DateMention, Entity, Meta, Paragraph, Quantity, Quote, Sentence, Speaker

    quotes = []
    for q in _items(data, "quotes"):
        d = _norm(Quote, q)
        d["speaker"] = _norm(Speaker, d["speaker"]) if d["speaker"] else None
        quotes.append(d)
    claims = []
    for c in _items(data, "claims"):
        d = _norm(Claim, c)
        d["quantity"] = _norm(Quantity, d["quantity"]) if d["quantity"] else None
        claims.append(d)
    meta = contract_meta(_norm(Meta, data.get("meta") or {}))
    return {"schema": SCHEMA_ID, "text": data["text"], "script": data.get("script", "cyrl"), "meta": meta,
            "paragraphs": [_norm(Paragraph, p) for p in _items(data, "paragraphs")],
            "sentences": [_norm(Sentence, x) for x in _items(data, "sentences")],
            "entities": [_norm(Entity, e) for e in _items(data, "entities")], "quotes": quotes,
            "quantities": [_norm(Quantity, q) for q in _items(data, "quantities")],
            "dates": [_norm(DateMention, d) for d in _items(data, "dates")], "claims": claims}


def spans(data: dict):
    """(layer, item) for every offset-bearing item of normalised contract JSON."""
    for name in ("paragraphs", "sentences", "entities", "quantities", "dates"):
        for item in data[name]:
            yield name, item
    for q in data["quotes"]:
        yield "quotes", q
        if q["speaker"] and q["speaker"].get("start") is not None:
            yield "speaker", q["speaker"]
    for c in data["claims"]:
        yield "claims", c
        if c["quantity"]:
            yield "claim quantity", c["quantity"]


def dict_terms(data: dict) -> str:
    """The index terms of contract JSON (the Cyrillic analysis form of its text)."""
    from derek.store.terms import WORD, analysis_text, index_terms

    text = data["text"]
    return index_terms(WORD.findall(text if data.get("script", "cyrl") == "cyrl" else analysis_text(text)))


def article_rows(data: dict, digest: str, ext_id: str | None, published: str | None,
                 terms: str | None = None) -> tuple[dict, dict]:
    """The `articles` row and the layer rows (without article_id yet) of normalised
    contract JSON."""
    from derek.store.store import entity_key, outlet_of

    m = data["meta"]
    src = m["source"]
    pub = (m["published"] or None) and str(m["published"])[:10]
    art = {"ext_id": ext_id, "content_hash": digest, "source": src,
           "url": src if src and "://" in src else None,
           "outlet": outlet_of(SimpleNamespace(source=src, reported_by=m["reported_by"])),
           "published": pub or (str(published)[:10] if published else None), "headline": m["headline"],
           "author": m["author"], "script": data["script"], "text": data["text"],
           "doc_json": json.dumps(data, ensure_ascii=False),
           "terms": terms if terms is not None else dict_terms(data), "created_at": _now()}
    layers = {
        "entities": [{"start_char": e["start"], "end_char": e["end"], "text": e["text"], "label": e["label"],
                      "canonical": e["canonical"], "key": entity_key(e["canonical"] or e["text"])}
                     for e in data["entities"]],
        "quotes": [_quote(q) for q in data["quotes"]],
        "quantities": [{"start_char": q["start"], "end_char": q["end"], "text": q["text"], "value": q["value"],
                        "value_max": q["value_max"], "unit": q["unit"], "qualifier": q["qualifier"], "per": q["per"]}
                       for q in data["quantities"]],
        "dates": [{"start_char": d["start"], "end_char": d["end"], "text": d["text"], "iso": d["iso"],
                   "relation": d["relation"]} for d in data["dates"]],
        "claims": [_claim(c) for c in data["claims"]],
    }
    return art, layers


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _quote(q) -> dict:
    from derek.store.store import entity_key

    sp = q["speaker"] or {}
    name = sp.get("canonical") or sp.get("text")
    return {"start_char": q["start"], "end_char": q["end"], "text": q["text"], "kind": q["kind"], "cue": q["cue"],
            "speaker_start": sp.get("start"), "speaker_end": sp.get("end"), "speaker_text": sp.get("text"),
            "speaker_canonical": sp.get("canonical"), "speaker_key": entity_key(name) if name else None}


def _claim(c) -> dict:
    q, v = c["quantity"] or {}, c["verdict"] or {}
    return {"start_char": c["start"], "end_char": c["end"], "text": c["text"], "subject": c["subject"],
            "indicator": c["indicator"], "period": c["period"] and str(c["period"]), "speaker": c["speaker"],
            "modality": c["modality"], "value": q.get("value"), "value_max": q.get("value_max"),
            "unit": q.get("unit"), "qualifier": q.get("qualifier"), "quantity_text": q.get("text"),
            "status": v.get("status"), "diagnosis": v.get("diagnosis"),
            "verdict_json": json.dumps(c["verdict"], ensure_ascii=False) if c["verdict"] else None}


def add_many(store, entries: Iterable[tuple[dict, str | None, str | None, str | None]]) -> list[tuple[int, bool]]:
    """Store (normalised contract JSON, index terms or None, ext_id, fallback published)
    entries in one transaction; returns (article id, added) per entry, in order.  A text
    already stored (or given twice) is not added again: its entry gets the existing id
    and added=False."""
    from derek.store.store import content_hash

    prepared = [(content_hash(data["text"]), data, terms, ext_id, published)
                for data, terms, ext_id, published in entries]
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


def _named_insert(table) -> str:
    cols = [c.name for c in table.columns]
    return f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"


_SQLITE_INSERTS: dict[str, str] = {}


def _sqlite_insert(conn, table, rows: list[dict]) -> None:
    """executemany straight on the DB-API cursor: no per-row SQLAlchemy compilation."""
    stmt = _SQLITE_INSERTS.get(table.name)
    if stmt is None:
        stmt = _SQLITE_INSERTS[table.name] = _named_insert(table)
    cols = [c.name for c in table.columns]
    if "created_at" in cols:  # the text form SQLAlchemy's SQLite DateTime writes and reads
        rows = [{**r, "created_at": r["created_at"].strftime("%Y-%m-%d %H:%M:%S.%f")} for r in rows]
    get = [operator.itemgetter(c) if c != "id" else (lambda r: r.get("id")) for c in cols]
    conn.exec_driver_sql(stmt, [tuple(g(r) for g in get) for r in rows])


_UPSERT_COUNTS = {
    True: "INSERT INTO entity_counts (key, label, name, mentions, articles) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (key, label) DO UPDATE SET name = max(name, excluded.name), "
          "mentions = mentions + excluded.mentions, articles = articles + excluded.articles",
    False: "INSERT INTO entity_counts (key, label, name, mentions, articles) VALUES (%s, %s, %s, %s, %s) "
           "ON CONFLICT (key, label) DO UPDATE SET name = GREATEST(entity_counts.name, excluded.name), "
           "mentions = entity_counts.mentions + excluded.mentions, articles = entity_counts.articles + excluded.articles",
}


def count_entities(conn, sqlite: bool, per_article: list[list[dict]]) -> None:
    """Add the entity rows of new articles to entity_counts (same transaction)."""
    counts: dict[tuple[str, str], list] = {}
    for ents in per_article:
        seen = set()
        for r in ents:
            k = (r["key"], r["label"])
            name = r["canonical"] or r["text"]
            c = counts.get(k)
            if c is None:
                counts[k] = [name, 1, 1]
            else:
                c[0] = max(c[0], name) if c[0] is not None and name is not None else c[0] or name
                c[1] += 1
                c[2] += k not in seen
            seen.add(k)
    if counts:
        conn.exec_driver_sql(_UPSERT_COUNTS[sqlite], [(k, lb, n, m, a) for (k, lb), (n, m, a) in counts.items()])


def _write(store, prepared, rows) -> list[tuple[int, bool]]:
    sqlite = store.dialect == "sqlite"
    with store.engine.begin() as conn:
        if sqlite:
            # a write as the transaction's first statement takes SQLite's write lock now
            # (waiting on the busy timeout), so the hash check below cannot go stale and
            # the ids handed out below are free
            conn.exec_driver_sql("DELETE FROM articles WHERE 0")
        digests = list(dict.fromkeys(p[0] for p in prepared))
        known: dict[str, int] = {}
        for i in range(0, len(digests), 500):  # stay under SQLite's bound-parameter limit
            part = digests[i:i + 500]
            known.update(conn.execute(select(Article.content_hash, Article.id)
                                      .where(Article.content_hash.in_(part))).all())
        new: list[str] = []
        seen: set[str] = set()
        for digest, data, terms, ext_id, published in prepared:
            if digest in known or digest in seen:
                continue
            seen.add(digest)
            if digest not in rows:
                rows[digest] = article_rows(data, digest, ext_id, published, terms)
            new.append(digest)
        added: dict[str, int] = {}
        if new and sqlite:
            top = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM articles").scalar()
            added = {d: top + 1 + k for k, d in enumerate(new)}
            _sqlite_insert(conn, Article.__table__, [{**rows[d][0], "id": added[d]} for d in new])
        elif new:
            ids = conn.execute(insert(Article.__table__).returning(Article.__table__.c.id, sort_by_parameter_order=True),
                               [rows[d][0] for d in new]).scalars().all()
            added = dict(zip(new, ids))
        for name, table in LAYER_TABLES.items():
            batch = [{**r, "article_id": added[d]} for d in new for r in rows[d][1][name]]
            if batch and sqlite:
                _sqlite_insert(conn, table, batch)
            elif batch:
                conn.execute(insert(table), batch)
        if new and sqlite:
            conn.exec_driver_sql("INSERT INTO articles_fts(rowid, terms) VALUES (?, ?)",
                                 [(added[d], rows[d][0]["terms"]) for d in new])
        count_entities(conn, sqlite, [rows[d][1]["entities"] for d in new])
    out, first = [], set()
    for digest, *_ in prepared:
        if digest in added and digest not in first:
            first.add(digest)
            out.append((added[digest], True))
        else:
            out.append((known.get(digest) or added[digest], False))
    return out
