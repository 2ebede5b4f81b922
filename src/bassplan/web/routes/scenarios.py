"""Scenarier: list the stored scenarios, create one from simple levers or from YAML, read,
edit (with the version read), clone and delete one, start and follow its optimisation and
simulation jobs (each user sees their own, an admin everyone's), keep a simulation's result
with the scenario, and compare two side by side. Changes go through the same repository and
job functions as the REST API; viewers may read, planners (or higher) may change."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from bassplan.api.deps import RegionDep, SessionsDep
from bassplan.api.evaluations import Evaluated, evaluated, evaluation_key
from bassplan.api.jobs import get_jobs
from bassplan.api.regions import chosen_region_id, get_regions, scenario_region
from bassplan.api.routes.runs import (
    SavedId,
    owner_filter,
    queue_optimise,
    queue_simulate,
    visible_job,
)
from bassplan.api.schemas import OptimiseRun, SimulateRun
from bassplan.data.scenario_loader import validation_error
from bassplan.domain.errors import BassError, InputError
from bassplan.domain.region import Region
from bassplan.i18n.words import Lang, label, say_error
from bassplan.report.pdf import meeting_pack_pdf
from bassplan.report.sections import (
    comparison_section,
    headline_tables,
    heatmap_table,
    population_line,
)
from bassplan.scorecard.score import changed_colours
from bassplan.store import jobs as stored
from bassplan.store import repository
from bassplan.store.accounts import has_role, list_users
from bassplan.store.errors import NotFound
from bassplan.store.models import Scenario
from bassplan.views.dataversion import describe_data_version
from bassplan.views.formatting import local_name, site_short
from bassplan.views.records import headlines
from bassplan.web.formparse import refusal
from bassplan.web.fragments import fragment
from bassplan.web.localtime import format_time
from bassplan.web.pageauth import CheckedForm, PagePlanner, PageUser
from bassplan.web.program_views import program_pack
from bassplan.web.render import page_lang, render
from bassplan.web.scenario_forms import (
    UPLOAD_SOURCE,
    LeverForm,
    acute_sites,
    default_levers,
    levers_yaml,
    posted_yaml,
    read_levers,
    text,
)
from bassplan.web.scenario_runs import saved_views, scenario_jobs

router = APIRouter(include_in_schema=False)
OK_KEYS = frozenset({"sc_created", "sc_saved", "sc_cloned", "sc_deleted", "sc_job_started",
                     "sc_job_cancel_asked", "sc_simulation_saved", "sc_simulation_deleted"})
NEW_YEAR = 2027  # the year the empty lever form proposes


def scenario_url(name: str, suffix: str = "") -> str:
    """The path of a scenario's page (or one of its actions)."""
    return f"/scenarier/{quote(name, safe='')}{suffix}"


def _redirect(path: str, ok: str) -> RedirectResponse:
    """Post/Redirect/Get back to ``path`` with a confirmation."""
    return RedirectResponse(f"{path}?ok={ok}", status_code=303)


def _refusal(exc: BassError, lang: Lang, new_name: str = "") -> tuple[int, str]:
    """The form outcome of a refused change (see formparse.refusal), a taken name named."""
    return refusal(exc, lang, label("sc_exists", lang).format(name=new_name))


def _ok(ok: str | None) -> str:
    return ok if ok in OK_KEYS else ""


def _year(row: Scenario) -> Any:
    data = yaml.safe_load(row.yaml)
    return data.get("year", "") if isinstance(data, dict) else ""


# — the list —


@router.get("/scenarier", response_class=HTMLResponse)
def scenario_list(
    request: Request, user: PageUser, sessions: SessionsDep, ok: str | None = None
) -> HTMLResponse:
    """Every stored scenario of the chosen region with its year, version and last change."""
    lang = page_lang(request)
    rows = [(row, _year(row), format_time(row.updated_at, lang))
            for row in repository.list_scenarios(sessions,
                                                 region_id=chosen_region_id(request))]
    return render(request, "scenarios.html", rows=rows, url=scenario_url, ok=_ok(ok),
                  can_edit=has_role(user, "planner"))


