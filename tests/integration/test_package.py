"""Maillage as a package: what the wheel holds, where the migrations are found from, what the
command line imports to answer `--help`, and the import contracts between rooms.

The wheel itself is built, installed in a fresh environment and run from another folder by
`.ci/run` (too slow for the suite); these tests hold the pieces it relies on.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.demo_script import SCRIPT
from api.cli.demo_terms import Step
from api.cli.main import cli
from api.cli.root import ErasureGroundName, RoleName
from api.store import migrations
from api.store.migrations import MigrationsBehindError, script_location
from domain.access import Role
from domain.application import Maillage
from domain.case_values import ErasureGround

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
HEAVY = ("fastapi", "starlette", "sqlalchemy", "alembic", "matplotlib", "eventsourcing")


def test_the_wheel_lists_every_package_of_the_source_tree() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for room in ("domain", "api", "projections")
        for init in (ROOT / room).rglob("__init__.py")
    }
    assert set(SETUPTOOLS["packages"]) == found | {
        "maillage_migrations",
        "maillage_migrations.versions",
    }


def test_the_wheel_holds_every_migration_under_another_name_than_alembic() -> None:
    assert SETUPTOOLS["package-dir"] == {"maillage_migrations": "alembic"}
    patterns = SETUPTOOLS["package-data"]["maillage_migrations"]
    scripts = ROOT / "alembic"
    shipped = {path for pattern in patterns for path in scripts.glob(pattern)}
    expected = {scripts / "env.py", scripts / "script.py.mako", *scripts.glob("versions/*.py")}
    assert shipped == expected


def test_the_wheel_ships_every_asset_of_the_docs_pages() -> None:
    """/docs and /redoc load their scripts from the package (`api.http.docs`): all of them ship."""
    folder = ROOT / "api" / "http"
    shipped = {
        path for pattern in SETUPTOOLS["package-data"]["api.http"] for path in folder.glob(pattern)
    }
    expected = {path for path in (folder / "docs_assets").rglob("*") if path.is_file()}
    assert len(expected) > 8
    assert shipped == expected


def _installed_scripts(site: Path) -> Path:
    """`maillage_migrations` as a wheel installs it, in a folder of its own on sys.path."""
    package = site / "maillage_migrations"
    shutil.copytree(ROOT / "alembic", package, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def test_migrations_are_found_in_the_source_tree_first() -> None:
    assert script_location() == ROOT / "alembic"


def test_migrations_are_found_from_the_installed_package_away_from_the_source_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrations, "SOURCE_TREE", tmp_path / "no-source-tree" / "alembic")
    installed = _installed_scripts(tmp_path / "site-packages")
    monkeypatch.syspath_prepend(str(tmp_path / "site-packages"))
    sys.modules.pop("maillage_migrations", None)
    try:
        assert script_location() == installed
    finally:
        sys.modules.pop("maillage_migrations", None)


def test_missing_migrations_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "SOURCE_TREE", tmp_path / "alembic")
    monkeypatch.setattr(migrations, "MIGRATIONS_PACKAGE", "maillage_migrations_absent")
    with pytest.raises(MigrationsBehindError, match="alembic scripts not found"):
        script_location()


def test_help_imports_neither_the_service_nor_its_frameworks() -> None:
    """Structural, not timed: a fresh interpreter builds the whole help, then lists what it
    imported."""
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from api.cli.main import cli\n"
        "for args in (['--help'], ['serve', '--help'], ['erase-beneficiary', '--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0, args\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    imported = set(run.stdout.split())
    assert not {m for m in imported if m.split(".")[0] in HEAVY}
    assert not {m for m in imported if m.split(".")[0] in ("domain", "projections")}
    assert not {m for m in imported if m.startswith(("api.http", "api.store", "api.settings"))}


def test_version_is_the_installed_distributions() -> None:
    shown = CliRunner().invoke(cli, ["--version"])
    assert shown.exit_code == 0
    assert shown.stdout.strip() == f"maillage {version('maillage')}"


def test_the_command_lines_choices_are_the_domains() -> None:
    assert [c.value for c in RoleName] == [r.value for r in Role]
    assert [c.value for c in ErasureGroundName] == [g.value for g in ErasureGround]


def test_every_step_of_the_demo_is_a_use_case_taking_its_arguments() -> None:
    steps = [line for line in SCRIPT if isinstance(line, Step)]
    assert steps
    for step in steps:
        use_case = getattr(Maillage, step.command)
        inspect.signature(use_case).bind(None, **step.args)


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), "import-linter is part of the test extra: pip install -e '.[test]'"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(lint), "--no-cache"], cwd=tree, capture_output=True, text=True, env=env
    )


def test_the_rooms_keep_their_import_contracts() -> None:
    linted = _lint_imports(ROOT)
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_an_arrow_the_wrong_way_breaks_the_contracts(tmp_path: Path) -> None:
    for room in ("domain", "api", "projections"):
        shutil.copytree(ROOT / room, tmp_path / room, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "domain" / "leak.py").write_text("from api.http.problems import problem\n")
    linted = _lint_imports(tmp_path)
    assert linted.returncode != 0
    assert "domain imports no framework and no outer room BROKEN" in linted.stdout


def test_no_module_imports_itself_back() -> None:
    """No import cycle in the three rooms, deferred imports (inside functions) included: a cycle
    hidden by an import moved into a function is still a cycle."""
    import grimp  # import-linter's graph builder

    graph = grimp.build_graph("domain", "api", "projections")
    cycles = sorted(
        f"{module} -> {imported}"
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported in graph.modules
        and graph.chain_exists(importer=imported, imported=module, as_packages=False)
    )
    assert cycles == []
