"""What the Program page and the meeting pack show of the program, read from the store:
the organisation chart, role cards, work-item rows with overdue marks, meetings with
their decisions, and the pack's program section (deliverables and the decisions since
the implementeringsstyregruppe last met)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.regions import chosen_region, chosen_region_id
from bassplan.domain.region import Region
from bassplan.i18n.labels import Lang, label
from bassplan.report.program import PackDecision, PackDeliverable, ProgramPack
from bassplan.store import organisation, program, repository
from bassplan.store.accounts import has_role
from bassplan.store.models import (
    BODY_KINDS,
    CROSS_CUTTING_ROLES,
    DECISION_STATUSES,
    SITE_ROLES,
    SPECIALTY_ROLES,
    STATUSES,
    Deliverable,
    Initiative,
    Meeting,
    ProgramBody,
    SpecialtyRole,
)
from bassplan.store.organisation import OrgNode
from bassplan.views.formatting import local_name, site_short
from bassplan.web.localtime import format_date, local_today
from bassplan.web.render import page_lang


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
    decision: str | None = None


def is_overdue(item: Initiative | Deliverable, today: date) -> bool:
    """Due before today and not finished."""
    return item.due_date is not None and item.due_date < today and item.status != "afsluttet"


def short(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (a decision named in a cell)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_rows(
    items: Sequence[Initiative | Deliverable],
    names: dict[str, str],
    scenarios: dict[int, str],
    initiatives: dict[int, str],
    lang: Lang,
    decisions: dict[int, str] | None = None,
) -> list[ItemRow]:
    """Table rows with names instead of ids, Danish (or English) status and date."""
    today = local_today()
    rows = []
    for item in items:
        scenario = scenarios.get(item.scenario_id) if item.scenario_id else None
        initiative_id = getattr(item, "initiative_id", None)
        decision_id = getattr(item, "decision_id", None)
        rows.append(ItemRow(
            item=item,
            specialty=names.get(item.specialty_id, item.specialty_id) if item.specialty_id else "–",
            status=label(f"status_{item.status}", lang),
            due=format_date(item.due_date, lang),
            overdue=is_overdue(item, today),
            scenario=scenario,
            scenario_href=f"/scenarier/{quote(scenario, safe='')}" if scenario else "",
            initiative=initiatives.get(initiative_id) if initiative_id else None,
            decision=(decisions or {}).get(decision_id) if decision_id else None,
        ))
    return rows


def meeting_label(meeting: Meeting, bodies: dict[int, str], lang: Lang) -> str:
    """A meeting as "31.01.2026 · Implementeringsstyregruppe · title"."""
    parts = [format_date(meeting.date, lang)]
    if meeting.body_id is not None and meeting.body_id in bodies:
        parts.append(bodies[meeting.body_id])
    parts.append(meeting.title)
    return " · ".join(parts)


def program_pack(
    sessions: sessionmaker[Session], region: Region, lang: Lang, today: date | None = None
) -> ProgramPack:
    """The meeting pack's program section: every deliverable (overdue ones marked) and the
    decisions taken since the implementeringsstyregruppe's last meeting held by ``today``."""
    today = today or local_today()
    names = {s.id: local_name(s, lang) for s in region.specialties}
    bodies = {b.id: b.name for b in organisation.list_bodies(sessions)}
    since = program.decisions_since_last_meeting(
        sessions, organisation.steering_group_ids(sessions), today)
    texts = {d.id: short(d.text) for d in program.list_decisions(sessions)}
    deliverables = tuple(
        PackDeliverable(
            title=d.title, specialty=names.get(d.specialty_id or "", "–"),
            owner=d.owner or "–", status=label(f"status_{d.status}", lang),
            due=format_date(d.due_date, lang), overdue=is_overdue(d, today),
            decision=texts.get(d.decision_id, "–") if d.decision_id else "–")
        for d in program.list_work_items(sessions, Deliverable))
    decisions = tuple(
        PackDecision(
            meeting=meeting_label(m, bodies, lang), text=d.text,
            status=label(f"dstatus_{d.status}", lang),
            specialty=names.get(d.specialty_id or "", label("prog_whole_program", lang)),
            owner=d.owner or "–", due=format_date(d.due_date, lang))
        for m, d in since.decisions)
    line = (label("pack_since_meeting", lang).format(
        meeting=meeting_label(since.last, bodies, lang)) if since.last is not None
        else label("pack_since_never", lang))
    return ProgramPack(deliverables, decisions, line)


