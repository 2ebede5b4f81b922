"""Travel between areas and sites: the default great-circle model or the region's matrix.

Default model: road km = great-circle km × detour factor, minutes = km / speed × 60. Where
the region has sea crossings (``region.crossings``), an area on an island reaches a site
elsewhere (and the other way round) only by road to a port, the crossing, and road from its
landing; between two islands through both islands' crossings — the fastest route counts.
A user matrix (``region.travel_minutes`` and ``region.travel_km``) replaces the model.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from bassplan.domain.errors import InputError
from bassplan.domain.region import Crossings, Region
from bassplan.domain.vocabulary import FloatArray, IntArray

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius


def great_circle_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> FloatArray:
    """Great-circle distance in km between points in degrees (haversine, broadcasting)."""
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    d_phi = phi2 - phi1
    d_lambda = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin(d_phi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(d_lambda / 2.0) ** 2
    distance: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance


def _user_matrix(region: Region) -> tuple[FloatArray, FloatArray] | None:
    """The region's (minutes, km) matrix checked for shape and sign, or None if it has none."""
    if region.travel_minutes is None and region.travel_km is None:
        return None
    shape = (len(region.areas), len(region.sites))
    checked: list[FloatArray] = []
    for field, matrix in (("minutes", region.travel_minutes), ("km", region.travel_km)):
        if matrix is None:
            raise InputError("travel_matrix", "", field, "a travel matrix needs minutes and km")
        values = np.asarray(matrix, dtype=np.float64)
        if values.shape != shape:
            raise InputError(
                "travel_matrix", "", field, f"shape {values.shape} is not areas × sites {shape}"
            )
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise InputError("travel_matrix", "", field, "values must be finite and ≥ 0")
        checked.append(values.copy())
    return checked[0], checked[1]


