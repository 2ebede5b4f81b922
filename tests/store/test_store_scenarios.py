"""Scenario CRUD with audit entries, optimistic locking, rollback and Danish letters."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bassplan.domain.errors import InputError
from bassplan.store import audit, repository
from bassplan.store.audit import list_audit
from bassplan.store.errors import AlreadyExists, NotFound, VersionConflict
from bassplan.store.models import AuditEntry, Scenario
from bassplan.store.repository import (
    create_scenario,
    delete_scenario,
    get_scenario,
    list_scenarios,
    update_scenario,
)
from tests.support.toy import toy_region

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)

YAML_1 = "name: øst\nyear: 2030\nstrength_positions:\n  kardiologi: [s0]\n"
YAML_2 = "name: øst\nyear: 2035\nstrength_positions:\n  kardiologi: [s1]\n"


def _counts(db: Db) -> tuple[int, int]:
    with db.engine.connect() as conn:
        scenarios = conn.execute(sa.select(sa.func.count()).select_from(Scenario)).scalar_one()
        audits = conn.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()
    return scenarios, audits


def test_crud_writes_audit_entries_with_before_and_after(db: Db) -> None:
    made = create_scenario(db.sessions, name="øst", yaml_text=YAML_1, description="første",
                           region=toy_region())
    assert (made.version, made.created_at.tzinfo) == (1, UTC)
    changed = update_scenario(db.sessions, name="øst", expected_version=1, yaml_text=YAML_2,
                              region=toy_region())
    assert changed.version == 2
    assert get_scenario(db.sessions, name="øst").yaml == YAML_2
    assert [s.name for s in list_scenarios(db.sessions)] == ["øst"]
    delete_scenario(db.sessions, name="øst", expected_version=2)
    with pytest.raises(NotFound, match="scenario 'øst' not found"):
        get_scenario(db.sessions, name="øst")

    entries = list_audit(db.sessions, entity="scenario")
    assert [e.action for e in entries] == ["delete", "update", "create"]  # newest first
    delete, update, create = entries
    assert create.before is None and delete.after is None
    created = json.loads(create.after or "")
    assert (created["name"], created["yaml"], created["version"]) == ("øst", YAML_1, 1)
    assert json.loads(update.before or "") == created  # before = the state as created
    after = json.loads(update.after or "")
    assert (after["yaml"], after["version"]) == (YAML_2, 2)
    assert json.loads(delete.before or "")["version"] == 2
    assert {e.entity_id for e in entries} == {str(made.id)}
    assert all(e.at.tzinfo == UTC and e.at <= datetime.now(UTC) for e in entries)


def test_audit_pages_newest_first(db: Db) -> None:
    for k in range(5):
        create_scenario(db.sessions, name=f"s{k}", yaml_text=f"name: s{k}\nyear: 2030\n")
    first = list_audit(db.sessions, limit=2)
    second = list_audit(db.sessions, limit=2, offset=2)
    rest = list_audit(db.sessions, limit=2, offset=4)
    names = [json.loads(e.after or "")["name"] for e in first + second + rest]
    assert names == ["s4", "s3", "s2", "s1", "s0"]


def test_two_editors_second_gets_a_conflict(db: Db) -> None:
    create_scenario(db.sessions, name="vest", yaml_text=YAML_1)
    read_by_anna = get_scenario(db.sessions, name="vest").version
    read_by_bo = get_scenario(db.sessions, name="vest").version
    update_scenario(db.sessions, name="vest", expected_version=read_by_anna, description="Anna")
    with pytest.raises(VersionConflict) as caught:
        update_scenario(db.sessions, name="vest", expected_version=read_by_bo, description="Bo")
    assert str(caught.value) == (
        "scenario 'vest' was changed by someone else (version 2, you had 1)"
    )
    assert get_scenario(db.sessions, name="vest").description == "Anna"
    assert _counts(db) == (1, 2)  # create + Anna's update; Bo's attempt left nothing


def test_race_between_read_and_write_is_a_conflict(
    db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bo's update passes the version check, then Anna commits before Bo writes:
    # Bo's UPDATE ... WHERE version = 1 matches no row and becomes a VersionConflict.
    create_scenario(db.sessions, name="vest", yaml_text=YAML_1)
    real = repository.validate_scenario_yaml

    def anna_sneaks_in(text: str, **kwargs: Any) -> object:
        monkeypatch.setattr(repository, "validate_scenario_yaml", real)
        update_scenario(db.sessions, name="vest", expected_version=1, description="Anna")
        return real(text, **kwargs)

    monkeypatch.setattr(repository, "validate_scenario_yaml", anna_sneaks_in)
    with pytest.raises(VersionConflict, match=r"\(version 2, you had 1\)"):
        update_scenario(db.sessions, name="vest", expected_version=1, yaml_text=YAML_2)
    row = get_scenario(db.sessions, name="vest")
    stored = YAML_1.replace("name: øst", "name: vest")  # the YAML's name follows the store's
    assert (row.version, row.description, row.yaml) == (2, "Anna", stored)


def test_failure_after_the_write_rolls_everything_back(db: Db) -> None:
    create_scenario(db.sessions, name="nord", yaml_text=YAML_1)
    # the audit row names a user that does not exist: its foreign key fails after the
    # scenario's UPDATE was already sent, so the whole transaction must roll back
    with pytest.raises(IntegrityError):
        update_scenario(db.sessions, name="nord", expected_version=1, yaml_text=YAML_2,
                        actor_id=999)
    row = get_scenario(db.sessions, name="nord")
    assert (row.version, row.yaml) == (1, YAML_1.replace("name: øst", "name: nord"))
    assert _counts(db) == (1, 1)


def test_failing_audit_write_undoes_the_create(db: Db, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)  # the audit write behind every create
    with pytest.raises(RuntimeError, match="disk full"):
        create_scenario(db.sessions, name="syd", yaml_text=YAML_1)
    assert _counts(db) == (0, 0)


def test_invalid_yaml_is_an_input_error_and_changes_nothing(db: Db) -> None:
    create_scenario(db.sessions, name="nord", yaml_text=YAML_1)
    bad_site = YAML_1.replace("[s0]", "[s9]")
    with pytest.raises(InputError, match=r"scenario 'nord'.*unknown site 's9'"):
        update_scenario(db.sessions, name="nord", expected_version=1, yaml_text=bad_site,
                        region=toy_region())
    with pytest.raises(InputError, match="year"):
        update_scenario(db.sessions, name="nord", expected_version=1, yaml_text="name: x\n")
    with pytest.raises(InputError, match="not valid YAML"):
        create_scenario(db.sessions, name="ny", yaml_text="name: [unclosed\n")
    assert _counts(db) == (1, 1)
    assert get_scenario(db.sessions, name="nord").version == 1


def test_unique_names(db: Db) -> None:
    create_scenario(db.sessions, name="a", yaml_text=YAML_1)
    create_scenario(db.sessions, name="b", yaml_text=YAML_1)
    with pytest.raises(AlreadyExists, match="scenario 'a' already exists"):
        create_scenario(db.sessions, name="a", yaml_text=YAML_1)
    with pytest.raises(AlreadyExists):
        update_scenario(db.sessions, name="b", expected_version=1, new_name="a")
    renamed = update_scenario(db.sessions, name="b", expected_version=1, new_name="bæ")
    assert renamed.name == "bæ"


def test_danish_letters_round_trip(db: Db) -> None:
    text = "name: Køge-Næstved-Åmose\ndescription: 'æøå ÆØÅ — ü'\nyear: 2030\n"
    create_scenario(db.sessions, name="Køge-Næstved-Åmose", yaml_text=text,
                    description="Særlig prøve")
    row = get_scenario(db.sessions, name="Køge-Næstved-Åmose")
    assert (row.yaml, row.description) == (text, "Særlig prøve")
    entry = list_audit(db.sessions, limit=1)[0]
    assert "Næstved-Åmose" in (entry.after or "")  # kept as letters, not \u escapes
    assert json.loads(entry.after or "")["name"] == "Køge-Næstved-Åmose"
