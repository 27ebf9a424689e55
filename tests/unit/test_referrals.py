"""Referrals, both sides, in the domain (issue 17 §1): what a referral shares and on what,
revoking, expiry, what a pending referral gives the referred institution — and referrals
recorded before any of it, which must keep loading and projecting."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from domain.access import CaseUse
from domain.application import Maillage
from domain.case import Case
from domain.case_referrals import referral_categories
from domain.coherence import CaseFacts, assess
from domain.coherence_registry import Registry
from domain.errors import (
    NoLegalBasisForSharingError,
    NotACaseParticipantError,
    ReferralNotPendingError,
    WrongInstitutionError,
)
from domain.event_classes import CaseOpened, ReferralMade
from domain.values import AlertKind
from projections.referral_inbox import ReferralInbox, referral_view
from tests.unit.test_case_access import allowed, supervisor_of, worker
from tests.world import NOW, World, ago, events_since, position


def test_without_consent_nor_ground_a_referral_is_refused_and_nothing_recorded(
    app: Maillage, world: World
) -> None:
    case = world.open_case()
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError) as refused:
        app.refer(
            case_id=case, by=world.actor("jeanne"), to_institution_id=world.i("ase"), reason="x"
        )

    assert refused.value.field == "categories"
    assert position(app) == before


def test_a_withdrawn_consent_no_longer_covers_a_referral(app: Maillage, world: World) -> None:
    case = world.open_case()
    jeanne = world.actor("jeanne")
    consent = app.give_consent(
        case_id=case,
        by=jeanne,
        giver="beneficiary",
        recipients=[world.i("ase")],
        categories=["identity"],
        occurred_at=ago(3),
    ).entity_id
    assert consent is not None
    app.withdraw_consent(case_id=case, consent_id=consent, by=jeanne, occurred_at=ago(2))

    with pytest.raises(NoLegalBasisForSharingError):
        app.refer(case_id=case, by=jeanne, to_institution_id=world.i("ase"), reason="x")


def test_only_the_referring_institution_revokes(app: Maillage, world: World) -> None:
    case = world.open_case()
    referral = world.refer(case, "jeanne", "ase")
    app.join_case(case_id=case, by=world.actor("sophie"), role="psy")
    before = position(app)

    with pytest.raises(WrongInstitutionError) as other:
        app.revoke_referral(
            case_id=case, referral_id=referral, by=world.actor("sophie"), reason="x"
        )
    with pytest.raises(NotACaseParticipantError):
        app.revoke_referral(case_id=case, referral_id=referral, by=world.actor("karim"), reason="x")

    assert other.value.field == "institution_id"
    assert position(app) == before


def test_a_revocation_is_recorded_with_its_reason_and_ends_the_referral(
    app: Maillage, world: World
) -> None:
    case = world.open_case()
    referral = world.refer(case, "jeanne", "ase")
    before = position(app)

    app.revoke_referral(
        case_id=case, referral_id=referral, by=world.actor("jeanne"), reason=" Autre piste "
    )

    [revoked] = events_since(app, before)
    assert (type(revoked).__name__, revoked.reason) == ("ReferralRevoked", "Autre piste")
    with pytest.raises(ReferralNotPendingError) as refused:
        app.accept_referral(case_id=case, referral_id=referral, by=world.actor("karim"))
    assert refused.value.details["status"] == "revoked"


def test_a_referral_expires_after_the_delay_the_policy_gives(app: Maillage, world: World) -> None:
    app.time = replace(app.time, referral_expiry=timedelta(days=5))
    case = world.open_case()
    late = world.refer(case, "jeanne", "ase", occurred_at=ago(6))
    on_time = world.refer(case, "jeanne", "cmp", occurred_at=ago(4))

    with pytest.raises(ReferralNotPendingError) as refused:
        app.decline_referral(case_id=case, referral_id=late, by=world.actor("karim"), reason="x")
    app.accept_referral(case_id=case, referral_id=on_time, by=world.actor("sophie"))
    # an answer dated before the expiry (entered late) is still an answer in time
    app.accept_referral(
        case_id=case, referral_id=late, by=world.actor("karim"), occurred_at=ago(5, 1)
    )

    assert refused.value.details["status"] == "expired"
    loaded = app.repository.get(case)
    assert [r.status_at(NOW, timedelta(days=5)) for r in loaded.referrals] == [
        "accepted",
        "accepted",
    ]


def test_a_pending_referral_gives_the_referred_institution_no_standing_on_the_file(
    world: World,
) -> None:
    app, case = world.app, world.open_case()
    ase_head, karim = supervisor_of(world, "ase"), worker(world, "karim")
    referral = world.refer(case, "jeanne", "ase")

    assert allowed(app, karim, case, CaseUse.ANSWER_REFERRAL)
    for principal, use in (
        (ase_head, CaseUse.READ),
        (ase_head, CaseUse.AUDIT),
        (karim, CaseUse.JOIN),
    ):
        assert not allowed(app, principal, case, use)
    app.accept_referral(case_id=case, referral_id=referral, by=world.actor("karim"))
    assert allowed(app, ase_head, case, CaseUse.AUDIT)
    assert allowed(app, karim, case, CaseUse.JOIN)


def test_the_coherence_view_tells_the_referrer_of_an_expired_referral(
    app: Maillage, world: World
) -> None:
    case = world.open_case()
    referral = world.refer(case, "jeanne", "ase", occurred_at=ago(9))
    events = [e for e in events_since(app, 0) if getattr(e, "originator_id", None) == case]
    facts = CaseFacts.opened_by(events[0])  # type: ignore[arg-type]
    for e in events[1:]:
        facts.apply(e)  # type: ignore[arg-type]

    soon = assess(facts, Registry(), NOW, referral_expiry=timedelta(days=10))
    late = assess(facts, Registry(), NOW, referral_expiry=timedelta(days=8))

    assert AlertKind.REFERRAL_EXPIRED not in [a.kind for a in soon.alerts]
    [alert] = [a for a in late.alerts if a.kind == AlertKind.REFERRAL_EXPIRED]
    assert (alert.institution_id, alert.counterpart_institution_id) == (
        world.i("aemo"),
        world.i("ase"),
    )
    assert alert.raised_at == ago(1)
    assert alert.acknowledgeable
    assert facts.referrals[0].referral_id == referral


# --- referrals recorded before issue 17 ---------------------------------------------------


class _Batch:
    """Just what the inbox projector writes with."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def put(self, table: Any, row: dict[str, Any]) -> None:
        assert table is referral_view
        self.rows[row["referral_id"]] = row

    def get(self, table: Any, key: tuple[str]) -> dict[str, Any] | None:
        return self.rows.get(key[0])


