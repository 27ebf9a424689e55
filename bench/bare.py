"""The ceiling the HTTP benchmarks compare with: FastAPI, served the same way, doing nothing
but parse the same JSON body (write) or answer a fixed document of a coherence view's size
(read). `uvicorn bench.bare:app`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from pydantic import BaseModel, Field

from domain.values import ActionKind

app = FastAPI()


class InterventionBody(BaseModel):
    kind: ActionKind
    summary: str | None = Field(default=None, max_length=10000)
    delegation_id: UUID | None = None
    occurred_at: datetime | None = None


DOCUMENT: dict[str, Any] = {
    "case_id": "00000000-0000-0000-0000-000000000000",
    "version": 12,
    "actors": [
        {
            "professional_id": "00000000-0000-0000-0000-000000000001",
            "institution_id": "00000000-0000-0000-0000-000000000002",
            "role": "referent",
            "basis": {"kind": "case_holder", "ref_id": None},
            "basis_valid": True,
            "joined_at": "2026-11-01T10:00:00Z",
            "last_action_at": "2026-11-20T10:00:00Z",
        }
    ]
    * 3,
    "coordinator": None,
    "consents": [],
    "alerts": [],
}


@app.post("/cases/{case_id}/interventions")
def record(case_id: UUID, body: InterventionBody) -> dict[str, Any]:
    return {"id": str(case_id), "version": 1, "position": 1, "entity_id": None}


@app.get("/cases/{case_id}/coherence")
def read(case_id: UUID, purpose: str) -> dict[str, Any]:
    return DOCUMENT
