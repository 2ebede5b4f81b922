"""The bundle's care tables: days per admission by site, local morbidity, dialysis units,
the car fleet's CO2 by year and the acute sites' catchments — each row with its source or
the illustrative label."""

from __future__ import annotations

from collections.abc import Sequence

from bassplan.data.bundle.tables import Cells
from bassplan.data.csvread import Table
from bassplan.data.derive.sourcefacts import Fact, SourceFile

# the activity source names a hospital by its scope; the bundle's site ids for them
ACTIVITY_SITES = {"Køge/Roskilde": "suh_koege", "Nykøbing F.": "suh_nykobing_f"}
LOLLAND_FALSTER = ("360", "376")  # Lolland, Guldborgsund: the Lolland-Falster Health Study
NEW_DIALYSIS_UNIT_STATIONS = 12  # illustrative: the sources name no station count
CAR_LIFETIME_YEARS = 16.0  # illustrative: a Danish car is renewed about every 16 years
STOCK_EV_SHARE_2021 = 0.03  # illustrative: electric cars in the Danish car stock, 2021
NEW_EV_SHARE_ALL_BY = 2035  # illustrative: new cars all electric (EU rule for new cars)
FLEET_YEARS = range(2021, 2051)


def _row(values: dict[str, str], illustrative: bool, source: str) -> Cells:
    return {**values, "illustrative": "yes" if illustrative else "no", "source": source}


def stay_rows(activity: SourceFile, acute_sites: Sequence[str]) -> list[Cells]:
    """length_of_stay.csv: the 2023 average stay of the sites the activity figures name;
    the other acute sites the admissions-weighted mean of those (illustrative); geriatrics
    the geriatric departments' national stay at every acute site."""
    rows: list[Cells] = []
    known: dict[str, tuple[Fact, Fact]] = {}
    for scope, site in ACTIVITY_SITES.items():
        stay = activity.fact(site_scope=scope, measure="average length of stay", period="2023")
        admissions = activity.fact(site_scope=scope, measure="admissions", period="2023")
        known[site] = (stay, admissions)
    weight = sum(a.value for _, a in known.values())
    mean = sum(s.value * a.value for s, a in known.values()) / weight
    cites = ", ".join(f"{s.cite} × {a.cite}" for s, a in known.values())
    geri = activity.fact(form="midpoint", period="2013",
                         measure="average length of stay, geriatric departments")
    for site in acute_sites:
        if site in known:
            stay = known[site][0]
            rows.append(_row({"site_id": site, "specialty_id": "*",
                              "days_per_admission": f"{stay.value:g}"}, False,
                             f"{stay.cite} (all specialties, 2023)"))
        else:
            rows.append(_row({"site_id": site, "specialty_id": "*",
                              "days_per_admission": f"{mean:.3g}"}, True,
                             f"illustrative: no 2023 figure for this site; the admissions-"
                             f"weighted mean of {cites}"))
        rows.append(_row({"site_id": site, "specialty_id": "geriatri",
                          "days_per_admission": f"{geri.value:g}"}, False,
                         f"{geri.cite} (geriatric departments, Denmark, 2013)"))
    return rows


def morbidity_rows(epi: SourceFile) -> list[Cells]:
    """morbidity.csv: nephrology in Lolland and Guldborgsund × the Lolland-Falster Health
    Study's kidney-disease prevalence over the national laboratory-based prevalence."""
    local = epi.fact(condition="chronic kidney disease (albuminuria, eGFR<60 or NPR diagnosis)",
                     measure="prevalence")
    national = epi.fact(condition="chronic kidney disease (laboratory-confirmed)",
                        measure="prevalence", population_setting="Denmark")
    ratio = local.value / national.value
    source = (f"{local.cite} ({local.value:g} %, Lolland-Falster Health Study 2016-2020) / "
              f"{national.cite} ({national.value:g} %, Denmark 2019-2023, same definition "
              "family: eGFR and albuminuria); not age-standardised, so part of the gap is "
              "the older population the age rates already count — illustrative as a multiplier")
    return [_row({"area_code": code, "specialty_id": "nefrologi",
                  "multiplier": f"{ratio:.4f}"}, True, source) for code in LOLLAND_FALSTER]


def dialysis_unit_rows(found: SourceFile) -> list[Cells]:
    """dialysis_units.csv: the region's haemodialysis units and their stations."""
    def stations(setting: str) -> Fact:
        return found.fact(item="dialysis stations", setting=setting)

    rows = []
    for site, setting in (("holbaek", "Holbæk Sygehus"), ("slagelse", "Slagelse Sygehus"),
                          ("suh_roskilde", "SUH Roskilde")):
        fact = stations(setting)
        rows.append(_row({"site_id": site, "stations": f"{fact.value:g}"}, False,
                         f"{fact.cite} (2021)"))
    nyk, added = stations("SUH Nykøbing F."), found.fact(item="dialysis stations added")
    rows.append(_row({"site_id": "suh_nykobing_f", "stations": f"{nyk.value + added.value:g}"},
                     False, f"{nyk.cite} + {added.cite} (2021-2022)"))
    for site, setting in (("suh_koege", "SUH Køge"),
                          ("naestved", "Næstved Sygehus (satellite of Holbæk's nephrology "
                                       "department)")):
        fact = found.fact(item="dialysis unit opened", setting=setting)
        rows.append(_row({"site_id": site, "stations": str(NEW_DIALYSIS_UNIT_STATIONS)}, True,
                         f"{fact.cite}: the unit exists; illustrative: stations not stated"))
    return rows


