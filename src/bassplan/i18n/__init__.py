"""The words users read, in Danish and English, kept as data."""
