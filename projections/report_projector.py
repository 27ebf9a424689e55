"""The report projection: the facts funder reports and the network map are computed from.

Reads only the events: acts on cases (who, for which institution, on what basis, when — never
who the beneficiary is), case openings and first coordination meetings, referrals and their
outcome, the registry's scopes (institutions, partnerships, networks) and their members, and
fundings. Re-applying an event changes nothing: act rows are keyed by their position, the
others are set (a first meeting keeps the earliest date).

Imported by `projections.projectors` (its `PROJECTORS`), after `Projector` is defined.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from domain.coherence import event_type
from domain.funding import FundedKind
from projections.batch import Batch
from projections.projectors import Projector
from projections.report_tables import (
    REPORT_TABLES,
    funding_view,
    report_act_view,
    report_case_view,
    report_referral_view,
    report_scope_member_view,
    report_scope_view,
)
from projections.tables import as_utc

INSTITUTION, PARTNERSHIP, NETWORK = (
    FundedKind.INSTITUTION,
    FundedKind.PARTNERSHIP,
    FundedKind.NETWORK,
)


class Reports(Projector):
    name = "reports"
    tables = REPORT_TABLES
    handlers = {
        "Case.CaseOpened": "case_opened",
        "Case.CoordinationMeetingHeld": "meeting",
        "Case.ReferralMade": "referral_made",
        "Case.ReferralAccepted": "referral_answered",
        "Case.ReferralDeclined": "referral_answered",
        "Institution.InstitutionRegistered": "institution",
        "Partnership.PartnershipProposed": "partnership",
        "Partnership.PartnershipSigned": "signed",
        "Partnership.PartnershipAmended": "amended",
        "Partnership.PartnershipTerminated": "terminated",
        "Network.NetworkFounded": "network",
        "Network.InvitationAccepted": "invitation_accepted",
        "Network.InstitutionJoinedNetwork": "institution_joined",
        "Network.NetworkDissolved": "dissolved",
        "Funding.FundingGranted": "funding",
        "Funding.FundingEnded": "funding_ended",
    }

    def apply(self, batch: Batch, event: Any, position: int) -> None:
        kind = event_type(event)
        by = getattr(event, "by", None)
        if kind.startswith("Case.") and by is not None:
            batch.append(
                report_act_view,
                {
                    "position": position,
                    "case_id": str(event.originator_id),
                    "occurred_at": event.occurred_at,
                    "institution_id": str(by.institution_id),
                    "professional_id": str(by.professional_id),
                    "event": kind.split(".", 1)[1],
                    "basis_kind": str(event.basis.kind),
                    "intervention_kind": str(event.kind)
                    if kind == "Case.InterventionRecorded"
                    else None,
                },
            )
        super().apply(batch, event, position)

    def prepare(self, batch: Batch, events: Sequence[Any]) -> None:
        """Load in a few queries the rows the batch's events will read."""
        cases, referrals, scopes, members, fundings = [], [], [], [], []
        for e in events:
            kind = event_type(e)
            if kind in ("Case.CaseOpened", "Case.CoordinationMeetingHeld"):
                cases.append((str(e.originator_id),))
            elif kind in ("Case.ReferralAccepted", "Case.ReferralDeclined"):
                referrals.append((str(e.referral_id),))
            elif kind == "Partnership.PartnershipProposed":
                members += [(PARTNERSHIP, str(e.originator_id), str(p)) for p in e.parties]
            elif kind in ("Partnership.PartnershipAmended", "Partnership.PartnershipTerminated"):
                scopes.append((PARTNERSHIP, str(e.originator_id)))
            elif kind == "Network.NetworkDissolved":
                scopes.append((NETWORK, str(e.originator_id)))
            elif kind == "Funding.FundingEnded":
                fundings.append((str(e.originator_id),))
        batch.load_many(report_case_view, cases)
        batch.load_many(report_referral_view, referrals)
        batch.load_many(report_scope_view, scopes)
        batch.load_many(report_scope_member_view, members)
        batch.load_many(funding_view, fundings)

    # --- cases ----------------------------------------------------------------------------

    def case_opened(self, batch: Batch, e: Any, _: int) -> None:
        row = batch.get(report_case_view, (str(e.originator_id),))
        batch.put(
            report_case_view,
            {
                "case_id": str(e.originator_id),
                "opened_at": e.occurred_at,
                "first_meeting_at": row["first_meeting_at"] if row else None,
            },
        )

    def meeting(self, batch: Batch, e: Any, _: int) -> None:
        row = batch.get(report_case_view, (str(e.originator_id),))
        if row is None:
            return  # the log always opens a case first
        first = row["first_meeting_at"]
        if first is None or e.occurred_at < as_utc(first):
            batch.put(report_case_view, {**row, "first_meeting_at": e.occurred_at})

    def referral_made(self, batch: Batch, e: Any, _: int) -> None:
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

    def referral_answered(self, batch: Batch, e: Any, _: int) -> None:
        row = batch.get(report_referral_view, (str(e.referral_id),))
        if row is not None:
            status = "accepted" if event_type(e).endswith("Accepted") else "declined"
            batch.put(report_referral_view, {**row, "status": status})

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

    def institution(self, batch: Batch, e: Any, _: int) -> None:
        self._scope(batch, INSTITUTION, e.originator_id, e.name, str(e.sector))
        self._member(batch, INSTITUTION, e.originator_id, e.originator_id, INSTITUTION, True)

    def partnership(self, batch: Batch, e: Any, _: int) -> None:
        self._scope(
            batch, PARTNERSHIP, e.originator_id, e.title, str(e.kind), e.valid_from, e.valid_until
        )
        for party in e.parties:
            row = batch.get(
                report_scope_member_view, (PARTNERSHIP, str(e.originator_id), str(party))
            )
            signed = bool(row and row["signed"])
            self._member(batch, PARTNERSHIP, e.originator_id, party, INSTITUTION, signed)

    def signed(self, batch: Batch, e: Any, _: int) -> None:
        self._member(
            batch, PARTNERSHIP, e.originator_id, e.signature.institution_id, INSTITUTION, True
        )

    def amended(self, batch: Batch, e: Any, _: int) -> None:
        if e.valid_until is not None:
            self._update_scope(batch, PARTNERSHIP, e.originator_id, valid_until=e.valid_until)

    def terminated(self, batch: Batch, e: Any, _: int) -> None:
        self._update_scope(batch, PARTNERSHIP, e.originator_id, ended_on=e.terminated_on)

    def network(self, batch: Batch, e: Any, _: int) -> None:
        founded: datetime = e.founded_at
        self._scope(batch, NETWORK, e.originator_id, e.name, str(e.kind), founded.date())
        for institution in e.founding_institutions:
            self._member(batch, NETWORK, e.originator_id, institution, INSTITUTION, True)
        if e.founder_id is not None:
            self._member(batch, NETWORK, e.originator_id, e.founder_id, "professional", True)

    def invitation_accepted(self, batch: Batch, e: Any, _: int) -> None:
        self._member(batch, NETWORK, e.originator_id, e.invitee_id, "professional", True)

    def institution_joined(self, batch: Batch, e: Any, _: int) -> None:
        self._member(batch, NETWORK, e.originator_id, e.institution_id, INSTITUTION, True)

    def dissolved(self, batch: Batch, e: Any, _: int) -> None:
        at: datetime = e.dissolved_at
        self._update_scope(batch, NETWORK, e.originator_id, ended_on=at.date())

    # --- fundings -------------------------------------------------------------------------

    def funding(self, batch: Batch, e: Any, _: int) -> None:
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

    def funding_ended(self, batch: Batch, e: Any, _: int) -> None:
        row = batch.get(funding_view, (str(e.originator_id),))
        if row is not None:
            batch.put(funding_view, {**row, "ended_on": e.ended_on})
