"""The console's sessions end on the server (`api.store.console_sessions`): a copy of a cookie
is refused once its session is signed out, or once an operator ended every session of its
person (`maillage console sessions end`), on whichever process reads it; other sessions are
untouched, and what is remembered of signed-out sessions does not grow past a session's
lifetime."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import httpx
from typer.testing import CliRunner

from api.cli.main import cli
from api.http.console.session import SESSION_COOKIE
from api.settings import Settings
from api.store.console_sessions import SessionEnds
from tests.e2e.conftest import Api, ConsoleClient
from tests.world import NOW, World

ADMIN = uuid5(NAMESPACE_URL, "maillage:console:admin")  # the development sign-in's administrator


@asynccontextmanager
async def browser(
    api: Api, cookies: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=api.client._transport,
        base_url="https://maillage",
        cookies=cookies or {},
        headers={"Accept-Language": "fr"},
    ) as client:
        yield client


def copied(client: httpx.AsyncClient) -> dict[str, str]:
    """The browser's cookies, as someone copying them would keep them."""
    return {c.name: c.value for c in client.cookies.jar if c.value}


async def signed_in(client: httpx.AsyncClient) -> bool:
    home = await client.get("/console/home")
    if home.status_code == 200:
        return True
    assert home.status_code == 303, home.text
    assert home.headers["location"].startswith("/console/sign-in?next=")
    return False


async def dev_sign_in(api: Api, client: httpx.AsyncClient) -> None:
    """The real sign-in (the development one, as the administrator)."""
    api.services.settings.console_dev_sign_in = True  # on PostgreSQL too, for this test
    page = await client.get("/console/sign-in")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, page.text
    answer = await client.post(
        "/console/sign-in/dev", data={"who": "admin/", "role": "admin", "csrf": found.group(1)}
    )
    assert answer.status_code == 303, answer.text


async def sign_out(client: ConsoleClient) -> None:
    answer = await client.post("/console/sign-out")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in"


def end_sessions_of(settings: Settings, person: UUID) -> str:
    """`maillage console sessions end --professional PERSON`, on the store under test."""
    result = CliRunner().invoke(cli, ["console", "sessions", "end", "--professional", str(person)])
    assert result.exit_code == 0, result.output
    return result.stderr


def paul(api: Api) -> tuple[UUID, UUID]:
    """A supervisor the registry employs (every console page checks the employment)."""
    world = World.build(api.maillage)
    return world.p("paul"), world.i("school")


async def test_a_copied_cookie_is_refused_after_sign_out(api: Api) -> None:
    async with api.console("supervisor", *paul(api)) as supervisor:
        assert await signed_in(supervisor.client)
        kept = copied(supervisor.client)
        await sign_out(supervisor)
    async with browser(api, kept) as replayed:
        assert not await signed_in(replayed)


async def test_a_real_sign_in_then_sign_out_refuses_the_copy_and_signs_in_again(api: Api) -> None:
    async with browser(api) as first:
        await dev_sign_in(api, first)
        assert await signed_in(first)
        kept = copied(first)
        csrf = re.search(r'name="csrf" value="([^"]+)"', (await first.get("/console/home")).text)
        assert csrf is not None
        out = await first.post("/console/sign-out", data={"csrf": csrf.group(1)})
        assert out.status_code == 303
        assert not await signed_in(first)
        await dev_sign_in(api, first)  # a new session: the ended one stays ended
        assert await signed_in(first)
        assert copied(first)[SESSION_COOKIE] != kept[SESSION_COOKIE]
    async with browser(api, kept) as replayed:
        assert not await signed_in(replayed)


async def test_signing_out_ends_that_session_only(api: Api) -> None:
    person, institution = paul(api)
    async with (
        api.console("supervisor", subject=person, institution=institution) as laptop,
        api.console("supervisor", subject=person, institution=institution) as phone,
    ):
        await sign_out(laptop)
        assert not await signed_in(laptop.client)
        assert await signed_in(phone.client)


async def test_signing_in_again_ends_the_session_the_browser_had(api: Api) -> None:
    async with browser(api) as client:
        await dev_sign_in(api, client)
        kept = copied(client)
        await dev_sign_in(api, client)
        assert await signed_in(client)
        assert copied(client)[SESSION_COOKIE] != kept[SESSION_COOKIE]
    async with browser(api, kept) as replayed:
        assert not await signed_in(replayed)


async def test_an_operator_ends_every_session_of_one_person(api: Api, cli_env: Settings) -> None:
    world = World.build(api.maillage)
    leaving, institution = world.p("paul"), world.i("school")
    async with (
        api.console("supervisor", subject=leaving, institution=institution) as laptop,
        api.console("case_worker", subject=leaving, institution=institution) as elsewhere,
        api.console("supervisor", world.p("karim"), world.i("ase")) as colleague,
    ):
        assert await signed_in(laptop.client)
        said = end_sessions_of(cli_env, leaving)
        assert f"ended every console session of Paul ({leaving})" in " ".join(said.split())
        assert not await signed_in(laptop.client)
        assert not await signed_in(elsewhere.client)
        assert await signed_in(colleague.client)
    async with api.console("supervisor", subject=leaving, institution=institution) as stale:
        assert not await signed_in(stale.client)  # a cookie of before the end, however made


async def test_a_person_whose_sessions_were_ended_signs_in_again(
    api: Api, cli_env: Settings
) -> None:
    async with browser(api) as before:
        await dev_sign_in(api, before)
        kept = copied(before)
        end_sessions_of(cli_env, ADMIN)
        assert not await signed_in(before)
        await dev_sign_in(api, before)
        assert await signed_in(before)
        end_sessions_of(cli_env, ADMIN)  # a second time: the new session ends too
        assert not await signed_in(before)
    async with browser(api, kept) as replayed:
        assert not await signed_in(replayed)


async def test_what_is_kept_of_signed_out_sessions_ends_with_their_lifetime(api: Api) -> None:
    ends = SessionEnds(api.services.engine)
    lifetime = timedelta(minutes=api.settings.console_session_max_minutes)
    supervisor = paul(api)
    async with api.console("supervisor", *supervisor) as first:
        kept = copied(first.client)
        await sign_out(first)
    assert ends.signed_out() == 1
    api.travel(NOW + lifetime + timedelta(minutes=1))
    async with api.console("supervisor", *supervisor) as second:
        await sign_out(second)
    assert ends.signed_out() == 1  # the first one forgotten: its cookie is over anyway
    async with browser(api, kept) as replayed:
        assert not await signed_in(replayed)
    api.travel(NOW + 3 * lifetime)
    assert ends.purge(api.clock(), lifetime) == 1
    assert ends.signed_out() == 0


def test_the_operator_is_told_of_an_id_no_professional_holds(cli_env: Settings) -> None:
    stranger = uuid4()
    said = " ".join(end_sessions_of(cli_env, stranger).split())
    assert f"{stranger} is no professional of the registry" in said
    refused = CliRunner().invoke(cli, ["console", "sessions", "end", "--professional", "nobody"])
    assert refused.exit_code == 2
    assert "not an id" in refused.stderr
