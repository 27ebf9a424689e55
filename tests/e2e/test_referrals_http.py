"""Referrals, both sides, over HTTP (issue 17 §1): a referral shares on a consent or a legal
ground like a share; the referring side revokes it before an answer; unanswered, it expires and
the referrer is told; each institution lists what it received and made; until it is accepted,
the referred institution reads what the referral shares, never the file."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import httpx

from domain.access import Role
from domain.event_classes import CaseContentRead, ReferralMade
from tests.e2e.conftest import Api
from tests.world import CHILD_PROTECTION_JSON, NOW, World, events_since, position

READ = {"purpose": "follow_up"}


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _refused(response: httpx.Response, status: int, rule: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["rule"] == rule, body
    return body


class Scene:
    """The registry of `World`, a case opened by Jeanne (AEMO), and a supervisor of each of
    the AEMO, the ASE and the school."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = World.build(api.maillage)
        self.case = self.world.open_case()
        self.supervisors = {}
        for key in ("aemo", "ase", "school"):
            pid = api.maillage.register_professional(name=f"Chef {key}", profession="chef").id
            api.maillage.start_employment(
                professional_id=pid, institution_id=self.world.i(key), start=date(2020, 1, 1)
            )
            self.supervisors[key] = pid

    def worker(self, who: str) -> dict[str, str]:
        actor = self.world.actor(who)
        return self.api.headers(Role.CASE_WORKER, actor.professional_id, actor.institution_id)

    def supervisor(self, institution: str) -> dict[str, str]:
        return self.api.headers(
            Role.SUPERVISOR, self.supervisors[institution], self.world.i(institution)
        )

    def consent(self, to: str, *categories: str, case: UUID | None = None) -> UUID:
        recorded = self.api.maillage.give_consent(
            case_id=case or self.case,
            by=self.world.actor("jeanne"),
            giver="beneficiary",
            recipients=[self.world.i(to)],
            categories=list(categories),
        )
        assert recorded.entity_id is not None
        return recorded.entity_id

    async def refer(self, to: str, case: UUID | None = None, **body: Any) -> httpx.Response:
        return await self.api.client.post(
            f"/cases/{case or self.case}/referrals",
            json={"to_institution_id": str(self.world.i(to)), "reason": "Bilan demandé", **body},
            headers=self.worker("jeanne"),
        )

    async def referral(self, to: str = "ase", case: UUID | None = None, **body: Any) -> str:
        """A referral to `to`, on the person's consent to share who they are."""
        self.consent(to, *body.get("categories", ["identity"]), case=case)
        return str(_ok(await self.refer(to, case, **body))["entity_id"])

    async def inbox(self, headers: dict[str, str], **params: Any) -> dict[str, Any]:
        query = {"after": position(self.api.maillage), **params}
        return _ok(await self.api.client.get("/referrals", params=query, headers=headers))

    def url(self, referral: str, case: UUID | None = None) -> str:
        return f"/cases/{case or self.case}/referrals/{referral}"


# --- a referral shares: consent or legal ground ------------------------------------------


async def test_a_referral_without_consent_or_ground_is_refused_and_records_nothing(
    api: Api,
) -> None:
    s = Scene(api)
    before = position(api.maillage)

    refused = _refused(await s.refer("ase"), 422, "no-legal-basis-for-sharing")

    assert refused["field"] == "categories"
    assert refused["details"]["uncovered"] == ["identity"]  # what it shares by default
    assert position(api.maillage) == before


async def test_a_referral_on_consent_records_the_categories_and_the_consents(api: Api) -> None:
    s = Scene(api)
    consent = s.consent("cmp", "identity", "health")
    before = position(api.maillage)

    referred = _ok(await s.refer("cmp", categories=["identity", "health"]))

    [made] = events_since(api.maillage, before)
    assert isinstance(made, ReferralMade)
    assert made.referral_id == UUID(referred["entity_id"])
    assert (made.categories, made.consent_ids) == (["identity", "health"], [consent])
    assert (made.legal_ground, made.legal_reference) == (None, None)


async def test_a_referral_beyond_the_consent_is_refused(api: Api) -> None:
    s = Scene(api)
    s.consent("cmp", "identity")
    before = position(api.maillage)

    refused = _refused(
        await s.refer("cmp", categories=["identity", "health"]), 422, "no-legal-basis-for-sharing"
    )

    assert refused["details"]["uncovered"] == ["health"]
    assert position(api.maillage) == before


