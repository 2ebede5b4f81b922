"""Tests of the report's number and name formatting; expected strings written out by hand."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from bassplan.domain.region import Specialty
from bassplan.domain.results import IndicatorDef
from bassplan.domain.vocabulary import Direction, Perspective
from bassplan.i18n.labels import label
from bassplan.report import html as report
from bassplan.report.sections import ROLE_LABEL_KEYS
from bassplan.views.formatting import (
    format_change,
    format_figure,
    format_number,
    format_share,
    format_value,
    indicator_name,
    local_name,
    site_name,
    specialty_name,
)
from tests.support.toy import toy_region

FLAG = "1 = yes / 0 = no"  # the unit of yes/no indicators in the catalogue


@pytest.mark.parametrize(
    ("value", "decimals", "sign", "da", "en"),
    [
        (0.0, 0, False, "0", "0"),
        (999.4, 0, False, "999", "999"),
        (1234.5678, 2, False, "1.234,57", "1,234.57"),
        (-1234567.0, 0, False, "-1.234.567", "-1,234,567"),
        (12.25, 1, True, "+12,2", "+12.2"),  # 12.25 is exact in binary: rounds half to even
        (-0.75, 2, True, "-0,75", "-0.75"),
        (0.0, 1, True, "+0,0", "+0.0"),
    ],
)
def test_format_number(value: float, decimals: int, sign: bool, da: str, en: str) -> None:
    assert format_number(value, "da", decimals, sign) == da
    assert format_number(value, "en", decimals, sign) == en


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_missing_numbers_show_a_dash(value: float) -> None:
    assert format_number(value, "da", 2) == "–"
    assert format_share(value, "en", sign=True) == "–"
    assert format_value(value, "minutes", "da") == "–"
    assert format_figure(value, -1, "da") == "–"


def test_format_share_rounds_to_whole_percent() -> None:
    assert format_share(0.0, "da") == "0 %"
    assert format_share(1.0, "en") == "100%"
    assert format_share(0.126, "da") == "13 %"
    assert format_share(12.3456, "da") == "1.235 %"  # a share above 1 still gets separators
    assert format_share(-0.05, "en", sign=True) == "-5%"
    assert format_share(0.05, "da", sign=True) == "+5 %"


@pytest.mark.parametrize(
    ("value", "unit", "da", "en"),
    [
        (0.104, "share", "10 %", "10%"),
        (1.0, FLAG, "ja", "yes"),
        (0.0, FLAG, "nej", "no"),
        (0.5, FLAG, "ja", "yes"),  # the flag is yes from one half up
        (0.49, FLAG, "nej", "no"),
        (0.8, "ratio", "0,80", "0.80"),  # below 10: two decimals, a ratio has no unit
        (9.999, "", "10,00", "10.00"),  # decimals chosen before rounding
        (10.0, "minutes", "10,0 min", "10.0 minutes"),  # 10 to 100: one decimal
        (-45.67, "minutes", "-45,7 min", "-45.7 minutes"),
        (100.0, "DKK", "100 kr.", "100 DKK"),  # 100 and above: no decimals
        (2345.5, "contacts/FTE", "2.346 contacts/FTE", "2,346 contacts/FTE"),  # unknown: as is
        (2345.5, "contacts/FTE/year", "2.346 kontakter pr. årsværk pr. år",
         "2,346 contacts/FTE/year"),
        (770.4, "DKK/contact", "770 kr. pr. kontakt", "770 DKK/contact"),
        (15.6, "N in 1-in-N", "15,6 (N i vagtlag 1-i-N)", "15.6 (N in a 1-in-N rota)"),
    ],
)
def test_format_value_by_unit(value: float, unit: str, da: str, en: str) -> None:
    assert format_value(value, unit, "da") == da
    assert format_value(value, unit, "en") == en


def test_format_figure_is_a_number_or_a_share() -> None:
    assert format_figure(1234.56, 1, "da") == "1.234,6"
    assert format_figure(0.8, 2, "en") == "0.80"
    assert format_figure(0.854, -1, "da") == "85 %"


def test_format_change_shows_both_values_and_the_change() -> None:
    # 75 → 80 minutes: +5
    assert format_change(75.0, 80.0, 0, "da") == "75 → 80 (+5)"
    # 6.5 → 5.25 FTE with one decimal: 5.25 and −1.25 are exact in binary, round half to even
    assert format_change(6.5, 5.25, 1, "en") == "6.5 → 5.2 (-1.2)"
    # shares: 60 % → 73 %, a change of 13 percentage points
    assert format_change(0.6, 0.73, -1, "da") == "60 % → 73 % (+13 pct.-point)"
    assert format_change(0.9, 0.85, -1, "en") == "90% → 85% (-5 pp)"
    # a specialty missing in the baseline: no before value and no change
    assert format_change(math.nan, 3.0, 1, "da") == "– → 3,0 (–)"


def test_names_in_the_report_language() -> None:
    spec = Specialty("reumatologi", "Reumatologi", "Rheumatology", 2.0)
    region = toy_region(specialties=(Specialty("kard", "Kardiologi", "Cardiology", 3.0), spec))
    assert local_name(spec, "da") == "Reumatologi" and local_name(spec, "en") == "Rheumatology"
    assert specialty_name(region, "kard", "en") == "Cardiology"
    assert site_name(region, "s1", "da") == "Sygehus Vest"  # site names are not translated
    assert site_name(region, None, "da") == "Speciale samlet"
    assert site_name(region, None, "en") == "Specialty as a whole"
    ind = IndicatorDef(
        "wisn_ratio",
        Perspective.STAFF,
        "WISN-ratio",
        "WISN ratio",
        "ratio",
        Direction.HIGHER_IS_BETTER,
        1.0,
        0.85,
        "site",
        "available / required",
    )
    assert indicator_name(ind, "da") == "WISN-ratio" and indicator_name(ind, "en") == "WISN ratio"


def test_every_report_word_has_a_danish_and_an_english_label() -> None:
    """The template's ``L.<key>`` words and the map's site roles are all in bassplan.i18n.labels
    (``label`` hands an unknown key back unchanged, which would show the key itself)."""
    template = "".join(path.read_text(encoding="utf-8")
                       for path in sorted(Path(report.TEMPLATES).glob("*.html")))
    used = set(re.findall(r"\bL\.(\w+)", template))
    assert used == set(report.TEMPLATE_LABELS)
    for key in [*report.TEMPLATE_LABELS, *ROLE_LABEL_KEYS.values()]:
        assert label(key, "da") != key  # no Danish label equals its key
        assert label(key, "en")
    assert label(ROLE_LABEL_KEYS["acute"], "da") == "Akutsygehus"
    assert label(ROLE_LABEL_KEYS["other"], "en") == "Other site"


def test_site_short_names_are_the_regions_own_else_initials() -> None:
    """sites.csv's short_name as a Danish planner writes it; a site without one is shortened
    by initials until it fits."""
    from dataclasses import replace

    from bassplan.data import load_region
    from bassplan.views.formatting import site_short

    region = load_region()
    shorts = {s.id: site_short(s) for s in region.sites}
    assert [shorts[x] for x in ("suh_koege", "holbaek", "suh_nykobing_f", "nakskov", "faxe")] == [
        "SUH Køge", "Holbæk", "SUH Nykøbing F.", "Sundhedshus Nakskov", "Sundhedscenter Faxe"]
    koege = region.sites[region.site_index("suh_koege")]
    assert site_short(replace(koege, short_name="")) == "SU Køge"  # 'S'+'U' initials + Køge


def test_every_bundled_site_has_a_short_name_and_a_danish_former_name() -> None:
    """Both bundled regions give every site a short name (none derived by initials), and a
    former name the data notes in English reads '(tidl. …)' on a Danish page."""
    from bassplan.data import load_region
    from bassplan.views.formatting import site_name

    sjaelland, oest = load_region(), load_region("oestdanmark")
    assert all(s.short_name for s in (*sjaelland.sites, *oest.sites))
    assert {s.short_name for s in oest.sites} >= {"Rigshospitalet", "RH Glostrup", "Bornholm"}
    assert site_name(sjaelland, "suh_roskilde", "da") == (
        "Sjællands Universitetshospital Roskilde (tidl. Roskilde Sygehus)")
    assert site_name(sjaelland, "suh_roskilde", "en") == (
        "Sjællands Universitetshospital Roskilde (formerly Roskilde Sygehus)")
    assert site_name(oest, "rh_glostrup", "da") == (
        "Rigshospitalet Glostrup (tidl. Glostrup Hospital)")
    assert site_name(sjaelland, "holbaek", "da") == "Holbæk Sygehus"
