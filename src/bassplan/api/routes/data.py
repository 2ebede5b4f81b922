"""Region data (the Data page): which tables are imported, import a table from CSV/.xlsx
(admin; every invalid row listed, nothing stored unless all are valid), go back to the
region's own table (admin), and export the region in use as one workbook. The work is
done by plain functions that the dashboard's Data page calls too."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import APIRouter, File, Request, Response, UploadFile
from starlette.datastructures import UploadFile as FormFile

from bassplan.api.deps import AdminUser, ViewerUser, get_sessions
from bassplan.api.params import CodeQuery
from bassplan.api.regions import chosen_region_id, get_regions
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


def data_region(request: Request, asked: str | None = None) -> str:
    """The id of the region whose data a request works on: ``asked`` (the ``region`` query;
    422 if unknown), else the user's chosen region, else the server's default."""
    return get_regions(request).check(asked) if asked is not None else chosen_region_id(request)


def data_overview(request: Request, region_id: str) -> DataOverviewPublic:
    """Each importable table of the region: its own or imported (by whom, when)."""
    regions, sessions = get_regions(request), get_sessions(request)
    stored = {t.kind: t for t in datatables.list_tables(sessions, region=region_id)}
    base = regions.base(region_id)
    return DataOverviewPublic(
        region=regions.get(region_id).name, region_id=region_id,
        region_revision=regions.revision(region_id),
        tables=[_public(kind, stored.get(kind), base) for kind in KINDS],
    )


def export_content(request: Request, region_id: str) -> bytes:
    """The .xlsx bytes of the region (with its imported tables)."""
    return export_workbook(get_regions(request).base(region_id),
                           datatables.load_overrides(get_sessions(request), region=region_id))


def read_upload(file: FormFile) -> tuple[str, bytes]:
    """The uploaded file's own name (no folders) and bytes; InputError if it is too large."""
    filename = Path(file.filename or "").name[:300]
    content = file.file.read(limits.MAX_UPLOAD_BYTES + 1)
    if len(content) > limits.MAX_UPLOAD_BYTES:
        raise InputError(filename, "", "(file)",
                         f"is larger than {limits.MAX_UPLOAD_BYTES:,} bytes")
    return filename, content


def import_upload(request: Request, user: User, kind: str, file: FormFile,
                  region_id: str) -> DataTablePublic:
    """Check and store an uploaded table of ``kind`` for region ``region_id`` and rebuild
    that region on it; ImportRejected (every problem) or InputError and nothing changed
    otherwise."""
    regions, sessions = get_regions(request), get_sessions(request)
    base = regions.base(region_id)
    check_kind(kind)
    filename, content = read_upload(file)
    with _CHANGING:
        overrides = datatables.load_overrides(sessions, region=region_id)
        table = parse_table(kind, filename, content, base=base, overrides=overrides)
        region = region_with_overrides({**overrides, kind: table.csv_text}, base)
        datatables.save_table(sessions, table=table, actor_id=user.id, region=region_id)
        regions.use(region_id, with_imported(
            region, datatables.imported_versions(sessions, region=region_id)))
    stored = {t.kind: t for t in datatables.list_tables(sessions, region=region_id)}
    return _public(kind, stored[kind], base)


def reset_to_own(request: Request, user: User, kind: str, region_id: str) -> None:
    """Drop region ``region_id``'s imported table of ``kind`` so its own applies again;
    NotFound if none is imported, InputError (nothing changed) if the other imports no
    longer fit."""
    regions, sessions = get_regions(request), get_sessions(request)
    base = regions.base(region_id)
    check_kind(kind)
    with _CHANGING:
        overrides = datatables.load_overrides(sessions, region=region_id)
        if kind not in overrides:
            raise NotFound("imported table", kind)
        rest = {k: v for k, v in overrides.items() if k != kind}
        region = region_with_overrides(rest, base)
        datatables.delete_table(sessions, kind=kind, actor_id=user.id, region=region_id)
        regions.use(region_id, with_imported(
            region, datatables.imported_versions(sessions, region=region_id)))


@router.get("")
def overview(request: Request, user: ViewerUser, region: CodeQuery = None) -> DataOverviewPublic:
    """Each importable table of the region (``region``, else the chosen or default one):
    its own or imported (by whom, when), with its rows."""
    return data_overview(request, data_region(request, region))


@router.get("/export.xlsx", response_class=Response, responses={200: {
    "description": "The workbook", "content": {XLSX_MEDIA_TYPE: {"schema": {
        "type": "string", "format": "binary"}}}}})
def export(request: Request, user: ViewerUser, region: CodeQuery = None) -> Response:
    """The region (``region``, else the chosen or default one) with its imported tables as
    an Excel workbook, one sheet per table."""
    disposition = f'attachment; filename="{EXPORT_FILENAME}"'
    return Response(export_content(request, data_region(request, region)),
                    media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": disposition})


@router.post("/{kind}")
def import_table(
    kind: str,
    request: Request,
    user: AdminUser,
    file: UploadFile = File(...),  # noqa: B008 (FastAPI's way to declare an upload)
    region: CodeQuery = None,
) -> DataTablePublic:
    """Import a table of ``kind`` for the region (``region``, else the chosen or default
    one; admin): 422 listing every problem and nothing stored, or stored, with the region
    rebuilt on it."""
    return import_upload(request, user, kind, file, data_region(request, region))


@router.delete("/{kind}", status_code=204)
def reset_table(
    kind: str, request: Request, user: AdminUser, region: CodeQuery = None
) -> Response:
    """Drop the region's imported table of ``kind`` (``region``, else the chosen or
    default one; admin): its own applies again; 422 if the other imported tables do not
    fit the region without it, nothing changed."""
    reset_to_own(request, user, kind, data_region(request, region))
    return Response(status_code=204)
