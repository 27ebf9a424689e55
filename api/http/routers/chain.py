"""The log's chain head: what a supervisor notes outside the store, to prove later that nothing
was removed or changed up to it (`maillage verify --expect POSITION:HASH`)."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import EngineDep, PrincipalDep
from api.http.guard import GuardedRoute, admits
from api.http.schemas.chain import ChainHead
from api.store.integrity import head
from domain.access import READING_THE_CHAIN_HEAD

router = APIRouter(tags=["operations"], route_class=GuardedRoute)


@router.get(
    "/log/head",
    response_model=ChainHead,
    summary="The latest hash-chain head of the log (supervisors and administrators)",
)
@admits(READING_THE_CHAIN_HEAD)
def chain_head(principal: PrincipalDep, engine: EngineDep) -> ChainHead:
    found = head(engine)
    return ChainHead(position=found.position, chain_hash=found.chain_hash, anchor=str(found))
