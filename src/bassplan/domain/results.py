"""The typed outputs of each evaluation stage, as immutable records of NumPy arrays.

Shapes use the letters of ``domain``: A areas, J sites, S specialties, C contact types,
M modalities (``Modality`` order). A value of -1 in an index array means 'none'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bassplan.domain.demography import ProjectedPopulation
from bassplan.domain.phrase import Phrase
from bassplan.domain.region import Region, Staffing
from bassplan.domain.vocabulary import (
    BoolArray,
    Colour,
    Direction,
    FloatArray,
    IntArray,
    Perspective,
)


@dataclass(frozen=True)
class ServicePlan:
    """A scenario resolved to arrays: where each specialty works and with whom.

    ``serving_team[s, j]`` is the strength-position site whose team serves site j
    (j itself at a strength position, -1 if none). ``team`` is staffing after the
    scenario's changes and pooling of staff into strength positions.
    """

    strength_position: BoolArray  # (S, J)
    outreach_days_per_week: FloatArray  # (S, J)
    digital_share: FloatArray  # (S, C) share of contacts delivered digitally
    pro_share: FloatArray  # (S,) share of follow-up patients on PRO-based follow-up
    trigger_rate: FloatArray  # (S,) share of PRO answers that trigger a visit
    team: Staffing
    serving_team: IntArray  # (S, J)
    consult_reach_minutes: float  # the scenario's: a team farther away consults by video only
    assigned_site: IntArray | None = None  # (S, A) in-person site per area; -1 = nearest
    # (S,) who covers admissions at an acute site without the specialty's team
    # (V_ROTATION, V_CONSULTS or V_NONE of ``vocabulary``); None: rotation everywhere
    inpatient_cover: IntArray | None = None


@dataclass(frozen=True)
class OutpatientSplit:
    """Outpatient contacts per year by area, specialty and (first visit, follow-up),
    after need-based follow-up: seen in person, digital, avoided and PRO answers."""

    in_person: FloatArray  # (A, S, 2)
    digital: FloatArray  # (A, S, 2)
    follow_ups_avoided: FloatArray  # (A, S)
    pro_answers: FloatArray  # (A, S)


@dataclass(frozen=True)
class Allocation:
    """Which site and modality serves which demand, in contacts per year.

    In-person outpatient visits are sent where there is capacity (``model.capacity``):
    ``outpatient_share[s, a, j]`` is the share of area a's visits seen at site j, and
    ``unserved`` what no site had room for. Inpatient work at an acute site is done by
    ``inpatient_team`` (its own team, or the rotating serving team), as ``inpatient_cover``
    says (``vocabulary.InpatientCover`` positions; -1 at sites that admit nobody).
    """

    admitted_at: IntArray  # (A,) the admitting active acute site (catchment, else nearest)
    outpatient_at: IntArray  # (S, A) main site of in-person outpatient contacts (largest share)
    contacts: FloatArray  # (S, J, C, M) contacts/year at site j; digital ones at the team's site
    consults_on_site: FloatArray  # (S, J) consults/year at acute site j seen in person
    consults_video: FloatArray  # (S, J) consults/year at acute site j by video
    consult_team: IntArray  # (S, J) site whose team sees the consults at site j; -1 none
    #                          (the team that answers for the site: dialysis there too)
    dialysis_at: IntArray  # (A,) the dialysis unit each area's sessions go to; -1 none
    outpatient: OutpatientSplit  # per area, after need-based follow-up and digital shares
    outpatient_share: FloatArray  # (S, A, J) share of each area's in-person visits at site j
    outpatient_capacity: FloatArray  # (S, J) in-person visits/year each service point can see
    unserved: FloatArray  # (S, A) in-person visits/year no service point had room for
    inpatient_team: IntArray  # (S, J) site whose team does the inpatient work at site j; -1
    inpatient_cover: IntArray  # (S, J) InpatientCover position at acute sites; -1 elsewhere

    @property
    def main_site(self) -> IntArray:
        """(S, A) the site that sees the largest share of each area's in-person visits;
        the area's own service point (``outpatient_at``) where no site has room for any."""
        largest = self.outpatient_share.argmax(axis=2)
        seen = self.outpatient_share.max(axis=2) > 0
        return np.asarray(np.where(seen, largest, self.outpatient_at), dtype=np.int64)

    @property
    def follow_ups_avoided(self) -> FloatArray:
        """(S,) follow-up visits/year saved by need-based follow-up."""
        return np.asarray(self.outpatient.follow_ups_avoided.sum(axis=0), dtype=np.float64)

    @property
    def pro_answers(self) -> FloatArray:
        """(S,) PRO questionnaires/year reviewed instead of visits."""
        return np.asarray(self.outpatient.pro_answers.sum(axis=0), dtype=np.float64)

    @property
    def consult_cover(self) -> BoolArray:
        """(S, J) True where a team sees the specialty's consults at site j (on site or by
        video): the site's own team or the team that serves it."""
        return np.asarray(self.consult_team >= 0, dtype=bool)


@dataclass(frozen=True)
class Workload:
    """WISN: workload in specialist time against available working time, per team (S, J)."""

    available_hours_per_fte: float  # hours/year of one FTE after leave, holidays, CPD
    required_fte: FloatArray  # (S, J) at team sites (0 elsewhere)
    available_fte: FloatArray  # (S, J) filled specialist FTE + trainee contribution
    wisn_ratio: FloatArray  # (S, J) available / required; nan where no team
    contacts_per_fte: FloatArray  # (S, J) outpatient contacts and consults per specialist FTE


