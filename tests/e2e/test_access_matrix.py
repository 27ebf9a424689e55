"""Need-to-know, route by route: who may call each route of the API, and who is refused.

The matrix names, for every (method, path) of the app, the principals allowed to call it in one
fixed scene: a case opened by Jeanne (AEMO) and referred to ASE, delegations for it held by
Marie (AEMO) and by Luc (from the hospital, which is not on the case), a convention linking the
CMP to the AEMO for consultation and assessment, and around it colleagues, outsiders,
supervisors, a funder (an institution of the registry funding the AEMO, a convention and an
informal network) and an administrator.
Every principal calls every route with a valid request:

- without a token, or with a forged one: 401 `unauthenticated`;
- a principal the matrix does not allow: 403 `access-denied`;
- an allowed one: neither 401 nor 403 (a domain rule may still refuse the body: 404, 409, 422).

A route the app serves without a line here fails `test_the_matrix_covers_every_route`, so a new
route starts with a decision about who may call it. Reading a case's content is recorded before
it is shown: each allowed reader leaves exactly one `CaseContentRead`, a refused one none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from pydantic import SecretStr

from api.http.auth import mint_token
from api.integration.clients import ClientRegistry
from domain.access import ReadPurpose, Role
from domain.application import Maillage
from tests.e2e.conftest import Api
from tests.e2e.test_admission import routes_of
from tests.world import NOW, World, events_since, position

# --- the principals -------------------------------------------------------------------------

ANONYMOUS = "anonymous"  # no Authorization header
FORGED = "forged"  # an admin token signed with another key
PARTICIPANT = "participant"  # Jeanne, AEMO: opened the case (its referent)
DELEGATE = "delegate"  # Marie, AEMO: holds a delegation in force for the case
# Luc, hospital: holds a delegation in force for the case from the hospital, which is not on it
# (a delegation naming a case is its institution's mandate to act on it: a standing of its own)
DELEGATE_ELSEWHERE = "delegate_elsewhere"
# Sophie, CMP: a convention in force links the CMP to the AEMO, its scope for the CMP naming
# consultation and assessment: she may join (to do those acts), not read before she takes part
CONVENTION_PARTNER = "convention_partner"
COLLEAGUE = "colleague"  # Léa, AEMO: her institution holds the case, she takes no part in it
REFERRED = "referred"  # Karim, ASE: the case was referred to his institution (pending)
OUTSIDER = "outsider"  # Paul, school: no link at all to the case
SUPERVISOR = "supervisor"  # a supervisor of AEMO, the holding institution
# a supervisor of ASE: the referral is pending, so ASE reads only what it shares (issue 17)
SUPERVISOR_REFERRED = "supervisor_referred"
SUPERVISOR_ELSEWHERE = "supervisor_elsewhere"  # a supervisor of the school, never involved
FUNDER = "funder"
ADMIN = "admin"
DPO = "dpo"  # a data-protection officer of the AEMO, the holding institution
DPO_ELSEWHERE = "dpo_elsewhere"  # a data-protection officer of the school, never involved

UNAUTHENTICATED = (ANONYMOUS, FORGED)
# role, professional (a key of Scene.ids; None: a person outside the registry), institution
PRINCIPALS: dict[str, tuple[Role, str | None, str | None]] = {
    PARTICIPANT: (Role.CASE_WORKER, "jeanne", "aemo"),
    DELEGATE: (Role.CASE_WORKER, "marie", "aemo"),
    DELEGATE_ELSEWHERE: (Role.CASE_WORKER, "luc", "hospital"),
    CONVENTION_PARTNER: (Role.CASE_WORKER, "sophie", "cmp"),
    COLLEAGUE: (Role.CASE_WORKER, "lea", "aemo"),
    REFERRED: (Role.CASE_WORKER, "karim", "ase"),
    OUTSIDER: (Role.CASE_WORKER, "paul", "school"),
    SUPERVISOR: (Role.SUPERVISOR, "sup_aemo", "aemo"),
    SUPERVISOR_REFERRED: (Role.SUPERVISOR, "sup_ase", "ase"),
    SUPERVISOR_ELSEWHERE: (Role.SUPERVISOR, "sup_school", "school"),
    FUNDER: (Role.FUNDER, None, "funder_body"),
    ADMIN: (Role.ADMIN, None, None),
    DPO: (Role.DPO, None, "aemo"),
    DPO_ELSEWHERE: (Role.DPO, None, "school"),
}

EVERYONE = frozenset(PRINCIPALS)
CASE_WORKERS = frozenset(p for p, (role, _, _) in PRINCIPALS.items() if role is Role.CASE_WORKER)
DPOS = frozenset({DPO, DPO_ELSEWHERE})
# network acts for oneself: every role but funders and data-protection officers
NOT_FUNDERS = EVERYONE - {FUNDER} - DPOS
SUPERVISORS = frozenset({SUPERVISOR, SUPERVISOR_REFERRED, SUPERVISOR_ELSEWHERE})
# What each standing towards the case allows (domain.access.check_case_access).
# A referral still pending makes the referred institution (ASE) neither a reader nor a joiner
# of the case: it reads what the referral shares, and answers it.
CASE_READERS = frozenset({PARTICIPANT, DELEGATE, DELEGATE_ELSEWHERE, SUPERVISOR})
CASE_AUDITORS = frozenset({SUPERVISOR})
CASE_ACTORS = frozenset({PARTICIPANT, DELEGATE, DELEGATE_ELSEWHERE})
CASE_JOINERS = CASE_ACTORS | {COLLEAGUE, CONVENTION_PARTNER}
REFERRAL_ANSWERERS = CASE_ACTORS | {REFERRED}
# The referral's two institutions (AEMO made it, ASE received it): the supervisors of both, the
# referred institution's case workers, the referring one's on the case (not a colleague off it).
REFERRAL_READERS = frozenset({PARTICIPANT, DELEGATE, REFERRED, SUPERVISOR, SUPERVISOR_REFERRED})
PROFESSIONALS = CASE_WORKERS | SUPERVISORS
# supervisors of an institution on the case (ASE is referred to it, not on it)
CASE_ACKNOWLEDGERS = frozenset({SUPERVISOR})
# transfers of the holding: a case worker taking part, a supervisor of an institution on it
CASE_TRANSFERRERS = frozenset({PARTICIPANT, SUPERVISOR})
REFERENT_ASSIGNERS = frozenset({SUPERVISOR})  # supervisors of the holding institution
CASE_CORRECTORS = frozenset({PARTICIPANT, SUPERVISOR})  # Jeanne's act: hers, the AEMO's
ADMINS = frozenset({ADMIN})
# a data-protection officer of an institution holding the case or involved in it
CASE_RIGHTS_OFFICERS = frozenset({DPO})


# --- the scene ------------------------------------------------------------------------------


@dataclass
class Scene:
    app: Maillage
    ids: dict[str, UUID]
    headers: dict[str, dict[str, str]]
    subjects: dict[str, UUID]
    case_id: UUID

    def id(self, key: str) -> str:
        return str(self.ids[key])


def build_scene(api: Api) -> Scene:
    app = api.maillage
    world = World.build(app)
    ids: dict[str, UUID] = {**world.institutions, **world.professionals}
    for key, employer in {
        "marie": "aemo",
        "lea": "aemo",
        "sup_aemo": "aemo",
        "sup_ase": "ase",
        "sup_school": "school",
    }.items():
        ids[key] = app.register_professional(name=key.title(), profession="educator").id
        app.start_employment(
            professional_id=ids[key], institution_id=world.i(employer), start=date(2020, 1, 1)
        )

    case_id = world.open_case("jeanne")
    ids["case"] = case_id
    consent = app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="legal_representative",
        representative_name="Mme Schmitt",
        recipients=[world.i("ase")],
        categories=["family_situation"],
    )
    assert consent.entity_id is not None
    ids["consent"] = consent.entity_id
    referral = app.refer(
        case_id=case_id,
        by=world.actor("jeanne"),
        to_institution_id=world.i("ase"),
        reason="ASE",
        categories=["family_situation"],  # what the consent covers
    )
    assert referral.entity_id is not None
    ids["referral"] = referral.entity_id
    act = app.record_intervention(case_id=case_id, by=world.actor("jeanne"), kind="home_visit")
    assert act.entity_id is not None
    ids["act"] = act.entity_id  # to correct or annul: its author, a supervisor of the AEMO
    ids["delegation"] = app.grant_delegation(
        institution_id=world.i("aemo"),
        professional_id=ids["marie"],
        scope=["home_visit", "coordination", "information_sharing", "referral", "meeting"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 6, 30),
        case_id=case_id,
    ).id

    # Standings on the case that do not come from taking part in it (domain.access).
    ids["outside_delegation"] = app.grant_delegation(
        institution_id=world.i("hospital"),
        professional_id=world.p("luc"),
        scope=["home_visit"],  # no case_participation: joining comes with its acts
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 6, 30),
        case_id=case_id,
    ).id
    ids["case_convention"] = world.convention("aemo", "cmp", kinds=("consultation", "assessment"))

    # Registry around the case, touching none of its institutions.
    ids["partnership"] = world.convention("school", "hospital", sign=False)
    ids["informal_network"] = app.found_informal_network(
        name="Réseau Colmar", values_statement="Confiance", founder_id=world.p("sophie")
    ).id
    app.invite_to_network(
        network_id=ids["informal_network"], inviter_id=world.p("sophie"), invitee_id=world.p("paul")
    )
    ids["formal_network"] = app.found_formal_network(
        name="PCPE 68",
        founding_institutions=[world.i("hospital"), world.i("cmp")],
        objectives=["parcours de soins"],
    ).id
    ids["network_delegation"] = app.grant_delegation(
        institution_id=world.i("hospital"),
        professional_id=world.p("luc"),
        scope=["meeting", "coordination"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 6, 30),
        network_id=ids["formal_network"],
    ).id

    # A funder (an institution of the registry) funding the AEMO, the unsigned convention and
    # the informal network: it may read their reports, and nothing else.
    ids["funder_body"] = app.register_institution(
        name="Conseil départemental", sector="social", kind="other"
    ).id
    for target_kind, target in (
        ("institution", "aemo"),
        ("partnership", "partnership"),
        ("network", "informal_network"),
    ):
        ids[f"funding_{target_kind}"] = app.grant_funding(
            funder_id=ids["funder_body"],
            target_kind=target_kind,
            target_id=ids[target],
            valid_from=date(2020, 1, 1),
        ).id

    ids["client"] = (  # the AEMO's: its data-protection officer approves its personal data
        ClientRegistry(api.services.engine)
        .register(
            name="Logiciel de suivi AEMO",
            institution_id=world.i("aemo"),
            kinds=["Case.CaseOpened"],
            personal_data=True,
            purpose=ReadPurpose.COORDINATION,
            by=uuid4(),
        )
        .client_id
    )

    headers: dict[str, dict[str, str]] = {ANONYMOUS: {}}
    subjects: dict[str, UUID] = {}
    for name, (role, person, institution) in PRINCIPALS.items():
        subjects[name] = ids[person] if person else uuid4()
        headers[name] = api.headers(role, subjects[name], ids[institution] if institution else None)
    other_key = api.settings.model_copy(
        update={"jwt_secret": SecretStr("another-signing-key-0123456789abcdef0123")}
    )
    forged = mint_token(other_key, subject=uuid4(), role=Role.ADMIN)
    headers[FORGED] = {"Authorization": f"Bearer {forged}"}
    # Views read projections: let them catch up, so an allowed reading finds the case.
    assert api.services.projections.wait_for(position(app), timeout=10), (
        "the read side lags behind the scene"
    )
    return Scene(app, ids, headers, subjects, case_id)


# --- the matrix -----------------------------------------------------------------------------

Json = dict[str, Any]
# Which scene id fills each path parameter, unless a line says otherwise.
DEFAULT_PARAMS = {
    "case_id": "case",
    "consent_id": "consent",
    "referral_id": "referral",
    "act_id": "act",
    "institution_id": "aemo",
    "professional_id": "jeanne",
    "delegation_id": "delegation",
    "partnership_id": "partnership",
    "network_id": "informal_network",
    "invitee_id": "paul",
    "funding_id": "funding_institution",
    "client_id": "client",
}
READ = {"purpose": "follow_up"}


@dataclass(frozen=True)
class Line:
    method: str
    path: str  # exactly as the app declares it
    allowed: frozenset[str]
    body: Callable[[Scene], Json] | None = None
    query: Json = field(default_factory=dict)
    params: Json = field(default_factory=dict)  # path parameter -> scene id key
    reads_case: bool = False  # shows the case's content: recorded as a consultation

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, scene: Scene) -> str:
        keys = {**DEFAULT_PARAMS, **self.params}
        return self.path.format_map({p: scene.id(k) for p, k in keys.items()})


def _l(method: str, path: str, allowed: Iterable[str], **kwargs: Any) -> Line:
    return Line(method, path, frozenset(allowed), **kwargs)


def _actor(s: Scene, who: str, institution: str) -> Json:
    return {"professional_id": s.id(who), "institution_id": s.id(institution)}


MATRIX: list[Line] = [
    # --- cases: opening is for case workers, acting for those who take part (or delegates) --
    _l(
        "POST",
        "/cases",
        CASE_WORKERS,
        body=lambda s: {
            "beneficiary": {"first_name": "Inès", "last_name": "Meyer", "birth_date": "2014-03-02"},
            "legal_framework": "administrative",
        },
    ),
    _l("GET", "/cases/{case_id}", CASE_READERS, query=READ, reads_case=True),
    _l("POST", "/cases/{case_id}/closure", CASE_ACTORS, body=lambda s: {"reason": "Mesure levée"}),
    _l("POST", "/cases/{case_id}/reopening", CASE_ACTORS, body=lambda s: {"reason": "Faits"}),
    _l(
        "POST",
        "/cases/{case_id}/erasure",
        CASE_RIGHTS_OFFICERS,
        body=lambda s: {"ground": "erasure_request", "reference": "DPO-1"},
    ),
    _l("GET", "/cases/{case_id}/personal-data", CASE_RIGHTS_OFFICERS, reads_case=True),
    _l(
        "POST",
        "/cases/{case_id}/identity-rectification",
        CASE_RIGHTS_OFFICERS,
        body=lambda s: {"last_name": "Schmidt", "reason": "Pièce d'identité"},
    ),
    _l("GET", "/log/head", SUPERVISORS | ADMINS),
    # the catch-up feed: client applications only (tests/e2e/test_feed_http.py), no person
    _l("GET", "/feed", ()),
    _l(
        "POST",
        "/cases/{case_id}/consents",
        CASE_ACTORS,
        body=lambda s: {
            "giver": "legal_representative",
            "representative_name": "M. Schmitt",
            "recipients": [s.id("cmp")],
            "categories": ["health"],
        },
    ),
    _l(
        "POST",
        "/cases/{case_id}/consents/{consent_id}/withdrawal",
        CASE_ACTORS,
        body=lambda s: {},
    ),
    _l(
        "POST",
        "/cases/{case_id}/participants",
        CASE_JOINERS,
        body=lambda s: {"role": "éducatrice"},
    ),
    _l("POST", "/cases/{case_id}/departure", CASE_ACTORS, body=lambda s: {}),
    _l(
        "POST",
        "/cases/{case_id}/coordinator",
        CASE_ACTORS,
        body=lambda s: {"coordinator": _actor(s, "jeanne", "aemo")},
    ),
    _l(
        "POST",
        "/cases/{case_id}/referent",
        REFERENT_ASSIGNERS,
        body=lambda s: {"referent": _actor(s, "jeanne", "aemo")},
    ),
    _l(
        "POST",
        "/cases/{case_id}/transfers",
        CASE_TRANSFERRERS,
        body=lambda s: {"to_institution_id": s.id("ase")},
    ),
    *(
        _l(
            "POST",
            f"/cases/{{case_id}}/transfers/{{transfer_id}}/{answer}",
            CASE_TRANSFERRERS,
            body=body,
            params={"transfer_id": "referral"},  # no transfer in the scene: 404 once admitted
        )
        for answer, body in (
            ("acceptance", lambda s: {}),
            ("refusal", lambda s: {"reason": "non"}),
            ("withdrawal", lambda s: {}),
        )
    ),
    _l("GET", "/transfers", CASE_WORKERS | SUPERVISORS),
    _l(
        "POST",
        "/cases/{case_id}/interventions",
        CASE_ACTORS,
        body=lambda s: {"kind": "home_visit", "summary": "Visite à domicile"},
    ),
    _l(
        "POST",
        "/cases/{case_id}/shares",
        CASE_ACTORS,
        body=lambda s: {
            "recipient_institution_id": s.id("ase"),
            "categories": ["family_situation"],
            "summary": "Situation familiale",
        },
    ),
    _l(
        "POST",
        "/cases/{case_id}/concerning-information",
        CASE_ACTORS,
        body=lambda s: {"crip_institution_id": s.id("crip"), "summary": "Inquiétude"},
    ),
    _l(
        "POST",
        "/cases/{case_id}/referrals",
        CASE_ACTORS,
        body=lambda s: {"to_institution_id": s.id("cmp"), "reason": "Soins"},
    ),
    _l(
        "POST",
        "/cases/{case_id}/referrals/{referral_id}/acceptance",
        REFERRAL_ANSWERERS,
        body=lambda s: {},
    ),
    _l(
        "POST",
        "/cases/{case_id}/referrals/{referral_id}/decline",
        REFERRAL_ANSWERERS,
        body=lambda s: {"reason": "Pas de place"},
    ),
    _l(
        "POST",
        "/cases/{case_id}/referrals/{referral_id}/revocation",
        CASE_ACTORS,
        body=lambda s: {"reason": "Autre solution trouvée"},
    ),
    _l(
        "GET",
        "/cases/{case_id}/referrals/{referral_id}",
        REFERRAL_READERS,
        query=READ,
        reads_case=True,
    ),
    _l("GET", "/referrals", PROFESSIONALS),
    _l(
        "POST",
        "/cases/{case_id}/coordination-meetings",
        CASE_ACTORS,
        body=lambda s: {"attendees": [_actor(s, "jeanne", "aemo")], "decisions": ["Suivi"]},
    ),
    _l(
        "POST",
        "/cases/{case_id}/alert-acknowledgements",
        CASE_ACKNOWLEDGERS,
        body=lambda s: {
            "alert_kind": "exchange_without_convention",
            "versions": [1],
            "note": "Vu",
        },
    ),
    # An act is corrected by its author, or by a supervisor of its institution (the AEMO).
    _l(
        "POST",
        "/cases/{case_id}/acts/{act_id}/correction",
        CASE_CORRECTORS,
        body=lambda s: {"reason": "Saisie erronée", "kind": "assessment"},
    ),
    _l(
        "POST",
        "/cases/{case_id}/acts/{act_id}/annulment",
        CASE_CORRECTORS,
        body=lambda s: {"reason": "Dossier d'un autre enfant"},
    ),
    # --- views: a case's content for its readers, its history for its auditors ------------
    _l("GET", "/cases/{case_id}/coherence", CASE_READERS, query=READ, reads_case=True),
    _l(
        "GET",
        "/cases/{case_id}/coherence/as-of",
        CASE_READERS,
        query={**READ, "at": NOW.isoformat(), "question": "occurred"},
        reads_case=True,
    ),
    _l("GET", "/cases/{case_id}/fhir", CASE_READERS, query=READ, reads_case=True),
    _l(
        "GET",
        "/cases/{case_id}/audit",
        CASE_AUDITORS,
        query={"purpose": "audit"},
        reads_case=True,
    ),
    _l("GET", "/institutions/{institution_id}/audit", {SUPERVISOR}),
    _l("GET", "/institutions/{institution_id}/involvement", {SUPERVISOR}),
    # Jeanne's caseload: herself, and supervisors (who see only their institution's rows).
    _l("GET", "/professionals/{professional_id}/caseload", {PARTICIPANT} | SUPERVISORS),
    # one's own day: every case worker and supervisor employed by the institution named
    _l("GET", "/me/work", CASE_WORKERS | SUPERVISORS),
    # --- registry: a directory for every role, kept by administrators -------------------
    _l(
        "POST",
        "/institutions",
        ADMINS,
        body=lambda s: {
            "name": "IME Colmar",
            "sector": "medico_social",
            "kind": "medico_social_establishment",
            "department": "68",
        },
    ),
    _l("GET", "/institutions", EVERYONE),
    _l("GET", "/vocabulary", EVERYONE),
    _l("GET", "/institutions/{institution_id}", EVERYONE),
    _l(
        "POST",
        "/professionals",
        ADMINS,
        body=lambda s: {"name": "Nora", "profession": "psychologue"},
    ),
    _l("GET", "/professionals", EVERYONE),
    _l("GET", "/professionals/{professional_id}", EVERYONE),
    _l(
        "POST",
        "/professionals/{professional_id}/employments",
        ADMINS,
        body=lambda s: {"institution_id": s.id("cmp"), "start": "2026-01-01"},
        params={"professional_id": "paul"},
    ),
    _l(
        "POST",
        "/professionals/{professional_id}/employments/{institution_id}/end",
        ADMINS,
        body=lambda s: {"end": "2026-12-31"},
        params={"professional_id": "paul", "institution_id": "school"},
    ),
    _l(
        "POST",
        "/institutions/{institution_id}/identifiers",
        ADMINS,
        body=lambda s: {"finess": "680009990"},
        params={"institution_id": "school"},
    ),
    _l(
        "POST",
        "/professionals/{professional_id}/identifiers",
        ADMINS,
        body=lambda s: {"adeli": "689300999"},
        params={"professional_id": "paul"},
    ),
    _l(
        "POST",
        "/delegations",
        ADMINS,
        body=lambda s: {
            "institution_id": s.id("aemo"),
            "professional_id": s.id("lea"),
            "scope": ["home_visit"],
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "case_id": s.id("case"),
        },
    ),
    _l("GET", "/delegations", EVERYONE),  # each sees only their own, or their institution's
    # Marie's delegation: administrators, Marie, and supervisors of the delegating AEMO.
    _l("GET", "/delegations/{delegation_id}", {ADMIN, DELEGATE, SUPERVISOR}),
    _l(
        "POST",
        "/delegations/{delegation_id}/extension",
        ADMINS,
        body=lambda s: {"valid_until": "2027-12-31"},
    ),
    _l(
        "POST",
        "/delegations/{delegation_id}/revocation",
        ADMINS,
        body=lambda s: {"reason": "Fin de mission"},
    ),
    # --- partnerships: every role reads them, administrators keep them -------------------
    _l(
        "POST",
        "/partnerships",
        ADMINS,
        body=lambda s: {
            "kind": "charter",
            "title": "Charte du maillage",
            "origin": "spontaneous",
            "parties": [s.id("aemo"), s.id("cmp")],
            "valid_from": "2026-01-01",
            "values_statement": "Respect",
        },
    ),
    _l("GET", "/partnerships", EVERYONE),
    _l("GET", "/partnerships/{partnership_id}", EVERYONE),
    _l(
        "POST",
        "/partnerships/{partnership_id}/signatures",
        ADMINS,
        body=lambda s: {"institution_id": s.id("school"), "signed_on": "2026-01-01"},
    ),
    _l(
        "POST",
        "/partnerships/{partnership_id}/amendments",
        ADMINS,
        body=lambda s: {"reference": "Avenant 1", "valid_until": "2028-12-31"},
    ),
    _l(
        "POST",
        "/partnerships/{partnership_id}/suspension",
        ADMINS,
        body=lambda s: {"reason": "Contrôle"},
    ),
    _l("POST", "/partnerships/{partnership_id}/resumption", ADMINS, body=lambda s: {}),
    _l(
        "POST",
        "/partnerships/{partnership_id}/termination",
        ADMINS,
        body=lambda s: {"reason": "Fin", "terminated_on": "2026-11-20"},
    ),
    # --- networks: informal ones for oneself (every role but funders), formal for admins ---
    _l(
        "POST",
        "/networks/informal",
        NOT_FUNDERS,
        body=lambda s: {"name": "Réseau", "values_statement": "Confiance"},
    ),
    _l(
        "POST",
        "/networks/formal",
        ADMINS,
        body=lambda s: {
            "name": "Réseau formel",
            "founding_institutions": [s.id("cmp")],
            "objectives": ["Coordination"],
        },
    ),
    _l("GET", "/networks/{network_id}", EVERYONE),
    _l(
        "POST",
        "/networks/{network_id}/invitations",
        NOT_FUNDERS,
        body=lambda s: {"invitee_id": s.id("luc")},
    ),
    # Paul's invitation: Paul answers it; an administrator may for him.
    _l("POST", "/networks/{network_id}/invitations/{invitee_id}/acceptance", {OUTSIDER, ADMIN}),
    _l("POST", "/networks/{network_id}/invitations/{invitee_id}/decline", {OUTSIDER, ADMIN}),
    _l(
        "POST",
        "/networks/{network_id}/institutions",
        ADMINS,
        body=lambda s: {"institution_id": s.id("school")},
        params={"network_id": "formal_network"},
    ),
    _l(
        "POST",
        "/networks/{network_id}/admissions",
        ADMINS,
        body=lambda s: {"delegation_id": s.id("network_delegation")},
        params={"network_id": "formal_network"},
    ),
    _l(
        "POST",
        "/networks/{network_id}/coordinator",
        ADMINS,
        body=lambda s: {"professional_id": s.id("luc")},
        params={"network_id": "formal_network"},
    ),
    _l(
        "POST",
        "/networks/{network_id}/project",
        ADMINS,
        body=lambda s: {"objectives": ["Parcours", "Prévention"]},
        params={"network_id": "formal_network"},
    ),
    _l(
        "POST",
        "/networks/{network_id}/meetings",
        NOT_FUNDERS,
        body=lambda s: {"attendees": [s.id("luc")], "decisions": ["Rencontre"]},
        params={"network_id": "formal_network"},  # meetings are recorded in formal networks
    ),
    _l("POST", "/networks/{network_id}/departures", NOT_FUNDERS, body=lambda s: {}),
    _l(
        "POST",
        "/networks/{network_id}/dissolution",
        ADMINS,
        body=lambda s: {"reason": "Projet achevé"},
        params={"network_id": "formal_network"},
    ),
]

# --- reports: funders of the scope, supervisors of a member institution; the map: supervisors
REPORT_PERIOD = {"from": "2026-07", "to": "2026-09"}  # a published quarter
for _scope, _readers in (
    ("institutions/{institution_id}", {SUPERVISOR, FUNDER}),  # the AEMO
    ("partnerships/{partnership_id}", {SUPERVISOR_ELSEWHERE, FUNDER}),  # school and hospital
    ("networks/{network_id}", {FUNDER}),  # informal: its members are people, not institutions
):
    for _format in ("", "/csv", "/chart"):
        MATRIX.append(_l("GET", f"/reports/{_scope}{_format}", _readers, query=REPORT_PERIOD))
MATRIX += [
    _l(
        "POST",
        "/fundings",
        ADMINS,
        body=lambda s: {
            "funder_id": s.id("funder_body"),
            "target_kind": "institution",
            "target_id": s.id("cmp"),
            "valid_from": "2026-01-01",
        },
    ),
    _l(
        "POST",
        "/fundings/{funding_id}/ending",
        ADMINS,
        body=lambda s: {"ended_on": "2026-12-31", "reason": "Fin du programme"},
    ),
    _l("GET", "/fundings", {ADMIN, FUNDER}),
    # --- client applications of institutions: kept by administrators ---------------------
    _l(
        "POST",
        "/integration/clients",
        ADMINS,
        body=lambda s: {
            "name": "SI de l'ASE",
            "institution_id": s.id("ase"),
            "kinds": ["Case.CaseOpened"],
            "purpose": "coordination",
        },
    ),
    _l("GET", "/integration/clients", ADMINS),
    _l("GET", "/integration/clients/{client_id}", ADMINS),
    _l("PATCH", "/integration/clients/{client_id}", ADMINS, body=lambda s: {"name": "SI ASE"}),
    _l("POST", "/integration/clients/{client_id}/secret", ADMINS),
    _l("POST", "/integration/clients/{client_id}/revoke", ADMINS),
    # personal data for a client: approved by a DPO of its institution (the AEMO) only
    _l("GET", "/integration/clients/{client_id}/personal-data-approval", {DPO}),
    _l("POST", "/integration/clients/{client_id}/personal-data-approval", {DPO}),
    _l("DELETE", "/integration/clients/{client_id}/personal-data-approval", {DPO}),
    _l("GET", "/network-map", SUPERVISORS, query=REPORT_PERIOD),
    _l("GET", "/network-map/picture", SUPERVISORS, query=REPORT_PERIOD),
]

# --- webhook subscriptions (issue 19): administrators; a case's id names no subscription (404)
_HOOK = "/integration/webhooks"
_NO_HOOK = {"subscription_id": "case", "delivery_id": "case"}
MATRIX += [
    _l(
        "POST",
        _HOOK,
        ADMINS,
        body=lambda s: {"client_id": s.id("case"), "url": "https://x.org/", "kinds": ["Case.X"]},
    ),
    _l("GET", _HOOK, ADMINS),
    _l("GET", _HOOK + "/{subscription_id}", ADMINS, params=_NO_HOOK),
    _l("PATCH", _HOOK + "/{subscription_id}", ADMINS, body=lambda s: {}, params=_NO_HOOK),
    _l("DELETE", _HOOK + "/{subscription_id}", ADMINS, params=_NO_HOOK),
    _l("POST", _HOOK + "/{subscription_id}/secret", ADMINS, params=_NO_HOOK),
    _l("GET", _HOOK + "/{subscription_id}/deliveries", ADMINS, params=_NO_HOOK),
    _l("POST", _HOOK + "/deliveries/{delivery_id}/redeliver", ADMINS, params=_NO_HOOK),
]

# Served to anyone, token or not.
OPERATIONS = {
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
    ("POST", "/oauth/token"),  # a client application's credentials are its authentication
}


def served_routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path) the API serves, routers included (HEAD aside; the console's pages
    apart: `tests/e2e/test_console_access.py`)."""
    try:  # FastAPI ≥ 0.13x keeps included routers as branches: flatten them
        from fastapi.routing import iter_route_contexts

        routes: Iterable[Any] = iter_route_contexts(app.routes)
    except ImportError:
        routes = app.routes
    return {
        (method, route.path)
        for route in routes
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD" and not route.path.startswith("/console")
    }


