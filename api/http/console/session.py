"""The console's session: who signed in, in a signed cookie, ending when idle, too old, signed
out or ended by an operator.

The cookie carries the principal (professional, role, institution), the name shown, the
instants of sign-in and of the last page, a session id and the person's session generation,
signed with the console's key (`itsdangerous`). A page refreshes the last-page instant; a
session idle past `console_session_idle_minutes`, or older than `console_session_max_minutes`,
is over. A signature is not enough: reading a session also asks the store whether it was
signed out, or every session of its person ended since it opened (`SessionEnds`, one query;
the store every process shares, so any API or console process with the same key and store
reads it the same way). A cookie of a session signed out, even a copy kept elsewhere, is no
session any more: back to the sign-in page.

The cookie is `HttpOnly` (no script reads it), `SameSite=Lax` (another site's form or image
never carries it; a link followed from another site does, as a sign-in callback needs) and
`Secure` unless `console_secure_cookie` is off. Forms carry a CSRF token of their own cookie,
compared with the one in the form (`api.http.console.routing`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

from api.settings import Settings
from api.store.console_sessions import SessionEnds
from domain.access import Principal, Role

SESSION_COOKIE = "maillage_console"
CSRF_COOKIE = "maillage_console_csrf"
PATH = "/console"


class ConsoleNotConfiguredError(RuntimeError):
    """No key to sign the console's cookies (an identity provider's keys only, no secret)."""


def console_key(settings: Settings) -> str:
    """The console's signing key: its own, or derived from the service's HS256 key (never the
    key itself: a cookie is not a token)."""
    if settings.console_secret is not None:
        return settings.console_secret.get_secret_value()
    key = settings.signing_key()
    if key is None:
        raise ConsoleNotConfiguredError(
            "set MAILLAGE_CONSOLE_SECRET: the console signs its cookies with it"
        )
    return hmac.new(key.encode(), b"maillage-console-cookies", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ConsoleSession:
    """Who is signed in, and since when."""

    subject: UUID
    role: Role
    institution_id: UUID | None
    name: str
    signed_in_at: datetime
    seen_at: datetime
    via: str  # "oidc" or "dev"
    session_id: str  # what a sign-out records as ended
    generation: int  # the person's when it opened: an operator's end raises it

    @property
    def principal(self) -> Principal:
        return Principal(self.subject, self.role, self.institution_id)

    def _claims(self) -> dict[str, Any]:
        return {
            "sub": str(self.subject),
            "role": self.role.value,
            "inst": str(self.institution_id) if self.institution_id else None,
            "name": self.name,
            "iat": int(self.signed_in_at.timestamp()),
            "seen": int(self.seen_at.timestamp()),
            "via": self.via,
            "sid": self.session_id,
            "gen": self.generation,
        }


class Sessions:
    """Reads and writes the console's cookies with one key."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._signer = URLSafeSerializer(console_key(settings), salt="console-session")
        self._csrf = URLSafeSerializer(console_key(settings), salt="console-csrf")
        self.idle = timedelta(minutes=settings.console_session_idle_minutes)
        self.longest = timedelta(minutes=settings.console_session_max_minutes)
        # The store's record of ended sessions, given at the app's start (`api.http.deps.provide`,
        # once the store is open); None outside an app (a cookie read on its own, in a test).
        self.ends: SessionEnds | None = None

    def read(self, request: Request, now: datetime) -> ConsoleSession | None:
        """The session of the request's cookie, if signed by us, neither idle nor too old, and
        not ended in the store (signed out, or ended by an operator)."""
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            claims = self._signer.loads(raw)
            session = ConsoleSession(
                subject=UUID(claims["sub"]),
                role=Role(claims["role"]),
                institution_id=UUID(claims["inst"]) if claims["inst"] else None,
                name=str(claims["name"]),
                signed_in_at=datetime.fromtimestamp(int(claims["iat"]), tz=now.tzinfo),
                seen_at=datetime.fromtimestamp(int(claims["seen"]), tz=now.tzinfo),
                via=str(claims["via"]),
                session_id=_session_id(claims["sid"]),
                generation=int(claims["gen"]),
            )
        except (BadSignature, KeyError, TypeError, ValueError):
            return None  # a cookie of before session ids was kept: sign in again
        if now - session.seen_at > self.idle or now - session.signed_in_at > self.longest:
            return None
        ends = self.ends
        if ends is not None and ends.ended(session.session_id, session.subject, session.generation):
            return None
        return session

    def open(
        self,
        response: Response,
        principal: Principal,
        name: str,
        now: datetime,
        via: str,
        generation: int = 0,
    ) -> ConsoleSession:
        """Sign `principal` in: a new session (a new id; `generation`, the person's in the
        store), its cookie, and a new CSRF token (never the one of the page that signed in)."""
        session = ConsoleSession(
            principal.subject,
            principal.role,
            principal.institution_id,
            name,
            now,
            now,
            via,
            secrets.token_urlsafe(24),
            generation,
        )
        self.write(response, session)
        self.new_csrf(response)
        return session

    def write(self, response: Response, session: ConsoleSession) -> None:
        remaining = self.longest - (session.seen_at - session.signed_in_at)
        self._cookie(response, SESSION_COOKIE, self._signer.dumps(session._claims()), remaining)

    def seen(self, response: Response, session: ConsoleSession, now: datetime) -> None:
        """A page was shown: the session is not idle (rewritten at most once a minute)."""
        if now - session.seen_at >= timedelta(minutes=1):
            self.write(response, replace(session, seen_at=now))

    def end(self, ends: SessionEnds, session: ConsoleSession, now: datetime) -> None:
        """Sign `session` out on the server: its cookie, wherever a copy of it is, is refused
        from now on."""
        ends.end(session.session_id, session.subject, session.signed_in_at, now, self.longest)

    def close(self, response: Response) -> None:
        """Delete the browser's cookies (after `end`: a copy kept elsewhere is refused)."""
        for name in (SESSION_COOKIE, CSRF_COOKIE):
            response.delete_cookie(
                name,
                path=PATH,
                secure=self.settings.console_secure_cookie,
                httponly=True,
                samesite="lax",
            )

    # --- CSRF ----------------------------------------------------------------------------

    def csrf_of(self, request: Request) -> str | None:
        """The CSRF token of the request's cookie (signed by us), if any."""
        raw = request.cookies.get(CSRF_COOKIE)
        if not raw:
            return None
        try:
            token = self._csrf.loads(raw)
        except BadSignature:
            return None
        return token if isinstance(token, str) else None

    def new_csrf(self, response: Response) -> str:
        token = secrets.token_urlsafe(32)
        self.set_csrf(response, token)
        return token

    def set_csrf(self, response: Response, token: str) -> None:
        self._cookie(response, CSRF_COOKIE, self._csrf.dumps(token), self.longest)

    def csrf_matches(self, request: Request, sent: str | None) -> bool:
        expected = self.csrf_of(request)
        if not expected or not sent:
            return False
        return hmac.compare_digest(expected.encode(), sent.encode())

    def _cookie(self, response: Response, name: str, value: str, lasts: timedelta) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max(1, int(lasts.total_seconds())),
            path=PATH,
            secure=self.settings.console_secure_cookie,
            httponly=True,
            samesite="lax",
        )


def _session_id(value: Any) -> str:
    if not isinstance(value, str) or not 16 <= len(value) <= 64:
        raise ValueError(value)
    return value