@dataclass(frozen=True)
class ChartNode:
    """A box of the organisation chart: the body, its kind in words, its people (the
    konceptejere of a department), and the boxes under it."""

    body: ProgramBody
    kind: str
    people: list[SpecialtyRole]
    children: list[ChartNode]


def chart(
    nodes: Sequence[OrgNode], people: dict[int, list[SpecialtyRole]], lang: Lang
) -> list[ChartNode]:
    """The organisation tree as chart boxes with words and people."""
    return [ChartNode(n.body, label(f"body_{n.body.kind}", lang), people.get(n.body.id, []),
                      chart(n.children, people, lang)) for n in nodes]


def program_context(
    request: Request, sessions: sessionmaker[Session], speciale: str | None
) -> dict[str, Any]:
    """Everything the page shows, for one specialty (``speciale``) or all."""
    lang = page_lang(request)
    region: Region = chosen_region(request)
    names = {s.id: local_name(s, lang) for s in region.specialties}
    sites = [(s.id, site_short(s)) for s in region.sites]
    chosen = speciale if speciale in names else None
    shown = [chosen] if chosen else list(names)
    overview = program.program_overview(sessions, shown)
    cards = [SpecialtyCard(s, names[s], [(role, people) for role, people in overview[s].items()
                                         if people or role not in CROSS_CUTTING_ROLES])
             for s in shown]
    bodies = organisation.list_bodies(sessions)
    body_names = {b.id: b.name for b in bodies}
    concept = program.cross_cutting_roles(sessions)
    by_body: dict[int, list[SpecialtyRole]] = {}
    for person in concept:
        if person.body_id is not None:
            by_body.setdefault(person.body_id, []).append(person)
    scenarios = {s.id: s.name for s in repository.list_scenarios(sessions)}
    regional = {s.id: s.name for s in repository.list_scenarios(
        sessions, region_id=chosen_region_id(request))}  # the pickers offer the region's own
    every_initiative = program.list_work_items(sessions, Initiative)
    titles = {i.id: i.title for i in every_initiative}
    initiatives = [i for i in every_initiative if chosen is None or i.specialty_id == chosen]
    deliverables = program.list_work_items(sessions, Deliverable, specialty_id=chosen)
    all_decisions = program.list_decisions(sessions)
    decision_texts = {d.id: short(d.text) for d in all_decisions}
    meetings = [program.get_meeting(sessions, meeting_id=m.id)
                for m in program.list_meetings(sessions)]
    user = request.state.user
    return {
        "speciale": chosen or "",
        "specialties": list(names.items()),
        "specialty_names": names,
        "sites": sites,
        "site_names": dict(sites),
        "cards": cards,
        "roles": [r for r in SPECIALTY_ROLES if r not in CROSS_CUTTING_ROLES],
        "site_roles": SITE_ROLES,
        "concept_owners": concept,
        "chart": chart(organisation.organisation_tree(bodies), by_body, lang),
        "bodies": bodies,
        "body_names": body_names,
        "body_kinds": [(k, label(f"body_{k}", lang)) for k in BODY_KINDS],
        "departments": [b for b in bodies if b.kind == "afdeling"],
        "statuses": [(s, label(f"status_{s}", lang)) for s in STATUSES],
        "decision_statuses": [(s, label(f"dstatus_{s}", lang)) for s in DECISION_STATUSES],
        "scenarios": sorted(regional.items(), key=lambda pair: pair[1]),
        "scenario_names": scenarios,
        "pack_default": min(regional.items())[1] if regional else "",
        "initiative_choices": list(titles.items()),
        "decision_choices": [(d.id, decision_texts[d.id]) for d in all_decisions],
        "initiatives": item_rows(initiatives, names, scenarios, titles, lang),
        "deliverables": item_rows(deliverables, names, scenarios, titles, lang,
                                  decision_texts),
        "meetings": meetings,
        "day": lambda value: format_date(value, lang),
        "can_edit": has_role(user, "program"),
    }

