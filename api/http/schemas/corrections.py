"""The bodies of the corrections routes (`api.http.routers.corrections`): an act recorded in
error, corrected or annulled with a reason. The correction or annulment itself is dated now."""

from __future__ import annotations

from pydantic import Field

from api.http.schemas.common import RequestBody
from api.http.schemas.dates import IsoDateTime
from domain.values import ActionKind


class ActAnnulment(RequestBody):
    reason: str = Field(
        min_length=1, max_length=2000, description="Why the act was recorded in error."
    )


class ActCorrection(ActAnnulment):
    kind: ActionKind | None = Field(default=None, description="The intervention's right kind.")
    act_occurred_at: IsoDateTime | None = Field(
        default=None,
        description=(
            "When the intervention really happened (within the backdating window, with a zone)."
        ),
    )
    summary: str | None = Field(
        default=None, max_length=10000, description="The intervention's summary, rewritten."
    )
