"""Long runs that survive a restart: the jobs table (request, status, progress, result or
error of every optimise and simulate run) and saved_simulations (a simulation result kept
under a name with its scenario).

Revision ID: r0004
Revises: r0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# the allowed values as of this revision, frozen here (later changes get their own revision)
JOB_KINDS = ("optimise", "simulate")
JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")

revision = "r0004"
down_revision: str | None = "r0003"
branch_labels: str | None = None
depends_on: str | None = None


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a check that ``column`` holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _stamp() -> sa.DateTime:
    """A timezone-aware timestamp column type (stored in UTC)."""
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create jobs and saved_simulations."""
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("scenario_version", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_words", sa.Text(), nullable=True),
        sa.Column("created_at", _stamp(), nullable=False),
        sa.Column("started_at", _stamp(), nullable=True),
        sa.Column("finished_at", _stamp(), nullable=True),
        sa.CheckConstraint(_one_of("kind", JOB_KINDS), name="ck_jobs_kind"),
        sa.CheckConstraint(_one_of("status", JOB_STATUSES), name="ck_jobs_status"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="SET NULL",
                                name="fk_jobs_scenario_id_scenarios"),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"], ondelete="SET NULL",
                                name="fk_jobs_requested_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_scenario", "jobs", ["scenario"])
    op.create_index("ix_jobs_requested_by", "jobs", ["requested_by"])
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"])
    op.create_table(
        "saved_simulations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("job_id", sa.String(32), nullable=True),
        sa.Column("scenario_version", sa.Integer(), nullable=True),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.Integer(), nullable=True),
        sa.Column("saved_at", _stamp(), nullable=False),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="CASCADE",
                                name="fk_saved_simulations_scenario_id_scenarios"),
        sa.ForeignKeyConstraint(["saved_by"], ["users.id"], ondelete="SET NULL",
                                name="fk_saved_simulations_saved_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_simulations"),
        sa.UniqueConstraint("scenario_id", "name", name="uq_saved_simulations_scenario_id_name"),
    )
    op.create_index("ix_saved_simulations_scenario_id", "saved_simulations", ["scenario_id"])


def downgrade() -> None:
    """Drop saved_simulations and jobs."""
    op.drop_index("ix_saved_simulations_scenario_id", table_name="saved_simulations")
    op.drop_table("saved_simulations")
    for column in ("created_at", "status", "requested_by", "scenario"):
        op.drop_index(f"ix_jobs_{column}", table_name="jobs")
    op.drop_table("jobs")
