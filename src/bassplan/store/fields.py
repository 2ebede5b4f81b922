"""Checking the fields a caller wants to write against the record's table, so bad input is
one InputError naming the field, never a database error or a half-written change."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from bassplan.domain.errors import InputError
from bassplan.store.models import Base


@dataclass(frozen=True)
class Rules:
    """What one kind of record accepts: the fields a caller may write, those that must be
    given (and not blank) on create, fixed choices per field, and ids that must exist."""

    kind: str
    model: type[Base]
    writable: frozenset[str]
    required: frozenset[str] = frozenset()
    choices: Mapping[str, Collection[str]] = field(default_factory=dict)
    links: Mapping[str, tuple[type[Base], str]] = field(default_factory=dict)

    def check(
        self,
        fields: Mapping[str, object],
        where: str,
        *,
        creating: bool = False,
        choices: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        """InputError for the first field that is unknown, missing, of the wrong type, too
        long for its column or not one of its choices (``choices`` adds to the fixed ones)."""
        unknown = sorted(set(fields) - self.writable)
        if unknown:
            article = "an" if self.kind[0] in "aeiou" else "a"
            self._fail(where, unknown[0], f"is not {article} {self.kind} field")
        if creating:
            for name in sorted(self.required - set(fields)):
                self._fail(where, name, "must be given")
        allowed = {**self.choices, **(choices or {})}
        for name, value in fields.items():
            self._check_value(where, name, value, allowed.get(name))

    def check_links(self, session: Session, fields: Mapping[str, object], where: str) -> None:
        """InputError if an id field names a record that does not exist."""
        for name, (model, kind) in self.links.items():
            value = fields.get(name)
            if value is None:
                continue
            key = model.__table__.c.id
            if session.scalars(select(key).where(key == value)).first() is None:
                self._fail(where, name, f"no {kind} has id {value}")

    def _check_value(
        self, where: str, name: str, value: object, choices: Collection[str] | None
    ) -> None:
        column = self.model.__table__.c[name]
        if value is None:
            if not column.nullable or name in self.required:
                self._fail(where, name, "must not be empty")
            return
        kind = column.type.python_type
        if kind is date and (not isinstance(value, date) or isinstance(value, datetime)):
            self._fail(where, name, "must be a date (YYYY-MM-DD)")
        if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
            self._fail(where, name, "must be a whole number")
        if kind is str:
            self._check_text(where, name, value, getattr(column.type, "length", None))
        if choices is not None and value not in choices:
            self._fail(where, name, f"'{value}' is not one of {', '.join(choices)}")

    def _check_text(self, where: str, name: str, value: object, length: int | None) -> None:
        if not isinstance(value, str):
            self._fail(where, name, "must be text")
        elif name in self.required and not value.strip():
            self._fail(where, name, "must not be empty")
        elif length is not None and len(value) > length:
            self._fail(where, name, f"must have at most {length} characters")

    def _fail(self, where: str, name: str, rule: str) -> NoReturn:
        raise InputError(self.kind, where, name, rule)
