"""The registry of client applications (issue 19) on the store under test: registered with a
checked scope, authenticated by a secret kept only hashed."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import Engine, select

from api.integration.clients import ClientRegistry, integration_client
from domain.access import ReadPurpose
from domain.errors import InvalidValueError


def test_a_client_is_registered_with_its_scope_and_its_secret_kept_hashed(engine: Engine) -> None:
    registry = ClientRegistry(engine)
    institution, admin = uuid4(), uuid4()
    registered = registry.register(
        name="SI du département",
        institution_id=institution,
        kinds=["Case.CaseOpened", "Case.ReferralMade"],
        personal_data=False,
        purpose=ReadPurpose.COORDINATION,
        by=admin,
    )
    scope = registry.scope(registered.client_id)
    assert scope is not None
    assert scope.active
    assert scope.institution_id == institution
    assert scope.kinds == {"Case.CaseOpened", "Case.ReferralMade"}
    assert registry.authenticate(registered.client_id, registered.secret) == scope
    assert registry.authenticate(registered.client_id, registered.secret + "x") is None
    assert registry.authenticate(uuid4(), registered.secret) is None
    with engine.connect() as conn:
        stored = conn.execute(select(integration_client)).one()
    assert registered.secret not in str(stored)


def test_a_scope_names_only_kinds_the_log_records(engine: Engine) -> None:
    with pytest.raises(InvalidValueError, match="unknown kinds"):
        ClientRegistry(engine).register(
            name="x",
            institution_id=uuid4(),
            kinds=["Case.Nothing"],
            personal_data=False,
            purpose=ReadPurpose.COORDINATION,
            by=uuid4(),
        )
