"""Danish and English labels for everything a user reads (CLI, report, dashboard).

One dictionary for every interface, so a word is translated once. Keys are plain strings
or the domain's string enums (a ``Modality`` or ``Colour`` member is its own value).
"""

from __future__ import annotations

from typing import Literal

from bassplan.domain import Colour, ContactType, Modality, Perspective

Lang = Literal["da", "en"]

_LABELS: dict[str, tuple[str, str]] = {
    # perspectives
    Perspective.PROFESSIONAL: ("Faglig bæredygtighed", "Professional sustainability"),
    Perspective.STAFF: ("Personalemæssig bæredygtighed", "Staff sustainability"),
    Perspective.ORGANISATIONAL: ("Organisatorisk bæredygtighed", "Organisational sustainability"),
    # traffic-light colours, as words
    Colour.GREEN: ("grøn", "green"),
    Colour.YELLOW: ("gul", "yellow"),
    Colour.RED: ("rød", "red"),
    Colour.NONE: ("ingen data", "no data"),
    # contact types
    ContactType.ADMISSION: ("Indlæggelser", "Admissions"),
    ContactType.BED_DAY: ("Sengedage", "Bed days"),
    ContactType.FIRST_VISIT: ("Førstegangsbesøg", "First visits"),
    ContactType.FOLLOW_UP: ("Opfølgninger", "Follow-up visits"),
    ContactType.CONSULT: ("Tilsyn", "Consults"),
    # modalities (the first two are also site roles on the maps)
    Modality.STRENGTH_POSITION: ("Styrkeposition", "Strength position"),
    Modality.OUTREACH: ("Udgående funktion", "Outreach clinic"),
    Modality.DIGITAL: ("Digital kontakt", "Digital contact"),
    # other site roles and map words
    "acute_site": ("Akutsygehus", "Acute hospital"),
    "other_site": ("Andet sygehus", "Other site"),
    "no_data": ("Ingen data", "No data"),
    "minutes_unit": ("min", "min"),
    "map_title": ("Rejsetid til ambulant fremmøde", "Travel time to in-person outpatient care"),
    # headings and sections
    "report": ("BASS-rapport", "BASS report"),
    "overview": ("Oversigt", "Overview"),
    "headline": ("Nøgletal", "Headline figures"),
    "per_specialty": ("Pr. speciale", "Per specialty"),
    "scorecard": ("Scorecard", "Scorecard"),
    "indicators": ("Indikatorer", "Indicators"),
    "maps": ("Kort", "Maps"),
    "population_responsibility": ("Populationsansvar", "Population responsibility"),
    "comparison": ("Sammenligning", "Comparison"),
    "changed_colour": ("Indikatorer der skifter farve", "Indicators that changed colour"),
    "contacts_by_type": ("Kontakter pr. år efter type", "Contacts per year by type"),
    "outpatient_by_modality": (
        "Ambulante kontakter pr. år efter form",
        "Outpatient contacts per year by modality",
    ),
    # nouns: places, people, scenarios
    "region": ("Regionen", "Region"),
    "municipality": ("Kommune", "Municipality"),
    "residents": ("Borgere", "Residents"),
    "specialty": ("Speciale", "Specialty"),
    "specialty_level": ("Speciale samlet", "Specialty as a whole"),
    "site": ("Matrikel", "Site"),
    "team": ("Team", "Team"),
    "admitted_at": ("Indlægges på", "Admitted at"),
    "scenario": ("Scenarie", "Scenario"),
    "baseline": ("Udgangspunkt", "Baseline"),
    "year": ("År", "Year"),
    "total": ("I alt", "Total"),
    # scorecard words
    "indicator": ("Indikator", "Indicator"),
    "perspective": ("Perspektiv", "Perspective"),
    "value": ("Værdi", "Value"),
    "colour": ("Farve", "Colour"),
    "thresholds": ("Grænser", "Thresholds"),
    "worst": ("Værste indikator", "Worst indicator"),
    "delta": ("Ændring", "Change"),
    "points": ("pct.-point", "pp"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    # headline figures (unit in the label)
    "p90_minutes": ("P90 rejsetid (min)", "P90 travel (min)"),
    "mean_minutes": ("Gns. rejsetid (min)", "Mean travel (min)"),
    "within_45": ("Andel ≤ 45 min", "Share ≤ 45 min"),
    "required_fte": ("Behov (FTE)", "Required (FTE)"),
    "available_fte": ("Til rådighed (FTE)", "Available (FTE)"),
    "wisn": ("WISN-ratio", "WISN ratio"),
    "patient_km": ("Patient-km/år", "Patient km/yr"),
    "staff_km": ("Personale-km/år", "Staff km/yr"),
    "co2_t": ("CO2 (t/år)", "CO2 (t/yr)"),
    "co2_saved_t": ("Sparet CO2 (t/år)", "CO2 saved (t/yr)"),
    "saved_digital_km": ("Sparet ved digitale kontakter (km)", "Saved by digital (km)"),
    "saved_outreach_km": ("Sparet ved udgående funktion (km)", "Saved by outreach (km)"),
    "follow_ups_avoided": ("Undgåede opfølgninger", "Follow-ups avoided"),
    "pro_answers": ("PRO-besvarelser gennemgået", "PRO answers reviewed"),
    # dashboard: navigation and common words
    "app_title": ("BASS – bæredygtige akutsygehuse og specialer",
                  "BASS – sustainable acute hospitals and specialties"),
    "nav_overview": ("Oversigt", "Overview"),
    "nav_scorecard": ("Scorecard", "Scorecard"),
    "nav_scenarios": ("Scenarier", "Scenarios"),
    "nav_program": ("Program", "Programme"),
    "nav_data": ("Data", "Data"),
    "nav_audit": ("Revisionsspor", "Audit trail"),
    "nav_users": ("Brugere", "Users"),
    "login": ("Log ind", "Log in"),
    "logout": ("Log ud", "Log out"),
    "username": ("Brugernavn", "Username"),
    "password": ("Adgangskode", "Password"),
    "login_failed": ("Forkert brugernavn eller adgangskode.", "Wrong username or password."),
    "login_limited": ("For mange forkerte forsøg; prøv igen om et minut.",
                      "Too many failed attempts; try again in a minute."),
    "logged_in_as": ("Logget ind som", "Logged in as"),
    "language_other": ("English", "Dansk"),
    "role_viewer": ("læser", "viewer"),
    "role_planner": ("planlægger", "planner"),
    "role_program": ("programleder", "programme lead"),
    "role_admin": ("administrator", "administrator"),
    "show": ("Vis", "Show"),
    "save": ("Gem", "Save"),
    "cancel": ("Annullér", "Cancel"),
    "delete": ("Slet", "Delete"),
    "name": ("Navn", "Name"),
    "description": ("Beskrivelse", "Description"),
    "no_scenarios": ("Der er ingen scenarier endnu — opret et under Scenarier.",
                     "There are no scenarios yet — create one under Scenarios."),
    "error": ("Fejl", "Error"),
    "forbidden": ("Din rolle må ikke gøre dette.", "Your role may not do this."),
    "not_found": ("Findes ikke.", "Not found."),
    "csrf_failed": ("Formularen er udløbet; genindlæs siden og prøv igen.",
                    "The form has expired; reload the page and try again."),
    "back": ("Tilbage", "Back"),
    # dashboard: overview map
    "map_indicator": ("Farv kommuner efter", "Colour municipalities by"),
    "site_roles": ("Matrikler efter rolle", "Sites by role"),
    "area_travel_minutes": ("Rejsetid til ambulant fremmøde (min)",
                            "Travel time to in-person outpatient care (min)"),
    "area_specialists_per_100k": ("Speciallæger pr. 100.000 borgere (2SFCA)",
                                  "Specialists per 100,000 residents (2SFCA)"),
    "area_digital_share": ("Andel digitale ambulante kontakter (%)",
                           "Share of digital outpatient contacts (%)"),
    "area_contacts_per_1000": ("Indlæggelser og ambulante besøg pr. 1.000 borgere",
                               "Admissions and outpatient visits per 1,000 residents"),
    # dashboard: scorecard
    "explain_title": ("Sådan er værdien beregnet", "How the value was computed"),
    "explain_hint": ("Klik på en celle for at se, hvordan værdien er beregnet.",
                     "Click a cell to see how its value was computed."),
    # illustrative inputs
    "illustrative": ("Illustrative input", "Illustrative inputs"),
    "illustrative_note": (
        "Følgende input er illustrative standardværdier, ikke offentlige tal — erstat dem "
        "med egne data:",
        "These inputs are illustrative defaults, not public figures — replace them with "
        "your own data:",
    ),
    "illustrative_tables": ("Inputtabeller", "Input tables"),
    "illustrative_parameters": ("Parametre", "Parameters"),
    "nothing_illustrative": (
        "Ingen input er markeret som illustrative.",
        "No input is marked as illustrative.",
    ),
    # sentences: notes, captions and footer
    "no_changes": ("Ingen indikatorer skifter farve.", "No indicator changed colour."),
    "no_shapes": (
        "Regionens data har ingen kommunegrænser; kortene er udeladt.",
        "The region's data has no area shapes; maps are left out.",
    ),
    "map_caption": (
        "Minutter fra kommunens befolkningspunkt til stedet, hvor borgerne ses ambulant "
        "(styrkeposition eller udgående funktion). Samme farveskala på alle kort.",
        "Minutes from each area's population point to where its residents are seen in person "
        "(strength position or outreach clinic). All maps share one colour scale.",
    ),
    "resp_caption": (
        "Hvor borgerne ses ambulant i hvert speciale og rejsetiden dertil; felter over 45 "
        "minutter er markeret.",
        "Where residents are seen in person in each specialty and the travel time; cells above "
        "45 minutes are marked.",
    ),
    "comparison_note": (
        "Hver celle viser udgangspunkt → scenarie (ændring).",
        "Each cell shows baseline → scenario (change).",
    ),
    "footer": (
        "Lavet med bassplan. Tal fra illustrative input er ikke offentlige tal.",
        "Made with bassplan. Figures built on illustrative inputs are not public figures.",
    ),
}


def label(key: str, lang: Lang = "da") -> str:
    """Return the label of a key in Danish (default) or English; unknown keys come back as is."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "da" else pair[1]
