"""deploy/ names only what exists: every `maillage` command and option its Dockerfile and
compose file run parses with the real command line (`api.cli.main`), every `MAILLAGE_*` variable
they set is a field of `Settings` and its value one `Settings` accepts; and the services wait
for what they need (Docker is not needed: the files are parsed, not run)."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from api.cli.main import cli
from api.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
_VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
PLACEHOLDER = "given-by-the-operator-0123456789abcdef"  # a 38-character secret


def interpolate(value: str) -> str:
    """A value as compose gives it when the operator sets only the required variables."""

    def one(match: re.Match[str]) -> str:
        kind, rest = match.group(2) or "", match.group(3) or ""
        return rest if kind.endswith("-") else PLACEHOLDER

    return _VARIABLE.sub(one, value)


def stages() -> list[dict[str, list[str]]]:
    """The Dockerfile's stages: instructions by keyword, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    found: list[dict[str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        keyword, _, rest = line.strip().partition(" ")
        if keyword.upper() == "FROM":
            found.append({})
        found[-1].setdefault(keyword.upper(), []).append(rest.strip())
    return found


def dockerfile() -> dict[str, list[str]]:
    """The image that runs: the last stage."""
    return stages()[-1]


def exec_form(instruction: str) -> list[str]:
    words = json.loads(instruction)
    assert isinstance(words, list), "exec form, so that signals reach maillage"
    return [str(word) for word in words]


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def runs_maillage(service: dict[str, Any]) -> bool:
    return "build" in service or str(service.get("image", "")).startswith("maillage")


def cli_lines() -> list[list[str]]:
    """Every command line the deployment runs, as `maillage` arguments."""
    image = dockerfile()
    [entrypoint] = image["ENTRYPOINT"]
    [default] = image["CMD"]
    assert exec_form(entrypoint) == ["maillage"]
    lines = [exec_form(default)]
    for service in compose()["services"].values():
        if runs_maillage(service):
            command = service["command"]
            words = shlex.split(command) if isinstance(command, str) else command
            lines.append([interpolate(str(word)) for word in words])
    return lines


def environments() -> list[dict[str, str | None]]:
    """The variables the image and each service running it set."""
    image: dict[str, str | None] = {}
    for instruction in dockerfile().get("ENV", []):
        for pair in shlex.split(instruction):
            name, _, value = pair.partition("=")
            image[name] = value
    found = [image]
    for service in compose()["services"].values():
        if not runs_maillage(service):
            continue
        given = service.get("environment") or {}
        if isinstance(given, list):
            given = dict(item.partition("=")[::2] for item in given)
        found.append(
            {name: None if v is None else interpolate(str(v)) for name, v in given.items()}
        )
    return found


def test_every_command_and_option_deployed_is_one_the_command_line_takes() -> None:
    commands = typer.main.get_command(cli).commands  # type: ignore[attr-defined]
    lines = cli_lines()
    assert {line[0] for line in lines} == {"serve", "migrate", "project"}
    for name, *arguments in lines:
        command = commands.get(name)
        assert command is not None, f"`maillage {name}` does not exist"
        options = {opt for param in command.params for opt in param.opts}
        for word in arguments:
            if word.startswith("--"):
                assert word.split("=")[0] in options, f"`maillage {name}` has no {word}"
        # parsed (types and all) as the command line would, without running it
        command.make_context(f"maillage {name}", list(arguments))


def test_every_maillage_variable_deployed_is_a_setting_it_accepts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [name for name in os.environ if name.startswith("MAILLAGE_")]:
        monkeypatch.delenv(name)  # only what the deployment sets
    fields = set(Settings.model_fields)
    for environment in environments():
        given = {
            name.removeprefix("MAILLAGE_").lower(): value
            for name, value in environment.items()
            if name.startswith("MAILLAGE_")
        }
        unknown = set(given) - fields
        assert not unknown, f"not settings: {sorted(unknown)}"
        values = {name: value for name, value in given.items() if value is not None}
        Settings(_env_file=None, **values).check_secure()  # type: ignore[call-arg]


def test_the_image_serves_on_every_address_as_a_user_without_privileges() -> None:
    built = stages()
    assert all(stage["FROM"][0].split()[0] == "python:3.11-slim" for stage in built)
    assert any("pip wheel" in run for run in built[0]["RUN"]), "the source tree built as wheels"
    image = dockerfile()
    assert any("--no-index --find-links /wheels" in run for run in image["RUN"])
    [user] = image["USER"]
    assert user not in ("root", "0")
    default = exec_form(image["CMD"][0])
    assert default[:1] == ["serve"]
    assert default[default.index("--host") + 1] == "0.0.0.0"


def test_the_services_start_in_order_and_split_the_work() -> None:
    services = compose()["services"]
    assert "pg_isready" in str(services["postgres"]["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("api", "projector"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"
    api, projector = services["api"], services["projector"]
    assert api["command"][0] == "serve"
    assert int(interpolate(api["command"][api["command"].index("--workers") + 1])) > 1
    assert api["environment"]["MAILLAGE_EMBEDDED_PROJECTIONS"] == "false"
    assert "/ready" in str(api["healthcheck"]["test"])
    assert projector["command"][:2] == ["project", "--follow"]
    database = {
        interpolate(str(service["environment"]["MAILLAGE_DATABASE_URL"]))
        for service in services.values()
        if runs_maillage(service)
    }
    assert len(database) == 1  # one store for all
    assert next(iter(database)).startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    ("value", "given"),
    [
        ("${A:-4}", "4"),
        ("${A-x}", "x"),
        ("${A:?set A}", PLACEHOLDER),
        ("${A}", PLACEHOLDER),
        ("u:${A:?p}@h", f"u:{PLACEHOLDER}@h"),
    ],
)
def test_compose_values_are_read_as_compose_reads_them(value: str, given: str) -> None:
    assert interpolate(value) == given
