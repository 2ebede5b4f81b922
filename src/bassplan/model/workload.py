"""Staff need by WISN (Workload Indicators of Staffing Need, WHO 2010): the specialist
hours each team's contacts take against the working hours its staff have.

A team is a specialty's staff at one site with specialist FTE > 0. Its hours per year:

- admissions and bed days at its own site and at the acute sites it covers by rotation
  (``Allocation.inpatient_team``);
- consults: those at its own site, and those at sites without a team that it serves
  (``plan.serving_team``), in person or by video (``Allocation.consults_on_site`` and
  ``consults_video``; the consult slice of ``Allocation.contacts`` is not read);
- outpatient contacts: in person at its site, at the outreach clinics it serves, and
  digital (already counted at the serving team's site);
- PRO answers × minutes per answer, split over the specialty's teams in proportion to
  their follow-up contacts (to their specialist FTE if no team has follow-ups);
- dialysis sessions at the units whose site it answers for (own site or served site);
- staff travel hours.

Contact hours are contacts × standard minutes / 60, digital ones × the digital factor.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.region import Region
from bassplan.domain.results import Allocation, ServicePlan, Workload
from bassplan.domain.vocabulary import (
    C_ADMISSION,
    C_BED_DAY,
    C_CONSULT,
    C_DIALYSIS,
    C_FIRST_VISIT,
    C_FOLLOW_UP,
    M_DIGITAL,
    M_OUTREACH,
    M_STRENGTH_POSITION,
    BoolArray,
    FloatArray,
)
from bassplan.model.arrays import scatter_rows

_STRENGTH, _OUTREACH, _DIGITAL = M_STRENGTH_POSITION, M_OUTREACH, M_DIGITAL
_CONSULT, _FOLLOW_UP = C_CONSULT, C_FOLLOW_UP
INPATIENT_INDEX = (C_ADMISSION, C_BED_DAY)
# what 'contacts' per FTE count: outpatient contacts (in person and digital) and consults
# (on site and by video); admissions, bed days and dialysis sessions are work, not contacts
COUNTED_CONTACTS = (C_FIRST_VISIT, C_FOLLOW_UP, C_CONSULT)


def _handled(
    plan: ServicePlan, allocation: Allocation, digital_factor: float, is_team: BoolArray
) -> tuple[FloatArray, FloatArray]:
    """Contacts per team by contact type (S, J, C): as counted, and weighted for time
    (digital and video ones × ``digital_factor``). Zero at sites without a team."""
    contacts = allocation.contacts
    n_sites = contacts.shape[1]
    outreach = scatter_rows(contacts[..., _OUTREACH], plan.serving_team, n_sites)
    at_site = contacts[..., _STRENGTH].copy()
    inpatient = list(INPATIENT_INDEX)
    at_site[..., inpatient] = scatter_rows(at_site[..., inpatient], allocation.inpatient_team,
                                           n_sites)
    count = at_site + contacts[..., _DIGITAL] + outreach
    timed = at_site + digital_factor * contacts[..., _DIGITAL] + outreach

    consult_team = allocation.consult_team
    on_site, video = allocation.consults_on_site, allocation.consults_video
    count[..., _CONSULT] = scatter_rows(on_site + video, consult_team, n_sites)
    timed[..., _CONSULT] = scatter_rows(on_site + digital_factor * video, consult_team, n_sites)
    # dialysis sessions: supervised by the team that answers for the unit's site
    sessions = scatter_rows(contacts[..., C_DIALYSIS, _STRENGTH], consult_team, n_sites)
    count[..., C_DIALYSIS] = timed[..., C_DIALYSIS] = sessions
    return np.where(is_team[..., None], count, 0.0), np.where(is_team[..., None], timed, 0.0)


def _pro_hours(
    pro_answers: FloatArray,
    minutes_per_answer: float,
    follow_ups: FloatArray,
    specialist_fte: FloatArray,
) -> FloatArray:
    """(S, J) PRO review hours, split over teams by follow-up contacts (else by FTE)."""
    total_hours = pro_answers * minutes_per_answer / MINUTES_PER_HOUR  # (S,)
    basis = np.where(follow_ups.sum(axis=1, keepdims=True) > 0, follow_ups, specialist_fte)
    basis_total = basis.sum(axis=1, keepdims=True)
    share = np.divide(basis, basis_total, out=np.zeros_like(basis), where=basis_total > 0)
    return np.asarray(total_hours[:, None] * share, dtype=np.float64)


def team_hours(
    region: Region, plan: ServicePlan, allocation: Allocation, staff_hours: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Contacts per team by contact type (S, J, C) and the team's workload in hours/year
    (S, J): contact hours, PRO review and staff travel ``staff_hours``; 0 without a team."""
    team = plan.team
    is_team = team.specialist_fte > 0
    count, timed = _handled(plan, allocation, region.parameters.digital_minutes_factor, is_team)
    contact_hours = np.einsum("sjc,sc->sj", timed, region.workload.minutes) / MINUTES_PER_HOUR
    pro_hours = _pro_hours(
        allocation.pro_answers,
        region.parameters.pro_minutes_per_answer,
        count[..., _FOLLOW_UP],
        np.where(is_team, team.specialist_fte, 0.0),
    )
    return count, np.where(is_team, contact_hours + pro_hours + staff_hours, 0.0)


def clinical_hours(region: Region, plan: ServicePlan) -> FloatArray:
    """(S, J) hours/year a team has for patient work: available FTE × available hours per
    FTE × (1 − category allowance); the WISN ratio is these hours / the team's workload."""
    params = region.parameters
    available = plan.team.specialist_fte + plan.team.trainee_fte * params.trainee_productivity
    hours: FloatArray = available * params.available_hours_per_fte * (
        1.0 - params.category_allowance)
    return hours


def assess_workload(
    region: Region, plan: ServicePlan, allocation: Allocation, staff_hours: FloatArray
) -> Workload:
    """WISN per team (S, J): required FTE for its hours (contacts, PRO review and staff
    travel ``staff_hours`` in hours/year), available FTE and their ratio."""
    params = region.parameters
    hours_per_fte = params.available_hours_per_fte
    allowance = params.category_allowance
    productivity = params.trainee_productivity
    team = plan.team
    is_team = team.specialist_fte > 0

    count, hours = team_hours(region, plan, allocation, staff_hours)
    required = hours / (hours_per_fte * (1.0 - allowance))
    available = team.specialist_fte + team.trainee_fte * productivity
    wisn = np.divide(
        available, required, out=np.full_like(required, np.nan), where=is_team & (required > 0)
    )
    per_fte = np.divide(
        count[..., list(COUNTED_CONTACTS)].sum(axis=2),  # inpatient work and dialysis apart
        team.specialist_fte,
        out=np.full_like(required, np.nan),
        where=is_team,
    )
    return Workload(
        available_hours_per_fte=hours_per_fte,
        required_fte=required,
        available_fte=available,
        wisn_ratio=wisn,
        contacts_per_fte=per_fte,
    )
