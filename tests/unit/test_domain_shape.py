"""The domain stays plain and small: the standard library and `eventsourcing`, one clock, and
modules of a few hundred lines at most.

Read from the source (no import needed), so a framework creeping in, or a clock read behind the
injected `TimePolicy`'s back, fails here before any behaviour test has to notice it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "domain"

# Besides the standard library and the domain itself. `cryptography` seals personal data per
# beneficiary (domain.privacy): a cipher, not a framework. `stdnum` checks national identifiers'
# keys (domain.identifiers): a table of rules, not a framework.
ALLOWED = {"eventsourcing", "domain", "cryptography", "stdnum"}
FRAMEWORKS = {"fastapi", "starlette", "pydantic", "pydantic_settings", "sqlalchemy", "typer"}

# Every instant the domain uses comes from `TimePolicy.clock`; `utc_now` is its default.
CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}
THE_CLOCK = ("timing.py", "utc_now")

MAX_LINES = 400


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(DOMAIN.rglob("*.py")):
        yield path, ast.parse(path.read_text(), filename=str(path))


def _imported(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def _clock_reads(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """(innermost enclosing function, line) of each clock read, `from time import time` too."""
    enclosing: dict[ast.AST, str] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):  # walked outer first: inner functions overwrite
                enclosing[node] = function.name
    for node in ast.walk(tree):
        where = enclosing.get(node, "<module>")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in CLOCK_READS
        ):
            yield where, node.lineno
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            for alias in node.names:
                if (node.module, alias.name) in CLOCK_READS:
                    yield where, node.lineno


def test_the_domain_imports_the_standard_library_and_eventsourcing_only() -> None:
    foreign = {
        f"{path.relative_to(DOMAIN.parent)}: {module}"
        for path, tree in _modules()
        for module in _imported(tree)
        if module not in sys.stdlib_module_names and module not in ALLOWED
    }
    assert not foreign


def test_no_framework_is_imported_by_the_domain() -> None:
    found = {
        f"{path.relative_to(DOMAIN.parent)}: {module}"
        for path, tree in _modules()
        for module in _imported(tree)
        if module in FRAMEWORKS
    }
    assert not found


def test_the_domain_reads_time_only_through_the_time_policy() -> None:
    reads = {
        f"{path.relative_to(DOMAIN.parent)}:{line} in {function}"
        for path, tree in _modules()
        for function, line in _clock_reads(tree)
        if (path.name, function) != THE_CLOCK
    }
    assert not reads


def test_the_clock_check_sees_a_clock_read() -> None:
    """The scan above is not vacuous: it finds the reads it is meant to refuse."""
    tree = ast.parse(
        "from time import time\n"
        "def f():\n    return datetime.now(tz=UTC), date.today(), time.time()\n"
    )
    assert sorted(_clock_reads(tree)) == [("<module>", 1), ("f", 3), ("f", 3), ("f", 3)]


def test_every_domain_module_is_under_the_size_limit() -> None:
    long = {
        f"{path.relative_to(DOMAIN.parent)}: {lines} lines"
        for path, _ in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long
