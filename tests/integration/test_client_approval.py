"""Security review of client applications (issue 19), on the store under test: personal data
opens only once a data-protection officer of the client's institution approves an
administrator's request (two people), a widening change lapses the approval, and a rotation
without grace (or a revocation) cuts off the tokens already issued."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Engine, update

from api.integration.client_approval import (
    _checked,
    approve_personal_data,
    withdraw_personal_data,
)
from api.integration.client_records import (
    PersonalDataNotRequestedError,
    PersonalDataRequestChangedError,
)
from api.integration.clients import (
    ClientRegistry,
    ClientRevokedError,
    Registered,
    integration_client,
)
from domain.access import Principal, ReadPurpose, Role
from domain.errors import AccessDeniedError
from domain.integration import ClientScope, RotatedClientTokenError, check_feed_reader
from tests.world import NOW

AEMO, SCHOOL = uuid4(), uuid4()
KINDS = ["Case.CaseOpened", "Case.ReferralMade"]


class Clock:
    def __init__(self) -> None:
        self.now = NOW + timedelta(microseconds=250_000)  # within a second, as the clock is

    def __call__(self) -> datetime:
        return self.now


def _register(registry: ClientRegistry, *, personal_data: bool = True) -> Registered:
    return registry.register(
        name="Logiciel de suivi AEMO",
        institution_id=AEMO,
        kinds=KINDS,
        personal_data=personal_data,
        purpose=ReadPurpose.FOLLOW_UP,
        by=uuid4(),
    )


def _opens(registry: ClientRegistry, client_id: UUID) -> bool:
    scope = registry.scope(client_id)
    assert scope is not None
    return scope.personal_data


def test_personal_data_opens_only_once_a_dpo_of_its_institution_approves(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    registry = ClientRegistry(engine, clock)
    client = _register(registry)
    assert _opens(registry, client.client_id) is False  # requested by the administrator only
    for someone in (
        Principal(uuid4(), Role.ADMIN),
        Principal(uuid4(), Role.SUPERVISOR, AEMO),
        Principal(uuid4(), Role.DPO, SCHOOL),  # a DPO of another institution
    ):
        with pytest.raises(AccessDeniedError):
            approve_personal_data(registry, client.client_id, someone)
        assert _opens(registry, client.client_id) is False
    dpo = Principal(uuid4(), Role.DPO, AEMO)
    with caplog.at_level(logging.INFO, logger="maillage.integration"):
        record = approve_personal_data(registry, client.client_id, dpo)
        clock.now += timedelta(minutes=5)
        again = approve_personal_data(
            registry, client.client_id, Principal(uuid4(), Role.DPO, AEMO)
        )
        withdrawn = withdraw_personal_data(registry, client.client_id, dpo)
    assert (record.personal_data_approved_by, record.personal_data_approved_at) == (
        dpo.subject,
        NOW + timedelta(microseconds=250_000),
    )
    assert record.personal_data_in_force
    assert again.personal_data_approved_by == dpo.subject  # the first approval is kept
    assert (withdrawn.personal_data_approved_by, withdrawn.personal_data_in_force) == (None, False)
    assert _opens(registry, client.client_id) is False
    logged = [r.getMessage() for r in caplog.records if r.name == "maillage.integration"]
    assert len(logged) == 2
    assert "approved by data-protection officer" in logged[0]
    assert "withdrawn by data-protection officer" in logged[1]
    assert all(str(dpo.subject) in line and str(client.client_id) in line for line in logged)
    assert client.secret not in "\n".join(logged)


def test_nothing_to_approve_without_a_request_nor_on_a_revoked_client(engine: Engine) -> None:
    registry = ClientRegistry(engine)
    dpo = Principal(uuid4(), Role.DPO, AEMO)
    quiet = _register(registry, personal_data=False)
    with pytest.raises(PersonalDataNotRequestedError):
        approve_personal_data(registry, quiet.client_id, dpo)
    revoked = _register(registry)
    registry.revoke(revoked.client_id, by=uuid4())
    with pytest.raises(ClientRevokedError):
        approve_personal_data(registry, revoked.client_id, dpo)


def test_an_administrators_widening_change_lapses_the_approval(engine: Engine) -> None:
    registry = ClientRegistry(engine)
    client = _register(registry)
    dpo, admin = Principal(uuid4(), Role.DPO, AEMO), uuid4()

    def approved() -> None:
        approve_personal_data(registry, client.client_id, dpo)
        assert _opens(registry, client.client_id) is True

    approved()
    # what opens no more than approved keeps the approval
    registry.update(client.client_id, by=admin, name="Suivi AEMO", kinds=KINDS[:1])
    registry.update(client.client_id, by=admin, purpose=ReadPurpose.FOLLOW_UP, personal_data=True)
    assert _opens(registry, client.client_id) is True
    # a kind more, another purpose, personal data turned off then on again: asked anew
    for widening in (
        {"kinds": KINDS},
        {"purpose": ReadPurpose.COORDINATION},
        {"personal_data": False},
    ):
        registry.update(client.client_id, by=admin, **widening)  # type: ignore[arg-type]
        record = registry.get(client.client_id)
        assert (record.personal_data_approved_at, record.personal_data_approved_by) == (None, None)
        assert _opens(registry, client.client_id) is False, widening
        registry.update(client.client_id, by=admin, personal_data=True)
        assert _opens(registry, client.client_id) is False, widening
        approved()


def _token_at(scope: ClientScope, issued_at: datetime) -> None:
    principal = Principal(scope.client_id, Role.INTEGRATION, scope.institution_id, issued_at)
    check_feed_reader(principal, scope)


def test_a_rotation_without_grace_cuts_off_the_tokens_already_issued(engine: Engine) -> None:
    clock = Clock()
    registry = ClientRegistry(engine, clock)
    client = _register(registry)
    registry.rotate(client.client_id, by=uuid4(), grace=timedelta(minutes=30))
    scope = registry.scope(client.client_id)
    assert scope is not None
    assert scope.tokens_not_before is None  # with grace: tokens live on until they expire
    _token_at(scope, NOW - timedelta(minutes=10))

    clock.now += timedelta(minutes=1)
    rotated = registry.rotate(client.client_id, by=uuid4(), grace=timedelta(0))
    scope = registry.scope(client.client_id)
    assert scope is not None
    cutoff = NOW + timedelta(minutes=1, seconds=1)  # `iat` is in whole seconds: the next one
    assert scope.tokens_not_before == cutoff
    assert registry.get(client.client_id).tokens_not_before == cutoff
    assert registry.authenticate(client.client_id, client.secret) is None
    assert registry.authenticate(client.client_id, rotated.secret) is not None
    for before in (NOW, NOW + timedelta(minutes=1)):  # issued before, or within its second
        with pytest.raises(RotatedClientTokenError, match="rotated without grace"):
            _token_at(scope, before)
    with pytest.raises(RotatedClientTokenError, match="rotated without grace"):
        check_feed_reader(
            Principal(scope.client_id, Role.INTEGRATION, AEMO), scope
        )  # an unknown iat
    _token_at(scope, cutoff)
    _token_at(scope, cutoff + timedelta(minutes=5))


def test_a_revocation_sets_the_cutoff_too(engine: Engine) -> None:
    clock = Clock()
    registry = ClientRegistry(engine, clock)
    client = _register(registry)
    record = registry.revoke(client.client_id, by=uuid4())
    assert record.tokens_not_before == NOW + timedelta(seconds=1)


def test_a_dpo_approves_the_request_of_the_tag_they_read_none_other(engine: Engine) -> None:
    """The approval names the request's tag (the ETag a DPO read): widened since, nothing is
    approved; the tag read now approves it."""
    clock = Clock()
    registry = ClientRegistry(engine, clock)
    client = _register(registry)
    dpo = Principal(uuid4(), Role.DPO, AEMO)
    seen = registry.get(client.client_id).request_tag
    clock.now += timedelta(seconds=3)
    registry.update(client.client_id, by=uuid4(), kinds=[*KINDS, "Case.InterventionRecorded"])
    with pytest.raises(PersonalDataRequestChangedError):
        approve_personal_data(registry, client.client_id, dpo, seen=seen)
    record = registry.get(client.client_id)
    assert (record.personal_data_approved_at, record.personal_data_in_force) == (None, False)
    assert _opens(registry, client.client_id) is False
    assert record.request_tag != seen
    approved = approve_personal_data(registry, client.client_id, dpo, seen=record.request_tag)
    assert approved.personal_data_in_force
    assert _opens(registry, client.client_id) is True


def test_an_administrators_change_waits_for_an_approval_in_progress_and_lapses_it(
    engine: Engine,
) -> None:
    """The approval holds the client's row from its check to its commit; a widening change
    begun meanwhile waits, then decides on the approval committed, and lapses it — never an
    approval standing on a request wider than the one checked."""
    registry = ClientRegistry(engine)
    client = _register(registry)
    dpo = Principal(uuid4(), Role.DPO, AEMO)
    widened = threading.Event()

    def widen() -> None:
        registry.update(client.client_id, by=uuid4(), kinds=[*KINDS, "Case.ConsentGiven"])
        widened.set()

    with engine.begin() as conn:
        _checked(conn, client.client_id, dpo)  # what `approve_personal_data` does first
        admin = threading.Thread(target=widen)
        admin.start()
        assert not widened.wait(0.5)  # the administrator's change waits for the row
        conn.execute(
            update(integration_client)
            .where(integration_client.c.client_id == str(client.client_id))
            .values(personal_data_approved_at=NOW, personal_data_approved_by=str(dpo.subject))
        )
    admin.join(timeout=30)
    assert widened.is_set()
    record = registry.get(client.client_id)
    assert "Case.ConsentGiven" in record.kinds
    assert (record.personal_data_approved_at, record.personal_data_in_force) == (None, False)
