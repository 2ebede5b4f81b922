"""Imported region tables in the store: save (insert or replace), list, delete (back to the
region's own table) and load them all; each change is one transaction with its audit entry,
whose before/after is a summary (kind, filename, rows, SHA-256), not the whole CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bassplan.data.imports import ImportedTable, check_kind, text_sha256
from bassplan.domain.region import ImportedVersion
from bassplan.store.audit import delete_audited, record
from bassplan.store.errors import NotFound
from bassplan.store.models import DataTable, User, now_utc

ENTITY = "data_table"


@dataclass(frozen=True)
class StoredTable:
    """What the Data page shows of an imported table (without its content)."""

    kind: str
    filename: str
    rows: int
    sha256: str
    version: int
    uploaded_at: datetime
    uploaded_by: str | None  # username; None once the user is deleted


def summary(row: DataTable) -> dict[str, Any]:
    """The audit trail's record of a stored table: kind, filename, rows and SHA-256."""
    return {"kind": row.kind, "filename": row.filename, "rows": row.rows,
            "sha256": text_sha256(row.content)}


def _find(session: Session, kind: str) -> DataTable | None:
    return session.scalars(select(DataTable).where(DataTable.kind == kind)).one_or_none()


def save_table(
    sessions: sessionmaker[Session], *, table: ImportedTable, actor_id: int | None = None
) -> DataTable:
    """Store a checked table, replacing the one of its kind (version + 1) or adding it
    (version 1); if a concurrent import added the kind first, this one replaces it."""
    check_kind(table.kind)
    try:
        return _save(sessions, table, actor_id)
    except IntegrityError:
        return _save(sessions, table, actor_id)  # the other insert won: replace it now


def _save(sessions: sessionmaker[Session], table: ImportedTable, actor_id: int | None) -> DataTable:
    """One attempt of save_table: one transaction, the row and its audit entry."""
    with sessions.begin() as session:
        row = _find(session, table.kind)
        before = summary(row) if row is not None else None
        if row is None:
            row = DataTable(kind=table.kind)
            session.add(row)
        row.filename = table.filename
        row.content = table.csv_text
        row.rows = table.rows
        row.uploaded_by = actor_id
        row.uploaded_at = now_utc()
        session.flush()
        record(session, actor_id=actor_id, action="update" if before else "create",
               entity=ENTITY, entity_id=table.kind, before=before, after=summary(row))
        return row


def list_tables(sessions: sessionmaker[Session]) -> list[StoredTable]:
    """Every imported table, by kind, with the username of who imported it."""
    query = (
        select(DataTable, User.username)
        .outerjoin(User, User.id == DataTable.uploaded_by)
        .order_by(DataTable.kind)
    )
    with sessions() as session:
        return [
            StoredTable(row.kind, row.filename, row.rows, text_sha256(row.content), row.version,
                        row.uploaded_at, username)
            for row, username in session.execute(query)
        ]


def delete_table(
    sessions: sessionmaker[Session], *, kind: str, actor_id: int | None = None
) -> None:
    """Remove the imported table of ``kind`` (the region's own applies again); NotFound if
    none is stored."""
    check_kind(kind)
    with sessions.begin() as session:
        row = _find(session, kind)
        if row is None:
            raise NotFound("imported table", kind)
        delete_audited(session, row, entity=ENTITY, entity_id=kind, actor_id=actor_id,
                       before=summary(row))


def load_overrides(sessions: sessionmaker[Session]) -> dict[str, str]:
    """Every imported table as kind → canonical CSV (the input of region_with_overrides)."""
    with sessions() as session:
        rows = session.execute(select(DataTable.kind, DataTable.content)).all()
    return dict(rows)


def imported_versions(sessions: sessionmaker[Session]) -> tuple[ImportedVersion, ...]:
    """Every imported table's version as the region's data version lists it, by kind."""
    return tuple(
        ImportedVersion(t.kind, t.filename, t.version, t.sha256,
                        t.uploaded_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for t in list_tables(sessions)
    )
