"""Maillage's domain: aggregates, events, rules and use cases. Imports no web or SQL framework."""
