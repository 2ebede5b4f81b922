"""Request and response bodies of the program's governance: initiatives and deliverables,
the program's organisation, roles, meetings and decisions."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from bassplan.api.schema_base import MAX_ROW_ID, BodySchema, Code, IsoDate, PublicSchema, RowId
from bassplan.domain import limits


class InitiativeCreate(BodySchema):
    """A new initiative; status is planlagt, i_gang, afsluttet or forsinket."""

    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(default="", max_length=200)
    status: Code = "planlagt"
    due_date: IsoDate | None = None
    specialty_id: Code | None = None
    scenario_id: RowId | None = None


class InitiativeUpdate(BodySchema):
    """Changes to an initiative read at ``expected_version``; omitted fields stay."""

    expected_version: int = Field(ge=1, le=MAX_ROW_ID)
    title: str | None = Field(default=None, min_length=1, max_length=300)
    owner: str | None = Field(default=None, max_length=200)
    status: Code | None = None
    due_date: IsoDate | None = None
    specialty_id: Code | None = None
    scenario_id: RowId | None = None


class InitiativePublic(PublicSchema):
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


class ProgramBodyCreate(BodySchema):
    """A body of the program organisation: kind is udvalg, direktion, programstyregruppe,
    programledelse, implementeringsstyregruppe, programsekretariat, leveranceorganisation
    or afdeling (a resource-giving department); ``parent_id`` the body it reports to."""

    name: str = Field(min_length=1, max_length=200)
    kind: Code
    parent_id: RowId | None = None
    position: int = Field(default=0, ge=0, le=1000)
    note: str = Field(default="", max_length=300)


class ProgramBodyUpdate(BodySchema):
    """Changes to a body; omitted fields stay (``parent_id`` null: reports to nobody)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: Code | None = None
    parent_id: RowId | None = None
    position: int | None = Field(default=None, ge=0, le=1000)
    note: str | None = Field(default=None, max_length=300)


class ProgramBodyPublic(PublicSchema):
    """A stored body of the program organisation and the body it reports to."""

    id: int
    name: str
    kind: str
    parent_id: int | None
    position: int
    note: str


class SpecialtyRoleCreate(BodySchema):
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


class SpecialtyRolePublic(PublicSchema):
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


class MeetingCreate(BodySchema):
    """A new meeting: its date, title, the body that meets, agenda and minutes."""

    date: IsoDate
    title: str = Field(min_length=1, max_length=300)
    body_id: RowId | None = None
    agenda: str = Field(default="", max_length=limits.MAX_TEXT_CHARS)
    minutes: str = Field(default="", max_length=limits.MAX_TEXT_CHARS)


class MeetingUpdate(BodySchema):
    """Changes to a meeting; omitted fields stay."""

    date: IsoDate | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)
    body_id: RowId | None = None
    agenda: str | None = Field(default=None, max_length=limits.MAX_TEXT_CHARS)
    minutes: str | None = Field(default=None, max_length=limits.MAX_TEXT_CHARS)


class MeetingPublic(PublicSchema):
    """A stored meeting (``body_id`` null: the body was not recorded)."""

    id: int
    date: date
    title: str
    body_id: int | None
    agenda: str
    minutes: str


class DecisionCreate(BodySchema):
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


class DecisionUpdate(BodySchema):
    """Changes to a decision; omitted fields stay."""

    text: str | None = Field(default=None, min_length=1, max_length=limits.MAX_TEXT_CHARS)
    owner: str | None = Field(default=None, max_length=200)
    due_date: IsoDate | None = None
    body_id: RowId | None = None
    specialty_id: Code | None = None
    status: Code | None = None
    scenario_id: RowId | None = None


class DecisionPublic(PublicSchema):
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
