"""What an admitted route answers belongs to someone — a case's file, its FHIR view, a list of
people, an audit trail — and no cache between the service and its reader keeps it
(`Cache-Control: no-store`, set by `api.http.guard.GuardedRoute`); what every caller may read
(health, the vocabulary of the API) may be cached. Found from outside: the case, its FHIR view and
feed pages carried no `Cache-Control`."""

from __future__ import annotations

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World

READ = {"purpose": "coordination"}


async def test_answers_for_someone_are_kept_by_no_cache(api: Api) -> None:
    world = World.build(api.maillage)
    case_id = world.open_case()
    jeanne = api.headers(Role.CASE_WORKER, world.p("jeanne"), world.i("aemo"))
    admin = api.headers(Role.ADMIN)
    for path, params, headers in (
        (f"/cases/{case_id}", READ, jeanne),
        (f"/cases/{case_id}/fhir", READ, jeanne),
        ("/professionals", {}, admin),
        ("/integration/clients", {}, admin),
    ):
        answer = await api.client.get(path, params=params, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.headers["cache-control"] == "no-store", path
        assert answer.headers["x-content-type-options"] == "nosniff", path
    written = await api.client.post(
        f"/cases/{case_id}/interventions",
        json={"kind": "home_visit", "summary": "visite"},
        headers=jeanne,
    )
    assert (written.status_code, written.headers["cache-control"]) == (200, "no-store")


async def test_what_anyone_reads_keeps_its_own_caching(api: Api) -> None:
    health = await api.client.get("/health")
    assert health.status_code == 200
    assert "cache-control" not in health.headers
