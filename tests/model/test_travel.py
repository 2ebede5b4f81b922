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
