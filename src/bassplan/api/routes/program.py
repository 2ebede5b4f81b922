"""Program governance: the region's specialties with their people per role, cross-cutting
roles, initiatives (versioned), and meetings of the program's bodies with their decisions.
Any user reads; program or admin changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from bassplan.api.deps import ProgramUser, RegionDep, SessionsDep, ViewerUser
from bassplan.api.params import CodeQuery, IdPath, VersionQuery
from bassplan.api.schema_base import RowId
from bassplan.api.schemas_program import (
    DecisionCreate,
    DecisionPublic,
    DecisionUpdate,
    InitiativeCreate,
    InitiativePublic,
    InitiativeUpdate,
    MeetingCreate,
    MeetingDetailPublic,
    MeetingPublic,
    MeetingUpdate,
    SpecialtyProgramPublic,
    SpecialtyRoleCreate,
    SpecialtyRolePublic,
)
from bassplan.store import program
from bassplan.store.models import Initiative

router = APIRouter(tags=["program"])


def specialty_ids(region: RegionDep) -> tuple[str, ...]:
    """The region's specialty ids, the only ones a role or work item may name."""
    return tuple(s.id for s in region.specialties)


SpecialtyIdsDep = Annotated[tuple[str, ...], Depends(specialty_ids)]


def site_ids(region: RegionDep) -> tuple[str, ...]:
    """The region's site ids, the only ones a role may name."""
    return tuple(s.id for s in region.sites)


SiteIdsDep = Annotated[tuple[str, ...], Depends(site_ids)]


# --- specialties and roles --------------------------------------------------------------


@router.get("/api/program/specialties")
def program_specialties(
    user: ViewerUser, sessions: SessionsDep, region: RegionDep
) -> list[SpecialtyProgramPublic]:
    """Every specialty of the region with its people per role (the Program page)."""
    overview = program.program_overview(sessions, [s.id for s in region.specialties])
    return [
        SpecialtyProgramPublic(
            id=s.id, name_da=s.name_da, name_en=s.name_en,
            roles={role: [SpecialtyRolePublic.model_validate(r) for r in people]
                   for role, people in overview[s.id].items()},
        )
        for s in region.specialties
    ]


@router.get("/api/program/roles")
def list_roles(
    user: ViewerUser, sessions: SessionsDep, specialty: CodeQuery = None
) -> list[SpecialtyRolePublic]:
    """Everyone in a program role (optionally of one specialty), cross-cutting included."""
    rows = (program.list_roles(sessions, specialty_id=specialty) if specialty is not None
            else [*program.cross_cutting_roles(sessions),
                  *(r for r in program.list_roles(sessions) if r.specialty_id is not None)])
    return [SpecialtyRolePublic.model_validate(r) for r in rows]


@router.post("/api/program/roles", status_code=201)
def add_role(
    body: SpecialtyRoleCreate,
    user: ProgramUser,
    sessions: SessionsDep,
    known: SpecialtyIdsDep,
    sites: SiteIdsDep,
) -> SpecialtyRolePublic:
    """Name a person in a role: for one of the region's specialties (at one of its sites,
    for an implementeringsansvarlig or kerneteam member), or cross-cutting (konceptejer)."""
    row = program.add_role(sessions, specialties=known, sites=sites, actor_id=user.id,
                           **body.model_dump())
    return SpecialtyRolePublic.model_validate(row)


@router.delete("/api/program/roles/{role_id}", status_code=204)
def remove_role(role_id: IdPath, user: ProgramUser, sessions: SessionsDep) -> Response:
    """Take a person out of a role."""
    program.remove_role(sessions, role_id=role_id, actor_id=user.id)
    return Response(status_code=204)


# --- initiatives ------------------------------------------------------------------------


@router.get("/api/initiatives")
def list_initiatives(
    user: ViewerUser, sessions: SessionsDep, specialty: CodeQuery = None
) -> list[InitiativePublic]:
    """Initiatives by due date (undated last), optionally of one specialty."""
    rows = program.list_work_items(sessions, Initiative, specialty_id=specialty)
    return [InitiativePublic.model_validate(r) for r in rows]


@router.post("/api/initiatives", status_code=201)
def create_initiative(
    body: InitiativeCreate, user: ProgramUser, sessions: SessionsDep, known: SpecialtyIdsDep
) -> InitiativePublic:
    """Store a new initiative at version 1."""
    row = program.create_work_item(sessions, Initiative, body.model_dump(), specialties=known,
                                   actor_id=user.id)
    return InitiativePublic.model_validate(row)


@router.get("/api/initiatives/{initiative_id}")
def get_initiative(
    initiative_id: IdPath, user: ViewerUser, sessions: SessionsDep
) -> InitiativePublic:
    """One initiative with its version."""
    row = program.get_work_item(sessions, Initiative, initiative_id)
    return InitiativePublic.model_validate(row)


