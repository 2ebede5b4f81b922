"""The optimiser's inputs: a region and a scenario turned into arrays by the evaluation
pipeline itself (projection, demand, travel, need-based follow-up, digital shares), so
that every number a plan reports is the number the evaluation computes for it.

Shapes: S requested specialties, A areas, J sites, G organisations. Minutes and km run
from an area's population point to a site (A, J) or from a site's area to a site (J, J).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.parameters import MINUTES_PER_HOUR, WORKING_DAYS_PER_WEEK
from bassplan.domain.region import Region
from bassplan.domain.scenario import DEFAULT_KEY, OptimisationSettings, Scenario
from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray
from bassplan.model.allocate import (
    ADMISSION,
    BED_DAY,
    CONSULT,
    FIRST_VISIT,
    FOLLOW_UP,
    IN_OUTREACH,
    IN_STRENGTH,
    admitting_sites,
    allocate,
    changed_staffing,
    plan_services,
    split_outpatient,
)
from bassplan.model.evaluate import scenario_demand, scenario_travel
from bassplan.model.pooling import organisation_of_sites
from bassplan.model.population import project_population

SOURCE = "optimisation request"


@dataclass(frozen=True)
class OptimiseRequest:
    """Everything the strength-position MILP needs, as arrays (units in the comments)."""

    settings: OptimisationSettings
    consult_reach_minutes: float  # a covering team farther away consults by video only
    specialty_ids: tuple[str, ...]  # (S,) optimised together
    area_codes: tuple[str, ...]  # (A,)
    area_names: tuple[str, ...]
    site_ids: tuple[str, ...]  # (J,)
    site_names: tuple[str, ...]
    residents: FloatArray  # (A,) projected to the scenario year
    minutes: FloatArray  # (A, J) patient travel minutes
    km: FloatArray  # (A, J)
    site_minutes: FloatArray  # (J, J) staff travel minutes from site j (its area) to site k
    site_km: FloatArray  # (J, J)
    in_person: FloatArray  # (S, A) in-person outpatient visits/year (after PRO and digital)
    visit_hours: FloatArray  # (S, A) specialist hours/year of those visits
    location_free_hours: FloatArray  # (S,) digital contacts and PRO answers, hours/year
    admissions: FloatArray  # (S, A) admissions/year (patients' trips, fixed by the plan)
    admit_minutes: FloatArray  # (A,) minutes to the admitting (nearest active acute) site
    acute: BoolArray  # (J,) active acute sites: consults arise here
    consults: FloatArray  # (S, J) consults/year at acute j without a team: demand + admissions
    inpatient_hours: FloatArray  # (S, J) hours/year of acute j's own team: admissions,
    #                              bed days and the consult demand arising there
    ward_hours: FloatArray  # (S, J) hours/year of admissions and bed days at acute j
    cover_mode: tuple[str, ...]  # (S,) inpatient cover of an acute site without a team:
    #                              'rotation', 'consults' or 'none' (the scenario's rule)
    consult_minutes: FloatArray  # (S,) specialist minutes per consult
    video_share: FloatArray  # (S,) share of consults by video (digital_share[consult])
    candidates: BoolArray  # (S, J) sites that may hold a strength position
    outreach_sites: BoolArray  # (S, J) sites that may hold an outreach clinic
    fixed_open: BoolArray  # (S, J)
    fixed_closed: BoolArray  # (S, J)
    organisation: IntArray  # (J,) organisation number of each site (scenario's mergers)
    organisation_ids: tuple[str, ...]  # (G,)
    pool: FloatArray  # (S, G) specialist FTE each organisation holds (after releases)
    base_fte: FloatArray  # (S, J) specialist FTE at each site before the plan (after releases)
    released_fte: FloatArray  # (S, J) FTE the settings release (``released_staff``)
    move_cap: FloatArray  # (G,) FTE (the requested specialties together) that may leave an
    #                       organisation's sites
    cost_per_moved_fte: float  # DKK/year per FTE that leaves its site
    min_team_fte: FloatArray  # (S,) FTE
    site_capacity: FloatArray  # (J,) in-person visits/year left for these specialties; inf
    hours_per_fte: float  # clinical hours/year of one FTE: available × (1 − allowance)
    clinic_day_hours: float  # hours of one outreach clinic day (weekly hours / 5)
    clinic_weeks: float  # weeks/year an outreach clinic runs
    visits_per_day: float  # in-person visits one outreach clinic day holds
    consults_per_visit: float  # consults seen on one on-site visit
    digital_factor: float  # share of in-person minutes a digital contact or video takes
    cost_per_fte: float  # DKK/year
    cost_per_km: float  # DKK/km

    @property
    def max_half_days(self) -> int:
        """Largest number of half clinic days a week one outreach clinic may hold."""
        return math.floor(2.0 * self.settings.max_outreach_days + 1e-9)

    def specialty(self, specialty_id: str) -> int:
        """Position of a requested specialty id in ``specialty_ids``."""
        return self.specialty_ids.index(specialty_id)


def _requested(region: Region, specialties: Sequence[str] | None) -> list[int]:
    """Positions of the requested specialties in the region (all when None)."""
    known = [s.id for s in region.specialties]
    if specialties is None:
        return list(range(len(known)))
    if not specialties:
        raise InputError(SOURCE, "specialties", "specialty", "name at least one specialty")
    result: list[int] = []
    for spec in specialties:
        if spec not in known:
            raise InputError(SOURCE, "specialties", "specialty",
                             f"unknown specialty '{spec}' (known: {', '.join(known)})")
        if known.index(spec) in result:
            raise InputError(SOURCE, "specialties", "specialty", f"'{spec}' is named twice")
        result.append(known.index(spec))
    return result


def _organisation_ids(region: Region) -> tuple[str, ...]:
    """Organisation ids in the numbering of ``pooling.organisation_of_sites``."""
    codes = [o.id for o in region.organisations]
    for site in region.sites:
        if site.organisation_id not in codes:
            codes.append(site.organisation_id)
    return tuple(codes)


def _site_mask(
    region: Region, fixed: dict[str, list[str]], spec_ids: Sequence[str]
) -> BoolArray:
    """(S, J) the sites listed under each specialty's key or under 'default'."""
    index = {s.id: j for j, s in enumerate(region.sites)}
    mask = np.zeros((len(spec_ids), len(region.sites)), dtype=bool)
    for s, spec in enumerate(spec_ids):
        for site in [*fixed.get(DEFAULT_KEY, []), *fixed.get(spec, [])]:
            mask[s, index[site]] = True
    return mask


