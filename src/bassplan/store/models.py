"""The dashboard's tables as SQLAlchemy 2 typed models: users, their login sessions and API
tokens, scenarios, specialty governance (roles, initiatives, deliverables, meetings,
decisions), the audit trail, long-run jobs and the simulation results saved with their
scenario. Names are English; Danish role and status values are data."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

USER_ROLES = ("viewer", "planner", "program", "admin")  # each includes the ones before
SPECIALTY_ROLES = ("specialeejer", "implementeringsansvarlig", "konceptejer", "kerneteam")
CROSS_CUTTING_ROLES = ("konceptejer",)  # held for the program, not for one specialty
SITE_ROLES = ("implementeringsansvarlig", "kerneteam")  # may name a site (strength position)
# the kinds of body in the program organisation, top (political) to bottom (resources)
BODY_KINDS = ("udvalg", "direktion", "programstyregruppe", "programledelse",
              "implementeringsstyregruppe", "programsekretariat", "leveranceorganisation",
              "afdeling")
DECISION_STATUSES = ("proposed", "decided", "implemented", "dropped")
STATUSES = ("planlagt", "i_gang", "afsluttet", "forsinket")
JOB_KINDS = ("optimise", "simulate")
JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
# why a login session ended: the user logged out, changed the password, was deactivated, an
# admin ended it, or it ran past the idle or the absolute time-out
SESSION_END_REASONS = ("logout", "password", "deactivated", "admin", "idle", "absolute")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now_utc() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a check that ``column`` holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; SQLite stores it without a zone."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read back as an aware UTC timestamp."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so constraint names match across databases."""

    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A dashboard user; ``role`` is viewer, planner, program or admin."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", USER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)


class UserSession(Base):
    """A login session of a user: the cookie holds a random id, only its SHA-256 hex digest
    is stored; it ends (``ended_at``, ``end_reason``) at logout, a password change,
    deactivation, an admin's order, or the idle and absolute time-outs."""

    __tablename__ = "user_sessions"
    __table_args__ = (
        CheckConstraint(f"end_reason IS NULL OR {_one_of('end_reason', SESSION_END_REASONS)}",
                        name="end_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))


class ApiToken(Base):
    """An API token of a user; only the SHA-256 hex digest of the token is stored. It works
    until ``expires_at`` unless revoked (``revoked_at``); the row stays for the record."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Scenario(Base):
    """A stored scenario YAML of one region (``region``: a region id such as sjaelland);
    ``version`` rises by one on every update (optimistic locking)."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    region: Mapped[str] = mapped_column(String(80), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    yaml: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012


class ProgramBody(Base):
    """A body of the program organisation (programledelse, a steering group, the
    secretariat, a resource-giving department…) and the body it reports to; ``note`` says
    where the entry comes from (e.g. "illustrativ" for the seeded default)."""

    __tablename__ = "program_bodies"
    __table_args__ = (CheckConstraint(_one_of("kind", BODY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_bodies.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order among its siblings
    note: Mapped[str] = mapped_column(String(300), default="")


class SpecialtyRole(Base):
    """A named person in a program role: for a specialty (specialeejer, kerneteam with
    profession and site, implementeringsansvarlig for a site or strength position) or
    cross-cutting (a konceptejer for a department such as HR, with no specialty)."""

    __tablename__ = "specialty_roles"
    __table_args__ = (CheckConstraint(_one_of("role", SPECIALTY_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    specialty_id: Mapped[str | None] = mapped_column(String(80), index=True)
    role: Mapped[str] = mapped_column(String(40))
    person_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200), default="")
    site_id: Mapped[str | None] = mapped_column(String(80))
    profession: Mapped[str] = mapped_column(String(200), default="")
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_bodies.id", ondelete="SET NULL"))


class _WorkItem:
    """Columns every program work item has: title, specialty, owner, status, due date, the
    scenario that justifies it, and a version counter (optimistic locking)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    specialty_id: Mapped[str | None] = mapped_column(String(80))
    owner: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="planlagt")
    due_date: Mapped[date | None] = mapped_column(Date)
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[CheckConstraint]:  # noqa: N805
        return (CheckConstraint(_one_of("status", STATUSES), name="status"),)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version}


class Initiative(_WorkItem, Base):
    """A program initiative, optionally for one specialty and justified by a scenario."""

    __tablename__ = "initiatives"


class Deliverable(_WorkItem, Base):
    """A deliverable of the program, optionally part of an initiative; versioned like scenarios."""

    __tablename__ = "deliverables"

    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL")
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decisions.id", ondelete="SET NULL")
    )


class Meeting(Base):
    """A meeting of a body of the program (``body_id``; unknown for meetings recorded
    before bodies existed) on a date, with its agenda and minutes (plain text)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_bodies.id", ondelete="SET NULL"))
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")


class Decision(Base):
    """A decision recorded at a meeting: the body that owns it, its specialty (none when
    it spans the program), its status, the scenario behind it, who follows it up and by
    when."""

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint(_one_of("status", DECISION_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    body_id: Mapped[int | None] = mapped_column(
        ForeignKey("program_bodies.id", ondelete="SET NULL"))
    specialty_id: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="decided")
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="SET NULL"))


class AuditEntry(Base):
    """One change: when (UTC), by whom, what, and the record before and after as JSON text."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class DataTable(Base):
    """A region table imported in the dashboard (kind: staffing, rates, residents or
    travel_matrix) as canonical CSV text; it replaces the own table of that kind of its
    region (``region``: a region id), one per region and kind."""

    __tablename__ = "data_tables"
    __table_args__ = (UniqueConstraint("region", "kind", name="uq_data_tables_region_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012


class JobRecord(Base):
    """One long run (optimise or simulate) of a stored scenario: who asked, the request and
    scenario version it ran on, its status and progress (0..1), and the result (JSON text,
    bounded by ``bassplan.store.jobs.MAX_RESULT_BYTES``) or the error line."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(_one_of("kind", JOB_KINDS), name="kind"),
                      CheckConstraint(_one_of("status", JOB_STATUSES), name="status"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    scenario: Mapped[str] = mapped_column(String(200), index=True)  # its name at the time
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="SET NULL"))
    scenario_version: Mapped[int | None] = mapped_column(Integer)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    request: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(500), default="")  # a phrase (JSON)
    result: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    error_words: Mapped[str | None] = mapped_column(Text)  # the error as a phrase (JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SavedSimulation(Base):
    """A simulation result kept with its scenario under a name: the settings it ran with
    (JSON), the scenario version simulated, the result (JSON text) and who saved it when.
    Deleting the scenario deletes its saved results."""

    __tablename__ = "saved_simulations"
    __table_args__ = (UniqueConstraint("scenario_id", "name",
                                       name="uq_saved_simulations_scenario_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    job_id: Mapped[str | None] = mapped_column(String(32))
    scenario_version: Mapped[int | None] = mapped_column(Integer)
    settings: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
