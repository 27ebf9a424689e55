"""`domain.integration.check_client_token`: a client application's token is judged against its
client as stored now — unknown, revoked, or issued before `tokens_not_before` (an unknown issue
instant included) is a token refused (401 over HTTP), not a request refused (403)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest

from domain.access import Principal, ReadPurpose, Role
from domain.errors import AccessDeniedError
from domain.integration import (
    ClientScope,
    ClientTokenRefusedError,
    RevokedClientTokenError,
    RotatedClientTokenError,
    UnknownClientTokenError,
    check_client_token,
    check_feed_reader,
)
from tests.world import NOW

INSTITUTION = uuid4()
SCOPE = ClientScope(
    client_id=uuid4(),
    institution_id=INSTITUTION,
    kinds=frozenset({"Case.CaseOpened"}),
    personal_data=False,
    purpose=ReadPurpose.COORDINATION,
    active=True,
)
TOKEN = Principal(SCOPE.client_id, Role.INTEGRATION, INSTITUTION, issued_at=NOW)


def test_a_token_good_for_its_client_gives_its_scope() -> None:
    assert check_client_token(TOKEN, SCOPE) == SCOPE
    cut_before = replace(SCOPE, tokens_not_before=NOW)  # issued at the cut-off: good
    assert check_feed_reader(TOKEN, cut_before) == cut_before


@pytest.mark.parametrize(
    ("principal", "scope", "refusal"),
    [
        (TOKEN, None, UnknownClientTokenError),
        (replace(TOKEN, subject=uuid4()), SCOPE, UnknownClientTokenError),
        (TOKEN, replace(SCOPE, active=False, tokens_not_before=NOW), RevokedClientTokenError),
        (
            TOKEN,
            replace(SCOPE, tokens_not_before=NOW + timedelta(seconds=1)),
            RotatedClientTokenError,
        ),
        (
            replace(TOKEN, issued_at=None),
            replace(SCOPE, tokens_not_before=NOW),
            RotatedClientTokenError,
        ),
    ],
    ids=["unknown", "another-client", "revoked", "issued-before-the-cut", "no-iat-and-a-cut"],
)
def test_a_token_no_longer_good_is_refused_as_a_token(
    principal: Principal, scope: ClientScope | None, refusal: type[ClientTokenRefusedError]
) -> None:
    for check in (check_client_token, check_feed_reader):
        with pytest.raises(refusal) as refused:
            check(principal, scope)
        assert not isinstance(refused.value, AccessDeniedError)


def test_a_token_without_iat_is_good_while_its_client_has_no_cut() -> None:
    assert check_client_token(replace(TOKEN, issued_at=None), SCOPE) == SCOPE


def test_a_valid_token_for_another_institution_or_a_persons_token_is_a_403() -> None:
    with pytest.raises(AccessDeniedError):
        check_feed_reader(replace(TOKEN, institution_id=uuid4()), SCOPE)
    person = Principal(uuid4(), Role.CASE_WORKER, INSTITUTION, issued_at=NOW)
    assert check_client_token(person, None) is None
    with pytest.raises(AccessDeniedError):
        check_feed_reader(person, SCOPE)
