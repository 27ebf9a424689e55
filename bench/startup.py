"""Start-up time: `maillage --help`, and an API worker's boot (import `api.http.app`, create the
app), each in a fresh interpreter as an operator or a process manager starts them.

Two measures each: the import time Python reports (`python -X importtime`, summing the
cumulative times of the top-level imports, less those of a bare interpreter's start: what our
code and its libraries cost), and the wall-clock time of the whole process (median of a few
runs). On a loaded machine both grow: compare them with the bare interpreter's line.
Targets: the help well under a second, a worker under a second.

`python -m bench.startup` prints the figures alone; `python -m bench` includes them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import Figure

ROOT = Path(__file__).resolve().parents[1]

HELP = "import sys\nsys.argv = ['maillage', '--help']\nfrom api.cli.main import main\nmain()\n"
# A worker's boot ends when its app exists: the interpreter's tear-down of a hundred loaded modules
# (~0.1–0.3 s) is not part of it, so the probe leaves without it.
WORKER = "import os\nfrom api.http.app import create_app\ncreate_app()\nos._exit(0)\n"


@dataclass(frozen=True)
class Probe:
    name: str
    code: str
    target_s: float


PROBES = (
    Probe("maillage --help", HELP, 0.5),
    Probe("API worker boot (import api.http.app, create_app())", WORKER, 1.0),
)


def _run(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter, in an empty folder with a throw-away SQLite store."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "MAILLAGE_DATABASE_URL": f"sqlite:///{Path(tmp) / 'startup.sqlite3'}",
        }
        env.pop("MAILLAGE_LOG_FORMAT", None)
        return subprocess.run(
            [sys.executable, *flags, "-c", code],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )


def import_seconds(code: str) -> float:
    """The sum of the cumulative times of the top-level imports `python -X importtime` reports
    (lines `import time: self | cumulative | name`, top level when the name is not indented)."""
    report = _run(code, "-X", "importtime").stderr
    total_us = 0
    for line in report.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):
            total_us += int(cumulative)
    return total_us / 1_000_000


def wall_seconds(code: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        _run(code)
        samples.append(time.perf_counter() - started)
    return samples


def bench_startup(runs: int = 5) -> list[Figure]:
    figures = []
    interpreter = statistics.median(wall_seconds("pass", runs))
    figures.append(Figure("start-up: bare interpreter (wall, p50)", interpreter * 1000, "ms", "-"))
    baseline = import_seconds("pass")
    for probe in PROBES:
        imports = import_seconds(probe.code) - baseline
        wall = statistics.median(wall_seconds(probe.code, runs))
        target = f"< {probe.target_s * 1000:.0f} ms"
        figures.append(
            Figure(f"start-up: {probe.name}, imports", imports * 1000, "ms", "-", target=target)
        )
        figures.append(
            Figure(
                f"start-up: {probe.name}, wall (p50 of {runs})",
                wall * 1000,
                "ms",
                "-",
                ceiling=probe.target_s * 1000,
                ratio=wall / probe.target_s,
                target=target,
            )
        )
    return figures


def main() -> None:
    for figure in bench_startup():
        print(f"{figure.name:<72} {figure.value:>8.0f} {figure.unit}  {figure.target or ''}")


if __name__ == "__main__":
    main()
