"""A client generated from the service's own schema works: `openapi-python-client` (the test
extra) writes a Python package from `/openapi.json`, which is imported and used, as a front-end
team would, to open a case, record an intervention on it and read its file back — against the
app over a real store (SQLite, or PostgreSQL with `MAILLAGE_DATABASE_URL`), through httpx's
ASGI transport (the generated client takes httpx arguments).

The generator reports what it cannot express: only the charts and the network map's picture,
whose one 200 answers either SVG or PNG; the generated functions then return no parsed body for
them (the raw response is still there).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from api.http.app import create_app
from api.settings import Settings
from domain.access import Role
from tests.conftest import TEST_SIGNING_KEY
from tests.e2e.conftest import Api
from tests.world import World

PACKAGE = "maillage_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# What the generator cannot express: one response in two content types (SVG or PNG).
UNPARSED = {
    "GET /reports/institutions/{institution_id}/chart",
    "GET /reports/partnerships/{partnership_id}/chart",
    "GET /reports/networks/{network_id}/chart",
    "GET /network-map/picture",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from the app's document, imported."""
    folder = tmp_path_factory.mktemp("client")
    app = create_app(
        Settings(
            _env_file=None, database_url="sqlite:///unused.sqlite3", jwt_secret=TEST_SIGNING_KEY
        )  # type: ignore[call-arg]
    )
    (folder / "openapi.json").write_text(json.dumps(app.openapi()))
    (folder / "config.yaml").write_text(
        f"project_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\npost_hooks: []\n"
    )
    run = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(folder / "openapi.json"),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
            "--config",
            str(folder / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    warned = set(re.findall(r"WARNING parsing (\S+ \S+) within", run.stdout + run.stderr))
    assert warned == UNPARSED, run.stdout + run.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _module(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


async def test_a_generated_client_records_an_intervention(api: Api, generated: ModuleType) -> None:
    world = World.build(api.maillage)
    jeanne = world.actor("jeanne")
    token = api.token(Role.CASE_WORKER, jeanne.professional_id, jeanne.institution_id)
    client = generated.AuthenticatedClient(
        base_url="http://maillage",
        token=token,
        httpx_args={"transport": httpx.ASGITransport(app=api.app)},
    )
    models = _module("models")
    open_case = _module("api.cases.open_case")
    record_intervention = _module("api.cases.record_intervention")
    read_case_file = _module("api.cases.read_case_file")

    async with client:
        opened = await open_case.asyncio_detailed(
            client=client,
            body=models.CaseCreate.from_dict(
                {
                    "beneficiary": {"first_name": "Léo", "last_name": "Martin"},
                    "legal_framework": "judicial",
                }
            ),
        )
        assert opened.status_code == 201, opened.content
        case_id = opened.parsed.id
        recorded = await record_intervention.asyncio_detailed(
            case_id,
            client=client,
            body=models.InterventionCreate(
                kind=models.ActionKind.HOME_VISIT,
                summary="Visite à domicile : échange avec la mère sur la scolarité de Léo.",
            ),
            if_match=f'"{opened.parsed.version}"',
            idempotency_key="visite-2026-11-20-leo",
        )
        assert recorded.status_code == 200, recorded.content
        result = recorded.parsed
        assert isinstance(result, models.CommandResult)
        assert result.version == opened.parsed.version + 1
        assert result.entity_id
        file = await read_case_file.asyncio(
            case_id, client=client, purpose=models.ReadPurpose.FOLLOW_UP
        )
    assert isinstance(file, models.CaseRead)
    assert file.version == result.version
    assert file.beneficiary.first_name == "Léo"
    # Recorded once, in the log, as the intervention it is.
    case_events = list(api.maillage.repository.event_store.get(case_id))
    assert [type(e).__name__ for e in case_events][-1] == "InterventionRecorded"