# --- the checks -----------------------------------------------------------------------------


def _explain(response: httpx.Response) -> str:
    return f"{response.status_code} {response.text[:300]}"


def _rule(response: httpx.Response) -> str | None:
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return None
    rule: str | None = response.json().get("rule")
    return rule


def judge(principal: str, allowed: bool, response: httpx.Response) -> str | None:
    """What is wrong with this answer to this principal, if anything."""
    status, rule = response.status_code, _rule(response)
    if principal in UNAUTHENTICATED:
        if status != 401 or rule != "unauthenticated":
            return f"{principal}: expected 401 unauthenticated, got {_explain(response)}"
        return None
    if not allowed:
        if status != 403 or rule != "access-denied":
            return f"{principal}: expected 403 access-denied, got {_explain(response)}"
        return None
    if status in (401, 403) or status >= 500:
        return f"{principal}: allowed, yet got {_explain(response)}"
    if rule == "invalid-request":  # the matrix sent a request the API cannot parse
        return f"{principal}: the matrix's request is invalid: {_explain(response)}"
    return None


def case_readings(app: Maillage, since: int, case_id: UUID) -> list[UUID]:
    """Who read the case's content (one entry per reading) since `since`."""
    return [
        e.by.professional_id  # type: ignore[attr-defined]
        for e in events_since(app, since)
        if type(e).__name__ == "CaseContentRead" and e.case_id == case_id  # type: ignore[attr-defined]
    ]


