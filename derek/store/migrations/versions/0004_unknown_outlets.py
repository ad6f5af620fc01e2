"""Outlets that were only a file name become unknown (NULL).

Before, an article with neither a URL nor an agency got its source's last path part as
its outlet ("028.txt"): `derek facts` then named files as outlets, and one unknown outlet
became as many as there were files.  derek.store.store.outlet_of now leaves it unknown;
this clears the old rows the same way (an outlet equal to the last part of a non-URL
source, exactly what the old rule wrote).

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, source, outlet FROM articles WHERE outlet IS NOT NULL "
                                "AND (source IS NULL OR source NOT LIKE '%://%')")).all()
    ids = [{"i": i} for i, source, outlet in rows if outlet == (source or "").rsplit("/", 1)[-1]]
    if ids:
        conn.execute(sa.text("UPDATE articles SET outlet = NULL WHERE id = :i"), ids)


def downgrade() -> None:
    # the file names are still in `source`; the old rule can be re-applied from it
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, source FROM articles WHERE outlet IS NULL AND source IS NOT NULL "
                                "AND source NOT LIKE '%://%'")).all()
    if rows:
        conn.execute(sa.text("UPDATE articles SET outlet = :o WHERE id = :i"),
                     [{"i": i, "o": s.rsplit("/", 1)[-1]} for i, s in rows])