# — create —


def _new_page(request: Request, region: Region, *, levers: LeverForm | None = None,
              upload: dict[str, str] | None = None, error: str = "", status: int = 200,
              tab: str = "levers") -> HTMLResponse:
    lang = page_lang(request)
    return render(
        request, "scenarios_new.html", status=status, error=error, tab=tab,
        levers=levers or default_levers(region, NEW_YEAR), upload=upload or {},
        sites=[(site.id, site_short(site)) for site in acute_sites(region)],
        specialties=[(sp.id, local_name(sp, lang)) for sp in region.specialties],
    )


@router.get("/scenarier/nyt", response_class=HTMLResponse)
def new_scenario(request: Request, user: PagePlanner, region: RegionDep) -> HTMLResponse:
    """The two ways to a new scenario: the lever form and the YAML upload."""
    return _new_page(request, region)


@router.post("/scenarier/nyt")
def create_from_levers(
    request: Request, form: CheckedForm, user: PagePlanner, sessions: SessionsDep,
    region: RegionDep,
) -> Response:
    """Store the scenario the levers describe; the form again with the reason if not."""
    levers = read_levers(form, region)
    try:
        text_ = levers_yaml(levers, region)
        repository.create_scenario(sessions, name=levers.name, yaml_text=text_,
                                   description=levers.description, region=region,
                                   region_id=chosen_region_id(request), actor_id=user.id)
    except BassError as exc:
        refused = _refusal(exc, page_lang(request), levers.name)
        return _new_page(request, region, levers=levers, status=refused[0],
                         error=refused[1])
    return _redirect(scenario_url(levers.name), "sc_created")


@router.post("/scenarier/nyt/yaml")
def create_from_yaml(
    request: Request, form: CheckedForm, user: PagePlanner, sessions: SessionsDep,
    region: RegionDep,
) -> Response:
    """Store an uploaded or pasted scenario YAML (named as the form says, else as the YAML
    says); the form again with the line naming the key if it is not valid."""
    upload = {key: text(form, key).strip() for key in ("name", "description")}
    upload["yaml_text"] = text(form, "yaml_text")
    name = upload["name"]
    try:
        text_ = posted_yaml(form)
        upload["yaml_text"] = text_  # an uploaded file's text comes back to be corrected
        parsed = repository.validate_scenario_yaml(text_, source=UPLOAD_SOURCE, region=region)
        name = name or parsed.name
        repository.create_scenario(sessions, name=name, yaml_text=text_, region=region,
                                   description=upload["description"] or parsed.description.strip(),
                                   region_id=chosen_region_id(request), actor_id=user.id)
    except BassError as exc:
        refused = _refusal(exc, page_lang(request), name)
        return _new_page(request, region, upload=upload, status=refused[0], tab="yaml",
                         error=refused[1])
    return _redirect(scenario_url(name), "sc_created")


# — compare —


def compare_context(a: Evaluated, b: Evaluated, lang: Lang) -> dict[str, Any]:
    """Both scenarios' figures per specialty with the change (the report's comparison, a as
    baseline), both heat-maps, and the indicators whose colour differs (a → b)."""
    region = b.evaluation.region
    changes = changed_colours(a.scorecard, b.scorecard)
    cmp = comparison_section(a.evaluation, b.evaluation, headlines(b.evaluation), changes,
                             b.scorecard, lang)
    return {
        "cmp": cmp,
        "changed": list(zip(cmp.changed, changes, strict=True)),
        "hm_a": heatmap_table(a.scorecard, a.colours, region, lang),
        "hm_b": heatmap_table(b.scorecard, b.colours, region, lang),
        "version_line": describe_data_version(region.data_version, lang),
    }


