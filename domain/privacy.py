"""A beneficiary's personal data, sealed in the log with a key of their own, erasable by
destroying that key — without rewriting a single stored event.

What is personal is declared here, per event type (`PERSONAL_FIELDS`): the beneficiary's
identity, a legal representative's name, and every free text a professional writes about the
person (summaries, reasons, decisions, notes, the statements behind a legal ground). Ids, kinds,
bases, dates and institutions are not: they stay in clear, so that counts, coherence and reports
keep working after an erasure.

`SealingMapper` does the work where events become stored bytes: each personal field of a case's
event (and of a case's snapshot) is encrypted with AES-GCM under the case's key, the field's
place (case, event type, field) bound as associated data so a sealed value cannot be moved to
another record. Decoding gives back, for the fields an aggregate keeps in its state (the
identity, a representative's name), the plain value — or `ERASED` once the key is destroyed —
and, for every other personal field, the `Sealed` value itself: the read side never needs them,
so it never asks for a key, and a reader that must show one (`reveal`) asks on purpose.

Keys live apart from the log (`Keyring`; a table of their own in the store, each key wrapped
there by a key-encryption key kept outside the database: `api.store.kek`). A destroyed key
leaves a tombstone, so nothing can be sealed again for an erased beneficiary.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import DomainEvent, Snapshot
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic

from domain import event_classes as e
from domain.case import Case
from domain.erased import ERASED, ERASED_TEXT, Erased
from domain.errors import BeneficiaryErasedError
from domain.privacy_keys import InMemoryKeyring, Keyring, keys_at_hand, new_key, sealing_key

EventFields = Mapping[type[DomainEvent], tuple[str, ...]]


# Event class -> the fields that are personal data.
PERSONAL_FIELDS: EventFields = MappingProxyType(
    {
        e.CaseOpened: ("beneficiary",),
        e.ConsentGiven: ("representative_name",),
        e.InterventionRecorded: ("summary",),
        e.InformationShared: ("summary", "legal_ground"),  # the statute reference is not
        e.ConcerningInformationTransmitted: ("summary",),
        e.ReferralMade: ("reason", "legal_ground"),  # the statute reference is not
        e.ReferralRevoked: ("reason",),
        e.ReferralAccepted: ("reason",),
        e.ReferralDeclined: ("reason",),
        e.TransferRequested: ("reason",),
        e.TransferDeclined: ("reason",),
        e.CoordinationMeetingHeld: ("decisions",),
        e.AlertAcknowledged: ("note",),
        e.ActCorrected: ("reason", "summary"),
        e.ActAnnulled: ("reason",),
        e.CaseClosed: ("reason",),
        e.CaseReopened: ("reason",),
        e.IdentityRectified: ("previous", "beneficiary", "reason"),
    }
)
# Of those, the fields the Case aggregate keeps in its state: opened when a case is loaded.
STATE_FIELDS: EventFields = MappingProxyType(
    {
        e.CaseOpened: ("beneficiary",),
        e.ConsentGiven: ("representative_name",),
        e.IdentityRectified: ("beneficiary",),  # the identity the case holds from then on
    }
)


def _place(event: DomainEvent, name: str) -> str:
    """Where a personal field sits (`Case.CaseOpened.beneficiary`): bound to its sealed value."""
    return f"{type(event).__qualname__}.{name}"


def _state_place(name: str) -> str:
    """Where a personal value sits in a case's snapshot (`Case.state.beneficiary`)."""
    return f"{Case.__qualname__}.state.{name}"


def _is_case(snapshot: Snapshot) -> bool:
    return snapshot.topic == get_topic(Case)


@dataclass(frozen=True)
class Sealed:
    """A personal value encrypted under the key of a case's beneficiary."""

    key_id: UUID
    blob: str  # base64 of nonce + ciphertext (with its tag)