def eligible_sites(
    region: Region, settings: OptimisationSettings, spec_ids: Sequence[str]
) -> BoolArray:
    """(S, J) sites eligible for a specialty's strength position: the active acute sites,
    and the active sites ``eligible_sites`` lists under the specialty or 'default'."""
    active = np.array([s.active for s in region.sites], dtype=bool)
    listed = _site_mask(region, settings.eligible_sites, spec_ids)
    for s, spec in enumerate(spec_ids):
        bad = listed[s] & ~active
        if bad.any():
            site = region.sites[int(np.flatnonzero(bad)[0])].id
            raise InputError(SOURCE, f"optimisation.eligible_sites.{spec}", "site",
                             f"'{site}' is not active and cannot be a strength position")
    result: BoolArray = active[None, :] & (region.acute_mask[None, :] | listed)
    return result


def _candidates(
    region: Region, settings: OptimisationSettings, spec_ids: Sequence[str],
    pool: FloatArray, organisation: IntArray, fixed_open: BoolArray, fixed_closed: BoolArray,
) -> BoolArray:
    """(S, J) candidate strength positions among the eligible sites: the settings' list,
    else those whose organisation holds specialists of the specialty (any organisation's
    when staff may cross); fixed-open sites always."""
    eligible = eligible_sites(region, settings, spec_ids)
    if settings.candidate_sites is not None:
        listed = np.isin([s.id for s in region.sites], settings.candidate_sites)
        result = np.broadcast_to(listed, fixed_open.shape).copy()
        for site in settings.candidate_sites:
            j = region.site_index(site)
            if not eligible[:, j].any():
                raise InputError(SOURCE, "optimisation.candidate_sites", "site",
                                 f"'{site}' is not an active acute site nor listed in "
                                 "eligible_sites, so it cannot be a strength position")
        result &= eligible
    elif settings.allow_cross_organisation:
        result = eligible & (pool.sum(axis=1) > 0)[:, None]
    else:
        result = eligible & (pool[:, organisation] > 0)
    for s, spec in enumerate(spec_ids):
        bad = fixed_open[s] & ~eligible[s]
        if bad.any():
            site = region.sites[int(np.flatnonzero(bad)[0])].id
            raise InputError(SOURCE, f"optimisation.fixed_open.{spec}", "site",
                             f"'{site}' is not an active acute site nor listed in "
                             "eligible_sites, so it cannot be a strength position")
        both = fixed_open[s] & fixed_closed[s]
        if both.any():
            site = region.sites[int(np.flatnonzero(both)[0])].id
            raise InputError(SOURCE, "optimisation.fixed_closed", spec,
                             f"'{site}' is fixed both open and closed")
    combined: BoolArray = result | fixed_open
    return combined


