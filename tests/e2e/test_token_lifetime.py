"""Every token is bounded: `iat` and `exp` required, a lifetime (`exp - iat`) of at most
`token_max_lifetime_minutes` (default a working day, 480 minutes), `iat` no further ahead of the
service's clock than `clock_skew_seconds` — whoever signed the token, the deployment's shared key
or an identity provider's. Each refusal is a 401 problem on a protected route, next to a control
that the same route answers 200 to a token just inside the bound."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from api.http.auth import TokenLifetimeError, mint_token
from domain.access import Role
from tests.conftest import TEST_SIGNING_KEY
from tests.e2e.conftest import Api
from tests.e2e.test_tokens import (
    DROP,
    PROTECTED,
    assert_unauthenticated,
    bearer,
    claims,
    hs256,
    public_pem,
    rs256,
    serving,
)
from tests.world import NOW

T = int(NOW.timestamp())  # the app's one clock


def signed(api: Api, **overrides: Any) -> dict[str, str]:
    """A token with these claims; the refusals are asked for in English."""
    headers = bearer(hs256(claims(api.settings, **overrides), TEST_SIGNING_KEY))
    return {**headers, "Accept-Language": "en"}


async def detail_of_refusal(api: Api, headers: dict[str, str]) -> str:
    response = await api.client.get(PROTECTED, headers=headers)
    assert_unauthenticated(response)
    detail: str = response.json()["detail"]
    return detail


def test_the_default_bound_is_a_working_day(api: Api) -> None:
    assert api.settings.token_max_lifetime_minutes == 480
    assert api.settings.token_ttl_minutes <= api.settings.token_max_lifetime_minutes


async def test_a_token_valid_until_2_to_the_63_is_refused(api: Api) -> None:
    detail = await detail_of_refusal(api, signed(api, iat=T, exp=2**63))
    assert detail == (
        "the token lives more than ten days (exp - iat), longer than the 480 minutes this "
        "service accepts: ask for a shorter-lived token"
    )
    # Larger than any integer a float holds, against a fractional iat: refused, not a 500.
    await detail_of_refusal(api, signed(api, iat=T + 0.5, exp=10**400))


@pytest.mark.parametrize("claim", ["iat", "exp"])
async def test_a_token_without_iat_or_exp_is_refused(api: Api, claim: str) -> None:
    detail = await detail_of_refusal(api, signed(api, **{claim: DROP}))
    assert f'missing the "{claim}" claim' in detail


async def test_the_lifetime_bound_itself_is_accepted_and_one_second_more_refused(
    api: Api,
) -> None:
    longest = 60 * api.settings.token_max_lifetime_minutes
    at_bound = await api.client.get(PROTECTED, headers=signed(api, iat=T, exp=T + longest))
    assert at_bound.status_code == 200, at_bound.text
    # Issued long ago but still within its bound: accepted until its exp.
    older = signed(api, iat=T - longest + 60, exp=T + 60)
    assert (await api.client.get(PROTECTED, headers=older)).status_code == 200
    detail = await detail_of_refusal(api, signed(api, iat=T, exp=T + longest + 1))
    assert detail.startswith(f"the token lives {longest + 1} seconds (exp - iat)")
    # An old iat does not make a long token short: its lifetime is what counts.
    await detail_of_refusal(api, signed(api, iat=T - 3600, exp=T + longest))


async def test_the_bound_follows_the_setting(api: Api) -> None:
    settings = api.settings.model_copy(update={"token_max_lifetime_minutes": 60})
    async with serving(settings) as client:
        hour = await client.get(PROTECTED, headers=signed(api, iat=T, exp=T + 3600))
        longer = await client.get(PROTECTED, headers=signed(api, iat=T, exp=T + 3660))
    assert hour.status_code == 200, hour.text
    assert_unauthenticated(longer)
    assert "longer than the 60 minutes" in longer.json()["detail"]


async def test_iat_ahead_of_the_clock_within_the_skew_only(api: Api) -> None:
    skew = api.settings.clock_skew_seconds
    assert skew > 0
    ahead = signed(api, iat=T + skew, exp=T + skew + 600)
    assert (await api.client.get(PROTECTED, headers=ahead)).status_code == 200
    beyond = signed(api, iat=T + skew + 1, exp=T + skew + 600)
    assert "not yet valid (iat)" in await detail_of_refusal(api, beyond)


INSTANTS_REFUSED: dict[str, dict[str, Any]] = {
    "exp before iat": {"iat": T, "exp": T - 1},
    "exp equal to iat": {"iat": T + 1, "exp": T + 1},
    "iat as a string of digits": {"iat": str(T)},
    "exp as a string of digits": {"exp": str(T + 600)},
    "iat true": {"iat": True},
    "exp infinite": {"exp": float("inf")},
    "iat minus infinity": {"iat": float("-inf")},
    "exp not a number (NaN)": {"exp": float("nan")},
    "iat a list": {"iat": [T]},
}


@pytest.mark.parametrize("overrides", INSTANTS_REFUSED.values(), ids=INSTANTS_REFUSED.keys())
async def test_malformed_instants_are_refused(api: Api, overrides: dict[str, Any]) -> None:
    await detail_of_refusal(api, signed(api, **overrides))


async def test_fractional_instants_within_the_bound_are_accepted(api: Api) -> None:
    """NumericDates may be fractional (RFC 7519): the control for the refusals above."""
    response = await api.client.get(PROTECTED, headers=signed(api, iat=T - 0.5, exp=T + 600.5))
    assert response.status_code == 200, response.text


async def test_an_identity_providers_token_is_bounded_too(api: Api) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings = api.settings.model_copy(
        update={"jwt_public_key": public_pem(key), "jwt_algorithms": ["RS256"]}
    )
    longest = 60 * settings.token_max_lifetime_minutes
    async with serving(settings) as client:
        within = await client.get(
            PROTECTED, headers=bearer(rs256(claims(settings, exp=T + longest), key))
        )
        forever = await client.get(
            PROTECTED, headers=bearer(rs256(claims(settings, exp=2**63), key))
        )
        no_iat = await client.get(PROTECTED, headers=bearer(rs256(claims(settings, iat=DROP), key)))
    assert within.status_code == 200, within.text
    assert_unauthenticated(forever)
    assert "au-delà des 480 minutes" in forever.json()["detail"]  # French unless asked
    assert_unauthenticated(no_iat)


def test_minted_tokens_stay_within_the_bound(api: Api) -> None:
    settings = api.settings
    longest = settings.token_max_lifetime_minutes
    token = mint_token(settings, subject=uuid4(), role=Role.ADMIN, ttl_minutes=longest, now=NOW)
    minted = jwt.decode(token, options={"verify_signature": False})
    assert minted["exp"] - minted["iat"] == 60 * longest
    for refused in (longest + 1, 0, -5):
        with pytest.raises(TokenLifetimeError, match=f"1 to {longest} minutes"):
            mint_token(settings, subject=uuid4(), role=Role.ADMIN, ttl_minutes=refused, now=NOW)
    too_long_by_default = settings.model_copy(update={"token_ttl_minutes": longest + 60})
    with pytest.raises(TokenLifetimeError, match=f"not {longest + 60}"):
        mint_token(too_long_by_default, subject=uuid4(), role=Role.ADMIN, now=NOW)
