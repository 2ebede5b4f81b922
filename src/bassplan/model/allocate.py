"""Allocation: resolve a scenario into a service plan, then send every contact to a site
and a modality (architecture.md, stage 3).

Inpatient contacts go to the area's acute site (the region's catchment table, else the
nearest active acute site), where the site's own team, specialists rotating from the
serving strength position, or general internal medicine with the specialty's consults
take them (the scenario's ``inpatient_cover``); outpatient visits, after need-based
follow-up and the digital share, to the nearest service point (strength position or
outreach clinic) as first choice — ``model.capacity`` then moves what a site has no room
for; consults arise where patients are admitted; dialysis sessions go to the nearest
dialysis unit.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.region import Region, Staffing
from bassplan.domain.results import Allocation, OutpatientSplit, ServicePlan
from bassplan.domain.scenario import DEFAULT_KEY, Scenario
from bassplan.domain.vocabulary import (
    C_ADMISSION,
    C_BED_DAY,
    C_CONSULT,
    C_DIALYSIS,
    C_FIRST_VISIT,
    C_FOLLOW_UP,
    CONTACT_TYPES,
    M_DIGITAL,
    M_OUTREACH,
    M_STRENGTH_POSITION,
    V_CONSULTS,
    V_NONE,
    V_ROTATION,
    V_TEAM,
    BoolArray,
    FloatArray,
    InpatientCover,
    IntArray,
    Modality,
)
from bassplan.model.arrays import scatter_rows
from bassplan.model.pooling import organisation_of_sites, pool_staff, serving_teams
from bassplan.model.travel import area_of_site

ADMISSION, BED_DAY, FIRST_VISIT, FOLLOW_UP, CONSULT, DIALYSIS_SESSION = (
    C_ADMISSION, C_BED_DAY, C_FIRST_VISIT, C_FOLLOW_UP, C_CONSULT, C_DIALYSIS
)
OUTPATIENT_INDEX = (FIRST_VISIT, FOLLOW_UP)
IN_STRENGTH, IN_OUTREACH, DIGITAL = M_STRENGTH_POSITION, M_OUTREACH, M_DIGITAL


def _strength_positions(region: Region, scenario: Scenario) -> BoolArray:
    """(S, J) the scenario's strength positions; where it names none, the sites that hold
    the specialty today (``Region.offer_mask``: the region's offers, else every active
    acute site)."""
    site_index = {s.id: j for j, s in enumerate(region.sites)}
    result = region.offer_mask.copy()
    for s, spec in enumerate(region.specialties):
        if spec.id not in scenario.strength_positions:
            continue
        result[s] = False
        for k, site_id in enumerate(scenario.strength_positions[spec.id]):
            j = site_index[site_id]
            if not region.sites[j].active:
                raise InputError(
                    "scenario",
                    f"strength_positions.{spec.id}[{k}]",
                    "site",
                    f"site '{site_id}' is not active and cannot be a strength position",
                )
            result[s, j] = True
    for s, spec in enumerate(region.specialties):
        if not result[s].any():
            raise InputError(
                "scenario",
                "strength_positions",
                spec.id,
                "no strength position and no active acute site to default to",
            )
    return result


def _outreach_days(region: Region, scenario: Scenario) -> FloatArray:
    """(S, J) outreach clinic days per week; clinics listed twice at one site add up."""
    site_index = {s.id: j for j, s in enumerate(region.sites)}
    days = np.zeros((len(region.specialties), len(region.sites)))
    for s, spec in enumerate(region.specialties):
        for clinic in scenario.outreach.get(spec.id, []):
            days[s, site_index[clinic.site]] += clinic.days_per_week
    return days


def _digital_shares(region: Region, scenario: Scenario) -> FloatArray:
    """(S, C) digital share: the specialty's entry, else the 'default' entry, else 0."""
    default = scenario.digital_share.get(DEFAULT_KEY, {})
    shares = np.zeros((len(region.specialties), len(CONTACT_TYPES)))
    for s, spec in enumerate(region.specialties):
        own = scenario.digital_share.get(spec.id, {})
        for c, contact_type in enumerate(CONTACT_TYPES):
            shares[s, c] = own.get(contact_type, default.get(contact_type, 0.0))
    return shares


def _follow_up(region: Region, scenario: Scenario) -> tuple[FloatArray, FloatArray]:
    """(S,) PRO share and trigger rate: the specialty's entry, else 'default', else no PRO
    (share 0, trigger rate 1: every follow-up stays a visit)."""
    pro = np.zeros(len(region.specialties))
    trigger = np.ones(len(region.specialties))
    for s, spec in enumerate(region.specialties):
        entry = scenario.need_based_follow_up.get(
            spec.id, scenario.need_based_follow_up.get(DEFAULT_KEY)
        )
        if entry is not None:
            pro[s], trigger[s] = entry.pro_share, entry.trigger_rate
    return pro, trigger


