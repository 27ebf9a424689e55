"""Need-to-know: who may read or act on what. Deny by default.

The rules are the domain's; the caller (the API) gathers the facts — a reader's `CaseStanding`
towards one case — from the log and asks. Every decision not explicitly granted below is a
refusal (`AccessDeniedError`), so a new role or a new view starts closed.

- Case workers and supervisors have a standing only while employed by the institution their
  token names; a token is a claim, the registry decides.
- A case worker reads and acts only on the cases they take part in, or hold a delegation in force
  for from an institution with a standing on the case. They may join a case their institution is
  already on or was referred to, or one whose actors a convention (or a network shared with its
  coordinator, informal networks included: membership there is reciprocal, by invitation and
  acceptance) links them to; joining on personal trust alone (an informal basis) goes through a
  referral to their institution. They answer referrals made to it.
- A supervisor audits (reads, never acts on) the cases their institution is or was involved in.
- A funder reaches no case at all; an administrator keeps the registry and reads no case content.
- Aggregate reports (small cells withheld, `domain.disclosure`): a funder reads those of what its
  institution funds, over the funded period only; a supervisor those of their own institution
  and of the partnerships and networks it is a member of. The network map (no person, small
  counts withheld) is for supervisors — heads of service, network coordinators, inspectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NoReturn
from uuid import UUID

from domain.errors import AccessDeniedError
from domain.reports import Month
from domain.values import Actor


class Role(StrEnum):
    CASE_WORKER = "case_worker"
    SUPERVISOR = "supervisor"
    FUNDER = "funder"
    ADMIN = "admin"


class CaseUse(StrEnum):
    """What a principal wants to do with one case."""

    READ = "read"  # the case's content: its file, coherence now and as of a past instant
    AUDIT = "audit"  # its full history, reads included
    ACT = "act"  # any recorded action by a participant
    JOIN = "join"  # take part in it
    ANSWER_REFERRAL = "answer_referral"


class ReadPurpose(StrEnum):
    """Why a case's content is read: declared with every read, and recorded with it."""

    FOLLOW_UP = "follow_up"
    COORDINATION = "coordination"
    SUPERVISION = "supervision"
    AUDIT = "audit"
    LEGAL_REQUEST = "legal_request"
    EMERGENCY = "emergency"


@dataclass(frozen=True)
class Principal:
    """Who calls: a person (`subject`, a professional id), in one role, for one institution.

    Case workers and supervisors always act for an institution; funders and administrators may
    not.
    """

    subject: UUID
    role: Role
    institution_id: UUID | None = None

    @property
    def actor(self) -> Actor:
        if self.institution_id is None:
            raise AccessDeniedError(
                "this token names no institution to act for", field="institution_id"
            )
        return Actor(self.subject, self.institution_id)


@dataclass(frozen=True)
class CaseStanding:
    """What the log says about one principal and one case, gathered by the caller."""

    employed: bool = False  # a registered professional, employed now by the institution
    participant: bool = False  # takes part now, for the principal's institution
    delegated: bool = False  # holds a delegation in force for this case, from an institution
    # that has a standing on it (involved, or linked by a convention or a network)
    institution_on_case: bool = False  # the institution holds it or has a participant now
    institution_was_involved: bool = False  # …or had one, or a referral from or to it
    referred: bool = False  # a referral to the principal's institution is pending or accepted
    formal_link: bool = False  # a convention or a network links them to the case's actors


