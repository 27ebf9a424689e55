"""The claim on one national identifier: which institution or professional holds it now.

An identifier belongs to one holder at a time. The registry's events alone cannot say so under
concurrent writers (two registrations with the same FINESS both decide on a registry that has
neither), so each number has its own small aggregate, with an id derived from the scheme and the
number (`claim_id`): the first claim creates it at version 1, and is saved in the same
transaction as the holder's event; a second writer claiming the same number saves version 1 too,
and the store refuses it. The use case then decides again, finds the claim held by another, and
refuses with `IdentifierTakenError` naming the field. A holder that changes or drops its number
releases the claim in the same save, and another may then claim it.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import AlreadyExistsError
from domain.identifiers import Scheme
from domain.wording import N_

# Claim ids: uuid5(CLAIMS, "<scheme>:<number>").
CLAIMS = UUID("0b3c6f1e-9d7a-4c55-8e1f-5a2d9c7b4e19")


class IdentifierTakenError(AlreadyExistsError):
    """The number is held by another institution or professional."""

    rule = "identifier-taken"


def claim_id(scheme: Scheme, number: str) -> UUID:
    return uuid5(CLAIMS, f"{scheme.value}:{number}")


class IdentifierClaim(Aggregate):
    """Who holds one number of one scheme (`holder_id`; None once released). Every event
    names the scheme and the number, for the audit trail to read them."""

    @classmethod
    def create_id(cls, scheme: str, number: str, holder_id: UUID) -> UUID:
        return claim_id(Scheme(scheme), number)

    @event("IdentifierClaimed")
    def __init__(self, scheme: str, number: str, holder_id: UUID) -> None:
        self.scheme = scheme
        self.number = number
        self.holder_id: UUID | None = holder_id

    def check_free_for(self, holder_id: UUID) -> None:
        if self.holder_id is not None and self.holder_id != holder_id:
            raise IdentifierTakenError(
                N_("{number} ({field}) is already held by another institution or professional"),
                field=self.scheme,
                number=self.number,
            )

    def claim(self, holder_id: UUID) -> None:
        """`holder_id` holds the number from now on (refused if another does)."""
        self.check_free_for(holder_id)
        if self.holder_id != holder_id:
            self._claimed_again(scheme=self.scheme, number=self.number, holder_id=holder_id)

    @event("IdentifierReclaimed")
    def _claimed_again(self, scheme: str, number: str, holder_id: UUID) -> None:
        self.holder_id = holder_id

    def release(self, holder_id: UUID) -> None:
        """`holder_id` no longer holds the number (nothing if it did not)."""
        if self.holder_id == holder_id:
            self._released(scheme=self.scheme, number=self.number, holder_id=holder_id)

    @event("IdentifierReleased")
    def _released(self, scheme: str, number: str, holder_id: UUID) -> None:
        self.holder_id = None
