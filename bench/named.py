"""The named figures of issue 16's targets table: what `bench/results.json` holds.

Each entry is `{name, value, unit, target, store, met}`: `target` as the issue states it
(`"≥ 0.25"`, `"≤ 25"`), `met` computed from it. A figure whose measurement failed keeps its
entry with `value: null` and `met: false`, so a missing figure is never mistaken for a met one.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

AT_LEAST, AT_MOST = "≥", "≤"
_COMPARE: dict[str, Callable[[float, float], bool]] = {AT_LEAST: operator.ge, AT_MOST: operator.le}


@dataclass(frozen=True)
class Target:
    unit: str
    direction: str  # AT_LEAST or AT_MOST
    sqlite: float | None  # None: no target on this store (the figure is not measured there)
    postgresql: float | None

    def bound(self, store: str) -> float | None:
        return self.sqlite if store == "sqlite" else self.postgresql


def _both(unit: str, direction: str, value: float) -> Target:
    return Target(unit, direction, value, value)


TARGETS: dict[str, Target] = {
    "http_write_ratio": Target("ratio", AT_LEAST, 0.25, 0.20),
    "http_read_ratio": _both("ratio", AT_LEAST, 0.30),
    "write_p99_ms_at_half_capacity": _both("ms", AT_MOST, 25),
    "read_p99_ms_at_half_capacity": _both("ms", AT_MOST, 10),
    "write_server_ms": Target("ms", AT_MOST, 5, 10),
    "write_cpu_ms": _both("ms", AT_MOST, 2.5),
    "rebuild_events_per_s": Target("events/s", AT_LEAST, 30_000, 25_000),
    "rebuild_peak_mb": _both("MB", AT_MOST, 500),
    "import_events_per_s": Target("events/s", AT_LEAST, 15_000, 10_000),
    "commit_to_readable_p99_ms": _both("ms", AT_MOST, 50),
    "pg_two_workers_read_gain": Target("ratio", AT_LEAST, None, 1.5),
    # the full-size run only (about 5 million events against about 10,000)
    "write_p50_ratio_5m_to_10k": _both("ratio", AT_MOST, 1.2),
    "read_p50_ratio_5m_to_10k": _both("ratio", AT_MOST, 1.2),
}
FULL_SIZE_ONLY = ("write_p50_ratio_5m_to_10k", "read_p50_ratio_5m_to_10k")


def expected(store: str, *, full_size: bool) -> list[str]:
    """The names a run on `store` must report."""
    return [
        name
        for name, target in TARGETS.items()
        if target.bound(store) is not None and (full_size or name not in FULL_SIZE_ONLY)
    ]


@dataclass(frozen=True)
class Named:
    name: str
    value: float | None  # None: the measurement failed (said in the table, never met)
    store: str

    @property
    def spec(self) -> Target:
        return TARGETS[self.name]

    @property
    def target(self) -> str:
        bound = self.spec.bound(self.store)
        return f"{self.spec.direction} {bound:g}"

    @property
    def met(self) -> bool:
        bound = self.spec.bound(self.store)
        if self.value is None or bound is None:
            return False
        return _COMPARE[self.spec.direction](self.value, bound)

    def entry(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.spec.unit,
            "target": self.target,
            "store": self.store,
            "met": self.met,
        }


def write_results(path: Path, figures: Iterable[Named]) -> None:
    path.write_text(
        json.dumps([f.entry() for f in figures], indent=2, ensure_ascii=False) + "\n", "utf-8"
    )


def table(figures: Iterable[Named]) -> Table:
    """The named figures, a MISSED (or FAILED) mark beside every one that is not met."""
    out = Table(title="Maillage — issue 16 targets")
    for column in ("store", "name", "value", "unit", "target", "status"):
        out.add_column(column)
    for f in figures:
        if f.value is None:
            value, status = "—", "[red]FAILED (not measured)[/red]"
        else:
            value = f"{f.value:,.2f}"
            status = "met" if f.met else "[red]MISSED[/red]"
        out.add_row(f.store, f.name, value, f.spec.unit, f.target, status)
    return out
