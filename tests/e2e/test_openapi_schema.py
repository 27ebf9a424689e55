"""The API keeps the promises of its OpenAPI schema, on generated requests (schemathesis).

What is checked, for every operation of the schema the app publishes, on the store under test
(SQLite, or PostgreSQL with `MAILLAGE_DATABASE_URL`):

- `not_a_server_error`: no request makes the service fail (5xx);
- `status_code_conformance`: every status answered is one the operation documents;
- `content_type_conformance`: the `Content-Type` answered is one documented for that status;
- `response_schema_conformance`: the body validates against the documented schema.

The requests come from the schemathesis phases `examples` (the schema's own examples),
`coverage` (boundary values, missing parameters and headers) and `fuzzing` (Hypothesis,
positive and negative data). Each call carries a valid bearer token: every operation runs as an
administrator and as a case worker (Jeanne, for AEMO), and the reads also as a supervisor of
AEMO (audit trails, involvement), so requests go past authentication into the routes; the
coverage phase still removes the token now and then, checking the 401. Generated ids are
random: to reach the domain's rules too, ids in the path, the query and the body's top level
are sometimes swapped for ids of records seeded in the store beforehand (an open case with a
consent and a referral, a convention, an informal network with an invitation, a delegation,
the `tests.world` registry), and a generated If-Match (rarely an ETag) is sometimes left out.
Then explicit edge values random generation rarely hits (`EDGES`), under the same checks, and
a text with a NUL byte followed by a read of that write.

Bounded in time, about 45 to 60 s per store: `MAX_EXAMPLES` fuzzed requests per operation (the
examples and coverage phases add a bounded, schema-determined number; undeclared methods,
which only get 405, are not tried), no shrinking (a failure is reported as found: replaying a
request that waits 5 s for the read side would multiply that), no Hypothesis deadline (a store
call may be slow on a loaded machine; slowness is not what is tested here), and the `too_slow`
/ `filter_too_much` / `data_too_large` health checks off. The app runs with its lifespan (store
wired, projections followed in process) once per module; schemathesis reaches it in process.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import schemathesis
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine, text

from api.http.app import create_app
from api.http.auth import mint_token
from api.settings import Settings
from api.store.factory import build_application
from api.store.migrations import upgrade
from domain.access import Role
from domain.application import Maillage
from domain.timing import TimePolicy
from tests.conftest import ON_POSTGRES, TEST_SIGNING_KEY, TEST_URL
from tests.e2e.conftest import Api
from tests.world import CHILD_PROTECTION, NOW, World, ago

MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    # No shrinking (see the module's docstring).
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)

# The schema is the app's own document; the app it is built from never reaches a store.
_DOCUMENT = create_app(
    Settings(_env_file=None, database_url="sqlite:///unused.sqlite3", jwt_secret=TEST_SIGNING_KEY)  # type: ignore[call-arg]
).openapi()
schema = schemathesis.openapi.from_dict(_DOCUMENT)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
# Undeclared methods (answered 405) are none of the four checks' business.
schema.config.phases.coverage.unexpected_methods = set()

# --- Seeded ids, swapped in for generated ones -----------------------------------------------

KNOWN: dict[str, list[str]] = {}  # kind of record -> ids seeded in the store (set by `served`)
_KIND_OF_NAME = {
    "case_id": "cases",
    "consent_id": "consents",
    "referral_id": "referrals",
    "partnership_id": "partnerships",
    "network_id": "networks",
    "delegation_id": "delegations",
    "professional_id": "professionals",
    "founder_id": "professionals",
    "inviter_id": "professionals",
    "invitee_id": "professionals",
    "coordinator_id": "professionals",
    "signatory_id": "professionals",
    "recipient_professional_id": "professionals",
}


def _kind(name: str) -> str | None:
    if name.endswith("institution_id"):
        return "institutions"
    return _KIND_OF_NAME.get(name)


def _sometimes_known(values: Any) -> st.SearchStrategy[Any]:
    """The generated values, with each id named like a seeded record maybe replaced by one."""
    if not isinstance(values, dict) or not values:
        return st.just(values)
    strategies: dict[str, st.SearchStrategy[Any]] = {}
    for name, value in values.items():
        known = KNOWN.get(_kind(name) or "", [])
        if known and isinstance(value, str):
            strategies[name] = st.sampled_from([value, *known])
        else:
            strategies[name] = st.just(value)
    return st.fixed_dictionaries(strategies)


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: Any) -> st.SearchStrategy[Any]:
    return _sometimes_known(path_parameters)


@schema.hook
def flatmap_query(context: Any, query: Any) -> st.SearchStrategy[Any]:
    return _sometimes_known(query)


@schema.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    return _sometimes_known(body)


@schema.hook
def flatmap_headers(context: Any, headers: Any) -> st.SearchStrategy[Any]:
    """A generated If-Match is rarely an ETag: sometimes leave it out (it is optional)."""
    if not isinstance(headers, dict) or "If-Match" not in headers:
        return st.just(headers)
    without = {name: value for name, value in headers.items() if name != "If-Match"}
    return st.sampled_from([headers, without])


# --- The store and the app ------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A fresh, migrated store for the module (as `store_settings`, at module scope)."""
    if ON_POSTGRES:
        name = f"t_{uuid.uuid4().hex[:16]}"
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=TEST_URL,
            database_schema=name,
            jwt_secret=TEST_SIGNING_KEY,
        )
        upgrade(settings)
        yield settings
        engine = create_engine(TEST_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()
    else:
        path = tmp_path_factory.mktemp("schema") / "maillage.sqlite3"
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite:///{path}",
            jwt_secret=TEST_SIGNING_KEY,
        )
        upgrade(settings)
        yield settings


