"""The demo's story (`api.cli.demo.load_demo`) played through HTTP, then read back through HTTP.

Administrators record the registry, case workers act with their own tokens (the domain decides
each basis), and the read side must show what the in-process demo shows: the same deliberate
incoherences on the coherence views, a case's audit trail naming who acted, for which institution
and on what basis — and who read the case, for which purpose — and an as-of view that knows
nothing of a revocation recorded later.

The application's clock is fixed at NOW (it decides `occurred_at`); recording times are the
machine's clock, so "as recorded by" instants are read from the wall clock between commands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from api.cli.demo import INSTITUTIONS, PROFESSIONALS
from api.i18n import FRENCH
from domain.labels import label
from projections.sentence import lower_first
from tests.e2e.conftest import Api
from tests.world import NOW

YEAR_START = date(NOW.year - 1, 1, 1)
SHARED_SECRECY = {
    "code": "shared_secrecy_child_protection",
    "attested": [
        "recipient_bound_by_secrecy",
        "contributes_to_child_protection",
        "strictly_necessary",
        "parental_authority_informed",
    ],
}

# Léo's interventions, as in the demo: (who, kind, days ago).
LEO_PLAN = [
    ("jeanne", "home_visit", 20),
    ("jeanne", "educational_support", 19),
    ("sophie", "consultation", 19),
    ("paul", "school_support", 18),
    ("karim", "assessment", 18),
    ("jeanne", "home_visit", 17),
    ("sophie", "assessment", 16),
    ("luc", "care", 15),
    ("paul", "school_support", 14),
    ("jeanne", "educational_support", 13),
    ("karim", "home_visit", 12),
    ("sophie", "consultation", 12),
    ("jeanne", "home_visit", 10),
    ("paul", "school_support", 9),
    ("luc", "care", 8),
    ("jeanne", "educational_support", 7),
    ("sophie", "consultation", 5),
    ("karim", "assessment", 4),
    ("jeanne", "home_visit", 3),
    ("paul", "school_support", 2),
]
INES_PLAN = [
    ("karim", "assessment", 14),
    ("karim", "home_visit", 12),
    ("paul", "school_support", 11),
    ("jeanne", "educational_support", 10),
    ("karim", "meeting", 7),
    ("paul", "school_support", 5),
    ("jeanne", "home_visit", 4),
    ("karim", "home_visit", 2),
]


FR_KINDS = {k: lower_first(label(FRENCH, "action_kind", k)) for _, k, _ in LEO_PLAN}


# --- HTTP helpers ---------------------------------------------------------------------------


async def post(api: Api, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = await api.client.post(path, json=body, headers=headers)
    assert response.is_success, f"POST {path} -> {response.status_code}: {response.text}"
    return response.json()


async def get(api: Api, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await api.client.get(path, params=params, headers=headers)
    assert response.is_success, f"GET {path} -> {response.status_code}: {response.text}"
    return response.json()


def day(n: int, hour: int = 10, minute: int = 0) -> str:
    """`n` days before NOW, at a working hour (as the demo's `day`)."""
    return (NOW - timedelta(days=n)).replace(hour=hour, minute=minute, second=0).isoformat()


def iso(d: date) -> str:
    return d.isoformat()


@dataclass
class Story:
    """The ids the story creates (by the demo's keys), the tokens of its people, and how far
    into the log its commands reached (to read its writes)."""

    api: Api
    i: dict[str, UUID] = field(default_factory=dict)  # institutions
    p: dict[str, UUID] = field(default_factory=dict)  # professionals
    partnerships: dict[str, UUID] = field(default_factory=dict)
    networks: dict[str, UUID] = field(default_factory=dict)
    delegations: dict[str, UUID] = field(default_factory=dict)
    cases: dict[str, UUID] = field(default_factory=dict)
    position: int = 0  # the log position of the last command

    @property
    def admin(self) -> dict[str, str]:
        return self.api.headers("admin")

    def worker(self, who: str) -> dict[str, str]:
        """A case worker's token: the professional, for their employer."""
        return self.api.headers("case_worker", self.p[who], self.employer(who))

    @property
    def supervisor(self) -> dict[str, str]:
        """Claire, head of the AEMO service."""
        return self.api.headers("supervisor", self.p["claire"], self.i["aemo"])

    def actor(self, who: str) -> dict[str, str]:
        return {"professional_id": str(self.p[who]), "institution_id": str(self.employer(who))}

    def employer(self, who: str) -> UUID:
        return self.i[PROFESSIONALS[who][2]]

    def name(self, some_id: str | None) -> str | None:
        """The story's key for an id, for readable assertion messages."""
        names = {str(v): k for k, v in (self.i | self.p).items()}
        return names.get(some_id) if some_id is not None else None

    async def command(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
        result = await post(self.api, path, body, headers)
        if result.get("position") is not None:
            self.position = max(self.position, result["position"])
        return result

    async def act(self, who: str, case: str, what: str, body: dict[str, Any]) -> Any:
        """A case worker's act on a case: POST /cases/{id}/{what}."""
        return await self.command(f"/cases/{self.cases[case]}/{what}", body, self.worker(who))


# --- the story ------------------------------------------------------------------------------


async def record_registry(s: Story) -> None:
    for key, (name, sector, kind) in INSTITUTIONS.items():
        body = {"name": name, "sector": sector, "kind": kind, "department": "68"}
        s.i[key] = UUID((await s.command("/institutions", body, s.admin))["id"])
    for key, (name, profession, employer) in PROFESSIONALS.items():
        body = {"name": name, "profession": profession}
        s.p[key] = UUID((await s.command("/professionals", body, s.admin))["id"])
        employment = {"institution_id": str(s.i[employer]), "start": "2019-09-01"}
        await s.command(f"/professionals/{s.p[key]}/employments", employment, s.admin)

    async def propose(key: str, body: dict[str, Any], signatories: list[str]) -> None:
        s.partnerships[key] = UUID((await s.command("/partnerships", body, s.admin))["id"])
        for party in signatories:
            signature = {"institution_id": str(s.i[party]), "signed_on": iso(YEAR_START)}
            await s.command(f"/partnerships/{s.partnerships[key]}/signatures", signature, s.admin)

    def scope(party: str, actions: list[str], categories: list[str]) -> dict[str, Any]:
        return {
            "institution_id": str(s.i[party]),
            "action_kinds": actions,
            "information_categories": categories,
        }

    social = ["family_situation", "social", "child_protection", "education"]
    await propose(
        "protocol",
        {
            "kind": "convention",
            "title": "Protocole départemental de prévention et de protection de l'enfance",
            "origin": "mandated",
            "mandate_reference": "Protocole départemental Haut-Rhin 2024 (CASF art. L.226-3)",
            "parties": [str(s.i[k]) for k in ("ase", "aemo", "cmp", "crip")],
            "valid_from": iso(YEAR_START),
            "valid_until": iso(date(NOW.year + 2, 12, 31)),
            "scopes": [
                scope(
                    "ase",
                    [
                        "case_participation",
                        "assessment",
                        "home_visit",
                        "meeting",
                        "information_sharing",
                        "coordination",
                    ],
                    social,
                ),
                scope(
                    "aemo",
                    [
                        "case_participation",
                        "educational_support",
                        "home_visit",
                        "meeting",
                        "information_sharing",
                    ],
                    social,
                ),
                scope(
                    "cmp",
                    [
                        "case_participation",
                        "consultation",
                        "assessment",
                        "meeting",
                        "information_sharing",
                    ],
                    ["health", "family_situation"],
                ),
                scope("crip", ["assessment", "information_sharing"], ["child_protection"]),
            ],
        },
        ["ase", "aemo", "cmp", "crip"],
    )
    await propose(
        "charter",
        {
            "kind": "charter",
            "title": "Charte Colmar jeunesse — agir ensemble autour de l'enfant",
            "origin": "spontaneous",
            "parties": [str(s.i[k]) for k in ("aemo", "school", "ime")],
            "valid_from": iso(YEAR_START),
            "values_statement": "Respect de la personne, co-construction avec les familles.",
        },
        ["aemo", "school", "ime"],
    )
    await propose(
        "care_unsigned",
        {
            "kind": "convention",
            "title": "Convention de soins partagés CMP — pédiatrie",
            "origin": "spontaneous",
            "parties": [str(s.i["cmp"]), str(s.i["hospital"])],
            "valid_from": iso(YEAR_START),
            "scopes": [
                scope("cmp", ["consultation", "information_sharing"], ["health"]),
                scope("hospital", ["care", "information_sharing"], ["health"]),
            ],
        },
        ["cmp"],  # the hospital never signs: not in force
    )

    # The informal network: Jeanne founds it and invites; Paul and Nadia accept for themselves.
    founded = await s.command(
        "/networks/informal",
        {
            "name": "Réseau des éducateurs du Grand Colmar",
            "values_statement": "Échanger entre pairs, en confiance, autour des mêmes enfants.",
            "occurred_at": day(28),
        },
        s.worker("jeanne"),
    )
    informal = s.networks["informal"] = UUID(founded["id"])
    for invitee in ("paul", "nadia"):
        invitation = {"invitee_id": str(s.p[invitee])}
        await s.command(f"/networks/{informal}/invitations", invitation, s.worker("jeanne"))
        acceptance = f"/networks/{informal}/invitations/{s.p[invitee]}/acceptance"
        await s.command(acceptance, {}, s.worker(invitee))

    # The formal network in child mental health: Sophie, Karim and Luc under delegation.
    founded = await s.command(
        "/networks/formal",
        {
            "name": "Réseau santé mentale enfants 68",
            "founding_institutions": [str(s.i[k]) for k in ("cmp", "ase", "hospital")],
            "objectives": ["Réduire le délai d'accès à une consultation pédopsychiatrique"],
            "occurred_at": day(27),
        },
        s.admin,
    )
    formal = s.networks["formal"] = UUID(founded["id"])
    for who in ("sophie", "karim", "luc"):
        granted = await s.command(
            "/delegations",
            {
                "institution_id": str(s.employer(who)),
                "professional_id": str(s.p[who]),
                "network_id": str(formal),
                "scope": ["coordination", "meeting"],
                "valid_from": iso(YEAR_START),
                "valid_until": iso(date(NOW.year + 1, 12, 31)),
            },
            s.admin,
        )
        s.delegations[f"{who}_network"] = UUID(granted["id"])
        admission = {"delegation_id": granted["id"], "occurred_at": day(26)}
        await s.command(f"/networks/{formal}/admissions", admission, s.admin)
    await s.command(
        f"/networks/{formal}/coordinator", {"professional_id": str(s.p["sophie"])}, s.admin
    )


async def play_leo(s: Story) -> dict[str, Any]:
    """Léo's case up to (not including) the revocation; returns the results worth checking."""
    opened = await s.command(
        "/cases",
        {
            "beneficiary": {
                "first_name": "Léo",
                "last_name": "Schmitt",
                "birth_date": "2015-05-14",
            },
            "legal_framework": "judicial",
            "role": "éducatrice référente AEMO",
            "occurred_at": day(24),
        },
        s.worker("jeanne"),
    )
    s.cases["leo"] = leo = UUID(opened["id"])
    await s.act(
        "jeanne",
        "leo",
        "consents",
        {
            "giver": "legal_representative",
            "representative_name": "Mme Schmitt (mère)",
            "recipients": [str(s.i[k]) for k in ("cmp", "ase", "school")],
            "categories": ["health", "education", "family_situation"],
            "occurred_at": day(24, 11),
        },
    )
    await s.act("karim", "leo", "participants", {"role": "référent ASE", "occurred_at": day(23)})
    granted = await s.command(
        "/delegations",
        {
            "institution_id": str(s.i["cmp"]),
            "professional_id": str(s.p["sophie"]),
            "case_id": str(leo),
            "scope": [
                "case_participation",
                "consultation",
                "assessment",
                "meeting",
                "information_sharing",
            ],
            "valid_from": iso((NOW - timedelta(days=23)).date()),
            # `question=recorded` views are assessed at the machine clock's instants, which run
            # ahead of the app's fixed NOW: the delegation must outlive both.
            "valid_until": iso((max(NOW, datetime.now(UTC)) + timedelta(days=180)).date()),
        },
        s.admin,
    )
    s.delegations["sophie_leo"] = UUID(granted["id"])
    await s.act("sophie", "leo", "participants", {"role": "pédopsychiatre", "occurred_at": day(22)})
    await s.act(
        "jeanne",
        "leo",
        "coordinator",
        {"coordinator": s.actor("jeanne"), "occurred_at": day(22, 15)},
    )
    await s.act("paul", "leo", "participants", {"role": "enseignant", "occurred_at": day(21)})
    to_hospital = await s.act(
        "jeanne",
        "leo",
        "referrals",
        {
            "to_institution_id": str(s.i["hospital"]),
            "reason": "Suivi somatique après un passage aux urgences",
            "categories": ["identity"],  # what it shares, on shared secrecy
            "legal_ground": SHARED_SECRECY,
            "occurred_at": day(21, 16),
        },
    )
    await s.act(
        "luc",
        "leo",
        f"referrals/{to_hospital['entity_id']}/acceptance",
        {"occurred_at": day(20, 9)},
    )
    await s.act("luc", "leo", "participants", {"role": "infirmier", "occurred_at": day(20)})
    for who, kind, ago in LEO_PLAN:
        body = {"kind": kind, "summary": kind.replace("_", " "), "occurred_at": day(ago)}
        await s.act(who, "leo", "interventions", body)
    consented_share = await s.act(
        "jeanne",
        "leo",
        "shares",
        {
            "recipient_institution_id": str(s.i["cmp"]),
            "categories": ["family_situation"],
            "summary": "Contexte familial avant la première consultation",
            "occurred_at": day(19, 9),
        },
    )
    secrecy_share = await s.act(
        "jeanne",
        "leo",
        "shares",
        {
            "recipient_institution_id": str(s.i["ase"]),
            "categories": ["child_protection"],
            "legal_ground": SHARED_SECRECY,
            "summary": "Éléments d'évaluation pour le point de situation",
            "occurred_at": day(11),
        },
    )
    care_share = await s.act(
        "luc",
        "leo",
        "shares",
        {
            "recipient_institution_id": str(s.i["cmp"]),
            "categories": ["health"],
            "summary": "Compte rendu de passage aux urgences",
            "occurred_at": day(8, 16),
        },
    )  # lawful on consent, but the CMP–hospital convention is not in force
    await s.act(
        "jeanne",
        "leo",
        "coordination-meetings",
        {
            "attendees": [s.actor(who) for who in ("karim", "sophie", "paul")],
            "decisions": ["Orientation vers l'IME à étudier", "Point d'étape dans six semaines"],
            "occurred_at": day(6, 14),
        },
    )
    to_ime = await s.act(
        "jeanne",
        "leo",
        "referrals",
        {
            "to_institution_id": str(s.i["ime"]),
            "reason": "Besoin d'un accompagnement médico-éducatif",
            "categories": ["identity"],  # what it shares, on shared secrecy
            "legal_ground": SHARED_SECRECY,
            "occurred_at": day(6, 16),
        },
    )
    await s.act(
        "nadia", "leo", f"referrals/{to_ime['entity_id']}/acceptance", {"occurred_at": day(3)}
    )
    return {"consented": consented_share, "secrecy": secrecy_share, "care": care_share}


async def revoke_sophie(s: Story) -> Any:
    return await s.command(
        f"/delegations/{s.delegations['sophie_leo']}/revocation",
        {"reason": "Changement de service au CMP", "occurred_at": day(1)},
        s.admin,
    )  # Sophie is still on the case: the coherence view must flag it


async def play_ines(s: Story) -> None:
    opened = await s.command(
        "/cases",
        {
            "beneficiary": {
                "first_name": "Inès",
                "last_name": "Moreau",
                "birth_date": "2010-02-03",
            },
            "legal_framework": "administrative",
            "role": "référent ASE",
            "occurred_at": day(15),
        },
        s.worker("karim"),
    )
    s.cases["ines"] = UUID(opened["id"])
    await s.act("jeanne", "ines", "participants", {"role": "éducatrice", "occurred_at": day(14)})
    # Paul shares the informal network with Jeanne, but a network gives a basis only when shared
    # with the case's coordinator, and Inès's case has none: the API would refuse him (403), so
    # he comes in as Luc did on Léo's, on a referral to the school, and acts informally.
    to_school = await s.act(
        "karim",
        "ines",
        "referrals",
        {
            "to_institution_id": str(s.i["school"]),
            "reason": "Suivi de la scolarité",
            "categories": ["identity"],  # what it shares, on shared secrecy
            "legal_ground": SHARED_SECRECY,
            "occurred_at": day(14, 10, 15),
        },
    )
    await s.act(
        "paul",
        "ines",
        f"referrals/{to_school['entity_id']}/acceptance",
        {"occurred_at": day(14, 10, 30)},
    )
    await s.act(
        "paul", "ines", "participants", {"role": "professeur principal", "occurred_at": day(14, 11)}
    )
    for who, kind, ago in INES_PLAN:
        await s.act(who, "ines", "interventions", {"kind": kind, "occurred_at": day(ago)})
    await s.act(
        "paul",
        "ines",
        "concerning-information",
        {
            "crip_institution_id": str(s.i["crip"]),
            "summary": "Absences répétées et propos inquiétants rapportés en classe",
            "occurred_at": day(5, 17),
        },
    )


# --- reading it back ------------------------------------------------------------------------


async def coherence(s: Story, case: str, reader: str, purpose: str) -> dict[str, Any]:
    path = f"/cases/{s.cases[case]}/coherence"
    view: dict[str, Any] = await get(
        s.api, path, s.worker(reader), purpose=purpose, after=s.position
    )
    return view


def alert_kinds(view: dict[str, Any]) -> list[str]:
    return sorted(a["kind"] for a in view["alerts"])


def stable_kinds(view: dict[str, Any]) -> list[str]:
    """The alert kinds that do not depend on the reading instant's distance to the acts."""
    return [k for k in alert_kinds(view) if k != "idle_actor"]


def bases(s: Story, view: dict[str, Any]) -> dict[str | None, tuple[str | None, str, bool]]:
    """Each actor: (institution, basis kind, basis valid), keyed by the professional."""
    return {
        s.name(a["professional_id"]): (
            s.name(a["institution_id"]),
            a["basis"]["kind"],
            a["basis_valid"],
        )
        for a in view["actors"]
    }


async def audit_trail(s: Story, case: str) -> list[dict[str, Any]]:
    """Every entry of the case's audit trail, as Claire (AEMO supervisor), page after page."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"purpose": "audit", "limit": 25, "after": s.position}
        if cursor is not None:
            params["cursor"] = cursor
        found = await get(s.api, f"/cases/{s.cases[case]}/audit", s.supervisor, **params)
        entries += found["items"]
        pages += 1
        cursor = found["next_cursor"]
        if cursor is None:
            break
    assert pages > 1, "the trail should span several pages at 25 entries a page"
    return entries


# --- the test -------------------------------------------------------------------------------


async def test_the_demo_story_through_http(api: Api) -> None:
    s = Story(api)
    await record_registry(s)
    shares = await play_leo(s)
    leo = s.cases["leo"]

    # A read before the revocation (Jeanne, coordinating), then the admin revokes Sophie's
    # delegation for Léo's case, remembering the instant (machine clock) just before.
    early = await coherence(s, "leo", "jeanne", "coordination")
    assert "delegation_lapsed_in_use" not in alert_kinds(early)
    before_revocation = datetime.now(tz=UTC)
    revoked = await revoke_sophie(s)
    await play_ines(s)

    # --- coherence now -----------------------------------------------------------------------
    leo_view = await coherence(s, "leo", "jeanne", "follow_up")
    ines_view = await coherence(s, "ines", "karim", "follow_up")

    assert alert_kinds(leo_view) == ["delegation_lapsed_in_use", "exchange_without_convention"]
    assert alert_kinds(ines_view) == ["no_coordinator"]
    assert leo_view["coordinator"] == {
        **s.actor("jeanne"),
        "professional_name": "Jeanne Martin",
        "institution_name": "Service AEMO de Colmar",
    }
    assert ines_view["coordinator"] is None

    assert bases(s, leo_view) == {
        "jeanne": ("aemo", "case_holder", True),
        "karim": ("ase", "convention", True),
        "sophie": ("cmp", "delegation", False),  # revoked, still on the case
        "paul": ("school", "network", True),
        "luc": ("hospital", "informal", True),
    }
    by_professional = {s.name(a["professional_id"]): a for a in leo_view["actors"]}
    assert by_professional["sophie"]["basis"]["ref_id"] == str(s.delegations["sophie_leo"])
    assert by_professional["sophie"]["basis_detail"]["status"] == "revoked"
    assert by_professional["karim"]["basis"]["ref_id"] == str(s.partnerships["protocol"])
    assert by_professional["paul"]["basis"]["ref_id"] == str(s.networks["informal"])
    assert by_professional["luc"]["basis"]["ref_id"] is None

    lapsed = next(a for a in leo_view["alerts"] if a["kind"] == "delegation_lapsed_in_use")
    assert (s.name(lapsed["professional_id"]), s.name(lapsed["institution_id"])) == (
        "sophie",
        "cmp",
    )
    assert [(r["type"], r["aggregate_id"], r["version"]) for r in lapsed["related"]] == [
        ("Delegation.DelegationRevoked", str(s.delegations["sophie_leo"]), revoked["version"])
    ]
    exchange = next(a for a in leo_view["alerts"] if a["kind"] == "exchange_without_convention")
    assert [(r["aggregate_id"], r["version"]) for r in exchange["events"]] == [
        (str(leo), shares["care"]["version"])
    ], "only Luc's share (hospital to CMP) lacks a convention in force"
    assert exchange["acknowledgeable"] is True
    assert exchange["status"] == "open"
    first, second = (
        INSTITUTIONS[s.name(exchange[f]) or ""][0]
        for f in ("institution_id", "counterpart_institution_id")
    )
    assert exchange["message"] == (
        f"{first} et {second} ont échangé des informations sur ce dossier 1 fois sans "
        "convention en vigueur entre eux : la convention « Convention de soins partagés CMP — "
        "pédiatrie », que toutes les parties n'avaient pas signée."
    )
    assert lapsed["message"].startswith(
        "Dr Sophie Weber (CMP enfants et adolescents de Colmar) intervient encore sur ce "
        "dossier sous une délégation révoquée le "
    )
    secrecy = next(
        e for e in leo_view["exchanges"] if e["event"]["version"] == shares["secrecy"]["version"]
    )
    assert (secrecy["lawful_on"], secrecy["legal_ground"], secrecy["regular"]) == (
        "legal_ground",
        "shared_secrecy_child_protection",
        True,
    )

    assert bases(s, ines_view) == {
        "karim": ("ase", "case_holder", True),
        "jeanne": ("aemo", "convention", True),
        "paul": ("school", "informal", True),  # no coordinator: the network gives no basis
    }

    # --- as of an instant before the revocation was recorded ---------------------------------
    # "Recorded" instants are on the machine's clock, and the view is assessed at that instant,
    # while `occurred_at` follows the frozen NOW: time-dependent alerts (idle actors) depend on
    # how far the machine's clock is from NOW, so they are left out of the comparisons.
    as_of = f"/cases/{leo}/coherence/as-of"
    then = await get(
        api,
        as_of,
        s.worker("karim"),
        at=before_revocation.isoformat(),
        question="recorded",
        purpose="coordination",
    )
    assert stable_kinds(then) == ["exchange_without_convention"]
    sophie_then = next(a for a in then["actors"] if a["professional_id"] == str(s.p["sophie"]))
    assert sophie_then["basis"]["kind"] == "delegation"
    assert sophie_then["basis_detail"]["revoked_at"] is None
    # As it happened two days ago (the revocation took effect a day ago), known now: no lapse.
    happened = await get(
        api, as_of, s.worker("karim"), at=day(2), question="occurred", purpose="coordination"
    )
    assert stable_kinds(happened) == ["exchange_without_convention"]
    # As recorded by now, the story is the projection's.
    latest = await get(
        api,
        as_of,
        s.worker("karim"),
        at=datetime.now(tz=UTC).isoformat(),
        question="recorded",
        purpose="coordination",
    )
    assert stable_kinds(latest) == alert_kinds(leo_view)

    # Claire peeks at the readings only (a reading too), then a write after all the readings,
    # so that the audit trail below is read past every one of them.
    peek = await get(
        api,
        f"/cases/{leo}/audit",
        s.supervisor,
        purpose="supervision",
        kinds="CaseContentRead",
        limit=1,
    )
    assert [e["event_type"] for e in peek["items"]] == ["Consultation.CaseContentRead"]
    assert peek["next_cursor"] is not None
    await s.act("jeanne", "leo", "interventions", {"kind": "home_visit", "occurred_at": day(0, 9)})

    # --- the audit trail, as the AEMO's supervisor -------------------------------------------
    trail = await audit_trail(s, "leo")
    positions = [e["position"] for e in trail]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert all(e["case_id"] == str(leo) for e in trail)
    acts = [e for e in trail if e["event_type"].startswith("Case.")]
    reads = [e for e in trail if e["event_type"] == "Consultation.CaseContentRead"]
    assert len(acts) + len(reads) == len(trail)

    joined, intervened = "ParticipantJoined", "InterventionRecorded"
    assert [e["event_type"].removeprefix("Case.") for e in acts] == [
        "CaseOpened",
        "ConsentGiven",
        joined,  # Karim
        joined,  # Sophie
        "CoordinatorDesignated",
        joined,  # Paul
        "ReferralMade",  # to the hospital
        "ReferralAccepted",
        joined,  # Luc
        *[intervened] * len(LEO_PLAN),
        *["InformationShared"] * 3,
        "CoordinationMeetingHeld",
        "ReferralMade",  # to the IME
        "ReferralAccepted",
        intervened,  # the write after the readings
    ]
    assert trail[0]["occurred_at"].replace("Z", "+00:00") == day(24)

    def who(e: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
        return (s.name(e["professional_id"]), s.name(e["institution_id"]), e["basis_kind"])

    def of_type(kind: str) -> list[tuple[str | None, str | None, str | None]]:
        return [who(e) for e in acts if e["event_type"] == f"Case.{kind}"]

    assert of_type("CaseOpened") == [("jeanne", "aemo", "case_holder")]
    assert of_type("ParticipantJoined") == [
        ("karim", "ase", "convention"),
        ("sophie", "cmp", "delegation"),
        ("paul", "school", "network"),
        ("luc", "hospital", "informal"),
    ]
    assert of_type("CoordinatorDesignated") == [("jeanne", "aemo", "case_holder")]
    expected_interventions = [(w, k) for w, k, _ in LEO_PLAN] + [("jeanne", "home_visit")]
    interventions = [e for e in acts if e["event_type"] == "Case.InterventionRecorded"]
    assert [
        (s.name(e["professional_id"]), e["summary"].split(" a enregistré une intervention : "))
        for e in interventions
    ] == [
        (w, [f"{PROFESSIONALS[w][0]} ({INSTITUTIONS[PROFESSIONALS[w][2]][0]})", FR_KINDS[k]])
        for w, k in expected_interventions
    ]
    expected_basis = {
        "jeanne": ("aemo", "case_holder"),
        "karim": ("ase", "convention"),
        "sophie": ("cmp", "delegation"),
        "paul": ("school", "network"),
        "luc": ("hospital", "informal"),
    }
    for e in interventions:
        professional, institution, basis = who(e)
        assert (institution, basis) == expected_basis[professional or ""], e
    sophie_acts = [e for e in acts if s.name(e["professional_id"]) == "sophie"]
    assert {e["basis_ref"] for e in sophie_acts} == {str(s.delegations["sophie_leo"])}

    shared = [e for e in acts if e["event_type"] == "Case.InformationShared"]
    assert [
        (*who(e)[:2], s.name(e["counterpart_institution_id"]), e["aggregate_version"])
        for e in shared
    ] == [
        ("jeanne", "aemo", "cmp", shares["consented"]["version"]),
        ("jeanne", "aemo", "ase", shares["secrecy"]["version"]),
        ("luc", "hospital", "cmp", shares["care"]["version"]),
    ]
    jeanne, luc = (
        "Jeanne Martin (Service AEMO de Colmar)",
        "Luc Meyer (Hôpital Pasteur — pédiatrie)",
    )
    cmp, ase = INSTITUTIONS["cmp"][0], INSTITUTIONS["ase"][0]
    assert [e["summary"] for e in shared] == [
        f"{jeanne} a transmis des informations (situation familiale) à {cmp}, "
        "avec le consentement de la personne",
        f"{jeanne} a transmis des informations (protection de l'enfance) à {ase} "
        "au titre de CASF art. L.226-2-2",
        f"{luc} a transmis des informations (santé) à {cmp}, avec le consentement de la personne",
    ]
    assert [who(e) for e in acts if e["event_type"] == "Case.ReferralAccepted"] == [
        ("luc", "hospital", "informal"),
        ("nadia", "ime", "network"),  # the informal network, shared with Jeanne, coordinator
    ]
    referrals = [e for e in acts if e["event_type"] == "Case.ReferralMade"]
    assert [(who(e)[0], s.name(e["counterpart_institution_id"])) for e in referrals] == [
        ("jeanne", "hospital"),
        ("jeanne", "ime"),
    ]
    assert [who(e)[:2] for e in acts if e["event_type"] == "Case.CoordinationMeetingHeld"] == [
        ("jeanne", "aemo")
    ]
    assert [who(e)[:2] for e in acts if e["event_type"] == "Case.ConsentGiven"] == [
        ("jeanne", "aemo")
    ]

    # Who read the case, which view, for which purpose — the readings made above, in order.
    readings = [(who(e)[:2], e["summary"]) for e in reads]
    karim, claire = (
        "Karim Benali (Aide sociale à l'enfance du Haut-Rhin)",
        "Claire Roth (Service AEMO de Colmar)",
    )
    as_of = "« Vue de cohérence à une date passée » (rôle : intervenant), motif : coordination"
    assert readings[:6] == [
        (
            ("jeanne", "aemo"),
            f"{jeanne} a consulté « Vue de cohérence » (rôle : intervenant), motif : coordination",
        ),
        (
            ("jeanne", "aemo"),
            f"{jeanne} a consulté « Vue de cohérence » (rôle : intervenant), motif : suivi",
        ),
        (("karim", "ase"), f"{karim} a consulté {as_of}"),
        (("karim", "ase"), f"{karim} a consulté {as_of}"),
        (("karim", "ase"), f"{karim} a consulté {as_of}"),
        (
            ("claire", "aemo"),
            f"{claire} a consulté « Piste d'audit » (rôle : encadrant), motif : encadrement",
        ),
    ]
    # …then, maybe, the pages of the trail just read (each recorded before it was shown).
    assert all(
        r
        == (
            ("claire", "aemo"),
            f"{claire} a consulté « Piste d'audit » (rôle : encadrant), motif : contrôle",
        )
        for r in readings[6:]
    )
    assert all(e["basis_kind"] is None for e in reads)
