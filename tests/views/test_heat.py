"""The heat-map's specialty-level column: the weakest site where the perspective has no
specialty-level indicator, the specialty's own colour where it has one."""

from __future__ import annotations

from bassplan.domain.vocabulary import Colour, Perspective
from bassplan.views.heat import Cell, weakest_sites, with_specialty_level

F, P, O = Perspective.PROFESSIONAL, Perspective.STAFF, Perspective.ORGANISATIONAL


def test_the_weakest_site_fills_an_empty_specialty_level_cell() -> None:
    colours: dict[Cell, Colour] = {
        ("kardio", "a", F): Colour.GREEN, ("kardio", "b", F): Colour.RED,
        ("kardio", "c", F): Colour.RED,  # as bad as b: the first one found stays
        ("kardio", "a", P): Colour.YELLOW, ("kardio", "b", P): Colour.NONE,
        ("kardio", "a", O): Colour.RED, ("kardio", None, O): Colour.GREEN,  # its own colour
        ("lunge", "a", F): Colour.NONE,  # no scored site: stays empty
    }
    assert weakest_sites(colours) == {("kardio", None, F): "b", ("kardio", None, P): "a"}
    filled = with_specialty_level(colours)
    assert filled[("kardio", None, F)] == Colour.RED
    assert filled[("kardio", None, P)] == Colour.YELLOW
    assert filled[("kardio", None, O)] == Colour.GREEN  # not the red site
    assert ("lunge", None, F) not in filled
    assert len(filled) == len(colours) + 2
