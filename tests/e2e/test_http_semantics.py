"""HTTP semantics of the write side: ETag/If-Match, Idempotency-Key, problem+json errors, the
recorded readings of a case, metrics and logs without personal data."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from eventsourcing.persistence import OperationalError

from api.http.app import create_app
from api.http.auth import mint_token
from api.http.deps import services_of
from api.settings import Settings
from domain.access import Role
from domain.application import Maillage
from tests.e2e.conftest import Api
from tests.world import World

PROBLEM = "application/problem+json"


class Setup:
    """A case opened by Jeanne (AEMO) through the API, and her token."""

    def __init__(self, api: Api, world: World, case_id: UUID) -> None:
        self.api, self.world, self.case_id = api, world, case_id
        self.jeanne = api.headers(
            Role.CASE_WORKER, world.professionals["jeanne"], world.institutions["aemo"]
        )
        claire = api.maillage.register_professional(name="Claire", profession="head").id
        api.maillage.start_employment(
            professional_id=claire,
            institution_id=world.institutions["aemo"],
            start=date(2019, 9, 1),
        )
        self.supervisor = api.headers(Role.SUPERVISOR, claire, world.institutions["aemo"])

    async def version(self) -> int:
        read = await self.api.client.get(
            f"/cases/{self.case_id}", params={"purpose": "follow_up"}, headers=self.jeanne
        )
        assert read.status_code == 200, read.text
        return int(read.headers["ETag"].strip('"'))

    async def audit(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"purpose": "audit", "limit": 50}
            if cursor:
                params["cursor"] = cursor
            params["after"] = self.api.maillage.recorder.max_notification_id()
            page = await self.api.client.get(
                f"/cases/{self.case_id}/audit", params=params, headers=self.supervisor
            )
            assert page.status_code == 200, page.text
            body = page.json()
            entries += body["items"]
            cursor = body["next_cursor"]
            if cursor is None:
                return entries


@pytest.fixture
async def setup(api: Api) -> Setup:
    world = World.build(api.maillage)
    jeanne = api.headers(
        Role.CASE_WORKER, world.professionals["jeanne"], world.institutions["aemo"]
    )
    opened = await api.client.post(
        "/cases",
        json={
            "beneficiary": {"first_name": "Léonard", "last_name": "Zwiller"},
            "legal_framework": "judicial",
        },
        headers=jeanne,
    )
    assert opened.status_code == 201, opened.text
    assert opened.headers["Location"] == f"/cases/{opened.json()['id']}"
    return Setup(api, world, UUID(opened.json()["id"]))


def visit(**extra: Any) -> dict[str, Any]:
    return {"kind": "home_visit", **extra}


# --- ETag and If-Match ----------------------------------------------------------------------


async def test_a_stale_if_match_is_refused_and_records_nothing(setup: Setup) -> None:
    client, path = setup.api.client, f"/cases/{setup.case_id}/interventions"
    assert await setup.version() == 1
    first = await client.post(path, json=visit(), headers={**setup.jeanne, "If-Match": '"1"'})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == '"2"'

    stale = await client.post(path, json=visit(), headers={**setup.jeanne, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == PROBLEM
    assert stale.json()["rule"] == "stale-version"
    assert stale.headers["ETag"] == '"2"'
    assert await setup.version() == 2  # nothing was recorded

    star = await client.post(path, json=visit(), headers={**setup.jeanne, "If-Match": "*"})
    assert star.status_code == 200
    assert await setup.version() == 3


async def test_a_malformed_if_match_is_a_clear_422(setup: Setup) -> None:
    refused = await setup.api.client.post(
        f"/cases/{setup.case_id}/interventions",
        json=visit(),
        headers={**setup.jeanne, "If-Match": "yesterday"},
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "header.If-Match"
    assert await setup.version() == 1


async def test_registry_reads_carry_the_version_as_etag(setup: Setup) -> None:
    admin = setup.api.headers(Role.ADMIN)
    aemo = setup.world.institutions["aemo"]
    read = await setup.api.client.get(f"/institutions/{aemo}", headers=admin)
    assert read.status_code == 200
    assert read.headers["ETag"] == f'"{read.json()["version"]}"'


# --- Idempotency-Key ------------------------------------------------------------------------


async def test_a_retried_post_returns_the_first_answer_and_records_once(setup: Setup) -> None:
    client, path = setup.api.client, f"/cases/{setup.case_id}/interventions"
    headers = {**setup.jeanne, "Idempotency-Key": "visit-2026-11-20-a"}
    first = await client.post(path, json=visit(summary="visite"), headers=headers)
    again = await client.post(path, json=visit(summary="visite"), headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["ETag"] == first.headers["ETag"]
    assert await setup.version() == 2

    other = await client.post(path, json=visit(summary="autre"), headers=headers)
    assert other.status_code == 422
    assert other.json()["rule"] == "idempotency-key-reused"
    assert await setup.version() == 2


async def test_concurrent_retries_with_one_key_record_once(setup: Setup) -> None:
    client, path = setup.api.client, f"/cases/{setup.case_id}/interventions"
    headers = {**setup.jeanne, "Idempotency-Key": str(uuid4())}
    answers = await asyncio.gather(
        *(client.post(path, json=visit(), headers=headers) for _ in range(6))
    )
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {200, 409}, [a.text for a in answers]
    recorded = {a.json()["version"] for a in answers if a.status_code == 200}
    assert recorded == {2}
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json()["rule"] == "idempotency-key-in-progress"
    assert await setup.version() == 2


async def test_keys_are_scoped_by_caller(setup: Setup) -> None:
    """Another caller's key never replays someone else's answer."""
    client, path = setup.api.client, f"/cases/{setup.case_id}/interventions"
    key = {"Idempotency-Key": "shared-key"}
    mine = await client.post(path, json=visit(), headers={**setup.jeanne, **key})
    assert mine.status_code == 200
    outsider = setup.api.headers(
        Role.CASE_WORKER, setup.world.professionals["luc"], setup.world.institutions["hospital"]
    )
    theirs = await client.post(path, json=visit(), headers={**outsider, **key})
    assert theirs.status_code == 403
    assert "Idempotent-Replayed" not in theirs.headers


async def test_a_refusal_is_replayed_too_and_a_bad_key_is_refused(setup: Setup) -> None:
    client, path = setup.api.client, f"/cases/{setup.case_id}/interventions"
    headers = {**setup.jeanne, "Idempotency-Key": "k-1"}
    refused = await client.post(path, json=visit(kind="gardening"), headers=headers)
    assert refused.status_code == 422
    replay = await client.post(path, json=visit(kind="gardening"), headers=headers)
    assert replay.status_code == 422
    assert replay.headers["Idempotent-Replayed"] == "true"

    bad = await client.post(
        path, json=visit(), headers={**setup.jeanne, "Idempotency-Key": "with spaces"}
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "header.Idempotency-Key"
    assert await setup.version() == 1


# --- problems -------------------------------------------------------------------------------


async def test_errors_are_problems_naming_the_field_or_rule(setup: Setup) -> None:
    client = setup.api.client
    interventions = f"/cases/{setup.case_id}/interventions"

    malformed = await client.post(
        interventions,
        content=b"{not json",
        headers={**setup.jeanne, "content-type": "application/json"},
    )
    assert malformed.status_code == 422
    assert malformed.headers["content-type"] == PROBLEM

    invalid = await client.post(interventions, json={"kind": "nap"}, headers=setup.jeanne)
    body = invalid.json()
    assert (invalid.status_code, body["rule"], body["field"]) == (
        422,
        "invalid-request",
        "body.kind",
    )
    assert body["type"] == "urn:maillage:problem:invalid-request"

    unknown = await client.post(
        f"/cases/{uuid4()}/interventions", json=visit(), headers=setup.jeanne
    )
    assert (unknown.status_code, unknown.json()["rule"]) == (404, "not-found")

    future = await client.post(
        interventions, json=visit(occurred_at="2031-01-01T10:00:00Z"), headers=setup.jeanne
    )
    assert (future.status_code, future.json()["rule"]) == (422, "occurred-at-in-future")
    assert future.json()["field"] == "occurred_at"

    closed = await client.post(
        f"/cases/{setup.case_id}/closure", json={"reason": "fin de mesure"}, headers=setup.jeanne
    )
    assert closed.status_code == 200
    after_close = await client.post(interventions, json=visit(), headers=setup.jeanne)
    assert (after_close.status_code, after_close.json()["rule"]) == (409, "case-closed")

    no_route = await client.get("/nowhere", headers=setup.jeanne)
    assert (no_route.status_code, no_route.headers["content-type"]) == (404, PROBLEM)
    assert await setup.version() == 2  # only the closing was recorded


async def test_text_no_store_can_keep_is_refused_naming_where_it_is(setup: Setup) -> None:
    """A NUL or a lone surrogate, in a body (at any depth) or a query, is a 422 before any
    record or idempotency claim; the same text without it goes through."""
    client = setup.api.client
    interventions = f"/cases/{setup.case_id}/interventions"
    headers = {**setup.jeanne, "content-type": "application/json"}
    refusals = {
        b'{"kind": "home_visit", "summary": "visite\\u0000"}': "body.summary",
        b'{"kind": "home_visit", "summary": "\\ud800"}': "body.summary",
        b'{"kind": "home_visit", "with_professionals": ["\\u0000"]}': "body.with_professionals.0",
        b'{"kind": "home_visit", "\\u0000": 1}': "body",
    }
    for raw, where in refusals.items():
        refused = await client.post(
            interventions, content=raw, headers={**headers, "Idempotency-Key": "nul-1"}
        )
        assert refused.status_code == 422, raw
        assert refused.headers["content-type"] == PROBLEM
        assert (refused.json()["rule"], refused.json()["field"]) == ("invalid-text", where)
    admin = setup.api.headers(Role.ADMIN)
    in_query = await client.get("/institutions", params={"name": "a\x00"}, headers=admin)
    assert (in_query.status_code, in_query.json()["field"]) == (422, "query.name")
    assert await setup.version() == 1  # nothing recorded

    # The key was not claimed by the refusals: the first good request with it records.
    accepted = await client.post(
        interventions,
        content=b'{"kind": "home_visit", "summary": "visite \\u00e0 domicile \\ud83d\\ude00"}',
        headers={**headers, "Idempotency-Key": "nul-1"},
    )
    assert accepted.status_code == 200, accepted.text
    assert "Idempotent-Replayed" not in accepted.headers
    assert await setup.version() == 2


async def test_a_write_cut_off_at_commit_is_a_503_and_its_key_never_records_twice(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store broke off after committing (the answer was lost): 503 with Retry-After saying
    it was recorded, and a retry with the same key is told so (with the position) instead of
    recording the act a second time."""
    maillage = setup.api.maillage
    record = maillage.record_intervention

    def committed_then_cut_off(**kwargs: Any) -> Any:
        record(**kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(maillage, "record_intervention", committed_then_cut_off)
    path = f"/cases/{setup.case_id}/interventions"
    headers = {**setup.jeanne, "Idempotency-Key": "cut-off-1"}
    cut = await setup.api.client.post(path, json=visit(), headers=headers)
    assert (cut.status_code, cut.json()["rule"]) == (503, "store-unavailable")
    assert cut.headers["Retry-After"] == "1"
    assert cut.json()["outcome"] == "recorded"
    monkeypatch.setattr(maillage, "record_intervention", record)
    # The store looked down, so the claim's lease is ended in the background once it answers
    # (`api.http.idempotency`): until then a retry is told the key is in progress, with
    # Retry-After — and a client retries, as this one does (bounded).
    for _ in range(50):
        retried = await setup.api.client.post(path, json=visit(), headers=headers)
        if retried.json()["rule"] != "idempotency-key-in-progress":
            break
        assert "Retry-After" in retried.headers
        await asyncio.sleep(0.1)
    assert (retried.status_code, retried.json()["rule"]) == (409, "idempotency-key-recorded")
    assert retried.json()["details"]["position"] == maillage.recorder.max_notification_id()
    assert await setup.version() == 2  # recorded once, by the request that was cut off


# --- readings of a case are recorded --------------------------------------------------------


async def test_every_reading_is_recorded_with_its_purpose(setup: Setup) -> None:
    client = setup.api.client
    case = f"/cases/{setup.case_id}"
    assert (await client.get(f"{case}/coherence", headers=setup.jeanne)).status_code == 422
    read = await client.get(
        f"{case}/coherence", params={"purpose": "coordination"}, headers=setup.jeanne
    )
    assert read.status_code == 200
    as_of = await client.get(
        f"{case}/coherence/as-of",
        params={"purpose": "legal_request", "at": "2026-11-20T12:00:00Z", "question": "occurred"},
        headers=setup.jeanne,
    )
    assert as_of.status_code == 200, as_of.text

    await setup.audit()  # the supervisor's first reading of the trail shows in the next one
    readings = [e for e in await setup.audit() if e["event_type"] == "Consultation.CaseContentRead"]
    jeanne = str(setup.world.professionals["jeanne"])
    summaries = [(e["professional_id"], e["summary"]) for e in readings]
    by_jeanne = "Jeanne (AEMO Colmar) a consulté"
    assert (
        jeanne,
        f"{by_jeanne} « Vue de cohérence » (rôle : intervenant), motif : coordination",
    ) in summaries
    assert (
        jeanne,
        f"{by_jeanne} « Vue de cohérence à une date passée » (rôle : intervenant), "
        "motif : demande légale",
    ) in summaries
    # the supervisor's own reading of the audit trail is recorded as well
    assert any("« Piste d'audit » (rôle : encadrant)" in s for _, s in summaries)
    assert all("motif : " in s for _, s in summaries)


# --- operations -----------------------------------------------------------------------------


async def test_metrics_count_requests_and_command_outcomes(setup: Setup) -> None:
    client = setup.api.client
    await client.post(
        f"/cases/{setup.case_id}/interventions", json=visit(kind="care"), headers=setup.jeanne
    )
    await client.post(f"/cases/{uuid4()}/interventions", json=visit(), headers=setup.jeanne)
    metrics = (await client.get("/metrics")).text
    assert 'maillage_commands_total{command="open_case",outcome="recorded"} 1.0' in metrics
    assert (
        'maillage_commands_total{command="record_intervention",outcome="recorded"} 1.0' in metrics
    )
    assert (
        'maillage_http_requests_total{method="POST",route="/cases/{case_id}/interventions",'
        'status="404"} 1.0' in metrics
    )
    assert 'maillage_projection_lag_events{projection="coherence"}' in metrics
    assert str(setup.case_id) not in metrics


async def test_logs_carry_request_ids_and_no_personal_data(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="maillage")
    answer = await setup.api.client.get(
        f"/cases/{setup.case_id}",
        params={"purpose": "follow_up"},
        headers={**setup.jeanne, "X-Request-ID": "req-42"},
    )
    assert answer.headers["X-Request-ID"] == "req-42"
    lines = [r for r in caplog.records if r.name == "maillage.api"]
    assert any(getattr(r, "request_id", None) == "req-42" for r in lines)
    everything = " ".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    for personal in (
        "Léonard",
        "Zwiller",
        str(setup.case_id),
        str(setup.world.professionals["jeanne"]),
    ):
        assert personal not in everything


async def test_a_case_not_yet_projected_is_waited_for_never_a_404(
    store_settings: Settings,
) -> None:
    """A case the log holds but the read side has not reached is waited for (bounded), then
    answered 503 with Retry-After — never 404 as if it did not exist."""
    settings = store_settings.model_copy(update={"embedded_projections": False})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        maillage: Maillage = services_of(app).maillage
        world = World.build(maillage)
        case_id = world.open_case()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            headers = {
                "Authorization": "Bearer "
                + mint_token(
                    settings,
                    subject=world.p("jeanne"),
                    role=Role.CASE_WORKER,
                    institution_id=world.i("aemo"),
                )
            }
            path, query = f"/cases/{case_id}/coherence", {"purpose": "follow_up"}
            behind = await client.get(path, params=query, headers=headers)
            assert (behind.status_code, behind.json()["rule"]) == (503, "read-side-behind")
            assert behind.headers["content-type"] == PROBLEM
            assert behind.headers["Retry-After"] == "1"
            services_of(app).projections.catch_up()  # what a projection worker does
            caught_up = await client.get(path, params=query, headers=headers)
            assert caught_up.status_code == 200, caught_up.text
            assert caught_up.json()["case_id"] == str(case_id)
