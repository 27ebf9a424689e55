"""What `GET /me/work` answers: a professional's day in one call."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.common import Page
from api.http.schemas.holding import TransferEntry
from api.http.schemas.naming import Name
from api.http.schemas.referrals import ReferralItem

CURRENT_NAME = "The registry's current display name (null if it does not know the id yet)."


class WorkAlert(BaseModel):
    kind: str = Field(description="The alert's code (`GET /vocabulary`).")
    label: str = Field(
        description="What the alert is, in the answer's language. The full sentence, naming "
        "people, is the coherence view's (a reading recorded with its purpose)."
    )
    acknowledgeable: bool = Field(
        description="About past acts: a supervisor of an institution on the case acknowledges it "
        "with a note. Otherwise a live condition, which ends with its cause."
    )
    raised_at: datetime


class WorkCase(BaseModel):
    case_id: UUID
    holder_institution_id: UUID
    holder_institution_name: Name
    opened_at: datetime
    role: str | None = Field(description="Your role on it (null for a supervisor).")
    basis_kind: str | None = Field(description="The basis you stand on (null for a supervisor).")
    last_action_at: datetime | None = Field(description="Your last act on it.")
    alerts: list[WorkAlert] = Field(description="Its alerts open now (coherence view).")


class MyWork(BaseModel):
    """The open cases you are on (a supervisor: those your institution holds or works on), each
    with its open alerts, and what waits for an answer from your institution."""

    at: datetime = Field(description="The instant the alerts were assessed.")
    professional_id: UUID
    professional_name: Name
    institution_id: UUID
    institution_name: Name
    cases: Page[WorkCase] = Field(
        description="Paged by case; `next_cursor` as `cursor` for the next page."
    )
    referrals_waiting: Page[ReferralItem] = Field(
        description="The referrals to your institution waiting for its answer (not expired), "
        "newest first; `next_cursor` as `referrals_cursor` for more."
    )
    transfers_to_answer: Page[TransferEntry] = Field(
        description="The transfer requests of a case's holding your institution answers, still "
        "pending, oldest first; `next_cursor` as `transfers_cursor` for more."
    )
