"""`bench/results.json`: one entry per named figure of issue 16's targets table, keys exactly
`{name, value, unit, target, store, met}`, `met` computed from the store's target, a figure that
could not be measured kept as `null` and never met; the printed table says MISSED."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from bench.__main__ import Run
from bench.named import TARGETS, Named, expected, table, write_results

# issue 16's targets table: name -> (SQLite target, PostgreSQL target), as bench/named.py says them
ISSUE_TARGETS = {
    "http_write_ratio": ("≥ 0.25", "≥ 0.2"),
    "http_read_ratio": ("≥ 0.3", "≥ 0.3"),
    "write_p99_ms_at_half_capacity": ("≤ 25", "≤ 25"),
    "read_p99_ms_at_half_capacity": ("≤ 10", "≤ 10"),
    "write_server_ms": ("≤ 5", "≤ 10"),
    "write_cpu_ms": ("≤ 2.5", "≤ 2.5"),
    "rebuild_events_per_s": ("≥ 30000", "≥ 25000"),
    "rebuild_peak_mb": ("≤ 500", "≤ 500"),
    "import_events_per_s": ("≥ 15000", "≥ 10000"),
    "commit_to_readable_p99_ms": ("≤ 50", "≤ 50"),
}
ISSUE_NAMES = set(ISSUE_TARGETS)
SIZE_RATIOS = {"write_p50_ratio_5m_to_10k", "read_p50_ratio_5m_to_10k"}
KEYS = {"name", "value", "unit", "target", "store", "met"}


def test_each_store_reports_every_name_of_the_targets_table() -> None:
    assert set(expected("sqlite", full_size=False)) == ISSUE_NAMES
    assert set(expected("postgresql", full_size=False)) == ISSUE_NAMES | {
        "pg_two_workers_read_gain"
    }
    assert set(expected("sqlite", full_size=True)) == ISSUE_NAMES | SIZE_RATIOS


def test_each_target_is_the_issue_s() -> None:
    for name, (sqlite, postgresql) in ISSUE_TARGETS.items():
        assert Named(name, 0.0, "sqlite").target == sqlite, name
        assert Named(name, 0.0, "postgresql").target == postgresql, name
    assert Named("pg_two_workers_read_gain", 0.0, "postgresql").target == "≥ 1.5"
    for name in SIZE_RATIOS:
        assert Named(name, 0.0, "sqlite").target == "≤ 1.2"


def test_entries_have_exactly_the_keys_and_met_follows_the_store_target(tmp_path: Path) -> None:
    figures = [
        Named("http_write_ratio", 0.22, "sqlite"),  # target ≥ 0.25 there
        Named("http_write_ratio", 0.22, "postgresql"),  # ≥ 0.20 there
        Named("write_p99_ms_at_half_capacity", 25.0, "sqlite"),  # ≤ 25: the bound is met
        Named("write_server_ms", 7.5, "sqlite"),  # ≤ 5
        Named("write_server_ms", 7.5, "postgresql"),  # ≤ 10
        Named("rebuild_events_per_s", 31_000, "sqlite"),
        Named("pg_two_workers_read_gain", 1.2, "postgresql"),
        Named("import_events_per_s", None, "sqlite"),  # its step failed
    ]
    path = tmp_path / "results.json"
    write_results(path, figures)
    entries = json.loads(path.read_text())
    assert all(set(e) == KEYS for e in entries)
    assert [(e["name"], e["store"], e["met"]) for e in entries] == [
        ("http_write_ratio", "sqlite", False),
        ("http_write_ratio", "postgresql", True),
        ("write_p99_ms_at_half_capacity", "sqlite", True),
        ("write_server_ms", "sqlite", False),
        ("write_server_ms", "postgresql", True),
        ("rebuild_events_per_s", "sqlite", True),
        ("pg_two_workers_read_gain", "postgresql", False),
        ("import_events_per_s", "sqlite", False),
    ]
    assert entries[0]["target"] == "≥ 0.25"
    assert entries[0]["unit"] == "ratio"
    assert entries[3]["target"] == "≤ 5"
    assert entries[3]["value"] == 7.5
    assert entries[-1]["value"] is None
    assert {e["unit"] for e in entries} <= {t.unit for t in TARGETS.values()}


def test_a_failed_step_leaves_its_names_unmeasured_and_keeps_the_others() -> None:
    console = Console(record=True, width=200)
    run = Run(console)

    def half_done(record):  # type: ignore[no-untyped-def]
        record("http_write_ratio", 0.31)
        raise RuntimeError("the server exited")

    run.step("sqlite", "HTTP", half_done)
    run.step("sqlite", "import", lambda record: record("import_events_per_s", 16_000))
    named = {f.name: f for f in run.named(["sqlite"], full_size=False)}
    assert set(named) == ISSUE_NAMES
    assert named["http_write_ratio"].value == 0.31
    assert named["http_write_ratio"].met
    assert named["import_events_per_s"].met
    assert named["http_read_ratio"].value is None
    assert not named["http_read_ratio"].met
    assert run.failed == ["sqlite: HTTP"]
    console.print(table(named.values()))
    printed = console.export_text()
    assert "FAILED" in printed
    assert "the server exited" in printed


def test_the_table_says_missed_beside_a_target_not_met() -> None:
    console = Console(record=True, width=200)
    console.print(
        table([Named("write_cpu_ms", 6.1, "sqlite"), Named("rebuild_peak_mb", 157, "sqlite")])
    )
    lines = console.export_text().splitlines()
    assert any("write_cpu_ms" in line and "MISSED" in line for line in lines)
    assert any(
        "rebuild_peak_mb" in line and "met" in line and "MISSED" not in line for line in lines
    )
