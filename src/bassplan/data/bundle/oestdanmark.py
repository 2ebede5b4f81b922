"""Build the bundled Region Østdanmark (Region Sjælland + Region Hovedstaden from 2027)
from the shared public data, reproducibly, in the same shape as Region Sjælland.

Run: ``python -m bassplan.data.bundle.oestdanmark SHARED_DIR OUT_DIR``. The 46
municipalities, their 2021 single ages and 2021/2023 totals, both former regions' sites and
hospital organisations, the sites that hold each specialty (the evidence table's status in
every row: documented, general statement, or Region Sjælland's acute-site default, the last
two illustrative), the sundhedsråd, the FRKM126 projection, catchments and the Bornholm
ferries. Rates, workload minutes and parameters are Region Sjælland's (the same derivation
from national sources); staffing is illustrative as there.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import yaml

from bassplan.data import care_tables as care_tables_mod
from bassplan.data import network_tables
from bassplan.data.bundle import build as base
from bassplan.data.bundle import care, tables
from bassplan.data.bundle.tables import Cells
from bassplan.data.csvread import Row, Table, read_table
from bassplan.data.derive.dialysis import FOUND_FILE
from bassplan.data.derive.rates import SOURCE_FILES, derive, write_rates
from bassplan.data.derive.sourcefacts import SourceFile
from bassplan.model.travel import great_circle_km

MUNICIPALITIES = "denmark_region_oestdanmark_municipalities.csv"
RS_HOSPITALS = base.HOSPITALS
RS_ORGANISATIONS = base.ORGANISATIONS
RH_POPULATION = "region_hovedstaden_population_by_age_2021.csv"
RH_HOSPITALS = "region_hovedstaden_hospitals.csv"
RH_EVIDENCE = "region_hovedstaden_hospital_specialties.csv"
COUNCILS = base.COUNCILS
SHAPES = "dk_kommuner_dagi2014.geojson"
REGION_NAME = "Region Østdanmark"
COPIED = tuple(dict.fromkeys((
    *base.COPIED, MUNICIPALITIES, RH_POPULATION, RH_HOSPITALS, RH_EVIDENCE,
)))
RS_REGION_ORG = "region_sjaelland"
RS_REGION_ORG_NAME = "Tidl. Region Sjælland (sundheds- og akuthuse, kommunale sundhedscentre)"
RH_ORG_IDS: dict[str, str] = {  # hospital_organisation in the RH file -> organisation id
    "Rigshospitalet": "rigshospitalet",
    "Herlev og Gentofte Hospital": "herlev_gentofte",
    "Amager og Hvidovre Hospital": "amager_hvidovre",
    "Bispebjerg og Frederiksberg Hospital": "bispebjerg_frederiksberg",
    "Nordsjællands Hospital": "nordsjaelland",
    "Bornholms Hospital": "bornholm",
}
HELD = {"documented": False, "general statement only": True}  # status -> illustrative
# the 2019 proposal's akutsygehus (sundhedsråd file) -> site id, for Region Hovedstaden's areas
PROPOSAL_SITES: dict[str, str] = {
    "Bispebjerg Hospital": "bispebjerg",
    "Herlev Hospital": "herlev",
    "Hvidovre Hospital": "hvidovre",
    "Nordsjællands Hospital – Hillerød": "noh_hilleroed",
    "Bornholms Hospital": "bornholm",
}
RH_SHORT_NAMES = {  # site id -> the name a Danish planner writes in a column head or map label
    "rh_blegdamsvej": "Rigshospitalet", "rh_glostrup": "RH Glostrup", "herlev": "Herlev",
    "gentofte": "Gentofte", "hvidovre": "Hvidovre", "amager": "Amager", "bispebjerg": "Bispebjerg",
    "frederiksberg": "Frederiksberg", "noh_hilleroed": "NOH Hillerød",
    "noh_frederikssund": "NOH Frederikssund", "noh_helsingoer": "Sundhedshus Helsingør",
    "bornholm": "Bornholm",
}
COORD_NOTES = {
    "site": "site point (Wikipedia infobox)",
    "address": "address point (third-party)",
    "approximate": "approximate point (third-party, unverified)",
    "town": "town centre, not the hospital site",
}
# Bornholm's ferries: harbour points are approximate (illustrative); sailing times sourced
RONNE = (55.0985, 14.6935)  # Rønne ferry harbour
FERRIES: tuple[tuple[str, str, tuple[float, float], float, float, str], ...] = (
    ("ronne_ystad", "400", (55.4287, 13.8236), 90.0, 30.0,
     "sailing 80 min (sn.dk 2020-03-16, 'Bornholmslinjen står klar med ekstrafærge fra Køge') "
     "plus 10 min since the Rønne harbour extension (transportnyhederne.dk 2025-01-20, "
     "'Sejltider for hurtigfærger til Rønne bør ændres'); onward by road from Ystad over the "
     "Øresund bridge (great circle × detour); illustrative: 30 min check-in, harbour points "
     "approximate, km = the sea route's great-circle distance"),
    ("ronne_koege", "400", (55.4560, 12.1960), 330.0, 30.0,
     "sailing five and a half hours (sn.dk 2020-03-16, 'Bornholmslinjen står klar med "
     "ekstrafærge fra Køge'); illustrative: 30 min check-in, harbour points approximate, "
     "km = the sea route's great-circle distance"),
)
DIALYSIS_STATIONS = care.NEW_DIALYSIS_UNIT_STATIONS  # illustrative stations per new unit
TABLE_SOURCES: dict[str, str] = {
    **base.TABLE_SOURCES,
    "areas": "denmark_region_oestdanmark_municipalities.csv (46 kommuner); centroids of the "
    "DAGI 2014 polygons",
    "population_by_age": "Danmarks Statistik FOLK1A, 1 January 2021, both former regions' "
    "single-age files; ages 100+ added to age 100",
    "area_totals": "FOLK1A 2021 (summed) and 2023 (Wikipedia/kommuneguiden; Ishøj derived), "
    "denmark_region_oestdanmark_municipalities.csv",
    "sites": "region_sjaelland_hospitals.csv and region_hovedstaden_hospitals.csv; acute = a "
    "verified emergency department; coordinates partly town centres",
    "organisations": "region_sjaelland_organisations.csv and the hospital_organisation "
    "column of region_hovedstaden_hospitals.csv, plus the former Region Sjælland's own "
    "group of non-hospital sites",
    "offers": "region_hovedstaden_hospital_specialties.csv (documented: sourced; general "
    "statement only: illustrative; not found in sources read: not held); the former "
    "Region Sjælland's four acute hospitals for every specialty (illustrative, its default)",
    "staffing": "illustrative: specialists per 100,000 in Denmark (2000/2001, "
    "specialists_denmark.csv) × the residents nearest each site that holds the specialty",
    "rates": "Region Sjælland's derivation reused (bassplan.data.derive.rates, sources/): "
    "national sources scaled to Region Sjælland's 152 admissions per 1,000 (2021)",
    "length_of_stay": "SUH's 2023 key figures (hospital_activity_region_sjaelland.csv); "
    "every other acute site illustrative; geriatrics the national geriatric stay (2013)",
    "dialysis_units": "the former Region Sjælland's units (found_facts.csv); illustrative "
    "units at the former Region Hovedstaden's sites that hold nephrology",
    "official_projection": "Danmarks Statistik FRKM126 (2026 vintage), the 46 "
    "municipalities, 2026-2040, seven age bands "
    "(region_oestdanmark_population_projection_2026_2040.csv)",
    "catchments": "former Region Sjælland as bundled there; former Region Hovedstaden: the "
    "akutsygehus of the 2019 sundhedsfællesskab proposal (sundhedsraad_kommuner_denmark_"
    "2026.csv, Berlingske 2019-01-16)",
    "crossings": "Bornholm's ferries Rønne-Ystad and Rønne-Køge: sailing times sn.dk 2020 "
    "and transportnyhederne.dk 2025; check-in and harbour points illustrative",
}


def _rows(table: Table, **equal: str) -> list[Row]:
    return [r for r in table.rows if all(table.text(r, k) == v for k, v in equal.items())]


def site_rows(rs: list[Cells], rh: Table) -> list[Cells]:
    """sites.csv: Region Sjælland's sites as bundled (their region group renamed) and the
    12 Region Hovedstaden sites; acute = an emergency department the source verifies."""
    rows = [{**s, "organisation_id": RS_REGION_ORG} if s["organisation_id"] == base.REGION_ORG
            else s for s in rs]
    for row in rh.rows:
        precision = rh.text(row, "coord_precision")
        note = next(v for k, v in COORD_NOTES.items() if precision.startswith(k))
        rows.append({
            "site_id": rh.text(row, "site_id"),
            "name": rh.text(row, "name"),
            "short_name": RH_SHORT_NAMES[rh.text(row, "site_id")],
            "area_code": rh.text(row, "kommunekode"),
            "lat": rh.text(row, "lat"),
            "lon": rh.text(row, "lon"),
            "acute": "yes" if rh.text(row, "emergency_department") == "yes" else "no",
            "active": "yes",
            "organisation_id": RH_ORG_IDS[rh.text(row, "hospital_organisation")],
            "coord_note": note,
            "source": f"{RH_HOSPITALS} row {row.number} ({rh.text(row, 'type_or_role')}; "
                      f"emergency department: {rh.text(row, 'emergency_department')}); "
                      + rh.text(row, "info_source"),
        })
    return rows


def organisation_rows(rs: list[Cells], rh: Table) -> list[Cells]:
    """organisations.csv: the former Region Sjælland's organisations (its region group
    renamed) and the six Region Hovedstaden hospital organisations with their sites."""
    rows = [{**o, "organisation_id": RS_REGION_ORG, "name": RS_REGION_ORG_NAME}
            if o["organisation_id"] == base.REGION_ORG else o for o in rs]
    for name, org in RH_ORG_IDS.items():
        own = [r for r in rh.rows if rh.text(r, "hospital_organisation") == name]
        rows.append({
            "organisation_id": org,
            "name": name,
            "site_ids": ";".join(rh.text(r, "site_id") for r in own),
            "source": f"{RH_HOSPITALS} rows {', '.join(str(r.number) for r in own)} "
                      "(hospital_organisation)",
        })
    return rows


def offer_rows(evidence: Table, sites: Sequence[Cells]) -> list[Cells]:
    """offers.csv: the former Region Sjælland's active acute sites hold every specialty
    (its bundled default, illustrative); a Region Hovedstaden site holds a specialty where
    the evidence table documents it (sourced) or states it generally (illustrative);
    'not found in sources read' is not held — never guessed."""
    rows: list[Cells] = []
    rh_ids = {r.cells["site_id"].strip() for r in evidence.rows}
    rs_acute = [s["site_id"] for s in sites
                if s["site_id"] not in rh_ids and s["acute"] == "yes" and s["active"] == "yes"]
    for sid in tables.SPECIALTY_NAMES:
        for site in rs_acute:
            rows.append({"specialty_id": sid, "site_id": site,
                         "evidence": "Region Sjælland default", "illustrative": "yes",
                         "source": "illustrative: the bundled Region Sjælland's default, a team "
                                   "in every specialty at each active acute hospital; no "
                                   "per-specialty site list was found"})
        for r in _rows(evidence, specialty=sid):
            status = evidence.text(r, "status")
            if status not in HELD:
                continue
            url = r.cells.get("source_url", "").strip()
            rows.append({"specialty_id": sid, "site_id": evidence.text(r, "site_id"),
                         "evidence": status, "illustrative": "yes" if HELD[status] else "no",
                         "source": ("illustrative: " if HELD[status] else "")
                         + f"{RH_EVIDENCE} row {r.number}: {evidence.text(r, 'evidence')}"
                         + (f" ({url})" if url else "")})
    return rows


def nearest_shares(offers: Sequence[Cells], sites: Sequence[Cells], areas: Sequence[Cells],
                   residents: Mapping[str, int]) -> dict[str, dict[str, float]]:
    """Specialty -> site -> share of the region's residents whose nearest holding site
    (great circle) it is: how the illustrative specialist FTE are split."""
    where = {s["site_id"]: (float(s["lat"]), float(s["lon"])) for s in sites}
    lat = np.array([float(a["lat"]) for a in areas])
    lon = np.array([float(a["lon"]) for a in areas])
    people = np.array([residents[a["area_code"]] for a in areas], dtype=np.float64)
    shares: dict[str, dict[str, float]] = {}
    for sid in tables.SPECIALTY_NAMES:
        held = [o["site_id"] for o in offers if o["specialty_id"] == sid]
        s_lat = np.array([where[h][0] for h in held])
        s_lon = np.array([where[h][1] for h in held])
        nearest = great_circle_km(lat[:, None], lon[:, None], s_lat[None, :],
                                  s_lon[None, :]).argmin(axis=1)
        served = np.bincount(nearest, weights=people, minlength=len(held))
        shares[sid] = {h: float(served[k] / people.sum()) for k, h in enumerate(held)
                       if served[k] > 0}
    return shares


def catchment_rows(rs_hospitals: Table, found: SourceFile, councils: Table,
                   residents: dict[str, int], rh_codes: Sequence[str]) -> list[Cells]:
    """catchments.csv: Region Sjælland's rows as bundled there; each Region Hovedstaden area
    to the akutsygehus the 2019 sundhedsfællesskab proposal gives it."""
    rows = care.catchment_rows(rs_hospitals, found, residents)
    for r in councils.rows:
        code = councils.text(r, "kommunekode")
        if code not in rh_codes:
            continue
        hospital = councils.text(r, "akutsygehus_in_2019_proposal")
        rows.append({"area_code": code, "site_id": PROPOSAL_SITES[hospital],
                     "illustrative": "no",
                     "source": f"{COUNCILS} row {r.number}: {hospital} (the 2019 proposal of "
                               "sundhedsfællesskaber, Berlingske 2019-01-16)"})
    return rows


def crossing_rows() -> list[Cells]:
    """crossings.csv: Bornholm's two ferry routes from Rønne."""
    rows = []
    for crossing, island, landing, sailing, check_in, why in FERRIES:
        sea = float(great_circle_km(RONNE[0], RONNE[1], landing[0], landing[1]))
        rows.append({"crossing_id": crossing, "island_areas": island,
                     "port_lat": f"{RONNE[0]:g}", "port_lon": f"{RONNE[1]:g}",
                     "landing_lat": f"{landing[0]:g}", "landing_lon": f"{landing[1]:g}",
                     "minutes": f"{sailing + check_in:g}", "km": f"{sea:.1f}",
                     "illustrative": "yes", "source": why})
    return rows


