"""The care tables: lengths of stay, local morbidity, dialysis units and the fleet's CO2 —
read as bundled, and every broken rule named by file, row, field and rule."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from bassplan.data import load_region
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from tests.data.conftest import RegionCopy


def expect(path: Path, *parts: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_region(path)
    for part in parts:
        assert part in str(info.value), str(info.value)
    return info.value


def test_bundled_stays_follow_the_2023_activity(bundled: Region) -> None:
    koege, nykobing = bundled.site_index("suh_koege"), bundled.site_index("suh_nykobing_f")
    geri = bundled.specialty_index("geriatri")
    cardio = bundled.specialty_index("kardiologi")
    # hospital_activity_region_sjaelland.csv rows 28-29: 2.04 and 2.91 days (2023)
    assert bundled.days_per_admission[cardio, koege] == 2.04
    assert bundled.days_per_admission[cardio, nykobing] == 2.91
    # rows 26-27 weight the other acute sites: (84,612 × 2.04 + 19,315 × 2.91) / 103,927
    holbaek = bundled.site_index("holbaek")
    assert bundled.days_per_admission[cardio, holbaek] == pytest.approx(
        (84_612 * 2.04 + 19_315 * 2.91) / 103_927, abs=0.005)
    # row 80: geriatric departments 7-8 days, midpoint 7.5
    assert bundled.days_per_admission[geri, koege] == 7.5


def test_bundled_morbidity_is_the_lolland_falster_kidney_gradient(bundled: Region) -> None:
    assert bundled.morbidity is not None
    nephro = bundled.specialty_index("nefrologi")
    lolland, guldborgsund = bundled.area_index("360"), bundled.area_index("376")
    # epidemiology_denmark.csv row 76 (18.0 %) against row 74 (9.5 %)
    assert bundled.morbidity[lolland, nephro] == pytest.approx(18.0 / 9.5, abs=5e-4)
    assert bundled.morbidity[guldborgsund, nephro] == pytest.approx(18.0 / 9.5, abs=5e-4)
    others = np.delete(bundled.morbidity, [lolland, guldborgsund], axis=0)
    assert (others == 1.0).all() and (np.delete(bundled.morbidity, nephro, axis=1) == 1.0).all()


def test_bundled_dialysis_units_and_their_published_stations(bundled: Region) -> None:
    assert bundled.dialysis_stations is not None
    stations = {s.id: bundled.dialysis_stations[j] for j, s in enumerate(bundled.sites)
                if bundled.dialysis_stations[j] > 0}
    # sn.dk 2021: Holbæk 33, Slagelse 26, Roskilde 25, Nykøbing F. 25 + 2; Køge and Næstved
    # opened later without a published count
    assert {k: stations[k] for k in ("holbaek", "slagelse", "suh_roskilde", "suh_nykobing_f")} \
        == {"holbaek": 33, "slagelse": 26, "suh_roskilde": 25, "suh_nykobing_f": 27}
    assert set(stations) == {"holbaek", "slagelse", "suh_roskilde", "suh_nykobing_f",
                             "suh_koege", "naestved"}


def test_bundled_fleet_gets_cleaner(bundled: Region) -> None:
    years = sorted(bundled.fleet_co2)
    values = [bundled.fleet_co2[y] for y in years]
    assert years[0] == 2021 and all(b < a for a, b in itertools.pairwise(values))
    # between the fuel car's 141 g/km and the electric car's 27 (transport_factors rows 2, 6)
    assert min(values) > 27 and max(values) < 141


@pytest.mark.parametrize(("table", "column", "value", "rule"), [
    ("length_of_stay", "days_per_admission", "0", "must lie in (0, 60]"),
    ("length_of_stay", "days_per_admission", "ti", "not a number"),
    ("length_of_stay", "site_id", "mars", "unknown site"),
    ("length_of_stay", "specialty_id", "kirurgi", "unknown specialty"),
    ("morbidity", "multiplier", "11", "must lie in (0, 10]"),
    ("morbidity", "area_code", "999", "unknown area"),
    ("dialysis_units", "stations", "0", "at least one station"),
    ("dialysis_units", "site_id", "ringsted", "is not active"),
    ("fleet_co2", "year", "1999", "must lie in 2000..2100"),
    ("fleet_co2", "g_co2_per_km", "-4", "must be 0 or more"),
])
def test_a_broken_cell_is_named(region_copy: RegionCopy, table: str, column: str, value: str,
                                rule: str) -> None:
    region_copy.edit(table, 2, column, value)
    error = expect(region_copy.path, f"{table}.csv", "row 2", column)
    assert rule in error.rule, error.rule
    assert (error.where, error.field) == ("row 2", column)


def test_an_acute_site_without_a_stay_is_refused(region_copy: RegionCopy) -> None:
    row = region_copy.find("length_of_stay", site_id="slagelse", specialty_id="*")
    region_copy.drop_row("length_of_stay", row)
    expect(region_copy.path, "length_of_stay.csv", "acute site 'slagelse'", "'kardiologi'")


def test_bed_day_rates_are_refused(region_copy: RegionCopy) -> None:
    row = region_copy.append("rates", ["kardiologi", "bed_day", "0", "100", "1", "no", "x"])
    expect(region_copy.path, "rates.csv", f"row {row}", "length_of_stay.csv")


def test_dialysis_needs_a_unit(region_copy: RegionCopy) -> None:
    (region_copy.path / "dialysis_units.csv").unlink()
    expect(region_copy.path, "dialysis_units.csv", "no dialysis unit")


def test_the_optional_tables_may_be_left_out(region_copy: RegionCopy) -> None:
    for name in ("morbidity", "fleet_co2"):
        (region_copy.path / f"{name}.csv").unlink()
    region = load_region(region_copy.path)
    assert region.morbidity is None and dict(region.fleet_co2) == {}