def seed(app: Maillage) -> tuple[World, dict[str, list[str]]]:
    world = World.build(app)
    jeanne = world.actor("jeanne")
    case_id = world.open_case("jeanne")
    consent = app.give_consent(
        case_id=case_id,
        by=jeanne,
        giver="beneficiary",
        recipients=[world.i("cmp")],
        categories=["health"],
        occurred_at=ago(8),
    )
    referral = app.refer(
        case_id=case_id,
        by=jeanne,
        to_institution_id=world.i("ase"),
        reason="needs a child welfare assessment",
        legal_ground=CHILD_PROTECTION,
        occurred_at=ago(7),
    )
    partnership_id = world.convention("aemo", "ase")
    network = app.found_informal_network(
        name="Réseau Colmar", values_statement="trust", founder_id=world.p("jeanne")
    )
    app.invite_to_network(
        network_id=network.id, inviter_id=world.p("jeanne"), invitee_id=world.p("karim")
    )
    delegation = app.grant_delegation(
        institution_id=world.i("aemo"),
        professional_id=world.p("jeanne"),
        scope=["home_visit", "case_participation"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 12, 31),
        case_id=case_id,
    )
    known = {
        "institutions": list(world.institutions.values()),
        "professionals": list(world.professionals.values()),
        "cases": [case_id],
        "consents": [consent.entity_id],
        "referrals": [referral.entity_id],
        "partnerships": [partnership_id],
        "networks": [network.id],
        "delegations": [delegation.id],
    }
    return world, {kind: [str(i) for i in ids] for kind, ids in known.items()}


@dataclass
class Served:
    app: Any  # the ASGI app as schemathesis calls it (its lifespan already run)
    settings: Settings
    world: World

    def headers(
        self, role: Role, subject: uuid.UUID, institution: uuid.UUID | None = None
    ) -> dict[str, str]:
        token = mint_token(self.settings, subject=subject, role=role, institution_id=institution)
        return {"Authorization": f"Bearer {token}"}


def as_served(app: Any) -> Any:
    """The app as a server runs it, for schemathesis's in-process ASGI client.

    - It answers the lifespan protocol itself: `served` already runs the app's lifespan, which
      schemathesis would otherwise start again, wiring a second store into `app.state`.
    - An unexpected error, once the app has answered its 500 problem, ends there (as under a
      server) instead of propagating into the test: the checks judge the 500 like any other
      response, and the app's log line ("unexpected X at file:line") shows in the failure.
    """

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        answered = False

        async def sending(message: dict[str, Any]) -> None:
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await app(scope, receive, sending)
        except Exception:
            if not answered:
                raise

    return asgi


@pytest.fixture(scope="module")
def served(store: Settings) -> Iterator[Served]:
    seeding = build_application(store)
    seeding.time = TimePolicy(clock=lambda: NOW)
    try:
        world, known = seed(seeding)
    finally:
        seeding.close()
    settings = store.model_copy(update={"embedded_projections": True})
    app = create_app(settings)
    KNOWN.update(known)
    try:
        with (
            start_blocking_portal() as portal,
            portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        ):
            yield Served(as_served(app), settings, world)
    finally:
        KNOWN.clear()


def call_and_validate(case: schemathesis.Case, served: Served, headers: dict[str, str]) -> None:
    case.call_and_validate(app=served.app, headers=headers, checks=CHECKS)


# --- The runs -------------------------------------------------------------------------------


@schema.parametrize()
@BOUNDED
def test_as_admin(case: schemathesis.Case, served: Served) -> None:
    call_and_validate(case, served, served.headers(Role.ADMIN, uuid.uuid4()))


@schema.parametrize()
@BOUNDED
def test_as_case_worker(case: schemathesis.Case, served: Served) -> None:
    world = served.world
    headers = served.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
    call_and_validate(case, served, headers)


