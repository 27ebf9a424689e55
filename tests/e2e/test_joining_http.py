"""Joining a case, through HTTP: under a convention whose scope names acts, under a delegation
naming the case — and, when refused, a 403 that says which partnership was considered and why
it did not serve (`domain.access`, `domain.partnership_terms.ConventionLack`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from domain.access import Role
from tests.e2e.conftest import Api
from tests.world import World, position

READ = {"purpose": "follow_up"}


def _worker(api: Api, world: World, who: str) -> dict[str, str]:
    actor = world.actor(who)
    return api.headers(Role.CASE_WORKER, actor.professional_id, actor.institution_id)


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _participants(api: Api, case: UUID, headers: dict[str, str]) -> dict[str, Any]:
    """Each participant's basis, by professional, as the case file shows it."""
    file = _ok(
        await api.client.get(
            f"/cases/{case}",
            params={**READ, "after": position(api.maillage)},
            headers=headers,
        )
    )
    return {p["professional_id"]: p["basis"] for p in file["participants"]}


async def test_a_cmp_worker_joins_under_a_convention_covering_consultation_and_assessment(
    api: Api,
) -> None:
    """The issue's story: the CMP signed a convention with the AEMO (on the case) whose scope
    for the CMP names consultation and assessment — no `case_participation`. Its case worker
    joins on it, consults on it, and reads the file once she takes part."""
    world = World.build(api.maillage)
    case = world.open_case()
    convention = world.convention("aemo", "cmp", kinds=("consultation", "assessment"))
    sophie = _worker(api, world, "sophie")
    url = f"/cases/{case}"

    before = await api.client.get(url, params=READ, headers=sophie)
    assert (before.status_code, before.json()["rule"]) == (403, "access-denied")
    _ok(await api.client.post(f"{url}/participants", json={"role": "psy"}, headers=sophie))
    _ok(
        await api.client.post(
            f"{url}/interventions",
            json={"kind": "consultation", "summary": "Consultation"},
            headers=sophie,
        )
    )

    bases = await _participants(api, case, sophie)
    assert bases[str(world.p("sophie"))] == {"kind": "convention", "ref_id": str(convention)}
    coherence = await api.client.get(
        f"{url}/coherence", params={**READ, "after": position(api.maillage)}, headers=sophie
    )
    actors = {a["professional_id"]: a["basis"]["kind"] for a in _ok(coherence)["actors"]}
    assert actors[str(world.p("sophie"))] == "convention"


async def test_a_refused_join_names_each_partnership_considered_and_why(api: Api) -> None:
    app = api.maillage
    world = World.build(app)
    case = world.open_case()
    unsigned = world.convention("cmp", "aemo", sign=False)
    no_act = world.convention("cmp", "aemo", kinds=())  # information only, no act
    elsewhere = world.convention("cmp", "school", kinds=("consultation",))

    refused = await api.client.post(
        f"/cases/{case}/participants", json={"role": "psy"}, headers=_worker(api, world, "sophie")
    )

    assert refused.status_code == 403
    problem = refused.json()
    assert problem["rule"] == "access-denied"
    assert problem["type"] == "urn:maillage:problem:access-denied"
    assert problem["details"] == {
        "conventions": [
            {"partnership_id": str(unsigned), "reason": "not_signed"},
            {"partnership_id": str(no_act), "reason": "no_action_kinds"},
            {"partnership_id": str(elsewhere), "reason": "no_party_on_case"},
        ],
        "delegations": [],
    }


async def test_a_delegate_whose_institution_is_not_on_the_case_reads_joins_and_acts(
    api: Api,
) -> None:
    """A delegation naming the case is the school's mandate to act on it: Paul reads the file
    and the coherence view, joins under the delegation (its scope names school support only,
    no `case_participation`) and acts within its scope — though the school is not on the case
    and has no convention with the AEMO."""
    app = api.maillage
    world = World.build(app)
    case = world.open_case()
    delegation = world.delegation("paul", case, "school_support")
    paul = _worker(api, world, "paul")
    url = f"/cases/{case}"
    at = {"after": position(app)}

    assert _ok(await api.client.get(url, params={**READ, **at}, headers=paul))["id"] == str(case)
    _ok(await api.client.get(f"{url}/coherence", params={**READ, **at}, headers=paul))
    audit = await api.client.get(f"{url}/audit", params={"purpose": "audit"}, headers=paul)
    assert audit.status_code == 403  # auditing stays with supervisors
    # acting is for those who take part: he joins first
    early = await api.client.post(
        f"{url}/interventions", json={"kind": "school_support"}, headers=paul
    )
    assert (early.status_code, early.json()["rule"]) == (422, "not-a-case-participant")

    _ok(
        await api.client.post(
            f"{url}/participants",
            json={"role": "enseignant", "delegation_id": str(delegation)},
            headers=paul,
        )
    )
    _ok(
        await api.client.post(
            f"{url}/interventions",
            json={"kind": "school_support", "delegation_id": str(delegation)},
            headers=paul,
        )
    )
    bases = await _participants(api, case, paul)
    assert bases[str(world.p("paul"))] == {"kind": "delegation", "ref_id": str(delegation)}


async def test_a_revoked_delegation_opens_nothing_and_the_403_says_so(api: Api) -> None:
    app = api.maillage
    world = World.build(app)
    case = world.open_case()
    delegation = world.delegation("paul", case, "school_support")
    app.revoke_delegation(delegation_id=delegation, reason="fin de mission")

    refused = await api.client.get(
        f"/cases/{case}", params=READ, headers=_worker(api, world, "paul")
    )

    assert refused.status_code == 403
    assert refused.json()["details"] == {
        "delegations": [{"delegation_id": str(delegation), "reason": "revoked"}]
    }
