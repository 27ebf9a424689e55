"""The installed distribution's version: one number, `pyproject.toml`'s, for the CLI and the API."""

from __future__ import annotations


def installed_version() -> str:
    """The installed distribution's version (pyproject.toml's, once installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("maillage")
    except PackageNotFoundError:
        return "unknown (not installed: run from a source tree)"
