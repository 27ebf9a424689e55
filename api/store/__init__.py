"""Store adapters: the event store, its recorders, the SQLite pool and locks, keys, migrations."""
