"""Login sessions kept by the server (so logout, a password change, deactivation and an
admin's order end them at once) and API tokens that expire and can be revoked.

Tokens issued before this revision get an expiry 90 days after the upgrade, so no running
script breaks on the day of the upgrade but none keeps working for ever.

Revision ID: r0003
Revises: r0002
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision: str | None = "r0002"
branch_labels: str | None = None
depends_on: str | None = None

EXISTING_TOKEN_DAYS = 90  # days tokens from before this revision stay valid after it
END_REASONS = ("logout", "password", "deactivated", "admin", "idle", "absolute")


def _stamp() -> sa.DateTime:
    """A timezone-aware timestamp column type (stored in UTC)."""
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create user_sessions; give api_tokens an expiry (filled in) and a revocation time."""
    reasons = ", ".join(repr(r) for r in END_REASONS)
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _stamp(), nullable=False),
        sa.Column("last_seen_at", _stamp(), nullable=False),
        sa.Column("ended_at", _stamp(), nullable=True),
        sa.Column("end_reason", sa.String(20), nullable=True),
        sa.CheckConstraint(f"end_reason IS NULL OR end_reason IN ({reasons})",
                           name="ck_user_sessions_end_reason"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_user_sessions_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_user_sessions"),
        sa.UniqueConstraint("id_hash", name="uq_user_sessions_id_hash"),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"])
    op.add_column("api_tokens", sa.Column("expires_at", _stamp(), nullable=True))
    op.add_column("api_tokens", sa.Column("revoked_at", _stamp(), nullable=True))
    expires = datetime.now(UTC) + timedelta(days=EXISTING_TOKEN_DAYS)
    if op.get_bind().dialect.name == "sqlite":
        expires = expires.replace(tzinfo=None)  # SQLite keeps UTC without a zone
    tokens = sa.table("api_tokens", sa.column("expires_at", _stamp()))
    op.execute(tokens.update().values(expires_at=expires))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=_stamp(), nullable=False)


def downgrade() -> None:
    """Drop user_sessions and the tokens' expiry and revocation columns."""
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("revoked_at")
        batch.drop_column("expires_at")
    op.drop_index("ix_user_sessions_user_id", table_name="user_sessions")
    op.drop_table("user_sessions")
