"""Population responsibility: for every area (municipality), which team answers for its
residents in each specialty, how they are seen, and how far they travel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.results import Evaluation

WITHIN_MINUTES = 45.0  # the access limit shown per area


@dataclass(frozen=True)
class SpecialtyResponsibility:
    """One specialty's answer for one area's residents.

    ``site_id`` is the strength position whose team answers for them; ``visit_site_id`` is
    where they are seen in person (the strength position or an outreach clinic). The three
    shares split their outpatient contacts per year (nan for an area without any).
    """

    specialty_id: str
    site_id: str
    visit_site_id: str
    share_strength_position: float
    share_outreach: float
    share_digital: float
    minutes: float  # travel minutes to the in-person site
    within_45: bool


@dataclass(frozen=True)
class ResponsibilityRow:
    """One area: its residents in the scenario year, where they are admitted, and one entry
    per specialty in the region's order."""

    area_code: str
    area_name: str
    residents: float
    admitting_site_id: str
    specialties: tuple[SpecialtyResponsibility, ...]


def population_responsibility(evaluation: Evaluation) -> list[ResponsibilityRow]:
    """One row per area of the region, in the region's order."""
    region, plan, allocation = evaluation.region, evaluation.plan, evaluation.allocation
    split = allocation.outpatient
    in_person = split.in_person.sum(axis=-1).T  # (S, A) outpatient visits per year
    digital = split.digital.sum(axis=-1).T
    total = in_person + digital
    with np.errstate(invalid="ignore", divide="ignore"):
        in_person_share = np.where(total > 0, in_person / total, np.nan)
        digital_share = np.where(total > 0, digital / total, np.nan)
    visit = allocation.outpatient_at  # (S, A)
    at_strength = np.take_along_axis(plan.strength_position, visit, axis=1)
    share_strength = in_person_share * at_strength  # nan stays nan where no contacts
    share_outreach = in_person_share * ~at_strength
    team = np.take_along_axis(plan.serving_team, visit, axis=1)
    areas = np.arange(len(region.areas))
    minutes = evaluation.travel_minutes[areas[None, :], visit]  # (S, A)
    site_ids = [s.id for s in region.sites]

    rows: list[ResponsibilityRow] = []
    for a, area in enumerate(region.areas):
        entries = tuple(
            SpecialtyResponsibility(
                specialty_id=spec.id,
                site_id=site_ids[team[s, a]],
                visit_site_id=site_ids[visit[s, a]],
                share_strength_position=float(share_strength[s, a]),
                share_outreach=float(share_outreach[s, a]),
                share_digital=float(digital_share[s, a]),
                minutes=float(minutes[s, a]),
                within_45=bool(minutes[s, a] <= WITHIN_MINUTES),
            )
            for s, spec in enumerate(region.specialties)
        )
        rows.append(
            ResponsibilityRow(
                area_code=area.code,
                area_name=area.name,
                residents=float(evaluation.residents[a]),
                admitting_site_id=site_ids[allocation.admitted_at[a]],
                specialties=entries,
            )
        )
    return rows
