"""Illustrative inputs are named in the reader's language, not by their file or key names."""

from __future__ import annotations

import pytest

from bassplan.data import load_region
from bassplan.i18n.words import Lang
from bassplan.views.records import illustrative_labels, illustrative_lists


@pytest.mark.parametrize("region_id", ["sjaelland", "oestdanmark"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_illustrative_input_has_a_name_in_both_languages(region_id: str, lang: Lang) -> None:
    region = load_region(region_id)
    tables, params = illustrative_lists(region)
    table_names, param_names = illustrative_labels(region, lang)
    assert len(table_names) == len(tables) and len(param_names) == len(params)
    assert params, "the bundled regions do hold illustrative parameters"
    for key, name in zip(tables + params, table_names + param_names, strict=True):
        assert name != key and "_" not in name, (key, name)


def test_danish_and_english_names_differ_for_the_parameters() -> None:
    region = load_region("sjaelland")
    da = illustrative_labels(region, "da")[1]
    en = illustrative_labels(region, "en")[1]
    assert "Gennemsnitsfart på vej (km/t)" in da and "Mean road speed (km/h)" in en