@schema.include(method="GET").parametrize()
@BOUNDED
def test_reads_as_supervisor(case: schemathesis.Case, served: Served) -> None:
    """Audit trails, involvement and caseloads are a supervisor's: their reads, in that role."""
    world = served.world
    headers = served.headers(Role.SUPERVISOR, world.p("jeanne"), world.i("aemo"))
    call_and_validate(case, served, headers)


# --- Edge values random generation rarely hits ----------------------------------------------


@dataclass(frozen=True)
class Edge:
    role: Role
    method: str
    path: str  # as in the schema; {case_id} and {institution_id} name the seeded case and AEMO
    query: dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    body: Any = None


EDGES: dict[str, Edge] = {
    "If-Match with a non-ASCII digit": Edge(
        Role.CASE_WORKER,
        "POST",
        "/cases/{case_id}/closure",
        headers={"If-Match": "\u00b2"},  # '²': str.isdigit() says yes, int() says no
        body={"reason": "done"},
    ),
    "If-Match beyond int()'s digit limit": Edge(
        Role.CASE_WORKER,
        "POST",
        "/cases/{case_id}/closure",
        headers={"If-Match": "9" * 5000},
        body={"reason": "done"},
    ),
    "audit cursor with a non-ASCII digit": Edge(
        Role.SUPERVISOR,
        "GET",
        "/cases/{case_id}/audit",
        query={"purpose": "audit", "cursor": "\u00b2"},
    ),
    "audit cursor beyond a 64-bit integer": Edge(
        Role.SUPERVISOR,
        "GET",
        "/cases/{case_id}/audit",
        query={"purpose": "audit", "cursor": str(2**63)},
    ),
    "institution audit cursor with a non-ASCII digit": Edge(
        Role.SUPERVISOR, "GET", "/institutions/{institution_id}/audit", query={"cursor": "\u00b2"}
    ),
    "institution audit cursor beyond a 64-bit integer": Edge(
        Role.SUPERVISOR, "GET", "/institutions/{institution_id}/audit", query={"cursor": "9" * 30}
    ),
    "occurred_at at the edge of the calendar": Edge(
        Role.CASE_WORKER,
        "POST",
        "/cases/{case_id}/interventions",
        body={"kind": "home_visit", "occurred_at": "0001-01-01T00:00:00+05:00"},
    ),
    "NUL in a search filter": Edge(Role.ADMIN, "GET", "/institutions", query={"name": "\x00"}),
    "NUL in a paging cursor": Edge(Role.ADMIN, "GET", "/delegations", query={"cursor": "\x00"}),
}


@pytest.mark.parametrize("edge", EDGES.values(), ids=EDGES.keys())
def test_edge_values(edge: Edge, served: Served) -> None:
    """Values an attacker tries first, under the same checks as the generated requests."""
    world = served.world
    seeded = {"case_id": KNOWN["cases"][0], "institution_id": str(world.i("aemo"))}
    operation = schema[edge.path][edge.method]
    case = operation.Case(
        path_parameters={k: v for k, v in seeded.items() if "{" + k + "}" in edge.path},
        query=edge.query,
        headers=edge.headers,
        **({"body": edge.body} if edge.body is not None else {}),
    )
    headers = served.headers(edge.role, world.p("jeanne"), world.i("aemo"))
    call_and_validate(case, served, headers)


async def test_text_with_nul_does_not_stall_the_read_side(api: Api) -> None:
    """Any text a client sends, the read side can hold, or the command refuses it.

    A case opened with a NUL in the participant's role, then a read of that write (`after`):
    a projection that cannot store the text would stop there, and every view with it.
    Its own store (the `api` fixture): a stalled read side would spoil the module's.
    """
    world = World.build(api.maillage)
    jeanne = api.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
    body = {
        "beneficiary": {"first_name": "Léonard", "last_name": "Zwiller"},
        "legal_framework": "judicial",
        "role": "referent\x00",
    }
    refused = await api.client.post("/cases", json=body, headers=jeanne)
    schema["/cases"]["POST"].Case(body=body).validate_response(refused, checks=CHECKS)
    assert refused.status_code == 422
    assert refused.json()["rule"] == "invalid-text"
    # Nothing was stored: the next write is projected and read as usual.
    opened = await api.client.post("/cases", json={**body, "role": "referent"}, headers=jeanne)
    assert opened.status_code == 201
    query = {"purpose": "follow_up", "after": opened.json()["position"]}
    case_id = opened.json()["id"]
    read = await api.client.get(f"/cases/{case_id}/coherence", params=query, headers=jeanne)
    operation = schema["/cases/{case_id}/coherence"]["GET"]
    operation.Case(path_parameters={"case_id": case_id}, query=query).validate_response(
        read, checks=CHECKS
    )
