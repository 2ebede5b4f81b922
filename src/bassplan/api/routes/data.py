"""Region data (the Data page): which tables are imported, import a table from CSV/.xlsx
(admin; every invalid row listed, nothing stored unless all are valid), go back to the
region's own table (admin), and export the region in use as one workbook."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import APIRouter, File, Request, Response, UploadFile

from bassplan.api.deps import AdminUser, RegionDep, SessionsDep, SettingsDep, ViewerUser
from bassplan.api.schemas import DataOverviewPublic, DataTablePublic
from bassplan.data.imports import KINDS, check_kind, parse_table, region_with_overrides, table_rows
from bassplan.data.workbook import XLSX_MEDIA_TYPE, export_workbook
from bassplan.domain import Region
from bassplan.errors import InputError
from bassplan.store import datatables
from bassplan.store.datatables import StoredTable
from bassplan.store.errors import NotFound

router = APIRouter(prefix="/api/data", tags=["data"])

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
EXPORT_FILENAME = "bass-data.xlsx"
_CHANGING = threading.Lock()  # one import or reset at a time in this process


def _public(kind: str, stored: StoredTable | None, base: Path | None) -> DataTablePublic:
    """The Data page's line for ``kind``: the imported table, else the region's own."""
    if stored is not None:
        return DataTablePublic(kind=kind, table=KINDS[kind], origin="imported",
                               rows=stored.rows, filename=stored.filename,
                               uploaded_by=stored.uploaded_by, uploaded_at=stored.uploaded_at,
                               version=stored.version, sha256=stored.sha256)
    rows = table_rows(kind, base)
    return DataTablePublic(kind=kind, table=KINDS[kind],
                           origin="absent" if rows is None else "bundled", rows=rows)


def _use(request: Request, region: Region) -> int:
    """Make ``region`` the one the app serves and bump the revision caches key on."""
    request.app.state.region = region
    request.app.state.region_revision = getattr(request.app.state, "region_revision", 0) + 1
    revision: int = request.app.state.region_revision
    return revision


@router.get("")
def overview(
    request: Request, user: ViewerUser, sessions: SessionsDep, settings: SettingsDep,
    region: RegionDep,
) -> DataOverviewPublic:
    """Each importable table: the region's own or imported (by whom, when), with its rows."""
    stored = {t.kind: t for t in datatables.list_tables(sessions)}
    return DataOverviewPublic(
        region=region.name,
        region_revision=getattr(request.app.state, "region_revision", 0),
        tables=[_public(kind, stored.get(kind), settings.data_dir) for kind in KINDS],
    )


@router.get("/export.xlsx")
def export(user: ViewerUser, sessions: SessionsDep, settings: SettingsDep) -> Response:
    """The region in use (with the imported tables) as an Excel workbook, one sheet per table."""
    content = export_workbook(settings.data_dir, datatables.load_overrides(sessions))
    disposition = f'attachment; filename="{EXPORT_FILENAME}"'
    return Response(content, media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": disposition})


@router.post("/{kind}")
def import_table(
    kind: str,
    request: Request,
    user: AdminUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    file: UploadFile = File(...),  # noqa: B008 (FastAPI's way to declare an upload)
) -> DataTablePublic:
    """Import a table of ``kind`` (admin): 422 listing every problem and nothing stored, or
    stored, with the region in use rebuilt on it."""
    check_kind(kind)
    filename = Path(file.filename or "").name[:300]
    content = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InputError(filename, "", "(file)",
                         f"is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    with _CHANGING:
        overrides = datatables.load_overrides(sessions)
        table = parse_table(kind, filename, content, base=settings.data_dir, overrides=overrides)
        region = region_with_overrides({**overrides, kind: table.csv_text}, settings.data_dir)
        datatables.save_table(sessions, table=table, actor_id=user.id)
        _use(request, region)
    stored = {t.kind: t for t in datatables.list_tables(sessions)}
    return _public(kind, stored[kind], settings.data_dir)


@router.delete("/{kind}", status_code=204)
def reset_table(
    kind: str, request: Request, user: AdminUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """Drop the imported table of ``kind`` (admin): the region's own applies again; 422 if
    the other imported tables do not fit the region without it, nothing changed."""
    check_kind(kind)
    with _CHANGING:
        overrides = datatables.load_overrides(sessions)
        if kind not in overrides:
            raise NotFound("imported table", kind)
        rest = {k: v for k, v in overrides.items() if k != kind}
        region = region_with_overrides(rest, settings.data_dir)
        datatables.delete_table(sessions, kind=kind, actor_id=user.id)
        _use(request, region)
    return Response(status_code=204)
