"""Need-to-know: who may read or act on what. Deny by default.

The rules are the domain's; the caller (the API) gathers the facts — a reader's `CaseStanding`
towards one case — from the log and asks. Every decision not explicitly granted below is a
refusal (`AccessDeniedError`), so a new role or a new view starts closed.

- Case workers and supervisors have a standing only while employed by the institution their
  token names; a token is a claim, the registry decides.
- A case worker reads and acts only on the cases they take part in, or hold a delegation in force
  for: a delegation naming a case is their institution's mandate to act on it (DOMAIN.md), a
  standing of its own, whether or not the institution is on the case yet. They may join a case
  their institution is already on or was referred to, one they hold a delegation in force for
  (whatever kinds of action it names), or one where a convention in force links their
  institution to an institution on the case with at least one action kind in its scope for
  theirs (joining is taking part to perform those acts), or a network shared with its
  coordinator (informal networks included: membership there is reciprocal, by invitation and
  acceptance). Joining on personal trust alone (an informal basis) goes through a referral to
  their institution, once accepted. A refused join names each partnership of their institution
  and why it did not serve (`domain.partnership_terms.ConventionLack`). They answer referrals
  made to it.
- A referral made to an institution and not (yet) accepted shows it only what the referral
  shares (`check_referral_reader`), never the file: only an accepted referral makes it involved.
  The referrals an institution made or received are listed to its case workers and supervisors.
- A supervisor audits (reads, never acts on) the cases their institution is or was involved in,
  and acknowledges, with a note, the alerts about past acts of the cases their institution is on.
- Holding is the institutions' decision: a transfer is requested, answered or withdrawn by a
  supervisor of an institution on the case, or by a case worker taking part in it for that
  institution (`domain.case_holding` checks the sides). The référent de parcours is designated
  by a supervisor of the holding institution only.
- A funder reaches no case at all; an administrator keeps the registry and reads no case content.
- A data-protection officer (`dpo`) exercises a beneficiary's rights — access and portability
  (the export of everything held), rectification of the identity, erasure — on the cases their
  institution holds or is or was involved in, and reads nothing else: no file, no view, no
  audit, no report, no caseload. Erasure is theirs, no longer an administrator's.
- Aggregate reports (small cells withheld, `domain.disclosure`): a funder reads those of what its
  institution funds, over the funded period only; a supervisor those of their own institution
  and of the partnerships and networks it is a member of. The network map (no person, small
  counts withheld) is for supervisors — heads of service, network coordinators, inspectors.

Every rule starts with an `Admission` (the roles that may ask at all), decided by the API before
it reads the request; a client application is admitted to its feed only (`domain.integration`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NoReturn
from uuid import UUID

from domain.errors import AccessDeniedError
from domain.templates import Term
from domain.values import Actor
from domain.wording import N_


class Role(StrEnum):
    CASE_WORKER = "case_worker"
    SUPERVISOR = "supervisor"
    FUNDER = "funder"
    ADMIN = "admin"
    DPO = "dpo"
    INTEGRATION = "integration"  # a client application of an institution: `domain.integration`


# Roles held by professionals of the registry: a token's `sub` is a professional's id, and their
# standing is decided by the registry (employed by the institution `inst` names). An
# administrator's or a funder's `sub` names a person who need not be in the registry: an
# operator, a funding officer (their `inst`, for a funder, is the funding institution).
PROFESSIONAL_ROLES = frozenset({Role.CASE_WORKER, Role.SUPERVISOR})
# Roles whose token names the institution acted for (`inst`): a professional's, a DPO's (who need
# not be in the registry) and a client application's.
INSTITUTION_ROLES = frozenset({*PROFESSIONAL_ROLES, Role.DPO, Role.INTEGRATION})


class CaseUse(StrEnum):
    """What a principal wants to do with one case."""

    READ = "read"  # the case's content: its file, coherence now and as of a past instant
    AUDIT = "audit"  # its full history, reads included
    ACT = "act"  # any recorded action by a participant
    JOIN = "join"  # take part in it
    ANSWER_REFERRAL = "answer_referral"
    ACKNOWLEDGE = "acknowledge"  # acknowledge an alert about past acts, with a note
    TRANSFER = "transfer"  # request, answer or withdraw a transfer of the holding
    ASSIGN_REFERENT = "assign_referent"  # designate the référent de parcours (the coordinator)
    CORRECT = "correct"  # correct or annul an act recorded in error (its author, a supervisor)


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

    Case workers, supervisors and data-protection officers always act for an institution;
    funders and administrators may not.
    """

    subject: UUID
    role: Role
    institution_id: UUID | None = None
    # When its token was issued (`iat`; None: no token, e.g. the command line's principal).
    issued_at: datetime | None = field(default=None, compare=False)

    @property
    def actor(self) -> Actor:
        if self.institution_id is None:
            raise AccessDeniedError(
                N_("this token names no institution to act for"), field="institution_id"
            )
        return Actor(self.subject, self.institution_id)


