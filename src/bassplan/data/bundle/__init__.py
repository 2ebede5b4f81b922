"""Build a bundled region directory from the shared public data, reproducibly."""
