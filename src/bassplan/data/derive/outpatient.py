"""Condition-based outpatient demand (first visits, follow-ups) by single age: step 7 of
``derive_rates``.

For each key condition: follow-ups = patients × share followed in hospital × visits per
patient per year; first visits = new cases × share given a hospital first visit. Where the
sources give one overall rate for an age range, it is spread over single ages either flat
or in proportion to the hospital-use age shape S(a), keeping the range's total patients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.data.derive.ages import ADULT_AGE, AGES, TOP_AGE, parse_band, spread_bands
from bassplan.data.derive.inpatient import Profile
from bassplan.data.derive.sourcefacts import Fact, SourceFile, cite_rows
from bassplan.domain.vocabulary import FloatArray

ILLUSTRATIVE = "illustrative"


def illustrative(value: float, reason: str) -> Fact:
    """A number chosen for the bundle, not read from a source, with its one-line reason."""
    return Fact(value, f"{ILLUSTRATIVE} {value:g}: {reason}")


def is_illustrative(cite: str) -> bool:
    """True if a citation contains a chosen (illustrative) number."""
    return ILLUSTRATIVE in cite


@dataclass(frozen=True)
class Condition:
    """One key condition of a specialty and the facts that turn it into visits."""

    specialty: str
    name: str
    patients: Profile  # prevalent patients per person, by age
    hospital_share: Fact  # share of patients followed in hospital outpatient clinics
    visits: Fact  # follow-up visits per patient in hospital care per year
    new_patients: Profile  # new cases per person per year, by age
    referral_share: Fact  # share of new cases given a hospital first visit

    def follow_ups(self) -> FloatArray:
        """Follow-up visits per person per year, by age."""
        return self.patients.values * self.hospital_share.value * self.visits.value

    def first_visits(self) -> FloatArray:
        """First visits per person per year, by age."""
        return self.new_patients.values * self.referral_share.value

    def cites(self, kind: str) -> str:
        """The citations behind this condition's first visits or follow-ups."""
        if kind == "first_visit":
            parts = [*self.new_patients.cites, f"share seen {self.referral_share.cite}"]
        else:
            parts = [
                *self.patients.cites,
                f"in hospital {self.hospital_share.cite}",
                f"visits/yr {self.visits.cite}",
            ]
        return f"{self.name}: " + "; ".join(parts)


def spread(
    rate: Fact,
    published: str,
    target: tuple[int, int],
    weights: FloatArray,
    shape: FloatArray | None,
) -> Profile:
    """Spread a rate published for age group ``published`` (e.g. 'all ages', '18+') over
    the ``target`` ages, flat (shape None) or ∝ shape, keeping the number of persons."""
    low, high = (0, TOP_AGE) if published == "all ages" else parse_band(published)
    persons = rate.value * float(weights[low : high + 1].sum())
    inside = (target[0] <= AGES) & (target[1] >= AGES)
    form = np.ones(len(AGES)) if shape is None else shape
    profile = np.where(inside, form, 0.0)
    profile = profile * persons / float(weights @ profile)
    how = "flat" if shape is None else "∝ S(a)"
    label = f"{target[0]}+" if target[1] == TOP_AGE else f"{target[0]}-{target[1]}"
    return Profile(profile, (f"{rate.cite} ({published}) spread {how} over {label}",))


def per(fact: Fact, divisor: float) -> Fact:
    """Turn a value per 100 / 100,000 / … persons into a value per person."""
    return Fact(fact.value / divisor, fact.cite)


def add(a: Fact, b: Fact) -> Fact:
    """The sum of two facts with both citations."""
    return Fact(a.value + b.value, f"{a.cite} + {b.cite}")


