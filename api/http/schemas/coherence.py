"""The coherence view as answered (`GET /cases/{id}/coherence`, `…/coherence/as-of`).

Every id keeps its field (the stable reference clients use) and gains its name beside it:
`*_name` fields hold the registry's **current** display name (as the registry reads when the
answer is made, not as of the event: a renamed service shows its new name on old alerts), null
when the registry does not know the id (yet). Sentences (`message`, each history step, each
exchange's `statement`) are worded at reading time in the answer's language (French by default,
English on `Accept-Language: en`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.case_file import (
    ActorRead,
    HolderRead,
    HoldingInstitutionRead,
    OutsideDelegationRead,
)
from domain.events import EventRef

CURRENT_NAME = "The registry's current display name of the id beside it (null if unknown)."


class ActorBasisRead(BaseModel):
    kind: str
    ref_id: UUID | None
    name: str | None = Field(
        description="Its current name: a convention's title; for a delegation, the delegating "
        "institution; for the holder's mandate, the holding institution."
    )
    outside_delegation: OutsideDelegationRead | None = Field(
        default=None,
        description="The act rested on this basis because the delegation the professional "
        "holds for the case did not cover it.",
    )


class ActorLineRead(ActorRead):
    role: str
    basis: ActorBasisRead
    basis_valid: bool
    basis_detail: dict[str, Any] = Field(
        description="A delegation's scope, dates, status, delegating institution and delegate "
        "(with their names); a convention's title, state and parties (with their names)."
    )
    joined_at: datetime
    last_action_at: datetime
    last_action: EventRef


class ConsentInForceRead(BaseModel):
    consent_id: UUID
    giver: str
    representative_name: str | None = Field(
        description="The legal representative who gave it (sealed in the log, opened for you)."
    )
    recipients: list[UUID]
    recipient_names: list[str | None] = Field(description="In the order of `recipients`.")
    categories: list[str]
    given_at: datetime
    valid_until: date | None
    withdrawn_at: datetime | None


class AcknowledgementRead(BaseModel):
    event: EventRef
    by: ActorRead
    at: datetime
    note: str | None = Field(
        description="The supervisor's note (sealed in the log, opened for you)."
    )


class HistoryStep(BaseModel):
    step: Literal["raised", "resolved", "acknowledged"]
    at: datetime
    message: str


class AlertRead(BaseModel):
    kind: str
    message: str = Field(description="The alert as a sentence, in the answer's language.")
    status: Literal["open", "acknowledged"]
    acknowledgeable: bool = Field(
        description="About past acts: it stays open until a supervisor acknowledges it with a "
        "note, even once resolved. Otherwise a live condition, which ends with its cause."
    )
    events: list[EventRef] = Field(description="The events of the case that raised it.")
    related: list[EventRef] = Field(description="Registry events behind it (a revocation…).")
    professional_id: UUID | None
    professional_name: str | None = Field(description=CURRENT_NAME)
    institution_id: UUID | None
    institution_name: str | None = Field(description=CURRENT_NAME)
    counterpart_institution_id: UUID | None
    counterpart_institution_name: str | None = Field(description=CURRENT_NAME)
    delegation_id: UUID | None
    partnership_id: UUID | None
    partnership_name: str | None = Field(description=CURRENT_NAME)
    reason: str | None = Field(
        description="Why: a delegation's lapse or gap (revoked, expired, not_yet_valid, "
        "outside_scope), a convention's (suspended, terminated, expired, not_yet_in_force, "
        "not_signed), or no_convention."
    )
    reason_since: date | None
    count: int = Field(description="Acts, exchanges, institutions or idle days, by kind.")
    categories: list[str]
    action_kinds: list[str]
    raised_at: datetime
    raised_by: EventRef | None
    resolved_at: datetime | None = Field(description="When its cause stopped holding, if it did.")
    resolved_by: EventRef | None
    acknowledgement: AcknowledgementRead | None
    history: list[HistoryStep]


class ExchangeRead(BaseModel):
    event: EventRef
    occurred_at: datetime
    from_institution_id: UUID
    from_institution_name: str | None = Field(description=CURRENT_NAME)
    to_institution_id: UUID
    to_institution_name: str | None = Field(description=CURRENT_NAME)
    categories: list[str]
    lawful_on: Literal["legal_ground", "consent"]
    legal_ground: str | None = Field(description="The ground's code, when shared on one.")
    legal_reference: str | None
    consent_ids: list[UUID]
    convention_id: UUID | None = Field(
        description="The convention in force between the two when it occurred, if any."
    )
    convention_name: str | None = Field(description=CURRENT_NAME)
    regular: bool = Field(
        description="Lawful on a legal ground, or on consent within a convention in force: "
        "not an irregular exchange."
    )
    statement: str = Field(description="What made it lawful, as a sentence.")


class CoherenceRead(BaseModel):
    case_id: UUID
    at: datetime
    version: int
    holder_institution_id: UUID
    holder_institution_name: str | None = Field(description=CURRENT_NAME)
    holder: HoldingInstitutionRead = Field(description="The institution holding the case at `at`.")
    holders: list[HolderRead] = Field(
        description="Each institution that held the case, with its dates, the current one last."
    )
    legal_framework: str
    opened_at: datetime
    closed: bool
    actors: list[ActorLineRead]
    coordinator: ActorRead | None = Field(
        description="The référent de parcours (kept under this name too: `referent`)."
    )
    referent: ActorRead | None = Field(
        description="The référent de parcours, designated by the holding institution (the same "
        "as `coordinator`); none on a case several institutions act on raises `no_coordinator`."
    )
    consents_in_force: list[ConsentInForceRead]
    alerts: list[AlertRead] = Field(
        description="Open: live conditions, and past incoherences not yet acknowledged."
    )
    alert_history: list[AlertRead] | None = Field(
        description="Past incoherences acknowledged, with their history (with `alerts=all`)."
    )
    exchanges: list[ExchangeRead] = Field(
        description="Every share with another institution, and what made it lawful."
    )
