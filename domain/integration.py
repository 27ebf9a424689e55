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

Two people open personal fields to a client: an administrator requests it, a data-protection
officer of the client's own institution approves it (`check_personal_data_approver`) — so an
administrator, who reads no case content, cannot read it through a client they registered. An
administrator's change that widens what would be opened lapses the approval (`approval_holds`).
A token no longer good for its client — the client unknown or revoked, or the token issued
before its `tokens_not_before` (a rotation without grace, a revocation) — is refused as a token
(`ClientTokenRefusedError`: 401, ask for a new one), wherever it is sent; a valid token asking
what its client may not have is refused as a request (`AccessDeniedError`: 403).

The clients themselves (ids, hashed secrets, rotation) are configuration kept beside the store
(`api.integration`), not events of the log: the log holds acts on beneficiaries, and a secret
must be replaceable and destroyable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.access import Admission, Principal, ReadPurpose, Role
from domain.errors import AccessDeniedError, InvalidValueError, MaillageError
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
            "a data-protection officer approves or withdraws a client application's access to "
            "personal data, and reads nothing else; administrators keep client applications"
        ),
        Role.INTEGRATION: N_("a client application reads its institution's feed only"),
    },
)
_APPROVED_BY_THE_DPO = N_(
    "a client application's access to personal data is approved by a data-protection officer "
    "of its institution"
)
# The second person of the rule: a DPO of the client's institution (`check_personal_data_approver`).
APPROVING_PERSONAL_DATA = Admission(
    N_("approving a client application's access to personal data"),
    frozenset({Role.DPO}),
    {
        **{role: _APPROVED_BY_THE_DPO for role in Role if role is not Role.DPO},
        Role.ADMIN: N_(
            "an administrator requests personal data for a client application; a "
            "data-protection officer of its institution approves it"
        ),
        Role.INTEGRATION: N_("a client application reads its institution's feed only"),
    },
)

# Every kind of event a client may follow, by its stable name (`Case.InterventionRecorded`…).
FEED_KINDS: frozenset[str] = frozenset(event_type(cls) for cls in ALL_EVENTS)


_ECHOED, _ECHOED_LENGTH = 5, 80


def _echoed(unknown: list[str]) -> list[str]:
    """What a refusal repeats of the unknown kinds: the first few, each cut short — never the
    whole of what was sent (a query of 20,000 characters came back whole, twice)."""
    shown = [k if len(k) <= _ECHOED_LENGTH else k[: _ECHOED_LENGTH - 1] + "…" for k in unknown]
    return shown[:_ECHOED] + (["…"] if len(shown) > _ECHOED else [])