@router.get("/scenarier/sammenlign", response_class=HTMLResponse)
def compare(
    request: Request, user: PageUser, sessions: SessionsDep, a: str | None = None,
    b: str | None = None,
) -> HTMLResponse:
    """Two stored scenarios of one region side by side (the chosen region's first two
    stored when none are named)."""
    lang = page_lang(request)
    rows = repository.list_scenarios(sessions, region_id=chosen_region_id(request))
    names = [row.name for row in rows]
    first = sorted(rows, key=lambda r: r.id)
    a_name = a or (first[0].name if first else "")
    b_name = b or (first[1].name if len(first) > 1 else a_name)
    part = Markup("")
    if names:
        row_a, row_b = _pair(sessions, a_name, b_name)
        ra = evaluated(request, row_a)
        rb = evaluated(request, row_b)
        key = (evaluation_key(request, row_a), evaluation_key(request, row_b))
        part = fragment(request, key, "_scenarios_compare.html",
                        lambda: {**compare_context(ra, rb, lang), "a": a_name, "b": b_name})
    return render(request, "scenarios_compare.html", names=names, a=a_name, b=b_name,
                  part=part, url=scenario_url)


def _pair(sessions: sessionmaker[Session], a: str, b: str) -> tuple[Scenario, Scenario]:
    """The stored scenarios ``a`` and ``b``; InputError if they are of different regions
    (their sites and areas differ, so no figure pairs up)."""
    row_a = repository.get_scenario(sessions, name=a)
    row_b = repository.get_scenario(sessions, name=b)
    if row_a.region != row_b.region:
        raise InputError("compare", "", "b", f"'{row_b.name}' is of region '{row_b.region}', "
                         f"'{row_a.name}' of '{row_a.region}': compare within one region")
    return row_a, row_b