def _as_recorded_before(app: Maillage, made: ReferralMade) -> Any:
    """The event as an older release stored it: without what a referral shares."""
    stored = app.mapper.to_stored_event(made)
    state = app.mapper.transcoder.decode(stored.state)
    for name in ("categories", "consent_ids", "legal_ground", "legal_reference"):
        state.pop(name)
    older = replace(stored, state=app.mapper.transcoder.encode(state))
    return app.mapper.to_domain_event(older)


def test_a_referral_recorded_before_issue_17_still_loads_and_projects(
    app: Maillage, world: World
) -> None:
    case = world.open_case()
    before = position(app)
    referral = world.refer(case, "jeanne", "ase")
    made = next(e for e in events_since(app, before) if isinstance(e, ReferralMade))
    older = _as_recorded_before(app, made)
    assert not hasattr(older, "categories")

    # the aggregate: replayed from its events, the older one among them
    opened = next(
        e for e in events_since(app, 0) if isinstance(e, CaseOpened) and e.originator_id == case
    )
    rebuilt = opened.mutate(None)
    for e in events_since(app, 0):
        if e.originator_id == case and e.originator_version > 1:
            rebuilt = (older if e.originator_version == made.originator_version else e).mutate(
                rebuilt
            )
    assert isinstance(rebuilt, Case)
    assert rebuilt.referral(referral) is not None
    assert rebuilt.referral(referral).made_at == made.occurred_at  # type: ignore[union-attr]
    # the coherence facts and the inbox
    facts = CaseFacts.opened_by(opened)
    facts.apply(older)
    assert facts.referrals[0].status == "pending"
    assert referral_categories(older) == ()
    batch = _Batch()
    ReferralInbox().made(batch, older, 1)  # type: ignore[arg-type]
    assert json.loads(batch.rows[str(referral)]["categories"]) == []
