"""Read queries over the store: full-text search with filters, entity pages, top
entities, and indicator timelines.  Full text runs on FTS5 (SQLite) or a tsvector GIN
index (PostgreSQL); both see the same lemmatised terms (derek.store.terms)."""
from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Float, Integer, func, literal_column, or_, select, text as sql

from derek.store.models import Article, ClaimRow, EntityCount, EntityRow, QuoteRow
from derek.store.reference import indicator_matches, reference_for
from derek.store.terms import WORD, query_groups, word_terms

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class QueryError(ValueError):
    """A malformed query parameter (one-line message)."""


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _key_filter(column, name: str, dialect: str = "sqlite"):
    """The key of `name`, or a longer name that starts with it ("ресей" -> "ресей федерациясы").
    SQLite compares text bytewise, so the prefix is a range the key index answers; LIKE
    would read every row (no index for LIKE without a NOCASE column)."""
    from derek.store.store import entity_key

    key = entity_key(name)
    if dialect == "sqlite":
        return or_(column == key, (column >= key + " ") & (column < key + "!"))
    return or_(column == key, column.like(_like_escape(key) + " %", escape="\\"))


def indicators_matching(session, indicator: str) -> list[str]:
    """The stored indicator ids that `indicator` names: itself, or ids that end in
    "_" + it ("trade_turnover" -> "kz_ru_trade_turnover").  The distinct ids are read with
    an index skip-scan (one lookup per distinct id), then matched here, so the claims are
    then fetched by `indicator IN (…)` through the index instead of a suffix LIKE over
    every claim."""
    d = sql("WITH RECURSIVE d(ind) AS (SELECT min(indicator) FROM claims UNION ALL "
            "SELECT (SELECT min(indicator) FROM claims WHERE indicator > d.ind) FROM d WHERE d.ind IS NOT NULL) "
            "SELECT ind FROM d WHERE ind IS NOT NULL")
    return [i for i in session.scalars(d) if i == indicator or i.endswith("_" + indicator)]


def check_date(value: str | None, name: str = "since") -> str | None:
    if value in (None, ""):
        return None
    if not _DATE.match(value):
        raise QueryError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value


