"""When the request's bearer token was issued (its `iat`), for the catch-up feed: a client's
tokens issued before its `tokens_not_before` are refused (`domain.integration.check_feed_reader`).

The principal does not carry it; the route guard has already verified this very token (its
signature, and `iat` as a number within the clock's skew), so its `iat` is read here without
verifying it again. None if there is no bearer token or no readable `iat` (then a client with a
`tokens_not_before` is refused).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated

import jwt
from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials

from api.http.auth import bearer


async def token_issued_at(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> datetime | None:
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    try:
        claims = jwt.decode(credentials.credentials, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return None
    if not math.isfinite(issued):
        return None
    try:
        return datetime.fromtimestamp(int(issued), UTC)
    except (OverflowError, OSError, ValueError):  # out of the platform's range
        return None


TokenIssuedAtDep = Annotated[datetime | None, Depends(token_issued_at)]
