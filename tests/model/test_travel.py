"""Travel: haversine distances, the great-circle model, the user matrix and site to site."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassplan.domain.errors import InputError
from bassplan.domain.region import Area, Region, Site
from bassplan.model.travel import EARTH_RADIUS_KM, great_circle_km, site_to_site, travel_matrix
from tests.support.toy import toy_region

R = 6371.0088


def test_great_circle_known_distances() -> None:
    assert EARTH_RADIUS_KM == R
    # one degree along a meridian: R·π/180 = 111.195 km
    assert great_circle_km(55.0, 11.0, 56.0, 11.0) == pytest.approx(R * math.pi / 180)
    # equator to pole: a quarter circle, R·π/2
    assert great_circle_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(R * math.pi / 2)
    # antipodes: half a circle
    assert great_circle_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(R * math.pi)
    assert great_circle_km(55.3, 11.7, 55.3, 11.7) == 0.0


def test_great_circle_broadcasts_and_is_symmetric() -> None:
    lat1 = np.array([[55.0], [55.5], [56.0]])
    lon1 = np.array([[11.0], [11.5], [12.0]])
    lat2 = np.array([[54.8, 55.6]])
    lon2 = np.array([[11.9, 12.5]])
    forward = great_circle_km(lat1, lon1, lat2, lon2)
    assert forward.shape == (3, 2)
    np.testing.assert_allclose(forward, great_circle_km(lat2, lon2, lat1, lon1))


def _along_parallel_55(d_lon_degrees: float) -> float:
    """Haversine by hand for two points on latitude 55°: 2R·asin(cos 55° · sin(Δλ/2))."""
    return 2 * R * math.asin(math.cos(math.radians(55)) * math.sin(math.radians(d_lon_degrees / 2)))


def test_model_on_toy_without_matrix() -> None:
    region = toy_region(travel_minutes=None, travel_km=None)
    minutes, km = travel_matrix(region)  # detour 1.0, 60 km/h
    # areas at lon 11, 11.5, 12 and sites at lon 11, 12, all on latitude 55
    half, whole = _along_parallel_55(0.5), _along_parallel_55(1.0)  # ≈ 31.9 km, ≈ 63.8 km
    expected_km = np.array([[0.0, whole], [half, half], [whole, 0.0]])
    np.testing.assert_allclose(km, expected_km, atol=1e-9)
    np.testing.assert_allclose(minutes, expected_km)  # 60 km/h: one minute per km
    minutes2, km2 = travel_matrix(region, detour_factor=1.25, speed_kmh=75.0)
    np.testing.assert_allclose(km2, 1.25 * expected_km, atol=1e-9)
    np.testing.assert_allclose(minutes2, 1.25 * expected_km / 75.0 * 60.0, atol=1e-9)


def test_user_matrix_replaces_model(toy: Region) -> None:
    minutes, km = travel_matrix(toy, detour_factor=2.0)
    np.testing.assert_array_equal(minutes, toy.travel_minutes)
    np.testing.assert_array_equal(km, toy.travel_km)
    model_minutes, _ = travel_matrix(toy, use_region_matrix=False)
    assert model_minutes[0, 0] == pytest.approx(0.0)


def test_user_matrix_is_checked(toy: Region) -> None:
    with pytest.raises(InputError, match="needs minutes and km"):
        travel_matrix(replace(toy, travel_km=None))
    with pytest.raises(InputError, match="not areas × sites"):
        travel_matrix(replace(toy, travel_minutes=np.zeros((2, 2))))
    with pytest.raises(InputError, match="finite"):
        travel_matrix(replace(toy, travel_km=-np.ones((3, 2))))


def test_site_to_site_on_toy(toy: Region) -> None:
    minutes, km = travel_matrix(toy)
    site_minutes, site_km = site_to_site(toy, minutes, km)
    # s0 lies in A0 (row 10, 70), s1 in A2 (row 80, 15); a site is 0 from itself
    np.testing.assert_array_equal(site_minutes, [[0.0, 70.0], [80.0, 0.0]])
    np.testing.assert_array_equal(site_km, [[0.0, 70.0], [80.0, 0.0]])


def test_site_in_unknown_area_is_rejected(toy: Region) -> None:
    sites = (toy.sites[0], replace(toy.sites[1], area_code="A9"))
    region = replace(toy, sites=sites)
    with pytest.raises(InputError, match=r"site_id s1.*area_code.*unknown area 'A9'"):
        site_to_site(region, toy.travel_minutes, toy.travel_km)  # type: ignore[arg-type]


coordinates = st.tuples(st.floats(54.5, 56.0), st.floats(10.5, 12.8))


@settings(max_examples=50, deadline=None)
@given(
    areas=st.lists(coordinates, min_size=1, max_size=8),
    sites=st.lists(coordinates, min_size=1, max_size=5),
    extra=coordinates,
)
def test_adding_a_site_never_lengthens_nearest_travel(
    areas: list[tuple[float, float]],
    sites: list[tuple[float, float]],
    extra: tuple[float, float],
) -> None:
    base = toy_region(
        areas=tuple(Area(f"A{i}", "", lat, lon) for i, (lat, lon) in enumerate(areas)),
        sites=tuple(
            Site(f"s{j}", "", "A0", lat, lon, True, "org1") for j, (lat, lon) in enumerate(sites)
        ),
        travel_minutes=None,
        travel_km=None,
    )
    more = replace(base, sites=(*base.sites, Site("new", "", "A0", *extra, True, "org1")))
    before, _ = travel_matrix(base)
    after, _ = travel_matrix(more)
    assert np.all(after.min(axis=1) <= before.min(axis=1))
    np.testing.assert_array_equal(after[:, :-1], before)


def _ferry_region(with_second_island: bool) -> Region:
    """The toy region without its matrix: A2 (with site s1) on an island reached by a
    60-minute ferry landing at A1's point or a 200-minute one landing at A0's; optionally
    A1 on a second island with a 30-minute ferry landing at A0's point."""
    from bassplan.domain.region import Crossings

    island = np.array([-1, 1 if with_second_island else -1, 0], dtype=np.int64)
    k = 3 if with_second_island else 2
    ferries = Crossings(
        island_of_area=island,
        island=np.array([0, 0, 1][:k], dtype=np.int64),
        port_lat=np.full(k, 55.0), port_lon=np.array([12.0, 12.0, 11.5][:k]),
        landing_lat=np.full(k, 55.0), landing_lon=np.array([11.5, 11.0, 11.0][:k]),
        minutes=np.array([60.0, 200.0, 30.0][:k]), km=np.array([30.0, 60.0, 20.0][:k]))
    return toy_region(travel_minutes=None, travel_km=None, crossings=ferries)


