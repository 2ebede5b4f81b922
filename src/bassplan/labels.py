"""Danish and English labels for everything a user reads (CLI, report, dashboard)."""

from __future__ import annotations

from typing import Literal

from bassplan.domain import ContactType, Modality, Perspective

Lang = Literal["da", "en"]

_LABELS: dict[str, tuple[str, str]] = {
    # perspectives
    Perspective.PROFESSIONAL: ("Faglig bæredygtighed", "Professional sustainability"),
    Perspective.STAFF: ("Personalemæssig bæredygtighed", "Staff sustainability"),
    Perspective.ORGANISATIONAL: ("Organisatorisk bæredygtighed", "Organisational sustainability"),
    # contact types
    ContactType.ADMISSION: ("Indlæggelser", "Admissions"),
    ContactType.BED_DAY: ("Sengedage", "Bed days"),
    ContactType.FIRST_VISIT: ("Førstegangsbesøg", "First visits"),
    ContactType.FOLLOW_UP: ("Opfølgninger", "Follow-up visits"),
    ContactType.CONSULT: ("Tilsyn", "Consults"),
    # modalities
    Modality.STRENGTH_POSITION: ("Styrkeposition", "Strength position"),
    Modality.OUTREACH: ("Udgående funktion", "Outreach clinic"),
    Modality.DIGITAL: ("Digital kontakt", "Digital contact"),
    # headings and words
    "scorecard": ("Scorecard", "Scorecard"),
    "overview": ("Oversigt", "Overview"),
    "population_responsibility": ("Populationsansvar", "Population responsibility"),
    "municipality": ("Kommune", "Municipality"),
    "residents": ("Borgere", "Residents"),
    "specialty": ("Speciale", "Specialty"),
    "site": ("Matrikel", "Site"),
    "region": ("Regionen", "Region"),
    "acute_site": ("Akutsygehus", "Acute hospital"),
    "illustrative": ("Illustrative input", "Illustrative inputs"),
    "illustrative_note": (
        "Følgende input er illustrative standardværdier, ikke offentlige tal — erstat dem "
        "med egne data:",
        "These inputs are illustrative defaults, not public figures — replace them with "
        "your own data:",
    ),
    "p90_minutes": ("P90 rejsetid (min)", "P90 travel (min)"),
    "mean_minutes": ("Gns. rejsetid (min)", "Mean travel (min)"),
    "within_45": ("Andel ≤ 45 min", "Share ≤ 45 min"),
    "required_fte": ("Behov (FTE)", "Required (FTE)"),
    "available_fte": ("Til rådighed (FTE)", "Available (FTE)"),
    "wisn": ("WISN-ratio", "WISN ratio"),
    "patient_km": ("Patient-km/år", "Patient km/yr"),
    "staff_km": ("Personale-km/år", "Staff km/yr"),
    "co2_t": ("CO2 (t/år)", "CO2 (t/yr)"),
    "saved_digital_km": ("Sparet ved digitale kontakter (km)", "Saved by digital (km)"),
    "saved_outreach_km": ("Sparet ved udgående funktion (km)", "Saved by outreach (km)"),
    "follow_ups_avoided": ("Undgåede opfølgninger", "Follow-ups avoided"),
    "headline": ("Nøgletal", "Headline figures"),
    "changed_colour": ("Indikatorer der skifter farve", "Indicators that changed colour"),
    "value": ("Værdi", "Value"),
    "indicator": ("Indikator", "Indicator"),
    "perspective": ("Perspektiv", "Perspective"),
    "colour": ("Farve", "Colour"),
    "delta": ("Ændring", "Change"),
    "no_changes": ("Ingen indikatorer skifter farve.", "No indicator changed colour."),
}


def label(key: str, lang: Lang = "da") -> str:
    """Return the label of a key in Danish (default) or English; unknown keys come back as is."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "da" else pair[1]
