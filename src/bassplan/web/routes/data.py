"""Data: the region's importable tables (bundled or imported, by whom and when, which inputs
are illustrative) and the Excel export for every reader; for an admin the import of a CSV or
.xlsx (every invalid row listed, nothing imported) and the way back to the bundled table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from bassplan.api.regions import chosen_region, chosen_region_id, get_regions
from bassplan.api.routes.data import data_overview, import_upload, reset_to_own
from bassplan.api.schemas import DataTablePublic
from bassplan.data.csvread import find_table, read_table
from bassplan.data.imports import COLUMNS, KINDS, ImportRejected, RowProblem
from bassplan.data.loaders import region_dir
from bassplan.domain.errors import InputError
from bassplan.i18n.words import Lang, label, say, say_error
from bassplan.store.accounts import has_role
from bassplan.store.models import User
from bassplan.views.formatting import format_number
from bassplan.views.records import illustrative_lists
from bassplan.web.localtime import format_time
from bassplan.web.pageauth import CheckedForm, PageAdmin, PageUser
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)
FILE_FIELD = "file"


@dataclass(frozen=True)
class KindView:
    """One table kind on the page: the API's line, when it was imported, the bundled table's
    columns (name, required), its source and whether its numbers are illustrative."""

    line: DataTablePublic
    imported_at: str
    columns: tuple[tuple[str, bool], ...]
    source: str
    illustrative: bool


@dataclass(frozen=True)
class Refusal:
    """Why an import or reset was refused: the kind, the file, every row problem or else
    one message."""

    kind: str
    filename: str = ""
    problems: Sequence[RowProblem] = ()
    message: str = ""
    total: int = 0  # the problems found in all (the first ones are listed)
    more: str = ""  # how many more there are than listed, in the reader's words


def known(kind: str) -> str:
    """``kind`` if it is an importable table kind, else a 404 page."""
    if kind not in KINDS:
        raise HTTPException(404, "not_found")
    return kind


def own_directory(request: Request) -> Path:
    """The directory of the chosen region's own tables."""
    return region_dir(get_regions(request).base(chosen_region_id(request)))


def own_columns(kind: str, directory: Path) -> tuple[tuple[str, bool], ...]:
    """The columns of the region's own table of ``kind`` (the required ones if it has
    none), each with whether an import must have it."""
    path = find_table(directory, KINDS[kind])
    header = COLUMNS[kind] if path is None else read_table(path, (), allow_empty=True).columns
    return tuple((c, c in COLUMNS[kind]) for c in header if c)


def kind_views(request: Request, lines: Sequence[DataTablePublic], lang: Lang) -> list[KindView]:
    """The page's view of every table kind."""
    region = chosen_region(request)
    illustrative, _ = illustrative_lists(region)
    sources = {p.name: p.source for p in region.provenance}
    directory = own_directory(request)
    return [
        KindView(line,
                 format_time(line.uploaded_at, lang) if line.uploaded_at else "",
                 own_columns(line.kind, directory), sources.get(line.table, ""),
                 line.table in illustrative)
        for line in lines
    ]


def ok_message(lang: Lang, ok: str | None, kind: str | None, rows: int | None) -> str:
    """The confirmation after a change (only the page's own messages, never echoed text)."""
    if ok == "data_imported" and rows is not None:
        shown = format_number(float(rows), lang)
        text = f"{label('data_imported', lang)}: {shown} {label('data_rows_word', lang)}"
    elif ok == "data_reset_done":
        text = label(ok, lang)
    else:
        return ""
    return f"{label('data_kind_' + kind, lang)} – {text}" if kind in KINDS else text


def data_page(
    request: Request, user: User, *, status: int = 200, ok: str = "",
    refusal: Refusal | None = None,
) -> HTMLResponse:
    """The Data page, with a confirmation or the reason a change was refused."""
    lang = page_lang(request)
    overview = data_overview(request, chosen_region_id(request))
    tables, params = illustrative_lists(chosen_region(request))
    return render(request, "data.html", status=status, region_name=overview.region,
                  kinds=kind_views(request, overview.tables, lang), ok=ok, refusal=refusal,
                  illustrative_tables=tables, illustrative_parameters=params,
                  can_change=has_role(user, "admin"))


@router.get("/data", response_class=HTMLResponse)
def data_view(
    request: Request, user: PageUser, ok: str | None = None, kind: str | None = None,
    rows: int | None = None,
) -> HTMLResponse:
    """The page every logged-in user sees."""
    return data_page(request, user, ok=ok_message(page_lang(request), ok, kind, rows))


@router.get("/data/{kind}/skabelon")
def own_table(kind: str, request: Request, user: PageUser) -> Response:
    """The region's own table of ``kind`` as a template to edit and import (a header-only
    CSV when the region has none)."""
    path = find_table(own_directory(request), KINDS[known(kind)])
    if path is not None:
        return FileResponse(path, filename=path.name)
    disposition = f'attachment; filename="{KINDS[kind]}.csv"'
    return Response(",".join(COLUMNS[kind]) + "\n", media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})


@router.post("/data/{kind}/importer")
def import_submit(kind: str, request: Request, user: PageAdmin, form: CheckedForm) -> Response:
    """Import the posted file (admin): back to the page with its rows, or the page again
    (422) listing every invalid row with nothing imported."""
    known(kind)
    file = form.get(FILE_FIELD)
    if not isinstance(file, UploadFile) or not file.filename:
        refusal = Refusal(kind, message=label("data_no_file", page_lang(request)))
        return data_page(request, user, status=422, refusal=refusal)
    try:
        line = import_upload(request, user, kind, file, chosen_region_id(request))
    except ImportRejected as exc:
        lang = page_lang(request)
        said = [replace(p, message=say(p.words, lang)) if p.words else p for p in exc.problems]
        unlisted = exc.total - len(said)
        more = say("data_errors_more", lang, more=unlisted) if unlisted > 0 else ""
        refusal = Refusal(kind, exc.source, said, total=exc.total, more=more)
        return data_page(request, user, status=422, refusal=refusal)
    except InputError as exc:
        refusal = Refusal(kind, message=say_error(exc, page_lang(request)))
        return data_page(request, user, status=422, refusal=refusal)
    target = f"/data?ok=data_imported&kind={kind}&rows={line.rows}"
    return RedirectResponse(target, status_code=303)


@router.post("/data/{kind}/nulstil")
def reset_submit(kind: str, request: Request, user: PageAdmin, form: CheckedForm) -> Response:
    """Drop the imported table (admin): the bundled one applies again."""
    known(kind)
    try:
        reset_to_own(request, user, kind, chosen_region_id(request))
    except InputError as exc:
        refusal = Refusal(kind, message=say_error(exc, page_lang(request)))
        return data_page(request, user, status=422, refusal=refusal)
    target = f"/data?ok=data_reset_done&kind={kind}"
    return RedirectResponse(target, status_code=303)
