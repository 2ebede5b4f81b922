"""Initial schema: users, API tokens, scenarios, specialty governance and the audit trail.

Revision ID: r0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# the allowed values as of this revision, frozen here (later changes get their own revision)
USER_ROLES = ("viewer", "planner", "program", "admin")
SPECIALTY_ROLES = ("specialeejer", "implementeringsansvarlig", "konceptejer", "kerneteam")
STATUSES = ("planlagt", "i_gang", "afsluttet", "forsinket")

revision = "r0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a check that ``column`` holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _stamp() -> sa.DateTime:
    """A timezone-aware timestamp column type (stored in UTC)."""
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _stamp(), nullable=False),
        sa.CheckConstraint(_one_of("role", USER_ROLES), name="ck_users_role"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", _stamp(), nullable=False),
        sa.Column("last_used_at", _stamp(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_api_tokens_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _stamp(), nullable=False),
        sa.Column("updated_at", _stamp(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL",
                                name="fk_scenarios_created_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_scenarios"),
        sa.UniqueConstraint("name", name="uq_scenarios_name"),
    )
    op.create_table(
        "specialty_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("specialty_id", sa.String(80), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.CheckConstraint(_one_of("role", SPECIALTY_ROLES), name="ck_specialty_roles_role"),
        sa.PrimaryKeyConstraint("id", name="pk_specialty_roles"),
    )
    op.create_index("ix_specialty_roles_specialty_id", "specialty_roles", ["specialty_id"])
    _work_item_table("initiatives", with_initiative=False)
    _work_item_table("deliverables", with_initiative=True)
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], ondelete="CASCADE",
                                name="fk_decisions_meeting_id_meetings"),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _stamp(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(80), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_audit_entries_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
    )
    op.create_index("ix_audit_entries_at", "audit_entries", ["at"])


def _work_item_table(table: str, *, with_initiative: bool) -> None:
    """Create the initiatives or deliverables table (same columns; deliverables may
    belong to an initiative)."""
    columns: list[sa.Column[object] | sa.Constraint] = [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
    ]
    if with_initiative:
        columns += [
            sa.Column("initiative_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(["initiative_id"], ["initiatives.id"], ondelete="SET NULL",
                                    name=f"fk_{table}_initiative_id_initiatives"),
        ]
    columns += [
        sa.Column("specialty_id", sa.String(80), nullable=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(_one_of("status", STATUSES), name=f"ck_{table}_status"),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], ondelete="SET NULL",
                                name=f"fk_{table}_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]
    op.create_table(table, *columns)


def downgrade() -> None:
    """Drop every table, dependants first."""
    op.drop_index("ix_audit_entries_at", table_name="audit_entries")
    op.drop_table("audit_entries")
    op.drop_table("decisions")
    op.drop_table("meetings")
    op.drop_table("deliverables")
    op.drop_table("initiatives")
    op.drop_index("ix_specialty_roles_specialty_id", table_name="specialty_roles")
    op.drop_table("specialty_roles")
    op.drop_table("scenarios")
    op.drop_table("api_tokens")
    op.drop_table("users")
