"""Program: each specialty's people per governance role, the initiatives and deliverables
(versioned, with the scenario that justifies them) and the steering group's meetings with
their decisions. Everyone reads; program (or admin) changes, through the API's store calls
and request bodies."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from bassplan.api.deps import SessionsDep
from bassplan.api.params import IdPath
from bassplan.api.regions import chosen_region
from bassplan.api.routes.program import SpecialtyIdsDep
from bassplan.api.schemas import (
    DecisionCreate,
    DeliverableCreate,
    DeliverableUpdate,
    InitiativeCreate,
    InitiativeUpdate,
    MeetingCreate,
    SpecialtyRoleCreate,
)
from bassplan.i18n.labels import Lang, label
from bassplan.store import program, repository
from bassplan.store.accounts import has_role
from bassplan.store.models import (
    SPECIALTY_ROLES,
    STATUSES,
    Deliverable,
    Initiative,
    SpecialtyRole,
)
from bassplan.store.program import WorkItem
from bassplan.views.formatting import local_name
from bassplan.web.formparse import Draft, attempt, fields, parse, typed
from bassplan.web.localtime import format_date, local_today
from bassplan.web.pageauth import CheckedForm, PageProgram, PageUser
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)

OK_KEYS = frozenset({"prog_role_added", "prog_role_removed", "prog_initiative_saved",
                     "prog_deliverable_saved", "prog_meeting_saved", "prog_decision_saved"})
WORK_TEXT = ("title", "owner", "status")
WORK_OPTIONAL = ("due_date", "specialty_id", "scenario_id")
DELIVERABLE_OPTIONAL = (*WORK_OPTIONAL, "initiative_id")


@dataclass(frozen=True)
class SpecialtyCard:
    """One specialty's card: its name and the people in each governance role."""

    id: str
    name: str
    roles: list[tuple[str, list[SpecialtyRole]]]


@dataclass(frozen=True)
class ItemRow:
    """An initiative or deliverable as its table row shows it."""

    item: Initiative | Deliverable
    specialty: str
    status: str
    due: str
    overdue: bool
    scenario: str | None
    scenario_href: str
    initiative: str | None


def is_overdue(item: Initiative | Deliverable, today: date) -> bool:
    """Due before today and not finished."""
    return item.due_date is not None and item.due_date < today and item.status != "afsluttet"


def item_rows(
    items: Sequence[Initiative | Deliverable],
    names: dict[str, str],
    scenarios: dict[int, str],
    initiatives: dict[int, str],
    lang: Lang,
) -> list[ItemRow]:
    """Table rows with names instead of ids, Danish (or English) status and date."""
    today = local_today()
    rows = []
    for item in items:
        scenario = scenarios.get(item.scenario_id) if item.scenario_id else None
        initiative_id = getattr(item, "initiative_id", None)
        rows.append(ItemRow(
            item=item,
            specialty=names.get(item.specialty_id, item.specialty_id) if item.specialty_id else "–",
            status=label(f"status_{item.status}", lang),
            due=format_date(item.due_date, lang),
            overdue=is_overdue(item, today),
            scenario=scenario,
            scenario_href=f"/scenarier/{quote(scenario, safe='')}" if scenario else "",
            initiative=initiatives.get(initiative_id) if initiative_id else None,
        ))
    return rows


