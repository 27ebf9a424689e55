"""The beneficiary's rights on the store (SQLite, and PostgreSQL with MAILLAGE_DATABASE_URL):
a data-protection officer rectifies an identity (read back after a reload and after a
snapshot, the old value sealed, both destroyed with the key), exports everything held from the
log and nothing of another case, and is refused where their institution never was."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from api.settings import Settings
from api.store.factory import build_application
from domain.access import ERASING_PERSONAL_DATA, EXPORTING_PERSONAL_DATA, Principal, Role
from domain.application import Maillage
from domain.case import BeneficiaryIdentity, Case
from domain.erased import ERASED_TEXT
from domain.errors import (
    AccessDeniedError,
    BeneficiaryErasedError,
    IdentityUnchangedError,
    InvalidValueError,
)
from domain.personal_data import PersonalDataExport
from domain.timing import TimePolicy
from tests.world import NOW, World


def fresh_app(settings: Settings) -> Maillage:
    """Another process's view of the store: no cache shared with the writer."""
    app = build_application(settings, AGGREGATE_CACHE_MAXSIZE="")
    app.time = TimePolicy(clock=lambda: NOW)
    return app


def dpo_of(world: World, institution: str) -> Principal:
    return Principal(uuid4(), Role.DPO, world.i(institution))


def rectify(app: Maillage, case_id: UUID, **fields: object) -> None:
    app.rectify_identity(
        case_id=case_id,
        requested_by="dpo test",
        institution_id=app.load(Case, case_id).holder_institution_id,
        reason=str(fields.pop("reason", "Pièce d'identité présentée")),
        **fields,  # type: ignore[arg-type]
    )


def export(app: Maillage, case_id: UUID, principal: Principal) -> PersonalDataExport:
    reading = app.record_consultation(
        case_id=case_id, principal=principal, view="personal_data", purpose="legal_request"
    )
    return app.personal_data(case_id, [reading.id], principal=principal)


def test_a_rectified_identity_is_read_back_after_a_reload_and_a_snapshot(
    store_settings: Settings, store_app: Maillage, store_world: World
) -> None:
    case_id = store_world.open_case()
    rectify(store_app, case_id, first_name="Léon", birth_date=date(2015, 5, 15))
    store_app.take_snapshot(case_id)
    rectify(store_app, case_id, last_name="Schmidt")
    expected = BeneficiaryIdentity("Léon", "Schmidt", date(2015, 5, 15))
    reader = fresh_app(store_settings)
    try:
        assert reader.repository.get(case_id).beneficiary == expected
        assert store_app.repository.get(case_id).beneficiary == expected
        store_app.take_snapshot(case_id)  # the rectified identity, sealed in the snapshot
        assert fresh_app(store_settings).repository.get(case_id).beneficiary == expected
    finally:
        reader.close()


def test_a_rectification_changes_something_valid(store_app: Maillage, store_world: World) -> None:
    case_id = store_world.open_case()
    with pytest.raises(IdentityUnchangedError) as unchanged:
        rectify(store_app, case_id, first_name="Léo")  # the name it already has
    assert unchanged.value.rule == "identity-unchanged"
    with pytest.raises(IdentityUnchangedError):
        rectify(store_app, case_id)  # nothing given
    with pytest.raises(InvalidValueError) as blank:
        rectify(store_app, case_id, last_name="  ")
    assert blank.value.field == "last_name"
    with pytest.raises(InvalidValueError) as future:
        rectify(store_app, case_id, birth_date=(NOW + timedelta(days=2)).date())
    assert future.value.field == "birth_date"
    assert store_app.repository.get(case_id).version == 1  # nothing recorded


