"""Regions: every scenario and every imported table belongs to a region (its id, such as
sjaelland or oestdanmark). Rows from before get the server's configured default region
(``config.attributes['default_region']``, set by store.engine.upgrade; sjaelland if unset);
an imported table is then unique per region and kind.

Revision ID: r0006_regions
Revises: r0005_program
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "r0006_regions"
down_revision: str | None = "r0005_program"
branch_labels: str | None = None
depends_on: str | None = None

FALLBACK_REGION = "sjaelland"  # the default region as of this revision, frozen here


def _default_region() -> str:
    """The region id existing rows get: the server's configured default."""
    chosen = context.config.attributes.get("default_region") or FALLBACK_REGION
    return str(chosen)


def upgrade() -> None:
    """Add scenarios.region and data_tables.region, filled with the default region."""
    default = _default_region()
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("region", sa.String(80), nullable=True))
    op.execute(sa.text("UPDATE scenarios SET region = :r").bindparams(r=default))
    with op.batch_alter_table("scenarios") as batch:
        batch.alter_column("region", existing_type=sa.String(80), nullable=False)
        batch.create_index("ix_scenarios_region", ["region"])
    with op.batch_alter_table("data_tables") as batch:
        batch.add_column(sa.Column("region", sa.String(80), nullable=True))
    op.execute(sa.text("UPDATE data_tables SET region = :r").bindparams(r=default))
    with op.batch_alter_table("data_tables") as batch:
        batch.alter_column("region", existing_type=sa.String(80), nullable=False)
        batch.drop_constraint("uq_data_tables_kind", type_="unique")
        batch.create_unique_constraint("uq_data_tables_region_kind", ["region", "kind"])


def downgrade() -> None:
    """Drop the region columns (imported tables of other regions than the default first)."""
    default = _default_region()
    op.execute(sa.text("DELETE FROM data_tables WHERE region <> :r").bindparams(r=default))
    with op.batch_alter_table("data_tables") as batch:
        batch.drop_constraint("uq_data_tables_region_kind", type_="unique")
        batch.create_unique_constraint("uq_data_tables_kind", ["kind"])
        batch.drop_column("region")
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_index("ix_scenarios_region")
        batch.drop_column("region")
