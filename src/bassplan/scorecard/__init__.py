"""The three-perspective scorecard: each indicator's computation, its explanation and its
entry in the editable catalogue (``indicators.csv``).
"""
