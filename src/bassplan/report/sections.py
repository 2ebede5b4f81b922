"""The sections of the HTML report as display-ready text: one dataclass per section part and
its builder (headline tables, heat-map, indicator rows, maps, population responsibility,
comparison). Figures come from ``views.records`` and ``views.responsibility``, not
recomputed."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bassplan.domain.region import Region, Site
from bassplan.domain.results import Evaluation, Score, Scorecard
from bassplan.domain.vocabulary import CONTACT_TYPES, Colour, Direction, Modality, Perspective
from bassplan.figures.choropleth import SiteMark, choropleth_svg
from bassplan.i18n.labels import Lang, label
from bassplan.i18n.population import describe_path
from bassplan.i18n.words import say
from bassplan.scorecard.score import worst_colour
from bassplan.views.area_values import inset_areas
from bassplan.views.formatting import (
    format_change,
    format_figure,
    format_number,
    format_share,
    format_value,
    indicator_name,
    local_name,
    short_site_name,
    site_name,
    site_short,
    specialty_name,
)
from bassplan.views.heat import weakest_sites
from bassplan.views.records import SpecialtyHeadline, headlines, residents_by_band

if TYPE_CHECKING:
    from bassplan.scorecard.score import ColourChange
    from bassplan.views.responsibility import ResponsibilityRow

HeatmapColours = Mapping[tuple[str, str | None, Perspective], Colour]
LETTERS: Mapping[Lang, Mapping[Perspective, str]] = {
    "da": {Perspective.PROFESSIONAL: "F", Perspective.STAFF: "P", Perspective.ORGANISATIONAL: "O"},
    "en": {Perspective.PROFESSIONAL: "P", Perspective.STAFF: "S", Perspective.ORGANISATIONAL: "O"},
}
SYMBOL = {Colour.GREEN: "✓", Colour.YELLOW: "!", Colour.RED: "✕", Colour.NONE: "–"}
ROLE_LABEL_KEYS = {  # map role (bassplan.figures.choropleth) → its key in bassplan.i18n.labels
    "strength_position": Modality.STRENGTH_POSITION,
    "outreach": Modality.OUTREACH,
    "acute": "acute_site",
    "other": "other_site",
    "no_data": "no_data",
}


@dataclass(frozen=True)
class Table:
    """A display-ready table: header, rows of text, and which columns are numbers."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


@dataclass(frozen=True)
class HeatCell:
    """One heat-map cell: colour name (a ``Colour`` value), a symbol, a tooltip, and which
    specialty, site ('' for the specialty level) and worst indicator it shows."""

    colour: str
    symbol: str
    tooltip: str
    specialty_id: str = ""
    site_id: str = ""
    indicator_id: str = ""


@dataclass(frozen=True)
class Heatmap:
    """Specialty rows × column groups (sites, then the specialty level) × perspectives."""

    groups: tuple[str, ...]
    letters: tuple[str, ...]
    legend: tuple[str, ...]  # 'F = Faglig bæredygtighed', …
    rows: tuple[tuple[str, tuple[HeatCell, ...]], ...]  # (specialty, cells group-major)


@dataclass(frozen=True)
class IndicatorRow:
    """One score of the indicator table, formatted."""

    perspective: str
    indicator: str
    specialty: str
    site: str
    value: str
    thresholds: str
    colour: str
    colour_label: str
    perspective_id: str = ""  # the ids the Scorecard page filters and groups by
    indicator_id: str = ""
    specialty_id: str = ""
    site_id: str = ""  # "" for the specialty as a whole


@dataclass(frozen=True)
class MapPanel:
    """One pre-rendered map with its tab title and caption."""

    title: str
    caption: str
    svg: str


@dataclass(frozen=True)
class RespCell:
    """One area × specialty cell of the population-responsibility table."""

    text: str
    tooltip: str
    far: bool


