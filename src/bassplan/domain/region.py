"""The region as data: areas, sites, organisations, specialties, residents, rates, staffing,
workload standards and parameters. Nothing here knows about Region Sjælland: every region
arrives as data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from bassplan.domain.demography import DeathRateTrend, LifeTable, OfficialProjection
from bassplan.domain.parameters import Parameters
from bassplan.domain.phrase import Phrase, phrase
from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray

# a former name the data notes in English in a site's name: "… (formerly Roskilde Sygehus)"
_FORMER_NAME = re.compile(r"^(?P<name>.*?)\s*\((?:formerly|former)\s+(?P<former>[^)]*)\)\s*$")


@dataclass(frozen=True)
class Area:
    """Where residents live (a municipality in the bundled data): the demand unit."""

    code: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Site:
    """One hospital address (matrikel); ``acute`` marks an akutsygehus with an ED.

    ``coord_note`` says how exact the coordinate is (e.g. 'town centre').
    ``active`` is False for a site without hospital activity (kept for outreach).
    ``short_name`` (optional column) is the name a table head or map label uses.
    """

    id: str
    name: str
    area_code: str
    lat: float
    lon: float
    acute: bool
    organisation_id: str
    active: bool = True
    coord_note: str = ""
    short_name: str = ""  # as planners write it in a column head ("SUH Køge"); "" = derived

    @property
    def title(self) -> str | Phrase:
        """The full name for a reader: a '(formerly X)' note in the data becomes a phrase
        said in the reader's language ('(tidl. X)'); other names come back as they are."""
        found = _FORMER_NAME.match(self.name)
        if found is None:
            return self.name
        return phrase("site_formerly", name=found["name"], former=found["former"])


@dataclass(frozen=True)
class Organisation:
    """A hospital organisation: owns sites and a staff pool that can serve any of them."""

    id: str
    name: str
    site_ids: tuple[str, ...]


@dataclass(frozen=True)
class Specialty:
    """An internal-medicine specialty with its minimum robust team size (specialist FTE);
    ``own_rota``: it keeps its own on-call rota at an acute site, rather than taking part
    in the site's shared medical bagvagt."""

    id: str
    name_da: str
    name_en: str
    min_team_fte: float
    own_rota: bool = False


@dataclass(frozen=True)
class Provenance:
    """Where an input table came from and whether its numbers are illustrative."""

    name: str
    source: str
    illustrative: bool


@dataclass(frozen=True)
class ImportedVersion:
    """One table imported in the dashboard in place of the region's own: its kind, the
    uploaded file, the store's version number, SHA-256 of its content and when (UTC)."""

    kind: str
    filename: str
    version: int
    sha256: str
    imported_at: str  # ISO 8601, UTC, to the second


@dataclass(frozen=True)
class DataVersion:
    """Which data a result used: the region directory (``bundled`` or its folder name), a
    fingerprint of its table files (first 12 hex of a SHA-256) and the imported tables."""

    origin: str = "bundled"
    fingerprint: str = ""
    imported: tuple[ImportedVersion, ...] = ()


@dataclass(frozen=True)
class Population:
    """Residents by area and single age (the top age is open-ended, e.g. '100+').

    ``known_totals`` maps a later year to the known total residents per area, which the
    residual net migration of the projection reaches (``model.population``); the life
    table and the death-rate trend give the deaths, an official projection the age-band
    totals of the years it covers. None: no deaths, no trend, no official projection.
    """

    base_year: int
    ages: IntArray  # (n_ages,), 0..max_age
    residents: FloatArray  # (A, n_ages)
    known_totals: Mapping[int, FloatArray] = field(default_factory=dict)  # year -> (A,)
    life_table: LifeTable | None = None
    trend: DeathRateTrend | None = None
    official: OfficialProjection | None = None


