"""Rich tables for the `bass` command: heat-map, headline, population responsibility."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from bassplan.domain.region import Region
from bassplan.domain.results import Evaluation, Explanation, Scorecard
from bassplan.domain.vocabulary import Colour, Perspective
from bassplan.i18n.words import Lang, label, pick, say
from bassplan.scorecard.score import heatmap
from bassplan.views.formatting import (
    format_change,
    format_number,
    format_share,
    local_name,
    short_site_name,
    site_short,
    unit_label,
)
from bassplan.views.heat import with_specialty_level
from bassplan.views.records import headlines
from bassplan.views.same_residents import SameResidents

if TYPE_CHECKING:
    from bassplan.views.councils import CouncilSpecialty
    from bassplan.views.responsibility import SpecialtyResponsibility

STYLE = {
    Colour.GREEN: "bold white on green4",
    Colour.YELLOW: "bold black on yellow3",
    Colour.RED: "bold white on red3",
    Colour.NONE: "dim",
}
LETTER = {Perspective.PROFESSIONAL: "F", Perspective.STAFF: "P", Perspective.ORGANISATIONAL: "O"}
SYMBOL = {Colour.GREEN: "✓", Colour.YELLOW: "!", Colour.RED: "✕", Colour.NONE: "·"}


def heatmap_table(evaluation: Evaluation, scorecard: Scorecard, lang: Lang) -> Table:
    """Specialty × site heat-map; each cell shows F, P, O (the three perspectives) coloured.
    Specialties are rows while the sites fit across; a region with more sites than
    specialties (Østdanmark's 17) gets sites as rows, so no name is cut to one letter."""
    cells = with_specialty_level(heatmap(scorecard))
    region = evaluation.region
    used = sorted({site for (_, site, _) in cells if site is not None}, key=region.site_index)
    legend = ", ".join(f"{SYMBOL[c]} {label(word, lang)}" for c, word in (
        (Colour.GREEN, "green"), (Colour.YELLOW, "yellow"), (Colour.RED, "red"),
        (Colour.NONE, "none")))
    title = (label("scorecard", lang) + " — F/P/O = "
             + ", ".join(label(p, lang) for p in Perspective) + " — " + legend)
    table = Table(title=title, title_justify="left")
    sites: list[tuple[str | None, str]] = [(site_id, short_site_name(region, site_id))
                                           for site_id in used]
    sites.append((None, label("specialty_level", lang)))
    specs = [(spec.id, local_name(spec, lang)) for spec in region.specialties]

    def cell(spec_id: str, site_id: str | None) -> Text:
        text = Text()
        for p in Perspective:
            colour = cells.get((spec_id, site_id, p), Colour.NONE)
            text.append(f"{LETTER[p]}{SYMBOL[colour]}", style=STYLE[colour])
            text.append(" ")
        return text

    if len(sites) <= len(specs) + 1:
        table.add_column(label("specialty", lang))
        for _, name in sites:
            table.add_column(name)
        for spec_id, spec_name in specs:
            table.add_row(spec_name, *(cell(spec_id, site_id) for site_id, _ in sites))
    else:
        table.add_column(label("site", lang))
        for _, spec_name in specs:
            table.add_column(spec_name)
        for site_id, site_name in sites:
            table.add_row(site_name, *(cell(spec_id, site_id) for spec_id, _ in specs))
    return table


def headline_table(evaluation: Evaluation, lang: Lang) -> Table:
    """Per specialty: demand, access, staff need and transport for the scenario year."""
    table = Table(title=f"{label('headline', lang)} {evaluation.year}", title_justify="left")
    for key in ("specialty", "first_visit", "follow_up", "p90_minutes", "within_45",
                "required_fte", "available_fte", "wisn", "patient_km", "co2_t"):
        table.add_column(label(key, lang), justify="left" if key == "specialty" else "right")
    for h in headlines(evaluation):
        wisn = Text(format_number(h.wisn_ratio, lang, 2))
        if not math.isnan(h.wisn_ratio):
            wisn.stylize("green" if h.wisn_ratio >= 1 else "red")
        table.add_row(
            local_name(h, lang),
            format_number(h.first_visits, lang),
            format_number(h.follow_ups, lang),
            format_number(h.p90_minutes, lang),
            format_share(h.share_within_45, lang),
            format_number(h.required_fte, lang, 1),
            format_number(h.available_fte, lang, 1),
            wisn,
            format_number(h.patient_km, lang),
            format_number(h.co2_tonnes, lang, 1),
        )
    return table


def _per_specialty_table(region: Region, lang: Lang, title: str, first: str, caption: str,
                         rows: Iterable[tuple[str, float, list[Text]]]) -> Table:
    """A table of places (municipalities, councils) with their residents and one coloured
    cell per specialty: the frame the responsibility and council tables share."""
    table = Table(title=label(title, lang), title_justify="left")
    table.add_column(label(first, lang))
    table.add_column(label("residents", lang), justify="right")
    for spec in region.specialties:
        table.add_column(local_name(spec, lang)[:12])
    for name, residents, cells in rows:
        table.add_row(name, format_number(residents, lang), *cells)
    table.caption = label(caption, lang)
    return table


def responsibility_table(evaluation: Evaluation, lang: Lang) -> Table:
    """Population responsibility: who serves each municipality per specialty, how far."""
    from bassplan.views.responsibility import population_responsibility

    names = {site.id: site_short(site, 14) for site in evaluation.region.sites}

    def cell(entry: SpecialtyResponsibility) -> Text:
        mark = "*" if entry.visit_site_id != entry.site_id else ""
        short = (f" −{format_number(entry.unserved_visits, lang)}"
                 if entry.unserved_visits > 0.5 else "")
        text = Text(f"{names[entry.visit_site_id]}{mark} {entry.minutes:.0f}′{short}")
        text.stylize("green" if entry.within_45 and not short else "red")
        return text

    rows = ((row.area_name, row.residents, [cell(e) for e in row.specialties])
            for row in population_responsibility(evaluation))
    return _per_specialty_table(evaluation.region, lang, "population_responsibility",
                                "municipality", "responsibility_caption", rows)


def council_table(evaluation: Evaluation, lang: Lang) -> Table | None:
    """Per sundhedsråd and specialty: outpatient contacts a year, mean travel minutes and
    share within 45 minutes, and the team that answers for most of its residents; None
    when the region has no councils."""
    from bassplan.views.councils import council_rows

    councils = council_rows(evaluation)
    if not councils:
        return None
    names = {site.id: site_short(site, 14) for site in evaluation.region.sites}

    def cell(entry: CouncilSpecialty) -> Text:
        site, share = entry.team_sites[0]
        text = Text(f"{format_number(entry.outpatient_contacts, lang)} · {entry.minutes:.0f}′ "
                    f"{format_share(entry.share_within_45, lang)} · {names[site]} "
                    f"{format_share(share, lang)}")
        text.stylize("green" if entry.share_within_45 >= 0.999 else "red")
        return text

    rows = ((row.council, row.residents, [cell(e) for e in row.specialties]) for row in councils)
    return _per_specialty_table(evaluation.region, lang, "council_responsibility", "council",
                                "council_caption", rows)


def comparison_table(
    names: Sequence[str], evaluations: Sequence[Evaluation], lang: Lang
) -> Table:
    """Side-by-side headline of two scenarios, with the change from the first to the second."""
    a_rows, b_rows = headlines(evaluations[0]), headlines(evaluations[1])
    table = Table(title=f"{names[0]}  →  {names[1]}", title_justify="left")
    table.add_column(label("specialty", lang))
    for key in ("p90_minutes", "within_45", "wisn", "patient_km"):
        table.add_column(label(key, lang), justify="right")
    for a, b in zip(a_rows, b_rows, strict=True):
        table.add_row(
            local_name(a, lang),
            f"{format_number(a.p90_minutes, lang)} → {format_number(b.p90_minutes, lang)}",
            f"{format_share(a.share_within_45, lang)} → {format_share(b.share_within_45, lang)}",
            f"{format_number(a.wisn_ratio, lang, 2)} → "
            f"{format_number(b.wisn_ratio, lang, 2)}",
            f"{format_number(a.patient_km, lang)} → {format_number(b.patient_km, lang)}",
        )
    return table


def explanation_table(explanation: Explanation, lang: Lang) -> Table:
    """The steps that lead from the inputs to one indicator value."""
    site = f" @ {explanation.site_id}" if explanation.site_id else ""
    where = explanation.specialty_id + site
    value = format_number(explanation.value, lang, 3)
    title = f"{explanation.indicator_id} — {where} = {value}"
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column(label("explain_step", lang))
    table.add_column(label("value", lang), justify="right")
    table.add_column("")
    table.add_column("")
    for k, step in enumerate(explanation.steps, start=1):
        table.add_row(str(k), say(step.label, lang), format_number(step.value, lang, 3),
                      unit_label(step.unit, lang),
                      say(step.detail, lang) if step.detail else "")
    colour = Text(str(explanation.colour), style=STYLE[explanation.colour])
    table.add_row("", label("colour", lang), colour, "", "")
    return table


TRANSPORT_COLUMNS = (  # (label key, SpecialtyHeadline field, decimals)
    ("patient_hours", "patient_hours", 0),
    ("transport_dkk", "transport_dkk", 0),
    ("dialysis_sessions", "dialysis_sessions", 0),
    ("dialysis_km", "dialysis_km", 0),
    ("co2_t", "co2_tonnes", 1),
    ("saved_hours_digital", "saved_hours_digital", 0),
    ("saved_dkk_digital", "saved_dkk_digital", 0),
    ("saved_km_pro", "saved_km_pro", 0),
    ("saved_hours_pro", "saved_hours_pro", 0),
    ("saved_dkk_pro", "saved_dkk_pro", 0),
)


def transport_table(evaluation: Evaluation, lang: Lang) -> Table:
    """Per specialty: patients' travel hours and the region's transport cost, dialysis
    trips, CO2, and what video contacts and PRO follow-up save."""
    table = Table(title=label("patient_transport", lang), title_justify="left")
    table.add_column(label("specialty", lang))
    for key, _, _ in TRANSPORT_COLUMNS:
        table.add_column(label(key, lang), justify="right")
    for h in headlines(evaluation):
        table.add_row(local_name(h, lang),
                      *(format_number(getattr(h, field), lang, d)
                        for _, field, d in TRANSPORT_COLUMNS))
    return table


def transport_comparison_table(names: Sequence[str], evaluations: Sequence[Evaluation],
                               lang: Lang) -> Table:
    """Transport of two scenarios side by side: first → second per specialty."""
    pairs = zip(headlines(evaluations[0]), headlines(evaluations[1]), strict=True)
    table = Table(title=f"{label('patient_transport', lang)}: {names[0]}  →  {names[1]}",
                  title_justify="left")
    table.add_column(label("specialty", lang))
    shown = TRANSPORT_COLUMNS[:2] + TRANSPORT_COLUMNS[4:5]
    for key, _, _ in shown:
        table.add_column(label(key, lang), justify="right")
    for a, b in pairs:
        table.add_row(local_name(a, lang), *(
            f"{format_number(getattr(a, f), lang, d)} → {format_number(getattr(b, f), lang, d)}"
            for _, f, d in shown))
    return table


SAME_RESIDENTS_COLUMNS = (  # (label key, ResidentsHeadline field, decimals; < 0: a share)
    ("residents", "residents", 0),
    ("mean_minutes", "mean_minutes", 1),
    ("p90_minutes", "p90_minutes", 0),
    ("within_45", "share_within_45", -1),
    ("fte_at_sites", "available_fte", 1),
    ("area_specialists_per_100k", "fca_per_100k", 2),
)


def same_residents_table(view: SameResidents, regions: Sequence[str], lang: Lang) -> Table:
    """Per specialty, the first region's figures → the second's over the same
    municipalities (``views.same_residents``), with the change."""
    title = label("same_residents", lang).format(count=len(view.area_codes), first=regions[0],
                                                 second=regions[1])
    table = Table(title=title, title_justify="left")
    table.add_column(label("specialty", lang))
    for key, _, _ in SAME_RESIDENTS_COLUMNS:
        table.add_column(label(key, lang), justify="right")
    for a, b in zip(view.first, view.second, strict=True):
        table.add_row(pick(a.name_da, a.name_en, lang), *(
            format_change(getattr(a, field), getattr(b, field), decimals, lang)
            for _, field, decimals in SAME_RESIDENTS_COLUMNS))
    return table