async def test_a_referral_on_a_legal_ground_records_its_statute(api: Api) -> None:
    s = Scene(api)
    before = position(api.maillage)

    _ok(await s.refer("ase", categories=["identity"], legal_ground=CHILD_PROTECTION_JSON))

    [made] = events_since(api.maillage, before)
    assert isinstance(made, ReferralMade)
    assert made.consent_ids == []
    assert made.legal_ground.code == "shared_secrecy_child_protection"
    assert made.legal_reference == "CASF art. L.226-2-2"


async def test_a_legal_ground_whose_conditions_fail_is_refused_like_a_share(api: Api) -> None:
    s = Scene(api)
    before = position(api.maillage)
    ground = {**CHILD_PROTECTION_JSON, "attested": ["strictly_necessary"]}

    refused = _refused(
        await s.refer("ase", legal_ground=ground), 422, "legal-ground-conditions-not-met"
    )

    assert "recipient_bound_by_secrecy" in refused["details"]["missing_conditions"]
    assert position(api.maillage) == before


# --- revoking ---------------------------------------------------------------------------------


async def test_a_revoked_referral_cannot_be_accepted_nor_declined(api: Api) -> None:
    s = Scene(api)
    referral = await s.referral("ase")

    _ok(
        await api.client.post(
            f"{s.url(referral)}/revocation",
            json={"reason": "La famille a trouvé une autre solution"},
            headers=s.worker("jeanne"),
        )
    )
    accepted = await api.client.post(
        f"{s.url(referral)}/acceptance", json={}, headers=s.worker("karim")
    )
    declined = await api.client.post(
        f"{s.url(referral)}/decline", json={"reason": "Non"}, headers=s.worker("karim")
    )

    for answer in (accepted, declined):
        body = _refused(answer, 409, "referral-not-pending")
        assert (body["field"], body["details"]["status"]) == ("referral_id", "revoked")
    inbox = await s.inbox(s.worker("karim"))
    assert [i["status"] for i in inbox["items"]] == ["revoked"]


async def test_the_referred_side_cannot_revoke(api: Api) -> None:
    s = Scene(api)
    referral = await s.referral("ase")
    before = position(api.maillage)

    _refused(
        await api.client.post(
            f"{s.url(referral)}/revocation", json={"reason": "Non"}, headers=s.worker("karim")
        ),
        403,
        "access-denied",
    )

    assert position(api.maillage) == before


async def test_an_answered_referral_cannot_be_revoked(api: Api) -> None:
    s = Scene(api)
    referral = await s.referral("ase")
    _ok(await api.client.post(f"{s.url(referral)}/acceptance", json={}, headers=s.worker("karim")))

    body = _refused(
        await api.client.post(
            f"{s.url(referral)}/revocation",
            json={"reason": "Trop tard"},
            headers=s.worker("jeanne"),
        ),
        409,
        "referral-not-pending",
    )

    assert body["details"]["status"] == "accepted"


# --- expiry -----------------------------------------------------------------------------------


async def test_an_expired_referral_cannot_be_answered_and_the_referrer_is_told(api: Api) -> None:
    s = Scene(api)
    referral = await s.referral("ase")
    api.travel(NOW + timedelta(days=31))  # past MAILLAGE_REFERRAL_EXPIRY_DAYS (30)

    accepted = await api.client.post(
        f"{s.url(referral)}/acceptance", json={}, headers=s.worker("karim")
    )
    revoked = await api.client.post(
        f"{s.url(referral)}/revocation", json={"reason": "Relance"}, headers=s.worker("jeanne")
    )

    for answer in (accepted, revoked):
        assert _refused(answer, 409, "referral-not-pending")["details"]["status"] == "expired"
    [item] = (await s.inbox(s.worker("karim"), status="expired"))["items"]
    assert (item["referral_id"], item["status"], item["status_label"]) == (
        referral,
        "expired",
        "Expirée",
    )
    assert (await s.inbox(s.worker("karim"), status="pending"))["items"] == []
    file = _ok(await api.client.get(f"/cases/{s.case}", params=READ, headers=s.worker("jeanne")))
    assert [(r["status"], r["status_label"]) for r in file["referrals"]] == [("expired", "Expirée")]
    view = _ok(
        await api.client.get(
            f"/cases/{s.case}/coherence",
            params={**READ, "after": position(api.maillage)},
            headers=s.worker("jeanne"),
        )
    )
    [alert] = [a for a in view["alerts"] if a["kind"] == "referral_expired"]
    assert alert["counterpart_institution_id"] == str(s.world.i("ase"))
    assert alert["raised_at"].startswith("2026-12-20")  # made on 20 November, 30 days
    assert alert["message"] == (
        "Jeanne (AEMO Colmar) a orienté la personne vers ASE 68 le 20 novembre 2026 : restée "
        "sans réponse, l'orientation a expiré le 20 décembre 2026."
    )


