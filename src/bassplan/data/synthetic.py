"""Seeded synthetic regions shaped like a real one, for benchmarks and scale tests.

Areas are scattered over the base region's bounding box, each with a resident age
profile drawn from the base region's; sites are spread over the same box, one in four
acute, grouped into organisations of up to five sites. Specialties, rates, workload
standards and parameters are the base region's, so per-resident demand stays realistic.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bassplan.domain.region import Area, Organisation, Population, Region, Site, Staffing
from bassplan.domain.vocabulary import FloatArray


def synthetic_region(base: Region, n_areas: int, n_sites: int, seed: int = 0) -> Region:
    """Return a region of ``n_areas`` areas and ``n_sites`` sites built around ``base``."""
    rng = np.random.default_rng(seed)
    lats = np.array([a.lat for a in base.areas])
    lons = np.array([a.lon for a in base.areas])
    lat = rng.uniform(lats.min(), lats.max(), n_areas)
    lon = rng.uniform(lons.min(), lons.max(), n_areas)
    areas = tuple(
        Area(f"A{k:05d}", f"Område {k}", float(lat[k]), float(lon[k])) for k in range(n_areas)
    )
    # each area copies one base area's age profile, scaled to the base total over n_areas
    profile = base.population.residents
    pick = rng.integers(0, profile.shape[0], n_areas)
    shares = profile[pick] / profile[pick].sum(axis=1, keepdims=True)
    size = rng.lognormal(mean=0.0, sigma=0.6, size=n_areas)
    totals = size / size.sum() * profile.sum()
    residents = shares * totals[:, None]
    population = Population(base.population.base_year, base.population.ages, residents, {})

    site_lat = rng.uniform(lats.min(), lats.max(), n_sites)
    site_lon = rng.uniform(lons.min(), lons.max(), n_sites)
    nearest_area = np.argmin(
        (lat[None, :] - site_lat[:, None]) ** 2 + (lon[None, :] - site_lon[:, None]) ** 2, axis=1
    )
    acute = np.arange(n_sites) % 4 == 0
    org_of = np.arange(n_sites) // 5
    sites = tuple(
        Site(
            f"site{j:03d}",
            f"Sygehus {j}",
            areas[int(nearest_area[j])].code,
            float(site_lat[j]),
            float(site_lon[j]),
            bool(acute[j]),
            f"org{int(org_of[j]):02d}",
        )
        for j in range(n_sites)
    )
    organisations = tuple(
        Organisation(f"org{o:02d}", f"Organisation {o}",
                     tuple(s.id for s in sites if s.organisation_id == f"org{o:02d}"))
        for o in range(int(org_of.max()) + 1)
    )
    n_spec = len(base.specialties)
    # staff per acute site: the base region's specialists spread over the acute sites
    per_acute = base.staffing.specialist_fte.sum(axis=1) / max(int(acute.sum()), 1)
    fte = np.where(acute[None, :], per_acute[:, None], 0.0)
    staffing = Staffing(
        specialist_fte=fte,
        trainee_fte=fte * 0.5,
        vacant_fte=fte * 0.1,
        on_call_specialists=np.where(acute[None, :], np.maximum(fte, 1.0), 0.0),
        illustrative=True,
    )
    assert staffing.specialist_fte.shape == (n_spec, n_sites)
    return replace(
        base,
        name=f"Syntetisk region ({n_areas} × {n_sites}, seed {seed})",
        areas=areas,
        sites=sites,
        organisations=organisations,
        population=population,
        staffing=staffing,
        # every acute site keeps the base region's mean stay of each specialty; morbidity
        # is flat; every fourth acute site holds a dialysis unit of 20 stations
        days_per_admission=np.repeat(_mean_stays(base), n_sites, axis=1),
        morbidity=None,
        dialysis_stations=np.where(acute & (np.cumsum(acute) % 4 == 1), 20.0, 0.0),
        catchment=None,  # the base region's catchments name its own areas
        travel_minutes=None,
        travel_km=None,
        area_shapes=None,
    )


def _mean_stays(base: Region) -> FloatArray:
    """(S, 1) each specialty's mean days per admission over the base's acute sites."""
    acute = base.acute_mask
    return np.asarray(base.days_per_admission[:, acute].mean(axis=1, keepdims=True),
                      dtype=np.float64)
