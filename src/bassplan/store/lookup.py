"""Finding one record by a unique column."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bassplan.store.errors import NotFound

T = TypeVar("T")


def one_by(
    session: Session, model: type[T], column: InstrumentedAttribute[Any], value: str, kind: str
) -> T:
    """The ``model`` record whose unique ``column`` equals ``value``; NotFound names ``kind``."""
    row = session.scalars(select(model).where(column == value)).one_or_none()
    if row is None:
        raise NotFound(kind, value)
    return row
