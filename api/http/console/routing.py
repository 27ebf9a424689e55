"""Who may see a console page, decided before the page runs — the API's rules, for a browser.

A console route declares who may call it with the API's own `@admits(ADMISSION)` (or `@public`
for the sign-in pages). Before the page runs, `ConsoleRoute`:

1. reads the session cookie (`api.http.console.session`): none, or over → to the sign-in page,
   with the page asked for as `next`;
2. checks the role against the admission → a refusal page (403) that shows nothing asked for;
3. on a form (POST), checks the CSRF token of the form against its cookie, and that the form
   came from this site (`Origin`/`Sec-Fetch-Site`) → 403 otherwise;
4. re-checks the session's claims against the registry (`Maillage.check_session`: the
   `check_claims` the API runs before minting a token): the institution signed in for still
   exists and, for a professional, is still their employer today. A session outlives no
   employment: whose ended is refused (403) on every page, before it runs, nothing recorded;

then runs the page with a `Console` (`ConsoleDep`). A rule the domain refuses while the page
runs (a case the reader is not entitled to, a purpose missing…) is answered by the same
refusal page, worded from the API's problem (`api.http.problems.answer_for`), its status the
API's. Nothing of the case is shown, and nothing is recorded as read: the domain refuses before
it records.

A reading with a purpose is recorded from a request of this site only. A page that reads a case
(or a page of cases: the dashboard) does so on a GET carrying `?purpose=`, and the session cookie
is SameSite=Lax: a link on another site would carry the session, and make the reader's browser
record readings for the purpose the link's author chose. So before anything else, on a GET (or
HEAD) that was not sent from this site, `purpose` is taken out of the query: the page then
shows its purpose form, the rest of the query kept, with a word on why, and records nothing —
the reader answers it, from this site. "From this site" is the browser's `Sec-Fetch-Site`
(`same-origin`, or `none`: typed, a bookmark); without it (a browser older than 2023), a
`Referer` of another origin refuses too (this site sends its own: `Referrer-Policy:
same-origin`). Central, so it holds for every page that reads with a purpose, those to come
included. Chosen rather than a POST purpose form (with Post/Redirect/Get): the pages' own links
carry their purpose (the next page of a trail, its CSV, the alerts of a case, the case after an
acknowledgement), and each of those URLs would have had to be made unusable cross-site anyway;
a bookmark or a reload keeps working. The sign-in's `next` drops a purpose sent cross-site
the same way, so signing in does not turn another site's link into a reading.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from api.http.console.pages import Console
from api.http.console.session import CSRF_COOKIE, ConsoleNotConfiguredError, Sessions
from api.http.deps import get_console_sessions, get_services
from api.http.guard import declared
from api.http.language import language_of
from api.http.problems import answer_for
from api.http.security_headers import CONSOLE_PAGES, add
from api.i18n import Words
from domain.errors import MaillageError

log = logging.getLogger("maillage.console")
SIGN_IN = "/console/sign-in"


def _console(request: Request) -> Console:
    console: Console = request.state.console
    return console


ConsoleDep = Annotated[Console, Depends(_console)]


class ConsoleRoute(APIRoute):
    """A console page: HTML, out of the OpenAPI schema, guarded as the module says."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        self.console_admission = declared(endpoint)
        options["include_in_schema"] = False
        super().__init__(path, endpoint, **options)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        admission = self.console_admission

        async def guarded(request: Request) -> Response:
            return add(await answered(request), CONSOLE_PAGES)  # CSP, no framing, no-store

        async def answered(request: Request) -> Response:
            services = await get_services(request)
            words = Words(language_of(request), zone=services.settings.time_zone)
            sessions = await get_console_sessions(request)
            if sessions is None:
                return _unconfigured(words)
            purpose_dropped = _drop_cross_site_purpose(request)
            now = services.time.now()
            session = sessions.read(request, now)
            known_csrf = sessions.csrf_of(request)
            csrf = known_csrf or secrets.token_urlsafe(32)
            console = Console(
                request, services, sessions, words, session, csrf, purpose_dropped=purpose_dropped
            )
            request.state.console = console
            if admission is not None:
                if session is None:
                    return _to_sign_in(request)
                request.state.principal = session.principal
                request.state.role = session.role.value  # for the request's log line
            response: Response
            try:
                if request.method == "POST" and not await _form_of_this_site(request, sessions):
                    response = console.render("refused.html", status=403, reason=_FORGED(words))
                else:
                    if admission is not None and session is not None:
                        admission.check(session.principal)
                        services.maillage.check_session(session.principal)  # employed still
                    response = await handle(request)
            except (MaillageError, RequestValidationError) as error:
                response = refusal(console, error)
            if known_csrf is None and not _sets_cookie(response, CSRF_COOKIE):
                sessions.set_csrf(response, csrf)
            if session is not None and response.status_code < 400:
                sessions.seen(response, session, now)
            return response

        return guarded


