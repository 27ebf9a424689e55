"""HTTP API, settings, command line: the composition root."""