def _inpatient_cover(region: Region, scenario: Scenario) -> IntArray:
    """(S,) cover of admissions where a specialty has no team: the specialty's entry, else
    the 'default' entry, else rotation from the serving strength position."""
    default = scenario.inpatient_cover.get(DEFAULT_KEY, InpatientCover.ROTATION.value)
    position = {cover.value: k for k, cover in enumerate(InpatientCover)}
    return np.array([position[scenario.inpatient_cover.get(spec.id, default)]
                     for spec in region.specialties], dtype=np.int64)


def changed_staffing(region: Region, scenario: Scenario) -> Staffing:
    """Base staffing plus the scenario's staffing changes (FTE and heads, never below 0)."""
    arrays = {
        name: np.array(getattr(region.staffing, name), dtype=np.float64, copy=True)
        for name in ("specialist_fte", "trainee_fte", "vacant_fte", "on_call_specialists")
    }
    site_index = {s.id: j for j, s in enumerate(region.sites)}
    spec_index = {s.id: k for k, s in enumerate(region.specialties)}
    for k, change in enumerate(scenario.staffing_changes):
        s, j = spec_index[change.specialty], site_index[change.site]
        for name, values in arrays.items():
            values[s, j] += getattr(change, name)
            if values[s, j] < -1e-9:
                raise InputError(
                    "scenario",
                    f"staffing_changes[{k}]",
                    name,
                    f"leaves {values[s, j]:g} at site '{change.site}' (must stay ≥ 0)",
                )
            values[s, j] = max(values[s, j], 0.0)
    return Staffing(**arrays, illustrative=region.staffing.illustrative)


def plan_services(region: Region, scenario: Scenario, site_minutes: FloatArray) -> ServicePlan:
    """Resolve the scenario against the region into arrays (``site_minutes`` (J, J)).

    The scenario has been checked against the region where it came in (the scenario
    loader, the store, a sweep): every id it names exists.
    """
    strength = _strength_positions(region, scenario)
    organisation = organisation_of_sites(region, scenario)
    team = pool_staff(
        changed_staffing(region, scenario),
        strength,
        organisation,
        site_minutes,
        scenario.pool_staff,
    )
    pro_share, trigger_rate = _follow_up(region, scenario)
    outreach = _outreach_days(region, scenario)
    serving = _serving_overrides(
        region, scenario, strength, serving_teams(strength, organisation, site_minutes)
    )
    return ServicePlan(
        strength_position=strength,
        outreach_days_per_week=outreach,
        digital_share=_digital_shares(region, scenario),
        pro_share=pro_share,
        trigger_rate=trigger_rate,
        team=team,
        serving_team=serving,
        assigned_site=_assigned_sites(region, scenario, strength | (outreach > 0)),
        consult_reach_minutes=scenario.consult_reach_minutes,
        inpatient_cover=_inpatient_cover(region, scenario),
    )


def _serving_overrides(
    region: Region, scenario: Scenario, strength: BoolArray, serving: IntArray
) -> IntArray:
    """Apply the scenario's ``serving_teams``: a named strength position serves a site."""
    site_index = {s.id: j for j, s in enumerate(region.sites)}
    result = serving.copy()
    for s, spec in enumerate(region.specialties):
        for site, team in scenario.serving_teams.get(spec.id, {}).items():
            j, k = site_index[site], site_index[team]
            if not strength[s, k]:
                raise InputError(f"scenario '{scenario.name}'", f"serving_teams.{spec.id}.{site}",
                                 "team", f"'{team}' is not a strength position of {spec.id}")
            result[s, j] = k
    return result


def _assigned_sites(region: Region, scenario: Scenario, points: BoolArray) -> IntArray:
    """(S, A) the in-person site the scenario assigns each area to; -1 = the nearest."""
    site_index = {s.id: j for j, s in enumerate(region.sites)}
    area_index = {a.code: i for i, a in enumerate(region.areas)}
    assigned = np.full((len(region.specialties), len(region.areas)), -1, dtype=np.int64)
    for s, spec in enumerate(region.specialties):
        for area, site in scenario.assignments.get(spec.id, {}).items():
            j = site_index[site]
            if not points[s, j]:
                raise InputError(f"scenario '{scenario.name}'", f"assignments.{spec.id}.{area}",
                                 "site", f"'{site}' is neither a strength position nor an "
                                 f"outreach clinic of {spec.id}")
            assigned[s, area_index[area]] = j
    return assigned


