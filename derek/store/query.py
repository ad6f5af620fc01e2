"""Read queries over the store: full-text search with filters, entity pages, top
entities, and indicator timelines.  Full text runs on FTS5 (SQLite) or a tsvector GIN
index (PostgreSQL); both see the same lemmatised terms (derek.store.terms)."""
from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Float, Integer, and_, column, func, literal_column, or_, select, table, text as sql

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


# BM25 needs every matching row's term statistics: over 100k articles a common word costs
# ~200 ms to rank (~5 µs a row).  A query matching more articles than this ranks the newest this many of
# them (by store id, i.e. arrival), which keeps every query's cost bounded; below it the
# ranking is exact.
RANK_WINDOW = 1000


# A filter admitting at most this many articles is applied as a list of their ids (read
# once); a larger one as a per-article index probe (EXISTS), so that a walk over articles
# newest first stops after a page instead of first reading tens of thousands of ids.
# Walking full-text hits, a list lookup is ~30x cheaper than a probe, so lists are used up
# to a larger size there.
SMALL_FILTER = 3000
SMALL_FILTER_FTS = 30_000


class Filter:
    """One filter: `table` rows whose `cond(column)` holds admit their `id_col` article.
    Its size (how many rows admit, counted up to SMALL_FILTER + 1) picks how it is applied."""

    def __init__(self, s, id_col, cond):
        self.id_col, self.cond = id_col, cond
        self.rows = select(id_col).where(cond(plain=False))
        capped = self.rows.limit(max(SMALL_FILTER, SMALL_FILTER_FTS) + 1).subquery()
        self.size = s.scalar(select(func.count()).select_from(capped))

    def admits(self, id_column, plain: bool = False):
        """The condition on `id_column`; `plain` (the FTS walk) spells the list form "+col IN"
        (FTS5 must not be handed the list: it would run its MATCH once per id)."""
        if self.size <= (SMALL_FILTER_FTS if plain else SMALL_FILTER):
            col = literal_column("+" + id_column.name) if plain else id_column
            return col.in_(self.rows)
        # the probe goes through the article's own rows (article_id index): "+" keeps the
        # planner from scanning the whole key range for every article instead
        return select(self.id_col).where(self.id_col == id_column, self.cond(plain=True)).exists()


def _column(col, plain: bool):
    return literal_column(f"+{col.table.name}.{col.name}") if plain else col


def _filters(s, dialect: str, entity, speaker, indicator, since, until) -> list[Filter]:
    out = []
    if entity:
        out.append(Filter(s, EntityRow.article_id,
                          lambda plain: _key_filter(_column(EntityRow.key, plain), entity, dialect)))
    if speaker:
        out.append(Filter(s, QuoteRow.article_id,
                          lambda plain: _key_filter(_column(QuoteRow.speaker_key, plain), speaker, dialect)))
    if indicator:
        names = indicators_matching(s, indicator)
        # an equality probe: the (indicator, article_id) index answers it with one seek per
        # name, so no "+" (unlike the key filters, whose prefix range it cannot seek)
        out.append(Filter(s, ClaimRow.article_id, lambda plain: ClaimRow.indicator.in_(names)))
    return out


def _article_conds(stmt, since, until, outlet=None, plain: bool = False):
    """The article-row filters (published-date range, outlet) on `stmt`, or (stmt None)
    as one condition."""
    col = _column(Article.published, plain)
    conds = ([col >= since] if since else []) + ([col <= until + "\uffff"] if until else [])
    if outlet:
        conds.append(_column(Article.outlet, plain) == outlet)
    if stmt is None:
        return and_(*conds)
    return stmt.where(*conds)