async def test_a_supervisor_of_the_referrer_acknowledges_an_expired_referral(api: Api) -> None:
    s = Scene(api)
    await s.referral("ase")
    api.travel(NOW + timedelta(days=31))
    url = f"/cases/{s.case}/coherence"
    caught_up = {**READ, "after": position(api.maillage)}  # the referral projected first
    view = _ok(await api.client.get(url, params=caught_up, headers=s.supervisor("aemo")))
    [alert] = [a for a in view["alerts"] if a["kind"] == "referral_expired"]

    acknowledged = _ok(
        await api.client.post(
            f"/cases/{s.case}/alert-acknowledgements",
            json={
                "alert_kind": "referral_expired",
                "versions": [e["version"] for e in alert["events"]],
                "note": "Appel à l'ASE : nouvelle orientation à faire",
            },
            headers=s.supervisor("aemo"),
        )
    )

    after = _ok(
        await api.client.get(
            url,
            params={**READ, "after": acknowledged["position"], "alerts": "all"},
            headers=s.supervisor("aemo"),
        )
    )
    assert [a for a in after["alerts"] if a["kind"] == "referral_expired"] == []
    [kept] = [a for a in after["alert_history"] if a["kind"] == "referral_expired"]
    assert kept["acknowledgement"]["note"] == "Appel à l'ASE : nouvelle orientation à faire"


# --- the inboxes ------------------------------------------------------------------------------


async def test_an_inbox_pages_filters_and_names(api: Api) -> None:
    s = Scene(api)
    other_case = s.world.open_case()
    first = await s.referral("ase")
    second = await s.referral("ase", case=other_case)
    third = await s.referral("ase", categories=["identity", "health"])
    _ok(await api.client.post(f"{s.url(first)}/acceptance", json={}, headers=s.worker("karim")))
    karim = s.worker("karim")

    page1 = await s.inbox(karim, limit=2)
    assert page1["next_cursor"] is not None
    page2 = await s.inbox(karim, limit=2, cursor=page1["next_cursor"])
    assert page2["next_cursor"] is None
    listed = [i["referral_id"] for i in page1["items"] + page2["items"]]
    assert sorted(listed) == sorted([first, second, third])
    assert len(listed) == 3

    pending = (await s.inbox(karim, status="pending"))["items"]
    assert sorted(i["referral_id"] for i in pending) == sorted([second, third])
    [accepted] = (await s.inbox(karim, status="accepted"))["items"]
    assert (accepted["referral_id"], accepted["answered_by_name"]) == (first, "Karim")
    on_other = (await s.inbox(karim, case_id=str(other_case)))["items"]
    assert [i["referral_id"] for i in on_other] == [second]
    [item] = [i for i in page1["items"] + page2["items"] if i["referral_id"] == third]
    assert item["referred_by_name"] == "Jeanne"
    assert (item["from_institution_name"], item["to_institution_name"]) == ("AEMO Colmar", "ASE 68")
    assert item["category_labels"] == ["Identité", "Santé"]
    assert item["expires_at"].startswith("2026-12-20")
    assert "reason" not in item  # personal: on the referral's own view only

    sent = await s.inbox(s.supervisor("aemo"), box="sent")
    assert sorted(i["referral_id"] for i in sent["items"]) == sorted([first, second, third])
    assert (await s.inbox(s.supervisor("aemo")))["items"] == []  # the AEMO received none


async def test_another_institution_sees_nothing_of_a_referral(api: Api) -> None:
    s = Scene(api)
    referral = await s.referral("ase")

    for box in ("received", "sent"):
        assert (await s.inbox(s.worker("paul"), box=box))["items"] == []
        assert (await s.inbox(s.supervisor("school"), box=box))["items"] == []
    _refused(
        await api.client.get(s.url(referral), params=READ, headers=s.supervisor("school")),
        403,
        "access-denied",
    )


async def test_the_inboxes_refuse_funders_admins_and_the_unemployed(api: Api) -> None:
    s = Scene(api)
    api.maillage.end_employment(
        professional_id=s.world.p("karim"), institution_id=s.world.i("ase"), end=NOW.date()
    )
    api.travel(NOW + timedelta(days=1))

    for headers in (
        api.headers(Role.FUNDER, institution=s.world.i("ase")),
        api.headers(Role.ADMIN),
        s.worker("karim"),
    ):
        _refused(await api.client.get("/referrals", headers=headers), 403, "access-denied")


# --- what the referred institution reads --------------------------------------------------