def cover_rule(scenario: Scenario, specialty: str) -> str:
    """The scenario's inpatient cover of a specialty at an acute site without its team
    (its own key, else 'default', else rotation as ``model.allocate`` reads it)."""
    default = scenario.inpatient_cover.get(DEFAULT_KEY, "rotation")
    return scenario.inpatient_cover.get(specialty, default)


def _released(region: Region, settings: OptimisationSettings, picked: list[int]) -> FloatArray:
    """(S, J) specialist FTE the settings release, for the requested specialties."""
    result = np.zeros((len(picked), len(region.sites)))
    for item in settings.released_staff:
        s = region.specialty_index(item.specialty)
        if s in picked:
            result[picked.index(s), region.site_index(item.site)] += item.fte
    return result


def _check_released(region: Region, spec_ids: Sequence[str], fte: FloatArray) -> None:
    """Raise InputError where more FTE are released at a site than it holds."""
    bad = np.argwhere(fte < -1e-9)
    if bad.size:
        s, j = (int(v) for v in bad[0])
        raise InputError(SOURCE, "optimisation.released_staff", spec_ids[s],
                         f"releases {-fte[s, j]:.2f} FTE more than {region.sites[j].id} holds")


def _check(request: OptimiseRequest, allow_cross: bool) -> None:
    """Raise InputError for a request no plan can meet for a reason visible in its inputs."""
    settings = request.settings
    if not 0.0 <= settings.access_share <= 1.0:
        raise InputError(SOURCE, "optimisation", "access_share",
                         f"share {settings.access_share} is outside 0..1")
    for s, spec in enumerate(request.specialty_ids):
        largest = request.pool[s].sum() if allow_cross else request.pool[s].max(initial=0.0)
        if request.min_team_fte[s] > largest + 1e-9:
            where = "the region's pool" if allow_cross else "every organisation's pool"
            raise InputError(SOURCE, f"specialty {spec}", "min_team_fte",
                             f"minimum team {request.min_team_fte[s]:g} FTE is larger than "
                             f"{where} (largest {largest:g} FTE)")
        open_count = int((request.candidates[s] & ~request.fixed_closed[s]).sum())
        if open_count < settings.min_strength_positions:
            raise InputError(SOURCE, f"optimisation ({spec})", "min_strength_positions",
                             f"{settings.min_strength_positions} strength positions asked for, "
                             f"but only {open_count} candidate sites are open to {spec}")
        _check_staff(request, s, allow_cross)
        fixed = int(request.fixed_open[s].sum())
        top = settings.max_strength_positions
        if top is not None and fixed > top:
            raise InputError(SOURCE, f"optimisation ({spec})", "max_strength_positions",
                             f"{fixed} sites are fixed open, more than the maximum {top}")


