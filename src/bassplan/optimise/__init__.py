"""Exact strength-position plans: a MILP over strength positions, outreach clinics,
assignments, consult cover and team FTE, solved by HiGHS (formulation in ``model``).

``optimise`` answers one request; ``pareto_front`` traces patient against staff travel;
``plan_to_scenario`` writes a plan as a scenario that ``evaluate`` scores exactly.
"""

from bassplan.optimise.infeasible import explain_infeasible
from bassplan.optimise.model import Model, Objective, Row, SpecialtyColumns, build_model
from bassplan.optimise.pareto import ParetoPoint, pareto_front
from bassplan.optimise.request import OptimiseRequest, build_request
from bassplan.optimise.solve import Clinic, Plan, SpecialtyPlan, optimise, solve_model
from bassplan.optimise.to_scenario import plan_to_scenario, staffing_changes

__all__ = [
    "Clinic",
    "Model",
    "Objective",
    "OptimiseRequest",
    "ParetoPoint",
    "Plan",
    "Row",
    "SpecialtyColumns",
    "SpecialtyPlan",
    "build_model",
    "build_request",
    "explain_infeasible",
    "optimise",
    "pareto_front",
    "plan_to_scenario",
    "solve_model",
    "staffing_changes",
]
