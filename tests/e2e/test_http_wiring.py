"""How the HTTP room is wired: handlers take typed dependencies from one provider, a test
substitutes a service through `app.dependency_overrides`, every POST takes the command path (its
idempotency key claimed there, the token verified once), the one clock judges tokens, and the
store being away is a 503 wherever it is noticed."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.routing import APIRoute
from sqlalchemy.exc import OperationalError

import api.http
from api.http import asgi as api_asgi
from api.http import deps, idempotency
from api.http.auth import TokenVerifier, mint_token
from api.http.guard import GuardedRoute
from api.http.observability import Metrics
from api.settings import Settings
from api.store.idempotency import IdempotencyStore, Stored
from domain.access import Principal, Role
from domain.timing import TimePolicy
from tests.e2e.conftest import Api
from tests.world import NOW, World

HTTP_ROOM = Path(api.http.__file__).parent
PROVIDER = HTTP_ROOM / "deps.py"


@pytest.fixture
def overrides(api: Api) -> Any:
    yield api.app.dependency_overrides
    api.app.dependency_overrides.clear()


# --- one provider ---------------------------------------------------------------------------


def test_only_the_provider_reaches_app_state() -> None:
    """Handlers declare what they use; only `api.http.deps` reads `app.state` or `request.app`."""
    reaching = re.compile(r"\bapp\.state\b|\brequest\.app\b|\.app\.state\b")
    found = [
        f"{path.relative_to(HTTP_ROOM)}:{number}"
        for path in sorted(HTTP_ROOM.rglob("*.py"))
        if path != PROVIDER
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if reaching.search(line)
    ]
    assert found == []
    assert reaching.search(PROVIDER.read_text())


def test_every_module_of_the_room_is_small() -> None:
    sizes = {
        str(path.relative_to(HTTP_ROOM)): len(path.read_text().splitlines())
        for path in HTTP_ROOM.rglob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size >= 400} == {}


def test_routers_define_no_models() -> None:
    """Bodies and answers live in `api.http.schemas`, apart from the routes."""
    models = [
        f"{path.name}:{node.name}"
        for path in (HTTP_ROOM / "routers").glob("*.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Name) and base.id == "BaseModel" for base in node.bases)
    ]
    assert models == []


# --- overrides ----------------------------------------------------------------------------


async def test_a_clock_override_moves_token_expiry(api: Api, overrides: Any) -> None:
    """The token's expiry is judged by the injected clock (`deps.get_clock`), not the system's."""
    admin = api.headers(Role.ADMIN)
    assert (await api.client.get("/institutions", headers=admin)).status_code == 200
    later = api.services.time.now() + timedelta(minutes=api.settings.token_ttl_minutes + 1)
    overrides[deps.get_clock] = lambda: TimePolicy(clock=lambda: later)
    expired = await api.client.get("/institutions", headers=admin)
    assert (expired.status_code, expired.json()["rule"]) == (401, "unauthenticated")
    assert expired.json()["detail"] == "le jeton a expiré"
    earlier = api.services.time.now() - timedelta(hours=1)
    overrides[deps.get_clock] = lambda: TimePolicy(clock=lambda: earlier)
    immature = await api.client.get("/institutions", headers=admin)
    assert immature.status_code == 401
    assert "pas encore valide" in immature.json()["detail"]


async def test_a_use_case_override_substitutes_the_application(api: Api, overrides: Any) -> None:
    """A handler's `Maillage` is whatever the provider gives: here one counting its commands."""
    calls: list[str] = []

    class Counting:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            calls.append(name)
            return getattr(self.inner, name)

    overrides[deps.get_maillage] = lambda: Counting(api.maillage)
    metrics = Metrics()
    overrides[deps.get_metrics] = lambda: metrics
    answer = await api.client.post(
        "/institutions",
        json={"name": "IME Les Tilleuls", "sector": "medico_social", "kind": "other"},
        headers=api.headers(Role.ADMIN),
    )
    assert answer.status_code == 201, answer.text
    assert "register_institution" in calls
    exposition = metrics.exposition().decode()
    assert 'maillage_commands_total{command="register_institution",outcome="recorded"} 1.0' in (
        exposition
    )