@dataclass(frozen=True)
class Access:
    """Access and equity per specialty, population-weighted over residents."""

    area_minutes: FloatArray  # (S, A) travel minutes to the in-person outpatient site
    mean_minutes: FloatArray  # (S,)
    p90_minutes: FloatArray  # (S,)
    max_minutes: FloatArray  # (S,)
    share_within_30: FloatArray  # (S,) share of residents
    share_within_45: FloatArray  # (S,)
    share_within_60: FloatArray  # (S,)
    gini: FloatArray  # (S,) Gini of travel minutes across residents, 0..1
    worst_area: IntArray  # (S,) index of the area with the longest travel
    fca_per_100k: FloatArray  # (S, A) 2SFCA specialists per 100,000 residents


@dataclass(frozen=True)
class TripTotals:
    """Round trips of patients per year, per specialty (S,): km, hours, kg CO2 and the DKK
    the region pays for them."""

    km: FloatArray
    hours: FloatArray
    co2_kg: FloatArray
    dkk: FloatArray


@dataclass(frozen=True)
class Transport:
    """Patient and staff transport per year, and what digital contacts and outreach save."""

    patient_km: FloatArray  # (S,) round trips to outpatient visits and admissions
    patient_hours: FloatArray  # (S,)
    patient_dkk: FloatArray  # (S,) the region's transport cost for those trips
    dialysis: TripTotals  # round trips to haemodialysis sessions
    staff_km: FloatArray  # (S, J) by the team at strength-position site j
    staff_hours: FloatArray  # (S, J)
    co2_kg: FloatArray  # (S,) patients (visits, admissions, dialysis) + staff
    g_co2_per_km: float  # the car fleet's mean in the scenario's year
    saved_km_digital_at: FloatArray  # (S, J) patient km not driven thanks to digital
    #                                  contacts, at the site of the team that holds them
    saved_km_outreach_at: FloatArray  # (S, J) patient km saved at each outreach clinic, net
    #                                   of the staff km driven to hold it
    saved_digital: TripTotals  # trips digital visits replace
    saved_pro: TripTotals  # trips PRO-based follow-up replaces (visits avoided)

    @property
    def saved_km_digital(self) -> FloatArray:
        """(S,) patient km not driven thanks to digital contacts."""
        return np.asarray(self.saved_km_digital_at.sum(axis=1), dtype=np.float64)

    @property
    def saved_co2_kg_outreach(self) -> FloatArray:
        """(S,) kg CO2 the outreach clinics save net of staff driving (the year's fleet)."""
        return self.saved_km_outreach * self.g_co2_per_km / 1000.0

    @property
    def saved_km_outreach(self) -> FloatArray:
        """(S,) patient km saved by outreach clinics, net of staff km."""
        return np.asarray(self.saved_km_outreach_at.sum(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class OnCall:
    """On-call burden: the rota of 1-in-N each team takes part in (its own or the site's
    shared medical bagvagt), after leave cover."""

    rota_n: FloatArray  # (S, J) nan where no team or the site admits nobody


@dataclass(frozen=True)
class Evaluation:
    """One scenario evaluated: every stage's output, for the scorecard and reports."""

    scenario_name: str
    year: int
    region: Region
    residents: FloatArray  # (A,) projected to ``year``
    demand: FloatArray  # (A, S, C) contacts/year before need-based follow-up
    travel_minutes: FloatArray  # (A, J)
    travel_km: FloatArray  # (A, J)
    plan: ServicePlan
    allocation: Allocation
    workload: Workload
    access: Access
    transport: Transport
    on_call: OnCall
    population: ProjectedPopulation  # residents by single age and the path that gave them


@dataclass(frozen=True)
class Score:
    """One indicator value for a specialty (and site, for site-level indicators)."""

    indicator_id: str
    specialty_id: str
    site_id: str | None
    value: float
    colour: Colour


@dataclass(frozen=True)
class Scorecard:
    """All indicator values of one evaluated scenario."""

    scenario_name: str
    indicators: tuple[IndicatorDef, ...]
    scores: tuple[Score, ...]


@dataclass(frozen=True)
class Step:
    """One line of an explanation: a named quantity, its value and unit, and how it arose;
    the name and the note are phrases, said in the reader's language where shown."""

    label: Phrase
    value: float
    unit: str
    detail: Phrase | None = None


@dataclass(frozen=True)
class Explanation:
    """How one indicator value was computed, from the inputs up."""

    indicator_id: str
    specialty_id: str
    site_id: str | None
    value: float
    colour: Colour
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class IndicatorDef:
    """One scorecard indicator from the editable catalogue (``scorecard/indicators.csv``).

    Colour rule: for higher-is-better, value ≥ ``green`` is green and value < ``red`` is
    red; for lower-is-better, value ≤ ``green`` is green and value > ``red`` is red;
    yellow between. ``level`` is 'site' (one value per specialty × site) or 'specialty'.
    """

    id: str
    perspective: Perspective
    label_da: str
    label_en: str
    unit: str
    direction: Direction
    green: float
    red: float
    level: str
    definition: str


def json_safe(record: dict[str, object]) -> dict[str, object]:
    """Replace nan and infinite floats by None, at any depth, so the record is valid JSON."""
    return {k: _finite(v) for k, v in record.items()}


def _finite(value: object) -> object:
    """The value with every nan or infinite float (in nested dicts and lists) made None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