async def test_until_accepted_the_referred_institution_reads_the_referral_not_the_file(
    api: Api,
) -> None:
    s = Scene(api)
    referral = await s.referral("ase")
    ase_head = s.supervisor("ase")

    _refused(
        await api.client.get(f"/cases/{s.case}", params=READ, headers=ase_head),
        403,
        "access-denied",
    )
    _refused(
        await api.client.get(
            f"/cases/{s.case}/audit", params={"purpose": "audit"}, headers=ase_head
        ),
        403,
        "access-denied",
    )
    before = position(api.maillage)
    shown = _ok(await api.client.get(s.url(referral), params=READ, headers=ase_head))

    assert shown["reason"] == "Bilan demandé"
    assert shown["beneficiary"] == {
        "first_name": "Léo",
        "last_name": "Schmitt",
        "birth_date": "2015-05-14",
    }
    assert (shown["status"], shown["categories"]) == ("pending", ["identity"])
    assert shown["referred_by_name"] == "Jeanne"
    [read] = events_since(api.maillage, before)
    assert isinstance(read, CaseContentRead)
    assert (read.view, read.purpose, read.case_id) == ("referral", "follow_up", s.case)

    _ok(await api.client.post(f"{s.url(referral)}/acceptance", json={}, headers=s.worker("karim")))
    _ok(
        await api.client.post(
            f"/cases/{s.case}/participants", json={"role": "ASE"}, headers=s.worker("karim")
        )
    )
    _ok(await api.client.get(f"/cases/{s.case}", params=READ, headers=ase_head))
    _ok(await api.client.get(f"/cases/{s.case}", params=READ, headers=s.worker("karim")))


async def test_a_pending_referral_lets_no_one_join_before_it_is_accepted(api: Api) -> None:
    s = Scene(api)
    referral = await s.referral("ase")
    join = {"role": "référent ASE"}

    _refused(
        await api.client.post(
            f"/cases/{s.case}/participants", json=join, headers=s.worker("karim")
        ),
        403,
        "access-denied",
    )
    _ok(await api.client.post(f"{s.url(referral)}/acceptance", json={}, headers=s.worker("karim")))
    _ok(
        await api.client.post(f"/cases/{s.case}/participants", json=join, headers=s.worker("karim"))
    )


async def test_the_referral_shows_the_identity_only_when_it_shares_it(api: Api) -> None:
    s = Scene(api)
    referral = await s.referral("cmp", categories=["health"])
    sophie = s.worker("sophie")

    shown = _ok(await api.client.get(s.url(referral), params=READ, headers=sophie))

    assert shown["beneficiary"] is None
    assert (shown["categories"], shown["category_labels"]) == (["health"], ["Santé"])
    assert "Léo" not in str(shown)
    assert "Schmitt" not in str(shown)
    # the referring side reads it too
    assert (
        _ok(await api.client.get(s.url(referral), params=READ, headers=s.worker("jeanne")))[
            "to_institution_name"
        ]
        == "CMP Colmar"
    )


async def test_a_declined_referral_no_longer_shows_the_referred_side_its_reason_or_identity(
    api: Api,
) -> None:
    s = Scene(api)
    referral = await s.referral("ase")
    karim = s.worker("karim")
    read = {"purpose": "follow_up"}
    pending = _ok(await api.client.get(s.url(referral), params=read, headers=karim))
    assert pending["reason"] == "Bilan demandé"
    assert pending["beneficiary"]["first_name"] == "Léo"
    _ok(
        await api.client.post(
            f"{s.url(referral)}/decline", json={"reason": "Pas de place"}, headers=karim
        )
    )
    declined = _ok(await api.client.get(s.url(referral), params=read, headers=karim))
    assert declined["status"] == "declined"
    assert declined["reason"] is None  # the referred side keeps only what became of it
    assert declined["beneficiary"] is None
    mine = _ok(await api.client.get(s.url(referral), params=read, headers=s.worker("jeanne")))
    assert mine["reason"] == "Bilan demandé"  # the referring side, on the case, still reads it


async def test_a_referral_is_shown_to_the_referring_side_on_the_case_or_supervising(
    api: Api,
) -> None:
    s = Scene(api)
    referral = await s.referral("ase")
    colleague = api.maillage.register_professional(name="Léa", profession="éducatrice").id
    api.maillage.start_employment(
        professional_id=colleague, institution_id=s.world.i("aemo"), start=date(2020, 1, 1)
    )
    stranger = api.headers(Role.CASE_WORKER, colleague, s.world.i("aemo"))
    refused = _refused(
        await api.client.get(s.url(referral), params={"purpose": "follow_up"}, headers=stranger),
        403,
        "access-denied",
    )
    assert "intervenants qui interviennent sur le dossier" in refused["detail"]
    head = await api.client.get(
        s.url(referral), params={"purpose": "supervision"}, headers=s.supervisor("aemo")
    )
    assert _ok(head)["reason"] == "Bilan demandé"
