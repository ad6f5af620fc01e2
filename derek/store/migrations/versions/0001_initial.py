"""Articles, one table per layer, and the full-text index (FTS5 on SQLite, a GIN
tsvector expression index on PostgreSQL).

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _span_columns():
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ext_id", sa.String(512)),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.String(256)),
        sa.Column("published", sa.String(10)),
        sa.Column("headline", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("script", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("doc_json", sa.Text, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_articles_ext_id", "articles", ["ext_id"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published", "articles", ["published"])

    op.create_table("entities", *_span_columns(),
                    sa.Column("label", sa.String(32), nullable=False),
                    sa.Column("canonical", sa.Text),
                    sa.Column("key", sa.String(512), nullable=False))
    op.create_table("quotes", *_span_columns(),
                    sa.Column("kind", sa.String(16), nullable=False),
                    sa.Column("cue", sa.Text),
                    sa.Column("speaker_start", sa.Integer),
                    sa.Column("speaker_end", sa.Integer),
                    sa.Column("speaker_text", sa.Text),
                    sa.Column("speaker_canonical", sa.Text),
                    sa.Column("speaker_key", sa.String(512)))
    op.create_table("quantities", *_span_columns(),
                    sa.Column("value", sa.Float),
                    sa.Column("value_max", sa.Float),
                    sa.Column("unit", sa.String(64)),
                    sa.Column("qualifier", sa.String(16), nullable=False),
                    sa.Column("per", sa.String(64)))
    op.create_table("dates", *_span_columns(),
                    sa.Column("iso", sa.String(32)),
                    sa.Column("relation", sa.String(16), nullable=False))
    op.create_table("claims", *_span_columns(),
                    sa.Column("subject", sa.Text),
                    sa.Column("indicator", sa.String(128)),
                    sa.Column("period", sa.String(32)),
                    sa.Column("speaker", sa.Text),
                    sa.Column("modality", sa.String(16), nullable=False),
                    sa.Column("value", sa.Float),
                    sa.Column("value_max", sa.Float),
                    sa.Column("unit", sa.String(64)),
                    sa.Column("qualifier", sa.String(16)),
                    sa.Column("quantity_text", sa.Text),
                    sa.Column("status", sa.String(16)),
                    sa.Column("diagnosis", sa.String(32)),
                    sa.Column("verdict_json", sa.Text))
    for table in ("entities", "quotes", "quantities", "dates", "claims"):
        op.create_index(f"ix_{table}_article_id", table, ["article_id"])
    op.create_index("ix_entities_label", "entities", ["label"])
    op.create_index("ix_entities_key", "entities", ["key"])
    op.create_index("ix_quotes_speaker_key", "quotes", ["speaker_key"])
    op.create_index("ix_dates_iso", "dates", ["iso"])
    op.create_index("ix_claims_indicator", "claims", ["indicator"])
    op.create_index("ix_claims_status", "claims", ["status"])
    op.create_index("ix_claims_indicator_period", "claims", ["indicator", "period"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # rowid = articles.id; remove_diacritics 0 keeps й, ё, ә… distinct from и, е, а
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5("
                   "terms, tokenize = 'unicode61 remove_diacritics 0')")
    elif dialect == "postgresql":
        # 'simple': the terms are already lemmatised by derek; no English stemming on top
        op.execute("CREATE INDEX ix_articles_terms_fts ON articles "
                   "USING gin (to_tsvector('simple', terms))")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in ("claims", "dates", "quantities", "quotes", "entities", "articles"):
        op.drop_table(table)