def cardiology(epi: SourceFile, fui: SourceFile, w: FloatArray, s: FloatArray) -> list[Condition]:
    """Atrial fibrillation (prevalence, incidence) and heart failure (age-specific
    incidence; first-year clinic visits from a heart-failure clinic trial)."""
    adults = (ADULT_AGE, TOP_AGE)
    af_prev = per(epi.fact(condition="atrial fibrillation", measure="cumulative prevalence"), 100)
    af_inc = per(
        epi.fact(condition="atrial fibrillation", measure="incidence rate", period="2018"), 1e5
    )
    hf_bands = ("18-34", "35-44", "45-54", "55-64", "65-74", "75+")
    hf = epi.band_facts(
        hf_bands,
        condition="heart failure (first-time in-hospital diagnosis)",
        measure="incidence rate",
        period="2012",
    )
    hf_profile = Profile(
        spread_bands([parse_band(b) for b in hf_bands], [f.value / 1e4 for f in hf]),
        (f"{cite_rows(hf)} (per 10,000, 2012, by age)",),
    )
    hf_visits = fui.fact(
        condition="heart failure (NYHA III-IV)", measure="scheduled contacts in the first year"
    )
    return [
        Condition(
            "kardiologi",
            "atrial fibrillation",
            spread(af_prev, "18+", adults, w, s),
            illustrative(0.25, "most patients with atrial fibrillation are followed by their GP"),
            illustrative(1.0, "one yearly hospital check; no Danish count found"),
            spread(af_inc, "18+", adults, w, s),
            illustrative(0.5, "about half of new cases are seen by a cardiologist"),
        ),
        Condition(
            "kardiologi",
            "heart failure",
            hf_profile,
            illustrative(1.0, "every new in-hospital diagnosis is followed in the HF clinic"),
            Fact(
                hf_visits.value - 2,
                f"{hf_visits.cite} (9 contacts = 1 call + 8 visits, less the first)",
            ),
            hf_profile,
            illustrative(1.0, "every new in-hospital diagnosis gets a first clinic visit"),
        ),
    ]


def pulmonology(
    epi: SourceFile, act: SourceFile, denmark: Fact, w: FloatArray, s: FloatArray
) -> list[Condition]:
    """COPD: diagnosed prevalence at 35+, national COPD outpatient visits per diagnosed person."""
    from35 = (35, TOP_AGE)
    prev = per(
        epi.fact(condition="COPD (diagnosed)", measure="prevalence of diagnosis", sex="both"), 1e5
    )
    inc = per(
        epi.fact(condition="COPD (diagnosed)", measure="incidence of new cases", period="2020"), 1e5
    )
    age35 = epi.fact(
        condition="COPD (spirometry-defined, all GOLD stages)",
        measure="estimated number of persons",
    )
    visits = act.fact(measure="outpatient visits among COPD patients")
    per_person = visits.value / (prev.value * denmark.value)
    return [
        Condition(
            "lungemedicin",
            "COPD",
            spread(prev, "all ages", from35, w, s),
            Fact(1.0, "all diagnosed (the visit rate is per diagnosed person)"),
            Fact(per_person, f"{visits.cite} / ({prev.cite} × {denmark.cite})"),
            Profile(
                spread(inc, "all ages", from35, w, s).values,
                (f"{inc.cite} (all ages) spread ∝ S(a) over 35+ (age 35+ as in {age35.cite})",),
            ),
            illustrative(0.3, "most COPD is diagnosed in general practice"),
        )
    ]


def endocrinology(
    epi: SourceFile, act: SourceFile, denmark: Fact, w: FloatArray, s: FloatArray
) -> list[Condition]:
    """Diabetes (type 1 + type 2): adults; the share in hospital clinics from the national
    count of adults reported from hospital diabetes clinics."""
    adults = (ADULT_AGE, TOP_AGE)
    t1 = epi.fact(condition="type 1 diabetes", measure="prevalence")
    t2 = epi.fact(condition="type 2 diabetes", measure="prevalence")
    prev = per(add(t1, t2), 100)
    clinics = act.fact(
        measure="adults with diabetes reported from hospital diabetes clinics (DVDD)"
    )
    share = clinics.value / (prev.value * denmark.value)
    hospital = Fact(share, f"{clinics.cite} / (({prev.cite}) × {denmark.cite})")
    patients = spread(prev, "all ages", adults, w, s)
    return [
        Condition(
            "endokrinologi",
            "diabetes",
            patients,
            hospital,
            illustrative(
                3.0,
                "no Danish count; 6.6 hospital contacts/yr for type 2 diabetes "
                "(follow_up_intensity.csv) count every specialty and the ER",
            ),
            patients,
            Fact(
                0.1 * share,
                f"{hospital.cite} × {ILLUSTRATIVE} 10 % of clinic patients new each year",
            ),
        )
    ]


def gastroenterology(epi: SourceFile, w: FloatArray) -> list[Condition]:
    """Inflammatory bowel disease (Crohn's disease + ulcerative colitis), adults, flat."""
    adults = (ADULT_AGE, TOP_AGE)
    prev = per(
        add(
            epi.fact(condition="Crohn's disease", measure="prevalence"),
            epi.fact(condition="ulcerative colitis", measure="prevalence"),
        ),
        1e5,
    )
    inc = per(
        add(
            epi.fact(condition="Crohn's disease", measure="incidence"),
            epi.fact(condition="ulcerative colitis", measure="incidence"),
        ),
        1e5,
    )
    return [
        Condition(
            "gastromedicin",
            "inflammatory bowel disease",
            spread(prev, "all ages", adults, w, None),
            illustrative(0.8, "most IBD is followed in hospital; some mild colitis by the GP"),
            illustrative(2.5, "no Danish visit count found (only a saving per patient)"),
            spread(inc, "all ages", adults, w, None),
            illustrative(1.0, "IBD is diagnosed by hospital endoscopy"),
        )
    ]