def travel_matrix(
    region: Region,
    detour_factor: float | None = None,
    speed_kmh: float | None = None,
    use_region_matrix: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """Minutes and road km (A, J) from each area's population point to each site.

    ``detour_factor`` and ``speed_kmh`` default to the region's ``detour_factor`` and
    ``road_speed_kmh``; the region's user matrix, when present and allowed, replaces them.
    """
    if use_region_matrix:
        user = _user_matrix(region)
        if user is not None:
            return user
    detour = region.parameters.detour_factor if detour_factor is None else detour_factor
    speed = region.parameters.road_speed_kmh if speed_kmh is None else speed_kmh
    if speed <= 0:
        raise InputError("parameters", "road_speed_kmh", "value", f"speed {speed} must be > 0")
    area_lat = np.array([a.lat for a in region.areas], dtype=np.float64)
    area_lon = np.array([a.lon for a in region.areas], dtype=np.float64)
    site_lat = np.array([s.lat for s in region.sites], dtype=np.float64)
    site_lon = np.array([s.lon for s in region.sites], dtype=np.float64)
    km = great_circle_km(area_lat[:, None], area_lon[:, None], site_lat[None, :], site_lon[None, :])
    km *= detour
    minutes: FloatArray = km * (60.0 / speed)
    if region.crossings is None:
        return minutes, km
    site_island = region.crossings.island_of_area[area_of_site(region)]
    return _with_crossings(region.crossings, minutes, km, (area_lat, area_lon),
                           (site_lat, site_lon), site_island, detour, speed)


def _with_crossings(
    ferries: Crossings,
    minutes: FloatArray,
    km: FloatArray,
    areas: tuple[FloatArray, FloatArray],
    sites: tuple[FloatArray, FloatArray],
    site_island: IntArray,
    detour: float,
    speed: float,
) -> tuple[FloatArray, FloatArray]:
    """Minutes and km (A, J) with every pair on different land masses routed through the
    crossings: road to the port, the crossing, road from the landing (both ends' crossings
    when both lie on islands); pairs on the same land mass keep the direct road."""
    def road(lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
             ) -> tuple[FloatArray, FloatArray]:
        d = great_circle_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :]) * detour
        return d * (60.0 / speed), d

    area_island, k_island = ferries.island_of_area, ferries.island
    # leg 1 (A, K): from the area out of its island (road to the port, crossing) or, on the
    # mainland, nothing yet (stay at the area: the landing side is reached by road below)
    to_port_min, to_port_km = road(areas[0], areas[1], ferries.port_lat, ferries.port_lon)
    out_min = np.where(area_island[:, None] == k_island[None, :],
                       to_port_min + ferries.minutes[None, :], np.inf)
    out_km = to_port_km + ferries.km[None, :]
    # leg 3 (K, J): onto the site's island (crossing, road from the port)
    from_port_min, from_port_km = road(ferries.port_lat, ferries.port_lon, sites[0], sites[1])
    in_min = np.where(site_island[None, :] == k_island[:, None],
                      ferries.minutes[:, None] + from_port_min, np.inf)
    in_km = ferries.km[:, None] + from_port_km
    # island area -> mainland site: out[a, k] + road(landing_k, j)
    land_site_min, land_site_km = road(ferries.landing_lat, ferries.landing_lon, sites[0],
                                       sites[1])
    off_min = out_min[:, :, None] + np.where(site_island[None, :] < 0, land_site_min,
                                             np.inf)[None, :, :]  # (A, K, J)
    off_km = out_km[:, :, None] + land_site_km[None, :, :]
    # mainland area -> island site: road(a, landing_k) + in[k, j]
    area_land_min, area_land_km = road(areas[0], areas[1], ferries.landing_lat,
                                       ferries.landing_lon)
    on_min = np.where(area_island[:, None] < 0, area_land_min, np.inf)[:, :, None] + in_min[None]
    on_km = area_land_km[:, :, None] + in_km[None]
    # island area -> site on another island: out[a, k] + road(landing_k, landing_m) + in[m, j]
    between_min, between_km = road(ferries.landing_lat, ferries.landing_lon,
                                   ferries.landing_lat, ferries.landing_lon)
    via = (out_min[:, :, None] + between_min[None]).min(axis=1)  # (A, M) best k per m
    best_k = (out_min[:, :, None] + between_min[None]).argmin(axis=1)
    via_km = np.take_along_axis(out_km, best_k, axis=1) + between_km[best_k, np.arange(
        best_k.shape[1])[None, :]]
    hop_min = via[:, :, None] + in_min[None]  # (A, M, J)
    hop_km = via_km[:, :, None] + in_km[None]
    routes_min = np.concatenate([off_min, on_min, hop_min], axis=1)
    routes_km = np.concatenate([off_km, on_km, hop_km], axis=1)
    best = routes_min.argmin(axis=1)[:, None, :]
    crossing_min = np.take_along_axis(routes_min, best, axis=1)[:, 0, :]
    crossing_km = np.take_along_axis(routes_km, best, axis=1)[:, 0, :]
    same = area_island[:, None] == site_island[None, :]
    result_min: FloatArray = np.where(same, minutes, crossing_min)
    result_km: FloatArray = np.where(same, km, crossing_km)
    return result_min, result_km


def area_of_site(region: Region) -> IntArray:
    """(J,) index of each site's area; InputError if a site names an unknown area."""
    index = {a.code: i for i, a in enumerate(region.areas)}
    result = np.empty(len(region.sites), dtype=np.int64)
    for j, site in enumerate(region.sites):
        if site.area_code not in index:
            raise InputError(
                "sites", f"site_id {site.id}", "area_code", f"unknown area '{site.area_code}'"
            )
        result[j] = index[site.area_code]
    return result


def site_to_site(
    region: Region, minutes: FloatArray, km: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Minutes and km (J, J) from site j to site k, measured from j's area; 0 from a site
    to itself (staff going nowhere travel nothing)."""
    rows = area_of_site(region)
    site_minutes = minutes[rows, :].copy()
    site_km = km[rows, :].copy()
    np.fill_diagonal(site_minutes, 0.0)
    np.fill_diagonal(site_km, 0.0)
    return site_minutes, site_km