@dataclass(frozen=True)
class Comparison:
    """The baseline against the scenario: per-specialty changes and indicators that changed."""

    baseline_name: str
    table: Table
    changed: tuple[tuple[str, str, str, str, str, str, str], ...]  # ind, spec, site, a, ca, b, cb

    @property
    def scored(self) -> tuple[tuple[str, str, str, str, str, str, str], ...]:
        """The changes between two scored colours (not a team that appears or vanishes)."""
        none = str(Colour.NONE)
        return tuple(c for c in self.changed if none not in (c[4], c[6]))

    @property
    def team_moves(self) -> tuple[int, int]:
        """(values that vanish, values that appear) where a team moves between sites."""
        none = str(Colour.NONE)
        return (sum(1 for c in self.changed if c[6] == none),
                sum(1 for c in self.changed if c[4] == none))


def heatmap_table(
    scorecard: Scorecard, colours: HeatmapColours, region: Region, lang: Lang
) -> Heatmap:
    """Lay the heat-map out: one cell per specialty × (each site with a score, then the
    specialty level) × perspective; the tooltip names the cell's worst indicator."""
    scored = {sc.site_id for sc in scorecard.scores} | {k[1] for k in colours}
    sites = [s.id for s in region.sites if s.id in scored]
    defs = {ind.id: ind for ind in scorecard.indicators}
    worst: dict[tuple[str, str | None, Perspective], tuple[Colour, str, str]] = {}
    for sc in scorecard.scores:  # the first of the most severe scores of each cell
        ind = defs[sc.indicator_id]
        key = (sc.specialty_id, sc.site_id, ind.perspective)
        if key not in worst or worst_colour((worst[key][0], sc.colour)) != worst[key][0]:
            shown = f"{indicator_name(ind, lang)} = {format_value(sc.value, ind.unit, lang)}"
            worst[key] = (sc.colour, shown, sc.indicator_id)
    weakest = weakest_sites(colours)
    rows = []
    for spec in region.specialties:
        spec_name = local_name(spec, lang)
        cells = []
        for site_id in [*sites, None]:
            for p in Perspective:
                place = f"{spec_name} · {site_name(region, site_id, lang)} · {label(p, lang)}"
                from_site = weakest.get((spec.id, site_id, p))  # specialty level, per site
                source = site_id if from_site is None else from_site
                colour = Colour(colours.get((spec.id, source, p), Colour.NONE))
                tip = f"{place}: {label(colour, lang)}"
                if from_site is not None:
                    tip += " — " + say("heat_weakest_site", lang,
                                       site=site_name(region, from_site, lang))
                indicator_id = ""
                if (spec.id, source, p) in worst:
                    _, shown, indicator_id = worst[(spec.id, source, p)]
                    tip += f" — {label('worst', lang)}: {shown}"
                cells.append(HeatCell(colour.value, SYMBOL[colour], tip, spec.id,
                                      source or "", indicator_id))
        rows.append((spec_name, tuple(cells)))
    letters = LETTERS[lang]
    return Heatmap(
        groups=tuple(
            label("specialty_level", lang) if s is None else short_site_name(region, s)
            for s in [*sites, None]
        ),
        letters=tuple(letters[p] for p in Perspective),
        legend=tuple(f"{letters[p]} = {label(p, lang)}" for p in Perspective),
        rows=tuple(rows),
    )


def indicator_rows(scorecard: Scorecard, region: Region, lang: Lang) -> tuple[IndicatorRow, ...]:
    """Every score in catalogue order, then specialty and site order."""
    order = {ind.id: k for k, ind in enumerate(scorecard.indicators)}
    defs = {ind.id: ind for ind in scorecard.indicators}

    def key(sc: Score) -> tuple[int, int, int]:
        site = -1 if sc.site_id is None else region.site_index(sc.site_id)
        return order[sc.indicator_id], region.specialty_index(sc.specialty_id), site

    rows = []
    for sc in sorted(scorecard.scores, key=key):
        if math.isnan(sc.value):
            continue  # a cell without a team: the heat-map shows it grey
        ind = defs[sc.indicator_id]
        op_green, op_red = ("≥", "<") if ind.direction == Direction.HIGHER_IS_BETTER else ("≤", ">")
        limits = (
            f"{label(Colour.GREEN, lang)} {op_green} {format_number(ind.green, lang, 2)}, "
            f"{label(Colour.RED, lang)} {op_red} {format_number(ind.red, lang, 2)}"
        )
        rows.append(
            IndicatorRow(
                perspective=label(ind.perspective, lang),
                indicator=indicator_name(ind, lang),
                specialty=specialty_name(region, sc.specialty_id, lang),
                site=site_name(region, sc.site_id, lang),
                value=format_value(sc.value, ind.unit, lang),
                thresholds=limits,
                colour=sc.colour.value,
                colour_label=label(sc.colour, lang),
                perspective_id=str(ind.perspective),
                indicator_id=ind.id,
                specialty_id=sc.specialty_id,
                site_id=sc.site_id or "",
            )
        )
    return tuple(rows)


