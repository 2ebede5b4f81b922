"""The program organisation as data: program_bodies (who reports to whom, seeded with an
illustrative default), roles that may be cross-cutting or tied to a site, meetings of a
body with agenda and minutes, decisions with body, specialty, status and scenario, and
deliverables linked to a decision. Existing rows keep their values; new columns start
empty ("" or NULL), and existing decisions get status "decided" (they were recorded at a
meeting).

Revision ID: r0005_program
Revises: r0004
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

# the allowed values as of this revision, frozen here (later changes get their own revision)
BODY_KINDS = ("udvalg", "direktion", "programstyregruppe", "programledelse",
              "implementeringsstyregruppe", "programsekretariat", "leveranceorganisation",
              "afdeling")
DECISION_STATUSES = ("proposed", "decided", "implemented", "dropped")
SEED_NOTE = "illustrativ standardorganisation efter BASS-programmets beskrivelse; ret den til"
# the default organisation: (name, kind, the name of the body it reports to, position)
SEED = (
    ("Regionsrådets sygehusudvalg", "udvalg", None, 0),
    ("Koncerndirektion", "direktion", "Regionsrådets sygehusudvalg", 0),
    ("Programstyregruppe", "programstyregruppe", "Koncerndirektion", 0),
    ("Programledelse", "programledelse", "Programstyregruppe", 0),
    ("Implementeringsstyregruppe", "implementeringsstyregruppe", "Programledelse", 0),
    ("Programsekretariat", "programsekretariat", "Programledelse", 1),
    ("HR", "afdeling", "Programledelse", 2),
    ("Økonomi", "afdeling", "Programledelse", 3),
    ("Digitalisering", "afdeling", "Programledelse", 4),
    ("Leveranceorganisation", "leveranceorganisation", "Implementeringsstyregruppe", 0),
)

revision = "r0005_program"
down_revision: str | None = "r0004"
branch_labels: str | None = None
depends_on: str | None = None


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a check that ``column`` holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _body_link(batch: BatchOperations, table: str) -> None:
    """Add ``body_id`` (a program body, NULL when it is deleted) to ``table``."""
    batch.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
    batch.create_foreign_key(
        f"fk_{table}_body_id_program_bodies", "program_bodies", ["body_id"], ["id"],
        ondelete="SET NULL")


@contextmanager
def _decisions_kept() -> Iterator[None]:
    """On SQLite, changing ``meetings`` rebuilds the table, and dropping the old one with
    foreign keys on deletes its decisions (ON DELETE CASCADE): keep a copy, put it back."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    bind.exec_driver_sql("CREATE TEMP TABLE keep_decisions AS SELECT * FROM decisions")
    yield
    bind.exec_driver_sql("DELETE FROM decisions")
    bind.exec_driver_sql("INSERT INTO decisions SELECT * FROM keep_decisions")
    bind.exec_driver_sql("DROP TABLE keep_decisions")


def _seed() -> None:
    """Insert the illustrative default organisation, parents first."""
    bodies = sa.table("program_bodies", sa.column("id", sa.Integer), sa.column("name"),
                      sa.column("kind"), sa.column("parent_id", sa.Integer),
                      sa.column("position", sa.Integer), sa.column("note"))
    bind = op.get_bind()
    ids: dict[str, int] = {}
    for name, kind, parent, position in SEED:
        bind.execute(bodies.insert().values(
            name=name, kind=kind, parent_id=ids[parent] if parent else None,
            position=position, note=SEED_NOTE))
        ids[name] = bind.execute(
            sa.select(bodies.c.id).where(bodies.c.name == name)).scalar_one()


def upgrade() -> None:
    """Create and seed program_bodies; add the new columns of roles, meetings, decisions
    and deliverables."""
    op.create_table(
        "program_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(300), nullable=False),
        sa.CheckConstraint(_one_of("kind", BODY_KINDS), name="ck_program_bodies_kind"),
        sa.ForeignKeyConstraint(["parent_id"], ["program_bodies.id"], ondelete="SET NULL",
                                name="fk_program_bodies_parent_id_program_bodies"),
        sa.PrimaryKeyConstraint("id", name="pk_program_bodies"),
        sa.UniqueConstraint("name", name="uq_program_bodies_name"),
    )
    _seed()
    with op.batch_alter_table("specialty_roles") as batch:
        batch.alter_column("specialty_id", existing_type=sa.String(80), nullable=True)
        batch.add_column(sa.Column("site_id", sa.String(80), nullable=True))
        batch.add_column(sa.Column("profession", sa.String(200), nullable=False,
                                   server_default=""))
        _body_link(batch, "specialty_roles")
    with _decisions_kept(), op.batch_alter_table("meetings") as batch:
        _body_link(batch, "meetings")
        batch.add_column(sa.Column("agenda", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("minutes", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("decisions") as batch:
        _body_link(batch, "decisions")
        batch.add_column(sa.Column("specialty_id", sa.String(80), nullable=True))
        batch.add_column(sa.Column("status", sa.String(20), nullable=False,
                                   server_default="decided"))
        batch.add_column(sa.Column("scenario_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_decisions_scenario_id_scenarios", "scenarios",
                                 ["scenario_id"], ["id"], ondelete="SET NULL")
        batch.create_check_constraint("ck_decisions_status",
                                      sa.text(_one_of("status", DECISION_STATUSES)))
    with op.batch_alter_table("deliverables") as batch:
        batch.add_column(sa.Column("decision_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_deliverables_decision_id_decisions", "decisions",
                                 ["decision_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    """Drop the new columns and program_bodies (cross-cutting roles, which have no
    specialty, are deleted: the old table requires one)."""
    with op.batch_alter_table("deliverables") as batch:
        batch.drop_constraint("fk_deliverables_decision_id_decisions", type_="foreignkey")
        batch.drop_column("decision_id")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint("ck_decisions_status", type_="check")
        batch.drop_constraint("fk_decisions_scenario_id_scenarios", type_="foreignkey")
        batch.drop_constraint("fk_decisions_body_id_program_bodies", type_="foreignkey")
        for column in ("scenario_id", "status", "specialty_id", "body_id"):
            batch.drop_column(column)
    with _decisions_kept(), op.batch_alter_table("meetings") as batch:
        batch.drop_constraint("fk_meetings_body_id_program_bodies", type_="foreignkey")
        for column in ("minutes", "agenda", "body_id"):
            batch.drop_column(column)
    op.execute("DELETE FROM specialty_roles WHERE specialty_id IS NULL")
    with op.batch_alter_table("specialty_roles") as batch:
        batch.drop_constraint("fk_specialty_roles_body_id_program_bodies", type_="foreignkey")
        for column in ("body_id", "profession", "site_id"):
            batch.drop_column(column)
        batch.alter_column("specialty_id", existing_type=sa.String(80), nullable=False)
    op.drop_table("program_bodies")
