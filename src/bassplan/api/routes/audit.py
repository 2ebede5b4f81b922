"""The audit trail, newest first, one page at a time (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from bassplan.api.deps import AdminUser, SessionsDep
from bassplan.api.params import CodeQuery, IdQuery
from bassplan.api.schema_base import MAX_ROW_ID
from bassplan.api.schemas import AuditEntryPublic
from bassplan.store.audit import list_audit

router = APIRouter(prefix="/api/audit", tags=["audit"])


@router.get("")
def audit_trail(
    user: AdminUser,
    sessions: SessionsDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
    entity: CodeQuery = None,
    entity_id: CodeQuery = None,
    user_id: IdQuery = None,
) -> list[AuditEntryPublic]:
    """One page of audit entries, optionally for one entity kind (and one record of it)
    and one acting user."""
    rows = list_audit(sessions, limit=limit, offset=offset, entity=entity, entity_id=entity_id,
                      user_id=user_id)
    return [AuditEntryPublic.model_validate(r) for r in rows]
