"""Request and response bodies: a Create, an Update (with the version read) and a Public
schema per resource, so what a client may send never equals what the API returns."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Annotated, Any, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from bassplan.api.jobs import Job
from bassplan.domain import limits
from bassplan.domain.results import Explanation
from bassplan.domain.text import storable
from bassplan.i18n.words import Lang, say
from bassplan.store.password_policy import MAX_LENGTH, MIN_DISTINCT, MIN_LENGTH
from bassplan.views.formatting import unit_label

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """A date as the schema says (YYYY-MM-DD), or a date; pydantic alone would also take
    a number of seconds since 1970, which no client means."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("must be a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
MAX_ROW_ID = 2**31 - 1  # the largest id or version every supported database stores
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
Code = Annotated[str, Field(max_length=limits.MAX_NAME_CHARS)]  # a role, status or id
Text = Annotated[str, Field(max_length=limits.MAX_TEXT_CHARS)]  # a description or decision
ScenarioYaml = Annotated[str, Field(min_length=1, max_length=limits.MAX_YAML_BYTES)]
ScenarioName = Annotated[str, Field(min_length=1, max_length=limits.MAX_NAME_CHARS)]
PASSWORD_RULE = (f"At least {MIN_LENGTH} characters, {MIN_DISTINCT} of them different, "
                 "not containing the username, and not a common password (422 names the "
                 "rule a refused password breaks).")

class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _takes_bool(annotation: Any) -> bool:
    """Whether a field of this type is a yes/no (bool, or bool or None)."""
    return annotation is bool or bool in get_args(annotation)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_number(cls, value: Any, info: ValidationInfo) -> Any:
        """true/false only where the schema says boolean: pydantic alone reads them as 1
        and 0 in a number field."""
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and not _takes_bool(field.annotation):
            raise ValueError("must not be true or false")
        return value

    @field_validator("*")
    @classmethod
    def _storable(cls, value: object) -> object:
        """Text a database cannot hold (NUL, a lone surrogate) is refused by field name."""
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, str):
                storable(item)
        return value


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
    password: str = Field(min_length=1, max_length=MAX_LENGTH, description=PASSWORD_RULE)
    role: Code = "viewer"


class UserUpdate(_Body):
    """A user's new role and/or whether the user is active; omitted fields stay."""

    role: Code | None = None
    active: bool | None = None


class SessionPublic(BaseModel):
    """The logged-in user and, for cookie sessions, the CSRF token to send on changes."""

    user: UserPublic
    csrf_token: str | None


class TokenCreate(_Body):
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


class ScenarioCreate(_Body):
    """A new scenario: its name and YAML text, and the id of its region (default: the
    server's default region; GET /api/regions lists them)."""

    name: ScenarioName
    yaml: ScenarioYaml
    description: Text = ""
    region: Code | None = None


class ScenarioUpdate(_Body):
    """Changes to a scenario read at ``expected_version``; omitted fields stay."""

    expected_version: int = Field(ge=1, le=MAX_ROW_ID)
    name: ScenarioName | None = None
    yaml: ScenarioYaml | None = None
    description: Text | None = None


class ScenarioPublic(_Public):
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


class InitiativeCreate(_Body):
    """A new initiative; status is planlagt, i_gang, afsluttet or forsinket."""

    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(default="", max_length=200)
    status: Code = "planlagt"
    due_date: IsoDate | None = None
    specialty_id: Code | None = None
    scenario_id: RowId | None = None


class InitiativeUpdate(_Body):
    """Changes to an initiative read at ``expected_version``; omitted fields stay."""

    expected_version: int = Field(ge=1, le=MAX_ROW_ID)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    owner: str | None = Field(default=None, max_length=200)
    status: Code | None = None
    due_date: IsoDate | None = None
    specialty_id: Code | None = None
    scenario_id: RowId | None = None


class InitiativePublic(_Public):
    """A stored initiative with its version (send it back when updating)."""

    id: int
    title: str
    owner: str
    status: str
    due_date: date | None
    specialty_id: str | None
    scenario_id: int | None
    version: int


class DeliverableCreate(InitiativeCreate):
    """A new deliverable, optionally part of an initiative and following a decision."""

    initiative_id: RowId | None = None
    decision_id: RowId | None = None


class DeliverableUpdate(InitiativeUpdate):
    """Changes to a deliverable read at ``expected_version``; omitted fields stay."""

    initiative_id: RowId | None = None
    decision_id: RowId | None = None


class DeliverablePublic(InitiativePublic):
    """A stored deliverable with its version (send it back when updating)."""

    initiative_id: int | None
    decision_id: int | None


class ProgramBodyCreate(_Body):
    """A body of the program organisation: kind is udvalg, direktion, programstyregruppe,
    programledelse, implementeringsstyregruppe, programsekretariat, leveranceorganisation
    or afdeling (a resource-giving department); ``parent_id`` the body it reports to."""

    name: str = Field(min_length=1, max_length=200)
    kind: Code
    parent_id: RowId | None = None
    position: int = Field(default=0, ge=0, le=1000)
    note: str = Field(default="", max_length=300)


