"""Who holds a case and who keeps the person's path coherent: transfers and the référent.

One institution holds the case (*détenteur du dossier*). Holding moves by a transfer request:
the holder offers the case to another institution on it, or an institution on it asks to hold
it; the other side accepts or declines (with a reason), the side that asked may withdraw it
before an answer. A case has one pending request at a time; the history keeps each holder with
its dates.

The référent de parcours is the glossary's coordinator (`Case.coordinator`, DOMAIN.md): the
professional responsible for the coherence of the person's path across institutions, taking part
in the case for any institution, designated by the holding institution. It stays through a
transfer until the new holder replaces it.

Who may ask (case workers taking part for their institution, supervisors of an institution on the
case; the référent assigned by a supervisor of the holder) is `domain.access`'s; these commands
check what the case knows: the institutions, the pending request, the sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.case_rules import optional_text, reason_text
from domain.case_state import CaseState
from domain.errors import (
    InstitutionNotOnCaseError,
    InvalidValueError,
    NotTheHolderError,
    TransferAlreadyPendingError,
    TransferNotFoundError,
    TransferNotPendingError,
    TransferToHolderError,
    WrongTransferSideError,
)
from domain.holding import Holder, Transfer, TransferStatus
from domain.values import Actor, Basis
from domain.wording import N_


class HoldingCommands(CaseState):
    """Transfers of the holding and the référent; the events are `domain.case.Case`'s."""

    if TYPE_CHECKING:  # recorded by `Case`'s `@event` methods of the same names
        _transfer_requested: Callable[..., None]
        _transfer_accepted: Callable[..., None]
        _transfer_declined: Callable[..., None]
        _transfer_withdrawn: Callable[..., None]
        _referent_assigned: Callable[..., None]

    holders: tuple[Holder, ...]
    transfers: tuple[Transfer, ...]

    # --- reading ----------------------------------------------------------------------------

    @property
    def holding_history(self) -> tuple[Holder, ...]:
        """Each holder with its dates, the current one last (a case loaded from a snapshot
        older than the history starts with its current holder, since unknown)."""
        return self.holders or (Holder(self.holder_institution_id, None),)

    def transfer(self, transfer_id: UUID) -> Transfer | None:
        return next((t for t in self.transfers if t.transfer_id == transfer_id), None)

    @property
    def pending_transfer(self) -> Transfer | None:
        return next((t for t in self.transfers if t.pending), None)

    # --- guards -----------------------------------------------------------------------------

    def check_holder(self, by: Actor, *, doing: str) -> None:
        """`doing`: a template (`N_`) naming what only the holding institution does."""
        if by.institution_id != self.holder_institution_id:
            raise NotTheHolderError(
                doing,
                field="institution_id",
                institution_id=by.institution_id,
                holder_institution_id=self.holder_institution_id,
            )

    def _check_on_case(self, institution_id: UUID, *, field: str) -> None:
        if institution_id not in self.institutions:
            raise InstitutionNotOnCaseError(
                N_(
                    "institution {institution_id} neither holds case {case_id} nor takes part in it"
                ),
                field=field,
                institution_id=institution_id,
                case_id=self.id,
            )

    def _pending(self, transfer_id: UUID, at: datetime) -> Transfer:
        self.check_open()
        transfer = self.transfer(transfer_id)
        if transfer is None:
            raise TransferNotFoundError(
                N_("case {case_id} has no transfer {transfer_id}"),
                field="transfer_id",
                case_id=self.id,
                transfer_id=transfer_id,
            )
        if not transfer.pending:
            raise TransferNotPendingError(
                _ANSWERED[transfer.status],
                field="transfer_id",
                transfer_id=transfer_id,
                status=transfer.status,
            )
        if at < transfer.requested_at:
            raise InvalidValueError(
                N_("a transfer is answered after it was requested ({requested_at})"),
                field="occurred_at",
                requested_at=transfer.requested_at,
            )
        return transfer

    def _answerable(self, transfer_id: UUID, by: Actor, at: datetime) -> None:
        transfer = self._pending(transfer_id, at)
        if by.institution_id != transfer.answering_institution_id:
            raise WrongTransferSideError(
                N_("only institution {answering_institution_id} answers transfer {transfer_id}"),
                field="institution_id",
                answering_institution_id=transfer.answering_institution_id,
                transfer_id=transfer_id,
            )

    # --- transfers --------------------------------------------------------------------------

    def request_transfer(
        self,
        *,
        transfer_id: UUID,
        by: Actor,
        basis: Basis,
        to_institution_id: UUID,
        reason: str | None,
        occurred_at: datetime,
    ) -> None:
        """The holder offers the case to `to_institution_id`, or an institution on the case asks
        to hold it (`to_institution_id`: its own)."""
        self.check_open()
        self._check_on_case(by.institution_id, field="institution_id")
        holder = self.holder_institution_id
        if to_institution_id == holder:
            raise TransferToHolderError(
                N_("institution {to_institution_id} already holds case {case_id}"),
                field="to_institution_id",
                to_institution_id=to_institution_id,
                case_id=self.id,
            )
        self._check_on_case(to_institution_id, field="to_institution_id")
        if by.institution_id not in (holder, to_institution_id):
            raise NotTheHolderError(
                N_(
                    "only the holding institution offers the case to another one; institution "
                    "{institution_id} may ask to hold it itself"
                ),
                field="to_institution_id",
                institution_id=by.institution_id,
            )
        pending = self.pending_transfer
        if pending is not None:
            raise TransferAlreadyPendingError(
                N_("transfer {transfer_id} of case {case_id} is still pending"),
                field="case_id",
                transfer_id=pending.transfer_id,
                case_id=self.id,
            )
        self._transfer_requested(
            transfer_id=transfer_id,
            by=by,
            basis=basis,
            from_institution_id=holder,
            to_institution_id=to_institution_id,
            reason=optional_text(reason, field="reason"),
            occurred_at=occurred_at,
        )

    def accept_transfer(
        self, *, transfer_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        self._answerable(transfer_id, by, occurred_at)
        self._transfer_accepted(
            transfer_id=transfer_id, by=by, basis=basis, occurred_at=occurred_at
        )

    def decline_transfer(
        self, *, transfer_id: UUID, by: Actor, basis: Basis, reason: str, occurred_at: datetime
    ) -> None:
        self._answerable(transfer_id, by, occurred_at)
        self._transfer_declined(
            transfer_id=transfer_id,
            by=by,
            basis=basis,
            reason=reason_text(reason),
            occurred_at=occurred_at,
        )

    def withdraw_transfer(
        self, *, transfer_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        transfer = self._pending(transfer_id, occurred_at)
        if by.institution_id != transfer.requesting_institution_id:
            raise WrongTransferSideError(
                N_("only institution {requesting_institution_id} withdraws transfer {transfer_id}"),
                field="institution_id",
                requesting_institution_id=transfer.requesting_institution_id,
                transfer_id=transfer_id,
            )
        self._transfer_withdrawn(
            transfer_id=transfer_id, by=by, basis=basis, occurred_at=occurred_at
        )

    # --- the référent de parcours -----------------------------------------------------------

    def assign_referent(
        self, *, by: Actor, basis: Basis, referent: Actor, occurred_at: datetime
    ) -> None:
        self.check_open()
        self.check_holder(by, doing=N_("only the holding institution designates the référent"))
        self.check_participant(referent, field="referent")
        self._referent_assigned(
            by=by,
            basis=basis,
            referent=referent,
            replaces=self.coordinator,
            occurred_at=occurred_at,
        )

    # --- applying (called by the events of `domain.case.Case`) ------------------------------

    def _transfer_answered(self, transfer_id: UUID, status: str, at: datetime) -> None:
        transfer = self.transfer(transfer_id)
        if transfer is None:
            return
        self.transfers = tuple(
            replace(t, status=status) if t.transfer_id == transfer_id else t for t in self.transfers
        )
        if status == TransferStatus.ACCEPTED:
            history = self.holding_history
            self.holders = (
                *history[:-1],
                replace(history[-1], until=at),
                Holder(transfer.to_institution_id, at),
            )
            self.holder_institution_id = transfer.to_institution_id


_ANSWERED: dict[str, str] = {
    TransferStatus.ACCEPTED: N_("transfer {transfer_id} was already accepted"),
    TransferStatus.DECLINED: N_("transfer {transfer_id} was already declined"),
    TransferStatus.WITHDRAWN: N_("transfer {transfer_id} was already withdrawn"),
}
