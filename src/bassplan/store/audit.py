"""The audit trail: a JSON snapshot of a record, writing one entry per change, and listing."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from bassplan.store.models import AuditEntry, Base, now_utc

SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "id_hash"})  # kept out of the trail


def snapshot(record: Base) -> dict[str, Any]:
    """The record's column values as JSON-ready data, without secret columns."""
    out: dict[str, Any] = {}
    for attr in inspect(record).mapper.column_attrs:
        if attr.key in SECRET_COLUMNS:
            continue
        value = getattr(record, attr.key)
        out[attr.key] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def _json(data: dict[str, Any] | None) -> str | None:
    return None if data is None else json.dumps(data, ensure_ascii=False, sort_keys=True)


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Add an audit entry to the session's transaction (it commits or rolls back with it)."""
    entry = AuditEntry(
        at=now_utc(),
        user_id=actor_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_json(before),
        after=_json(after),
    )
    session.add(entry)
    session.flush()
    return entry


def list_audit(
    sessions: sessionmaker[Session],
    *,
    limit: int = 50,
    offset: int = 0,
    entity: str | None = None,
    entity_id: object | None = None,
    user_id: int | None = None,
) -> list[AuditEntry]:
    """Audit entries newest first, one page of ``limit`` after ``offset``, optionally
    for one entity kind (and one record of it) and one acting user."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == str(entity_id))
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    with sessions() as session:
        return list(session.scalars(query.limit(limit).offset(offset)))


def audit_entities(sessions: sessionmaker[Session]) -> list[str]:
    """The entity kinds the trail holds entries for, alphabetically (for filters)."""
    query = select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)
    with sessions() as session:
        return list(session.scalars(query))


def add_created(session: Session, row: Any, *, entity: str, actor_id: int | None) -> None:
    """Add a new record to the session and audit its creation in the same transaction."""
    session.add(row)
    session.flush()  # assigns the id the audit entry names
    record(session, actor_id=actor_id, action="create", entity=entity, entity_id=row.id,
           before=None, after=snapshot(row))


def delete_audited(
    session: Session,
    row: Any,
    *,
    entity: str,
    entity_id: object,
    actor_id: int | None,
    before: dict[str, Any] | None = None,
) -> None:
    """Delete a record and audit it in the same transaction; ``before`` defaults to the
    record's snapshot (a caller may add what the database deletes with it)."""
    kept = snapshot(row) if before is None else before
    session.delete(row)
    session.flush()
    record(session, actor_id=actor_id, action="delete", entity=entity, entity_id=entity_id,
           before=kept, after=None)
