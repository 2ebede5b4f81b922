"""What the simulation reads from an evaluation: its clinic units and its teams, per year.

A **unit** is a specialty at a site where outpatient visits happen: a strength position
(in-person visits, and the digital visits its team holds) or an outreach clinic. A
**team** is a specialty's staff at one site: it holds the clinics of its own site and the
outreach clinics it serves, and does the ward work there (admissions and bed days at its
own site, the consults it sees, as in ``workload``). Arrays are per year, as in the
evaluation; ``model`` turns them into daily rates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.results import Evaluation
from bassplan.domain.vocabulary import (
    C_ADMISSION,
    C_BED_DAY,
    C_CONSULT,
    C_FIRST_VISIT,
    C_FOLLOW_UP,
    M_DIGITAL,
    M_OUTREACH,
    M_STRENGTH_POSITION,
    BoolArray,
    FloatArray,
    IntArray,
)
from bassplan.model.arrays import scatter_rows
from bassplan.model.travel import site_to_site

WARD_KINDS = ("admission", "bed_day", "consult_on_site", "consult_video")


@dataclass(frozen=True)
class Units:
    """Clinic units (U,) with their yearly visits, minutes per visit and km saved."""

    specialty: IntArray
    site: IntArray
    team_site: IntArray  # site of the team that holds the unit's clinic
    first_visits: FloatArray  # per year: in person and digital
    follow_ups_scheduled: FloatArray  # per year, before need-based follow-up
    follow_up_visits: FloatArray  # per year, after need-based follow-up
    minutes_first: FloatArray  # specialist minutes per first visit (digital ones cheaper)
    minutes_follow_up: FloatArray
    km_first: FloatArray  # patient km saved per first visit (digital, outreach net)
    km_follow_up: FloatArray
    outreach_minutes: FloatArray  # planned outreach clinic minutes per year (0 at home)


@dataclass(frozen=True)
class Teams:
    """Teams (T,) with staff, yearly ward work and the shares of their patient time."""

    specialty: IntArray
    site: IntArray
    specialists: FloatArray  # filled specialist FTE
    vacant: FloatArray  # vacant posts, FTE
    trainees: FloatArray  # trainee FTE × trainee productivity (specialist equivalents)
    ward_per_year: FloatArray  # (T, 4) in ``WARD_KINDS`` order
    ward_minutes: FloatArray  # (T, 4) specialist minutes per item
    ward_km_saved: FloatArray  # (T, 4) staff km saved per item (video consults)
    ward_share: FloatArray  # share of the team's patient-work hours that is ward work
    clinic_share: FloatArray  # share that is outpatient clinic


def _ratio(top: FloatArray, bottom: FloatArray, default: FloatArray | float) -> FloatArray:
    fallback = np.broadcast_to(np.asarray(default, dtype=np.float64), np.shape(top))
    result: FloatArray = np.divide(top, bottom, out=np.array(fallback, dtype=np.float64),
                                   where=bottom > 0)
    return result


def team_sites(ev: Evaluation) -> IntArray:
    """(S, J) the site of the team holding clinics at each site: the site itself at a
    strength position, else its serving team (-1 if none)."""
    plan = ev.plan
    sites = np.broadcast_to(np.arange(plan.strength_position.shape[1]), plan.serving_team.shape)
    result: IntArray = np.where(plan.strength_position, sites, plan.serving_team)
    return result


def clinic_units(ev: Evaluation, site_km: FloatArray) -> Units:
    """The evaluation's clinic units and their yearly outpatient work."""
    plan, contacts = ev.plan, ev.allocation.contacts
    params = ev.region.parameters
    first_ip = contacts[:, :, C_FIRST_VISIT, M_STRENGTH_POSITION]
    first_out = contacts[:, :, C_FIRST_VISIT, M_OUTREACH]
    first_dig = contacts[:, :, C_FIRST_VISIT, M_DIGITAL]
    fu_ip = contacts[:, :, C_FOLLOW_UP, M_STRENGTH_POSITION]
    fu_out = contacts[:, :, C_FOLLOW_UP, M_OUTREACH]
    fu_dig = contacts[:, :, C_FOLLOW_UP, M_DIGITAL]
    first = first_ip + first_out + first_dig
    follow = fu_ip + fu_out + fu_dig
    is_unit: BoolArray = (first + follow) > 0

    # a follow-up is a visit unless its patient answers PRO and the answer does not trigger
    keep = (1.0 - plan.pro_share * (1.0 - plan.trigger_rate))[:, None]
    by_first = _ratio(first, first.sum(axis=1, keepdims=True), 0.0)
    scheduled_total = ev.demand[:, :, C_FOLLOW_UP].sum(axis=0)[:, None]
    scheduled = np.where(keep > 0, _ratio(follow, np.broadcast_to(keep, follow.shape), 0.0),
                         scheduled_total * by_first)

    minutes = ev.region.workload.minutes
    factor = ev.region.parameters.digital_minutes_factor
    m_first = minutes[:, C_FIRST_VISIT][:, None]
    m_follow = minutes[:, C_FOLLOW_UP][:, None]
    minutes_first = m_first * _ratio(first_ip + first_out + factor * first_dig, first, 1.0)
    minutes_follow = m_follow * _ratio(fu_ip + fu_out + factor * fu_dig, follow, 1.0)

    teams = team_sites(ev)
    saved = ev.transport
    digital_km = _ratio(saved.saved_km_digital_at, first_dig + fu_dig, 0.0)  # per visit
    outreach_km = _ratio(saved.saved_km_outreach_at, first_out + fu_out, 0.0)
    km_first = _ratio(first_dig * digital_km + first_out * outreach_km, first, 0.0)
    km_follow = _ratio(fu_dig * digital_km + fu_out * outreach_km, follow, 0.0)

    per_day = params.outreach_visits_per_day
    weeks = params.clinic_weeks_per_year
    mean_minutes = _ratio(first * minutes_first + follow * minutes_follow, first + follow, 0.0)
    outreach = np.where(plan.strength_position, 0.0,
                        plan.outreach_days_per_week * weeks * per_day * mean_minutes)

    s_idx, j_idx = np.nonzero(is_unit)
    return Units(
        specialty=s_idx.astype(np.int64),
        site=j_idx.astype(np.int64),
        team_site=teams[s_idx, j_idx].astype(np.int64),
        first_visits=first[s_idx, j_idx],
        follow_ups_scheduled=scheduled[s_idx, j_idx],
        follow_up_visits=follow[s_idx, j_idx],
        minutes_first=minutes_first[s_idx, j_idx],
        minutes_follow_up=minutes_follow[s_idx, j_idx],
        km_first=km_first[s_idx, j_idx],
        km_follow_up=km_follow[s_idx, j_idx],
        outreach_minutes=outreach[s_idx, j_idx],
    )