def site_role(site: Site, head: SpecialtyHeadline) -> str | None:
    """The map role of a site for one specialty, or None for an inactive site without
    outreach (strength positions and outreach sites as bassplan.views.records lists them)."""
    if site.id in head.strength_positions:
        return "strength_position"
    if site.id in head.outreach_sites:
        return "outreach"
    if not site.active:
        return None
    return "acute" if site.acute else "other"


def map_panels(
    evaluation: Evaluation, heads: Sequence[SpecialtyHeadline], lang: Lang
) -> tuple[MapPanel, ...]:
    """One travel-time map per specialty (``heads`` in the region's specialty order) on a
    shared scale (class width a multiple of 5 min)."""
    region = evaluation.region
    if not region.area_shapes:
        return ()
    minutes = evaluation.access.area_minutes
    finite = minutes[np.isfinite(minutes)]
    top = float(finite.max()) if finite.size else 0.0
    vmax = max(math.ceil(top / 35.0), 1) * 35.0  # 7 classes of whole 5-minute steps
    names = {a.code: a.name for a in region.areas}
    role_labels = {role: label(key, lang) for role, key in ROLE_LABEL_KEYS.items()}
    panels = []
    for s, head in enumerate(heads):
        spec_name = local_name(head, lang)
        marks = [
            SiteMark(site_short(site), site.lat, site.lon, role)
            for site in region.sites
            if (role := site_role(site, head)) is not None
        ]
        values = {a.code: float(minutes[s, i]) for i, a in enumerate(region.areas)}
        title = f"{spec_name}: {label('map_title', lang)}"
        svg = choropleth_svg(
            region.area_shapes,
            values,
            marks,
            title=title,
            unit=label("minutes_unit", lang),
            names=names,
            lower_is_better=True,
            value_range=(0.0, vmax),
            role_labels=role_labels,
            lang=lang,
            inset=inset_areas(region),
        )
        caption = (
            f"{label('p90_minutes', lang)}: {format_number(head.p90_minutes, lang)} · "
            f"{label('mean_minutes', lang)}: {format_number(head.mean_minutes, lang)} · "
            f"{label('within_45', lang)}: {format_share(head.share_within_45, lang)}"
        )
        panels.append(MapPanel(spec_name, caption, svg))
    return tuple(panels)


_PER_SPECIALTY = (  # (label key, SpecialtyHeadline field, decimals; -1 = share as percent)
    ("p90_minutes", "p90_minutes", 0),
    ("mean_minutes", "mean_minutes", 0),
    ("within_45", "share_within_45", -1),
    ("required_fte", "required_fte", 1),
    ("available_fte", "available_fte", 1),
    ("wisn", "wisn_ratio", 2),
    ("patient_km", "patient_km", 0),
    ("staff_km", "staff_km", 0),
    ("co2_t", "co2_tonnes", 1),
    ("saved_digital_km", "saved_km_digital", 0),
    ("saved_outreach_km", "saved_km_outreach", 0),
    ("dialysis_sessions", "dialysis_sessions", 0),
    ("patient_hours", "patient_hours", 0),
    ("transport_dkk", "transport_dkk", 0),
    ("saved_hours_digital", "saved_hours_digital", 0),
    ("saved_co2_digital_t", "saved_co2_tonnes_digital", 1),
    ("saved_dkk_digital", "saved_dkk_digital", 0),
    ("saved_km_pro", "saved_km_pro", 0),
    ("saved_hours_pro", "saved_hours_pro", 0),
    ("saved_co2_pro_t", "saved_co2_tonnes_pro", 1),
    ("saved_dkk_pro", "saved_dkk_pro", 0),
)