def _check_staff(request: OptimiseRequest, s: int, allow_cross: bool) -> None:
    """Raise InputError where conserved staff or the inpatient rule leave no plan: an
    organisation whose specialists have no open site of its own (staff may not cross),
    or an acute site that must keep its team ('none') but cannot hold one."""
    spec = request.specialty_ids[s]
    open_sites = request.candidates[s] & ~request.fixed_closed[s]
    if not allow_cross:
        has_site = np.bincount(request.organisation, weights=open_sites.astype(float),
                               minlength=request.pool.shape[1]) > 0
        stranded = np.flatnonzero((request.pool[s] > 1e-9) & ~has_site)
        if stranded.size:
            g = int(stranded[0])
            raise InputError(SOURCE, f"optimisation ({spec})", "allow_cross_organisation",
                             f"{request.organisation_ids[g]}'s {request.pool[s, g]:.1f} FTE "
                             "have no eligible site in their organisation: allow "
                             "cross-organisation moves or list them in released_staff")
    if request.cover_mode[s] == "none":
        bare = np.flatnonzero(request.acute & ~open_sites)
        if bare.size:
            raise InputError(SOURCE, f"inpatient_cover ({spec})", "none",
                             f"acute site {request.site_ids[int(bare[0])]} cannot hold a "
                             "team, and 'none' lets no other team cover its admissions")


