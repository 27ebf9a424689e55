"""The values of who holds a case: each holder with its dates, and the transfer requests.

A case is held by one institution (*détenteur du dossier*); holding moves only by a transfer
request that the other side accepts. Stored inside the case's snapshots by the names given to
them in `domain.transcodings` (`case_holder`, `case_transfer`), never by module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class TransferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Holder:
    """An institution that held the case, from `since` until `until` (None: holds it now).
    `since` is None only for a case loaded from a snapshot older than the history."""

    institution_id: UUID
    since: datetime | None
    until: datetime | None = None


@dataclass(frozen=True)
class Transfer:
    """A request that the case be held by `to_institution_id` instead of `from_institution_id`
    (the holder when asked). The holder offers it (it answers: the receiving side), or an
    institution on the case asks for it (the holder answers)."""

    transfer_id: UUID
    from_institution_id: UUID
    to_institution_id: UUID
    requesting_institution_id: UUID
    requested_at: datetime
    status: str = TransferStatus.PENDING

    @property
    def answering_institution_id(self) -> UUID:
        """The other side: the receiving institution when the holder offers, else the holder."""
        if self.requesting_institution_id == self.from_institution_id:
            return self.to_institution_id
        return self.from_institution_id

    @property
    def pending(self) -> bool:
        return self.status == TransferStatus.PENDING
