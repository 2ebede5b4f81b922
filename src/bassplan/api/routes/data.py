"""Region data (the Data page): which tables are imported, import a table from CSV/.xlsx
(admin; every invalid row listed, nothing stored unless all are valid), go back to the
region's own table (admin), and export the region in use as one workbook. The work is
done by plain functions that the dashboard's Data page calls too."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import APIRouter, File, Request, Response, UploadFile
from starlette.datastructures import UploadFile as FormFile

from bassplan.api.deps import AdminUser, ViewerUser, get_region, get_sessions, get_settings
from bassplan.api.schemas import DataOverviewPublic, DataTablePublic
from bassplan.data.imports import (
    KINDS,
    check_kind,
    parse_table,
    region_with_overrides,
    table_rows,
    with_imported,
)
from bassplan.data.workbook import XLSX_MEDIA_TYPE, export_workbook
from bassplan.domain import limits
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.store import datatables
from bassplan.store.datatables import StoredTable
from bassplan.store.errors import NotFound
from bassplan.store.models import User

router = APIRouter(prefix="/api/data", tags=["data"])

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


def data_overview(request: Request) -> DataOverviewPublic:
    """Each importable table of the region in use: its own or imported (by whom, when)."""
    settings, sessions = get_settings(request), get_sessions(request)
    stored = {t.kind: t for t in datatables.list_tables(sessions)}
    return DataOverviewPublic(
        region=get_region(request).name,
        region_revision=getattr(request.app.state, "region_revision", 0),
        tables=[_public(kind, stored.get(kind), settings.data_dir) for kind in KINDS],
    )


def export_content(request: Request) -> bytes:
    """The .xlsx bytes of the region in use (with the imported tables)."""
    settings = get_settings(request)
    return export_workbook(settings.data_dir, datatables.load_overrides(get_sessions(request)))


def read_upload(file: FormFile) -> tuple[str, bytes]:
    """The uploaded file's own name (no folders) and bytes; InputError if it is too large."""
    filename = Path(file.filename or "").name[:300]
    content = file.file.read(limits.MAX_UPLOAD_BYTES + 1)
    if len(content) > limits.MAX_UPLOAD_BYTES:
        raise InputError(filename, "", "(file)",
                         f"is larger than {limits.MAX_UPLOAD_BYTES:,} bytes")
    return filename, content


def import_upload(request: Request, user: User, kind: str, file: FormFile) -> DataTablePublic:
    """Check and store an uploaded table of ``kind`` and rebuild the region in use on it;
    ImportRejected (every problem) or InputError and nothing changed otherwise."""
    settings, sessions = get_settings(request), get_sessions(request)
    check_kind(kind)
    filename, content = read_upload(file)
    with _CHANGING:
        overrides = datatables.load_overrides(sessions)
        table = parse_table(kind, filename, content, base=settings.data_dir, overrides=overrides)
        region = region_with_overrides({**overrides, kind: table.csv_text}, settings.data_dir)
        datatables.save_table(sessions, table=table, actor_id=user.id)
        _use(request, with_imported(region, datatables.imported_versions(sessions)))
    stored = {t.kind: t for t in datatables.list_tables(sessions)}
    return _public(kind, stored[kind], settings.data_dir)


def reset_to_own(request: Request, user: User, kind: str) -> None:
    """Drop the imported table of ``kind`` so the region's own applies again; NotFound if
    none is imported, InputError (nothing changed) if the other imports no longer fit."""
    settings, sessions = get_settings(request), get_sessions(request)
    check_kind(kind)
    with _CHANGING:
        overrides = datatables.load_overrides(sessions)
        if kind not in overrides:
            raise NotFound("imported table", kind)
        rest = {k: v for k, v in overrides.items() if k != kind}
        region = region_with_overrides(rest, settings.data_dir)
        datatables.delete_table(sessions, kind=kind, actor_id=user.id)
        _use(request, with_imported(region, datatables.imported_versions(sessions)))


@router.get("")
def overview(request: Request, user: ViewerUser) -> DataOverviewPublic:
    """Each importable table: the region's own or imported (by whom, when), with its rows."""
    return data_overview(request)


@router.get("/export.xlsx", response_class=Response, responses={200: {
    "description": "The workbook", "content": {XLSX_MEDIA_TYPE: {"schema": {
        "type": "string", "format": "binary"}}}}})
def export(request: Request, user: ViewerUser) -> Response:
    """The region in use (with the imported tables) as an Excel workbook, one sheet per table."""
    disposition = f'attachment; filename="{EXPORT_FILENAME}"'
    return Response(export_content(request), media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": disposition})


@router.post("/{kind}")
def import_table(
    kind: str,
    request: Request,
    user: AdminUser,
    file: UploadFile = File(...),  # noqa: B008 (FastAPI's way to declare an upload)
) -> DataTablePublic:
    """Import a table of ``kind`` (admin): 422 listing every problem and nothing stored, or
    stored, with the region in use rebuilt on it."""
    return import_upload(request, user, kind, file)


@router.delete("/{kind}", status_code=204)
def reset_table(kind: str, request: Request, user: AdminUser) -> Response:
    """Drop the imported table of ``kind`` (admin): the region's own applies again; 422 if
    the other imported tables do not fit the region without it, nothing changed."""
    reset_to_own(request, user, kind)
    return Response(status_code=204)
