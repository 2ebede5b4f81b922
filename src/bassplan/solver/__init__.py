"""Solver plumbing shared by the p-median engine and the optimiser (HiGHS models)."""
