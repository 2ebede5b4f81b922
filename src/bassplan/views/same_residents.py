"""Two evaluations over the same residents: each one's headline figures restricted to the
municipalities both regions hold (by area code), so "Region Sjælland alone" and
"Østdanmark" are compared over the 17 former Region Sjælland municipalities, not over
2.8 million residents against 0.8 million.

Per specialty: residents-weighted mean and 90th percentile of the travel minutes to the
in-person outpatient site and the share within 45 minutes (the model's own weighted
functions on the area values the headline uses, so an unrestricted call reproduces the
headline), the residents-weighted 2SFCA specialists per 100,000 residents, and the
specialist FTE available and required at the sites located in those municipalities.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from bassplan.domain.results import Evaluation, json_safe
from bassplan.model.access import P90
from bassplan.model.equity import share_within_rows, weighted_mean_rows, weighted_quantile_rows
from bassplan.views.responsibility import WITHIN_MINUTES


@dataclass(frozen=True)
class ResidentsHeadline:
    """One specialty's figures for the residents of the chosen municipalities (minutes,
    share of residents, specialists per 100,000 residents, FTE)."""

    specialty_id: str
    name_da: str
    name_en: str
    residents: float  # in the scenario year
    mean_minutes: float
    p90_minutes: float
    share_within_45: float
    fca_per_100k: float
    available_fte: float  # at the sites located in these municipalities
    required_fte: float


@dataclass(frozen=True)
class SameResidents:
    """Both evaluations over the municipalities they share; ``restricted`` says whether
    either region holds more municipalities than these. Specialties both regions know,
    in the first region's order."""

    area_codes: tuple[str, ...]
    restricted: bool
    first: tuple[ResidentsHeadline, ...]
    second: tuple[ResidentsHeadline, ...]


def area_headlines(evaluation: Evaluation, area_codes: tuple[str, ...]) -> list[ResidentsHeadline]:
    """The headline figures of every specialty over the residents of ``area_codes`` (codes
    the region does not hold are ignored)."""
    region = evaluation.region
    wanted = set(area_codes)
    inside = np.array([area.code in wanted for area in region.areas])
    at_sites = np.array([site.area_code in wanted for site in region.sites])
    residents = np.asarray(evaluation.residents, dtype=np.float64)[inside]
    access = evaluation.access
    minutes = access.area_minutes[:, inside]  # (S, A')
    mean = weighted_mean_rows(minutes, residents)
    p90 = weighted_quantile_rows(minutes, residents, P90)
    within = share_within_rows(minutes, residents, WITHIN_MINUTES)
    fca = weighted_mean_rows(access.fca_per_100k[:, inside], residents)
    available = np.nansum(evaluation.workload.available_fte[:, at_sites], axis=1)
    required = np.nansum(evaluation.workload.required_fte[:, at_sites], axis=1)
    return [
        ResidentsHeadline(spec.id, spec.name_da, spec.name_en, float(residents.sum()),
                          float(mean[s]), float(p90[s]), float(within[s]), float(fca[s]),
                          float(available[s]), float(required[s]))
        for s, spec in enumerate(region.specialties)
    ]


def same_residents(first: Evaluation, second: Evaluation) -> SameResidents | None:
    """Both evaluations over the municipalities they share (in the first region's order);
    None when they share none."""
    second_codes = {area.code for area in second.region.areas}
    codes = tuple(area.code for area in first.region.areas if area.code in second_codes)
    if not codes:
        return None
    restricted = len(codes) < max(len(first.region.areas), len(second.region.areas))
    a_rows = {h.specialty_id: h for h in area_headlines(first, codes)}
    b_rows = {h.specialty_id: h for h in area_headlines(second, codes)}
    common = [sid for sid in a_rows if sid in b_rows]
    return SameResidents(codes, restricted, tuple(a_rows[sid] for sid in common),
                         tuple(b_rows[sid] for sid in common))


def same_residents_record(view: SameResidents) -> dict[str, object]:
    """JSON-ready: the area codes and both sides' figures per specialty."""
    return {
        "area_codes": list(view.area_codes),
        "restricted": view.restricted,
        "first": [json_safe(asdict(h)) for h in view.first],
        "second": [json_safe(asdict(h)) for h in view.second],
    }


def same_residents_rows(view: SameResidents, scenarios: tuple[str, str]) -> list[dict[str, object]]:
    """Flat CSV records: one per scenario and specialty over the shared municipalities
    (``record`` = 'same_residents', the area count beside the figures)."""
    return [{"scenario": name, "record": "same_residents", "areas": len(view.area_codes),
             **json_safe(asdict(row))}
            for name, side in zip(scenarios, (view.first, view.second), strict=True)
            for row in side]