def dialysis_rows(found: SourceFile, offers: Sequence[Cells], rh_ids: set[str]) -> list[Cells]:
    """dialysis_units.csv: the former Region Sjælland's units; an illustrative unit at each
    former Region Hovedstaden site that holds nephrology (no station counts were found)."""
    rows = care.dialysis_unit_rows(found)
    for o in offers:
        if o["specialty_id"] == "nefrologi" and o["site_id"] in rh_ids:
            rows.append({"site_id": o["site_id"], "stations": str(DIALYSIS_STATIONS),
                         "illustrative": "yes",
                         "source": "illustrative: a haemodialysis unit where nephrology is "
                                   f"held ({o['evidence']}); stations not in the sources read"})
    return rows


def region_yaml(residents: int, n_areas: int, n_sites: int) -> dict[str, object]:
    """region.yaml: name, base year, description and one source line per table."""
    return {
        "name": REGION_NAME,
        "population_base_year": base.BASE_YEAR,
        "description": (
            f"The {n_areas} municipalities of Region Østdanmark from 1 January 2027 "
            f"({residents:,} residents on 1 January {base.BASE_YEAR}), the {n_sites} sites of "
            "the former Region Sjælland and Region Hovedstaden with their hospital "
            "organisations, and the seven BASS internal-medicine specialties. Built by "
            "bassplan.data.bundle.oestdanmark from public data (sources/SOURCES.md); which "
            "sites hold a specialty is sourced only where documented (offers.csv), "
            "staffing, workload minutes and part of the rates and parameters are illustrative."
        ),
        "tables": TABLE_SOURCES,
    }