def build_request(
    region: Region, scenario: Scenario, specialties: Sequence[str] | None = None
) -> OptimiseRequest:
    """Turn the region and the scenario (its ``optimisation`` section, defaults if None)
    into the arrays of an ``OptimiseRequest`` for ``specialties`` (all when None)."""
    settings = scenario.optimisation or OptimisationSettings()
    picked = _requested(region, specialties)
    spec_ids = tuple(region.specialties[s].id for s in picked)
    minutes, km, site_minutes, site_km = scenario_travel(region, scenario)
    residents_by_age = project_population(region.population, scenario.year).residents
    contacts, admitted_at = scenario_demand(region, residents_by_age, minutes)  # (A, S_all, C)
    plan = plan_services(region, scenario, site_minutes)
    split = split_outpatient(plan, contacts)
    standard = region.workload.minutes[picked]  # (S, C)
    factor = region.parameters.digital_minutes_factor
    out_minutes = standard[:, [FIRST_VISIT, FOLLOW_UP]]  # (S, 2)

    in_person = split.in_person[:, picked, :]  # (A, S, 2)
    visit_hours = np.einsum("ask,sk->sa", in_person, out_minutes) / MINUTES_PER_HOUR
    digital_hours = np.einsum("ask,sk->s", split.digital[:, picked, :], out_minutes) * factor
    pro_minutes = region.parameters.pro_minutes_per_answer
    pro_hours = split.pro_answers[:, picked].sum(axis=0) * pro_minutes
    location_free = (digital_hours + pro_hours) / MINUTES_PER_HOUR

    acute = region.acute_mask
    n_sites = len(region.sites)
    areas = np.arange(len(region.areas))

    def at_sites(values: FloatArray) -> FloatArray:  # (A, S) → (S, J) summed at admitting site
        summed = [np.bincount(admitted_at, weights=v, minlength=n_sites) for v in values.T]
        return np.asarray(summed, dtype=np.float64).reshape(len(picked), n_sites)

    admissions_at = at_sites(contacts[:, picked, ADMISSION])
    bed_days_at = at_sites(contacts[:, picked, BED_DAY])
    consults_at = at_sites(contacts[:, picked, CONSULT])
    inpatient_hours = (
        admissions_at * standard[:, [ADMISSION]] + bed_days_at * standard[:, [BED_DAY]]
        + consults_at * standard[:, [CONSULT]]
    ) / MINUTES_PER_HOUR

    organisation = organisation_of_sites(region, scenario)
    org_ids = _organisation_ids(region)
    released = _released(region, settings, picked)
    fte = changed_staffing(region, scenario).specialist_fte[picked] - released  # (S, J)
    _check_released(region, spec_ids, fte)
    pool = np.asarray([np.bincount(organisation, weights=row, minlength=len(org_ids))
                       for row in fte], dtype=np.float64)
    fixed_open = _site_mask(region, settings.fixed_open, spec_ids)
    fixed_closed = _site_mask(region, settings.fixed_closed, spec_ids)
    candidates = _candidates(region, settings, spec_ids, pool, organisation,
                             fixed_open, fixed_closed)
    active = np.array([s.active for s in region.sites], dtype=bool)
    outreach = np.broadcast_to(active & (settings.max_outreach_days >= 0.5),
                               candidates.shape).copy()

    allowance = region.parameters.category_allowance
    hours_per_week = region.parameters.hours_per_week
    request = OptimiseRequest(
        settings=settings,
        consult_reach_minutes=scenario.consult_reach_minutes,
        specialty_ids=spec_ids,
        area_codes=tuple(a.code for a in region.areas),
        area_names=tuple(a.name for a in region.areas),
        site_ids=tuple(s.id for s in region.sites),
        site_names=tuple(s.name for s in region.sites),
        residents=residents_by_age.sum(axis=1),
        minutes=minutes,
        km=km,
        site_minutes=site_minutes,
        site_km=site_km,
        in_person=in_person.sum(axis=-1).T,
        visit_hours=visit_hours,
        location_free_hours=location_free,
        admissions=contacts[:, picked, ADMISSION].T,
        admit_minutes=minutes[areas, admitted_at],
        acute=acute,
        consults=np.where(acute[None, :], consults_at + admissions_at, 0.0),
        inpatient_hours=np.where(acute[None, :], inpatient_hours, 0.0),
        ward_hours=np.where(acute[None, :], (admissions_at * standard[:, [ADMISSION]]
                                             + bed_days_at * standard[:, [BED_DAY]])
                            / MINUTES_PER_HOUR, 0.0),
        cover_mode=tuple(cover_rule(scenario, spec) for spec in spec_ids),
        consult_minutes=standard[:, CONSULT],
        video_share=plan.digital_share[picked, CONSULT],
        candidates=candidates,
        outreach_sites=outreach,
        fixed_open=fixed_open,
        fixed_closed=fixed_closed,
        organisation=organisation,
        organisation_ids=org_ids,
        pool=pool,
        base_fte=fte,
        released_fte=released,
        move_cap=np.array([settings.max_moved_fte.get(g, settings.max_moved_fte.get(
            DEFAULT_KEY, np.inf)) for g in org_ids], dtype=np.float64),
        cost_per_moved_fte=settings.cost_per_moved_fte_dkk,
        min_team_fte=np.array([region.specialties[s].min_team_fte for s in picked]),
        site_capacity=_site_capacity(region, scenario, settings, picked, contacts, minutes),
        hours_per_fte=region.parameters.available_hours_per_fte * (1.0 - allowance),
        clinic_day_hours=hours_per_week / WORKING_DAYS_PER_WEEK,
        clinic_weeks=region.parameters.clinic_weeks_per_year,
        visits_per_day=region.parameters.outreach_visits_per_day,
        consults_per_visit=region.parameters.consults_per_visit,
        digital_factor=factor,
        cost_per_fte=region.parameters.cost_per_fte_dkk,
        cost_per_km=region.parameters.cost_per_km_dkk,
    )
    _check(request, settings.allow_cross_organisation)
    return request


def _site_capacity(
    region: Region, scenario: Scenario, settings: OptimisationSettings, picked: list[int],
    contacts: FloatArray, minutes: FloatArray,
) -> FloatArray:
    """(J,) in-person visits/year each site's clinic rooms hold for the optimised
    specialties: the settings' capacity less what the other specialties see there in the
    scenario as it stands (inf where no capacity is given)."""
    capacity = np.full(len(region.sites), np.inf)
    for site, value in settings.site_capacity.items():
        capacity[region.site_index(site)] = value
    others = [s for s in range(len(region.specialties)) if s not in picked]
    if not settings.site_capacity or not others:
        return capacity
    _, _, site_minutes, _ = scenario_travel(region, scenario)
    allocation = allocate(region, plan_services(region, scenario, site_minutes), contacts,
                          minutes, admitting_sites(region, minutes))
    seen = allocation.contacts[others][:, :, [FIRST_VISIT, FOLLOW_UP]]
    used = seen[..., [IN_STRENGTH, IN_OUTREACH]].sum(axis=(0, 2, 3))
    result: FloatArray = capacity - used
    return result


__all__ = ["SOURCE", "OptimiseRequest", "build_request"]
