"""`rebuild_events_per_s` and `rebuild_peak_mb`: every projection rebuilt from the whole log in
a process of its own (`python -m bench.rebuilding`, the store named by the `MAILLAGE_*`
environment as for `maillage rebuild`), which prints one JSON line: the events in the log, the
rebuild's wall time (the process's start-up and imports not counted), and the process's peak
resident memory (`getrusage(RUSAGE_SELF).ru_maxrss`, start-up included)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

from api.settings import Settings


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["MAILLAGE_DATABASE_URL"] = settings.database_url
    if settings.database_schema:
        env["MAILLAGE_DATABASE_SCHEMA"] = settings.database_schema
    if settings.key_encryption_key is not None:
        env["MAILLAGE_KEY_ENCRYPTION_KEY"] = settings.key_encryption_key.get_secret_value()
    return env


def measure_rebuild(settings: Settings) -> tuple[int, float, float]:
    """(events in the log, events/s, peak MB) of a rebuild of every projection in a child."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.rebuilding"],
        env=child_env(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the rebuild process failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["events"], result["events"] / result["seconds"], result["peak_mb"]


def main() -> None:
    from api.composition import open_services

    with open_services(Settings()) as services:
        events = services.maillage.recorder.max_notification_id() or 0
        start = time.perf_counter()
        services.projections.rebuild()
        seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"events": events, "seconds": seconds, "peak_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main()