def fleet_rows(transport: SourceFile) -> list[Cells]:
    """fleet_co2.csv: the car fleet's g CO2/km by year, a stock of fuel cars (141 g/km) and
    electric cars (27 g/km) whose electric share follows the new-car share (20.8 % in 2022,
    30.8 % in 2023, then linearly to all new cars in 2035) at one car in 16 renewed a year."""
    fuel = transport.fact(item="CO2 emission factor",
                          vehicle_or_setting="fuel (petrol/diesel) car, mixed driving")
    electric = transport.fact(item="CO2 emission factor",
                              vehicle_or_setting="electric car, mixed driving")
    new_2022 = transport.fact(item="average CO2 of newly registered cars, WLTP", period="2022")
    share_2023 = transport.fact(item="share of electric cars among new registrations")
    share_2022 = 20.8  # the same page as new_2022: 'electric cars 20.8% of sales in 2022'
    new_share = {2022: share_2022 / 100, 2023: share_2023.value / 100}
    stock, rows = STOCK_EV_SHARE_2021, []
    for year in FLEET_YEARS:
        g = fuel.value * (1.0 - stock) + electric.value * stock
        rows.append(_row({"year": str(year), "g_co2_per_km": f"{g:.1f}"}, True,
                         f"{fuel.cite} (fuel car), {electric.cite} (electric car); new-car "
                         f"electric share {new_2022.cite} (2022), {share_2023.cite} (2023); "
                         f"illustrative: {STOCK_EV_SHARE_2021:.0%} of the 2021 stock electric, "
                         f"all new cars electric by {NEW_EV_SHARE_ALL_BY}, one car in "
                         f"{CAR_LIFETIME_YEARS:g} renewed a year"))
        last = new_share[2023]
        share = new_share.get(year, new_share[2022] if year < 2022 else min(
            1.0, last + (1.0 - last) * (year - 2023) / (NEW_EV_SHARE_ALL_BY - 2023)))
        stock += (share - stock) / CAR_LIFETIME_YEARS
    return rows


# each acute site's optageområde (municipality codes): Nykøbing F.'s is stated by the source;
# the others are inferred from geography, the hospital organisations and the planned
# catchment populations (illustrative)
CATCHMENTS: dict[str, tuple[str, ...]] = {
    "suh_nykobing_f": ("360", "376", "390"),  # Lolland, Guldborgsund, Vordingborg
    "holbaek": ("316", "326", "306", "350"),  # Holbæk, Kalundborg, Odsherred, Lejre
    "slagelse": ("330", "340", "370", "329"),  # Slagelse, Sorø, Næstved, Ringsted
    "suh_koege": ("259", "253", "265", "269", "336", "320"),  # Køge, Greve, Roskilde,
    #                                                     Solrød, Stevns, Faxe
}
STATED_CATCHMENT = "suh_nykobing_f"  # the hospitals file names its three municipalities


def catchment_rows(hospitals: Table, found: SourceFile, residents: dict[str, int]
                   ) -> list[Cells]:
    """catchments.csv: the acute site that admits each municipality's residents, with the
    planned catchment population it is checked against."""
    planned = {r.cells["site_id"].strip(): r for r in hospitals.rows}
    kalundborg = found.fact(item="medical outpatient clinic staffed from Holbæk")
    roskilde = found.fact(item="acute medical admissions moved to Holbæk")
    rows: list[Cells] = []
    for site, codes in CATCHMENTS.items():
        row = planned[site]
        people = sum(residents[c] for c in codes)
        plan = (f"{people:,} residents (2021) in this catchment against the planned ~"
                f"{hospitals.number(row, 'planned_catchment_population'):,.0f} "
                f"(region_sjaelland_hospitals.csv row {row.number})")
        for code in codes:
            if site == STATED_CATCHMENT:
                rows.append(_row({"area_code": code, "site_id": site}, False,
                                 f"region_sjaelland_hospitals.csv row {row.number}: catchment "
                                 "= Lolland, Guldborgsund and Vordingborg kommuner "
                                 "(komsydpaa.dk)"))
                continue
            why = "inferred from geography and the hospital organisations"
            if code == "326":
                why = (f"Kalundborg's own hospital closed in 2012 and its medical clinic is "
                       f"staffed from Holbæk ({kalundborg.cite})")
            elif code == "265":
                why = (f"SUH Roskilde's acute patients go to SUH Køge; part of them to Holbæk "
                       f"since 2016 ({roskilde.cite}, share not stated), all counted at Køge")
            rows.append(_row({"area_code": code, "site_id": site}, True,
                             f"illustrative: {why}; {plan}"))
    return rows
