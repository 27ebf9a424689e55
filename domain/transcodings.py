"""How the domain's value types are written into stored events and snapshots (JSON)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.case import BeneficiaryIdentity, Consent, Participant, Referral
from domain.grounds import GroundClaim
from domain.network import Invitation, Member
from domain.partnership import PartyScope, Signature, Suspension
from domain.professional import DelegationRef, Employment
from domain.values import Actor, Basis


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class DataclassAsDict(Transcoding):
    """A frozen value dataclass as a dict of its fields; tuples come back as tuples."""

    def __init__(self, cls: type[Any], name: str) -> None:
        self.type = cls
        self.name = name
        self._tuple_fields = {
            f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple")
        }

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        values = {
            k: tuple(v) if k in self._tuple_fields and isinstance(v, list) else v
            for k, v in data.items()
        }
        return self.type(**values)


# The name is what is written in the store: never change one once events carry it.
VALUE_TYPES: dict[str, type[Any]] = {
    "actor": Actor,
    "basis": Basis,
    "beneficiary_identity": BeneficiaryIdentity,
    "participant": Participant,
    "consent": Consent,
    "referral": Referral,
    "ground_claim": GroundClaim,
    "network_member": Member,
    "network_invitation": Invitation,
    "party_scope": PartyScope,
    "signature": Signature,
    "suspension": Suspension,
    "employment": Employment,
    "delegation_ref": DelegationRef,
}


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for name, cls in VALUE_TYPES.items():
        transcoder.register(DataclassAsDict(cls, name))