def feed_kinds(kinds: Iterable[str], *, field: str = "kinds") -> frozenset[str]:
    """The kinds named, each one the log records; refused (`InvalidValueError`) otherwise, or
    if none is named."""
    chosen = frozenset(kinds)
    unknown = sorted(chosen - FEED_KINDS)
    if unknown:
        raise InvalidValueError(
            N_("unknown kinds of event: {unknown}; the log records: {known}"),
            field=field,
            unknown=_echoed(unknown),
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
    # may open the events' personal fields (each opening recorded): requested by an
    # administrator AND approved by a data-protection officer of its institution
    personal_data: bool
    purpose: ReadPurpose  # declared with each reading it records
    active: bool  # False once revoked
    tokens_not_before: datetime | None = None  # tokens issued (iat) before it are refused


@dataclass(frozen=True)
class PersonalDataRequest:
    """What a client would open of personal fields, as an administrator set it: an approval
    covers this much."""

    institution_id: UUID
    kinds: frozenset[str]
    purpose: ReadPurpose
    requested: bool


def approval_holds(approved: PersonalDataRequest, now: PersonalDataRequest) -> bool:
    """Whether a DPO's approval of `approved` still covers `now`: the same institution and
    purpose, no kind it did not cover, personal data still requested (turned off, the approval
    lapses: turning it on again asks anew)."""
    return (
        approved.requested
        and now.requested
        and now.institution_id == approved.institution_id
        and now.purpose == approved.purpose
        and now.kinds <= approved.kinds
    )


def request_tag(request: PersonalDataRequest, changed_at: datetime) -> str:
    """The tag of a request for personal data as a data-protection officer is shown it (an
    ETag): its institution, kinds, purpose and requested flag, and the instant an administrator
    last changed the client. A DPO approves the request of the tag they read, none other: any
    change since — a kind more, another purpose, even a rename — gives another tag."""
    shown = json.dumps(
        [
            str(request.institution_id),
            sorted(request.kinds),
            request.purpose.value,
            request.requested,
            changed_at.isoformat(),
        ]
    )
    return hashlib.sha256(shown.encode()).hexdigest()[:32]


def delivered_kinds(
    client_kinds: Iterable[str], subscription_kinds: Iterable[str]
) -> frozenset[str]:
    """The kinds a webhook subscription is sent: those both it and its client application
    follow now — an administrator who narrows either narrows what is sent."""
    return frozenset(client_kinds) & frozenset(subscription_kinds)


def withheld_delivery(
    kind: str, *, client_kinds: Iterable[str] | None, subscription_kinds: Iterable[str]
) -> str | None:
    """Why a webhook delivery of `kind`, derived earlier, may not be sent now (None: it may):
    its client application revoked or gone (`client_kinds` None), or `kind` no longer one of
    `delivered_kinds`. Read at each attempt, so a change holds for the deliveries pending."""
    if client_kinds is None:
        return "not sent: the client application has been revoked"
    if kind not in delivered_kinds(client_kinds, subscription_kinds):
        return f"not sent: {kind} is no longer in the subscription's or the client's kinds"
    return None


def check_personal_data_approver(principal: Principal, client_institution_id: UUID) -> None:
    """A client's access to personal data is approved (or withdrawn) by a data-protection
    officer of the client's own institution only."""
    APPROVING_PERSONAL_DATA.check(principal)
    if principal.institution_id != client_institution_id:
        raise AccessDeniedError(
            N_(
                "a data-protection officer approves the client applications of their own "
                "institution only"
            )
        )


class ClientTokenRefusedError(MaillageError):
    """A client application's token that is no longer good for its client: the client is
    unknown or revoked, or the token was issued before its `tokens_not_before`. Not a refusal of
    what a valid token asks (that is `AccessDeniedError`): the API answers 401 `invalid_token`
    (RFC 6750 §3.1), so that an OAuth library asks `POST /oauth/token` for a new one."""

    rule = "client-token-refused"


class UnknownClientTokenError(ClientTokenRefusedError):
    rule = "client-token-unknown-client"


class RevokedClientTokenError(ClientTokenRefusedError):
    rule = "client-token-revoked"


class RotatedClientTokenError(ClientTokenRefusedError):
    rule = "client-token-cut-by-rotation"


def check_client_token(principal: Principal, scope: ClientScope | None) -> ClientScope | None:
    """Whether a client application's token (`principal`, issued at its `issued_at`) is still
    good for its client, `scope` as stored now: refused if the client is unknown or revoked, or
    if the token was issued before the client's `tokens_not_before` — a token whose issue
    instant is unknown is refused then. A person's token is not a client's: None."""
    if principal.role is not Role.INTEGRATION:
        return None
    if scope is None or scope.client_id != principal.subject:
        raise UnknownClientTokenError(N_("this token names no registered client application"))
    if not scope.active:
        raise RevokedClientTokenError(N_("this client application has been revoked"))
    cutoff = scope.tokens_not_before
    if cutoff is not None and principal.issued_at is None:
        raise RotatedClientTokenError(
            N_(
                "this token carries no issue instant (iat) and the client application's "
                "secret was rotated without grace: ask POST /oauth/token for a new one"
            )
        )
    if cutoff is not None and principal.issued_at is not None and principal.issued_at < cutoff:
        raise RotatedClientTokenError(
            N_(
                "this token was issued before the client application's secret was rotated "
                "without grace: ask POST /oauth/token for a new one"
            )
        )
    return scope


def check_feed_reader(principal: Principal, scope: ClientScope | None) -> ClientScope:
    """The scope `principal` (a client's token) follows the feed with: a client application's
    token still good for its client (`check_client_token`), acting for the institution its
    token names."""
    READING_THE_FEED.check(principal)
    found = check_client_token(principal, scope)
    if found is None or found.institution_id != principal.institution_id:
        raise AccessDeniedError(
            N_("this client application acts for another institution than its token names")
        )
    return found
