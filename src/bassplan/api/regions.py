"""The regions the server serves, one owner: the registry's bundled regions (and a
configured directory of the user's), each loaded on first use with its own imported tables,
and a revision per region that the caches key on (it rises when its data is replaced)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from bassplan.data.loaders import (
    REGION_FILE,
    REGIONS,
    bundled_region_dir,
    read_region_file,
    region_dir,
    region_id_of,
)
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.store.models import Scenario

REGION_COOKIE = "bass_region"  # the dashboard user's chosen region id


class Regions:
    """Region id → region, loaded lazily (once, under a lock) with its imported tables."""

    def __init__(self, sessions: sessionmaker[Session], configured: Path | None) -> None:
        self._sessions = sessions
        self.default = region_id_of(configured)
        bases: dict[str, Path | None] = {key: bundled_region_dir(key) for key in REGIONS}
        bases[self.default] = configured  # exactly as configured (None: the bundled default)
        self._bases = bases
        self._loaded: dict[str, Region] = {}
        self._revisions: dict[str, int] = dict.fromkeys(bases, 0)
        self._names: list[tuple[str, str]] | None = None
        self._lock = threading.Lock()

    def ids(self) -> tuple[str, ...]:
        """Every region id the server knows, the default first."""
        return (self.default, *(key for key in self._bases if key != self.default))

    def names(self) -> list[tuple[str, str]]:
        """(id, name) of every region, the default first; names from region.yaml (read
        once), without loading the regions."""
        if self._names is None:
            self._names = [
                (key, str(read_region_file(region_dir(self._bases[key]) / REGION_FILE)["name"]))
                for key in self.ids()]
        return self._names

    def known(self, region_id: str | None) -> bool:
        """Whether ``region_id`` names a region of this server."""
        return region_id is not None and region_id in self._bases

    def check(self, region_id: str) -> str:
        """``region_id`` if known, else InputError naming the known ones."""
        if not self.known(region_id):
            raise InputError("request", "", "region",
                             f"unknown region '{region_id[:80]}' (known: "
                             f"{', '.join(self.ids())})")
        return region_id

    def base(self, region_id: str) -> Path | None:
        """The directory of the region's own tables (None: the bundled default region)."""
        return self._bases[self.check(region_id)]

    def get(self, region_id: str) -> Region:
        """The region, with its imported tables in place of its own (loaded on first use)."""
        self.check(region_id)
        found = self._loaded.get(region_id)
        if found is not None:
            return found
        with self._lock:
            if region_id not in self._loaded:
                self._loaded[region_id] = self._load(region_id)
            return self._loaded[region_id]

    def _load(self, region_id: str) -> Region:
        from bassplan.data.imports import region_with_overrides
        from bassplan.store.datatables import imported_versions, load_overrides

        return region_with_overrides(
            load_overrides(self._sessions, region=region_id), self._bases[region_id],
            imported_versions(self._sessions, region=region_id))

    def revision(self, region_id: str) -> int:
        """How many times the region's data has been replaced since startup."""
        return self._revisions.get(region_id, 0)

    def use(self, region_id: str, region: Region) -> int:
        """Serve ``region`` as ``region_id`` from now on; returns its new revision."""
        with self._lock:
            self._loaded[self.check(region_id)] = region
            self._revisions[region_id] += 1
            return self._revisions[region_id]


def get_regions(request: Request) -> Regions:
    """The app's regions."""
    regions: Regions = request.app.state.regions
    return regions


RegionsDep = Annotated[Regions, Depends(get_regions)]


def scenario_region(request: Request, row: Scenario) -> Region:
    """The region of the stored scenario ``row`` (its own, whatever the user chose)."""
    return get_regions(request).get(row.region)


def chosen_region_id(request: Request) -> str:
    """The region the request works on: the dashboard user's choice (cookie) when known,
    else the server's default."""
    regions = get_regions(request)
    wanted = request.cookies.get(REGION_COOKIE)
    return wanted if wanted is not None and regions.known(wanted) else regions.default


def chosen_region(request: Request) -> Region:
    """The region the request works on (``chosen_region_id``), loaded."""
    return get_regions(request).get(chosen_region_id(request))
