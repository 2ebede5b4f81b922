"""Read and check the optional tables that say where care is, how to get there and who
answers together: the sites that hold each specialty today (``offers``), the sea crossings
that link islands to the mainland (``crossings``, for the default travel model) and each
area's sundhedsråd (``councils``, the level between municipality and region).

Each ``read_*`` reads one file into arrays in the region's order; the first broken rule
raises ``InputError`` naming the file, row, field and rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bassplan.data.csvread import read_table
from bassplan.data.model_tables import flag
from bassplan.domain.region import Crossings
from bassplan.domain.vocabulary import BoolArray

OFFER_COLUMNS = ("specialty_id", "site_id", "evidence")
OFFER_KEY = ("specialty_id", "site_id")
CROSSING_COLUMNS = ("crossing_id", "island_areas", "port_lat", "port_lon", "landing_lat",
                    "landing_lon", "minutes", "km")
CROSSING_KEY = ("crossing_id",)
COUNCIL_COLUMNS = ("area_code", "council")
COUNCIL_KEY = ("area_code",)
MAX_CROSSING_MINUTES = 24 * 60.0  # a crossing longer than a day is a typing error


def read_offers(path: Path, spec_ids: Sequence[str], site_ids: Sequence[str],
                active: Sequence[bool]) -> tuple[BoolArray, bool]:
    """(S, J) True where a site holds a specialty today (one row per pair; ``evidence`` says
    how the sources back it); every specialty needs an active site. Also whether any row
    is illustrative."""
    t = read_table(path, OFFER_COLUMNS)
    t.unique(OFFER_KEY)
    held = np.zeros((len(spec_ids), len(site_ids)), dtype=bool)
    for r in t.rows:
        s = list(spec_ids).index(t.one_of(r, "specialty_id", spec_ids, "specialty"))
        j = list(site_ids).index(t.one_of(r, "site_id", site_ids, "site"))
        t.text(r, "evidence")
        if not active[j]:
            raise t.error(r, "site_id", f"site '{site_ids[j]}' is not active")
        held[s, j] = True
    for s, spec in enumerate(spec_ids):
        if not held[s].any():
            raise t.error(None, "specialty_id", f"specialty '{spec}' is held at no site")
    return held, any(flag(t, r) for r in t.rows)


def read_crossings(path: Path, codes: Sequence[str]) -> tuple[Crossings, bool]:
    """The ferries: each row a crossing from an island (its areas, ';'-separated; rows naming
    the same areas are one island's alternatives) to a landing elsewhere, with minutes and
    km. An area may lie on one island only. Also whether any row is illustrative."""
    t = read_table(path, CROSSING_COLUMNS)
    t.unique(CROSSING_KEY)
    island_of_area = np.full(len(codes), -1, dtype=np.int64)
    islands: dict[frozenset[str], int] = {}
    island, numbers = [], []
    for r in t.rows:
        members = [c.strip() for c in t.text(r, "island_areas").split(";") if c.strip()]
        for code in members:
            if code not in codes:
                raise t.error(r, "island_areas", f"unknown area '{code}'")
        key = frozenset(members)
        k = islands.setdefault(key, len(islands))
        for code in members:
            a = list(codes).index(code)
            if island_of_area[a] not in (-1, k):
                raise t.error(r, "island_areas", f"area '{code}' lies on two islands")
            island_of_area[a] = k
        island.append(k)
        minutes = t.non_negative(r, "minutes")
        if minutes > MAX_CROSSING_MINUTES:
            raise t.error(r, "minutes", f"must be at most {MAX_CROSSING_MINUTES:g}")
        numbers.append((t.in_range(r, "port_lat", -90, 90), t.in_range(r, "port_lon", -180, 180),
                        t.in_range(r, "landing_lat", -90, 90),
                        t.in_range(r, "landing_lon", -180, 180), minutes,
                        t.non_negative(r, "km")))
    if not numbers:
        raise t.error(None, "crossing_id", "the table has no crossing")
    values = np.array(numbers, dtype=np.float64)
    crossings = Crossings(
        island_of_area=island_of_area, island=np.array(island, dtype=np.int64),
        port_lat=values[:, 0], port_lon=values[:, 1], landing_lat=values[:, 2],
        landing_lon=values[:, 3], minutes=values[:, 4], km=values[:, 5])
    return crossings, any(flag(t, r) for r in t.rows)


def read_councils(path: Path, codes: Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """(A,) the sundhedsråd (health council) of each area, in the region's order; every
    area needs one. Also whether any row is illustrative."""
    t = read_table(path, COUNCIL_COLUMNS)
    t.unique(COUNCIL_KEY)
    names: dict[str, str] = {}
    for r in t.rows:
        names[t.one_of(r, "area_code", codes, "area")] = t.text(r, "council")
    missing = [c for c in codes if c not in names]
    if missing:
        raise t.error(None, "area_code", f"area '{missing[0]}' has no council")
    return tuple(names[c] for c in codes), any(flag(t, r) for r in t.rows)