class ProgramBodyUpdate(_Body):
    """Changes to a body; omitted fields stay (``parent_id`` null: reports to nobody)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: Code | None = None
    parent_id: RowId | None = None
    position: int | None = Field(default=None, ge=0, le=1000)
    note: str | None = Field(default=None, max_length=300)


class ProgramBodyPublic(_Public):
    """A stored body of the program organisation and the body it reports to."""

    id: int
    name: str
    kind: str
    parent_id: int | None
    position: int
    note: str


class SpecialtyRoleCreate(_Body):
    """A person in a program role: specialeejer, implementeringsansvarlig (optionally for a
    site or strength position, ``site_id``), kerneteam (with profession and site) for a
    specialty, or a cross-cutting konceptejer (no specialty; ``body_id`` the department,
    e.g. HR, Økonomi or Digitalisering)."""

    specialty_id: str | None = Field(default=None, max_length=80)
    role: Code
    person_name: str = Field(min_length=1, max_length=200)
    email: str = Field(default="", max_length=200)
    site_id: str | None = Field(default=None, max_length=80)
    profession: str = Field(default="", max_length=200)
    body_id: RowId | None = None


class SpecialtyRolePublic(_Public):
    """A person holding a program role (``specialty_id`` null: cross-cutting)."""

    id: int
    specialty_id: str | None
    role: str
    person_name: str
    email: str
    site_id: str | None
    profession: str
    body_id: int | None


class SpecialtyProgramPublic(BaseModel):
    """A specialty of the region with its people per role (every role listed)."""

    id: str
    name_da: str
    name_en: str
    roles: dict[str, list[SpecialtyRolePublic]]


class MeetingCreate(_Body):
    """A new meeting: its date, title, the body that meets, agenda and minutes."""

    date: IsoDate
    title: str = Field(min_length=1, max_length=300)
    body_id: RowId | None = None
    agenda: str = Field(default="", max_length=limits.MAX_TEXT_CHARS)
    minutes: str = Field(default="", max_length=limits.MAX_TEXT_CHARS)


class MeetingUpdate(_Body):
    """Changes to a meeting; omitted fields stay."""

    date: IsoDate | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)
    body_id: RowId | None = None
    agenda: str | None = Field(default=None, max_length=limits.MAX_TEXT_CHARS)
    minutes: str | None = Field(default=None, max_length=limits.MAX_TEXT_CHARS)


class MeetingPublic(_Public):
    """A stored meeting (``body_id`` null: the body was not recorded)."""

    id: int
    date: date
    title: str
    body_id: int | None
    agenda: str
    minutes: str


class DecisionCreate(_Body):
    """A decision taken at a meeting: its status (proposed, decided, implemented or
    dropped), body (default: the meeting's), specialty (none: program-wide), the scenario
    behind it, who follows it up and by when."""

    text: str = Field(min_length=1, max_length=limits.MAX_TEXT_CHARS)
    owner: str = Field(default="", max_length=200)
    due_date: IsoDate | None = None
    body_id: RowId | None = None
    specialty_id: Code | None = None
    status: Code = "decided"
    scenario_id: RowId | None = None


class DecisionUpdate(_Body):
    """Changes to a decision; omitted fields stay."""

    text: str | None = Field(default=None, min_length=1, max_length=limits.MAX_TEXT_CHARS)
    owner: str | None = Field(default=None, max_length=200)
    due_date: IsoDate | None = None
    body_id: RowId | None = None
    specialty_id: Code | None = None
    status: Code | None = None
    scenario_id: RowId | None = None


class DecisionPublic(_Public):
    """A stored decision with the meeting it belongs to."""

    id: int
    meeting_id: int
    text: str
    owner: str
    due_date: date | None
    body_id: int | None
    specialty_id: str | None
    status: str
    scenario_id: int | None


class MeetingDetailPublic(MeetingPublic):
    """A meeting with the decisions taken at it."""

    decisions: list[DecisionPublic]


class OptimiseRun(_Body):
    """An optimisation of a stored scenario: which specialties (all jointly when omitted),
    the solver's time limit and gap (the scenario's setting when omitted), and optionally
    a name to save the plan under as a new scenario."""

    specialties: list[Code] | None = Field(default=None, min_length=1,
                                           max_length=limits.MAX_LIST_ITEMS)
    time_limit_seconds: float = Field(default=60.0, ge=1.0, le=300.0)
    gap: float | None = Field(default=None, ge=0.0, le=1.0)
    save_as: str | None = Field(default=None, min_length=1, max_length=200)


class SimulateRun(_Body):
    """A simulation of a stored scenario's year: replications, days per year and the seed
    (the same seed gives the same result)."""

    replications: int = Field(default=50, ge=1, le=500)
    days: int = Field(default=365, ge=7, le=3660)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)


class JobPublic(_Public):
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


class SimulationSave(_Body):
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


class PasswordChange(_Body):
    """The current password and a new one (see the password rule)."""

    current_password: str = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_LENGTH, description=PASSWORD_RULE)
