"""Program: the program organisation (chart and bodies), each specialty's people per role
and the cross-cutting konceptejere, the initiatives and deliverables (versioned, with the
scenario that justifies them), the bodies' meetings with their decisions, and the meeting
pack. Everyone reads; program (or admin) changes, through the API's store calls and
request bodies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from bassplan.api.deps import SessionsDep
from bassplan.api.params import IdPath
from bassplan.api.routes.program import SiteIdsDep, SpecialtyIdsDep
from bassplan.api.schemas_program import (
    DeliverableCreate,
    DeliverableUpdate,
    InitiativeCreate,
    InitiativeUpdate,
    SpecialtyRoleCreate,
)
from bassplan.i18n.labels import label
from bassplan.store import program
from bassplan.store.models import Deliverable, Initiative
from bassplan.store.program import WorkItem
from bassplan.web.formparse import Draft, attempt, fields, parse, typed
from bassplan.web.pageauth import CheckedForm, PageProgram, PageUser
from bassplan.web.program_views import program_context
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)

OK_KEYS = frozenset({"prog_role_added", "prog_role_removed", "prog_initiative_saved",
                     "prog_deliverable_saved", "prog_meeting_saved", "prog_decision_saved",
                     "prog_body_saved", "prog_body_removed"})
WORK_TEXT = ("title", "owner", "status")
WORK_OPTIONAL = ("due_date", "specialty_id", "scenario_id")
DELIVERABLE_OPTIONAL = (*WORK_OPTIONAL, "initiative_id", "decision_id")


@router.get("/program", response_class=HTMLResponse)
def program_page(
    request: Request,
    user: PageUser,
    sessions: SessionsDep,
    speciale: str | None = None,
    ok: str | None = None,
) -> HTMLResponse:
    """The Program page, optionally for one specialty."""
    return render(request, "program.html", draft=Draft(),
                  ok=ok if ok in OK_KEYS else "", **program_context(request, sessions, speciale))


def back(form: FormData, ok: str, anchor: str) -> str:
    """Where a change returns to: the page (same specialty filter) with its confirmation."""
    query = {"ok": ok}
    speciale = typed(form).get("speciale", "")
    if speciale:
        query["speciale"] = speciale
    return f"/program?{urlencode(query)}#{anchor}"


def run_form(
    request: Request,
    sessions: sessionmaker[Session],
    form: FormData,
    form_id: str,
    action: Callable[[], object],
    *,
    ok: str,
    anchor: str,
    exists: str = "",
) -> Response:
    """Do ``action``; back to the page, or the page again with the form as typed."""

    def failed(status: int, message: str) -> Response:
        context = program_context(request, sessions, typed(form).get("speciale"))
        return render(request, "program.html", status=status, ok="",
                      draft=Draft(form_id, typed(form), message), **context)

    return attempt(action, done=back(form, ok, anchor), failed=failed,
                   lang=page_lang(request), exists=exists)


# --- people in roles --------------------------------------------------------------------


@router.post("/program/roller")
def role_add(request: Request, form: CheckedForm, user: PageProgram, sessions: SessionsDep,
             known: SpecialtyIdsDep, sites: SiteIdsDep) -> Response:
    """Name a person in a role: for a specialty (with site and profession where the role
    has them), or cross-cutting (a konceptejer for a department)."""
    values = fields(form, ("role", "person_name", "email", "profession"),
                    optional=("specialty_id", "site_id", "body_id"))
    spec = str(values["specialty_id"] or "")

    def act() -> None:
        body = parse(SpecialtyRoleCreate, values, kind="specialty_role", where="new")
        program.add_role(sessions, specialties=known, sites=sites, actor_id=user.id,
                         **body.model_dump())

    exists = label("prog_role_exists", page_lang(request)).format(name=values["person_name"])
    form_id, anchor = ((f"role-form-{spec}", f"speciale-{spec}") if spec
                       else ("concept-form", "konceptejere"))
    return run_form(request, sessions, form, form_id, act, ok="prog_role_added",
                anchor=anchor, exists=exists)


@router.post("/program/roller/{role_id}/fjern")
def role_remove(role_id: IdPath, form: CheckedForm, user: PageProgram,
                sessions: SessionsDep) -> Response:
    """Take a person out of a role."""
    program.remove_role(sessions, role_id=role_id, actor_id=user.id)
    return RedirectResponse(back(form, "prog_role_removed", "specialer"), status_code=303)


# --- initiatives and deliverables ------------------------------------------------------


@dataclass(frozen=True)
class WorkKind(Generic[WorkItem]):
    """How the page names, parses and stores one kind of work item."""

    path: str  # Danish path segment and page anchor
    model: type[WorkItem]
    create: type[InitiativeCreate] | type[DeliverableCreate]
    update: type[InitiativeUpdate] | type[DeliverableUpdate]
    kind: str  # singular, as the store and audit name it
    optional: tuple[str, ...]
    saved: str  # label key of the confirmation


def _work_routes(work: WorkKind[WorkItem]) -> None:
    """Register the create and edit forms of one kind of work item."""

    def create(request: Request, form: CheckedForm, user: PageProgram,
               sessions: SessionsDep, known: SpecialtyIdsDep) -> Response:
        values = fields(form, WORK_TEXT, optional=work.optional)

        def act() -> None:
            body = parse(work.create, values, kind=work.kind, where="new")
            program.create_work_item(sessions, work.model, body.model_dump(),
                                     specialties=known, actor_id=user.id)

        return run_form(request, sessions, form, f"{work.kind}-form", act, ok=work.saved,
                    anchor=work.path)

    def update(item_id: IdPath, request: Request, form: CheckedForm, user: PageProgram,
               sessions: SessionsDep, known: SpecialtyIdsDep) -> Response:
        values = fields(form, (*WORK_TEXT, "expected_version"), optional=work.optional)

        def act() -> None:
            body = parse(work.update, values, kind=work.kind, where=f"id {item_id}")
            program.update_work_item(
                sessions, work.model, item_id, expected_version=body.expected_version,
                changes=body.model_dump(exclude_unset=True, exclude={"expected_version"}),
                specialties=known, actor_id=user.id)

        return run_form(request, sessions, form, f"{work.kind}-edit-{item_id}", act,
                    ok=work.saved, anchor=work.path)

    create.__doc__ = f"Store a new {work.kind}."
    update.__doc__ = f"Save a {work.kind}'s edit form, read at its hidden expected_version."
    router.add_api_route(f"/program/{work.path}", create, methods=["POST"],
                         name=f"{work.kind}_create")
    router.add_api_route(f"/program/{work.path}/{{item_id}}", update, methods=["POST"],
                         name=f"{work.kind}_update")


_work_routes(
    WorkKind("initiativer", Initiative, InitiativeCreate, InitiativeUpdate, "initiative",
             WORK_OPTIONAL, "prog_initiative_saved"))
_work_routes(
    WorkKind("leverancer", Deliverable, DeliverableCreate, DeliverableUpdate, "deliverable",
             DELIVERABLE_OPTIONAL, "prog_deliverable_saved"))


# meetings, decisions, the organisation and the meeting pack: web.routes.program_meetings
