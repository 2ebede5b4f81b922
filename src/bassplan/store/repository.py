"""Repository functions for scenarios and deliverables: each call is one transaction that
writes an audit entry for its change; updates check the version the editor read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bassplan import scenario as schema
from bassplan.data.scenario_loader import validation_error
from bassplan.domain import Region
from bassplan.errors import InputError
from bassplan.store.audit import add_created, record, snapshot
from bassplan.store.errors import AlreadyExists, NotFound, VersionConflict
from bassplan.store.lookup import one_by
from bassplan.store.models import STATUSES, Deliverable, Scenario, now_utc

DELIVERABLE_FIELDS = frozenset(
    {"title", "owner", "status", "due_date", "specialty_id", "scenario_id", "initiative_id"}
)


def validate_scenario_yaml(
    text: str, *, source: str, region: Region | None = None
) -> schema.Scenario:
    """Parse scenario YAML against the schema and, when given, the region; InputError if not."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0]
        raise InputError(source, "", "(yaml)", f"not valid YAML: {first}") from None
    if not isinstance(data, dict):
        raise InputError(source, "", "(scenario)", "must be a mapping of keys to values")
    try:
        parsed = schema.Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(source, exc) from None
    if region is not None:
        schema.check_against_region(parsed, region, source)
    return parsed


def _scenario(session: Session, name: str) -> Scenario:
    return one_by(session, Scenario, Scenario.name, name, "scenario")


def create_scenario(
    sessions: sessionmaker[Session],
    *,
    name: str,
    yaml_text: str,
    description: str = "",
    region: Region | None = None,
    actor_id: int | None = None,
) -> Scenario:
    """Store a new, validated scenario at version 1."""
    validate_scenario_yaml(yaml_text, source=f"scenario '{name}'", region=region)
    try:
        with sessions.begin() as session:
            if session.scalars(select(Scenario.id).where(Scenario.name == name)).first():
                raise AlreadyExists("scenario", name)
            row = Scenario(name=name, description=description, yaml=yaml_text,
                           created_by=actor_id)
            add_created(session, row, entity="scenario", actor_id=actor_id)
            return row
    except IntegrityError as exc:
        if _unique_violation(exc):
            raise AlreadyExists("scenario", name) from None  # a concurrent create won
        raise


def get_scenario(sessions: sessionmaker[Session], *, name: str) -> Scenario:
    """The scenario of this name; NotFound if none."""
    with sessions() as session:
        return _scenario(session, name)


def list_scenarios(sessions: sessionmaker[Session]) -> list[Scenario]:
    """Every scenario, by name."""
    with sessions() as session:
        return list(session.scalars(select(Scenario).order_by(Scenario.name)))


def update_scenario(
    sessions: sessionmaker[Session],
    *,
    name: str,
    expected_version: int,
    yaml_text: str | None = None,
    description: str | None = None,
    new_name: str | None = None,
    region: Region | None = None,
    actor_id: int | None = None,
) -> Scenario:
    """Change a scenario read at ``expected_version``; VersionConflict if it changed since."""
    try:
        with sessions.begin() as session:
            row = _scenario(session, name)
            if row.version != expected_version:
                raise VersionConflict("scenario", name, row.version, expected_version)
            before = snapshot(row)
            if yaml_text is not None:
                source = f"scenario '{new_name or name}'"
                validate_scenario_yaml(yaml_text, source=source, region=region)
                row.yaml = yaml_text
            if description is not None:
                row.description = description
            if new_name is not None and new_name != name:
                taken = select(Scenario.id).where(Scenario.name == new_name)
                if session.scalars(taken).first():
                    raise AlreadyExists("scenario", new_name)
                row.name = new_name
            row.updated_at = now_utc()
            session.flush()  # UPDATE ... WHERE version = read: stale if someone else won
            record(session, actor_id=actor_id, action="update", entity="scenario",
                   entity_id=row.id, before=before, after=snapshot(row))
            return row
    except StaleDataError:
        current = get_scenario(sessions, name=name).version
        raise VersionConflict("scenario", name, current, expected_version) from None