async def call(api: Api, scene: Scene, line: Line, principal: str) -> httpx.Response:
    return await api.client.request(
        line.method,
        line.url(scene),
        params=line.query,
        json=line.body(scene) if line.body is not None else None,
        headers=scene.headers[principal],
    )


def calling_order(line: Line) -> list[str]:
    """Refusals first (they change nothing), then the allowed callers, whose calls may."""
    return [
        *UNAUTHENTICATED,
        *(p for p in PRINCIPALS if p not in line.allowed),
        *(p for p in PRINCIPALS if p in line.allowed),
    ]


# Roles a route admits (its `@admits` declaration) that no principal of the scene is allowed in:
# the domain lets them in on facts the scene does not set up.
_INVITEE_ROLES = {Role.SUPERVISOR}  # a supervisor answers their own invitation; Paul is invited
_NETWORK_REPORT_READERS = {Role.SUPERVISOR}  # of a formal network; the scene's is informal
WIDER_THAN_THE_SCENE: dict[str, set[Role]] = {
    # shown to its delegate, whatever the role
    "GET /delegations/{delegation_id}": {Role.FUNDER, Role.DPO},
    "POST /networks/{network_id}/invitations/{invitee_id}/acceptance": _INVITEE_ROLES,
    "POST /networks/{network_id}/invitations/{invitee_id}/decline": _INVITEE_ROLES,
    "GET /reports/networks/{network_id}": _NETWORK_REPORT_READERS,
    "GET /reports/networks/{network_id}/csv": _NETWORK_REPORT_READERS,
    "GET /reports/networks/{network_id}/chart": _NETWORK_REPORT_READERS,
    # no client application in the scene: tests/e2e/test_feed_http.py holds the feed's rules
    "GET /feed": {Role.INTEGRATION},
}