def program_context(
    request: Request, sessions: sessionmaker[Session], speciale: str | None
) -> dict[str, Any]:
    """Everything the page shows, for one specialty (``speciale``) or all."""
    lang = page_lang(request)
    region = chosen_region(request)
    names = {s.id: local_name(s, lang) for s in region.specialties}
    chosen = speciale if speciale in names else None
    shown = [chosen] if chosen else list(names)
    overview = program.program_overview(sessions, shown)
    cards = [SpecialtyCard(s, names[s], list(overview[s].items())) for s in shown]
    scenarios = {s.id: s.name for s in repository.list_scenarios(sessions)}
    every_initiative = program.list_work_items(sessions, Initiative)
    titles = {i.id: i.title for i in every_initiative}
    initiatives = [i for i in every_initiative if chosen is None or i.specialty_id == chosen]
    deliverables = program.list_work_items(sessions, Deliverable, specialty_id=chosen)
    meetings = [program.get_meeting(sessions, meeting_id=m.id)
                for m in program.list_meetings(sessions)]
    user = request.state.user
    return {
        "speciale": chosen or "",
        "specialties": list(names.items()),
        "cards": cards,
        "roles": SPECIALTY_ROLES,
        "statuses": [(s, label(f"status_{s}", lang)) for s in STATUSES],
        "scenarios": sorted(scenarios.items(), key=lambda pair: pair[1]),
        "initiative_choices": list(titles.items()),
        "initiatives": item_rows(initiatives, names, scenarios, titles, lang),
        "deliverables": item_rows(deliverables, names, scenarios, titles, lang),
        "meetings": meetings,
        "day": lambda value: format_date(value, lang),
        "can_edit": has_role(user, "program"),
    }


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


def _back(form: FormData, ok: str, anchor: str) -> str:
    """Where a change returns to: the page (same specialty filter) with its confirmation."""
    query = {"ok": ok}
    speciale = typed(form).get("speciale", "")
    if speciale:
        query["speciale"] = speciale
    return f"/program?{urlencode(query)}#{anchor}"


def _run(
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

    return attempt(action, done=_back(form, ok, anchor), failed=failed,
                   lang=page_lang(request), exists=exists)


# --- people in roles --------------------------------------------------------------------


@router.post("/program/roller")
def role_add(request: Request, form: CheckedForm, user: PageProgram, sessions: SessionsDep,
             known: SpecialtyIdsDep) -> Response:
    """Name a person in a role for a specialty."""
    values = fields(form, ("specialty_id", "role", "person_name", "email"))
    spec = str(values["specialty_id"])

    def act() -> None:
        body = parse(SpecialtyRoleCreate, values, kind="specialty_role", where="new")
        program.add_role(sessions, specialties=known, actor_id=user.id, **body.model_dump())

    exists = label("prog_role_exists", page_lang(request)).format(name=values["person_name"])
    return _run(request, sessions, form, f"role-form-{spec}", act, ok="prog_role_added",
                anchor=f"speciale-{spec}", exists=exists)


@router.post("/program/roller/{role_id}/fjern")
def role_remove(role_id: IdPath, form: CheckedForm, user: PageProgram,
                sessions: SessionsDep) -> Response:
    """Take a person out of a role."""
    program.remove_role(sessions, role_id=role_id, actor_id=user.id)
    return RedirectResponse(_back(form, "prog_role_removed", "specialer"), status_code=303)


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

        return _run(request, sessions, form, f"{work.kind}-form", act, ok=work.saved,
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

        return _run(request, sessions, form, f"{work.kind}-edit-{item_id}", act,
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


# --- meetings and decisions -------------------------------------------------------------


@router.post("/program/moeder")
def meeting_create(request: Request, form: CheckedForm, user: PageProgram,
                   sessions: SessionsDep) -> Response:
    """Record a steering group meeting."""
    values = fields(form, ("date", "title"))

    def act() -> None:
        body = parse(MeetingCreate, values, kind="meeting", where="new")
        program.create_meeting(sessions, date=body.date, title=body.title, actor_id=user.id)

    return _run(request, sessions, form, "meeting-form", act, ok="prog_meeting_saved",
                anchor="moeder")


@router.post("/program/moeder/{meeting_id}/beslutninger")
def decision_add(meeting_id: IdPath, request: Request, form: CheckedForm, user: PageProgram,
                 sessions: SessionsDep) -> Response:
    """Record a decision taken at a meeting."""
    values = fields(form, ("text", "owner"), optional=("due_date",))

    def act() -> None:
        body = parse(DecisionCreate, values, kind="decision", where="new")
        program.add_decision(sessions, meeting_id=meeting_id, actor_id=user.id,
                             **body.model_dump())

    return _run(request, sessions, form, f"decision-form-{meeting_id}", act,
                ok="prog_decision_saved", anchor=f"moede-{meeting_id}")
