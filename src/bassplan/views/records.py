"""Plain records of an evaluated scenario: the headline per specialty and the score rows,
shared by the CLI's JSON/CSV output and the report."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from bassplan.domain.region import Region
from bassplan.domain.results import Evaluation, Scorecard, json_safe
from bassplan.domain.vocabulary import CONTACT_TYPES, M_DIGITAL, ContactType
from bassplan.i18n.population import describe_path
from bassplan.i18n.words import Lang, label
from bassplan.views.councils import council_records
from bassplan.views.dataversion import data_version_record
from bassplan.views.responsibility import responsibility_records

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (  # (name, first age, last age or open)
    ("0-64", 0, 64),
    ("65-79", 65, 79),
    ("80+", 80, None),
)


@dataclass(frozen=True)
class SpecialtyHeadline:
    """One specialty's headline figures for a scenario year (per year, minutes, FTE, km)."""

    specialty_id: str
    name_da: str
    name_en: str
    strength_positions: tuple[str, ...]
    outreach_sites: tuple[str, ...]
    admissions: float
    bed_days: float
    first_visits: float
    follow_ups: float
    consults: float
    digital_contacts: float
    follow_ups_avoided: float
    mean_minutes: float
    p90_minutes: float
    max_minutes: float
    share_within_45: float
    gini: float
    worst_area: str
    required_fte: float
    available_fte: float
    wisn_ratio: float
    patient_km: float
    staff_km: float
    co2_tonnes: float
    saved_km_digital: float
    saved_km_outreach: float
    dialysis_sessions: float
    patient_hours: float  # travel hours of patients (visits, admissions, dialysis)
    transport_dkk: float  # what the region pays for patients' transport (DKK/year)
    dialysis_km: float
    saved_hours_digital: float
    saved_co2_tonnes_digital: float
    saved_dkk_digital: float
    saved_km_pro: float
    saved_hours_pro: float
    saved_co2_tonnes_pro: float
    saved_dkk_pro: float
    saved_co2_tonnes_outreach: float


def headlines(evaluation: Evaluation) -> list[SpecialtyHeadline]:
    """Return the headline figures of every specialty in the evaluation."""
    region = evaluation.region
    plan = evaluation.plan
    totals = evaluation.demand.sum(axis=0)  # (S, C)
    digital = evaluation.allocation.contacts[..., M_DIGITAL]
    ci = {ct: k for k, ct in enumerate(CONTACT_TYPES)}
    transport = evaluation.transport
    rows: list[SpecialtyHeadline] = []
    for s, spec in enumerate(region.specialties):
        required = float(np.nansum(evaluation.workload.required_fte[s]))
        available = float(np.nansum(evaluation.workload.available_fte[s]))
        rows.append(
            SpecialtyHeadline(
                specialty_id=spec.id,
                name_da=spec.name_da,
                name_en=spec.name_en,
                strength_positions=tuple(
                    site.id for j, site in enumerate(region.sites) if plan.strength_position[s, j]
                ),
                outreach_sites=tuple(
                    site.id
                    for j, site in enumerate(region.sites)
                    if plan.outreach_days_per_week[s, j] > 0
                ),
                admissions=float(totals[s, ci[ContactType.ADMISSION]]),
                bed_days=float(totals[s, ci[ContactType.BED_DAY]]),
                first_visits=float(totals[s, ci[ContactType.FIRST_VISIT]]),
                follow_ups=float(totals[s, ci[ContactType.FOLLOW_UP]]),
                consults=float(totals[s, ci[ContactType.CONSULT]]),
                digital_contacts=float(digital[s].sum()),
                follow_ups_avoided=float(evaluation.allocation.follow_ups_avoided[s]),
                mean_minutes=float(evaluation.access.mean_minutes[s]),
                p90_minutes=float(evaluation.access.p90_minutes[s]),
                max_minutes=float(evaluation.access.max_minutes[s]),
                share_within_45=float(evaluation.access.share_within_45[s]),
                gini=float(evaluation.access.gini[s]),
                worst_area=region.areas[int(evaluation.access.worst_area[s])].name,
                required_fte=required,
                available_fte=available,
                wisn_ratio=available / required if required > 0 else math.nan,
                patient_km=float(evaluation.transport.patient_km[s]),
                staff_km=float(evaluation.transport.staff_km[s].sum()),
                co2_tonnes=float(evaluation.transport.co2_kg[s]) / 1000.0,
                saved_km_digital=float(evaluation.transport.saved_km_digital[s]),
                saved_km_outreach=float(evaluation.transport.saved_km_outreach[s]),
                dialysis_sessions=float(totals[s, ci[ContactType.DIALYSIS]]),
                patient_hours=float(transport.patient_hours[s] + transport.dialysis.hours[s]),
                transport_dkk=float(transport.patient_dkk[s] + transport.dialysis.dkk[s]),
                dialysis_km=float(transport.dialysis.km[s]),
                saved_hours_digital=float(transport.saved_digital.hours[s]),
                saved_co2_tonnes_digital=float(transport.saved_digital.co2_kg[s]) / 1000.0,
                saved_dkk_digital=float(transport.saved_digital.dkk[s]),
                saved_km_pro=float(transport.saved_pro.km[s]),
                saved_hours_pro=float(transport.saved_pro.hours[s]),
                saved_co2_tonnes_pro=float(transport.saved_pro.co2_kg[s]) / 1000.0,
                saved_dkk_pro=float(transport.saved_pro.dkk[s]),
                saved_co2_tonnes_outreach=float(transport.saved_co2_kg_outreach[s]) / 1000.0,
            )
        )
    return rows


