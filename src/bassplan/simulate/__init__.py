"""A year in the region, simulated day by day: referrals, need-based follow-up, clinic
capacity, absences and overtime, per clinic unit, replicated for bands.

``simulation_input(evaluation, settings)`` turns an evaluated scenario into arrays;
``run_replication(inp, seed, replication)`` simulates one year (pure, deterministic);
``summarise`` gives 5–50–95 % bands over replications and ``summary_records`` flat rows.
"""

from bassplan.simulate.engine import run_replication, simulate_year
from bassplan.simulate.model import SimulationInput, simulation_input
from bassplan.simulate.network import clinic_network
from bassplan.simulate.outcome import ReplicationResult
from bassplan.simulate.settings import SimulationSettings
from bassplan.simulate.summary import Band, SimulationSummary, summarise, summary_records
from bassplan.simulate.trace import YearTrace

__all__ = [
    "Band",
    "ReplicationResult",
    "SimulationInput",
    "SimulationSettings",
    "SimulationSummary",
    "YearTrace",
    "clinic_network",
    "run_replication",
    "simulate_year",
    "simulation_input",
    "summarise",
    "summary_records",
]