def rheumatology(epi: SourceFile, fui: SourceFile, w: FloatArray, s: FloatArray) -> list[Condition]:
    """Rheumatoid arthritis: adult prevalence, conventional follow-up 4.15 visits/yr (TeRA)."""
    adults = (ADULT_AGE, TOP_AGE)
    prev = per(
        epi.fact(condition="rheumatoid arthritis", measure="point prevalence", sex="both"), 100
    )
    inc = per(
        epi.fact(
            condition="rheumatoid arthritis", measure="age- and sex-standardised incidence rate"
        ),
        1e5,
    )
    visits = fui.fact(
        condition="rheumatoid arthritis",
        measure="outpatient visits per patient per year",
        arm_or_group="control: conventional outpatient follow-up by physicians",
    )
    return [
        Condition(
            "reumatologi",
            "rheumatoid arthritis",
            spread(prev, "18+", adults, w, s),
            illustrative(
                0.9, "RA is followed in hospital; few private rheumatologists in the region"
            ),
            visits,
            spread(inc, "18+", adults, w, s),
            illustrative(1.0, "new RA is diagnosed and treated by rheumatologists"),
        )
    ]


def nephrology(epi: SourceFile, w: FloatArray, s: FloatArray) -> list[Condition]:
    """Chronic kidney disease stage 3-5: adult prevalence and incidence (KidDiCo)."""
    adults = (ADULT_AGE, TOP_AGE)
    prev = per(
        epi.fact(
            form="midpoint", condition="chronic kidney disease stage 3-5", measure="prevalence"
        ),
        100,
    )
    inc = per(epi.fact(condition="chronic kidney disease stage 3-5", measure="incidence"), 100)
    return [
        Condition(
            "nefrologi",
            "chronic kidney disease stage 3-5",
            spread(prev, "18+", adults, w, s),
            illustrative(0.08, "nephrology follows mainly eGFR < 30 and fast progression"),
            illustrative(
                4.0, "PRO follow-up saves about 5 visits (PROKID); control count not given"
            ),
            spread(inc, "18+", adults, w, s),
            illustrative(0.05, "few new stage 3 cases are referred"),
        )
    ]


def geriatrics(use: SourceFile, w: FloatArray) -> list[Condition]:
    """Geriatric outpatient assessment at 75+: no public geriatric epidemiology was found
    (sources/SOURCES.md, 'Not found'); the share of residents 80+ with any outpatient
    hospital visit in a year is cited as the ceiling these shares stay far below."""
    old = (75, TOP_AGE)
    ceiling = use.fact(measure="share with at least one outpatient hospital visit", age_group="80+")
    limit = (
        f"ceiling: {ceiling.value:g} % of residents 80+ see any hospital clinic ({ceiling.cite})"
    )
    patients = spread(
        illustrative(0.03, f"3 % of residents 75+ in geriatric follow-up; {limit}"),
        "75+",
        old,
        w,
        None,
    )
    new = spread(
        illustrative(0.02, f"2 % of residents 75+ assessed each year; {limit}"), "75+", old, w, None
    )
    return [
        Condition(
            "geriatri",
            "frail older patients",
            patients,
            Fact(1.0, "all (the patient share is already the hospital share)"),
            illustrative(1.5, "one or two follow-ups after an assessment"),
            new,
            Fact(1.0, "all (the new-patient share is already the hospital share)"),
        )
    ]


def all_conditions(
    epi: SourceFile,
    fui: SourceFile,
    act: SourceFile,
    use: SourceFile,
    denmark: Fact,
    weights: FloatArray,
    shape: FloatArray,
) -> list[Condition]:
    """Every key condition of the seven specialties, in specialty order."""
    return [
        *cardiology(epi, fui, weights, shape),
        *pulmonology(epi, act, denmark, weights, shape),
        *endocrinology(epi, act, denmark, weights, shape),
        *gastroenterology(epi, weights),
        *rheumatology(epi, fui, weights, shape),
        *nephrology(epi, weights, shape),
        *geriatrics(use, weights),
    ]