def search(store, q: str | None = None, *, entity: str | None = None, speaker: str | None = None,
           indicator: str | None = None, since: str | None = None, until: str | None = None,
           limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    since, until = check_date(since), check_date(until, "until")
    groups = [g for g in query_groups(q or "")] if q else []
    if q and q.strip() and not groups:
        raise QueryError("the query has no words to search for")
    # first the ids of the page (the sort then carries ids and ranks only, not article
    # texts), then the rows of those ids
    stmt = select(Article.id)
    rank = None
    if groups:
        if store.dialect == "sqlite":
            match = " AND ".join("(" + " OR ".join(f'"{t}"' for t in g) + ")" for g in groups)
            fts = (sql("SELECT rowid AS id, bm25(articles_fts) AS rank FROM articles_fts "
                       "WHERE articles_fts MATCH :m").bindparams(m=match)
                   .columns(id=Integer, rank=Float).subquery("fts"))
            stmt = stmt.join(fts, fts.c.id == Article.id)
            rank = fts.c.rank.asc()
        else:
            tsq = " & ".join("(" + " | ".join(f"'{t}'" for t in g) + ")" for g in groups)
            vec = literal_column("articles.terms_tsv")  # stored, GIN-indexed (migration 0002)
            query = func.to_tsquery("simple", tsq)
            stmt = stmt.where(vec.op("@@")(query))
            rank = func.ts_rank(vec, query).desc()
    if entity:
        stmt = stmt.where(Article.id.in_(
            select(EntityRow.article_id).where(_key_filter(EntityRow.key, entity, store.dialect))))
    if speaker:
        stmt = stmt.where(Article.id.in_(
            select(QuoteRow.article_id).where(_key_filter(QuoteRow.speaker_key, speaker, store.dialect))))
    if since:
        stmt = stmt.where(Article.published >= since)
    if until:
        stmt = stmt.where(Article.published <= until + "\uffff")
    order = [rank] if rank is not None else []
    stmt = stmt.order_by(*order, Article.published.desc(), Article.id.desc())
    stmt = stmt.limit(max(1, min(int(limit), 500))).offset(max(0, int(offset)))
    terms = {t for g in groups for t in g}
    with store.session() as s:
        if indicator:
            names = indicators_matching(s, indicator)
            stmt = stmt.where(Article.id.in_(select(ClaimRow.article_id).where(ClaimRow.indicator.in_(names))))
        ids = list(s.scalars(stmt))
        rows = {r.id: r for r in s.execute(
            select(Article.id, Article.ext_id, Article.headline, Article.published, Article.outlet,
                   Article.source, Article.text).where(Article.id.in_(ids)))} if ids else {}
    return [{"id": r.id, "ext_id": r.ext_id, "headline": r.headline, "published": r.published, "outlet": r.outlet,
             "source": r.source, **snippet(r.text, terms)} for r in (rows[i] for i in ids)]


def snippet(text: str, terms: set[str], before: int = 70, after: int = 130) -> dict[str, Any]:
    """A window of the text around the first matching word; `match` gives that word's
    offsets inside the snippet (callers highlight it without re-parsing HTML)."""
    hit = None
    if terms:
        # lemmatise only words that could match (same first three letters as a term):
        # a query's snippets then cost a few lemmatizer calls, not one per word
        heads = {t[:3] for t in terms}
        for m in WORD.finditer(text):
            low = m.group().lower()
            if low in terms or (low[:3] in heads and terms.intersection(word_terms(m.group()))):
                hit = m
                break
    if hit is None:
        body = " ".join(text[: before + after].split())
        return {"snippet": body + ("…" if len(text) > before + after else ""), "match": None}
    a = max(0, hit.start() - before)
    b = min(len(text), hit.end() + after)
    while a > 0 and not text[a - 1].isspace() and hit.start() - a < before + 20:
        a -= 1
    prefix = "…" if a > 0 else ""
    raw = text[a:b].replace("\n", " ")
    start = len(prefix) + hit.start() - a
    return {"snippet": prefix + raw + ("…" if b < len(text) else ""),
            "match": [start, start + hit.end() - hit.start()]}


def top_entities(store, n: int = 20, label: str | None = None) -> list[dict[str, Any]]:
    """The most mentioned entities (by articles, then mentions), read from entity_counts."""
    c = EntityCount
    stmt = (select(c.key, c.label, c.name, c.mentions, c.articles)
            .order_by(c.articles.desc(), c.mentions.desc(), c.key).limit(max(1, min(int(n), 1000))))
    if label:
        stmt = stmt.where(c.label == label.upper())
    with store.session() as s:
        return [dict(r._mapping) for r in s.execute(stmt)]


def entity(store, canonical: str, limit: int = 50) -> dict[str, Any] | None:
    from derek.store.store import entity_key

    key = entity_key(canonical)
    with store.session() as s:
        counts = s.execute(select(EntityCount.label, EntityCount.mentions, EntityCount.name)
                           .where(EntityCount.key == key).order_by(EntityCount.mentions.desc())).all()
        labels = {label: mentions for label, mentions, _ in counts}
        quotes = s.execute(select(QuoteRow.article_id, QuoteRow.text, QuoteRow.kind)
                           .where(QuoteRow.speaker_key == key).limit(limit)).all()
        if not labels and not quotes:
            return None
        # the newest articles first: their ids from the (key, article_id) index, then the
        # article rows of the page only
        mentions = (select(EntityRow.article_id.label("aid"), func.count().label("mentions"))
                    .where(EntityRow.key == key).group_by(EntityRow.article_id).subquery())
        arts = s.execute(
            select(Article.id, Article.headline, Article.published, Article.outlet, mentions.c.mentions)
            .join(mentions, mentions.c.aid == Article.id)
            .order_by(Article.published.desc(), Article.id.desc()).limit(limit)).all()
    return {"canonical": counts[0][2] if counts else canonical, "key": key, "labels": labels,
            "mentions": sum(labels.values()),
            "articles": [dict(r._mapping) for r in arts],
            "quotes": [{"article_id": a, "text": t, "kind": k} for a, t, k in quotes]}


def timeline(store, indicator: str, limit: int = 1000) -> dict[str, Any]:
    """Claimed values of an indicator by outlet and date, beside the reference series:
    the `limit` most recently published claims, oldest first; `count` is how many the
    store holds (a corpus of 100k articles can hold tens of thousands on one indicator)."""
    limit = max(1, min(int(limit), 10_000))
    claims = []
    with store.session() as s:
        names = indicators_matching(s, indicator)
        where = ClaimRow.indicator.in_(names)
        count = s.scalar(select(func.count()).select_from(ClaimRow).where(where)) if names else 0
        stmt = (select(ClaimRow, Article.outlet, Article.published, Article.headline)
                .join(Article, Article.id == ClaimRow.article_id).where(where)
                .order_by(Article.published.desc(), ClaimRow.period.desc(), ClaimRow.id.desc()).limit(limit))
        for c, outlet, published, headline in (reversed(s.execute(stmt).all()) if names else ()):
            claims.append({
                "article_id": c.article_id, "outlet": outlet, "published": published, "headline": headline,
                "indicator": c.indicator, "period": c.period, "text": c.text, "quantity": c.quantity_text,
                "value": c.value, "value_max": c.value_max, "unit": c.unit, "qualifier": c.qualifier,
                "speaker": c.speaker, "modality": c.modality, "status": c.status, "diagnosis": c.diagnosis,
                "verdict": json.loads(c.verdict_json) if c.verdict_json else None})
    reference = reference_for(indicator)
    return {"indicator": indicator, "claims": claims, "count": count, "truncated": count > len(claims),
            "reference": reference,
            "indicators": sorted({c["indicator"] for c in claims} | {r["indicator"] for r in reference})}
