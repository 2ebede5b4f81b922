"""The rate derivation: calibration to the published level, hand-computed checks, and the
bundled rates.csv being exactly what the derivation writes."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest

from bassplan.data import bundled_region_dir, load_region
from bassplan.data.derive.ages import RATE_BANDS, TOP_AGE
from bassplan.data.derive.rates import MEDICAL_SHARE, derive, main, write_rates
from bassplan.domain.region import Region

SOURCES = bundled_region_dir() / "sources"


@pytest.fixture(scope="module")
def region() -> Region:
    return load_region()


def yearly(region: Region) -> np.ndarray:
    """Contacts per year (S, C) for the 2021 population, by a plain loop over ages."""
    totals = region.population.residents.sum(axis=0)
    out = np.zeros(region.rates.per_1000.shape[:2])
    for age, residents in enumerate(totals):
        out += residents * region.rates.per_1000[:, :, age] / 1000.0
    return out


def read_csv(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_calibration_total_admissions(region: Region) -> None:
    # published level: 152 admissions per 1,000 residents, Region Sjælland 2021
    # (hospital_use_rates_denmark.csv row 2); the seven specialties take σ = 0.30 of them.
    residents = 838_840
    expected = 152 / 1000 * MEDICAL_SHARE * residents  # = 38,251.1
    derived = yearly(region)[:, 0].sum()
    assert derived == pytest.approx(expected, rel=0.01)
    assert expected == pytest.approx(38_251.1, abs=0.1)


def test_order_of_magnitude_against_suh_activity(region: Region) -> None:
    activity = read_csv("hospital_activity_region_sjaelland.csv")
    hospitals = read_csv("region_sjaelland_hospitals.csv")

    def value(measure: str, scope: str) -> float:
        rows = [
            r
            for r in activity
            if r["measure"] == measure and r["site_scope"] == scope and r["period"] == "2023"
        ]
        assert len(rows) == 1
        return float(rows[0]["value"])

    admissions = value("admissions", "Køge/Roskilde") + value("admissions", "Nykøbing F.")
    outpatient = value("outpatient visits (excl. radiology visits)", "Køge/Roskilde") + value(
        "outpatient visits (excl. radiology visits)", "Nykøbing F."
    )
    assert admissions == 84_612 + 19_315
    catchment = sum(
        float(h["planned_catchment_population"])
        for h in hospitals
        if h["site_id"] in {"suh_koege", "suh_nykobing_f"}
    )
    assert catchment == 265_000 + 150_000
    per_resident = yearly(region) / region.population.residents.sum()
    # all-cause admissions implied by the rates (seven specialties / σ) for SUH's catchment,
    # against SUH's own count: the same order of magnitude (SUH also has regional functions)
    implied = per_resident[:, 0].sum() / MEDICAL_SHARE * catchment
    assert 1 / 3 < implied / admissions < 3
    # the seven specialties' outpatient visits are a minority of all SUH outpatient visits
    seven = per_resident[:, 2:4].sum() * catchment
    assert 0.05 < seven / outpatient < 0.5


def test_rheumatoid_arthritis_follow_ups_by_hand(region: Region) -> None:
    # follow-ups = adults × 0.6 % (epidemiology_denmark.csv row 55) × 0.9 in hospital × 4.15 visits
    # (follow_up_intensity.csv row 2) / key-condition share 0.25
    population = read_csv("region_sjaelland_population_by_age_2021.csv")
    adults = sum(int(r["population"]) for r in population if int(r["age"]) >= 18)
    expected = adults * 0.006 * 0.9 * 4.15 / 0.25
    got = yearly(region)[region.specialty_index("reumatologi"), 3]
    assert got == pytest.approx(expected, rel=1e-4)


def test_ibd_first_visits_by_hand(region: Region) -> None:
    # all-ages incidence 15.6 + 27.2 per 100,000 (2017) → every new case gets a first visit,
    # divided by the key-condition share 0.20: the residents of all ages count
    expected = 838_840 * (15.6 + 27.2) / 1e5 / 0.20
    got = yearly(region)[region.specialty_index("gastromedicin"), 2]
    assert got == pytest.approx(expected, rel=1e-4)


def test_old_age_ratio_matches_the_danish_facts() -> None:
    d = derive(SOURCES)
    w, r = d.weights, d.all_cause_admissions
    old = w[80:] @ r[80:] / w[80:].sum()
    mid = w[65:80] @ r[65:80] / w[65:80].sum()
    # medical bed days 80+ / 65-79 'more than twice' (2) × ALOS 5.3 (65-79) / 5.6 (80+)
    assert old / mid == pytest.approx(2 * 5.3 / 5.6, rel=1e-9)
    # the whole population: 152 per 1,000
    assert w @ r / w.sum() * 1000 == pytest.approx(152, rel=1e-9)
    # ages 0-69 keep the Norwegian shape: 65-69 over 60-64 = 297.4 / 242.2
    assert r[67] / r[62] == pytest.approx(297.4 / 242.2)


def test_children_have_no_adult_specialty_demand(region: Region) -> None:
    assert (region.rates.per_1000[:, :, :18] == 0).all()
    assert (region.rates.per_1000[:, :, 18:] >= 0).all()
    g = region.specialty_index("geriatri")
    assert (region.rates.per_1000[g, 0, :75] == 0).all()
    assert region.rates.per_1000[g, 0, 80] > 0


def test_bands_cover_every_age() -> None:
    assert RATE_BANDS[0][0] == 0 and RATE_BANDS[-1][1] == TOP_AGE
    for (_, high), (low, _) in itertools.pairwise(RATE_BANDS):
        assert low == high + 1


def test_every_rate_row_names_its_sources() -> None:
    with (bundled_region_dir() / "rates.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # four rated contact types per specialty (bed days come from lengths of stay), and
    # dialysis sessions for nephrology only
    assert len(rows) == (7 * 4 + 1) * len(RATE_BANDS)
    for row in rows:
        assert ".csv row" in row["source"]
        assert row["illustrative"] == ("yes" if "illustrative" in row["source"] else "no")


def test_bundled_rates_are_the_derivation_output(tmp_path: Path) -> None:
    out = tmp_path / "rates.csv"
    assert main([str(SOURCES), str(out)]) == 0
    bundled = (bundled_region_dir() / "rates.csv").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == bundled


def test_write_rates_round_trips_danish_text(tmp_path: Path) -> None:
    rows = derive(SOURCES).rows()[:3]
    out = tmp_path / "r.csv"
    write_rates(
        [r.__class__(**{**r.__dict__, "source": "Næstved, Holbæk og Åbenrå"}) for r in rows], out
    )
    assert "Næstved, Holbæk og Åbenrå" in out.read_text(encoding="utf-8")


def test_usage_message() -> None:
    assert main(["only-one-argument"]) == 2
