"""Say in words which path produced a year's residents (register, cohort model, official
projection), in Danish or English."""

from __future__ import annotations

from bassplan.domain.demography import PopulationPath, path_phrase
from bassplan.i18n.words import Lang, say


def describe_path(path: PopulationPath, lang: Lang = "da") -> str:
    """One line naming the path of a year's residents in ``lang`` (see ``path_phrase``)."""
    return say(path_phrase(path), lang)
