"""Display-ready records of an evaluation, shared by the CLI, the API, the pages and the
report: headline rows, population responsibility, per-area values, number formats.
"""
