"""Regions: the regions this server serves (the registry's bundled ones, and a configured
directory), by id and name; a scenario's ``region`` and the ``region`` queries name one."""

from __future__ import annotations

from fastapi import APIRouter

from bassplan.api.deps import ViewerUser
from bassplan.api.regions import RegionsDep
from bassplan.api.schemas import RegionPublic

router = APIRouter(prefix="/api/regions", tags=["regions"])


@router.get("")
def list_regions(user: ViewerUser, regions: RegionsDep) -> list[RegionPublic]:
    """Every region by id and name, the server's default first."""
    return [RegionPublic(id=key, name=name, default=key == regions.default)
            for key, name in regions.names()]