def test_each_routes_declared_roles_agree_with_the_domains_rules(api: Api) -> None:
    """The roles a route admits before reading the request (`api.http.guard`) are those the
    domain's rules allow on it: the guard refuses no principal the matrix allows, and admits no
    role the matrix refuses in every principal, but for the cases named above."""
    admitted = {
        (method, route.path): route.admission
        for route in routes_of(api.app.routes)
        for method in route.methods
    }
    for line in MATRIX:
        admission = admitted[(line.method, line.path)]
        assert admission is not None, f"{line.name} is open to anyone"
        allowed = {PRINCIPALS[p][0] for p in line.allowed}
        assert allowed <= admission.roles, f"{line.name}: the guard refuses an allowed principal"
        wider = admission.roles - allowed
        assert wider == WIDER_THAN_THE_SCENE.get(line.name, set()), f"{line.name} admits {wider}"


def test_the_matrix_covers_every_route(api: Api) -> None:
    served = served_routes(api.client._transport.app)  # type: ignore[attr-defined]
    lines = [(line.method, line.path) for line in MATRIX]
    assert len(lines) == len(set(lines)), "a route has two lines in the matrix"
    assert not set(lines) & OPERATIONS
    missing = sorted(served - OPERATIONS - set(lines))
    assert not missing, f"routes without a line in the access matrix: {missing}"
    stale = sorted(set(lines) - served)
    assert not stale, f"lines for routes the app no longer serves: {stale}"
    assert set(OPERATIONS) <= served
    assert all(line.allowed <= EVERYONE for line in MATRIX)


