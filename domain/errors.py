"""Every refusal of the domain is one of these errors, named after the broken rule.

Each error carries the rule it enforces (`rule`, stable, used by the API as the problem `type`),
the field at fault when there is one, and a sentence kept as an English template (`N_`) with its
values apart: `NotEmployedError(N_("professional {professional_id} is not employed by
institution {institution_id}"), field="institution_id", professional_id=..., institution_id=...)`.
The values are the refusal's `details` (plain JSON: ids, enums and dates as strings, see
`domain.templates`), `message` is the English sentence, and `worded(wording)` the sentence in
another language (the API's, French first). The templates may also name `{field}`. The API maps
the classes to HTTP statuses in one place; nothing here knows about HTTP.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.templates import fill, plain
from domain.wording import N_, Wording


class MaillageError(Exception):
    """Base of every domain refusal."""

    rule: str = "maillage-error"

    def __init__(self, template: str, *, field: str | None = None, **details: Any) -> None:
        self.template = template
        self.field = field
        self.details: dict[str, Any] = {name: plain(value) for name, value in details.items()}
        self.message = fill(template, self.values())
        super().__init__(self.message)

    def values(self) -> dict[str, Any]:
        """What the template is filled with: the details, and the field at fault."""
        return {"field": self.field, **self.details}

    def worded(self, wording: Wording) -> str:
        """The sentence in `wording`'s language (English: `message`)."""
        return fill(self.template, self.values(), wording)


# --- input and time -------------------------------------------------------------------------


class InvalidValueError(MaillageError):
    """A value is malformed or outside what the domain accepts."""

    rule = "invalid-value"


class OccurredInFutureError(MaillageError):
    rule = "occurred-at-in-future"


class OccurredTooLongAgoError(MaillageError):
    rule = "occurred-at-too-old"


# --- existence and concurrency --------------------------------------------------------------


class NotFoundError(MaillageError):
    rule = "not-found"

    def __init__(self, kind: str, ident: UUID | str, *, field: str | None = None) -> None:
        template = _NOT_FOUND.get(kind, N_("{kind} {id} does not exist"))
        super().__init__(template, field=field, kind=kind, id=ident)
        self.kind = kind
        self.ident = ident


# `kind` stays a stable code in the details; the sentence names the record in words.
_NOT_FOUND: dict[str, str] = {
    "case": N_("case {id} does not exist"),
    "case at that instant": N_("case {id} did not exist at that instant"),
    "institution": N_("institution {id} does not exist"),
    "professional": N_("professional {id} does not exist"),
    "delegation": N_("delegation {id} does not exist"),
    "partnership": N_("partnership {id} does not exist"),
    "network": N_("network {id} does not exist"),
    "funding": N_("funding {id} does not exist"),
}


class AlreadyExistsError(MaillageError):
    rule = "already-exists"


class ConcurrentUpdateError(MaillageError):
    """Raised after the bounded number of reload-and-decide attempts all met a newer version."""

    rule = "concurrent-update"


class StaleVersionError(MaillageError):
    """The caller decided on a version of the aggregate that is no longer the current one."""

    rule = "stale-version"


# --- employment and delegation --------------------------------------------------------------


class NotEmployedError(MaillageError):
    """A professional acts for an institution only while employed there."""

    rule = "not-employed"


class EmploymentOverlapError(MaillageError):
    rule = "employment-overlap"


class DelegationExpiredError(MaillageError):
    rule = "delegation-expired"


class DelegationNotYetValidError(MaillageError):
    rule = "delegation-not-yet-valid"


class DelegationRevokedError(MaillageError):
    rule = "delegation-revoked"


class DelegationOutOfScopeError(MaillageError):
    """The delegation does not cover this case, network, institution or action kind."""

    rule = "delegation-out-of-scope"


# --- partnerships ---------------------------------------------------------------------------


class NotAPartyError(MaillageError):
    rule = "not-a-party"


class AlreadySignedError(MaillageError):
    rule = "already-signed"


class PartnershipEndedError(MaillageError):
    """A terminated partnership takes no further change."""

    rule = "partnership-terminated"


class PartnershipStateError(MaillageError):
    """The command does not apply in the partnership's current state (e.g. resume when active)."""

    rule = "partnership-state"


class CharterHasNoScopeError(MaillageError):
    """A charter states shared values; it carries no operational scope."""

    rule = "charter-has-no-scope"


class MandateReferenceRequiredError(MaillageError):
    """A partnership imposed by a law, a scheme or a commissioning body names its reference."""

    rule = "mandate-reference-required"


# --- networks -------------------------------------------------------------------------------


class NetworkKindError(MaillageError):
    """The command belongs to the other kind of network (informal vs formal)."""

    rule = "network-kind"


class NotANetworkMemberError(MaillageError):
    rule = "not-a-network-member"


