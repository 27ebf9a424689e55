"""The report projection: the facts funder reports and the network map are computed from.

Reads only the events: acts on cases (who, for which institution, on what basis, when — never
who the beneficiary is), case openings and first coordination meetings, referrals and their
outcome, the registry's scopes (institutions, partnerships, networks) and their members, and
fundings. Re-applying an event changes nothing: act rows are keyed by their position, the
others are set (a first meeting keeps the earliest date).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import DomainEvent

from domain.coherence_corrections import act_id_of
from domain.event_classes import (
    ActAnnulled,
    ActCorrected,
    BeneficiaryErased,
    CaseOpened,
    CoordinationMeetingHeld,
    DelegationReceived,
    EmploymentEnded,
    EmploymentStarted,
    FundingEnded,
    FundingGranted,
    IdentityRectified,
    InstitutionIdentified,
    InstitutionJoinedNetwork,
    InstitutionRegistered,
    InterventionRecorded,
    InvitationAccepted,
    InvitationDeclined,
    MemberAdmitted,
    MemberInvited,
    MemberLeft,
    NetworkCoordinatorAppointed,
    NetworkDissolved,
    NetworkFounded,
    NetworkJoined,
    NetworkLeft,
    NetworkMeetingRecorded,
    NetworkProjectUpdated,
    PartnershipAmended,
    PartnershipEntered,
    PartnershipProposed,
    PartnershipResumed,
    PartnershipSigned,
    PartnershipSuspended,
    PartnershipTerminated,
    ProfessionalIdentified,
    ProfessionalRegistered,
    ReferralAccepted,
    ReferralDeclined,
    ReferralMade,
    ReferralRevoked,
)
from domain.events import (
    CASE_ACTS,
    CONSULTATION_EVENTS,
    DELEGATION_EVENTS,
    IDENTIFIER_CLAIM_EVENTS,
)
from domain.funding import FundedKind
from projections.batch import Batch, ident
from projections.projector import Projector
from projections.report_tables import (
    REPORT_TABLES,
    funding_view,
    report_act_change_view,
    report_act_view,
    report_case_view,
    report_referral_view,
    report_scope_member_view,
    report_scope_view,
)
from projections.tables import as_utc

if TYPE_CHECKING:
    from domain.event_classes import CaseAct

INSTITUTION, PARTNERSHIP, NETWORK = (
    FundedKind.INSTITUTION,
    FundedKind.PARTNERSHIP,
    FundedKind.NETWORK,
)


REFERRAL_OUTCOMES = {
    ReferralAccepted: "accepted",
    ReferralDeclined: "declined",
    ReferralRevoked: "revoked",
}


class Reports(Projector):
    name = "reports"
    tables = REPORT_TABLES

    def declare(self) -> None:
        # Every act on a case is a row (who, for which institution, on what basis, when)...
        self.on(self.act, *CASE_ACTS)
        # ...and some say more: when a case opened, met, referred.
        self.on(self.case_opened, CaseOpened)
        self.on(self.meeting, CoordinationMeetingHeld)
        self.on(self.referral_made, ReferralMade)
        self.on(self.referral_answered, ReferralAccepted)
        self.on(self.referral_answered, ReferralDeclined)
        self.on(self.referral_answered, ReferralRevoked)
        # A correction changes an act's kind or date; an annulment takes it out of every count.
        self.on(self.act_changed, ActCorrected)
        self.on(self.act_changed, ActAnnulled)
        self.ignore(BeneficiaryErased, IdentityRectified, *CONSULTATION_EVENTS)
        # The scopes reports are asked for, and their members.
        self.on(self.institution, InstitutionRegistered)
        self.ignore(PartnershipEntered)
        self.on(self.partnership, PartnershipProposed)
        self.on(self.signed, PartnershipSigned)
        self.on(self.amended, PartnershipAmended)
        self.on(self.terminated, PartnershipTerminated)
        self.ignore(PartnershipSuspended, PartnershipResumed)
        self.on(self.network, NetworkFounded)
        self.on(self.invitation_accepted, InvitationAccepted)
        self.on(self.institution_joined, InstitutionJoinedNetwork)
        self.on(self.dissolved, NetworkDissolved)
        self.ignore(MemberInvited, InvitationDeclined, MemberAdmitted, MemberLeft)
        self.ignore(NetworkCoordinatorAppointed, NetworkProjectUpdated, NetworkMeetingRecorded)
        self.ignore(ProfessionalRegistered, EmploymentStarted, EmploymentEnded)
        self.ignore(DelegationReceived, NetworkJoined, NetworkLeft, *DELEGATION_EVENTS)
        self.ignore(InstitutionIdentified, ProfessionalIdentified, *IDENTIFIER_CLAIM_EVENTS)
        # Fundings.
        self.on(self.funding, FundingGranted)
        self.on(self.funding_ended, FundingEnded)

    def prepare(self, batch: Batch, events: Sequence[DomainEvent]) -> None:
        """Load in a few queries the rows the batch's events will read."""
        cases, referrals, scopes, members, fundings, changes = [], [], [], [], [], []
        for e in events:
            if isinstance(e, CaseOpened | CoordinationMeetingHeld):
                cases.append((ident(e.originator_id),))
            elif isinstance(e, ReferralAccepted | ReferralDeclined | ReferralRevoked):
                referrals.append((str(e.referral_id),))
            elif isinstance(e, PartnershipProposed):
                members += [(PARTNERSHIP, str(e.originator_id), str(p)) for p in e.parties]
            elif isinstance(e, PartnershipAmended | PartnershipTerminated):
                scopes.append((PARTNERSHIP, str(e.originator_id)))
            elif isinstance(e, NetworkDissolved):
                scopes.append((NETWORK, str(e.originator_id)))
            elif isinstance(e, FundingEnded):
                fundings.append((str(e.originator_id),))
            elif isinstance(e, ActCorrected | ActAnnulled):
                changes.append((str(e.act_id),))
        batch.load_many(report_case_view, cases)
        batch.load_many(report_referral_view, referrals)
        batch.load_many(report_scope_view, scopes)
        batch.load_many(report_scope_member_view, members)
        batch.load_many(funding_view, fundings)
        batch.load_many(report_act_change_view, changes)

    # --- cases ----------------------------------------------------------------------------

    def act(self, batch: Batch, e: CaseAct, position: int) -> None:
        act_id = act_id_of(e)
        batch.append(
            report_act_view,
            {
                "position": position,
                "case_id": ident(e.originator_id),
                "occurred_at": e.occurred_at,
                "institution_id": ident(e.by.institution_id),
                "professional_id": ident(e.by.professional_id),
                "event": type(e).__name__,
                "basis_kind": str(e.basis.kind),
                "intervention_kind": str(e.kind) if isinstance(e, InterventionRecorded) else None,
                "act_id": str(act_id) if act_id is not None else None,
            },
        )

    def act_changed(self, batch: Batch, e: ActCorrected | ActAnnulled, _: int) -> None:
        """The act's kind and date as corrected so far, or its annulment (chained: a
        correction keeps what earlier ones changed)."""
        row = batch.get(report_act_change_view, (str(e.act_id),)) or {
            "act_id": str(e.act_id),
            "case_id": ident(e.originator_id),
            "occurred_at": None,
            "intervention_kind": None,
            "annulled": False,
        }
        if isinstance(e, ActAnnulled):
            row["annulled"] = True
        else:
            kind, at = getattr(e, "kind", None), getattr(e, "act_occurred_at", None)
            row["intervention_kind"] = str(kind) if kind is not None else row["intervention_kind"]
            row["occurred_at"] = at if at is not None else row["occurred_at"]
        batch.put(report_act_change_view, row)

    def case_opened(self, batch: Batch, e: CaseOpened, _: int) -> None:
        row = batch.get(report_case_view, (str(e.originator_id),))
        batch.put(
            report_case_view,
            {
                "case_id": str(e.originator_id),
                "opened_at": e.occurred_at,
                "first_meeting_at": row["first_meeting_at"] if row else None,
            },
        )

    def meeting(self, batch: Batch, e: CoordinationMeetingHeld, _: int) -> None:
        row = batch.get(report_case_view, (str(e.originator_id),))
        if row is None:
            return  # the log always opens a case first
        first = row["first_meeting_at"]
        if first is None or e.occurred_at < as_utc(first):
            batch.put(report_case_view, {**row, "first_meeting_at": e.occurred_at})

    def referral_made(self, batch: Batch, e: ReferralMade, _: int) -> None:
        batch.put(
            report_referral_view,
            {
                "referral_id": str(e.referral_id),
                "case_id": str(e.originator_id),
                "from_institution_id": str(e.by.institution_id),
                "made_by": str(e.by.professional_id),
                "made_at": e.occurred_at,
                "status": "pending",
            },
        )

    def referral_answered(
        self, batch: Batch, e: ReferralAccepted | ReferralDeclined | ReferralRevoked, _: int
    ) -> None:
        row = batch.get(report_referral_view, (str(e.referral_id),))
        if row is not None:
            batch.put(report_referral_view, {**row, "status": REFERRAL_OUTCOMES[type(e)]})

    # --- scopes ---------------------------------------------------------------------------

    def _scope(
        self,
        batch: Batch,
        kind: str,
        scope_id: Any,
        name: str,
        detail: str,
        valid_from: date | None = None,
        valid_until: date | None = None,
        began_at: datetime | None = None,
    ) -> None:
        batch.put(
            report_scope_view,
            {
                "scope_kind": kind,
                "scope_id": str(scope_id),
                "name": name,
                "detail": detail,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "ended_on": None,
                "began_at": began_at,
                "ended_at": None,
            },
        )

    def _member(
        self, batch: Batch, kind: str, scope_id: Any, member: Any, member_kind: str, signed: bool
    ) -> None:
        batch.put(
            report_scope_member_view,
            {
                "scope_kind": kind,
                "scope_id": str(scope_id),
                "member_id": str(member),
                "member_kind": member_kind,
                "signed": signed,
            },
        )

    def _update_scope(self, batch: Batch, kind: str, scope_id: Any, **values: Any) -> None:
        row = batch.get(report_scope_view, (kind, str(scope_id)))
        if row is not None:
            batch.put(report_scope_view, {**row, **values})

    def institution(self, batch: Batch, e: InstitutionRegistered, _: int) -> None:
        self._scope(batch, INSTITUTION, e.originator_id, e.name, str(e.sector))
        self._member(batch, INSTITUTION, e.originator_id, e.originator_id, INSTITUTION, True)

    def partnership(self, batch: Batch, e: PartnershipProposed, _: int) -> None:
        self._scope(
            batch, PARTNERSHIP, e.originator_id, e.title, str(e.kind), e.valid_from, e.valid_until
        )
        for party in e.parties:
            row = batch.get(
                report_scope_member_view, (PARTNERSHIP, str(e.originator_id), str(party))
            )
            signed = bool(row and row["signed"])
            self._member(batch, PARTNERSHIP, e.originator_id, party, INSTITUTION, signed)

    def signed(self, batch: Batch, e: PartnershipSigned, _: int) -> None:
        self._member(
            batch, PARTNERSHIP, e.originator_id, e.signature.institution_id, INSTITUTION, True
        )

    def amended(self, batch: Batch, e: PartnershipAmended, _: int) -> None:
        if e.valid_until is not None:
            self._update_scope(batch, PARTNERSHIP, e.originator_id, valid_until=e.valid_until)

    def terminated(self, batch: Batch, e: PartnershipTerminated, _: int) -> None:
        self._update_scope(batch, PARTNERSHIP, e.originator_id, ended_on=e.terminated_on)

    def network(self, batch: Batch, e: NetworkFounded, _: int) -> None:
        founded: datetime = e.founded_at  # an instant: its day is the service calendar's
        self._scope(batch, NETWORK, e.originator_id, e.name, str(e.kind), began_at=founded)
        for institution in e.founding_institutions:
            self._member(batch, NETWORK, e.originator_id, institution, INSTITUTION, True)
        if e.founder_id is not None:
            self._member(batch, NETWORK, e.originator_id, e.founder_id, "professional", True)

    def invitation_accepted(self, batch: Batch, e: InvitationAccepted, _: int) -> None:
        self._member(batch, NETWORK, e.originator_id, e.invitee_id, "professional", True)

    def institution_joined(self, batch: Batch, e: InstitutionJoinedNetwork, _: int) -> None:
        self._member(batch, NETWORK, e.originator_id, e.institution_id, INSTITUTION, True)

    def dissolved(self, batch: Batch, e: NetworkDissolved, _: int) -> None:
        at: datetime = e.dissolved_at
        self._update_scope(batch, NETWORK, e.originator_id, ended_at=at)

    # --- fundings -------------------------------------------------------------------------

    def funding(self, batch: Batch, e: FundingGranted, _: int) -> None:
        batch.put(
            funding_view,
            {
                "funding_id": str(e.originator_id),
                "funder_id": str(e.funder_id),
                "target_kind": str(e.target_kind),
                "target_id": str(e.target_id),
                "valid_from": e.valid_from,
                "valid_until": e.valid_until,
                "ended_on": None,
                "reference": e.reference,
            },
        )

    def funding_ended(self, batch: Batch, e: FundingEnded, _: int) -> None:
        row = batch.get(funding_view, (str(e.originator_id),))
        if row is not None:
            batch.put(funding_view, {**row, "ended_on": e.ended_on})