def check_case_access(principal: Principal, use: CaseUse, standing: CaseStanding) -> None:
    """Refuse unless `principal` may `use` the case; the message says which rule refused."""
    role = principal.role
    if role in (Role.CASE_WORKER, Role.SUPERVISOR) and not standing.employed:
        _deny("the token's professional is not employed by the institution it names")
    if role is Role.CASE_WORKER:
        if use is CaseUse.AUDIT:
            _deny("auditing a case's history is for supervisors")
        if standing.participant or standing.delegated:
            return
        if use is CaseUse.JOIN and (
            standing.institution_on_case or standing.referred or standing.formal_link
        ):
            return
        if use is CaseUse.ANSWER_REFERRAL and standing.referred:
            return
        if use is CaseUse.JOIN:
            _deny(
                "to join a case, your institution must be on it or referred to it, a convention "
                "or a network must link you to its actors, or you must hold a delegation for it"
            )
        _deny("a case worker reaches only the cases they take part in or hold a delegation for")
    if role is Role.SUPERVISOR:
        if use not in (CaseUse.READ, CaseUse.AUDIT):
            _deny("a supervisor audits cases; acting on them is for case workers")
        if standing.institution_on_case or standing.institution_was_involved:
            return
        _deny("a supervisor audits only the cases their institution is or was involved in")
    if role is Role.FUNDER:
        _deny("a funder reads aggregate reports, never a case")
    _deny("an administrator keeps the registry and reads no case content")


def check_role(principal: Principal, *allowed: Role, doing: str) -> None:
    """Refuse unless the principal holds one of the `allowed` roles for `doing`."""
    if principal.role not in allowed:
        names = " or ".join(r.value for r in allowed)
        _deny(f"{doing} is for the role {names}, not {principal.role.value}")


def check_self_or_role(principal: Principal, person_id: UUID, *allowed: Role, doing: str) -> None:
    """A person may do it for themselves; otherwise only the `allowed` roles may."""
    if principal.subject == person_id and principal.role is not Role.FUNDER:
        return
    check_role(principal, *allowed, doing=doing)


def check_caseload_reader(principal: Principal, professional_id: UUID) -> None:
    """A caseload is shown to the case worker themself and to supervisors (who see only the
    cases where the professional acts for the supervisor's institution)."""
    if principal.role is Role.SUPERVISOR:
        return
    if principal.role is Role.CASE_WORKER and principal.subject == professional_id:
        return
    _deny("a caseload is shown to the professional and to supervisors of their institution")


def check_own_institution(principal: Principal, institution_id: UUID, *, doing: str) -> None:
    if principal.institution_id != institution_id:
        _deny(f"{doing} is reserved to the institution's own staff")


def check_report_reader(
    principal: Principal,
    scope_institutions: Iterable[UUID],
    funded: Iterable[tuple[date, date | None]],
    first_day: date,
    last_day: date,
) -> None:
    """A report of a scope over [first_day, last_day] (whole months): for a supervisor of one of
    the scope's member institutions, or a funder whose institution funds the scope over every
    month of it (`funded`: its fundings' first and last days, a month counts if funded on one of
    its days)."""
    if principal.role is Role.SUPERVISOR:
        if principal.institution_id is not None and principal.institution_id in set(
            scope_institutions
        ):
            return
        _deny("a supervisor reads the reports of their institution and of what it is a member of")
    if principal.role is Role.FUNDER:
        if principal.institution_id is None:
            _deny("a funder's token names the funding institution")
        for start, end in funded:
            if start <= Month.of(first_day).last_day and (
                end is None or end >= last_day.replace(day=1)
            ):
                return
        _deny("a funder reads the reports of what it funds, over the funded period")
    _deny("reports are for funders and supervisors")


def fundings_of(principal: Principal) -> UUID | None:
    """Whose fundings a principal reads: every funder's (None) for an administrator, its own
    institution's for a funder; nobody else reads them."""
    check_role(principal, Role.ADMIN, Role.FUNDER, doing="reading fundings")
    if principal.role is Role.ADMIN:
        return None
    if principal.institution_id is None:
        _deny("a funder's token names the funding institution")
    return principal.institution_id


def check_network_map_reader(principal: Principal) -> None:
    check_role(principal, Role.SUPERVISOR, doing="reading the network map")


def _deny(reason: str) -> NoReturn:
    raise AccessDeniedError(reason)
