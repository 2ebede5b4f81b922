"""Request and response bodies: a Create, an Update (with the version read) and a Public
schema per resource, so what a client may send never equals what the API returns."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(_Body):
    """Username and password."""

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)


class UserPublic(_Public):
    """A user as others may see it (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: datetime


class UserCreate(_Body):
    """A new user; role is viewer, planner, program or admin."""

    username: str = Field(min_length=1, max_length=80)
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=8, max_length=1000)
    role: str = "viewer"


class SessionPublic(BaseModel):
    """The logged-in user and, for cookie sessions, the CSRF token to send on changes."""

    user: UserPublic
    csrf_token: str | None


class TokenCreate(_Body):
    """A label for a new API token."""

    name: str = Field(min_length=1, max_length=200)


class TokenPublic(BaseModel):
    """A new API token: shown this once, only its digest is stored."""

    name: str
    token: str


class ScenarioCreate(_Body):
    """A new scenario: its name and YAML text."""

    name: str = Field(min_length=1, max_length=200)
    yaml: str = Field(min_length=1)
    description: str = ""


class ScenarioUpdate(_Body):
    """Changes to a scenario read at ``expected_version``; omitted fields stay."""

    expected_version: int = Field(ge=1)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    yaml: str | None = Field(default=None, min_length=1)
    description: str | None = None


class ScenarioPublic(_Public):
    """A stored scenario with its version (send it back when updating)."""

    id: int
    name: str
    description: str
    yaml: str
    version: int
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class DeliverableCreate(_Body):
    """A new deliverable; status is planlagt, i_gang, afsluttet or forsinket."""

    title: str = Field(min_length=1, max_length=300)
    owner: str = ""
    status: str = "planlagt"
    due_date: date | None = None
    specialty_id: str | None = None
    scenario_id: int | None = None
    initiative_id: int | None = None


class DeliverableUpdate(_Body):
    """Changes to a deliverable read at ``expected_version``; omitted fields stay."""

    expected_version: int = Field(ge=1)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    owner: str | None = None
    status: str | None = None
    due_date: date | None = None
    specialty_id: str | None = None
    scenario_id: int | None = None
    initiative_id: int | None = None


class DeliverablePublic(_Public):
    """A stored deliverable with its version."""

    id: int
    title: str
    owner: str
    status: str
    due_date: date | None
    specialty_id: str | None
    scenario_id: int | None
    initiative_id: int | None
    version: int


class AuditEntryPublic(_Public):
    """One change in the audit trail, with the record before and after."""

    id: int
    at: datetime
    user_id: int | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @field_validator("before", "after", mode="before")
    @classmethod
    def _parse(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value