def population_line(evaluation: Evaluation, lang: Lang) -> str:
    """One sentence saying where the residents come from (a projection, a file's year), shown
    under the key figures: it is a source, not a figure."""
    return f"{label('residents_path', lang)}: {describe_path(evaluation.population.path, lang)}"


def headline_tables(
    evaluation: Evaluation, heads: Sequence[SpecialtyHeadline], lang: Lang
) -> tuple[tuple[tuple[str, str], ...], tuple[Table, Table], Table]:
    """Return (region figures, (contacts by type, by modality), per specialty) for the
    overview; the region figures are sums of the specialties' ``heads``."""
    n = format_number
    saved_co2 = sum(h.saved_co2_tonnes_digital + h.saved_co2_tonnes_pro
                    + h.saved_co2_tonnes_outreach for h in heads)
    figures = [
        (label("residents", lang), n(float(evaluation.residents.sum()), lang)),
        (label("residents_80plus", lang), n(residents_by_band(evaluation)["80+"], lang)),
        (label("required_fte", lang), n(sum(h.required_fte for h in heads), lang, 1)),
        (label("available_fte", lang), n(sum(h.available_fte for h in heads), lang, 1)),
        (label("patient_km", lang), n(sum(h.patient_km for h in heads), lang)),
        (label("staff_km", lang), n(sum(h.staff_km for h in heads), lang)),
        (label("co2_t", lang), n(sum(h.co2_tonnes for h in heads), lang, 1)),
        (label("saved_digital_km", lang), n(sum(h.saved_km_digital for h in heads), lang)),
        (label("saved_outreach_km", lang), n(sum(h.saved_km_outreach for h in heads), lang)),
        (label("co2_saved_t", lang), n(saved_co2, lang, 1)),
        (label("patient_hours", lang), n(sum(h.patient_hours for h in heads), lang)),
        (label("transport_dkk", lang), n(sum(h.transport_dkk for h in heads), lang)),
        (label("dialysis_sessions", lang), n(sum(h.dialysis_sessions for h in heads), lang)),
        (label("follow_ups_avoided", lang), n(sum(h.follow_ups_avoided for h in heads), lang)),
        (label("pro_answers", lang), n(float(evaluation.allocation.pro_answers.sum()), lang)),
    ]
    by_type = evaluation.demand.sum(axis=(0, 1))  # (C,) contacts/year
    by_modality = evaluation.allocation.contacts.sum(axis=(0, 1, 2))  # (M,) contacts/year
    contacts = tuple(
        Table(
            (label(title, lang), ""),
            tuple((label(k, lang), n(float(v), lang)) for k, v in zip(keys, sums, strict=True)),
            (False, True),
        )
        for title, keys, sums in (
            ("contacts_by_type", CONTACT_TYPES, by_type),
            ("outpatient_by_modality", tuple(Modality), by_modality),
        )
    )
    per_spec = Table(
        (label("specialty", lang), *(label(k, lang) for k, _, _ in _PER_SPECIALTY)),
        tuple(
            (
                local_name(h, lang),
                *(format_figure(getattr(h, f), d, lang) for _, f, d in _PER_SPECIALTY),
            )
            for h in heads
        ),
        (False, *[True] * len(_PER_SPECIALTY)),
    )
    return tuple(figures), (contacts[0], contacts[1]), per_spec