def test_crossings_route_island_pairs_through_the_fastest_ferry() -> None:
    region = _ferry_region(False)
    d, v = region.parameters.detour_factor, region.parameters.road_speed_kmh
    half = great_circle_km(55.0, 11.0, 55.0, 11.5) * d  # road km for half a degree
    minutes, km = travel_matrix(region)
    # mainland to the mainland site, island to the island site: the direct road
    assert minutes[0, 0] == 0.0 and minutes[2, 1] == 0.0
    assert minutes[1, 0] == pytest.approx(half / v * 60)
    # island -> mainland site s0 (at A0): ferry 1 (60 min + road 11.5 -> 11.0) beats 200 min
    assert minutes[2, 0] == pytest.approx(60 + half / v * 60)
    assert km[2, 0] == pytest.approx(30 + half)
    # mainland A0 -> island site: road to the 11.5 landing and the 60-min ferry again
    assert minutes[0, 1] == pytest.approx(half / v * 60 + 60)
    # A1 lies at ferry 1's landing: the crossing alone
    assert minutes[1, 1] == pytest.approx(60.0)
    assert km[1, 1] == pytest.approx(30.0)


def test_crossings_between_two_islands_use_both_ferries() -> None:
    region = _ferry_region(True)
    d, v = region.parameters.detour_factor, region.parameters.road_speed_kmh
    half = great_circle_km(55.0, 11.0, 55.0, 11.5) * d
    minutes, km = travel_matrix(region)
    # A1 (island 1) -> s1 (island 0): 30-min ferry to A0's point, then either road to the
    # 11.5 landing and the 60-min ferry, or the 200-min ferry from A0's point
    assert minutes[1, 1] == pytest.approx(30 + half / v * 60 + 60)
    assert km[1, 1] == pytest.approx(20 + half + 30)
    # A1 -> s0 at A0: the 30-min ferry lands there
    assert minutes[1, 0] == pytest.approx(30.0)


def test_crossings_leave_the_user_matrix_alone() -> None:
    from bassplan.domain.region import Crossings

    ferries = Crossings(np.array([-1, -1, 0]), np.array([0]), np.array([55.0]),
                        np.array([12.0]), np.array([55.0]), np.array([11.5]),
                        np.array([60.0]), np.array([30.0]))
    region = toy_region(crossings=ferries)
    minutes, _ = travel_matrix(region)
    np.testing.assert_array_equal(minutes, region.travel_minutes)
