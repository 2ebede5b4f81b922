"""The vocabulary and the types of the BASS model: the region, scenarios, results, errors.

Every other layer builds on these; they import nothing of bassplan's own.
"""
