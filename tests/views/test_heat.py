"""The heat-map's specialty-level column: the weakest site where the perspective has no
specialty-level indicator, the specialty's own colour where it has one."""

from __future__ import annotations

from bassplan.domain.vocabulary import Colour, Perspective
from bassplan.views.heat import Cell, weakest_sites, with_specialty_level

PRO, STAFF, ORG = Perspective.PROFESSIONAL, Perspective.STAFF, Perspective.ORGANISATIONAL


def test_the_weakest_site_fills_an_empty_specialty_level_cell() -> None:
    colours: dict[Cell, Colour] = {
        ("kardio", "a", PRO): Colour.GREEN, ("kardio", "b", PRO): Colour.RED,
        ("kardio", "c", PRO): Colour.RED,  # as bad as b: the first one found stays
        ("kardio", "a", STAFF): Colour.YELLOW, ("kardio", "b", STAFF): Colour.NONE,
        ("kardio", "a", ORG): Colour.RED, ("kardio", None, ORG): Colour.GREEN,  # its own colour
        ("lunge", "a", PRO): Colour.NONE,  # no scored site: stays empty
    }
    assert weakest_sites(colours) == {("kardio", None, PRO): "b", ("kardio", None, STAFF): "a"}
    filled = with_specialty_level(colours)
    assert filled[("kardio", None, PRO)] == Colour.RED
    assert filled[("kardio", None, STAFF)] == Colour.YELLOW
    assert filled[("kardio", None, ORG)] == Colour.GREEN  # not the red site
    assert ("lunge", None, PRO) not in filled
    assert len(filled) == len(colours) + 2
