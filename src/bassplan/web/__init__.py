"""The BASS dashboard: Danish (or English) pages rendered on the server over the store and
the domain core, sharing the REST API's app, sessions and evaluation cache."""