class AlreadyAMemberError(MaillageError):
    rule = "already-a-member"


class NoInvitationError(MaillageError):
    """Joining an informal network needs an invitation from a member (reciprocity)."""

    rule = "no-invitation"


class NetworkDissolvedError(MaillageError):
    rule = "network-dissolved"


class NotAFoundingInstitutionError(MaillageError):
    rule = "not-a-founding-institution"


# --- cases ----------------------------------------------------------------------------------


class CaseClosedError(MaillageError):
    rule = "case-closed"


class BeneficiaryErasedError(MaillageError):
    """The beneficiary's personal data was erased: nothing personal is recorded for them again."""

    rule = "beneficiary-erased"

    @classmethod
    def of_case(cls, case_id: UUID) -> BeneficiaryErasedError:
        return cls(
            N_("the beneficiary of case {case_id} was erased"), field="case_id", case_id=case_id
        )


class RetentionNotDueError(MaillageError):
    """A case erased for its retention period must still be closed since before the cutoff."""

    rule = "retention-not-due"


class CaseNotClosedError(MaillageError):
    rule = "case-not-closed"


class IdentityUnchangedError(MaillageError):
    """A rectification of the beneficiary's identity that changes nothing (RGPD art. 16)."""

    rule = "identity-unchanged"


class NotACaseParticipantError(MaillageError):
    rule = "not-a-case-participant"


class AlreadyParticipatingError(MaillageError):
    rule = "already-participating"


class ConsentNotFoundError(MaillageError):
    rule = "consent-not-found"


class ConsentAlreadyWithdrawnError(MaillageError):
    rule = "consent-already-withdrawn"


class NoLegalBasisForSharingError(MaillageError):
    """Sharing information with another institution needs consent or a legal ground."""

    rule = "no-legal-basis-for-sharing"


class LegalGroundConditionsNotMetError(NoLegalBasisForSharingError):
    """A legal ground was claimed but one of its conditions is not met."""

    rule = "legal-ground-conditions-not-met"


class UnknownLegalGroundError(MaillageError):
    rule = "unknown-legal-ground"


class SameInstitutionError(MaillageError):
    """A cross-institution act (sharing, referral) needs two different institutions."""

    rule = "same-institution"


class NotACripError(MaillageError):
    """Concerning information goes to the département's unit for it (CRIP) only."""

    rule = "recipient-not-a-crip"


class ReferralNotPendingError(MaillageError):
    rule = "referral-not-pending"


class ReferralNotFoundError(MaillageError):
    rule = "referral-not-found"


class ActNotFoundError(MaillageError):
    """A correction or an annulment names an act the case does not have (or cannot correct)."""

    rule = "act-not-found"


class ActAnnulledError(MaillageError):
    """An annulled act is neither corrected nor annulled again."""

    rule = "act-annulled"


class ActNotCorrectableError(MaillageError):
    """Only an intervention's kind, date or summary is corrected; a meeting or a share recorded
    in error is annulled (and recorded again if need be)."""

    rule = "act-not-correctable"


class NothingToCorrectError(MaillageError):
    """A correction changes at least one thing of the act's current state."""

    rule = "nothing-to-correct"


class WrongInstitutionError(MaillageError):
    """The actor does not act for the institution the command requires."""

    rule = "wrong-institution"


# --- holding and référent de parcours ------------------------------------------------------


class TransferNotFoundError(MaillageError):
    rule = "transfer-not-found"


class TransferNotPendingError(MaillageError):
    """The transfer was accepted, declined or withdrawn already."""

    rule = "transfer-not-pending"


class TransferAlreadyPendingError(MaillageError):
    """A case has one pending transfer request at a time."""

    rule = "transfer-already-pending"


class TransferToHolderError(MaillageError):
    """A transfer moves the case to another institution than the one holding it."""

    rule = "transfer-to-holder"


class InstitutionNotOnCaseError(MaillageError):
    """The institution neither holds the case nor has a participant on it."""

    rule = "institution-not-on-case"


class NotTheHolderError(MaillageError):
    """Only the holding institution does this (offer the case, designate the référent)."""

    rule = "not-the-holder"


class WrongTransferSideError(MaillageError):
    """A transfer is answered by the other side, withdrawn by the side that asked."""

    rule = "wrong-transfer-side"


# --- fundings -------------------------------------------------------------------------------


class FundingEndedError(MaillageError):
    """An ended funding takes no further change."""

    rule = "funding-ended"


# --- access ---------------------------------------------------------------------------------


class AccessDeniedError(MaillageError):
    """Need-to-know: the role, or the standing of the reader towards the case, does not allow it."""

    rule = "access-denied"


class CorrectionWindowPassedError(AccessDeniedError):
    """The author of an act corrects or annuls it only within the correction window after it
    was recorded; afterwards, a supervisor of its institution does."""

    rule = "correction-window-passed"
