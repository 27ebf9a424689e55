"""What Maillage holds about one beneficiary (RGPD art. 15 and 20), gathered from the log.

`PersonalDataExport.of` folds the case's events — every one, in order, its sealed texts opened
(or `[erased]`) — and the readings of its content into one record: the identity now and its
rectifications, the acts with their actors and bases, consents, shares with their grounds,
referrals, who read the file when and why, the erasure if any. Names are looked up through
`Namer` (ids the registry does not know read as None); nothing comes from a projection.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from domain import event_classes as ev
from domain.erased import ERASED_TEXT, Erased
from domain.values import Actor, Basis, BasisKind

SCHEMA_VERSION = "1"
# How an id is named: (kind, id) -> name; kinds: institution, professional, partnership,
# network, delegation.
Namer = Callable[[str, UUID], str | None]
_BASIS_KINDS = {
    BasisKind.CASE_HOLDER: "institution",
    BasisKind.CONVENTION: "partnership",
    BasisKind.NETWORK: "network",
    BasisKind.DELEGATION: "delegation",
}
_META = ("originator_id", "originator_version", "timestamp", "originator_topic")


@dataclass(frozen=True)
class Named:
    id: UUID
    name: str | None


@dataclass(frozen=True)
class ActorRecord:
    professional: Named
    institution: Named | None


@dataclass(frozen=True)
class BasisRecord:
    kind: str
    ref: Named | None


@dataclass(frozen=True)
class IdentityRecord:
    first_name: str
    last_name: str
    birth_date: date | None


@dataclass(frozen=True)
class ActRecord:
    version: int
    event: str
    occurred_at: datetime
    recorded_at: datetime
    actor: ActorRecord | None
    basis: BasisRecord | None
    details: dict[str, Any]


@dataclass(frozen=True)
class RectificationRecord:
    version: int
    occurred_at: datetime
    recorded_at: datetime
    previous: IdentityRecord
    rectified: IdentityRecord
    reason: str
    requested_by: str
    institution: Named


@dataclass
class ConsentRecord:
    consent_id: UUID
    given_at: datetime
    recorded_by: ActorRecord
    giver: str
    representative_name: str | None
    recipients: list[Named]
    categories: list[str]
    valid_until: date | None
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class GroundRecord:
    code: str
    attested: list[str]
    statements: dict[str, str]


@dataclass(frozen=True)
class ShareRecord:
    kind: str  # information_shared, concerning_information
    share_id: UUID
    occurred_at: datetime
    recorded_at: datetime
    by: ActorRecord
    recipient_institution: Named
    recipient_professional: Named | None
    categories: list[str]
    consent_ids: list[UUID]
    legal_ground: GroundRecord | None
    legal_reference: str | None
    convention: Named | None
    summary: str | None


@dataclass
class ReferralRecord:
    referral_id: UUID
    made_at: datetime
    by: ActorRecord
    to_institution: Named
    reason: str
    status: str = "pending"
    answered_at: datetime | None = None
    answered_by: ActorRecord | None = None
    answer_reason: str | None = None


_ANSWERED = {
    ev.ReferralAccepted: "accepted",
    ev.ReferralDeclined: "declined",
    ev.ReferralRevoked: "revoked",
}


@dataclass(frozen=True)
class ReadingRecord:
    consultation_id: UUID
    occurred_at: datetime
    recorded_at: datetime
    reader: ActorRecord
    role: str
    view: str
    purpose: str


@dataclass(frozen=True)
class ErasureRecord:
    occurred_at: datetime
    ground: str
    reference: str | None
    requested_by: str


@dataclass
class PersonalDataExport:
    case_id: UUID
    exported_at: datetime
    exported_by: ActorRecord
    beneficiary: IdentityRecord
    legal_framework: str
    holder_institution: Named
    erased: bool = False
    schema_version: str = SCHEMA_VERSION
    identity_history: list[RectificationRecord] = field(default_factory=list)
    acts: list[ActRecord] = field(default_factory=list)
    consents: list[ConsentRecord] = field(default_factory=list)
    shares: list[ShareRecord] = field(default_factory=list)
    referrals: list[ReferralRecord] = field(default_factory=list)
    readings: list[ReadingRecord] = field(default_factory=list)
    erasure: ErasureRecord | None = None

    @classmethod
    def of(
        cls,
        events: Sequence[Any],
        readings: Iterable[ev.CaseContentRead],
        *,
        exported_by: Actor,
        exported_at: datetime,
        name: Namer,
    ) -> PersonalDataExport:
        """`events`: the case's, in version order, personal fields opened; `readings`: its
        consultations."""
        opened = events[0]
        if not isinstance(opened, ev.CaseOpened):
            raise ValueError("a case's first event is its opening")
        fold = _Fold(name)
        export = cls(
            case_id=opened.originator_id,
            exported_at=exported_at,
            exported_by=fold.actor(exported_by),
            beneficiary=_identity(opened.beneficiary),
            legal_framework=str(opened.legal_framework),
            holder_institution=fold.named("institution", opened.by.institution_id),
        )
        for event in events:
            fold.apply(export, event)
        export.readings = sorted(
            (fold.reading(r) for r in readings), key=lambda r: (r.recorded_at, r.occurred_at)
        )
        return export


def _identity(value: Any) -> IdentityRecord:
    if isinstance(value, Erased) or value is None:
        return IdentityRecord(ERASED_TEXT, ERASED_TEXT, None)
    return IdentityRecord(value.first_name, value.last_name, value.birth_date)


def _text(value: Any) -> Any:
    return ERASED_TEXT if isinstance(value, Erased) else value


def plain(value: Any) -> Any:
    """A field's value as JSON knows it: ids and dates as strings, values as objects, an
    erased personal value as `[erased]`."""
    if isinstance(value, Erased):
        return ERASED_TEXT
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return str(value)


class _Fold:
    """Turns the case's events, one by one, into the export's sections."""

    def __init__(self, name: Namer) -> None:
        self.name = name
        self.transfers: dict[UUID, UUID] = {}  # transfer requested -> institution it goes to

    def named(self, kind: str, ident: UUID) -> Named:
        return Named(ident, self.name(kind, ident))

    def actor(self, by: Actor) -> ActorRecord:
        return ActorRecord(
            self.named("professional", by.professional_id),
            self.named("institution", by.institution_id),
        )

    def basis(self, basis: Basis) -> BasisRecord:
        kind = _BASIS_KINDS.get(BasisKind(basis.kind))
        ref = basis.ref_id
        return BasisRecord(
            str(basis.kind), self.named(kind, ref) if kind is not None and ref else None
        )

    def reading(self, e: ev.CaseContentRead) -> ReadingRecord:
        return ReadingRecord(
            consultation_id=e.originator_id,
            occurred_at=e.occurred_at,
            recorded_at=e.timestamp,
            reader=self.actor(e.by),
            role=str(e.role),
            view=str(e.view),
            purpose=str(e.purpose),
        )

    def apply(self, export: PersonalDataExport, e: Any) -> None:
        state = vars(e)
        by, basis = state.get("by"), state.get("basis")
        export.acts.append(
            ActRecord(
                version=e.originator_version,
                event=type(e).__name__,
                occurred_at=state.get("occurred_at", e.timestamp),
                recorded_at=e.timestamp,
                actor=self.actor(by) if isinstance(by, Actor) else None,
                basis=self.basis(basis) if isinstance(basis, Basis) else None,
                details={k: plain(v) for k, v in state.items() if k not in (*_META, "by", "basis")},
            )
        )
        self.section(export, e)

    def section(self, export: PersonalDataExport, e: Any) -> None:
        match e:
            case ev.IdentityRectified():
                export.beneficiary = _identity(e.beneficiary)
                export.identity_history.append(
                    RectificationRecord(
                        e.originator_version,
                        e.occurred_at,
                        e.timestamp,
                        _identity(e.previous),
                        _identity(e.beneficiary),
                        _text(e.reason),
                        e.requested_by,
                        self.named("institution", e.institution_id),
                    )
                )
            case ev.ConsentGiven():
                export.consents.append(
                    ConsentRecord(
                        e.consent_id,
                        e.occurred_at,
                        self.actor(e.by),
                        str(e.giver),
                        _text(e.representative_name),
                        [self.named("institution", r) for r in e.recipients],
                        [str(c) for c in e.categories],
                        e.valid_until,
                    )
                )
            case ev.ConsentWithdrawn():
                for consent in export.consents:
                    if consent.consent_id == e.consent_id:
                        consent.withdrawn_at = e.occurred_at
            case ev.InformationShared():
                export.shares.append(self.share(e))
            case ev.ConcerningInformationTransmitted():
                export.shares.append(self.concern(e))
            case ev.ReferralMade():
                export.referrals.append(
                    ReferralRecord(
                        e.referral_id,
                        e.occurred_at,
                        self.actor(e.by),
                        self.named("institution", e.to_institution_id),
                        _text(e.reason),
                    )
                )
            case ev.ReferralAccepted() | ev.ReferralDeclined() | ev.ReferralRevoked():
                for referral in export.referrals:
                    if referral.referral_id == e.referral_id:
                        referral.status = _ANSWERED[type(e)]
                        referral.answered_at = e.occurred_at
                        referral.answered_by = self.actor(e.by)
                        referral.answer_reason = _text(e.reason)
            case ev.TransferRequested():  # the institution that holds the case if accepted
                self.transfers[e.transfer_id] = e.to_institution_id
            case ev.TransferAccepted() if e.transfer_id in self.transfers:
                export.holder_institution = self.named("institution", self.transfers[e.transfer_id])
            case ev.BeneficiaryErased():
                export.erased = True
                export.beneficiary = _identity(None)
                export.erasure = ErasureRecord(
                    e.occurred_at, str(e.ground), e.reference, e.requested_by
                )
            case _:
                pass  # in the acts only

    def share(self, e: ev.InformationShared) -> ShareRecord:
        ground = e.legal_ground
        claim = (
            GroundRecord(str(ground.code), list(ground.attested), dict(ground.statements))
            if ground is not None and not isinstance(ground, Erased)
            else None
        )
        recipient = e.recipient_professional_id
        return ShareRecord(
            kind="information_shared",
            share_id=e.share_id,
            occurred_at=e.occurred_at,
            recorded_at=e.timestamp,
            by=self.actor(e.by),
            recipient_institution=self.named("institution", e.recipient_institution_id),
            recipient_professional=self.named("professional", recipient) if recipient else None,
            categories=[str(c) for c in e.categories],
            consent_ids=list(e.consent_ids),
            legal_ground=claim,
            legal_reference=e.legal_reference,
            convention=self.named("partnership", e.convention_id) if e.convention_id else None,
            summary=_text(e.summary),
        )

    def concern(self, e: ev.ConcerningInformationTransmitted) -> ShareRecord:
        return ShareRecord(
            kind="concerning_information",
            share_id=e.transmission_id,
            occurred_at=e.occurred_at,
            recorded_at=e.timestamp,
            by=self.actor(e.by),
            recipient_institution=self.named("institution", e.crip_institution_id),
            recipient_professional=None,
            categories=[],
            consent_ids=[],
            legal_ground=None,
            legal_reference=e.legal_reference,
            convention=None,
            summary=_text(e.summary),
        )
