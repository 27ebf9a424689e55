"""The bodies and answers of the chain routes (`api.http.routers.chain`)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ChainHead(BaseModel):
    position: int = Field(description="The last event chained (0: an empty log).")
    chain_hash: str = Field(description="SHA-256 of the chain up to it, hex.")
    anchor: str = Field(
        description="What to note: `POSITION:HASH`, for `maillage verify --expect`.",
        examples=["1284:9f2c…"],
    )
