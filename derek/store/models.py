"""SQLAlchemy 2 models: one row per article plus one table per layer.

The article keeps its full contract JSON (`doc_json`) so GET /articles/{id} returns exactly
what `derek analyze --format json` printed; the layer tables are the queryable copy of the
same facts (filters, timelines, entity pages).  Offsets are stored as start_char/end_char
("end" is a reserved word in SQL).  The schema itself is created by the Alembic migrations
in derek/store/migrations, not by `metadata.create_all`.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, DateTime
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # the caller's id (JSONL "id", file path); not unique: the same text under two names is one article
    ext_id: Mapped[str | None] = mapped_column(String(512), index=True)
    # SHA-256 of the exact text: ingest is idempotent by it
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(256), index=True)
    published: Mapped[str | None] = mapped_column(String(10), index=True)  # YYYY-MM-DD
    headline: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    script: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    doc_json: Mapped[str] = mapped_column(Text)
    # lemmatised search terms (see terms.py); the FTS5 table / tsvector index read this
    terms: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    entities: Mapped[list["EntityRow"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    quotes: Mapped[list["QuoteRow"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    quantities: Mapped[list["QuantityRow"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    dates: Mapped[list["DateRow"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    claims: Mapped[list["ClaimRow"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class _Span:
    """Columns every layer row has: its article and its offsets into the article text."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    start: Mapped[int] = mapped_column("start_char", Integer)
    end: Mapped[int] = mapped_column("end_char", Integer)
    text: Mapped[str] = mapped_column(Text)


def _article_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class EntityRow(_Span, Base):
    __tablename__ = "entities"
    article_id: Mapped[int] = _article_fk()
    label: Mapped[str] = mapped_column(String(32), index=True)
    canonical: Mapped[str | None] = mapped_column(Text)
    # lower-cased canonical form (or lemma of the text): what entity filters compare
    key: Mapped[str] = mapped_column(String(512), index=True)


class QuoteRow(_Span, Base):
    __tablename__ = "quotes"
    article_id: Mapped[int] = _article_fk()
    kind: Mapped[str] = mapped_column(String(16))
    cue: Mapped[str | None] = mapped_column(Text)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    speaker_text: Mapped[str | None] = mapped_column(Text)
    speaker_canonical: Mapped[str | None] = mapped_column(Text)
    speaker_key: Mapped[str | None] = mapped_column(String(512), index=True)


class QuantityRow(_Span, Base):
    __tablename__ = "quantities"
    article_id: Mapped[int] = _article_fk()
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(64))
    qualifier: Mapped[str] = mapped_column(String(16))
    per: Mapped[str | None] = mapped_column(String(64))


class DateRow(_Span, Base):
    __tablename__ = "dates"
    article_id: Mapped[int] = _article_fk()
    iso: Mapped[str | None] = mapped_column(String(32), index=True)
    relation: Mapped[str] = mapped_column(String(16))


class ClaimRow(_Span, Base):
    __tablename__ = "claims"
    article_id: Mapped[int] = _article_fk()
    subject: Mapped[str | None] = mapped_column(Text)
    indicator: Mapped[str | None] = mapped_column(String(128), index=True)
    period: Mapped[str | None] = mapped_column(String(32))
    speaker: Mapped[str | None] = mapped_column(Text)
    modality: Mapped[str] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(64))
    qualifier: Mapped[str | None] = mapped_column(String(16))
    quantity_text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16), index=True)
    diagnosis: Mapped[str | None] = mapped_column(String(32))
    verdict_json: Mapped[str | None] = mapped_column(Text)


Index("ix_claims_indicator_period", ClaimRow.indicator, ClaimRow.period)


class EntityCount(Base):
    """Per (key, label): a display name, mentions and articles; kept by every write
    (derek.store.bulk, Store.delete) so top entities are one indexed read."""

    __tablename__ = "entity_counts"
    key: Mapped[str] = mapped_column(String(512), primary_key=True)
    label: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    mentions: Mapped[int] = mapped_column(Integer)
    articles: Mapped[int] = mapped_column(Integer)


Index("ix_entity_counts_rank", EntityCount.articles, EntityCount.mentions)


class WatchPage(Base):
    """A page `derek watch` found in a feed or sitemap, and what became of it: `status` is
    stored | known (its text was already stored) | no_article | gone (404/410) | refused
    (robots.txt, not HTML, a private address) | failed (may be retried: `attempts`)."""

    __tablename__ = "watch_pages"
    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    host: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=_now)
    last_tried: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WatchSource(Base):
    """A feed, sitemap or home page `derek watch` reads, with the validators of its last
    answer (ETag, Last-Modified) so an unchanged feed costs a 304."""

    __tablename__ = "watch_sources"
    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    links: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