@dataclass(frozen=True)
class DemandRates:
    """Contacts per 1,000 residents per year, by specialty, contact type and single age.

    ``per_1000`` has shape (S, C, n_ages); ``illustrative`` (S, C) flags rates not backed by
    a public number; ``sources`` maps (specialty id, contact type) to a source text.
    """

    per_1000: FloatArray
    illustrative: BoolArray
    sources: Mapping[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Staffing:
    """Staff per specialty × site (S, J): specialist FTE, trainee FTE, vacant posts (FTE)
    and specialists taking part in the on-call rota (head count)."""

    specialist_fte: FloatArray
    trainee_fte: FloatArray
    vacant_fte: FloatArray
    on_call_specialists: FloatArray
    illustrative: bool = True


@dataclass(frozen=True)
class WorkloadStandards:
    """Standard minutes of specialist time per contact, by specialty and contact type (S, C).

    A digital contact takes ``Parameters.digital_minutes_factor`` × the in-person minutes.
    """

    minutes: FloatArray
    illustrative: BoolArray  # (S, C)


@dataclass(frozen=True)
class Crossings:
    """Sea crossings (ferries) that link islands to the mainland, for the default travel
    model: areas on an island reach a site elsewhere only through a crossing.

    ``island_of_area`` (A,) is the island index of each area (-1: the mainland); per
    crossing k: its island, the port on the island and the landing on the other side
    (degrees), and the crossing's minutes (sailing plus check-in) and km.
    """

    island_of_area: IntArray  # (A,)
    island: IntArray  # (K,)
    port_lat: FloatArray  # (K,)
    port_lon: FloatArray  # (K,)
    landing_lat: FloatArray  # (K,)
    landing_lon: FloatArray  # (K,)
    minutes: FloatArray  # (K,)
    km: FloatArray  # (K,)


@dataclass(frozen=True)
class Region:
    """The whole planning area: geography, organisations, specialties and every input table."""

    name: str
    areas: tuple[Area, ...]
    sites: tuple[Site, ...]
    organisations: tuple[Organisation, ...]
    specialties: tuple[Specialty, ...]
    population: Population
    rates: DemandRates
    staffing: Staffing
    workload: WorkloadStandards
    parameters: Parameters
    days_per_admission: FloatArray  # (S, J) mean days per admission at the admitting site
    provenance: tuple[Provenance, ...] = ()
    travel_minutes: FloatArray | None = None  # (A, J) user matrix, replaces the default model
    travel_km: FloatArray | None = None  # (A, J)
    area_shapes: Mapping[str, object] | None = None  # area code -> GeoJSON geometry
    morbidity: FloatArray | None = None  # (A, S) local demand multiplier; None = 1 everywhere
    dialysis_stations: FloatArray | None = None  # (J,) haemodialysis stations; None = no units
    fleet_co2: Mapping[int, float] = field(default_factory=dict)  # year -> g CO2 per car km
    catchment: IntArray | None = None  # (A,) admitting acute site (optageområde); -1: nearest
    offers: BoolArray | None = None  # (S, J) sites holding each specialty today; None: acute
    crossings: Crossings | None = None  # ferries for the default travel model; None: none
    councils: tuple[str, ...] | None = None  # (A,) each area's sundhedsråd (health council)
    data_version: DataVersion = field(default_factory=DataVersion)

    def area_index(self, code: str) -> int:
        """Return the position of an area code in ``areas``."""
        return next(i for i, a in enumerate(self.areas) if a.code == code)

    def site_index(self, site_id: str) -> int:
        """Return the position of a site id in ``sites``."""
        return next(i for i, s in enumerate(self.sites) if s.id == site_id)

    def specialty_index(self, specialty_id: str) -> int:
        """Return the position of a specialty id in ``specialties``."""
        return next(i for i, s in enumerate(self.specialties) if s.id == specialty_id)

    @property
    def acute_mask(self) -> BoolArray:
        """(J,) True where the site is an active acute hospital."""
        return np.array([s.acute and s.active for s in self.sites], dtype=bool)

    @property
    def offer_mask(self) -> BoolArray:
        """(S, J) where each specialty is held today (the default strength positions): the
        region's ``offers`` table, else every active acute site."""
        if self.offers is not None:
            return np.asarray(self.offers, dtype=bool)
        return np.tile(self.acute_mask, (len(self.specialties), 1))

    @property
    def illustrative_inputs(self) -> tuple[str, ...]:
        """Names of the input tables whose numbers are illustrative, not sourced."""
        return tuple(p.name for p in self.provenance if p.illustrative)
