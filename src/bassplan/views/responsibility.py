"""Population responsibility: for every area (municipality), which team answers for its
residents in each specialty, where and how they are seen, how far they travel, and what
no site had capacity for — all read from the allocation and the access stage."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.results import Evaluation
from bassplan.domain.vocabulary import Modality

WITHIN_MINUTES = 45.0  # the access limit shown per area


@dataclass(frozen=True)
class SpecialtyResponsibility:
    """One specialty's answer for one area's residents.

    ``site_id`` is the strength position whose team answers for them; ``visit_site_id`` is
    where most of their in-person visits are seen (a strength position or an outreach
    clinic, ``modality`` says which). The shares split their outpatient contacts per year
    (nan for an area without any): seen at a strength position, at an outreach clinic,
    digitally, and not seen for want of capacity (``unserved_visits`` per year).
    """

    specialty_id: str
    site_id: str
    visit_site_id: str
    modality: str
    share_strength_position: float
    share_outreach: float
    share_digital: float
    share_served: float
    unserved_visits: float
    minutes: float  # travel minutes to where the in-person visits are seen (mean)
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
    wanted = split.in_person.sum(axis=-1).T  # (S, A) in-person visits per year
    digital = split.digital.sum(axis=-1).T
    total = wanted + digital
    seen = wanted[:, :, None] * allocation.outpatient_share  # (S, A, J)
    at_strength = (seen * plan.strength_position[:, None, :]).sum(axis=2)
    at_outreach = seen.sum(axis=2) - at_strength
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = [np.where(total > 0, part / total, np.nan)
                  for part in (at_strength, at_outreach, digital, total - allocation.unserved)]
    visit = allocation.main_site  # (S, A)
    team = np.take_along_axis(plan.serving_team, allocation.outpatient_at, axis=1)
    modality = np.where(np.take_along_axis(plan.strength_position, visit, axis=1),
                        Modality.STRENGTH_POSITION.value, Modality.OUTREACH.value)
    minutes = evaluation.access.area_minutes  # (S, A)
    site_ids = [s.id for s in region.sites]

    rows: list[ResponsibilityRow] = []
    for a, area in enumerate(region.areas):
        entries = tuple(
            SpecialtyResponsibility(
                specialty_id=spec.id,
                site_id=site_ids[team[s, a]],
                visit_site_id=site_ids[visit[s, a]],
                modality=str(modality[s, a]),
                share_strength_position=float(shares[0][s, a]),
                share_outreach=float(shares[1][s, a]),
                share_digital=float(shares[2][s, a]),
                share_served=float(shares[3][s, a]),
                unserved_visits=float(allocation.unserved[s, a]),
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


def responsibility_records(evaluation: Evaluation) -> list[dict[str, object]]:
    """One flat record per area × specialty (for JSON and CSV): the area, its admitting
    site, and the specialty's entry."""
    records: list[dict[str, object]] = []
    for row in population_responsibility(evaluation):
        for entry in row.specialties:
            records.append({
                "area_code": row.area_code,
                "area_name": row.area_name,
                "residents": round(row.residents, 1),
                "admitting_site": row.admitting_site_id,
                "specialty": entry.specialty_id,
                "team_site": entry.site_id,
                "visit_site": entry.visit_site_id,
                "modality": entry.modality,
                "minutes": round(entry.minutes, 2),
                "within_45": entry.within_45,
                "share_strength_position": _rounded(entry.share_strength_position),
                "share_outreach": _rounded(entry.share_outreach),
                "share_digital": _rounded(entry.share_digital),
                "share_served": _rounded(entry.share_served),
                "unserved_visits": round(entry.unserved_visits, 1),
            })
    return records


def _rounded(value: float) -> float | None:
    """A share to six places; None where it is nan (an area without contacts)."""
    return None if np.isnan(value) else round(value, 6)