@router.put("/api/initiatives/{initiative_id}")
def update_initiative(
    initiative_id: IdPath,
    body: InitiativeUpdate,
    user: ProgramUser,
    sessions: SessionsDep,
    known: SpecialtyIdsDep,
) -> InitiativePublic:
    """Apply the fields sent to an initiative read at ``expected_version``; 409 if stale."""
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    row = program.update_work_item(sessions, Initiative, initiative_id,
                                   expected_version=body.expected_version, changes=changes,
                                   specialties=known, actor_id=user.id)
    return InitiativePublic.model_validate(row)


@router.delete("/api/initiatives/{initiative_id}", status_code=204)
def delete_initiative(
    initiative_id: IdPath,
    user: ProgramUser,
    sessions: SessionsDep,
    expected_version: VersionQuery = None,
) -> Response:
    """Delete an initiative (checking ``expected_version`` when given); its deliverables stay."""
    program.delete_work_item(sessions, Initiative, initiative_id,
                             expected_version=expected_version, actor_id=user.id)
    return Response(status_code=204)


# --- meetings and decisions -------------------------------------------------------------


def _minutes(minutes: program.MeetingMinutes) -> MeetingDetailPublic:
    meeting = MeetingPublic.model_validate(minutes.meeting)
    decisions = [DecisionPublic.model_validate(d) for d in minutes.decisions]
    return MeetingDetailPublic(**meeting.model_dump(), decisions=decisions)


@router.get("/api/meetings")
def list_meetings(user: ViewerUser, sessions: SessionsDep) -> list[MeetingPublic]:
    """Every meeting, newest first."""
    return [MeetingPublic.model_validate(m) for m in program.list_meetings(sessions)]


@router.post("/api/meetings", status_code=201)
def create_meeting(
    body: MeetingCreate, user: ProgramUser, sessions: SessionsDep
) -> MeetingPublic:
    """Record a meeting of a body, with its agenda and minutes."""
    row = program.create_meeting(sessions, actor_id=user.id, **body.model_dump())
    return MeetingPublic.model_validate(row)


@router.put("/api/meetings/{meeting_id}")
def update_meeting(
    meeting_id: IdPath, body: MeetingUpdate, user: ProgramUser, sessions: SessionsDep
) -> MeetingPublic:
    """Apply the fields sent to a meeting (e.g. its minutes after it was held)."""
    row = program.update_meeting(sessions, meeting_id=meeting_id, actor_id=user.id,
                                 changes=body.model_dump(exclude_unset=True))
    return MeetingPublic.model_validate(row)


@router.get("/api/meetings/{meeting_id}")
def get_meeting(meeting_id: IdPath, user: ViewerUser, sessions: SessionsDep) -> MeetingDetailPublic:
    """One meeting with its decisions."""
    return _minutes(program.get_meeting(sessions, meeting_id=meeting_id))


@router.delete("/api/meetings/{meeting_id}", status_code=204)
def delete_meeting(meeting_id: IdPath, user: ProgramUser, sessions: SessionsDep) -> Response:
    """Delete a meeting and its decisions."""
    program.delete_meeting(sessions, meeting_id=meeting_id, actor_id=user.id)
    return Response(status_code=204)


@router.post("/api/meetings/{meeting_id}/decisions", status_code=201)
def add_decision(
    meeting_id: IdPath,
    body: DecisionCreate,
    user: ProgramUser,
    sessions: SessionsDep,
    known: SpecialtyIdsDep,
) -> DecisionPublic:
    """Record a decision taken at a meeting (its body defaults to the meeting's)."""
    row = program.add_decision(sessions, meeting_id=meeting_id, specialties=known,
                               actor_id=user.id, **body.model_dump())
    return DecisionPublic.model_validate(row)


@router.get("/api/decisions")
def list_decisions(
    user: ViewerUser,
    sessions: SessionsDep,
    status: CodeQuery = None,
    body: Annotated[RowId | None, Query()] = None,
) -> list[DecisionPublic]:
    """Decisions, newest meeting first, optionally of one status or body."""
    rows = program.list_decisions(sessions, status=status, body_id=body)
    return [DecisionPublic.model_validate(d) for d in rows]


@router.put("/api/decisions/{decision_id}")
def update_decision(
    decision_id: IdPath,
    body: DecisionUpdate,
    user: ProgramUser,
    sessions: SessionsDep,
    known: SpecialtyIdsDep,
) -> DecisionPublic:
    """Apply the fields sent to a decision (e.g. its status)."""
    row = program.update_decision(sessions, decision_id=decision_id, specialties=known,
                                  actor_id=user.id, changes=body.model_dump(exclude_unset=True))
    return DecisionPublic.model_validate(row)


@router.delete("/api/decisions/{decision_id}", status_code=204)
def delete_decision(decision_id: IdPath, user: ProgramUser, sessions: SessionsDep) -> Response:
    """Delete one decision."""
    program.delete_decision(sessions, decision_id=decision_id, actor_id=user.id)
    return Response(status_code=204)