def retention_cutoff(now: datetime, years: int) -> datetime:
    """Cases closed before this instant are due for erasure after `years` of retention."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February, and the year back is not a leap year
        return now.replace(year=now.year - years, day=28)


def _aad(key_id: UUID, place: str) -> bytes:
    return key_id.bytes + place.encode()


def seal(key: bytes, key_id: UUID, place: str, plaintext: bytes) -> Sealed:
    nonce = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, _aad(key_id, place))
    return Sealed(key_id, base64.b64encode(nonce + ciphertext).decode())


def unseal(key: bytes, sealed: Sealed, place: str) -> bytes:
    raw = base64.b64decode(sealed.blob)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], _aad(sealed.key_id, place))
    except InvalidTag:
        raise ValueError(f"sealed value at {place} fails its authentication") from None


def _with_state(event: Any, state: dict[str, Any]) -> Any:
    """A copy of a (frozen) event with other field values."""
    copy = object.__new__(type(event))
    object.__setattr__(copy, "__dict__", state)
    return copy


class SealingMapper(Mapper[UUID]):
    """The library's mapper, sealing personal fields on the way in (see the module docstring).

    `opens`: the personal fields opened on the way out (`STATE_FIELDS` for the write side,
    nothing for the read side). The library's whole-event cipher, if set, applies on top.
    """

    def __init__(
        self,
        transcoder: Transcoder,
        *,
        keyring: Keyring,
        opens: EventFields,
        cipher: Any = None,
        compressor: Any = None,
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.keyring = keyring
        self.opens = opens

    # --- writing ----------------------------------------------------------------------------

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if isinstance(domain_event, Snapshot):
            if _is_case(domain_event):
                domain_event = self._sealed_snapshot(domain_event)
            return super().to_stored_event(domain_event)
        fields = PERSONAL_FIELDS.get(type(domain_event))
        if not fields:
            return super().to_stored_event(domain_event)
        case_id: UUID = domain_event.originator_id
        sealed = dict(vars(domain_event))
        key: bytes | None = None
        for name in fields:
            value = sealed.get(name)
            if value is None or isinstance(value, Sealed | Erased):
                continue
            key = key or sealing_key(self.keyring, case_id)
            place = _place(domain_event, name)
            if isinstance(value, list):  # each item apart: how many stays countable
                sealed[name] = [self._seal(key, case_id, place, item) for item in value]
            else:
                sealed[name] = self._seal(key, case_id, place, value)
        return super().to_stored_event(_with_state(domain_event, sealed))

    def _seal(self, key: bytes, case_id: UUID, place: str, value: Any) -> Sealed:
        return seal(key, case_id, place, self.transcoder.encode({"v": value}))

    def _sealed_snapshot(self, snapshot: Snapshot) -> Snapshot:
        case_id = snapshot.originator_id
        state = dict(snapshot.state)
        key = sealing_key(self.keyring, case_id) if not self._erased(state) else None
        if key is not None:
            identity = state.get("beneficiary")
            if identity is not None and not isinstance(identity, Sealed | Erased):
                state["beneficiary"] = self._seal(
                    key, case_id, _state_place("beneficiary"), identity
                )
            state["consents"] = [
                replace(
                    c,
                    representative_name=self._seal(
                        key, case_id, _state_place("representative_name"), c.representative_name
                    ),
                )
                if isinstance(c.representative_name, str)
                else c
                for c in state.get("consents", [])
            ]
        return Snapshot(
            originator_id=snapshot.originator_id,
            originator_version=snapshot.originator_version,
            timestamp=snapshot.timestamp,
            topic=snapshot.topic,
            state=state,
        )

    @staticmethod
    def _erased(state: dict[str, Any]) -> bool:
        return bool(state.get("erased"))

    # --- reading ----------------------------------------------------------------------------

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        event = super().to_domain_event(stored_event)
        if isinstance(event, Snapshot):
            if self.opens and _is_case(event):
                self._open_snapshot(event)
            return event
        if not isinstance(event, DomainEvent):
            return event
        fields = self.opens.get(type(event), ())
        state = vars(event)
        for name in fields:
            value = state.get(name)
            if isinstance(value, Sealed):
                state[name] = self.open(value, _place(event, name), event.originator_id)
        return event

    def _open_snapshot(self, snapshot: Snapshot) -> None:
        state, case_id = snapshot.state, snapshot.originator_id
        state["beneficiary"] = self.open(
            state.get("beneficiary"), _state_place("beneficiary"), case_id
        )
        state["consents"] = [
            replace(
                c,
                representative_name=self.open(
                    c.representative_name, _state_place("representative_name"), case_id
                ),
            )
            for c in state.get("consents", [])
        ]

    def open(self, value: Any, place: str, case_id: UUID) -> Any:
        """The plain value of a sealed one (`ERASED` if its key is destroyed), others as is.

        Only under the key of the case it is read in: a value sealed for another case and
        moved here (in a snapshot, which the hash chain does not cover) is refused."""
        if isinstance(value, list):
            return [self.open(item, place, case_id) for item in value]
        if not isinstance(value, Sealed):
            return value
        if value.key_id != case_id:
            raise ValueError(f"a value sealed for another case was found at {place}")
        key = self.keyring.key(value.key_id)
        if key is None:
            return ERASED
        return self.transcoder.decode(unseal(key, value, place))["v"]

    def opened(self, event: Any) -> Any:
        """A copy of a decoded event with every personal field opened (or `ERASED`): for a
        reader who must show them, having been allowed to."""
        fields = PERSONAL_FIELDS.get(type(event), ())
        state = dict(vars(event))
        for name in fields:
            state[name] = self.open(state.get(name), _place(event, name), event.originator_id)
        return _with_state(event, state)


__all__ = [
    "ERASED",
    "ERASED_TEXT",
    "PERSONAL_FIELDS",
    "STATE_FIELDS",
    "BeneficiaryErasedError",
    "Erased",
    "EventFields",
    "InMemoryKeyring",
    "Keyring",
    "Sealed",
    "SealingMapper",
    "keys_at_hand",
    "new_key",
]