def split_outpatient(plan: ServicePlan, demand: FloatArray) -> OutpatientSplit:
    """Apply need-based follow-up (F → F(1−p) + F·p·t visits) and then the digital share."""
    first = demand[:, :, FIRST_VISIT]
    follow = demand[:, :, FOLLOW_UP]
    p, t = plan.pro_share[None, :], plan.trigger_rate[None, :]
    visits = np.stack([first, follow * (1.0 - p) + follow * p * t], axis=-1)  # (A, S, 2)
    share = plan.digital_share[:, list(OUTPATIENT_INDEX)][None, :, :]  # (1, S, 2)
    return OutpatientSplit(
        in_person=visits * (1.0 - share),
        digital=visits * share,
        follow_ups_avoided=follow * p * (1.0 - t),
        pro_answers=follow * p,
    )


def service_points(plan: ServicePlan) -> BoolArray:
    """(S, J) where in-person outpatient contacts can be seen: strength positions and
    sites with outreach days."""
    points: BoolArray = plan.strength_position | (plan.outreach_days_per_week > 0)
    return points


def nearest_site(minutes: FloatArray, allowed: BoolArray) -> IntArray:
    """(A,) nearest allowed site per area by minutes (ties: lower index), -1 if none."""
    columns = np.flatnonzero(allowed)
    if columns.size == 0:
        return np.full(minutes.shape[0], -1, dtype=np.int64)
    result: IntArray = columns[minutes[:, columns].argmin(axis=1)].astype(np.int64)
    return result


def mean_over_seen(allocation: Allocation, matrix: FloatArray) -> FloatArray:
    """(S, A) mean of ``matrix`` (A, J: minutes or km) over the sites that see each area's
    in-person visits, weighted by their shares; the area's own service point
    (``outpatient_at``) where no site has room for any of them."""
    share = allocation.outpatient_share
    served = share.sum(axis=2)
    own = matrix[np.arange(matrix.shape[0])[None, :], allocation.outpatient_at]
    mean = np.einsum("saj,aj->sa", share, matrix) / np.where(served > 0, served, 1.0)
    result: FloatArray = np.where(served > 0, mean, own)
    return result


def admitting_sites(region: Region, minutes: FloatArray) -> IntArray:
    """(A,) the active acute site that admits each area's residents: the region's catchment
    (optageområde) where it names one, else the nearest by ``minutes`` (A, J); InputError
    if the region has no active acute site."""
    acute = region.acute_mask
    if not acute.any():
        raise InputError("sites", "", "acute", "no active acute site to admit patients to")
    nearest = nearest_site(minutes, acute)
    if region.catchment is None:
        return nearest
    return np.where(region.catchment >= 0, region.catchment, nearest).astype(np.int64)


def inpatient_cover(plan: ServicePlan, acute: BoolArray) -> tuple[IntArray, IntArray]:
    """(S, J) who covers the inpatient work at each active acute site (``InpatientCover``
    positions; -1 at other sites) and (S, J) the site whose team does it (-1: no
    specialist does: general internal medicine, or no cover)."""
    has_team = plan.team.specialist_fte > 0
    n_specialties = has_team.shape[0]
    mode = (plan.inpatient_cover if plan.inpatient_cover is not None
            else np.full(n_specialties, V_ROTATION, dtype=np.int64))
    mode_at = np.broadcast_to(mode[:, None], has_team.shape)
    # rotation or consults need a serving team to come from
    mode_at = np.where(plan.serving_team >= 0, mode_at, V_NONE)
    cover = np.where(has_team, V_TEAM, mode_at)
    cover = np.where(acute[None, :], cover, -1).astype(np.int64)
    own = np.broadcast_to(np.arange(has_team.shape[1])[None, :], has_team.shape)
    team = np.where(cover == V_TEAM, own, np.where(cover == V_ROTATION, plan.serving_team, -1))
    return cover, team.astype(np.int64)


def dialysis_units(region: Region, minutes: FloatArray) -> IntArray:
    """(A,) the dialysis unit each area's sessions go to: the nearest by ``minutes``; -1
    everywhere when the region has no unit."""
    stations = region.dialysis_stations
    if stations is None:
        return np.full(minutes.shape[0], -1, dtype=np.int64)
    return nearest_site(minutes, stations > 0)


