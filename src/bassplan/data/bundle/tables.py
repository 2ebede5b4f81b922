"""The model tables of the bundled region that are not geography: specialties, staffing,
workload minutes and parameters — sourced where the shared data gives a number,
otherwise illustrative with a one-line reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bassplan.data.derive.outpatient import illustrative
from bassplan.data.derive.sourcefacts import Fact, SourceFile
from bassplan.domain.vocabulary import CONTACT_TYPES

Cells = dict[str, str]

SPECIALTY_NAMES: dict[str, tuple[str, str]] = {  # id -> (Danish, English)
    "kardiologi": ("Kardiologi", "Cardiology"),
    "lungemedicin": ("Lungemedicin", "Respiratory medicine"),
    "endokrinologi": ("Endokrinologi", "Endocrinology"),
    "gastromedicin": ("Gastroenterologi og hepatologi", "Gastroenterology and hepatology"),
    "reumatologi": ("Reumatologi", "Rheumatology"),
    "nefrologi": ("Nefrologi", "Nephrology"),
    "geriatri": ("Geriatri", "Geriatric medicine"),
}
MIN_TEAM_FTE = 6.0
MIN_TEAM_REASON = (
    "illustrative: the smallest team that can hold a 1-in-6 on-call rota and cover leave"
)
# specialties with their own on-call rota at an acute hospital; the others share the
# medical bagvagt (illustrative: no public list of rotas per hospital was found)
OWN_ROTA = ("kardiologi", "nefrologi", "gastromedicin")
OWN_ROTA_REASON = (
    "; own on-call rota (illustrative: Danish acute hospitals share one medical bagvagt "
    "across the internal-medicine specialties; cardiology, nephrology and gastrointestinal "
    "bleeding keep specialty rotas)"
)

# Specialist minutes per contact (admission, bed_day, first_visit, follow_up, consult,
# dialysis session); a haemodialysis session is nurse-led with a nephrologist's round.
WORKLOAD_MINUTES: dict[str, tuple[float, float, float, float, float, float]] = {
    "kardiologi": (45, 12, 45, 20, 40, 0),
    "lungemedicin": (45, 12, 60, 25, 40, 0),
    "endokrinologi": (45, 10, 60, 25, 40, 0),
    "gastromedicin": (45, 12, 45, 25, 40, 0),
    "reumatologi": (45, 12, 60, 25, 40, 0),
    "nefrologi": (45, 12, 60, 30, 40, 5),
    "geriatri": (60, 15, 90, 45, 60, 0),
}
WORKLOAD_REASON = (
    "illustrative: workload_standards.csv has no Danish hospital standard time per contact "
    "(its only minute figures are a Kenyan WISN example, 15 min, and one GP's 15-min booking); "
    "specialist time incl. notes: admission = assessment and discharge, bed_day = ward-round "
    "share, dialysis = the nephrologist's share of a session"
)

TRAINEE_RATIO = 0.4  # trainee FTE per specialist FTE at a mid-sized acute site
VACANT_RATIO = 0.1  # vacant posts per filled specialist FTE at a mid-sized acute site
ON_CALL_SHARE = 0.9  # share of a team's specialists in the on-call rota


@dataclass(frozen=True)
class SiteProfile:
    """Illustrative staffing profile of an acute site, relative to the mid-sized one: its
    trainee and vacancy factors, the share of its specialists on call, and why."""

    trainees: float
    vacancies: float
    on_call_share: float
    why: str


# illustrative: no public vacancy, training or rota figures per site were found; the
# profiles follow the sites' roles (sites.csv) and the region's shortage of doctors
SITE_PROFILES: Mapping[str, SiteProfile] = {
    "suh_koege": SiteProfile(1.25, 0.6, 0.8, "the region's university hospital: most "
                             "training posts, easiest recruitment, some specialists exempt "
                             "from call for research and highly specialised work"),
    "holbaek": SiteProfile(1.0, 1.0, ON_CALL_SHARE, "a mid-sized acute hospital"),
    "slagelse": SiteProfile(1.0, 1.0, ON_CALL_SHARE, "a mid-sized acute hospital"),
    "suh_nykobing_f": SiteProfile(0.75, 1.8, 1.0, "the most remote acute hospital "
                                  "(Lolland-Falster): fewer trainees, hardest recruitment, "
                                  "every specialist on call"),
}
SHORTAGE_SPECIALTY = "geriatri"  # fewer than 200 geriatricians in Denmark (c. 2018-2019)
SHORTAGE_FACTOR = 1.5  # illustrative: vacancies in the shortage specialty × 1.5
# Specialist FTE per 100,000 where specialists_denmark.csv gives no figure for the specialty.
FALLBACK_PER_100K: dict[str, tuple[float, str]] = {
    "endokrinologi": (2.0, "no figure; part of the internal-medicine remainder"),
    "nefrologi": (1.5, "no figure; part of the internal-medicine remainder"),
}
SPECIALIST_NAMES: dict[str, str] = {  # specialty id -> name in specialists_denmark.csv
    "kardiologi": "cardiology",
    "lungemedicin": "pulmonology",
    "gastromedicin": "gastroenterology",
    "reumatologi": "rheumatology",
    "geriatri": "geriatrics",
}


def specialty_rows() -> list[Cells]:
    """specialties.csv: the seven specialties with an illustrative minimum team."""
    return [
        {
            "specialty_id": sid,
            "name_da": da,
            "name_en": en,
            "min_team_fte": f"{MIN_TEAM_FTE:g}",
            "own_rota": "yes" if sid in OWN_ROTA else "no",
            "illustrative": "yes",
            "source": MIN_TEAM_REASON + (OWN_ROTA_REASON if sid in OWN_ROTA else ""),
        }
        for sid, (da, en) in SPECIALTY_NAMES.items()
    ]


def workload_rows() -> list[Cells]:
    """workload.csv: illustrative specialist minutes per contact."""
    return [
        {
            "specialty_id": sid,
            "contact_type": str(ct),
            "minutes": f"{minutes:g}",
            "illustrative": "yes",
            "source": WORKLOAD_REASON,
        }
        for sid, values in WORKLOAD_MINUTES.items()
        for ct, minutes in zip(CONTACT_TYPES, values, strict=True)
    ]


def per_100k(specialists: SourceFile, sid: str) -> Fact:
    """Specialists per 100,000 residents in Denmark for a specialty: the lower of the 2000
    and 2001 figures (the 2001 table was read with a doubtful column order)."""
    if sid not in SPECIALIST_NAMES:
        value, reason = FALLBACK_PER_100K[sid]
        return illustrative(value, reason)
    name = SPECIALIST_NAMES[sid]
    found = [
        specialists.fact(specialty=name, measure=measure, geography="Denmark")
        for measure in (
            "approved specialists of working age per 100,000 residents",
            "specialists per 100,000 residents",
        )
        if specialists.rows(specialty=name, measure=measure, geography="Denmark")
    ]
    return min(found, key=lambda f: f.value)


def growth_since_2000(specialists: SourceFile) -> Fact:
    """How many times more specialists per resident Denmark had in 2021 than in 2000 (all
    specialties): the per-specialty densities are from 2000/2001, so they are scaled by it
    (assuming every specialty grew alike — an illustrative assumption)."""
    now = specialists.fact(specialty="all", measure="specialists per 1,000 residents",
                           geography="Denmark")
    then = specialists.fact(
        specialty="all specialists (persons)",
        measure="approved specialists of working age per 100,000 residents",
        geography="Denmark",
    )
    return Fact(now.value * 100.0 / then.value, f"{now.cite} / {then.cite}")


@dataclass(frozen=True)
class AcuteSite:
    """An active acute site and its planned catchment population (residents)."""

    site_id: str
    catchment: float


def staffing_rows(
    specialists: SourceFile,
    site_ids: Sequence[str],
    acute: Sequence[AcuteSite],
    residents: float,
    shares: Mapping[str, Mapping[str, float]] | None = None,
    share_basis: str = "the acute sites' planned catchments (region_sjaelland_hospitals.csv)",
) -> list[Cells]:
    """staffing.csv: specialist FTE = per-100,000 figure (2000/2001) × growth of all
    specialists per resident since (2021) × region residents × the site's
    share of the acute sites' planned catchments; trainees, vacancies and on-call heads
    follow by illustrative ratios that differ by site (``SITE_PROFILES``) and, for
    vacancies, in the shortage specialty; 0 at every site that is not an active acute
    site. ``shares`` (specialty -> site -> share, each summing to 1) replaces the catchment
    shares where given, ``share_basis`` saying what they rest on."""
    total_catchment = sum(a.catchment for a in acute)
    common: Mapping[str, float] = {a.site_id: a.catchment / total_catchment for a in acute}
    rows: list[Cells] = []
    growth = growth_since_2000(specialists)
    shortage = specialists.fact(specialty="geriatrics (intern medicin: geriatri)",
                                measure="specialists in geriatric medicine", form="bound")
    for sid in SPECIALTY_NAMES:
        rate = per_100k(specialists, sid)
        share = common if shares is None else shares[sid]
        for site in site_ids:
            fte = round(rate.value * growth.value * residents / 1e5 * share.get(site, 0.0), 1)
            profile = SITE_PROFILES.get(site, SiteProfile(1.0, 1.0, ON_CALL_SHARE, ""))
            trainees = TRAINEE_RATIO * profile.trainees
            vacancies = VACANT_RATIO * profile.vacancies * (
                SHORTAGE_FACTOR if sid == SHORTAGE_SPECIALTY else 1.0)
            short = (f", × {SHORTAGE_FACTOR:g} in geriatrics ({shortage.cite})"
                     if sid == SHORTAGE_SPECIALTY else "")
            source = (
                f"illustrative: {rate.value:g} specialists per 100,000 ({rate.cite}) × "
                f"{growth.value:.3f}, the growth of all Danish specialists per resident "
                f"2000→2021 ({growth.cite}), × "
                f"{residents:,.0f} residents × this site's share {share.get(site, 0.0):.3f} of "
                f"{share_basis}; "
                f"illustrative site profile ({profile.why}): trainees {trainees:.2g} and "
                f"vacant posts {vacancies:.2g} per specialist FTE{short}; "
                f"{profile.on_call_share:.0%} of the specialists on call"
                if site in share
                else "illustrative: no specialist team at a site that does not hold the specialty"
                if shares is not None
                else "illustrative: no specialist team at a site that is not an active acute site"
            )
            rows.append(
                {
                    "specialty_id": sid,
                    "site_id": site,
                    "specialist_fte": f"{fte:g}",
                    "trainee_fte": f"{round(fte * trainees, 1):g}",
                    "vacant_fte": f"{round(fte * vacancies, 1):g}",
                    "on_call_specialists": f"{math.floor(fte * profile.on_call_share):d}",
                    "illustrative": "yes",
                    "source": source,
                }
            )
    return rows


def parameter_rows(work: SourceFile, transport: SourceFile, found: SourceFile) -> list[Cells]:
    """parameters.csv: every key of docs/architecture.md, sourced where possible."""
    hours = work.fact(item="contractual weekly working time, full time")
    holiday = work.fact(item="statutory annual holiday")
    sixth = work.fact(item="6th holiday week (accrual)")
    weeks = holiday.value / 5 + sixth.value * 12 / hours.value
    co2 = transport.fact(
        item="CO2 emission factor", vehicle_or_setting="fuel (petrol/diesel) car, mixed driving"
    )
    threshold = transport.fact(item="distance threshold for free transport/reimbursement")
    minimum = found.fact(item="minimum reimbursed round trip for pensioners")
    spent = transport.fact(
        item="regional spending on patients' own transport to hospital (own car or public "
        "transport reimbursement)")
    flex = transport.rows(item="operator of seated patient transport")
    flex_cite = f"{transport.name} row {flex[0].number}"

    def row(key: str, value: float, unit: str, fact_source: str, is_ill: bool) -> Cells:
        return {
            "key": key,
            "value": f"{value:.10g}",
            "unit": unit,
            "illustrative": "yes" if is_ill else "no",
            "source": fact_source,
        }

    def ill(key: str, value: float, unit: str, reason: str) -> Cells:
        return row(key, value, unit, f"illustrative: {reason}", True)

    return [
        row("hours_per_week", hours.value, "hours", f"{hours.cite} (regional doctors)", False),
        row("weeks_per_year", round(365 / 7, 2), "weeks", "calendar: 365 days / 7", False),
        row(
            "holiday_weeks",
            round(weeks, 2),
            "weeks",
            f"{holiday.value:g} days / 5 ({holiday.cite}) + {sixth.value:g} h/month × 12 / "
            f"{hours.value:g} h ({sixth.cite})",
            False,
        ),
        ill(
            "public_holiday_days",
            9,
            "days",
            "Danish public holidays falling on weekdays in a typical year, incl. Grundlovsdag",
        ),
        ill(
            "sick_leave_days",
            8,
            "days",
            "round figure for hospital doctors; the shared data has only a Kenyan WISN "
            "example (15)",
        ),
        ill(
            "cpd_days",
            10,
            "days",
            "two weeks of courses and conferences a year; the WISN example allows 10 training days",
        ),
        ill(
            "category_allowance",
            0.25,
            "share",
            "teaching, supervision, meetings and administration take a quarter of working time",
        ),
        ill(
            "trainee_productivity",
            0.5,
            "share",
            "a doctor in specialist training does about half a specialist's contacts",
        ),
        ill(
            "digital_minutes_factor",
            0.8,
            "share",
            "a video or phone contact saves a little of the in-person time",
        ),
        ill("pro_minutes_per_answer", 5, "minutes", "reviewing one patient-reported questionnaire"),
        ill(
            "outreach_visits_per_day",
            12,
            "contacts",
            "a 7.4-hour clinic day of 30-minute slots less set-up",
        ),
        ill(
            "consults_per_visit",
            4,
            "consults",
            "consults seen on one on-site visit to another acute site",
        ),
        ill(
            "clinic_weeks_per_year",
            44,
            "weeks",
            "52 weeks less 6 holiday weeks and about 2 weeks of public holidays and courses",
        ),
        ill(
            "road_speed_kmh", 70, "km/h", "mix of Danish rural roads (80 km/h), motorways and towns"
        ),
        ill(
            "detour_factor",
            1.3,
            "ratio",
            "road km per great-circle km on Zealand, Lolland and Falster",
        ),
        row(
            "co2_g_per_km",
            co2.value,
            "g/km",
            f"{co2.cite} (petrol/diesel car, mixed driving)",
            False,
        ),
        ill(
            "cost_per_fte_dkk",
            1_300_000,
            "DKK/year",
            "a consultant's salary with pension and overhead",
        ),
        ill("cost_per_km_dkk", 3.8, "DKK/km", "about the Danish high mileage allowance rate"),
        ill(
            "fca_catchment_minutes",
            45,
            "minutes",
            "a 45-minute drive as the reasonable reach of a clinic",
        ),
        row("reimbursement_threshold_km", threshold.value, "km",
            f"{threshold.cite} (one way; for patients whose health rules out public "
            "transport, or pensioners)", False),
        ill("reimbursement_dkk_per_km", 2.23, "DKK/km",
            "the state's lower mileage rate (2024) as the own-car reimbursement; the region's "
            "own rate was not in the sources read"),
        ill("pensioner_share", 0.6, "share",
            "six in ten internal-medicine patients' trips are made by pensioners (the region "
            f"spent 39.4 m DKK on patients' own transport in 2019, {spent.cite})"),
        row("pensioner_minimum_dkk", minimum.value, "DKK", f"{minimum.cite} (round trip)",
            False),
        ill("flexpatient_dkk_per_trip", 400, "DKK/trip",
            "a seated Flexpatient trip; no cost per trip in Region Sjælland was found "
            f"(operator: {flex_cite})"),
        ill("dialysis_flexpatient_share", 0.8, "share",
            f"most dialysis patients are driven; dialysis is among Flexpatient's largest "
            f"groups ({flex_cite})"),
    ]
