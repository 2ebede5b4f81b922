"""The bundled Region Østdanmark: its totals equal the shared source files', every
municipality has an offer in every specialty, Bornholm is reached by ferry, and the build
script reproduces the bundle."""

from __future__ import annotations

import csv
import filecmp
import math
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from bassplan.data import REGIONS, bundled_region_dir, load_region, load_scenario, region_dir
from bassplan.data.bundle.oestdanmark import main
from bassplan.domain.region import Region
from bassplan.model.evaluate import evaluate
from tests.support.paths import EXAMPLES, SHARED

needs_shared = pytest.mark.skipif(not (SHARED / "SOURCES.md").is_file(),
                                  reason="shared/data not beside the repo")
OD_EXAMPLES = EXAMPLES / "oestdanmark"
# published totals (SOURCES.md): Region Sjælland 838,840 and Region Hovedstaden 1,854,994 on
# 1 January 2021; the 46 municipalities 2,741,728 on 1 January 2023; FRKM126 2,805,222 (2026)
RS_2021, RH_2021, OD_2023, OD_2026 = 838_840, 1_854_994, 2_741_728, 2_805_222
# the Copenhagen sites: every site in København, Frederiksberg and the inner suburbs
COPENHAGEN = ("101", "147", "157", "161", "163", "167")


@cache
def oestdanmark() -> Region:
    return load_region("oestdanmark")


