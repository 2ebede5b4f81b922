"""Path and query parameters shared by the routes: row ids and versions bounded to what every
supported database stores, so an absurd number is a 422, never a database error."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from bassplan.api.schemas import MAX_ROW_ID

IdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
VersionQuery = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
