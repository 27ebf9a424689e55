"""No module over 400 lines in the rooms: domain/, api/ (every subpackage), projections/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def test_no_module_of_the_rooms_is_over_400_lines() -> None:
    modules = [
        path for room in ("domain", "api", "projections") for path in (ROOT / room).rglob("*.py")
    ]
    assert len(modules) > 100
    long = sorted(
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    )
    assert long == []