def build(shared: Path, out: Path) -> None:
    """Write the whole Østdanmark bundle from the shared folder into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    src = out / "sources"
    src.mkdir(exist_ok=True)
    for name in COPIED:
        shutil.copyfile(shared / name, src / name)
    shutil.copyfile(base.FOUND, src / FOUND_FILE)
    municipalities = read_table(src / MUNICIPALITIES, ("kommunekode", "kommune"))
    rs_hospitals = read_table(src / RS_HOSPITALS, ("site_id", "kommunekode"))
    rs_orgs = read_table(src / RS_ORGANISATIONS, ("organisation_id", "site_ids"))
    rh_hospitals = read_table(src / RH_HOSPITALS, ("site_id", "kommunekode"))
    evidence = read_table(src / RH_EVIDENCE, ("site_id", "specialty", "status"))
    councils = read_table(src / COUNCILS, ("kommunekode", "sundhedsraad"))
    found = SourceFile(src / FOUND_FILE)

    areas, totals = base.area_tables(municipalities)
    codes = [a["area_code"] for a in areas]
    rh_codes = [municipalities.text(r, "kommunekode") for r in municipalities.rows
                if municipalities.text(r, "current_region") == "Region Hovedstaden"]
    base.write_csv(out / "areas.csv", ("area_code", "name", "lat", "lon"), areas)
    base.write_csv(out / "area_totals.csv", ("area_code", "year", "residents"), totals)
    people = [*base.population_rows(read_table(src / SOURCE_FILES[0], ("kommunekode", "age"))),
              *base.population_rows(read_table(src / RH_POPULATION, ("kommunekode", "age")))]
    base.write_csv(out / "population_by_age.csv", ("area_code", "year", "age", "residents"),
                   people)
    base.area_shapes(shared / SHAPES, out / "areas.geojson", set(codes))
    by_area: dict[str, int] = {}
    for p in people:
        by_area[p["area_code"]] = by_area.get(p["area_code"], 0) + int(p["residents"])
    residents = sum(by_area.values())

    rs_sites = base.site_rows(rs_hospitals, rs_orgs)
    sites = site_rows(rs_sites, rh_hospitals)
    base.write_csv(out / "sites.csv", base.SITE_COLUMNS, sites)
    base.write_csv(out / "organisations.csv", ("organisation_id", "name", "site_ids", "source"),
                   organisation_rows(base.organisation_rows(rs_orgs, rs_sites), rh_hospitals))
    offers = offer_rows(evidence, sites)
    base.write_csv(out / "offers.csv", (*network_tables.OFFER_COLUMNS, "illustrative", "source"),
                   offers)
    base.write_csv(out / "specialties.csv", base.SPECIALTY_COLUMNS, tables.specialty_rows())
    shares = nearest_shares(offers, sites, areas, by_area)
    staffing = tables.staffing_rows(
        SourceFile(src / base.SPECIALISTS), [s["site_id"] for s in sites], [], residents,
        shares, "the region's residents whose nearest site holding the specialty it is "
        "(offers.csv, great circle)")
    base.write_csv(out / "staffing.csv", base.STAFFING_COLUMNS, staffing)
    base.write_csv(out / "workload.csv",
                   ("specialty_id", "contact_type", "minutes", "illustrative", "source"),
                   tables.workload_rows())
    base.write_csv(out / "parameters.csv", ("key", "value", "unit", "illustrative", "source"),
                   tables.parameter_rows(SourceFile(src / base.WORKLOAD),
                                         SourceFile(src / base.TRANSPORT), found))
    write_rates(derive(src).rows(), out / "rates.csv")
    acute = [s["site_id"] for s in sites if s["acute"] == "yes" and s["active"] == "yes"]
    base.care_tables(src, out, acute)
    rh_ids = {r.cells["site_id"].strip() for r in rh_hospitals.rows}
    base.write_csv(out / "dialysis_units.csv",
                   (*care_tables_mod.DIALYSIS_COLUMNS, "illustrative", "source"),
                   dialysis_rows(found, offers, rh_ids))
    base.projection_tables(src, out, set(codes))
    base.write_csv(out / "catchments.csv",
                   (*care_tables_mod.CATCHMENT_COLUMNS, "illustrative", "source"),
                   catchment_rows(rs_hospitals, found, councils, by_area, rh_codes))
    base.write_csv(out / "councils.csv", base.COUNCIL_COLUMNS,
                   base.council_rows(councils, set(codes)))
    base.write_csv(out / "crossings.csv",
                   (*network_tables.CROSSING_COLUMNS, "illustrative", "source"), crossing_rows())
    text = yaml.safe_dump(region_yaml(residents, len(areas), len(sites)), allow_unicode=True,
                          sort_keys=False, width=100)
    (out / "region.yaml").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: SHARED_DIR OUT_DIR."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m bassplan.data.bundle.oestdanmark SHARED_DIR OUT_DIR",
              file=sys.stderr)
        return 2
    build(Path(args[0]), Path(args[1]))
    print(f"wrote the bundle to {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