def refusal(console: Console, error: MaillageError | RequestValidationError) -> Response:
    """The refusal page of a domain error, or of a parameter the page cannot take (an id that
    is no id, say): the API's problem in words — naming the field at fault —, nothing else."""
    answer = answer_for(error)
    reason = answer.worded(console.words)
    if isinstance(error, RequestValidationError) and answer.field:
        reason = console.words.gettext(
            "{reason}: {field}", reason=reason, field=answer.field.removeprefix("path.")
        )
    log.info(
        "console refused %s %s: %s",
        console.request.method,
        console.request.url.path,
        answer.rule,
    )
    return console.render("refused.html", status=answer.status, reason=reason, rule=answer.rule)


def _FORGED(words: Words) -> str:  # noqa: N802 (a sentence, said where it is needed)
    return words.gettext(
        "this form was not sent from this console's page, or its page is too old: open the "
        "page again and send the form from there"
    )


def sent_from_this_site(request: Request) -> bool:
    """Not sent from another site, as far as the browser says: `Sec-Fetch-Site` is
    `same-origin` or `none` (typed, a bookmark), `Origin` (forms) is this site's; a browser
    that sends neither: its `Referer`, when there is one, is of this site."""
    own = f"{request.url.scheme}://{request.url.netloc}"
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is not None and origin != own:
        return False
    referer = request.headers.get("referer")
    if site is None and origin is None and referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own
    return True


def _drop_cross_site_purpose(request: Request) -> bool:
    """Take `purpose` out of the query of a GET not sent from this site (the module says why);
    whether there was one. The request's cached URL and query are dropped with it."""
    if request.method not in ("GET", "HEAD") or sent_from_this_site(request):
        return False
    query = parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)
    kept = [(name, value) for name, value in query if name != "purpose"]
    if len(kept) == len(query):
        return False
    request.scope["query_string"] = urlencode(kept).encode("latin-1")
    for cached in ("_url", "_query_params"):
        request.__dict__.pop(cached, None)
    log.info("console: a purpose sent from another site was dropped (%s)", request.url.path)
    return True


async def _form_of_this_site(request: Request, sessions: Sessions) -> bool:
    """A form sent from a page of this site (`sent_from_this_site`), its `csrf` field
    matching its cookie's token."""
    if not sent_from_this_site(request):
        return False
    form = await request.form()  # cached on the request: the page reads the same form
    sent = form.get("csrf")
    return sessions.csrf_matches(request, sent if isinstance(sent, str) else None)


def _sets_cookie(response: Response, name: str) -> bool:
    prefix = f"{name}=".encode()
    return any(k == b"set-cookie" and v.startswith(prefix) for k, v in response.raw_headers)


def _to_sign_in(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{SIGN_IN}?next={quote(target, safe='')}", status_code=303)


def _unconfigured(words: Words) -> Response:
    return Response(
        words.gettext(
            "the console is not configured: set MAILLAGE_CONSOLE_SECRET (it signs its cookies)"
        ),
        status_code=503,
        media_type="text/plain; charset=utf-8",
    )


__all__ = ["SIGN_IN", "ConsoleDep", "ConsoleNotConfiguredError", "ConsoleRoute"]
