"""The log's chain head: what a supervisor notes outside the store, to prove later that nothing
was removed or changed up to it (`maillage verify --expect POSITION:HASH`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from api.http.deps import PrincipalDep
from api.store.integrity import head
from domain.access import Role, check_role

router = APIRouter(tags=["operations"])


class ChainHead(BaseModel):
    position: int = Field(description="The last event chained (0: an empty log).")
    chain_hash: str = Field(description="SHA-256 of the chain up to it, hex.")
    anchor: str = Field(
        description="What to note: `POSITION:HASH`, for `maillage verify --expect`.",
        examples=["1284:9f2c…"],
    )


@router.get(
    "/log/head",
    response_model=ChainHead,
    summary="The latest hash-chain head of the log (supervisors and administrators)",
)
def chain_head(principal: PrincipalDep, request: Request) -> ChainHead:
    check_role(principal, Role.SUPERVISOR, Role.ADMIN, doing="reading the log's chain head")
    found = head(request.app.state.engine)
    return ChainHead(position=found.position, chain_hash=found.chain_hash, anchor=str(found))