def delete_scenario(
    sessions: sessionmaker[Session],
    *,
    name: str,
    expected_version: int | None = None,
    actor_id: int | None = None,
) -> None:
    """Delete a scenario (checking the version when given); its work items keep no link."""
    with sessions.begin() as session:
        row = _scenario(session, name)
        if expected_version is not None and row.version != expected_version:
            raise VersionConflict("scenario", name, row.version, expected_version)
        before = snapshot(row)
        session.delete(row)
        session.flush()
        record(session, actor_id=actor_id, action="delete", entity="scenario",
               entity_id=before["id"], before=before, after=None)


def _unique_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate" in text


def _check_deliverable(fields: Mapping[str, object], where: str) -> None:
    unknown = set(fields) - DELIVERABLE_FIELDS
    if unknown:
        raise InputError("deliverable", where, sorted(unknown)[0], "is not a deliverable field")
    status = fields.get("status")
    if status is not None and status not in STATUSES:
        raise InputError("deliverable", where, "status",
                         f"'{status}' is not one of {', '.join(STATUSES)}")
    due = fields.get("due_date")
    if due is not None and not isinstance(due, date):
        raise InputError("deliverable", where, "due_date", "must be a date")


def create_deliverable(
    sessions: sessionmaker[Session],
    *,
    title: str,
    owner: str = "",
    status: str = "planlagt",
    due_date: date | None = None,
    specialty_id: str | None = None,
    scenario_id: int | None = None,
    initiative_id: int | None = None,
    actor_id: int | None = None,
) -> Deliverable:
    """Store a new deliverable at version 1."""
    fields: dict[str, Any] = {
        "title": title, "owner": owner, "status": status, "due_date": due_date,
        "specialty_id": specialty_id, "scenario_id": scenario_id,
        "initiative_id": initiative_id,
    }
    _check_deliverable(fields, "new")
    with sessions.begin() as session:
        row = Deliverable(**fields)
        add_created(session, row, entity="deliverable", actor_id=actor_id)
        return row


def get_deliverable(sessions: sessionmaker[Session], *, deliverable_id: int) -> Deliverable:
    """The deliverable with this id; NotFound if none."""
    with sessions() as session:
        row = session.get(Deliverable, deliverable_id)
        if row is None:
            raise NotFound("deliverable", str(deliverable_id))
        return row


def list_deliverables(
    sessions: sessionmaker[Session], *, specialty_id: str | None = None
) -> list[Deliverable]:
    """Deliverables by due date (undated last), optionally of one specialty."""
    query = select(Deliverable).order_by(Deliverable.due_date.is_(None), Deliverable.due_date,
                                         Deliverable.id)
    if specialty_id is not None:
        query = query.where(Deliverable.specialty_id == specialty_id)
    with sessions() as session:
        return list(session.scalars(query))


def update_deliverable(
    sessions: sessionmaker[Session],
    *,
    deliverable_id: int,
    expected_version: int,
    changes: Mapping[str, object],
    actor_id: int | None = None,
) -> Deliverable:
    """Apply ``changes`` (field → new value) to a deliverable read at ``expected_version``."""
    _check_deliverable(changes, f"id {deliverable_id}")
    try:
        with sessions.begin() as session:
            row = session.get(Deliverable, deliverable_id)
            if row is None:
                raise NotFound("deliverable", str(deliverable_id))
            if row.version != expected_version:
                raise VersionConflict("deliverable", row.title, row.version, expected_version)
            before = snapshot(row)
            for key, value in changes.items():
                setattr(row, key, value)
            session.flush()
            record(session, actor_id=actor_id, action="update", entity="deliverable",
                   entity_id=row.id, before=before, after=snapshot(row))
            return row
    except StaleDataError:
        current = get_deliverable(sessions, deliverable_id=deliverable_id)
        raise VersionConflict("deliverable", current.title, current.version,
                              expected_version) from None
