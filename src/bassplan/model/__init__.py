"""The evaluation model: pure functions from a region and a scenario to demand, travel,
allocation, workload, access, equity, transport and on-call results.
"""