def clinic_teams(ev: Evaluation, units: Units, site_km: FloatArray) -> Teams:
    """The teams that hold the units' clinics or do ward work, with their yearly work."""
    plan, allocation, region = ev.plan, ev.allocation, ev.region
    n_specialties, n_sites = plan.strength_position.shape
    is_team = plan.team.specialist_fte > 0
    sites = np.broadcast_to(np.arange(n_sites), (n_specialties, n_sites))
    consult_team = allocation.consult_team
    contacts = allocation.contacts
    covering = allocation.inpatient_team  # own team, or the team whose specialists rotate in
    ward = np.stack([
        scatter_rows(contacts[:, :, C_ADMISSION, M_STRENGTH_POSITION], covering, n_sites),
        scatter_rows(contacts[:, :, C_BED_DAY, M_STRENGTH_POSITION], covering, n_sites),
        scatter_rows(allocation.consults_on_site, consult_team, n_sites),
        scatter_rows(allocation.consults_video, consult_team, n_sites),
    ], axis=-1)  # (S, J, 4)
    trip_km = 2.0 * site_km[np.maximum(consult_team, 0), sites]
    per_visit = region.parameters.consults_per_visit
    video_km = _ratio(scatter_rows(allocation.consults_video * trip_km / per_visit, consult_team,
                               n_sites),
                      ward[..., 3], 0.0)

    factor = region.parameters.digital_minutes_factor
    m = region.workload.minutes
    ward_minutes = np.stack([m[:, C_ADMISSION], m[:, C_BED_DAY], m[:, C_CONSULT],
                             factor * m[:, C_CONSULT]], axis=-1)  # (S, 4)
    ward_hours = (ward * ward_minutes[:, None, :]).sum(axis=-1) / MINUTES_PER_HOUR
    unit_hours = (units.first_visits * units.minutes_first
                  + units.follow_up_visits * units.minutes_follow_up) / MINUTES_PER_HOUR
    clinic_hours = np.zeros((n_specialties, n_sites))
    np.add.at(clinic_hours, (units.specialty, units.team_site), unit_hours)

    allowance = region.parameters.category_allowance
    wisn_hours = (ev.workload.required_fte * ev.workload.available_hours_per_fte
                  * (1.0 - allowance))
    total = np.maximum(wisn_hours, clinic_hours + ward_hours)
    clinic_share = _ratio(clinic_hours, total, 1.0)
    ward_share = _ratio(ward_hours, total, 0.0)

    mask = is_team | (ward.sum(axis=-1) > 0)
    mask[units.specialty, units.team_site] = True
    s_idx, j_idx = np.nonzero(mask)
    productivity = region.parameters.trainee_productivity
    return Teams(
        specialty=s_idx.astype(np.int64),
        site=j_idx.astype(np.int64),
        specialists=plan.team.specialist_fte[s_idx, j_idx],
        vacant=plan.team.vacant_fte[s_idx, j_idx],
        trainees=plan.team.trainee_fte[s_idx, j_idx] * productivity,
        ward_per_year=ward[s_idx, j_idx],
        ward_minutes=ward_minutes[s_idx],
        ward_km_saved=np.stack([np.zeros(s_idx.size)] * 3 + [video_km[s_idx, j_idx]], axis=-1),
        ward_share=ward_share[s_idx, j_idx],
        clinic_share=clinic_share[s_idx, j_idx],
    )


def site_km_of(ev: Evaluation) -> FloatArray:
    """(J, J) km between sites, from the evaluation's area-to-site matrix."""
    _, km = site_to_site(ev.region, ev.travel_minutes, ev.travel_km)
    return km
