"""The heat-map's 'specialty as a whole' column: where no indicator of a perspective is
measured for the specialty as a whole (professional and staff sustainability are measured
per site), the column shows the specialty's weakest site in that perspective, so the column
is never an empty '–'. The one owner of this roll-up: the pages, the report and the CLI
read it from here."""

from __future__ import annotations

from collections.abc import Mapping

from bassplan.domain.vocabulary import Colour, Perspective
from bassplan.scorecard.score import worst_colour

Cell = tuple[str, str | None, Perspective]  # (specialty id, site id or None, perspective)


def weakest_sites(colours: Mapping[Cell, Colour]) -> dict[Cell, str]:
    """For every specialty-level cell with no colour of its own but scored sites: the site
    whose colour is the worst of the specialty's sites in that perspective (the first such
    site in the mapping's order)."""
    found: dict[Cell, str] = {}
    for (spec, site, p), colour in colours.items():
        if site is None or colour == Colour.NONE or (spec, None, p) in colours:
            continue
        key: Cell = (spec, None, p)
        held = found.get(key)
        if held is None or worst_colour((colours[(spec, held, p)], colour)) != colours[
                (spec, held, p)]:
            found[key] = site
    return found


def with_specialty_level(colours: Mapping[Cell, Colour]) -> dict[Cell, Colour]:
    """``colours`` with each empty specialty-level cell given its weakest site's colour."""
    filled = dict(colours)
    for key, site in weakest_sites(colours).items():
        filled[key] = colours[(key[0], site, key[2])]
    return filled
