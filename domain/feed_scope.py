"""Which kinds of event one page of the catch-up feed holds for a client application: those of
its scope, or those it asks for among them (issue 19).

A client narrows its feed with `kinds`; it cannot widen it. A kind the log does not record is
an invalid request (422, `domain.integration.feed_kinds`); a kind the log records but the
client's administrator did not give it is refused (403), naming the kinds refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import AccessDeniedError
from domain.integration import ClientScope, feed_kinds
from domain.wording import N_


def narrowed(scope: ClientScope, asked: Iterable[str] | None, *, field: str) -> frozenset[str]:
    """The kinds a page holds: `scope.kinds`, or `asked` when given (each in the scope)."""
    if asked is None:
        return scope.kinds
    chosen = feed_kinds(asked, field=field)
    outside = sorted(chosen - scope.kinds)
    if outside:
        raise AccessDeniedError(
            N_("your client application does not follow these kinds of event: {kinds}"),
            field=field,
            kinds=outside,
        )
    return chosen
