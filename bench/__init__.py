"""Benchmarks: figures printed and written to bench/results.json, never asserted in tests."""
