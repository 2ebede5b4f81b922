"""The open derivation of the bundled demand rates from public sources."""