def search(store, q: str | None = None, *, entity: str | None = None, speaker: str | None = None,
           indicator: str | None = None, since: str | None = None, until: str | None = None,
           outlet: str | None = None, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """A page of articles: full-text hits ranked by relevance, or (no words) the newest
    published, with every filter applied.  `outlet` is a host or agency as the store keeps
    it (derek.store.store.outlet_name: "https://www.Kazinform.kz/x" means "kazinform.kz")."""
    from derek.store.store import outlet_name

    since, until = check_date(since), check_date(until, "until")
    outlet = outlet_name(outlet) if outlet else None
    groups = [g for g in query_groups(q or "")] if q else []
    if q and q.strip() and not groups:
        raise QueryError("the query has no words to search for")
    limit, offset = max(1, min(int(limit), 500)), max(0, int(offset))
    terms = {t for g in groups for t in g}
    with store.session() as s:
        filters = _filters(s, store.dialect, entity, speaker, indicator, since, until)
        if groups and store.dialect == "sqlite":
            ids = _fts_page(s, groups, filters, (since, until, outlet), limit, offset)
        else:
            ids = _page(s, store.dialect, groups, filters, (since, until, outlet), limit, offset)
        # then the rows of the page only (the sort above carried ids, not article texts)
        rows = {r.id: r for r in s.execute(
            select(Article.id, Article.ext_id, Article.headline, Article.published, Article.outlet,
                   Article.source, Article.text).where(Article.id.in_(ids)))} if ids else {}
    return [{"id": r.id, "ext_id": r.ext_id, "headline": r.headline, "published": r.published, "outlet": r.outlet,
             "source": r.source, **snippet(r.text, terms)} for r in (rows[i] for i in ids)]


def _fts_page(s, groups, filters, on_article, limit: int, offset: int) -> list[int]:
    """SQLite: ids of a page of FTS5 hits ranked by BM25 (then newest published), within
    the RANK_WINDOW newest matching articles; `on_article` is (since, until, outlet)."""
    match = " AND ".join("(" + " OR ".join(f'"{t}"' for t in g) + ")" for g in groups)
    fts = table("articles_fts", column("rowid", Integer))
    rowid = fts.c.rowid
    where = [sql("articles_fts MATCH :m").bindparams(m=match)] + [f.admits(rowid, plain=True) for f in filters]
    if any(on_article):  # dates and outlet are one more filter here (list or probe by its size)
        where.append(Filter(s, Article.id, lambda plain: _article_conds(None, *on_article, plain=plain)).admits(rowid, plain=True))
    window = max(RANK_WINDOW, offset + limit)
    # one statement: FTS5 walks its lists newest first and stops after the window, and BM25
    # is computed for the rows it returns only (the window's), so a common word costs its
    # window, not its every match.  (Reading the window's ids first and ranking them in a
    # second MATCH cost 10 % more in SQLite, plus the ids' round trip through Python.)
    bm25 = literal_column("bm25(articles_fts)", Float)
    hits = (select(rowid.label("id"), bm25.label("rank")).select_from(fts).where(*where)
            .order_by(rowid.desc()).limit(window).subquery("fts"))
    stmt = select(Article.id).join(hits, hits.c.id == Article.id)
    stmt = stmt.order_by(hits.c.rank.asc(), Article.published.desc(), Article.id.desc()).limit(limit).offset(offset)
    return list(s.scalars(stmt))


def _page(s, dialect: str, groups, filters, on_article, limit: int, offset: int) -> list[int]:
    """Ids of a page: PostgreSQL full text ranked by ts_rank, or (both backends) filters
    only, newest published first."""
    stmt = select(Article.id)
    order = []
    if groups:
        tsq = " & ".join("(" + " | ".join(f"'{t}'" for t in g) + ")" for g in groups)
        vec = literal_column("articles.terms_tsv")  # stored, GIN-indexed (migration 0002)
        query = func.to_tsquery("simple", tsq)
        stmt = stmt.where(vec.op("@@")(query))
        order = [func.ts_rank(vec, query).desc()]
    stmt = _article_conds(stmt, *on_article)
    for f in filters:
        stmt = stmt.where(f.admits(Article.id))
    stmt = stmt.order_by(*order, Article.published.desc(), Article.id.desc()).limit(limit).offset(offset)
    return list(s.scalars(stmt))


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


def top_entities(store, n: int = 20, label: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """The most mentioned entities (by articles, then mentions), read from entity_counts:
    names by default, or another `kind` (derek.store.kinds); `label` picks one label."""
    from derek.store.kinds import kind_condition

    c = EntityCount
    stmt = (select(c.key, c.label, c.name, c.mentions, c.articles)
            .order_by(c.articles.desc(), c.mentions.desc(), c.key).limit(max(1, min(int(n), 1000))))
    if label:
        stmt = stmt.where(c.label == label.upper())
    else:
        cond = kind_condition(c.label, kind)
        if cond is not None:
            stmt = stmt.where(cond)
    with store.session() as s:
        return [dict(r._mapping) for r in s.execute(stmt)]


def entity(store, canonical: str, limit: int = 50, kind: str | None = None) -> dict[str, Any] | None:
    """An entity's page: its labels, mentions, the articles that mention it (newest first)
    and the quotes it is the speaker of.  Only mentions under a label of `kind` count
    (names by default: "екі" has no page unless numbers are asked for); None when it has
    neither such mentions nor quotes."""
    from derek.store.kinds import kind_condition
    from derek.store.store import entity_key

    key = entity_key(canonical)
    with store.session() as s:
        of_kind = kind_condition(EntityCount.label, kind)
        counts = s.execute(select(EntityCount.label, EntityCount.mentions, EntityCount.name)
                           .where(EntityCount.key == key, *([of_kind] if of_kind is not None else []))
                           .order_by(EntityCount.mentions.desc())).all()
        labels = {label: mentions for label, mentions, _ in counts}
        quotes = s.execute(select(QuoteRow.article_id, QuoteRow.text, QuoteRow.kind)
                           .where(QuoteRow.speaker_key == key).limit(limit)).all()
        if not labels and not quotes:
            return None
        row_kind = kind_condition(EntityRow.label, kind)
        mention = [EntityRow.key == key] + ([EntityRow.label.in_(list(labels))] if row_kind is not None else [])
        if sum(n for _, n, _ in counts) > SMALL_FILTER:
            # a common entity: walk the articles newest first, probing each for the key with
            # one seek in the (key, article_id) index, and stop after a page (no GROUP BY
            # over every mention; a probe through the article's own rows cost 2-4x more)
            own = select(func.count()).where(*mention, EntityRow.article_id == Article.id).scalar_subquery()
            stmt = (select(Article.id, Article.headline, Article.published, Article.outlet, own.label("mentions"))
                    .where(select(EntityRow.article_id).where(*mention, EntityRow.article_id == Article.id).exists()))
        else:  # a rare one: its few mentions grouped by article, read from the key index
            mentions = (select(EntityRow.article_id.label("aid"), func.count().label("mentions"))
                        .where(*mention).group_by(EntityRow.article_id).subquery())
            stmt = (select(Article.id, Article.headline, Article.published, Article.outlet, mentions.c.mentions)
                    .join(mentions, mentions.c.aid == Article.id))
        arts = s.execute(stmt.order_by(Article.published.desc(), Article.id.desc()).limit(limit)).all() \
            if labels else []
    return {"canonical": counts[0][2] if counts else canonical, "key": key, "labels": labels,
            "mentions": sum(labels.values()),
            "articles": [dict(r._mapping) for r in arts],
            "quotes": [{"article_id": a, "text": t, "kind": k} for a, t, k in quotes]}


def timeline(store, indicator: str, limit: int = 200) -> dict[str, Any]:
    """Claimed values of an indicator by outlet and date, beside the reference series:
    the `limit` most recently published claims, oldest first; `count` is how many the
    store holds (a corpus of 100k articles can hold tens of thousands on one indicator)."""
    limit = max(1, min(int(limit), 10_000))
    claims = []
    with store.session() as s:
        names = indicators_matching(s, indicator)
        where = ClaimRow.indicator.in_(names)
        count = s.scalar(select(func.count()).select_from(ClaimRow).where(where)) if names else 0
        c = ClaimRow
        # plain columns, not ORM objects: a page of claims is read as tuples
        stmt = (select(c.article_id, Article.outlet, Article.published, Article.headline, c.indicator, c.period,
                       c.text, c.quantity_text.label("quantity"), c.value, c.value_max, c.unit, c.qualifier,
                       c.speaker, c.modality, c.status, c.diagnosis, c.verdict_json)
                .join(Article, Article.id == c.article_id).where(where)
                .order_by(Article.published.desc(), c.period.desc(), c.id.desc()).limit(limit))
        if count > SMALL_FILTER:
            # many claims: the page lies in the `limit` newest articles that have one (each
            # has at least one); their oldest date bounds the join to a few hundred rows
            # one seek per name in the (indicator, article_id) index for each article walked;
            # through the article's own claim rows ("+indicator") it cost 10-30 ms a timeline
            probe = select(c.article_id).where(c.indicator.in_(names), c.article_id == Article.id)
            oldest = s.scalar(select(Article.published).where(probe.exists())
                              .order_by(Article.published.desc(), Article.id.desc()).limit(1).offset(limit - 1))
            if oldest is not None:
                stmt = stmt.where(Article.published >= oldest)
        for row in (reversed(s.execute(stmt).all()) if names else ()):
            claim = row._asdict()
            verdict = claim.pop("verdict_json")
            claim["verdict"] = json.loads(verdict) if verdict else None
            claims.append(claim)
    reference = reference_for(indicator)
    return {"indicator": indicator, "claims": claims, "count": count, "truncated": count > len(claims),
            "reference": reference,
            "indicators": sorted({c["indicator"] for c in claims} | {r["indicator"] for r in reference})}
