"""Path and query parameters shared by the routes: row ids and versions bounded to what every
supported database stores, so an absurd number is a 422, never a database error; codes
(specialty, entity) bounded in length; a listing's page (limit, offset) bounded in rows."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from bassplan.api.schema_base import MAX_ROW_ID
from bassplan.domain import limits

IdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
IdQuery = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
VersionQuery = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]
CodeQuery = Annotated[str | None, Query(max_length=limits.MAX_NAME_CHARS)]
LimitQuery = Annotated[int, Query(ge=1, le=limits.MAX_PAGE_ROWS)]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_ROW_ID)]