def rows(name: str) -> list[dict[str, str]]:
    with (SHARED / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_registry_names_both_bundled_regions() -> None:
    assert list(REGIONS) == ["sjaelland", "oestdanmark"]
    assert region_dir(None) == bundled_region_dir("sjaelland")
    assert region_dir("oestdanmark").name == "region_oestdanmark"
    assert load_region().name == "Region Sjælland"
    assert oestdanmark().name == "Region Østdanmark"


def test_region_totals_equal_the_published_totals() -> None:
    region = oestdanmark()
    pop = region.population
    assert len(region.areas) == 46
    assert pop.residents.sum() == RS_2021 + RH_2021
    assert pop.known_totals[2023].sum() == OD_2023
    official = pop.official
    assert official is not None
    first = int(np.flatnonzero(official.years == 2026)[0])
    assert official.residents[first].sum() == OD_2026


@needs_shared
def test_every_area_total_equals_its_source_rows() -> None:
    region = oestdanmark()
    by_area: dict[str, int] = defaultdict(int)
    for name in ("region_sjaelland_population_by_age_2021.csv",
                 "region_hovedstaden_population_by_age_2021.csv"):
        for row in rows(name):
            by_area[str(int(row["kommunekode"]))] += int(row["population"])
    loaded = dict(zip((a.code for a in region.areas), region.population.residents.sum(axis=1),
                      strict=True))
    assert loaded == by_area
    councils = {r["kommunekode"] for r in rows("sundhedsraad_kommuner_denmark_2026.csv")
                if r["region_from_2027"] == "Region Østdanmark"}
    assert set(loaded) == councils


def test_every_municipality_has_an_offer_in_every_specialty() -> None:
    region = oestdanmark()
    ev = evaluate(region, load_scenario(OD_EXAMPLES / "baseline.yaml", region))
    held = region.offer_mask
    # the baseline's strength positions are exactly the sites that hold each specialty
    np.testing.assert_array_equal(ev.plan.strength_position, held)
    at = ev.allocation.outpatient_at  # (S, A)
    assert at.shape == (len(region.specialties), len(region.areas))
    assert held[np.arange(at.shape[0])[:, None], at].all()
    assert np.isfinite(ev.travel_minutes).all()
    demand = ev.allocation.outpatient.in_person.sum(axis=2)  # (A, S)
    assert (demand > 0).all()
    np.testing.assert_allclose(ev.allocation.outpatient_share.sum(axis=2) * demand.T
                               + ev.allocation.unserved, demand.T, rtol=1e-9)
    # every area is admitted at an active acute site
    assert region.acute_mask[ev.allocation.admitted_at].all()


def test_not_found_is_never_held_and_general_statements_are_illustrative() -> None:
    offers = (bundled_region_dir("oestdanmark") / "offers.csv").read_text(encoding="utf-8")
    lines = list(csv.DictReader(offers.splitlines()))
    assert {r["evidence"] for r in lines} == {"documented", "general statement only",
                                              "Region Sjælland default"}
    for line in lines:
        assert (line["illustrative"] == "no") == (line["evidence"] == "documented"), line
    # 17 documented cells in the evidence table; 32 general statements; 4 acute × 7 default
    assert sum(r["evidence"] == "documented" for r in lines) == 17
    assert sum(r["evidence"] == "general statement only" for r in lines) == 32
    assert len(lines) == 17 + 32 + 4 * 7
    assert "offers" in oestdanmark().illustrative_inputs


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km, written out again for the test."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_bornholm_is_reached_by_ferry_and_copenhagen_is_over_two_hours_away() -> None:
    from bassplan.model.travel import travel_matrix

    region = oestdanmark()
    minutes, km = travel_matrix(region)
    a = region.area_index("400")
    copenhagen = [j for j, s in enumerate(region.sites) if s.area_code in COPENHAGEN]
    assert len(copenhagen) == 8
    assert (minutes[a, copenhagen] > 120).all()
    # by hand: road to Rønne harbour, 90 min sailing + 30 min check-in to Ystad, road on
    # over the Øresund bridge (great circle × 1.3 detour at 70 km/h)
    bornholm, rh = region.areas[a], region.sites[region.site_index("rh_blegdamsvej")]
    road = (haversine(bornholm.lat, bornholm.lon, 55.0985, 14.6935)
            + haversine(55.4287, 13.8236, rh.lat, rh.lon)) * 1.3
    expected = road / 70 * 60 + 120
    assert minutes[a, region.site_index("rh_blegdamsvej")] == pytest.approx(expected)
    sea = haversine(55.0985, 14.6935, 55.4287, 13.8236)
    assert km[a, region.site_index("rh_blegdamsvej")] == pytest.approx(road + round(sea, 1))
    # and back: Copenhagen residents to Bornholms Hospital take the same route reversed
    j = region.site_index("bornholm")
    assert (minutes[[region.area_index("101")], j] > 120).all()
    # on the island: the direct road, no ferry
    assert minutes[a, j] < 30


@needs_shared
def test_build_reproduces_the_bundle(tmp_path: Path) -> None:
    out = tmp_path / "od"
    assert main([str(SHARED), str(out)]) == 0
    bundled = bundled_region_dir("oestdanmark")
    built = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
    assert built == kept
    for rel in built:
        assert filecmp.cmp(out / rel, bundled / rel, shallow=False), rel


@pytest.mark.parametrize("name", sorted(p.name for p in OD_EXAMPLES.glob("*.yaml")))
def test_every_oestdanmark_example_evaluates(name: str) -> None:
    region = oestdanmark()
    ev = evaluate(region, load_scenario(OD_EXAMPLES / name, region))
    assert ev.allocation.unserved.sum() >= 0
    assert np.isfinite(ev.workload.required_fte).all()


@pytest.mark.parametrize(("table", "old", "new", "parts"), [
    ("crossings.csv", "ronne_ystad,400,", "ronne_ystad,4000,",
     ("crossings.csv", "row 2", "island_areas", "unknown area '4000'")),
    ("crossings.csv", ",120,", ",-5,", ("crossings.csv", "row 2", "minutes", "negative")),
    ("offers.csv", "kardiologi,suh_koege,", "kardiologi,ringsted,",
     ("offers.csv", "row 2", "site_id", "'ringsted' is not active")),
])
def test_a_broken_network_row_names_file_row_field_and_rule(
        tmp_path: Path, table: str, old: str, new: str, parts: tuple[str, ...]) -> None:
    import shutil

    from bassplan.domain.errors import InputError

    copy = tmp_path / "od"
    shutil.copytree(bundled_region_dir("oestdanmark"), copy)
    path = copy / table
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_region(copy)
    for part in parts:
        assert part in str(info.value), str(info.value)


def test_both_bundled_regions_say_they_are_bundled_and_a_copy_says_its_folder(
    tmp_path: Path,
) -> None:
    import shutil

    from bassplan.data.loaders import bundled_region_dir, data_version_of

    assert load_region("oestdanmark").data_version.origin == "bundled"
    assert load_region("sjaelland").data_version.origin == "bundled"
    copy = tmp_path / "min_region"
    shutil.copytree(bundled_region_dir("oestdanmark"), copy)
    version = data_version_of(copy)
    assert version.origin == "min_region"
    assert version.fingerprint == load_region("oestdanmark").data_version.fingerprint