def test_the_export_holds_exactly_the_case_and_nothing_of_another(
    store_app: Maillage, store_world: World
) -> None:
    world, app = store_world, store_app
    case_id = world.open_case()
    other = app.open_case(
        beneficiary=BeneficiaryIdentity("Zoé", "Kessler", date(2012, 1, 3)),
        legal_framework="administrative",
        by=world.actor("jeanne"),
    ).id
    app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind="home_visit", summary="Visite, Léo va bien"
    )
    app.record_intervention(
        case_id=other, by=world.actor("jeanne"), kind="home_visit", summary="Zoé absente"
    )
    consent = app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="legal_representative",
        representative_name="Mme Schmitt",
        recipients=[world.i("ase")],
        categories=["family_situation"],
    )
    app.share_information(
        case_id=case_id,
        by=world.actor("jeanne"),
        recipient_institution_id=world.i("ase"),
        categories=["family_situation"],
        summary="Situation familiale",
    )
    app.refer(  # on the mother's consent, which covers this category for the ASE
        case_id=case_id,
        by=world.actor("jeanne"),
        to_institution_id=world.i("ase"),
        reason="Soutien",
        categories=["family_situation"],
    )
    rectify(app, case_id, first_name="Léon")
    dpo = dpo_of(world, "aemo")

    found = export(app, case_id, dpo)

    in_log = list(app.recorder.select_events(case_id))
    assert [a.version for a in found.acts] == [e.originator_version for e in in_log]
    assert found.acts[0].event == "CaseOpened"
    assert found.acts[-1].event == "IdentityRectified"
    assert found.beneficiary.first_name == "Léon"
    assert [(h.previous.first_name, h.rectified.first_name) for h in found.identity_history] == [
        ("Léo", "Léon")
    ]
    assert found.acts[1].details["summary"] == "Visite, Léo va bien"
    assert found.acts[1].actor is not None
    assert found.acts[1].actor.professional.name == "Jeanne"
    assert [c.consent_id for c in found.consents] == [consent.entity_id]
    assert found.consents[0].representative_name == "Mme Schmitt"
    share = found.shares[0]
    assert share.recipient_institution.name == "ASE 68"
    assert share.consent_ids == [consent.entity_id]
    assert share.summary == "Situation familiale"
    assert [r.to_institution.name for r in found.referrals] == ["ASE 68"]
    assert [(r.role, r.view, r.purpose) for r in found.readings] == [
        ("dpo", "personal_data", "legal_request")
    ]
    text = repr(found)
    assert "Zoé" not in text
    assert "Kessler" not in text
    assert str(other) not in text


def test_erasure_destroys_the_old_and_the_new_identity(
    store_settings: Settings, store_app: Maillage, store_world: World
) -> None:
    case_id = store_world.open_case()
    rectify(store_app, case_id, last_name="Schmidt", reason="Erreur de saisie")
    [stored] = [
        s for s in store_app.recorder.select_events(case_id) if s.topic.endswith("Rectified")
    ]
    assert b"dpo test" in stored.state  # who asked stays in clear…
    for clear in (b"Schmidt", b"Schmitt", b"Erreur de saisie"):  # …old, new and why are sealed
        assert clear not in stored.state
    store_app.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="dpo x")
    reader = fresh_app(store_settings)
    try:
        assert reader.repository.get(case_id).beneficiary.last_name == ERASED_TEXT
        found = export(reader, case_id, dpo_of(store_world, "aemo"))
    finally:
        reader.close()
    assert found.erased
    assert found.erasure is not None
    history = found.identity_history[0]
    assert history.previous.last_name == history.rectified.last_name == ERASED_TEXT
    assert history.reason == ERASED_TEXT
    text = repr(found)
    assert "Schmitt" not in text
    assert "Schmidt" not in text
    assert "Léo" not in text
    with pytest.raises(BeneficiaryErasedError):
        rectify(store_app, case_id, last_name="Martin")


def test_only_a_dpo_of_an_involved_institution_exercises_the_rights(
    store_app: Maillage, store_world: World
) -> None:
    world, app = store_world, store_app
    case_id = world.open_case()
    referral = world.refer(case_id, "jeanne", "ase", reason="Aide")
    assert app.authorise_rights(dpo_of(world, "aemo"), case_id, EXPORTING_PERSONAL_DATA)
    with pytest.raises(AccessDeniedError):  # a referral not yet accepted involves no one
        app.authorise_rights(dpo_of(world, "ase"), case_id, EXPORTING_PERSONAL_DATA)
    app.accept_referral(case_id=case_id, referral_id=referral, by=world.actor("karim"))
    for allowed in ("aemo", "ase"):  # the holder, and the institution that accepted
        assert app.authorise_rights(dpo_of(world, allowed), case_id, EXPORTING_PERSONAL_DATA)
    refusals = [
        dpo_of(world, "school"),  # never involved
        Principal(uuid4(), Role.DPO),  # names no institution
        Principal(uuid4(), Role.ADMIN),  # erasure is no longer theirs
        Principal(world.p("jeanne"), Role.CASE_WORKER, world.i("aemo")),
    ]
    for principal in refusals:
        with pytest.raises(AccessDeniedError):
            app.authorise_rights(principal, case_id, ERASING_PERSONAL_DATA)


def test_the_export_follows_the_holder_and_the_referrals_to_their_end(
    store_app: Maillage, store_world: World
) -> None:
    world, app = store_world, store_app
    case_id = world.open_case()
    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE")
    transfer = app.request_transfer(
        case_id=case_id, by=world.actor("jeanne"), to_institution_id=world.i("ase")
    ).entity_id
    assert transfer is not None
    app.accept_transfer(case_id=case_id, transfer_id=transfer, by=world.actor("karim"))
    referral = world.refer(case_id, "jeanne", "cmp")
    app.revoke_referral(
        case_id=case_id, referral_id=referral, by=world.actor("jeanne"), reason="Plus utile"
    )

    found = export(app, case_id, dpo_of(world, "aemo"))

    assert found.holder_institution.id == world.i("ase")  # the holder now, not the opener
    assert [(r.referral_id, r.status) for r in found.referrals] == [(referral, "revoked")]