@dataclass(frozen=True, eq=False)
class Admission:
    """Who may ask for something at all, by role alone: the first step of a rule, decided before
    the facts are gathered (and, over HTTP, before the request is read). `refusals` says, for a
    role refused, why in its own terms; otherwise the refusal names the roles admitted. `doing`
    and the refusals are templates (`N_`), worded in the reader's language by the API."""

    doing: str
    roles: frozenset[Role]
    refusals: Mapping[Role, str] = field(default_factory=dict)

    def check(self, principal: Principal) -> None:
        if principal.role in self.roles:
            return
        reason = self.refusals.get(principal.role)
        if reason is not None:
            _deny(reason, role=principal.role)
        _deny_role(principal, self.doing, [r for r in Role if r in self.roles])


_CW, _SUP, _FUNDER, _ADMIN = Role.CASE_WORKER, Role.SUPERVISOR, Role.FUNDER, Role.ADMIN
_DPO, _INTEGRATION = Role.DPO, Role.INTEGRATION
_FEED_ONLY = {_INTEGRATION: N_("a client application reads its institution's feed only")}


def _admission(doing: str, *roles: Role, refusals: Mapping[Role, str] | None = None) -> Admission:
    return Admission(doing, frozenset(roles), {**_FEED_ONLY, **(refusals or {})})


# A data-protection officer's refusal, wherever they are refused: in their own terms.
_RIGHTS_ONLY = {
    _DPO: N_(
        "a data-protection officer exercises the person's rights (export, rectification, "
        "erasure) and reads nothing else"
    )
}
_NO_CASE = {
    _FUNDER: N_("a funder reads aggregate reports, never a case"),
    _ADMIN: N_("an administrator keeps the registry and reads no case content"),
    **_RIGHTS_ONLY,
}
_NOT_AUDITING = {**_NO_CASE, _CW: N_("auditing a case's history is for supervisors")}
_NOT_ACTING = {
    **_NO_CASE,
    _SUP: N_("a supervisor audits cases; acting on them is for case workers"),
}

