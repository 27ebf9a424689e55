"""What a case knows of itself, and the guards its commands begin with.

The queries (who takes part, which consents cover a share, was an institution involved) and
the checks refusing a command on the case's state (closed, not a participant, erased…) are
plain methods of the case, gathered in `CaseState` so that `domain.case` keeps to its commands
and the events they record. `Case` inherits them; this class holds no state of its own and
records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain import case_rules
from domain.case_values import BeneficiaryIdentity, Consent, Participant, Referral
from domain.errors import (
    BeneficiaryErasedError,
    CaseClosedError,
    NotACaseParticipantError,
    RetentionNotDueError,
    WrongInstitutionError,
)
from domain.values import Actor, Basis
from domain.wording import N_


class CaseState:
    """Queries and guards over the state `domain.case.Case` builds from its events."""

    if TYPE_CHECKING:  # given by the aggregate (`eventsourcing.domain.Aggregate`)

        @property
        def id(self) -> UUID: ...

        @property
        def version(self) -> int: ...

    beneficiary: BeneficiaryIdentity
    holder_institution_id: UUID
    participants: list[Participant]
    past_institutions: tuple[UUID, ...]
    coordinator: Actor | None
    consents: list[Consent]
    referrals: list[Referral]
    closed: bool
    closed_at: datetime | None
    erased: bool

    # --- applying ---------------------------------------------------------------------------

    def _stands_on_act(self, event: object) -> None:
        """Once an act is applied, its actor — if they take part — stands on its basis
        (`Participant.after_act`: the rule the coherence view follows). A correction names an
        act (`act_id`) and is no act of its own."""
        state = vars(event)
        by, basis, at = state.get("by"), state.get("basis"), state.get("occurred_at")
        if isinstance(state.get("act_id"), UUID):
            return
        if isinstance(by, Actor) and isinstance(basis, Basis) and isinstance(at, datetime):
            for index, p in enumerate(self.participants):
                if p.actor == by:
                    self.participants[index] = p.after_act(basis, at)

    # --- reading ----------------------------------------------------------------------------

    def participant(self, actor: Actor) -> Participant | None:
        for p in self.participants:
            if (
                p.professional_id == actor.professional_id
                and p.institution_id == actor.institution_id
            ):
                return p
        return None

    def is_participant(self, actor: Actor) -> bool:
        return self.participant(actor) is not None

    @property
    def institutions(self) -> list[UUID]:
        """Institutions on the case now: the holder and those of current participants."""
        seen = [self.holder_institution_id]
        for p in self.participants:
            if p.institution_id not in seen:
                seen.append(p.institution_id)
        return seen

    def was_involved(self, institution_id: UUID) -> bool:
        """The institution holds the case, takes or took part in it, referred it, or accepted a
        referral to it. A referral still pending gives the referred institution only what it
        shares (`GET /cases/{id}/referrals/{referral_id}`), never the file."""
        return (
            institution_id in self.institutions
            or institution_id in self.past_institutions
            or any(r.from_institution_id == institution_id for r in self.referrals)
            or self.referred_to(institution_id)
        )

    def referred_to(self, institution_id: UUID) -> bool:
        """A referral to the institution was accepted: its professionals may join."""
        return any(
            r.to_institution_id == institution_id and r.status == "accepted" for r in self.referrals
        )

    def addressed_to(self, institution_id: UUID) -> bool:
        """A referral was made to the institution, whatever became of it: its case workers may
        answer (the answer is refused unless it is still pending)."""
        return any(r.to_institution_id == institution_id for r in self.referrals)

    def beneficiary_is_minor_on(self, day: date) -> bool:
        return self.beneficiary.is_minor_on(day)

    def consent(self, consent_id: UUID) -> Consent | None:
        for c in self.consents:
            if c.consent_id == consent_id:
                return c
        return None

    def referral(self, referral_id: UUID) -> Referral | None:
        for r in self.referrals:
            if r.referral_id == referral_id:
                return r
        return None

    def consents_covering(
        self, recipient_id: UUID, categories: Sequence[str], at: datetime
    ) -> tuple[UUID, ...] | None:
        """The consents that together cover every category for this recipient, or None."""
        used: list[UUID] = []
        for category in categories:
            match = next((c for c in self.consents if c.covers(recipient_id, category, at)), None)
            if match is None:
                return None
            if match.consent_id not in used:
                used.append(match.consent_id)
        return tuple(used)

    def sharing_categories(self, categories: Iterable[str]) -> list[str]:
        return case_rules.sharing_categories(categories)

    def check_cross_institution(self, by: Actor, recipient_institution_id: UUID) -> None:
        case_rules.check_cross_institution(by, recipient_institution_id)

    # --- guards -----------------------------------------------------------------------------

    def check_open(self) -> None:
        if self.closed:
            raise CaseClosedError(N_("case {case_id} is closed"), field="case_id", case_id=self.id)

    def check_participant(self, actor: Actor, *, field: str = "professional_id") -> None:
        if not self.is_participant(actor):
            raise NotACaseParticipantError(
                N_(
                    "professional {professional_id} does not take part in case {case_id} for "
                    "institution {institution_id}"
                ),
                field=field,
                professional_id=actor.professional_id,
                case_id=self.id,
                institution_id=actor.institution_id,
            )

    def check_can_act(self, actor: Actor) -> None:
        self.check_open()
        self.check_participant(actor)

    def check_not_erased(self) -> None:
        if self.erased:
            raise BeneficiaryErasedError.of_case(self.id)

    def check_institution_on_case(self, actor: Actor) -> None:
        """Only an institution on the case (holding it, or with a participant) acknowledges
        its alerts."""
        if actor.institution_id not in self.institutions:
            raise WrongInstitutionError(
                N_("institution {institution} is not on case {case}: it acknowledges no alert"),
                field="institution_id",
                institution=str(actor.institution_id),
                case=str(self.id),
            )

    def check_retention_due(self, closed_before: datetime | None) -> None:
        """With `closed_before` (retention), only a case still closed since before that instant
        is erased."""
        if closed_before is not None and (
            not self.closed or self.closed_at is None or self.closed_at >= closed_before
        ):
            raise RetentionNotDueError(
                N_("case {case_id} is not closed since before {closed_before}"),
                field="case_id",
                case_id=self.id,
                closed_before=closed_before.date(),
            )
