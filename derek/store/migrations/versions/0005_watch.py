"""`derek watch` state: the pages seen (so only new ones are fetched, and a killed run
resumes where it stopped) and the sources watched (their validators, for conditional GETs).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_pages",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("host", sa.String(256), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="SET NULL")),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("first_seen", sa.DateTime(timezone=True)),
        sa.Column("last_tried", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_watch_pages_article", "watch_pages", ["article_id"])
    op.create_table(
        "watch_sources",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("kind", sa.String(16)),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("checked_at", sa.DateTime(timezone=True)),
        sa.Column("links", sa.Integer),
        sa.Column("error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("watch_sources")
    op.drop_index("ix_watch_pages_article", "watch_pages")
    op.drop_table("watch_pages")