# Any person's role (not a client application's): what each one sees is decided with the facts.
ANY_ROLE = _admission(N_("calling the API"), *(set(Role) - {_INTEGRATION}))
# Institutions, professionals, employments, delegations, partnerships, formal networks, fundings.
KEEPING_THE_REGISTRY = _admission(N_("keeping the registry"), _ADMIN, refusals=_RIGHTS_ONLY)
OPENING_A_CASE = _admission(N_("opening a case"), _CW, refusals=_RIGHTS_ONLY)
_RIGHTS_REFUSALS = {
    _CW: N_("a beneficiary's rights are exercised by a data-protection officer"),
    _SUP: N_("a beneficiary's rights are exercised by a data-protection officer"),
    _FUNDER: N_("a funder reads aggregate reports, never a case"),
    _ADMIN: N_(
        "an administrator keeps the registry; a beneficiary's rights are exercised by a "
        "data-protection officer"
    ),
}
# Erasure is the data-protection officer's (DOMAIN.md): administrators are refused it, in their
# terms. Retention erasure by the command line is not a request: it keeps its own path.
ERASING_PERSONAL_DATA = _admission(
    N_("erasing a beneficiary's personal data"),
    _DPO,
    refusals={
        **_RIGHTS_REFUSALS,
        _ADMIN: N_(
            "erasing a beneficiary's personal data is the data-protection officer's, not an "
            "administrator's"
        ),
    },
)
EXPORTING_PERSONAL_DATA = _admission(
    N_("exporting a beneficiary's personal data"), _DPO, refusals=_RIGHTS_REFUSALS
)
RECTIFYING_AN_IDENTITY = _admission(
    N_("rectifying a beneficiary's identity"), _DPO, refusals=_RIGHTS_REFUSALS
)
CASE_ADMISSIONS: Mapping[CaseUse, Admission] = {
    CaseUse.READ: _admission(N_("reading a case"), _CW, _SUP, refusals=_NO_CASE),
    CaseUse.AUDIT: _admission(N_("auditing a case"), _SUP, refusals=_NOT_AUDITING),
    CaseUse.ACT: _admission(N_("acting on a case"), _CW, refusals=_NOT_ACTING),
    CaseUse.JOIN: _admission(N_("joining a case"), _CW, refusals=_NOT_ACTING),
    CaseUse.ANSWER_REFERRAL: _admission(N_("answering a referral"), _CW, refusals=_NOT_ACTING),
    CaseUse.ACKNOWLEDGE: _admission(
        N_("acknowledging a case's alert"),
        _SUP,
        refusals={**_NO_CASE, _CW: N_("acknowledging an alert is for supervisors")},
    ),
    # Holding is decided by the institutions: their supervisors, or a case worker taking part.
    CaseUse.TRANSFER: _admission(
        N_("transferring the holding of a case"), _CW, _SUP, refusals=_NO_CASE
    ),
    CaseUse.ASSIGN_REFERENT: _admission(
        N_("designating a case's référent de parcours"),
        _SUP,
        refusals={
            **_NO_CASE,
            _CW: N_(
                "the référent de parcours is designated by a supervisor of the holding institution"
            ),
        },
    ),
    CaseUse.CORRECT: _admission(N_("correcting or annulling an act"), _CW, _SUP, refusals=_NO_CASE),
}
READING_REFERRALS = _admission(
    N_("reading an institution's referrals"), _CW, _SUP, refusals=_NO_CASE
)
ACTING_IN_NETWORKS = _admission(
    N_("acting in a network"),
    _CW,
    _SUP,
    _ADMIN,
    refusals={_FUNDER: N_("a funder takes no part in networks"), **_RIGHTS_ONLY},
)
READING_A_CASELOAD = _admission(N_("reading a caseload"), _CW, _SUP, refusals=_RIGHTS_ONLY)
AUDITING_AN_INSTITUTION = _admission(N_("auditing an institution"), _SUP, refusals=_RIGHTS_ONLY)
READING_INVOLVEMENT = _admission(
    N_("reading an institution's involvement"), _SUP, refusals=_RIGHTS_ONLY
)
READING_THE_CHAIN_HEAD = _admission(
    N_("reading the log's chain head"), _SUP, _ADMIN, refusals=_RIGHTS_ONLY
)
READING_FUNDINGS = _admission(N_("reading fundings"), _ADMIN, _FUNDER, refusals=_RIGHTS_ONLY)
READING_REPORTS = _admission(N_("reading reports"), _FUNDER, _SUP, refusals=_RIGHTS_ONLY)
READING_THE_NETWORK_MAP = _admission(N_("reading the network map"), _SUP, refusals=_RIGHTS_ONLY)
# A professional's own day: their cases and what waits for their institution.
READING_MY_WORK = _admission(
    N_("reading one's own work"),
    _CW,
    _SUP,
    refusals={
        **_RIGHTS_ONLY,
        _FUNDER: N_("a funder reads aggregate reports, never a case"),
        _ADMIN: N_("an administrator keeps the registry and takes no case"),
    },
)
READING_TRANSFERS = _admission(
    N_("reading your institution's transfer requests"), _CW, _SUP, refusals=_RIGHTS_ONLY
)
# The delegations and partnerships of one's institution, as the registry's lists show each reader
# their part (a supervisor their institution's delegations, a case worker their own).
READING_AGREEMENTS = _admission(
    N_("reading your institution's delegations and partnerships"), _CW, _SUP, refusals=_RIGHTS_ONLY
)


@dataclass(frozen=True)
class CaseStanding:
    """What the log says about one principal and one case, gathered by the caller."""

    employed: bool = False  # a registered professional, employed now by the institution
    participant: bool = False  # takes part now, for the principal's institution
    delegated: bool = False  # holds a delegation in force for this case, from that institution
    institution_on_case: bool = False  # the institution holds it or has a participant now
    holder: bool = False  # the institution holds it now
    institution_was_involved: bool = False  # …or had one, made a referral, or accepted one
    referred: bool = False  # a referral to the principal's institution was accepted
    addressed: bool = False  # a referral was made to it, whatever became of it (to answer it)
    formal_link: bool = False  # a convention or a network links them to the case's actors
    # For a join nothing else allows: each partnership of the institution, and why it does not
    # let them join (a `ConventionLack` code).
    conventions: tuple[tuple[UUID, str], ...] = ()
    # The delegations they hold for the case from that institution, none in force: why (a
    # `domain.delegation.Lapse` code).
    lapsed_delegations: tuple[tuple[UUID, str], ...] = ()


