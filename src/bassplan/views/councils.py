"""The sundhedsråd level: demand, access and population responsibility per health council,
summed or residents-weighted from the per-area values (``views.responsibility``), so the
council figures always add up to the municipalities'."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.results import Evaluation
from bassplan.domain.vocabulary import C_ADMISSION
from bassplan.views.responsibility import WITHIN_MINUTES, population_responsibility


@dataclass(frozen=True)
class CouncilSpecialty:
    """One specialty in one council: admissions and outpatient contacts per year (in person
    and digital, after need-based follow-up), the residents-weighted mean travel minutes and
    share of residents within 45 minutes, the visits no site had room for, and the team
    sites that answer for its residents with the share of residents each answers for."""

    specialty_id: str
    admissions: float
    outpatient_contacts: float
    minutes: float
    share_within_45: float
    unserved_visits: float
    team_sites: tuple[tuple[str, float], ...]  # (site id, share of residents), largest first


@dataclass(frozen=True)
class CouncilRow:
    """One sundhedsråd: its areas, residents in the scenario year and one entry per
    specialty in the region's order."""

    council: str
    area_codes: tuple[str, ...]
    residents: float
    specialties: tuple[CouncilSpecialty, ...]


def council_rows(evaluation: Evaluation) -> list[CouncilRow]:
    """One row per council in order of first appearance among the areas; empty when the
    region has no councils."""
    region = evaluation.region
    if region.councils is None:
        return []
    names = list(dict.fromkeys(region.councils))
    member = np.array([names.index(c) for c in region.councils])  # (A,)
    residents = np.asarray(evaluation.residents, dtype=np.float64)
    split = evaluation.allocation.outpatient
    outpatient = (split.in_person + split.digital).sum(axis=2)  # (A, S)
    admissions = evaluation.demand[:, :, C_ADMISSION]  # (A, S)
    minutes = evaluation.access.area_minutes  # (S, A)
    unserved = evaluation.allocation.unserved  # (S, A)
    teams = [[e.site_id for e in row.specialties] for row in population_responsibility(evaluation)]
    rows: list[CouncilRow] = []
    for k, name in enumerate(names):
        inside = member == k
        people = residents[inside]
        weight = people / people.sum() if people.sum() > 0 else np.full(people.size,
                                                                          1 / people.size)
        entries = []
        for s, spec in enumerate(region.specialties):
            answer: dict[str, float] = {}
            for a, w in zip(np.flatnonzero(inside), weight, strict=True):
                answer[teams[a][s]] = answer.get(teams[a][s], 0.0) + float(w)
            entries.append(CouncilSpecialty(
                specialty_id=spec.id,
                admissions=float(admissions[inside, s].sum()),
                outpatient_contacts=float(outpatient[inside, s].sum()),
                minutes=float(weight @ minutes[s, inside]),
                share_within_45=float(weight @ (minutes[s, inside] <= WITHIN_MINUTES)),
                unserved_visits=float(unserved[s, inside].sum()),
                team_sites=tuple(sorted(answer.items(), key=lambda item: -item[1])),
            ))
        rows.append(CouncilRow(name, tuple(a.code for a, i in zip(region.areas, inside,
                                                                    strict=True) if i),
                               float(people.sum()), tuple(entries)))
    return rows


def council_records(evaluation: Evaluation) -> list[dict[str, object]]:
    """One flat record per council × specialty (for JSON and CSV)."""
    return [
        {
            "council": row.council,
            "area_codes": ";".join(row.area_codes),
            "residents": round(row.residents, 1),
            "specialty": entry.specialty_id,
            "admissions": round(entry.admissions, 1),
            "outpatient_contacts": round(entry.outpatient_contacts, 1),
            "minutes": round(entry.minutes, 2),
            "share_within_45": round(entry.share_within_45, 6),
            "unserved_visits": round(entry.unserved_visits, 1),
            "team_sites": ";".join(f"{site}:{share:.3f}" for site, share in entry.team_sites),
        }
        for row in council_rows(evaluation)
        for entry in row.specialties
    ]