async def test_operations_need_no_token(api: Api) -> None:
    for method, path in sorted(OPERATIONS):
        response = await api.client.request(method, path)
        assert response.status_code not in (401, 403), f"{method} {path}: {_explain(response)}"


@pytest.mark.parametrize("line", MATRIX, ids=[line.name for line in MATRIX])
async def test_route_access(api: Api, line: Line) -> None:
    scene = build_scene(api)
    start = position(scene.app)
    failures = []
    admitted = []
    for principal in calling_order(line):
        response = await call(api, scene, line, principal)
        problem = judge(principal, principal in line.allowed, response)
        if problem:
            failures.append(problem)
        elif principal in line.allowed and response.status_code < 300:
            admitted.append(principal)
    assert not failures, f"{line.name}:\n  " + "\n  ".join(failures)

    # A reading of the case's content is recorded for each reader admitted, and no one else.
    readers = case_readings(scene.app, start, scene.case_id)
    if line.reads_case:
        assert set(admitted) == line.allowed, f"{line.name}: readers refused by a domain rule"
        assert sorted(map(str, readers)) == sorted(str(scene.subjects[p]) for p in admitted)
    else:
        assert readers == [], f"{line.name} records a reading of the case"


async def test_a_refused_reading_is_not_recorded_and_an_allowed_one_is(api: Api) -> None:
    """Seen from the case's audit trail, as its holding institution's supervisor sees it."""
    scene = build_scene(api)
    case = f"/cases/{scene.case_id}"
    refused = [
        COLLEAGUE,
        REFERRED,
        CONVENTION_PARTNER,
        OUTSIDER,
        SUPERVISOR_ELSEWHERE,
        FUNDER,
        ADMIN,
        DPO,
        DPO_ELSEWHERE,
    ]
    for principal in refused:
        for view, query in (
            ("", READ),
            ("/coherence", READ),
            ("/coherence/as-of", {**READ, "at": NOW.isoformat()}),
            ("/fhir", READ),
        ):
            response = await api.client.get(
                case + view, params=query, headers=scene.headers[principal]
            )
            assert response.status_code == 403, (principal, view, _explain(response))
    read = await api.client.get(
        case, params={"purpose": "coordination"}, headers=scene.headers[PARTICIPANT]
    )
    assert read.status_code == 200, _explain(read)
    assert read.json()["id"] == str(scene.case_id)

    audit = await api.client.get(
        f"{case}/audit",
        params={
            "purpose": "supervision",
            "kinds": "CaseContentRead",
            "after": position(api.maillage),
        },
        headers=scene.headers[SUPERVISOR],
    )
    assert audit.status_code == 200, _explain(audit)
    auditor = str(scene.subjects[SUPERVISOR])  # whose own reading may show already
    readings = [
        (e["professional_id"], e["summary"])
        for e in audit.json()["items"]
        if e["event_type"] == "Consultation.CaseContentRead" and e["professional_id"] != auditor
    ]
    jeanne = str(scene.subjects[PARTICIPANT])
    assert [who for who, _ in readings] == [jeanne]
    assert readings[0][1].endswith(
        "a consulté « Dossier » (rôle : intervenant), motif : coordination"
    )
    refused_ids = {str(scene.subjects[p]) for p in refused}
    assert not refused_ids & {who for who, _ in readings}


