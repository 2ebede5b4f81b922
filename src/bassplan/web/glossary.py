"""The glossary (Ordliste): the terms the pages use, each explained in the word store
(``gl_<term>`` and ``gl_<term>_text``), and the short help a key figure shows beside it,
found by the figure's label."""

from __future__ import annotations

from functools import cache

from bassplan.domain.vocabulary import Modality
from bassplan.i18n.words import Lang, label, say
from bassplan.simulate.settings import SimulationSettings

TERMS = ("p90", "rejsetid", "andel-45", "wisn", "fte", "2sfca", "perspektiver", "minimumsteam",
         "bagvagt", "vagtlag", "styrkeposition", "udgaaende", "pro", "patient-km", "co2",
         "gini", "fremskrivning", "udgangspunkt", "p5-p95", "ventetid-loft", "mip-gab")

FIGURE_TERMS = {  # a key figure's label key → the term that explains it
    "p90_minutes": "p90", "mean_minutes": "rejsetid", "within_45": "andel-45",
    "wisn": "wisn", "required_fte": "fte", "available_fte": "fte",
    "patient_km": "patient-km", "staff_km": "patient-km", "co2_t": "co2",
    "co2_saved_t": "co2", "residents_path": "fremskrivning", "follow_ups_avoided": "pro",
    "pro_answers": "pro", "area_specialists_per_100k": "2sfca",
    str(Modality.STRENGTH_POSITION): "styrkeposition", str(Modality.OUTREACH): "udgaaende",
}


def _key(term: str) -> str:
    return "gl_" + term.replace("-", "_")


def term_name(term: str, lang: Lang) -> str:
    """The term as the glossary heads it."""
    return label(_key(term), lang)


def term_text(term: str, lang: Lang) -> str:
    """The term's explanation (numbers it names, like the simulation's longest tracked wait,
    come from their owner)."""
    cap = SimulationSettings().max_wait_days
    return say(_key(term) + "_text", lang, cap=cap, last=cap - 1)


def glossary(lang: Lang) -> list[tuple[str, str, str]]:
    """(anchor, term, explanation) of every term, in the glossary's order."""
    return [(term, term_name(term, lang), term_text(term, lang)) for term in TERMS]


@cache
def _by_label(lang: Lang) -> dict[str, str]:
    return {label(key, lang): term for key, term in FIGURE_TERMS.items()}


def help_for(figure_label: str, lang: Lang) -> tuple[str, str, str] | None:
    """(anchor, term, explanation) of the term that explains a key figure shown under
    ``figure_label``; None when no term does."""
    term = _by_label(lang).get(figure_label)
    return None if term is None else (term, term_name(term, lang), term_text(term, lang))
