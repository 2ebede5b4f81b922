"""Derive ``rates.csv`` (contacts per 1,000 residents per year by specialty, contact type
and age band) from the public source files, in the open.

Run: ``python -m bassplan.data.derive.rates SOURCES_DIR OUT_CSV``. SOURCES_DIR holds the
shared CSVs (the bundle keeps copies in ``region_sjaelland/sources/``). No public table
gives Danish contacts per 1,000 by age and specialty, so the rates are built as follows;
every row of the output names the source rows it used and says whether a chosen
(illustrative) number entered. Row numbers are spreadsheet rows (the header is row 1,
the first data row is row 2).

Weights. Residents of the region by single age 0..100 (100 = 100+), base year 2021, from
``region_sjaelland_population_by_age_2021.csv`` summed over the 17 municipalities.

1. Age shape S(a) of all-cause admissions (hospital_use_rates_denmark.csv). Ages 0-69:
   Norwegian inpatient stays per 1,000 by 5-year band, both sexes, 2004 (the only
   age profile found; it stops at 65-69). Ages 70+: a linear rise from the 65-69 value,
   S(a) = S65 (1 + k (a − 69)), with k set so that mean S at 80+ / mean S at 65-79
   (population-weighted) = ρ = 2 × 5.3 / 5.6: Danish medical-department bed days per
   1,000 are 'more than twice' as high at 80+ as at 65-79 (taken as 2), and bed days =
   admissions × length of stay, with the Danish 2018 average stays 5.3 (65-79) and 5.6
   (80+) days.
2. Level. R(a) = S(a) × 152 / mean S: Region Sjælland's 152 admissions per 1,000
   residents (2021, all specialties) at the region's own age mix.
3. The seven specialties. M(a) = σ × R(a), adults (18+) only, rescaled so the region's
   total is exactly σ × 152 per 1,000 (children are treated by paediatrics). σ = 0.30
   is illustrative: no published share of admissions for these specialties was found.
4. Split. At each age, M(a) is shared among the specialties that admit at that age in
   proportion to illustrative weights (``ADMISSION_SPLIT``); geriatri admits from 75.
5. Bed days = admissions × average length of stay (ALOS): Danish 2018 values at 65-79
   and 80+; under 65 the Norwegian 1997 ALOS by band rescaled so its 65-69 value equals
   the Danish 5.3; geriatri uses the Danish geriatric departments' 7-8 days (midpoint 7.5,
   hospital_activity_region_sjaelland.csv).
6. Consults (tilsyn): an illustrative share (``CONSULT_RATE``) of the adult admissions
   outside the seven specialties (R − M) asks for this specialty's review.
7. Outpatient. For each specialty's key conditions (epidemiology_denmark.csv,
   follow_up_intensity.csv, hospital_activity_region_sjaelland.csv; see
   ``derive_outpatient``): follow-ups = patients × share followed in hospital × visits per
   patient per year (e.g. rheumatoid arthritis 0.6 % of adults × 0.9 × 4.15 visits);
   first visits = new cases × share given a hospital first visit. Overall prevalences are
   spread over the stated ages flat or ∝ S(a), keeping the number of patients. The sum
   over a specialty's key conditions is divided by the illustrative share of the
   specialty's first visits and of its follow-ups that those conditions make up
   (``KEY_CONDITION_SHARE``; e.g. COPD is a small part of new pulmonology referrals).
8. Bands. Single-age rates are averaged within the bands of ``ages.RATE_BANDS`` weighted
   by the 2021 residents, so band rate × band residents reproduces every total above.

Calibration: Σ residents × admission rate / 1,000 over all bands and specialties equals
σ × 152 / 1,000 × 838,840 (tests/data/test_derive_rates.py checks it within 1 %).
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bassplan.data.derive import dialysis, inpatient
from bassplan.data.derive.ages import AGES, RATE_BANDS, band_means, region_weights
from bassplan.data.derive.outpatient import ILLUSTRATIVE, all_conditions, is_illustrative
from bassplan.data.derive.sourcefacts import SourceFile
from bassplan.domain.vocabulary import C_DIALYSIS, CONTACT_TYPES, NOT_RATED, ContactType, FloatArray

POPULATION_FILE = "region_sjaelland_population_by_age_2021.csv"
USE_FILE = "hospital_use_rates_denmark.csv"
EPI_FILE = "epidemiology_denmark.csv"
FOLLOW_UP_FILE = "follow_up_intensity.csv"
ACTIVITY_FILE = "hospital_activity_region_sjaelland.csv"
SOURCE_FILES = (POPULATION_FILE, USE_FILE, EPI_FILE, FOLLOW_UP_FILE, ACTIVITY_FILE,
                dialysis.HOVEDSTADEN_FILE)

SPECIALTY_IDS: tuple[str, ...] = (
    "kardiologi",
    "lungemedicin",
    "endokrinologi",
    "gastromedicin",
    "reumatologi",
    "nefrologi",
    "geriatri",
)

# Illustrative assumptions (no public figure found); change them here and re-run.
MEDICAL_SHARE = 0.30  # σ: share of all admissions that the seven specialties take
ADMISSION_SPLIT: dict[str, tuple[float, int]] = {  # weight, youngest admitted age
    "kardiologi": (0.26, 18),
    "lungemedicin": (0.18, 18),
    "endokrinologi": (0.07, 18),
    "gastromedicin": (0.16, 18),
    "reumatologi": (0.03, 18),
    "nefrologi": (0.07, 18),
    "geriatri": (0.23, 75),
}
CONSULT_RATE: dict[str, tuple[float, int]] = {  # consults per other admission, from age
    "kardiologi": (0.04, 18),
    "lungemedicin": (0.015, 18),
    "endokrinologi": (0.03, 18),
    "gastromedicin": (0.02, 18),
    "reumatologi": (0.005, 18),
    "nefrologi": (0.015, 18),
    "geriatri": (0.05, 75),
}
KEY_CONDITION_SHARE: dict[str, tuple[float, float]] = {  # of first visits, of follow-ups
    "kardiologi": (0.35, 0.35),
    "lungemedicin": (0.10, 0.40),
    "endokrinologi": (0.50, 0.60),
    "gastromedicin": (0.20, 0.35),
    "reumatologi": (0.20, 0.25),
    "nefrologi": (0.30, 0.70),
    "geriatri": (1.0, 1.0),
}


@dataclass(frozen=True)
class RateRow:
    """One row of rates.csv."""

    specialty_id: str
    contact_type: str
    age_from: int
    age_to: int
    per_1000: float
    illustrative: bool
    source: str


@dataclass(frozen=True)
class Derivation:
    """The derived single-age rates (per person per year, (S, C, ages)) and their trace."""

    weights: FloatArray  # residents by single age, base year
    per_person: FloatArray  # (S, C, n_ages)
    sources: dict[tuple[str, str], str]
    illustrative: dict[tuple[str, str], bool]
    all_cause_admissions: FloatArray  # R(a), per person per year

    def rows(self) -> list[RateRow]:
        """The banded rows of rates.csv, per 1,000 residents per year."""
        out: list[RateRow] = []
        for s, spec in enumerate(SPECIALTY_IDS):
            for c, ct in enumerate(CONTACT_TYPES):
                unused = ct == ContactType.DIALYSIS and not self.per_person[s, c].any()
                if ct in NOT_RATED or unused:
                    continue  # bed days come from lengths of stay; dialysis only where given
                bands = band_means(self.per_person[s, c] * 1000.0, self.weights)
                for (low, high), value in zip(RATE_BANDS, bands, strict=True):
                    key = (spec, str(ct))
                    out.append(
                        RateRow(
                            spec,
                            str(ct),
                            low,
                            high,
                            float(value),
                            self.illustrative[key],
                            self.sources[key],
                        )
                    )
        return out


def derive(sources_dir: Path) -> Derivation:
    """Run steps 1-8 on the files in ``sources_dir``."""
    weights = region_weights(sources_dir / POPULATION_FILE)
    use = SourceFile(sources_dir / USE_FILE)
    epi = SourceFile(sources_dir / EPI_FILE)
    fui = SourceFile(sources_dir / FOLLOW_UP_FILE)
    act = SourceFile(sources_dir / ACTIVITY_FILE)

    shape = inpatient.admission_shape(use, weights)
    level = use.fact(
        measure="admissions per 1,000 residents", population_setting="Region Sjælland residents"
    )
    all_cause = inpatient.scale_to_level(shape, weights, level)
    medical = inpatient.medical_admissions(all_cause, weights, MEDICAL_SHARE)
    admissions = inpatient.split_by_specialty(medical, ADMISSION_SPLIT)
    denmark = inpatient.danish_population(use)
    conditions = all_conditions(epi, fui, act, use, denmark, weights, shape.values)

    s_count, c_count = len(SPECIALTY_IDS), len(CONTACT_TYPES)
    rates = np.zeros((s_count, c_count, len(AGES)))
    sources: dict[tuple[str, str], str] = {}
    flags: dict[tuple[str, str], bool] = {}
    inpatient_cite = "; ".join(all_cause.cites)
    for s, spec in enumerate(SPECIALTY_IDS):
        weight, from_age = ADMISSION_SPLIT[spec]
        split = (
            f"{ILLUSTRATIVE} share σ {MEDICAL_SHARE:g} of all admissions (adults), "
            f"{spec} weight {weight:g} from age {from_age}"
        )
        rates[s, 0] = admissions[spec]
        sources[(spec, "admission")] = f"steps 1-4: {inpatient_cite}; {split}"
        sources[(spec, "bed_day")] = "bed days: admissions × length_of_stay.csv"
        sources[(spec, "dialysis")] = "no dialysis sessions"
        rate, consult_age = CONSULT_RATE[spec]
        rates[s, 4] = inpatient.consults(all_cause.values, medical, rate, consult_age)
        sources[(spec, "consult")] = (
            f"step 6: {ILLUSTRATIVE} {rate:g} consults per admission outside the seven "
            f"specialties (from age {consult_age}); all-cause admissions: {inpatient_cite}"
        )
        own = [c for c in conditions if c.specialty == spec]
        for c_index, kind in ((2, "first_visit"), (3, "follow_up")):
            key = KEY_CONDITION_SHARE[spec][c_index - 2]
            parts = [c.first_visits() if c_index == 2 else c.follow_ups() for c in own]
            rates[s, c_index] = np.sum(parts, axis=0) / key
            scale = f"divided by {ILLUSTRATIVE} key-condition share {key:g}"
            sources[(spec, kind)] = f"step 7: {' | '.join(c.cites(kind) for c in own)}; {scale}"
        for ct in CONTACT_TYPES:
            flags[(spec, str(ct))] = is_illustrative(sources[(spec, str(ct))])
    sessions, trace = dialysis.sessions_per_person(sources_dir, epi, weights)
    nephrology = SPECIALTY_IDS.index("nefrologi")
    rates[nephrology, C_DIALYSIS] = sessions
    sources[("nefrologi", "dialysis")] = trace
    flags[("nefrologi", "dialysis")] = True  # the age shape below 60 is assumed
    return Derivation(weights, rates, sources, flags, all_cause.values)


def write_rates(rows: list[RateRow], path: Path) -> None:
    """Write rates.csv (UTF-8, comma-separated)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "specialty_id",
                "contact_type",
                "age_from",
                "age_to",
                "per_1000",
                "illustrative",
                "source",
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r.specialty_id,
                    r.contact_type,
                    r.age_from,
                    r.age_to,
                    f"{r.per_1000:.6g}",
                    "yes" if r.illustrative else "no",
                    r.source,
                ]
            )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: derive_rates SOURCES_DIR OUT_CSV."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m bassplan.data.derive.rates SOURCES_DIR OUT_CSV", file=sys.stderr)
        return 2
    derivation = derive(Path(args[0]))
    rows = derivation.rows()
    write_rates(rows, Path(args[1]))
    residents = derivation.weights.sum()
    admissions = sum(
        derivation.weights @ derivation.per_person[s, 0] for s in range(len(SPECIALTY_IDS))
    )
    print(
        f"wrote {len(rows)} rows to {args[1]}; admissions {admissions:,.0f}/year "
        f"({1000 * admissions / residents:.1f} per 1,000 residents)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