def pdf_download(content: bytes, filename: str) -> Response:
    """A PDF download (the meeting pack) named ``filename`` (ASCII, for every browser)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-"
                   for ch in filename)
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})


def pack_download(request: Request, sessions: sessionmaker[Session], result: Evaluated,
                  filename: str, baseline: Evaluated | None = None) -> Response:
    """The meeting pack of ``result`` (against ``baseline``) with the program's deliverables
    and recent decisions, as a PDF download: what every pack button on the pages gives."""
    lang = page_lang(request)
    content = meeting_pack_pdf(
        result.evaluation, result.scorecard, lang=lang,
        baseline=None if baseline is None else (baseline.evaluation, baseline.scorecard),
        program=program_pack(sessions, result.evaluation.region, lang))
    return pdf_download(content, filename)


@router.get("/scenarier/sammenlign.pdf")
def compare_pdf(
    request: Request, user: PageUser, sessions: SessionsDep, a: str, b: str
) -> Response:
    """The meeting pack of scenario ``b`` against the baseline ``a`` as an A4 PDF."""
    row_a, row_b = _pair(sessions, a, b)
    return pack_download(request, sessions, evaluated(request, row_b),
                         f"moedepakke-{row_a.name}-{row_b.name}.pdf",
                         baseline=evaluated(request, row_a))


# — one scenario —


def headline_context(result: Evaluated, lang: Lang) -> dict[str, Any]:
    """The scenario's region figures, the report's per-specialty table, and per specialty
    where its strength positions and outreach clinics are."""
    evaluation = result.evaluation
    heads = headlines(evaluation)
    figures, _, per_spec = headline_tables(evaluation, heads, lang)
    names = {site.id: site_short(site) for site in evaluation.region.sites}
    places = [(local_name(h, lang), ", ".join(names[x] for x in h.strength_positions) or "–",
               ", ".join(names[x] for x in h.outreach_sites) or "–") for h in heads]
    return {"figures": figures, "t": per_spec, "places": places,
            "population_line": population_line(evaluation, lang),
            "version_line": describe_data_version(evaluation.region.data_version, lang)}


def _baseline(rows: list[Scenario], name: str) -> str:
    """The scenario a scenario's page compares against by default: the first stored one
    (the baseline the examples seed first, as the comparison page's default), not itself."""
    others = sorted((r for r in rows if r.name != name), key=lambda r: r.id)
    return others[0].name if others else ""


def _detail(request: Request, row: Scenario, *, status: int = 200, error: str = "",
            kept: dict[str, str] | None = None, ok: str = "") -> HTMLResponse:
    """The scenario's page; after a failed form, the error and what the user typed."""
    lang = page_lang(request)
    region = scenario_region(request, row)
    part, eval_error = Markup(""), ""
    try:
        result = evaluated(request, row)
    except InputError as exc:  # e.g. the region's data changed under a stored scenario
        eval_error = say_error(exc, lang)
    else:
        part = fragment(request, evaluation_key(request, row), "_scenarios_headline.html",
                        lambda: headline_context(result, lang))
    user = request.state.user
    sessions = request.app.state.sessions
    jobs = get_jobs(request).recent(requested_by=owner_filter(user), scenario=row.name)
    users = {u.id: u.display_name for u in list_users(sessions)}
    saved = stored.list_saved_simulations(sessions, scenario=row.name)
    stored_rows = repository.list_scenarios(sessions, region_id=row.region)
    return render(
        request, "scenarios_detail.html", status=status, row=row, error=error, ok=ok,
        updated=format_time(row.updated_at, lang),
        kept=kept or {}, part=part, eval_error=eval_error, url=scenario_url,
        can_edit=has_role(user, "planner"),
        names=[r.name for r in stored_rows],
        baseline=_baseline(stored_rows, row.name),
        is_baseline=min(stored_rows, key=lambda r: r.id).name == row.name,
        jobs=scenario_jobs(jobs, row.name, region, lang),
        saved=saved_views(saved, region, lang, row.version, users),
        specialties=[(sp.id, local_name(sp, lang)) for sp in region.specialties],
    )


@router.get("/scenarier/{name:path}/moedepakke.pdf")
def scenario_pdf(request: Request, name: str, user: PageUser, sessions: SessionsDep) -> Response:
    """The meeting pack of one stored scenario as an A4 PDF."""
    row = repository.get_scenario(sessions, name=name)
    return pack_download(request, sessions, evaluated(request, row),
                         f"moedepakke-{row.name}.pdf")


@router.get("/scenarier/{name:path}", response_class=HTMLResponse)
def scenario_page(
    request: Request, name: str, user: PageUser, sessions: SessionsDep, ok: str | None = None
) -> HTMLResponse:
    """One scenario: YAML, headline figures, its jobs, and (for planners) what to change."""
    return _detail(request, repository.get_scenario(sessions, name=name), ok=_ok(ok))


def _kept(form: FormData, *keys: str) -> dict[str, str]:
    return {key: text(form, key) for key in keys}


def _whole(form: FormData, key: str, source: str) -> int:
    value = text(form, key).strip()
    try:
        return int(value)
    except ValueError:
        raise InputError(source, "", key, f"'{value}' is not a whole number") from None


def _store_copy(request: Request, row: Scenario, yaml_text: str, new_name: str,
                source: str, description: str, actor_id: int) -> None:
    """Store scenario YAML under a new name (its ``name`` key renamed to match) in the
    region of the stored scenario ``row`` it comes from."""
    if not new_name:
        raise InputError(source, "", "new_name", "a name is required")
    repository.create_scenario(request.app.state.sessions, name=new_name,
                               region=scenario_region(request, row), region_id=row.region,
                               actor_id=actor_id, yaml_text=yaml_text, description=description)


@router.post("/scenarier/{name:path}/koersler/{job_id}/gem")
def save_plan(
    request: Request, name: str, job_id: str, form: CheckedForm, user: PagePlanner,
    sessions: SessionsDep,
) -> Response:
    """Store a finished optimisation's plan (kept in the job's result) as a new scenario."""
    row = repository.get_scenario(sessions, name=name)
    job = visible_job(get_jobs(request), job_id, user)
    if job.scenario != row.name or job.kind != "optimise" or job.result is None:
        raise NotFound("optimised plan", job_id)
    new_name = text(form, "new_name").strip()
    try:
        source = f"plan of job {job_id}"
        yaml_text = str(job.result["scenario_yaml"])
        planned = repository.validate_scenario_yaml(yaml_text, source=source)
        _store_copy(request, row, yaml_text, new_name, source,
                    planned.description.strip(), user.id)
    except NotFound:
        raise
    except BassError as exc:
        refused = _refusal(exc, page_lang(request), new_name)
        return _detail(request, row, status=refused[0], kept={"new_name": new_name},
                       error=refused[1])
    return _redirect(scenario_url(new_name), "sc_created")


@router.post("/scenarier/{name:path}/koersler/{job_id}/annuller")
def cancel_run(
    name: str, job_id: str, request: Request, form: CheckedForm, user: PagePlanner
) -> Response:
    """Cancel one of the user's jobs of the scenario (as POST /api/jobs/{id}/cancel)."""
    jobs = get_jobs(request)
    jobs.cancel(visible_job(jobs, job_id, user).id)
    return _redirect(scenario_url(name), "sc_job_cancel_asked")


@router.post("/scenarier/{name:path}/koersler/{job_id}/behold")
def keep_simulation(
    request: Request, name: str, job_id: str, form: CheckedForm, user: PagePlanner,
    sessions: SessionsDep,
) -> Response:
    """Save one of the user's finished simulations with the scenario under a name (as
    POST /api/scenarios/{name}/simulations)."""
    row = repository.get_scenario(sessions, name=name)
    visible_job(get_jobs(request), job_id, user)
    sim_name = text(form, "sim_name").strip()
    try:
        stored.save_simulation(sessions, scenario=row.name, job_id=job_id, name=sim_name,
                               actor_id=user.id)
    except NotFound:
        raise
    except BassError as exc:
        lang = page_lang(request)
        status, message = refusal(exc, lang,
                                  label("sc_simulation_exists", lang).format(name=sim_name))
        return _detail(request, row, status=status, kept={"sim_name": sim_name},
                       error=message)
    return _redirect(scenario_url(name), "sc_simulation_saved")


@router.post("/scenarier/{name:path}/simuleringer/{saved_id}/slet")
def delete_saved_simulation(
    request: Request, name: str, saved_id: SavedId, form: CheckedForm, user: PagePlanner,
    sessions: SessionsDep,
) -> Response:
    """Delete a simulation result saved with the scenario (as the API's DELETE)."""
    row = repository.get_scenario(sessions, name=name)
    stored.delete_saved_simulation(sessions, scenario=row.name, saved_id=saved_id,
                                   actor_id=user.id)
    return _redirect(scenario_url(name), "sc_simulation_deleted")


@router.post("/scenarier/{name:path}/gem")
def save_scenario(
    request: Request, name: str, form: CheckedForm, user: PagePlanner, sessions: SessionsDep,
) -> Response:
    """Save the edited YAML and description if nobody changed the scenario since it was
    read (``expected_version``); else 409 with the user's text kept."""
    row = repository.get_scenario(sessions, name=name)
    kept = _kept(form, "yaml", "description", "expected_version")
    try:
        expected = _whole(form, "expected_version", "edit form")
        repository.update_scenario(sessions, name=name, expected_version=expected,
                                   yaml_text=kept["yaml"], description=kept["description"],
                                   region=scenario_region(request, row), actor_id=user.id)
    except NotFound:
        raise
    except BassError as exc:
        refused = _refusal(exc, page_lang(request))
        return _detail(request, row, status=refused[0], kept=kept,
                       error=refused[1])
    return _redirect(scenario_url(name), "sc_saved")


@router.post("/scenarier/{name:path}/klon")
def clone_scenario(
    request: Request, name: str, form: CheckedForm, user: PagePlanner, sessions: SessionsDep,
) -> Response:
    """Store a copy of the scenario under a new name (its YAML ``name`` changed to match)."""
    row = repository.get_scenario(sessions, name=name)
    new_name = text(form, "new_name").strip()
    try:
        _store_copy(request, row, row.yaml, new_name, f"scenario '{name}'",
                    row.description, user.id)
    except BassError as exc:
        refused = _refusal(exc, page_lang(request), new_name)
        return _detail(request, row, status=refused[0], kept={"clone_name": new_name},
                       error=refused[1])
    return _redirect(scenario_url(new_name), "sc_cloned")


@router.post("/scenarier/{name:path}/slet")
def delete_scenario(
    request: Request, name: str, form: CheckedForm, user: PagePlanner, sessions: SessionsDep
) -> Response:
    """Delete the scenario once the user has ticked the confirmation (and nobody changed it
    since it was read)."""
    row = repository.get_scenario(sessions, name=name)
    try:
        if text(form, "confirm") != "yes":
            raise InputError("delete form", "", "confirm", "tick the box to confirm")
        expected = _whole(form, "expected_version", "delete form")
        repository.delete_scenario(sessions, name=name, expected_version=expected,
                                   actor_id=user.id)
    except NotFound:
        raise
    except BassError as exc:
        refused = _refusal(exc, page_lang(request))
        return _detail(request, row, status=refused[0],
                       error=refused[1])
    return _redirect("/scenarier", "sc_deleted")


def _body(form: FormData, keys: tuple[str, ...]) -> dict[str, Any]:
    """The run form's filled-in fields (empty ones take the API's defaults)."""
    return {key: value for key in keys if (value := text(form, key).strip())}


@router.post("/scenarier/{name:path}/optimer")
def start_optimise(
    request: Request, name: str, form: CheckedForm, user: PagePlanner, sessions: SessionsDep,
) -> Response:
    """Start optimising the scenario (one specialty or all jointly) as a job."""
    row = repository.get_scenario(sessions, name=name)
    fields = _body(form, ("time_limit_seconds", "gap", "save_as"))
    kept = {"specialty": text(form, "specialty"), **fields}
    try:
        if kept["specialty"]:
            fields["specialties"] = [kept["specialty"]]
        try:
            body = OptimiseRun.model_validate(fields)
        except ValidationError as exc:
            raise validation_error("optimise form", exc) from None
        queue_optimise(row.name, body, user.id, sessions, get_regions(request),
                       get_jobs(request))
    except NotFound:
        raise
    except BassError as exc:
        refused = _refusal(exc, page_lang(request), fields.get("save_as", ""))
        return _detail(request, row, status=refused[0], kept=kept,
                       error=refused[1])
    return _redirect(scenario_url(name), "sc_job_started")


@router.post("/scenarier/{name:path}/simuler")
def start_simulate(
    request: Request, name: str, form: CheckedForm, user: PagePlanner, sessions: SessionsDep,
) -> Response:
    """Start simulating the scenario's year as a job."""
    row = repository.get_scenario(sessions, name=name)
    fields = _body(form, ("replications", "days", "seed"))
    try:
        try:
            body = SimulateRun.model_validate(fields)
        except ValidationError as exc:
            raise validation_error("simulate form", exc) from None
        queue_simulate(row.name, body, user.id, sessions, get_regions(request),
                       get_jobs(request))
    except NotFound:
        raise
    except BassError as exc:
        refused = _refusal(exc, page_lang(request))
        return _detail(request, row, status=refused[0], kept=fields,
                       error=refused[1])
    return _redirect(scenario_url(name), "sc_job_started")
