"""Repository functions for scenarios: each call is one transaction that writes an audit
entry for its change; updates check the version the editor read. Program work items
(initiatives, deliverables) live in ``bassplan.store.program``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bassplan.data.loaders import DEFAULT_REGION_ID
from bassplan.data.safeyaml import load_bounded
from bassplan.data.scenario_loader import scenario_yaml, validation_error
from bassplan.domain import limits
from bassplan.domain import scenario as schema
from bassplan.domain.errors import InputError
from bassplan.domain.names import name_problem
from bassplan.domain.region import Region
from bassplan.store.audit import add_created, delete_audited, record, snapshot
from bassplan.store.errors import AlreadyExists, VersionConflict
from bassplan.store.lookup import one_by
from bassplan.store.models import Scenario, now_utc

_NAME_LINE = re.compile(r"^name:.*$", re.MULTILINE)


def validate_scenario_yaml(
    text: str, *, source: str, region: Region | None = None
) -> schema.Scenario:
    """Parse scenario YAML against the schema and, when given, the region; InputError if not."""
    data = load_bounded(text, source)
    if not isinstance(data, dict):
        raise InputError(source, "", "(scenario)", "must be a mapping of keys to values")
    try:
        parsed = schema.Scenario.model_validate(data)
    except ValidationError as exc:
        raise validation_error(source, exc) from None
    if region is not None:
        schema.check_against_region(parsed, region, source)
    return parsed


def check_description(description: str | None, source: str) -> None:
    """InputError if a scenario's description is longer than ``limits.MAX_TEXT_CHARS``."""
    if description is not None and len(description) > limits.MAX_TEXT_CHARS:
        raise InputError(source, "", "description",
                         f"at most {limits.MAX_TEXT_CHARS:,} characters (got {len(description):,})")


def check_name(name: str, source: str) -> None:
    """InputError unless ``name`` follows the scenario name rule (domain.names)."""
    problem = name_problem(name)
    if problem is not None:
        raise InputError(source, "", "name", problem)


def renamed_yaml(text: str, name: str, source: str) -> str:
    """Scenario YAML whose ``name`` is ``name`` (so the stored name and the YAML's are one):
    the text itself when it already is, else the top-level ``name:`` line replaced (comments
    kept), else the scenario written afresh."""
    parsed = validate_scenario_yaml(text, source=source)
    if parsed.name == name:
        return text
    line = yaml.safe_dump({"name": name}, allow_unicode=True, width=10_000).strip()
    swapped = _NAME_LINE.sub(lambda _: line, text, count=1)
    try:
        if validate_scenario_yaml(swapped, source=source).name == name:
            return swapped
    except InputError:
        pass  # e.g. a folded multi-line name: write the scenario out instead
    return scenario_yaml(parsed.model_copy(update={"name": name}))


def _scenario(session: Session, name: str) -> Scenario:
    return one_by(session, Scenario, Scenario.name, name, "scenario")


def create_scenario(
    sessions: sessionmaker[Session],
    *,
    name: str,
    yaml_text: str,
    description: str = "",
    region: Region | None = None,
    region_id: str = DEFAULT_REGION_ID,
    actor_id: int | None = None,
) -> Scenario:
    """Store a new scenario of region ``region_id`` (validated against ``region``, that
    region's data) at version 1; the YAML's ``name`` is set to ``name``."""
    source = f"scenario '{name}'"
    check_name(name, source)
    check_description(description, source)
    validate_scenario_yaml(yaml_text, source=source, region=region)
    yaml_text = renamed_yaml(yaml_text, name, source)
    try:
        with sessions.begin() as session:
            if session.scalars(select(Scenario.id).where(Scenario.name == name)).first():
                raise AlreadyExists("scenario", name)
            row = Scenario(name=name, description=description, yaml=yaml_text,
                           region=region_id, created_by=actor_id)
            add_created(session, row, entity="scenario", actor_id=actor_id)
            return row
    except IntegrityError as exc:
        if _unique_violation(exc):
            raise AlreadyExists("scenario", name) from None  # a concurrent create won
        raise


def seed_scenarios(
    sessions: sessionmaker[Session], files: Sequence[Path], *, region: Region | None = None,
    region_id: str = DEFAULT_REGION_ID,
) -> list[str]:
    """Store the scenario files (name from each file's ``name``) as scenarios of region
    ``region_id`` (checked against ``region``) when that region has none yet; returns the
    names stored (none if the region already had scenarios)."""
    if list_scenarios(sessions, region_id=region_id, limit=1):
        return []
    stored = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        parsed = validate_scenario_yaml(text, source=str(path), region=region)
        create_scenario(sessions, name=parsed.name, yaml_text=text,
                        description=parsed.description, region=region,
                        region_id=region_id)
        stored.append(parsed.name)
    return stored


def get_scenario(sessions: sessionmaker[Session], *, name: str) -> Scenario:
    """The scenario of this name; NotFound if none."""
    with sessions() as session:
        return _scenario(session, name)


def list_scenarios(
    sessions: sessionmaker[Session], *, limit: int | None = None, offset: int = 0,
    region_id: str | None = None,
) -> list[Scenario]:
    """The scenarios by name (of region ``region_id`` only, when given): every one, or
    ``limit`` of them from ``offset``."""
    query = select(Scenario).order_by(Scenario.name).offset(offset).limit(limit)
    if region_id is not None:
        query = query.where(Scenario.region == region_id)
    with sessions() as session:
        return list(session.scalars(query))


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
            final_name = new_name or name
            source = f"scenario '{final_name}'"
            if new_name is not None and new_name != name:
                check_name(new_name, source)
            if yaml_text is not None:
                validate_scenario_yaml(yaml_text, source=source, region=region)
                row.yaml = renamed_yaml(yaml_text, final_name, source)
            elif final_name != name:
                row.yaml = renamed_yaml(row.yaml, final_name, source)
            if description is not None:
                check_description(description, source)
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
        delete_audited(session, row, entity="scenario", entity_id=row.id, actor_id=actor_id)


def _unique_violation(exc: IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate" in text