async def test_lists_open_to_every_role_show_each_reader_only_their_part(api: Api) -> None:
    """Delegations name cases, caseloads list them: every role may call these, each sees its
    own part (the matrix only says who may call)."""
    scene = build_scene(api)
    case = str(scene.case_id)

    async def items(principal: str, path: str, **query: str) -> list[Json]:
        response = await api.client.get(path, params=query, headers=scene.headers[principal])
        assert response.status_code == 200, (principal, path, _explain(response))
        found: list[Json] = response.json()["items"]
        return found

    marie = scene.id("marie")
    for principal in PRINCIPALS:
        # Asking for Marie's delegations by name does not widen what one sees: a case worker
        # sees their own (Luc, his delegation for the case).
        seen = await items(principal, "/delegations", case_id=case, professional_id=marie)
        expected = {
            ADMIN: [scene.id("delegation")],
            DELEGATE: [scene.id("delegation")],
            SUPERVISOR: [scene.id("delegation")],
            DELEGATE_ELSEWHERE: [scene.id("outside_delegation")],
        }.get(principal, [])
        assert [d["delegation_id"] for d in seen] == expected, principal

    jeanne = f"/professionals/{scene.id('jeanne')}/caseload"
    for principal in (PARTICIPANT, SUPERVISOR):
        assert [row["case_id"] for row in await items(principal, jeanne)] == [case], principal
    for principal in (SUPERVISOR_REFERRED, SUPERVISOR_ELSEWHERE):
        assert await items(principal, jeanne) == [], principal
