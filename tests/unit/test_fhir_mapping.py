"""The FHIR mapping without a database (`api.fhir`): given a case's events → the bundle
validates (fhir.resources, R4B), every reference resolves within it, and each participant's
and act's (professional, institution, basis kind, basis ref) is rebuilt from the bundle alone —
network and informal bases included; consents, referrals (an expired one too), closings and
readings mapped; once erased, nothing personal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from api.fhir.bundle import bundle
from api.fhir.record import CaseRecord
from api.i18n import Words
from domain.case import BeneficiaryIdentity, Case
from domain.case_values import SharingAuthorisation
from domain.consultation import Consultation
from domain.timing import DEFAULT_REFERRAL_EXPIRY
from domain.values import Actor, Basis, BasisKind
from projections.names import Names
from tests.fhir_reading import acts, maillage_id, of_type, parsed, participants
from tests.world import NOW, ago

AEMO, CMP, SCHOOL, ASE = uuid4(), uuid4(), uuid4(), uuid4()
JEANNE, SOPHIE, PAUL = Actor(uuid4(), AEMO), Actor(uuid4(), CMP), Actor(uuid4(), SCHOOL)
NETWORK = uuid4()
NAMES = Names(
    professionals={JEANNE.professional_id: "Jeanne", SOPHIE.professional_id: "Sophie"},
    institutions={AEMO: "AEMO Colmar", CMP: "CMP Colmar"},
)


class Story:
    """A case: Jeanne opens it, Sophie joins on a network, Paul informally; a consent by the
    legal representative, one by the person withdrawn; a referral left unanswered for 40
    days; closed, reopened, closed again; two readings."""

    def __init__(self) -> None:
        holder = Basis(BasisKind.CASE_HOLDER, AEMO)
        case = Case.open(
            beneficiary=BeneficiaryIdentity("Léo", "Schmitt", date(2015, 5, 14)),
            legal_framework="judicial",
            opened_by=JEANNE,
            role="référente",
            occurred_at=ago(60),
        )
        case.join(
            by=SOPHIE, role="psychiatre", basis=Basis("network", NETWORK), occurred_at=ago(50)
        )
        case.join(by=PAUL, role="enseignant", basis=Basis.informal(), occurred_at=ago(50))
        self.represented, self.withdrawn = uuid4(), uuid4()
        case.give_consent(
            consent_id=self.represented,
            by=JEANNE,
            basis=holder,
            giver="legal_representative",
            representative_name="Marie Schmitt",
            recipients=[CMP, SCHOOL],
            categories=["health", "education"],
            valid_until=NOW.date() + timedelta(days=90),
            occurred_at=ago(45),
        )
        case.give_consent(
            consent_id=self.withdrawn,
            by=JEANNE,
            basis=holder,
            giver="beneficiary",
            representative_name=None,
            recipients=[ASE],
            categories=["identity"],
            valid_until=None,
            occurred_at=ago(45),
        )
        self.referral = uuid4()
        case.refer(
            referral_id=self.referral,
            by=JEANNE,
            basis=holder,
            to_institution_id=ASE,
            reason="Orientation",
            categories=["identity"],
            authorisation=SharingAuthorisation(consent_ids=(self.withdrawn,)),
            occurred_at=ago(44),
        )
        case.withdraw_consent(
            consent_id=self.withdrawn, by=JEANNE, basis=holder, occurred_at=ago(3)
        )
        case.leave(by=PAUL, basis=Basis.informal(), occurred_at=ago(2))
        case.close(by=JEANNE, basis=holder, reason="Fin", occurred_at=ago(1, 5))
        case.reopen(by=JEANNE, basis=holder, reason="Reprise", occurred_at=ago(1, 4))
        case.close(by=JEANNE, basis=holder, reason="Fin", occurred_at=ago(1))
        self.case = case
        self.events = case.collect_events()
        self.readings = [
            Consultation.record(
                case_id=case.id,
                by=who,
                role="case_worker",
                view="file",
                purpose=purpose,
                occurred_at=ago(0, 1),
            ).collect_events()[0]
            for who, purpose in ((SOPHIE, "follow_up"), (JEANNE, "emergency"))
        ]

    def bundle(self, *, readings: bool = True) -> dict[str, Any]:
        record = CaseRecord.of(
            self.case,
            self.events,
            self.readings if readings else (),
            at=NOW,
            referral_expiry=DEFAULT_REFERRAL_EXPIRY,
        )
        return bundle(record, NAMES, NOW, Words("fr"))


def test_every_participant_and_act_round_trips_its_actor_and_basis() -> None:
    story = Story()
    resources = parsed(story.bundle())

    team = participants(resources)
    assert team == [
        (str(PAUL.professional_id), str(SCHOOL), "informal", None, False),
        (str(JEANNE.professional_id), str(AEMO), "case_holder", str(AEMO), True),
        (str(SOPHIE.professional_id), str(CMP), "network", str(NETWORK), True),
    ]
    found = acts(resources)
    expected = {
        f"{story.case.id}/{e.originator_version}": (
            str(e.by.professional_id),
            str(e.by.institution_id),
            str(e.basis.kind),
            str(e.basis.ref_id) if e.basis.ref_id else None,
        )
        for e in story.events
    }
    assert found == expected
    informal = [p for p in of_type(resources, "Provenance") if "policy" not in p]
    assert len(informal) == 2  # Paul's joining and leaving name no basis to point at


def test_consents_referrals_closings_and_readings_are_mapped() -> None:
    story = Story()
    resources = parsed(story.bundle())

    consents = {maillage_id(c, "consent"): c for c in of_type(resources, "Consent")}
    given = consents[str(story.represented)]
    assert given["status"] == "active"
    representative = resources[given["performer"][0]["reference"]]
    assert representative["resourceType"] == "RelatedPerson"
    assert representative["name"] == [{"text": "Marie Schmitt"}]
    recipients = [resources[a["reference"]["reference"]] for a in given["provision"]["actor"]]
    assert [maillage_id(o, "institution") for o in recipients] == [str(CMP), str(SCHOOL)]
    assert [c["coding"][0]["code"] for c in given["provision"]["code"]] == ["health", "education"]
    assert given["provision"]["period"]["end"].startswith(str(NOW.date() + timedelta(days=90)))
    withdrawn = consents[str(story.withdrawn)]
    assert withdrawn["status"] == "inactive"
    assert resources[withdrawn["performer"][0]["reference"]]["resourceType"] == "Patient"

    (task,) = of_type(resources, "Task")
    assert task["status"] == "failed"  # unanswered 44 days: expired
    assert task["businessStatus"]["coding"][0]["code"] == "expired"
    (request,) = of_type(resources, "ServiceRequest")
    assert request["supportingInfo"] == [
        {"reference": given_ref(resources, story.withdrawn), "type": "Consent"}
    ]

    (episode,) = of_type(resources, "EpisodeOfCare")
    assert episode["status"] == "finished"
    assert [s["status"] for s in episode["statusHistory"]] == [
        "active",
        "finished",
        "active",
        "finished",
    ]
    assert episode["type"][0]["coding"][0]["display"] == "Judiciaire"

    audit = of_type(resources, "AuditEvent")
    codes_of = [[c["code"] for c in a["purposeOfEvent"][0]["coding"]] for a in audit]
    assert codes_of == [["follow_up", "TREAT"], ["emergency", "ETREAT"]]
    assert of_type(parsed(story.bundle(readings=False)), "AuditEvent") == []


def test_an_erased_case_shows_nothing_personal() -> None:
    story = Story()
    story.case.erase_beneficiary(
        ground="erasure_request", reference=None, requested_by="dpo x", occurred_at=NOW
    )
    story.events += story.case.collect_events()

    document = story.bundle()
    resources = parsed(document)

    (patient,) = of_type(resources, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier"}
    (representative,) = of_type(resources, "RelatedPerson")
    assert "name" not in representative
    text = str(document)
    assert "Schmitt" not in text
    assert "Léo" not in text
    assert "2015-05-14" not in text
    assert len(participants(resources)) == 3


def given_ref(resources: dict[str, Any], consent_id: UUID) -> str:
    (url,) = [
        u
        for u, r in resources.items()
        if r["resourceType"] == "Consent" and maillage_id(r, "consent") == str(consent_id)
    ]
    return url
