"""Serving and the command line start without the charts' drawing library: matplotlib (and
numpy under it) load when a chart is first drawn, not when the app or the CLI is imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "numpy", "scipy", "pandas")


def test_importing_the_app_and_the_cli_loads_no_drawing_library() -> None:
    probe = (
        "import sys, api.http.app, api.cli.main, projections.charts\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
