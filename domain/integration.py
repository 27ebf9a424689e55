"""Client applications of an institution (issue 19): who may follow what, through the catch-up feed
and webhooks.

A client application — a département's information system, a DAC's e-parcours tool, a hospital's
— acts for one institution, registered by an administrator with a scope: the kinds of events it
follows (event types, `domain.events.event_type`), and whether it may open their personal fields.
It sees, of those kinds, only the events its institution may know (`domain.feed_audience`). A
client revoked, or whose token names another institution, is refused; its scope is read at each
request, so a change by an administrator holds at once. Personal fields are opened, if its scope
says so, under the same rules as a person's reading: recorded as a reading of each case, by the
client, for its declared purpose.

The clients themselves (ids, hashed secrets, rotation) are configuration kept beside the store
(`api.integration`), not events of the log: the log holds acts on beneficiaries, and a secret
must be replaceable and destroyable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.access import Admission, Principal, ReadPurpose, Role
from domain.errors import AccessDeniedError, InvalidValueError
from domain.events import ALL_EVENTS, event_type
from domain.wording import N_

_FEED_READERS_ONLY = N_("the catch-up feed is read by an institution's client applications")
READING_THE_FEED = Admission(
    N_("reading the catch-up feed"),
    frozenset({Role.INTEGRATION}),
    {role: _FEED_READERS_ONLY for role in Role if role is not Role.INTEGRATION},
)
# Client applications and webhook subscriptions: configuration kept by administrators.
KEEPING_INTEGRATIONS = Admission(
    N_("keeping client applications and webhooks"),
    frozenset({Role.ADMIN}),
    {
        Role.DPO: N_(
            "a data-protection officer exercises the person's rights (export, rectification, "
            "erasure) and reads nothing else"
        ),
        Role.INTEGRATION: N_("a client application reads its institution's feed only"),
    },
)

# Every kind of event a client may follow, by its stable name (`Case.InterventionRecorded`…).
FEED_KINDS: frozenset[str] = frozenset(event_type(cls) for cls in ALL_EVENTS)


def feed_kinds(kinds: Iterable[str], *, field: str = "kinds") -> frozenset[str]:
    """The kinds named, each one the log records; refused (`InvalidValueError`) otherwise, or
    if none is named."""
    chosen = frozenset(kinds)
    unknown = sorted(chosen - FEED_KINDS)
    if unknown:
        raise InvalidValueError(
            N_("unknown kinds of event: {unknown}; the log records: {known}"),
            field=field,
            unknown=unknown,
            known=sorted(FEED_KINDS),
        )
    if not chosen:
        raise InvalidValueError(N_("name at least one kind of event to follow"), field=field)
    return chosen


@dataclass(frozen=True)
class ClientScope:
    """What one client application may follow, as an administrator set it."""

    client_id: UUID
    institution_id: UUID
    kinds: frozenset[str]
    personal_data: bool  # may open the events' personal fields (each opening recorded)
    purpose: ReadPurpose  # declared with each reading it records
    active: bool  # False once revoked


def check_feed_reader(principal: Principal, scope: ClientScope | None) -> ClientScope:
    """The scope `principal` (a client's token) follows the feed with; refused unless the client
    is registered, not revoked, and acts for the institution its token names."""
    READING_THE_FEED.check(principal)
    if scope is None or scope.client_id != principal.subject:
        raise AccessDeniedError(N_("this token names no registered client application"))
    if not scope.active:
        raise AccessDeniedError(N_("this client application has been revoked"))
    if scope.institution_id != principal.institution_id:
        raise AccessDeniedError(
            N_("this client application acts for another institution than its token names")
        )
    return scope