def responsibility_rows(
    rows: Sequence[ResponsibilityRow], region: Region, lang: Lang
) -> tuple[tuple[str, ...], tuple[tuple[str, str, str, tuple[RespCell, ...]], ...]]:
    """Return (columns, rows): per area its residents, admitting site and, per specialty,
    where residents are seen in person with the minutes (tooltip: team and modality shares)."""
    columns = (
        label("municipality", lang),
        label("residents", lang),
        label("admitted_at", lang),
        *(local_name(s, lang) for s in region.specialties),
    )
    out = []
    for row in rows:
        cells = []
        for entry in row.specialties:
            visit = short_site_name(region, entry.visit_site_id)
            tip = (
                f"{label('team', lang)}: {site_name(region, entry.site_id, lang)} · "
                f"{label(Modality.STRENGTH_POSITION, lang)} "
                f"{format_share(entry.share_strength_position, lang)}, "
                f"{label(Modality.OUTREACH, lang)} {format_share(entry.share_outreach, lang)}, "
                f"{label(Modality.DIGITAL, lang)} {format_share(entry.share_digital, lang)}"
            )
            minutes = format_number(entry.minutes, lang)
            cells.append(RespCell(f"{visit} ({minutes} min)", tip, not entry.within_45))
        out.append(
            (
                row.area_name,
                format_number(row.residents, lang),
                short_site_name(region, row.admitting_site_id),
                tuple(cells),
            )
        )
    return columns, tuple(out)


def council_table_rows(
    evaluation: Evaluation, lang: Lang
) -> tuple[tuple[str, ...], tuple[tuple[str, str, tuple[RespCell, ...]], ...]]:
    """Return (columns, rows) of the sundhedsråd level (``views.councils``): per council its
    residents and, per specialty, outpatient contacts a year, mean minutes and share within
    45 minutes (tooltip: the teams that answer for its residents); empty without councils."""
    from bassplan.views.councils import council_rows

    rows = council_rows(evaluation)
    if not rows:
        return (), ()
    region = evaluation.region
    columns = (label("council", lang), label("residents", lang),
               *(local_name(s, lang) for s in region.specialties))
    out = []
    for row in rows:
        cells = []
        for entry in row.specialties:
            teams = ", ".join(f"{short_site_name(region, site)} "
                              f"{format_share(share, lang)}" for site, share in entry.team_sites)
            text = (f"{format_number(entry.outpatient_contacts, lang)} · "
                    f"{format_number(entry.minutes, lang)} min · "
                    f"{format_share(entry.share_within_45, lang)}")
            cells.append(RespCell(text, f"{label('team', lang)}: {teams}",
                                  entry.share_within_45 < 0.999))
        out.append((row.council, format_number(row.residents, lang), tuple(cells)))
    return columns, tuple(out)


_COMPARED = tuple(  # the per-specialty figures compared with the baseline
    f
    for f in _PER_SPECIALTY
    if f[0] not in {"mean_minutes", "wisn", "saved_digital_km", "saved_outreach_km"}
)


def comparison_section(
    baseline: Evaluation,
    evaluation: Evaluation,
    heads: Sequence[SpecialtyHeadline],
    changes: Sequence[ColourChange],
    scorecard: Scorecard,
    lang: Lang,
) -> Comparison:
    """Side by side per specialty ('baseline → scenario (change)', ``heads`` being the
    scenario's headlines; nan where the baseline lacks the specialty) and changed colours."""
    before = {h.specialty_id: h for h in headlines(baseline)}
    rows = []
    for h in heads:
        old = before.get(h.specialty_id)
        cells = [local_name(h, lang)]
        for _, field, dec in _COMPARED:
            a = float(getattr(old, field)) if old is not None else math.nan
            cells.append(format_change(a, float(getattr(h, field)), dec, lang))
        rows.append(tuple(cells))
    table = Table(
        (label("specialty", lang), *(label(k, lang) for k, _, _ in _COMPARED)),
        tuple(rows),
        (False, *[True] * len(_COMPARED)),
    )
    defs = {ind.id: ind for ind in scorecard.indicators}
    changed = []
    for c in changes:
        ind = defs.get(c.indicator_id)
        unit = ind.unit if ind else ""
        changed.append(
            (
                indicator_name(ind, lang) if ind else c.indicator_id,
                specialty_name(evaluation.region, c.specialty_id, lang),
                site_name(evaluation.region, c.site_id, lang),
                format_value(c.value_a, unit, lang),
                c.colour_a.value,
                format_value(c.value_b, unit, lang),
                c.colour_b.value,
            )
        )
    return Comparison(baseline.scenario_name, table, tuple(changed))