def allocate(
    region: Region, plan: ServicePlan, demand: FloatArray, minutes: FloatArray,
    admitted_at: IntArray,
) -> Allocation:
    """Send demand (A, S, C) to sites and modalities using travel ``minutes`` (A, J);
    ``admitted_at`` (A,) is each area's admitting site (``admitting_sites``).

    ``contacts`` holds admissions, bed days and in-person outpatient visits at their site
    (inpatient ones in the strength-position column, the in-person column) and digital
    visits at the serving team's site; consults are not in ``contacts`` but in
    ``consults_on_site`` / ``consults_video`` at the admitting site.
    """
    n_areas, n_specialties = demand.shape[0], demand.shape[1]
    n_sites = len(region.sites)
    if demand.shape != (n_areas, len(region.specialties), len(CONTACT_TYPES)):
        raise ValueError(f"demand has shape {demand.shape}, not (A, S, C)")
    if minutes.shape != (n_areas, n_sites):
        raise ValueError(f"minutes has shape {minutes.shape}, not (A, J) = {(n_areas, n_sites)}")
    active = np.array([s.active for s in region.sites], dtype=bool)
    acute = region.acute_mask

    points = service_points(plan)
    if not points.any(axis=1).all() or (plan.strength_position & ~active[None, :]).any():
        raise InputError(
            "scenario",
            "strength_positions",
            "site",
            "every specialty needs an active strength position",
        )
    outpatient_at = np.stack([nearest_site(minutes, points[s]) for s in range(n_specialties)])
    if plan.assigned_site is not None:
        outpatient_at = np.where(plan.assigned_site >= 0, plan.assigned_site, outpatient_at)
    serving = np.take_along_axis(plan.serving_team, outpatient_at, axis=1)  # (S, A)
    if (serving < 0).any():
        raise InputError("scenario", "strength_positions", "site", "a site has no serving team")
    at_strength = np.take_along_axis(plan.strength_position, outpatient_at, axis=1)  # (S, A)

    split = split_outpatient(plan, demand)
    contacts = np.zeros((n_specialties, n_sites, len(CONTACT_TYPES), len(Modality)))
    for k, c in enumerate(OUTPATIENT_INDEX):
        in_person = split.in_person[:, :, k].T  # (S, A)
        at_site = in_person * at_strength, in_person * ~at_strength
        contacts[:, :, c, IN_STRENGTH] = scatter_rows(at_site[0], outpatient_at, n_sites)
        contacts[:, :, c, IN_OUTREACH] = scatter_rows(at_site[1], outpatient_at, n_sites)
        contacts[:, :, c, DIGITAL] = scatter_rows(split.digital[:, :, k].T, serving, n_sites)
    admitted = np.broadcast_to(admitted_at, (n_specialties, n_areas))
    for c in (ADMISSION, BED_DAY):
        contacts[:, :, c, IN_STRENGTH] = scatter_rows(demand[:, :, c].T, admitted, n_sites)
    dialysis_at = dialysis_units(region, minutes)
    if dialysis_at.min() >= 0:
        units = np.broadcast_to(dialysis_at, (n_specialties, n_areas))
        contacts[:, :, DIALYSIS_SESSION, IN_STRENGTH] = scatter_rows(
            demand[:, :, DIALYSIS_SESSION].T, units, n_sites)

    # consults arise at the admitting site: the consult demand, plus one per admission
    # where general internal medicine admits for the specialty; a team on site (its own or
    # rotating) sees them in person, a serving team from afar partly by video
    cover, inpatient_team = inpatient_cover(plan, acute)
    admissions_at = contacts[:, :, ADMISSION, IN_STRENGTH]
    consults = scatter_rows(demand[:, :, CONSULT].T, admitted, n_sites)
    consults = consults + np.where(cover == V_CONSULTS, admissions_at, 0.0)
    # a serving team beyond the consult reach consults by video only
    team = np.maximum(plan.serving_team, 0)
    team_minutes = minutes[area_of_site(region)[team], np.arange(n_sites)[None, :]]  # (S, J)
    far = (plan.serving_team >= 0) & (team_minutes > plan.consult_reach_minutes)
    video_share = np.where(far, 1.0, plan.digital_share[:, CONSULT][:, None])
    consults_video = np.where(cover == V_CONSULTS, consults * video_share, 0.0)
    own_site = np.broadcast_to(np.arange(n_sites)[None, :], cover.shape)
    consult_team = np.where(plan.team.specialist_fte > 0, own_site, plan.serving_team)
    consult_team = np.where(cover == V_NONE, -1, consult_team)
    share = np.zeros((n_specialties, n_areas, n_sites))
    np.put_along_axis(share, outpatient_at[:, :, None], 1.0, axis=2)

    return Allocation(
        admitted_at=admitted_at,
        outpatient_at=outpatient_at,
        contacts=contacts,
        consults_on_site=consults - consults_video,
        consults_video=consults_video,
        consult_team=consult_team.astype(np.int64),
        dialysis_at=dialysis_at,
        outpatient=split,
        outpatient_share=share,
        outpatient_capacity=np.full((n_specialties, n_sites), np.inf),
        unserved=np.zeros((n_specialties, n_areas)),
        inpatient_team=inpatient_team,
        inpatient_cover=cover,
    )
