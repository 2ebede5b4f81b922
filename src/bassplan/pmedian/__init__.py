"""An exact p-median engine (Benders branch-and-cut on the radius formulation).

``solve_pmedian`` is the entry point; the rest are its parts.
"""

from bassplan.pmedian.solve import PMedianResult, assignment_cost, solve_pmedian

__all__ = ["PMedianResult", "assignment_cost", "solve_pmedian"]
