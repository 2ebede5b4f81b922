"""Loading, validating and deriving region data; the bundled Region Sjælland lives here.

Public entry points: ``load_region``, ``bundled_region_dir``, ``load_travel_matrix``,
``region_dir`` (a bundled id of ``REGIONS`` or a directory), ``load_scenario``,
``check_region_dir`` and ``describe_region``.
"""

from bassplan.data.loaders import (
    REGIONS,
    bundled_region_dir,
    load_region,
    load_travel_matrix,
    region_dir,
)
from bassplan.data.scenario_loader import load_scenario, scenario_yaml, write_scenario
from bassplan.data.summary import TableView, check_region_dir, describe_region

__all__ = [
    "REGIONS",
    "TableView",
    "bundled_region_dir",
    "check_region_dir",
    "describe_region",
    "load_region",
    "load_scenario",
    "load_travel_matrix",
    "region_dir",
    "scenario_yaml",
    "write_scenario",
]
