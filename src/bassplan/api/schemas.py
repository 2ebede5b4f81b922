"""Request and response bodies: a Create, an Update (with the version read) and a Public
schema per resource, so what a client may send never equals what the API returns. What they
share is in ``schema_base``; the program's governance bodies are in ``schemas_program``."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from bassplan.api.jobs import Job
from bassplan.api.schema_base import (
    MAX_ROW_ID,
    PASSWORD_RULE,
    BodySchema,
    Code,
    PublicSchema,
    ScenarioName,
    ScenarioYaml,
    Text,
)
from bassplan.domain import limits
from bassplan.domain.results import Explanation
from bassplan.i18n.words import Lang, say
from bassplan.store.password_policy import MAX_LENGTH
from bassplan.views.formatting import unit_label


class LoginRequest(BodySchema):
    """Username and password."""

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1000)


class UserPublic(PublicSchema):
    """A user as others may see it (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: datetime


class UserCreate(BodySchema):
    """A new user; role is viewer, planner, program or admin."""

    username: str = Field(min_length=1, max_length=80)
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=MAX_LENGTH, description=PASSWORD_RULE)
    role: Code = "viewer"


class UserUpdate(BodySchema):
    """A user's new role and/or whether the user is active; omitted fields stay."""

    role: Code | None = None
    active: bool | None = None


class SessionPublic(BaseModel):
    """The logged-in user and, for cookie sessions, the CSRF token to send on changes."""

    user: UserPublic
    csrf_token: str | None


class TokenCreate(BodySchema):
    """A label for a new API token and, optionally, how many days it lasts (default and
    longest allowed: the server's settings, 90 and 365 days unless configured)."""

    name: str = Field(min_length=1, max_length=200)
    days: int | None = Field(default=None, ge=1, le=36500)


class TokenPublic(BaseModel):
    """A new API token: shown this once, only its digest is stored."""

    id: int
    name: str
    token: str
    expires_at: datetime


class TokenListed(BaseModel):
    """An API token as listed (never the token): whose, its name, when it was made, last
    used and expires, and its state: active, expired or revoked."""

    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: str


class SessionsEnded(BaseModel):
    """How many login sessions an admin's order ended."""

    ended: int


class ScenarioCreate(BodySchema):
    """A new scenario: its name and YAML text, and the id of its region (default: the
    server's default region; GET /api/regions lists them)."""

    name: ScenarioName
    yaml: ScenarioYaml
    description: Text = ""
    region: Code | None = None


class ScenarioUpdate(BodySchema):
    """Changes to a scenario read at ``expected_version``; omitted fields stay."""

    expected_version: int = Field(ge=1, le=MAX_ROW_ID)
    name: ScenarioName | None = None
    yaml: ScenarioYaml | None = None
    description: Text | None = None


class ScenarioPublic(PublicSchema):
    """A stored scenario with its version (send it back when updating)."""

    id: int
    name: str
    region: str  # the id of the region it belongs to and is evaluated on
    description: str
    yaml: str
    version: int
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class AuditEntryPublic(PublicSchema):
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


class StepPublic(BaseModel):
    """One step of an explanation: a named quantity, its value, unit (as the model writes
    it, and in the reader's language) and origin."""

    label: str
    value: float | None
    unit: str
    unit_label: str
    detail: str


class ExplanationPublic(BaseModel):
    """How one scorecard value was computed, from the inputs up."""

    indicator_id: str
    specialty_id: str
    site_id: str | None
    value: float | None
    colour: str
    steps: list[StepPublic]

    @classmethod
    def of(cls, found: Explanation, lang: Lang = "en") -> ExplanationPublic:
        """The public form of an explanation in ``lang`` (nan values as null)."""
        def finite(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return cls(
            indicator_id=found.indicator_id, specialty_id=found.specialty_id,
            site_id=found.site_id, value=finite(found.value), colour=found.colour.value,
            steps=[StepPublic(label=say(s.label, lang), value=finite(s.value), unit=s.unit,
                              unit_label=unit_label(s.unit, lang),
                              detail=say(s.detail, lang) if s.detail else "")
                   for s in found.steps],
        )


class OptimiseRun(BodySchema):
    """An optimisation of a stored scenario: which specialties (all jointly when omitted),
    the solver's time limit and gap (the scenario's setting when omitted), and optionally
    a name to save the plan under as a new scenario."""

    specialties: list[Code] | None = Field(default=None, min_length=1,
                                           max_length=limits.MAX_LIST_ITEMS)
    time_limit_seconds: float = Field(default=60.0, ge=1.0, le=300.0)
    gap: float | None = Field(default=None, ge=0.0, le=1.0)
    save_as: str | None = Field(default=None, min_length=1, max_length=200)


class SimulateRun(BodySchema):
    """A simulation of a stored scenario's year: replications, days per year and the seed
    (the same seed gives the same result)."""

    replications: int = Field(default=50, ge=1, le=500)
    days: int = Field(default=365, ge=7, le=3660)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)


class JobPublic(PublicSchema):
    """A long run (optimise or simulate) as stored: what was asked (``request``), the
    scenario and its version it ran on, its status (queued, running, done, failed,
    cancelled or interrupted by a server stopping), progress 0..1, a message, and the
    result when done or the error when failed or interrupted."""

    id: str
    kind: str
    scenario: str
    scenario_version: int | None
    requested_by: int | None
    request: dict[str, Any] | None
    status: str
    progress: float
    message: str
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool

    @classmethod
    def of(cls, job: Job, lang: Lang = "en") -> JobPublic:
        """The public form of a job, its message (and error, where it can) said in ``lang``."""
        fields = {name: getattr(job, name) for name in cls.model_fields}
        error = say(job.error_words, lang) if job.error_words else job.error
        return cls(**{**fields, "message": say(job.message, lang), "error": error})


class SimulationSave(BodySchema):
    """Keep a finished simulation job's result with its scenario under ``name``."""

    job_id: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)


class SavedSimulationSummary(BaseModel):
    """A simulation result saved with its scenario, without the result itself: the
    settings it ran with (replications, days, seed), the scenario version simulated, and
    who saved it when."""

    id: int
    scenario: str
    name: str
    job_id: str | None
    scenario_version: int | None
    settings: dict[str, Any]
    saved_by: int | None
    saved_at: datetime


class SavedSimulationPublic(SavedSimulationSummary):
    """A saved simulation result with the result as the job gave it (per specialty the
    P5, P50 and P95 of the headline metrics)."""

    result: dict[str, Any]


class DataTablePublic(BaseModel):
    """One importable region table (staffing, rates, residents, travel_matrix): the region's
    own ('bundled'), an imported one (by whom, when) or none ('absent'), and its rows."""

    kind: str
    table: str  # the region file it replaces, e.g. population_by_age
    origin: str  # bundled, imported or absent
    rows: int | None
    filename: str | None = None
    uploaded_by: str | None = None
    uploaded_at: datetime | None = None
    version: int | None = None
    sha256: str | None = None


class RegionPublic(BaseModel):
    """A region the server serves: its id (for ``region`` fields and the ``region`` query)
    and name; ``default`` for the server's default region."""

    id: str
    name: str
    default: bool


class DataOverviewPublic(BaseModel):
    """The importable tables of the region in use and its revision (+1 on every change)."""

    region: str
    region_id: str
    region_revision: int
    tables: list[DataTablePublic]


class PasswordChange(BodySchema):
    """The current password and a new one (see the password rule)."""

    current_password: str = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_LENGTH, description=PASSWORD_RULE)
