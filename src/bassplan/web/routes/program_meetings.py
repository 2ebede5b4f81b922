"""Program page forms for the organisation (its bodies and who reports to whom), the
bodies' meetings (agenda, minutes) and their decisions (status, specialty, scenario), and
the meeting pack of the Program page. Everyone reads; program (or admin) changes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bassplan.api.deps import SessionsDep
from bassplan.api.evaluations import evaluated
from bassplan.api.params import IdPath
from bassplan.api.routes.program import SpecialtyIdsDep
from bassplan.api.schemas_program import (
    DecisionCreate,
    DecisionUpdate,
    MeetingCreate,
    MeetingUpdate,
    ProgramBodyCreate,
    ProgramBodyUpdate,
)
from bassplan.i18n.labels import label
from bassplan.store import organisation, program, repository
from bassplan.web.formparse import fields, parse
from bassplan.web.pageauth import CheckedForm, PageProgram, PageUser
from bassplan.web.render import page_lang
from bassplan.web.routes.program import back, run_form
from bassplan.web.routes.scenarios import pack_download

router = APIRouter(include_in_schema=False)

MEETING_TEXT = ("date", "title", "agenda", "minutes")
DECISION_TEXT = ("text", "owner")
DECISION_OPTIONAL = ("status", "due_date", "body_id", "specialty_id", "scenario_id")
BODY_TEXT = ("name", "kind", "position", "note")


# --- the organisation -------------------------------------------------------------------


def _exists(request: Request, values: dict[str, object]) -> str:
    """The message when a body's name is taken."""
    return label("prog_body_exists", page_lang(request)).format(name=values["name"])


@router.post("/program/organisation")
def body_create(request: Request, form: CheckedForm, user: PageProgram,
                sessions: SessionsDep) -> Response:
    """Add a body to the program organisation."""
    values = fields(form, BODY_TEXT, optional=("parent_id",))

    def act() -> None:
        body = parse(ProgramBodyCreate, values, kind="program_body", where="new")
        organisation.create_body(sessions, body.model_dump(), actor_id=user.id)

    return run_form(request, sessions, form, "body-form", act, ok="prog_body_saved",
                    anchor="organisation", exists=_exists(request, values))


@router.post("/program/organisation/{body_id}")
def body_update(body_id: IdPath, request: Request, form: CheckedForm, user: PageProgram,
                sessions: SessionsDep) -> Response:
    """Save a body's edit form (name, kind, the body it reports to, position, note)."""
    values = fields(form, BODY_TEXT, optional=("parent_id",))

    def act() -> None:
        body = parse(ProgramBodyUpdate, values, kind="program_body", where=f"id {body_id}")
        organisation.update_body(sessions, body_id, body.model_dump(exclude_unset=True),
                                 actor_id=user.id)

    return run_form(request, sessions, form, f"body-edit-{body_id}", act,
                    ok="prog_body_saved", anchor="organisation", exists=_exists(request, values))


@router.post("/program/organisation/{body_id}/fjern")
def body_remove(body_id: IdPath, form: CheckedForm, user: PageProgram,
                sessions: SessionsDep) -> Response:
    """Delete a body; those under it report to its parent instead."""
    organisation.delete_body(sessions, body_id, actor_id=user.id)
    return RedirectResponse(back(form, "prog_body_removed", "organisation"), status_code=303)


# --- meetings and decisions -------------------------------------------------------------


@router.post("/program/moeder")
def meeting_create(request: Request, form: CheckedForm, user: PageProgram,
                   sessions: SessionsDep) -> Response:
    """Record a meeting of a body, with agenda and minutes."""
    values = fields(form, MEETING_TEXT, optional=("body_id",))

    def act() -> None:
        body = parse(MeetingCreate, values, kind="meeting", where="new")
        program.create_meeting(sessions, actor_id=user.id, **body.model_dump())

    return run_form(request, sessions, form, "meeting-form", act, ok="prog_meeting_saved",
                    anchor="moeder")


@router.post("/program/moeder/{meeting_id}")
def meeting_update(meeting_id: IdPath, request: Request, form: CheckedForm,
                   user: PageProgram, sessions: SessionsDep) -> Response:
    """Save a meeting's edit form (e.g. the minutes after it was held)."""
    values = fields(form, MEETING_TEXT, optional=("body_id",))

    def act() -> None:
        body = parse(MeetingUpdate, values, kind="meeting", where=f"id {meeting_id}")
        program.update_meeting(sessions, meeting_id=meeting_id, actor_id=user.id,
                               changes=body.model_dump(exclude_unset=True))

    return run_form(request, sessions, form, f"meeting-edit-{meeting_id}", act,
                    ok="prog_meeting_saved", anchor=f"moede-{meeting_id}")


def _without_blank_status(values: dict[str, object]) -> dict[str, object]:
    """The form's values; a status left out keeps the default (or the stored one)."""
    return {k: v for k, v in values.items() if k != "status" or v is not None}


@router.post("/program/moeder/{meeting_id}/beslutninger")
def decision_add(meeting_id: IdPath, request: Request, form: CheckedForm, user: PageProgram,
                 sessions: SessionsDep, known: SpecialtyIdsDep) -> Response:
    """Record a decision taken at a meeting (status "decided" unless the form says)."""
    values = _without_blank_status(fields(form, DECISION_TEXT, optional=DECISION_OPTIONAL))

    def act() -> None:
        body = parse(DecisionCreate, values, kind="decision", where="new")
        program.add_decision(sessions, meeting_id=meeting_id, specialties=known,
                             actor_id=user.id, **body.model_dump())

    return run_form(request, sessions, form, f"decision-form-{meeting_id}", act,
                    ok="prog_decision_saved", anchor=f"moede-{meeting_id}")


@router.post("/program/beslutninger/{decision_id}")
def decision_update(decision_id: IdPath, request: Request, form: CheckedForm,
                    user: PageProgram, sessions: SessionsDep,
                    known: SpecialtyIdsDep) -> Response:
    """Save a decision's edit form (its status, above all)."""
    values = _without_blank_status(fields(form, DECISION_TEXT, optional=DECISION_OPTIONAL))

    def act() -> None:
        body = parse(DecisionUpdate, values, kind="decision", where=f"id {decision_id}")
        program.update_decision(sessions, decision_id=decision_id, specialties=known,
                                actor_id=user.id, changes=body.model_dump(exclude_unset=True))

    return run_form(request, sessions, form, f"decision-edit-{decision_id}", act,
                    ok="prog_decision_saved", anchor=f"beslutning-{decision_id}")


# --- the meeting pack -------------------------------------------------------------------


@router.get("/program/moedepakke.pdf")
def program_pdf(request: Request, user: PageUser, sessions: SessionsDep,
                scenarie: str) -> Response:
    """The meeting pack as an A4 PDF: the chosen scenario (the Program page offers the
    baseline first) and the program's deliverables and decisions since the last meeting."""
    row = repository.get_scenario(sessions, name=scenarie)
    return pack_download(request, sessions, evaluated(request, row),
                         f"moedepakke-program-{row.name}.pdf")
