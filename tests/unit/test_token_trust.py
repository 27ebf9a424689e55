"""A token checked once is remembered: its signature is not checked again at each request, its
instants are; a token signed by another key is refused whatever was remembered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import jwt
import pytest
from pydantic import SecretStr

from api.http import auth
from api.http.auth import TokenVerifier, mint_token
from api.http.problems import AuthenticationError
from api.settings import Settings
from domain.access import Role
from tests.world import NOW

SETTINGS = Settings(jwt_secret=SecretStr("unit-tests-signing-key-0123456789abcdef"))


def test_a_token_seen_before_is_not_decoded_again_but_its_expiry_still_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decoded: list[str] = []
    library_decode = jwt.decode

    def decoding(token: str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(token)
        return library_decode(token, *args, **kwargs)

    monkeypatch.setattr(auth.jwt, "decode", decoding)
    verifier = TokenVerifier(SETTINGS)
    subject = uuid4()
    token = mint_token(SETTINGS, subject=subject, role=Role.ADMIN, now=NOW)
    assert verifier.verify(token, now=NOW).subject == subject
    assert verifier.verify(token, now=NOW + timedelta(minutes=1)).subject == subject
    assert decoded == [token]
    with pytest.raises(AuthenticationError, match="expired"):
        verifier.verify(token, now=NOW + timedelta(minutes=SETTINGS.token_ttl_minutes))
    forged = mint_token(
        SETTINGS.model_copy(update={"jwt_secret": SecretStr("another-key-" + "x" * 40)}),
        subject=subject,
        role=Role.ADMIN,
        now=NOW,
    )
    with pytest.raises(AuthenticationError, match="signature"):
        verifier.verify(forged, now=NOW)