def check_case_access(principal: Principal, use: CaseUse, standing: CaseStanding) -> None:
    """Refuse unless `principal` may `use` the case; the message says which rule refused."""
    CASE_ADMISSIONS[use].check(principal)  # from here on, a case worker or a supervisor
    role = principal.role
    if not standing.employed:
        _deny(N_("the token's professional is not employed by the institution it names"))
    if use is CaseUse.TRANSFER and role is Role.CASE_WORKER and not standing.participant:
        _deny(N_("a case worker requests or answers a transfer only while taking part in the case"))
    if use is CaseUse.CORRECT:  # whose act, and when, is the case's to check (`correct_act`)
        if standing.participant or standing.delegated or standing.institution_was_involved:
            return
        _deny(N_("acts are corrected on the cases your institution is or was involved in"))
    if role is Role.CASE_WORKER:
        if standing.participant or standing.delegated:
            return
        if use is CaseUse.JOIN and (
            standing.institution_on_case or standing.referred or standing.formal_link
        ):
            return
        if use is CaseUse.ANSWER_REFERRAL and standing.addressed:
            return
        delegations = [
            {"delegation_id": str(d), "reason": reason} for d, reason in standing.lapsed_delegations
        ]
        if use is CaseUse.JOIN:
            raise AccessDeniedError(
                N_(
                    "to join a case, your institution must be on it or have accepted a referral "
                    "to it, you must hold a delegation in force for it, a convention in force "
                    "must link your institution to an institution on it with at least one "
                    "action kind in its scope for yours, or a network must link you to its "
                    "coordinator"
                ),
                conventions=[
                    {"partnership_id": str(p), "reason": reason}
                    for p, reason in standing.conventions
                ],
                delegations=delegations,
            )
        raise AccessDeniedError(
            N_(
                "a case worker reaches only the cases they take part in or hold a delegation in "
                "force for"
            ),
            delegations=delegations,
        )
    if use is CaseUse.ACKNOWLEDGE:
        if standing.institution_on_case:
            return
        _deny(N_("a supervisor acknowledges the alerts of the cases their institution is on"))
    if use is CaseUse.TRANSFER:
        if standing.institution_on_case:
            return
        _deny(N_("a supervisor decides on holding only for the cases their institution is on"))
    if use is CaseUse.ASSIGN_REFERENT:
        if standing.holder:
            return
        _deny(
            N_("the référent de parcours is designated by a supervisor of the holding institution")
        )
    if role is Role.SUPERVISOR and (
        standing.institution_on_case or standing.institution_was_involved
    ):
        return
    _deny(N_("a supervisor audits only the cases their institution is or was involved in"))


def check_role(principal: Principal, *allowed: Role, doing: str) -> None:
    """Refuse unless the principal holds one of the `allowed` roles for `doing` (a template
    marked with `N_`, e.g. `N_("founding a network for someone else")`)."""
    if principal.role not in allowed:
        _deny_role(principal, doing, list(allowed))


def check_caseload_reader(principal: Principal, professional_id: UUID) -> None:
    """A caseload is shown to the case worker themself and to supervisors (who see only the
    cases where the professional acts for the supervisor's institution)."""
    READING_A_CASELOAD.check(principal)
    if principal.role is Role.SUPERVISOR or principal.subject == professional_id:
        return
    _deny(N_("a caseload is shown to the professional and to supervisors of their institution"))


def check_own_institution(principal: Principal, institution_id: UUID, *, doing: str) -> None:
    """`doing` is a template marked with `N_`, like `check_role`'s."""
    if principal.institution_id != institution_id:
        _deny(N_("{doing} is reserved to the institution's own staff"), doing=Term(doing))


def _deny(reason: str, **details: Any) -> NoReturn:
    raise AccessDeniedError(reason, **details)


def _deny_role(principal: Principal, doing: str, admitted: list[Role]) -> NoReturn:
    _deny(
        N_("{doing} is for the role {roles}, not {role}"),
        doing=Term(doing),
        roles={"any_of": admitted},
        role=principal.role,
    )
