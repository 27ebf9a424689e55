"""The bodies and answers of the reports routes (`api.http.routers.reports`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.common import RequestBody
from api.http.schemas.dates import IsoDate
from domain.funding import FundedKind


class FundingCreate(RequestBody):
    funder_id: UUID = Field(description="The funding institution (its staff's tokens name it).")
    target_kind: FundedKind
    target_id: UUID = Field(description="The partnership, network or institution funded.")
    valid_from: IsoDate
    valid_until: IsoDate | None = None
    reference: str | None = Field(
        default=None, max_length=300, examples=["Convention de financement CD68 2026-03"]
    )


class FundingEnding(RequestBody):
    ended_on: IsoDate = Field(description="The last funded day.")
    reason: str = Field(min_length=1, max_length=500)


class FundingItem(BaseModel):
    funding_id: UUID
    funder_id: UUID
    target_kind: str
    target_id: UUID
    valid_from: date
    valid_until: date | None
    ended_on: date | None
    reference: str | None


# --- reports and the network map, in the reader's language -----------------------------------
# Codes stay stable identifiers; each comes with its label in the language of the answer
# (`Content-Language`: French unless `Accept-Language` asks for English).

_WORDED = ConfigDict(from_attributes=True)


class ReportCell(BaseModel):
    model_config = _WORDED

    code: str = Field(
        description="Stable code of the figure: an action kind (`home_visit`), a basis "
        "(`case_holder`), an outcome (`accepted`), an institution's id, `1`…`5 or more`…",
        examples=["home_visit"],
    )
    label: str = Field(description="The figure's label for people.", examples=["visite à domicile"])
    value: int | None = Field(description="The figure; null when withheld.")
    withheld: bool = Field(description="Withheld (never says why: small, or protecting another).")
    share: float | None = Field(description="Of the line's total, when both are published.")


class ReportLine(BaseModel):
    model_config = _WORDED

    name: str = Field(description="Stable code of the line.", examples=["interventions_by_kind"])
    title: str = Field(examples=["Interventions par nature"])
    unit: str = Field(description="Code of what is counted.", examples=["interventions"])
    unit_label: str = Field(examples=["interventions"])
    axis_label: str = Field(examples=["nombre d'interventions"])
    total: ReportCell
    cells: list[ReportCell]


class ReportRead(BaseModel):
    model_config = _WORDED

    language: str = Field(description="The language of every label.", examples=["fr"])
    scope_kind: str = Field(examples=["partnership"])
    scope_kind_label: str = Field(examples=["partenariat"])
    scope_id: UUID
    scope_name: str
    period: str = Field(description="The months covered, YYYY-MM – YYYY-MM.")
    period_label: str = Field(examples=["T4 2026"])
    first_month: str = Field(examples=["2026-10"])
    last_month: str = Field(examples=["2026-12"])
    min_cell: int = Field(
        description="Figures behind 1 to min_cell − 1 beneficiaries are withheld."
    )
    lines: list[ReportLine]
    median_days_to_first_meeting: float | None = Field(
        description="Median calendar days (of the service's time zone) from opening to the "
        "first coordination meeting; null when withheld or when no case had one."
    )
    median_suppressed: bool
    median_label: str
    withheld_label: str = Field(description="How a withheld figure is marked.", examples=["masqué"])
    withheld_note: str = Field(description="What withheld means, in a sentence.")


class MapNode(BaseModel):
    model_config = _WORDED

    institution_id: UUID
    name: str
    sector: str = Field(examples=["medico_social"])
    sector_label: str = Field(examples=["médico-social"])


class MapEdge(BaseModel):
    model_config = _WORDED

    source: UUID
    source_name: str
    target: UUID
    target_name: str
    weight: int | None = Field(description="Shared beneficiaries; null when fewer than min_cell.")
    few: bool
    tie: str = Field(
        description="Strongest tie: convention, charter, formal_network, informal_network, none."
    )
    tie_label: str = Field(examples=["convention"])
    ties: list[str] = Field(description="Names of every tie between the two.")
    unbound: bool = Field(description="Shared beneficiaries and no tie at all: an incoherence.")


class NetworkMapRead(BaseModel):
    model_config = _WORDED

    language: str = Field(examples=["fr"])
    period: str
    period_label: str = Field(examples=["T4 2026"])
    first_month: str
    last_month: str
    min_cell: int
    nodes: list[MapNode]
    edges: list[MapEdge]
