"""Imported region tables: one row per kind (staffing, rates, residents, travel_matrix)
holding the canonical CSV, who imported it and when.

Revision ID: r0002
Revises: r0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision: str | None = "r0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create data_tables."""
    op.create_table(
        "data_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], ondelete="SET NULL",
                                name="fk_data_tables_uploaded_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_data_tables"),
        sa.UniqueConstraint("kind", name="uq_data_tables_kind"),
    )


def downgrade() -> None:
    """Drop data_tables."""
    op.drop_table("data_tables")