def score_records(scorecard: Scorecard) -> list[dict[str, object]]:
    """Return one flat record per score: indicator, perspective, specialty, site, value, colour."""
    by_id = {ind.id: ind for ind in scorecard.indicators}
    records: list[dict[str, object]] = []
    for sc in scorecard.scores:
        ind = by_id[sc.indicator_id]
        records.append(
            {
                "scenario": scorecard.scenario_name,
                "indicator": sc.indicator_id,
                "perspective": str(ind.perspective),
                "label_da": ind.label_da,
                "label_en": ind.label_en,
                "specialty": sc.specialty_id,
                "site": sc.site_id or "",
                "value": None if math.isnan(sc.value) else round(sc.value, 6),
                "unit": ind.unit,
                "colour": str(sc.colour),
            }
        )
    return records


def evaluation_record(evaluation: Evaluation, scorecard: Scorecard) -> dict[str, object]:
    """Return the whole evaluation as JSON-ready data: headline, scores, illustrative inputs."""
    region = evaluation.region
    return {
        "scenario": evaluation.scenario_name,
        "year": evaluation.year,
        "region": region.name,
        "data_version": data_version_record(region),
        "residents": round(float(evaluation.residents.sum()), 1),
        "residents_by_age_band": {k: round(v, 1) for k, v in residents_by_band(evaluation).items()},
        "residents_path": residents_path(evaluation),
        "illustrative_inputs": list(illustrative_inputs(evaluation)),
        "specialties": [json_safe(asdict(h)) for h in headlines(evaluation)],
        "scores": score_records(scorecard),
        "responsibility": responsibility_records(evaluation),
        "councils": council_records(evaluation),
    }


def residents_by_band(evaluation: Evaluation) -> dict[str, float]:
    """The region's residents in the scenario year by age band (``AGE_BANDS``)."""
    by_age = evaluation.population.residents.sum(axis=0)
    return {name: float(by_age[low : None if high is None else high + 1].sum())
            for name, low, high in AGE_BANDS}


def residents_path(evaluation: Evaluation) -> dict[str, str]:
    """Which path produced the year's residents: its kind and the sentence in Danish and
    English."""
    path = evaluation.population.path
    return {"kind": str(path.kind), "da": describe_path(path, "da"),
            "en": describe_path(path, "en")}


def csv_records(evaluation: Evaluation, scorecard: Scorecard) -> list[dict[str, object]]:
    """Every score, every area × specialty responsibility and every council × specialty as
    one flat list for CSV; the column ``record`` says which ('score', 'responsibility' or
    'council'), other columns stay empty where they do not apply."""
    scores = [{**r, "record": "score"} for r in score_records(scorecard)]
    areas = [{"scenario": evaluation.scenario_name, **r, "record": "responsibility"}
             for r in responsibility_records(evaluation)]
    councils = [{"scenario": evaluation.scenario_name, **r, "record": "council"}
                for r in council_records(evaluation)]
    records = scores + areas + councils
    columns = list(dict.fromkeys(key for record in records for key in record))
    return [{key: record.get(key) for key in columns} for record in records]


def illustrative_lists(region: Region) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (input tables, parameter keys) whose numbers are illustrative, including tables
    flagged only in their arrays (rates, workload, staffing)."""
    tables = list(region.illustrative_inputs)
    flagged = {
        "rates": bool(np.any(region.rates.illustrative)),
        "workload": bool(np.any(region.workload.illustrative)),
        "staffing": region.staffing.illustrative,
    }
    tables += [name for name, flag in flagged.items() if flag and name not in tables]
    params = region.parameters.illustrative_keys
    return tuple(tables), params


def illustrative_labels(region: Region, lang: Lang) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The illustrative tables and parameters of ``illustrative_lists`` by their names in
    ``lang`` (the word store's ``data_kind_*`` and ``param_*``), for pages and the pack."""
    tables, params = illustrative_lists(region)
    return (tuple(label(f"data_kind_{name}", lang) for name in tables),
            tuple(label(f"param_{key}", lang) for key in params))


def illustrative_inputs(evaluation: Evaluation) -> tuple[str, ...]:
    """Names of every input table and parameter whose numbers are illustrative."""
    tables, params = illustrative_lists(evaluation.region)
    return tables + tuple(f"parameter {key}" for key in params)
