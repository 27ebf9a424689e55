"""Use cases: one method per command — load, decide, save — grouped by concern."""