# --- the command path -----------------------------------------------------------------------


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """The API's routes, those of included routers too (FastAPI keeps them per router); the
    console's pages apart (forms of a browser, not commands: `api.http.console.routing`)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, GuardedRoute):
            found.append(route)
        elif (included := getattr(route, "original_router", None)) is not None:
            found += _api_routes(included.routes)
    return found


def _dependencies(route: APIRoute) -> set[Any]:
    found: set[Any] = set()
    stack = list(route.dependant.dependencies)
    while stack:
        dependant = stack.pop()
        found.add(dependant.call)
        stack.extend(dependant.dependencies)
    return found


# POSTs that record nothing in the log and answer a secret (client applications' configuration,
# `api.integration.clients`, and their tokens): an idempotent replay would keep the secret in
# the idempotency records; registering twice makes two clients, revoking is idempotent itself.
NOT_COMMANDS = {
    "/integration/clients",
    "/integration/clients/{client_id}/secret",
    "/integration/clients/{client_id}/revoke",
    "/integration/clients/{client_id}/personal-data-approval",
    "/oauth/token",
}


def test_every_post_takes_the_command_path_and_no_middleware_reads_bodies_for_it(
    api: Api,
) -> None:
    posts = [route for route in _api_routes(api.app.routes) if "POST" in route.methods]
    assert len(posts) > 40
    missing = [r.path for r in posts if idempotency.claim not in _dependencies(r)]
    assert sorted(missing) == sorted(NOT_COMMANDS)
    middlewares = {m.cls.__module__ for m in api.app.user_middleware}  # type: ignore[attr-defined]
    assert "api.http.idempotency" not in middlewares


def test_every_route_guards_its_text_and_no_middleware_copies_the_body(api: Api) -> None:
    """Unstorable text is refused by the routes (`GuardedRoute`), which read the body once on
    the request FastAPI then parses: no layer reads it and replays a copy."""
    routes = _api_routes(api.app.routes)
    assert len(routes) > 60
    assert [r.path for r in routes if not isinstance(r, GuardedRoute)] == []
    layers = {m.cls.__name__ for m in api.app.user_middleware}  # type: ignore[attr-defined]
    assert layers == {"BodyLimit", "ContentLanguage", "Observe"}  # none reads the body
    assert not hasattr(api_asgi, "read_body")


class CountingVerifier(TokenVerifier):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.calls = 0

    def verify(self, token: str, now: Any = None) -> Principal:
        self.calls += 1
        return super().verify(token, now)


async def test_a_command_verifies_its_token_once_and_claims_its_key_once(
    api: Api, overrides: Any
) -> None:
    verifier = CountingVerifier(api.settings)
    overrides[deps.get_verifier] = lambda: verifier
    claims: list[str] = []
    records = api.services.idempotency

    class Watched(IdempotencyStore):
        def claim(self, scope: str, key: str, request_hash: str) -> Stored | None:
            claims.append(key)
            return records.claim(scope, key, request_hash)

    overrides[deps.get_idempotency_records] = lambda: Watched(
        records.engine, records.ttl, records.clock
    )
    headers = {**api.headers(Role.ADMIN), "Idempotency-Key": str(uuid4())}
    body = {"name": "SESSAD", "sector": "medico_social", "kind": "other"}
    first = await api.client.post("/institutions", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert (verifier.calls, len(claims)) == (1, 1)
    again = await api.client.post("/institutions", json=body, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert (verifier.calls, len(claims)) == (2, 2)


async def test_the_same_body_spelled_differently_is_the_same_request(api: Api) -> None:
    """The request's hash is of the parsed body, canonical: key order and spacing do not
    matter; a different value does."""
    headers = {
        **api.headers(Role.ADMIN),
        "Idempotency-Key": str(uuid4()),
        "content-type": "application/json",
    }
    first = await api.client.post(
        "/institutions",
        content=b'{"name": "CMPP", "sector": "medico_social", "kind": "other"}',
        headers=headers,
    )
    assert first.status_code == 201, first.text
    reordered = await api.client.post(
        "/institutions",
        content=b'{ "kind":"other","sector":"medico_social",  "name":"CMPP" }',
        headers=headers,
    )
    assert reordered.headers.get("Idempotent-Replayed") == "true"
    assert reordered.json()["id"] == first.json()["id"]
    other = await api.client.post(
        "/institutions",
        content=b'{"name": "CMPP 2", "sector": "medico_social", "kind": "other"}',
        headers=headers,
    )
    assert (other.status_code, other.json()["rule"]) == (422, "idempotency-key-reused")


async def test_a_refusal_inside_the_handler_is_kept_and_replayed(api: Api) -> None:
    """A refusal raised by the handler (not by validation) is stored with the key too."""
    world = World.build(api.maillage)
    outsider = api.headers(
        Role.CASE_WORKER, world.professionals["luc"], world.institutions["hospital"]
    )
    case_id = world.open_case()
    headers = {**outsider, "Idempotency-Key": "refused-1"}
    path = f"/cases/{case_id}/interventions"
    refused = await api.client.post(path, json={"kind": "home_visit"}, headers=headers)
    assert (refused.status_code, refused.json()["rule"]) == (403, "access-denied")
    again = await api.client.post(path, json={"kind": "home_visit"}, headers=headers)
    assert again.status_code == 403
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_a_failure_releases_the_key(api: Api, overrides: Any) -> None:
    """An unexpected failure (500) releases the claim: the retry runs and records."""
    failing = True

    class Failing:
        def __getattr__(self, name: str) -> Any:
            if failing and name == "register_institution":
                raise RuntimeError("boom")
            return getattr(api.maillage, name)

    overrides[deps.get_maillage] = lambda: Failing()
    headers = {**api.headers(Role.ADMIN), "Idempotency-Key": "fails-once"}
    body = {"name": "ESAT", "sector": "medico_social", "kind": "other"}
    with pytest.raises(RuntimeError):  # the in-process transport re-raises after the 500
        await api.client.post("/institutions", json=body, headers=headers)
    failing = False
    retried = await api.client.post("/institutions", json=body, headers=headers)
    assert retried.status_code == 201, retried.text
    assert "Idempotent-Replayed" not in retried.headers


async def test_idempotency_records_out_of_reach_are_a_503(api: Api, overrides: Any) -> None:
    """The store failing under the claim is answered like any store failure: 503, Retry-After
    (one mapping, `problems.answer_for`), never a 500."""

    class Away(IdempotencyStore):
        def claim(self, scope: str, key: str, request_hash: str) -> Stored | None:
            raise OperationalError("INSERT", {}, Exception("connection refused"))

    records = api.services.idempotency
    overrides[deps.get_idempotency_records] = lambda: Away(records.engine, records.ttl)
    answer = await api.client.post(
        "/institutions",
        json={"name": "ITEP", "sector": "medico_social", "kind": "other"},
        headers={**api.headers(Role.ADMIN), "Idempotency-Key": "away-1"},
    )
    assert (answer.status_code, answer.json()["rule"]) == (503, "store-unavailable")
    assert answer.headers["Retry-After"] == "1"


# --- the clock of tokens ------------------------------------------------------------------


def test_token_instants_are_judged_at_the_given_instant(api: Api) -> None:
    verifier = TokenVerifier(api.settings)
    subject = uuid4()
    token = mint_token(api.settings, subject=subject, role=Role.ADMIN, now=NOW)
    assert verifier.verify(token, now=NOW).subject == subject
    ttl = timedelta(minutes=api.settings.token_ttl_minutes)
    with pytest.raises(Exception, match="expired"):
        verifier.verify(token, now=NOW + ttl)
    with pytest.raises(Exception, match="not yet valid"):
        verifier.verify(token, now=NOW - timedelta(minutes=1))
    assert isinstance(verifier.verify(token, now=NOW + ttl / 2).subject, UUID)
