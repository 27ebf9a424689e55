"""The console's session cookie: signed, ended when idle or too old, never readable once
altered; the page to go back to after signing in is always one of ours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from uuid import uuid4

import pytest
from starlette.requests import Request
from starlette.responses import Response

from api.http.console.session import CSRF_COOKIE, SESSION_COOKIE, Sessions
from api.http.console.sign_in import safe_next
from api.settings import Settings
from domain.access import Principal, Role

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SETTINGS = Settings(
    database_url="sqlite:///unused.sqlite3",
    console_session_idle_minutes=30,
    console_session_max_minutes=480,
)


def _request(cookies: dict[str, str]) -> Request:
    header = "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()
    return Request({"type": "http", "headers": [(b"cookie", header)], "method": "GET"})


def _cookies(response: Response) -> dict[str, str]:
    found: dict[str, str] = {}
    for header in response.headers.getlist("set-cookie"):
        found.update({k: m.value for k, m in SimpleCookie(header).items()})
    return found


def _signed_in(sessions: Sessions, at: datetime = T0) -> tuple[Principal, dict[str, str]]:
    principal = Principal(uuid4(), Role.SUPERVISOR, uuid4())
    response = Response()
    sessions.open(response, principal, "Claire Roth", at, "dev")
    return principal, _cookies(response)


def test_a_session_reads_back_its_principal_and_name() -> None:
    sessions = Sessions(SETTINGS)
    principal, cookies = _signed_in(sessions)
    session = sessions.read(_request(cookies), T0 + timedelta(minutes=5))
    assert session is not None
    assert session.principal == principal
    assert session.name == "Claire Roth"
    assert CSRF_COOKIE in cookies


def test_an_idle_session_is_over_and_a_page_keeps_it_alive() -> None:
    sessions = Sessions(SETTINGS)
    _, cookies = _signed_in(sessions)
    assert sessions.read(_request(cookies), T0 + timedelta(minutes=31)) is None
    session = sessions.read(_request(cookies), T0 + timedelta(minutes=20))
    assert session is not None
    response = Response()
    sessions.seen(response, session, T0 + timedelta(minutes=20))
    refreshed = {**cookies, **_cookies(response)}
    assert sessions.read(_request(refreshed), T0 + timedelta(minutes=45)) is not None


def test_a_session_ends_at_its_longest_however_active() -> None:
    sessions = Sessions(SETTINGS)
    _, cookies = _signed_in(sessions)
    at = T0
    while at < T0 + timedelta(minutes=470):
        at += timedelta(minutes=20)
        session = sessions.read(_request(cookies), at)
        assert session is not None, at
        response = Response()
        sessions.seen(response, session, at)
        cookies = {**cookies, **_cookies(response)}
    assert sessions.read(_request(cookies), T0 + timedelta(minutes=481)) is None


def test_an_altered_or_foreign_cookie_is_no_session() -> None:
    sessions = Sessions(SETTINGS)
    _, cookies = _signed_in(sessions)
    value = cookies[SESSION_COOKIE]
    altered = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert sessions.read(_request({SESSION_COOKIE: altered}), T0) is None
    other = Sessions(Settings(database_url="sqlite:///unused.sqlite3", jwt_secret="k" * 40))
    assert other.read(_request(cookies), T0) is None


def test_the_csrf_token_matches_only_its_own_cookie() -> None:
    sessions = Sessions(SETTINGS)
    response = Response()
    token = sessions.new_csrf(response)
    request = _request(_cookies(response))
    assert sessions.csrf_matches(request, token)
    assert not sessions.csrf_matches(request, token + "x")
    assert not sessions.csrf_matches(request, None)
    assert not sessions.csrf_matches(_request({}), token)


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/console/cases/1?purpose=audit", "/console/cases/1?purpose=audit"),
        ("https://evil.example/console", None),
        ("//evil.example/console", None),
        ("/console\\..\\evil", None),
        ("/docs", None),
        ("/console/\u2028x", None),
        ("/console\t//evil.example", None),
        ("", None),
        (None, None),
    ],
)
def test_only_a_console_page_is_gone_back_to(target: str | None, kept: str | None) -> None:
    assert safe_next(target) == kept


def test_each_sign_in_is_a_session_of_its_own_id_kept_by_the_pages() -> None:
    sessions = Sessions(SETTINGS)
    _, first = _signed_in(sessions)
    _, second = _signed_in(sessions)
    one = sessions.read(_request(first), T0 + timedelta(minutes=5))
    other = sessions.read(_request(second), T0 + timedelta(minutes=5))
    assert one is not None
    assert other is not None
    assert one.session_id != other.session_id
    assert len(one.session_id) >= 32
    response = Response()
    sessions.seen(response, one, T0 + timedelta(minutes=5))
    refreshed = sessions.read(_request({**first, **_cookies(response)}), T0 + timedelta(minutes=6))
    assert refreshed is not None
    assert refreshed.session_id == one.session_id  # what a sign-out ends covers every copy
    assert refreshed.seen_at == T0 + timedelta(minutes=5)


def test_a_cookie_without_a_session_id_is_no_session() -> None:
    """A cookie signed before sessions had ids (or made without one) cannot be ended: refused."""
    sessions = Sessions(SETTINGS)
    _, cookies = _signed_in(sessions)
    claims = sessions._signer.loads(cookies[SESSION_COOKIE])
    for altered in ({k: v for k, v in claims.items() if k != "sid"}, {**claims, "sid": "short"}):
        forged = {SESSION_COOKIE: sessions._signer.dumps(altered)}
        assert sessions.read(_request(forged), T0) is None
