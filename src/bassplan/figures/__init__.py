"""Figures as bytes or text: the offline choropleth map, the Pareto front, simulation plots."""
