"""The bodies the API takes and answers, one module per area, apart from the routes that use
them (the bulk import, `api.cli.importing`, takes the same bodies)."""
