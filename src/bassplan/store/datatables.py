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
from bassplan.data.loaders import DEFAULT_REGION_ID
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
    """The audit trail's record of a stored table: region, kind, filename, rows, SHA-256."""
    return {"region": row.region, "kind": row.kind, "filename": row.filename, "rows": row.rows,
            "sha256": text_sha256(row.content)}


def _find(session: Session, region: str, kind: str) -> DataTable | None:
    query = select(DataTable).where(DataTable.region == region, DataTable.kind == kind)
    return session.scalars(query).one_or_none()


def save_table(
    sessions: sessionmaker[Session], *, table: ImportedTable, actor_id: int | None = None,
    region: str = DEFAULT_REGION_ID,
) -> DataTable:
    """Store a checked table of region ``region``, replacing the one of its kind (version
    + 1) or adding it (version 1); if a concurrent import added the kind first, this one
    replaces it."""
    check_kind(table.kind)
    try:
        return _save(sessions, table, actor_id, region)
    except IntegrityError:
        return _save(sessions, table, actor_id, region)  # the other insert won: replace it


def _save(sessions: sessionmaker[Session], table: ImportedTable, actor_id: int | None,
          region: str) -> DataTable:
    """One attempt of save_table: one transaction, the row and its audit entry."""
    with sessions.begin() as session:
        row = _find(session, region, table.kind)
        before = summary(row) if row is not None else None
        if row is None:
            row = DataTable(region=region, kind=table.kind)
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


def list_tables(
    sessions: sessionmaker[Session], *, region: str = DEFAULT_REGION_ID
) -> list[StoredTable]:
    """Every imported table of region ``region``, by kind, with who imported it."""
    query = (
        select(DataTable, User.username)
        .outerjoin(User, User.id == DataTable.uploaded_by)
        .where(DataTable.region == region)
        .order_by(DataTable.kind)
    )
    with sessions() as session:
        return [
            StoredTable(row.kind, row.filename, row.rows, text_sha256(row.content), row.version,
                        row.uploaded_at, username)
            for row, username in session.execute(query)
        ]


def delete_table(
    sessions: sessionmaker[Session], *, kind: str, actor_id: int | None = None,
    region: str = DEFAULT_REGION_ID,
) -> None:
    """Remove region ``region``'s imported table of ``kind`` (its own applies again);
    NotFound if none is stored."""
    check_kind(kind)
    with sessions.begin() as session:
        row = _find(session, region, kind)
        if row is None:
            raise NotFound("imported table", kind)
        delete_audited(session, row, entity=ENTITY, entity_id=kind, actor_id=actor_id,
                       before=summary(row))


def load_overrides(
    sessions: sessionmaker[Session], *, region: str = DEFAULT_REGION_ID
) -> dict[str, str]:
    """Region ``region``'s imported tables as kind → canonical CSV (the input of
    region_with_overrides)."""
    query = select(DataTable.kind, DataTable.content).where(DataTable.region == region)
    with sessions() as session:
        rows = session.execute(query).all()
    return dict(rows)


def imported_versions(
    sessions: sessionmaker[Session], *, region: str = DEFAULT_REGION_ID
) -> tuple[ImportedVersion, ...]:
    """Region ``region``'s imported tables' versions as its data version lists them."""
    return tuple(
        ImportedVersion(t.kind, t.filename, t.version, t.sha256,
                        t.uploaded_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for t in list_tables(sessions, region=region)
    )
