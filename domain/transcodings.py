"""How the domain's value types are written into stored events and snapshots (JSON)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    JSONTranscoder,
    Transcoding,
    TranscodingNotRegisteredError,
)

from domain.case import BeneficiaryIdentity
from domain.case_values import Consent, Participant, RecordedAct, Referral
from domain.grounds import GroundClaim
from domain.holding import Holder, Transfer
from domain.network import Invitation, Member
from domain.partnership import PartyScope, Signature, Suspension
from domain.privacy import Sealed
from domain.professional import DelegationRef, Employment
from domain.values import Actor, Basis, OutsideDelegation


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
        if not self._tuple_fields:
            return self.type(**data)
        values = {
            k: tuple(v) if k in self._tuple_fields and isinstance(v, list) else v
            for k, v in data.items()
        }
        return self.type(**values)


class BasisAsDict(DataclassAsDict):
    """A basis writes `outside_delegation` only when it has one: every other basis is stored
    exactly as before the field existed, and older ones read back without it (None)."""

    def encode(self, obj: Any) -> dict[str, Any]:
        data = super().encode(obj)
        if data.get("outside_delegation") is None:
            data.pop("outside_delegation", None)
        return data


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
    "sealed": Sealed,
    "outside_delegation": OutsideDelegation,
    "case_holder": Holder,
    "case_transfer": Transfer,
    "recorded_act": RecordedAct,
}


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for name, cls in VALUE_TYPES.items():
        transcoder.register(BasisAsDict(cls, name) if cls is Basis else DataclassAsDict(cls, name))


class MaillageTranscoder(JSONTranscoder):
    """The library's JSON transcoder, same stored format, with a leaner decoding hook: the read
    side decodes every event of the log when it rebuilds, so each microsecond here counts."""

    def __init__(self) -> None:
        super().__init__()
        self._decoders: dict[str, Callable[[Any], Any]] = {}
        self.decoder = json.JSONDecoder(object_hook=self._decode_obj)

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        self._decoders[transcoding.name] = (
            UUID if transcoding.name == "uuid_hex" else transcoding.decode
        )

    def _decode_obj(self, d: dict[str, Any]) -> Any:
        return decode_tagged(self._decoders, d)


def decode_tagged(decoders: Mapping[str, Callable[[Any], Any]], d: dict[str, Any]) -> Any:
    """A JSON object as stored: `{"_type_": name, "_data_": …}` decoded by the decoder of that
    name, any other object as it is (the transcoder's hook; the rebuild's faster decoder too)."""
    if len(d) == 2 and "_type_" in d and "_data_" in d:
        try:
            decode = decoders[d["_type_"]]
        except KeyError:
            raise TranscodingNotRegisteredError(
                f"no transcoding registered for {d['_type_']!r}"
            ) from None
        return decode(d["_data_"])
    return d
