"""Keeping client applications (issue 19) on the store under test: a scope changed holds at once,
a rotated secret keeps its predecessor for the grace period only, a revoked client is inactive
and authenticates no more; every change is logged, never a secret."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import Engine

from api.integration.clients import (
    ClientNotFoundError,
    ClientRegistry,
    ClientRevokedError,
    Registered,
)
from domain.access import ReadPurpose
from domain.errors import InvalidValueError
from tests.world import NOW


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _register(registry: ClientRegistry, **changes: object) -> Registered:
    given: dict[str, object] = {
        "name": "SI de l'ASE",
        "institution_id": uuid4(),
        "kinds": ["Case.CaseOpened"],
        "personal_data": False,
        "purpose": ReadPurpose.COORDINATION,
        "by": uuid4(),
        **changes,
    }
    return registry.register(**given)  # type: ignore[arg-type]


def test_a_changed_scope_is_the_scope_read_next(engine: Engine) -> None:
    registry = ClientRegistry(engine)
    client = _register(registry)
    admin = uuid4()
    record = registry.update(
        client.client_id,
        by=admin,
        kinds=["Case.CaseOpened", "Case.ReferralMade"],
        personal_data=True,
        purpose=ReadPurpose.FOLLOW_UP,
        name="  SI ASE 68 ",
    )
    assert (record.name, record.updated_by) == ("SI ASE 68", admin)
    scope = registry.scope(client.client_id)
    assert scope is not None
    assert scope.kinds == {"Case.CaseOpened", "Case.ReferralMade"}
    # requested by the administrator, not in force before a data-protection officer approves it
    assert (record.personal_data, record.personal_data_in_force) == (True, False)
    assert (scope.personal_data, scope.purpose) == (False, ReadPurpose.FOLLOW_UP)
    with pytest.raises(InvalidValueError, match="unknown kinds") as unknown:
        registry.update(client.client_id, by=admin, kinds=["Case.Nothing"])
    assert unknown.value.field == "kinds"
    with pytest.raises(InvalidValueError, match="needs a name"):
        registry.update(client.client_id, by=admin, name="   ")
    with pytest.raises(InvalidValueError, match="at most 200"):
        _register(registry, name="x" * 201)
    with pytest.raises(ClientNotFoundError):
        registry.update(uuid4(), by=admin, name="x")


def test_a_rotated_secret_keeps_the_previous_one_for_the_grace_period_only(
    engine: Engine,
) -> None:
    clock = Clock()
    registry = ClientRegistry(engine, clock)
    first = _register(registry)
    second = registry.rotate(first.client_id, by=uuid4(), grace=timedelta(minutes=60))
    assert second.secret != first.secret
    assert registry.get(first.client_id).previous_secret_valid_until == NOW + timedelta(hours=1)
    assert registry.authenticate(first.client_id, second.secret) is not None
    assert registry.authenticate(first.client_id, first.secret) is not None  # within the grace
    clock.now = NOW + timedelta(minutes=61)
    assert registry.authenticate(first.client_id, first.secret) is None  # the grace is over
    assert registry.authenticate(first.client_id, second.secret) is not None
    third = registry.rotate(first.client_id, by=uuid4(), grace=timedelta(0))
    assert registry.authenticate(first.client_id, second.secret) is None  # no grace: at once
    assert registry.authenticate(first.client_id, third.secret) is not None


def test_a_revoked_client_is_inactive_at_once_and_changed_no_more(engine: Engine) -> None:
    registry = ClientRegistry(engine)
    client = _register(registry)
    admin = uuid4()
    record = registry.revoke(client.client_id, by=admin)
    assert (record.active, record.revoked_by) == (False, admin)
    scope = registry.scope(client.client_id)
    assert scope is not None
    assert scope.active is False
    assert registry.authenticate(client.client_id, client.secret) is None
    assert registry.revoke(client.client_id, by=uuid4()).revoked_by == admin  # unchanged
    with pytest.raises(ClientRevokedError):
        registry.rotate(client.client_id, by=admin, grace=timedelta(minutes=5))
    with pytest.raises(ClientRevokedError):
        registry.update(client.client_id, by=admin, name="Autre")
    with pytest.raises(ClientNotFoundError):
        registry.revoke(uuid4(), by=admin)


def test_clients_are_listed_by_institution_and_state_in_pages(engine: Engine) -> None:
    registry = ClientRegistry(engine)
    ase, aemo = uuid4(), uuid4()
    ours = {_register(registry, institution_id=ase).client_id for _ in range(3)}
    other = _register(registry, institution_id=aemo).client_id
    revoked = next(iter(ours))
    registry.revoke(revoked, by=uuid4())
    assert {c.client_id for c in registry.list(institution_id=ase)} == ours
    assert {c.client_id for c in registry.list(revoked=True)} == {revoked}
    assert {c.client_id for c in registry.list(revoked=False)} == ours - {revoked} | {other}
    first = registry.list(limit=2)
    rest = registry.list(after=str(first[-1].client_id), limit=10)
    assert [c.client_id for c in first + rest] == sorted(ours | {other}, key=str)


def test_every_change_is_logged_with_who_and_never_a_secret(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    registry = ClientRegistry(engine)
    admin = uuid4()
    with caplog.at_level(logging.INFO, logger="maillage.integration"):
        client = _register(registry, by=admin)
        rotated = registry.rotate(client.client_id, by=admin, grace=timedelta(minutes=5))
        registry.update(client.client_id, by=admin, personal_data=True)
        registry.revoke(client.client_id, by=admin)
    logged = [r.getMessage() for r in caplog.records if r.name == "maillage.integration"]
    assert len(logged) == 4
    assert all(str(client.client_id) in line and str(admin) in line for line in logged)
    text = "\n".join(logged)
    assert client.secret not in text
    assert rotated.secret not in text
    assert "mcs_" not in text
